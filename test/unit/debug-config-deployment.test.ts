// Launch configurations that start a run from a deployment or from media: the deployment or the
// media names the sequence, so `program` is not filled from the open file; media name their own
// machine profiles, so none is filled in or asked for (client/src/debug-config.ts).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfiguration } from '../../client/src/debug-config';

const base = { type: 'tasksequence', request: 'launch', name: 'Pilot' };

describe('completing a launch configuration with a deployment or media', () => {
  it('leaves `program` out when a deployment names the sequence, even with a sequence open', () => {
    const r = resolveConfiguration(
      { ...base, deployment: '/ws/pilot.tsq.yaml' },
      '/ws/other.tsq.yaml',
      'tasksequence',
      ['/ws/lab.tsq.yaml'],
    );
    assert.deepEqual(r, { config: { ...base, deployment: '/ws/pilot.tsq.yaml', machine: '/ws/lab.tsq.yaml' } });
  });

  it('neither fills in nor asks for a machine when the media names its own', () => {
    const r = resolveConfiguration({ ...base, media: '/ws/offline.tsq.yaml' }, undefined, undefined, [
      '/ws/a.tsq.yaml',
      '/ws/b.tsq.yaml',
    ]);
    assert.deepEqual(r, { config: { ...base, media: '/ws/offline.tsq.yaml' } });
  });

  it('still asks for something to run when there is no program, deployment or media', () => {
    const r = resolveConfiguration({ ...base }, '/ws/readme.md', 'markdown', []);
    assert.ok('problem' in r && /`program`.*`deployment` or `media`/.test(r.problem));
  });
});
