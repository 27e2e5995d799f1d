// The machine profile's `contentArrives:` (content that reaches the computer's distribution
// points late): read into the model as wall-clock times or `never`, checked by the schema, and
// turned into the simulator's view of what is missing at a given moment.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import type { MachineModel } from '../../server/src/model/machine';
import { parseLocalDateTime } from '../../server/src/schedule/local-time';
import { arrivalsBetween, unreachableAt } from '../../server/src/simulator/content-arrival';
import { lint } from '../helpers/lint';

const PROFILE = 'machine: Branch PC\ncontentArrives:\n  CM100078: 2025-03-03 10:40\n  CM100042: never\n';
const at = (s: string) => parseLocalDateTime(s)!;
const model = parseDocument('/m.tsq.yaml', PROFILE).model as MachineModel;

describe('contentArrives', () => {
  it('reads each entry as a time or never', () => {
    assert.deepEqual(
      model.contentArrives.map((c) => [c.id, c.arrives]),
      [
        ['CM100078', at('2025-03-03 10:40')],
        ['CM100042', 'never'],
      ],
    );
  });

  it('is an error in the profile when a value is neither', () => {
    const findings = lint({ 'm.tsq.yaml': 'machine: X\ncontentArrives:\n  CM100078: tomorrow\n' });
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.text]),
      [['schema', 'error', 'tomorrow']],
    );
    assert.deepEqual(lint({ 'm.tsq.yaml': PROFILE }), []);
  });

  it('makes content missing until it arrives (IDs in any case), and never for `never`', () => {
    const before = unreachableAt(model, at('2025-03-03 10:39'))!;
    const after = unreachableAt(model, at('2025-03-03 10:40'))!;
    assert.match(
      before('package', 'cm100078') ?? '',
      /has not reached the distribution points this computer can reach yet \(it arrives Monday 2025-03-03 10:40\)/,
    );
    assert.equal(after('package', 'CM100078'), undefined);
    assert.match(after('osImage', 'CM100042') ?? '', /on no distribution point this computer can reach/);
    assert.equal(after('package', 'CM100077'), undefined, 'what the profile does not list is there');
    assert.equal(unreachableAt(parseDocument('/n.tsq.yaml', 'machine: N\n').model as MachineModel, 0), undefined);
  });

  it('tells when a retry can find more', () => {
    assert.deepEqual(arrivalsBetween(model, at('2025-03-03 10:00'), at('2025-03-03 11:00')), [at('2025-03-03 10:40')]);
    assert.deepEqual(
      arrivalsBetween(model, at('2025-03-03 10:40'), at('2025-03-03 11:00')),
      [],
      'an arrival at the last look is not new',
    );
  });
});
