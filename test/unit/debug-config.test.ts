// F5 on a task sequence without launch.json, and how a launch configuration is completed: the
// pure part of the VS Code client's debugger wiring (client/src/debug-config.ts).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialConfigurations, machineOffer, resolveConfiguration } from '../../client/src/debug-config';

describe('completing a launch configuration', () => {
  it('turns F5 without launch.json on a *.tsq.yaml file into a simulation of that file', () => {
    const r = resolveConfiguration({}, '/ws/deploy.tsq.yaml', 'tasksequence', []);
    assert.deepEqual(r, {
      config: {
        type: 'tasksequence',
        request: 'launch',
        name: 'Simulate this task sequence',
        program: '/ws/deploy.tsq.yaml',
        stopOnEntry: true,
      },
    });
  });

  it('explains what to open when the active file is not a task sequence', () => {
    const r = resolveConfiguration({}, '/ws/readme.md', 'markdown', []);
    assert.ok('problem' in r && /Open a task sequence/.test(r.problem));
  });

  it('uses the only machine profile of the workspace, and asks when there are several', () => {
    const one = resolveConfiguration({}, '/ws/a.tsq.yaml', 'tasksequence', ['/ws/lab.tsq.yaml']);
    assert.ok('config' in one && one.config.machine === '/ws/lab.tsq.yaml');
    const two = resolveConfiguration({}, '/ws/a.tsq.yaml', 'tasksequence', ['/ws/a-vm.tsq.yaml', '/ws/b-vm.tsq.yaml']);
    assert.ok('pickMachine' in two);
    assert.deepEqual(two.pickMachine, ['/ws/a-vm.tsq.yaml', '/ws/b-vm.tsq.yaml']);
  });

  it('keeps what a launch.json configuration says, filling only a missing program', () => {
    const given = {
      type: 'tasksequence',
      request: 'launch',
      name: 'Mine',
      machine: '/ws/m.tsq.yaml',
      stopOnEntry: false,
    };
    const r = resolveConfiguration(given, '/ws/b.tsq.yml', undefined, ['/ws/other.tsq.yaml']);
    assert.deepEqual(r, { config: { ...given, program: '/ws/b.tsq.yml' } });
  });

  it('starts a new launch.json with a configuration that simulates the open file on a picked machine', () => {
    const [c] = initialConfigurations();
    assert.equal(c.type, 'tasksequence');
    assert.equal(c.program, '${file}');
    assert.equal(c.machine, '${command:tsq.pickMachine}');
  });

  it('offers only the machine profiles without errors, and says why the others are left out', () => {
    const profile = (path: string, errors: number, firstError?: { line: number; message: string }) => ({
      uri: `file://${path}`,
      path,
      name: path,
      errors,
      firstError,
    });
    const offer = machineOffer([
      profile('/ws/good-vm.tsq.yaml', 0),
      profile('/ws/broken-vm.tsq.yaml', 2, { line: 3, message: '`x65` is not an architecture.' }),
      profile('/ws/other-vm.tsq.yaml', 0),
    ]);
    assert.deepEqual(offer.offered, ['/ws/good-vm.tsq.yaml', '/ws/other-vm.tsq.yaml']);
    assert.deepEqual(offer.withheld, [
      { path: '/ws/broken-vm.tsq.yaml', reason: '2 errors: line 3: `x65` is not an architecture.' },
    ]);
    // One good profile left: F5 takes it without asking.
    const only = machineOffer([profile('/ws/good-vm.tsq.yaml', 0), profile('/ws/broken-vm.tsq.yaml', 1)]);
    const r = resolveConfiguration({}, '/ws/a.tsq.yaml', 'tasksequence', only.offered);
    assert.ok('config' in r && r.config.machine === '/ws/good-vm.tsq.yaml');
  });
});
