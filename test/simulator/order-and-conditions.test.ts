// Which nodes run and in what order: depth-first document order, disabled nodes, conditions decided
// just before a node runs (with the reason kept), and the machine facts conditions read.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, start, runPast, statusOf, recordOf } from './helpers';

describe('order', () => {
  it('visits nodes depth first in document order', () => {
    const sim = simulate(`sequence: Order
steps:
  - { name: A, run: cmd /c a }
  - group: G
    steps:
      - { name: B, run: cmd /c b }
      - group: H
        steps:
          - { name: C, run: cmd /c c }
      - { name: D, run: cmd /c d }
  - { name: E, run: cmd /c e }
`);
    assert.deepEqual(
      sim.records.map((r) => r.path),
      ['A', 'G', 'G/B', 'G/H', 'G/H/C', 'G/D', 'E'],
    );
    assert.equal(sim.ended, 'succeeded');
  });

  it('finishes at once, successfully, when there are no steps', () => {
    const sim = simulate('sequence: Empty\nsteps: []\n');
    assert.equal(sim.ended, 'succeeded');
    assert.equal(sim.records.length, 0);
  });
});

describe('disabled nodes', () => {
  const seq = `sequence: Disabled
steps:
  - { name: Before, run: cmd /c x }
  - { name: Off, run: cmd /c x, disabled: true, when: NeverSet == "1" }
  - group: Off group
    disabled: true
    steps:
      - { name: Inside, run: cmd /c x }
  - { name: After, run: cmd /c x }
`;

  it('skips a disabled step or group with everything inside it', () => {
    const sim = simulate(seq);
    assert.equal(statusOf(sim, 'Off'), 'disabled');
    assert.equal(statusOf(sim, 'Off group'), 'disabled');
    assert.equal(statusOf(sim, 'Off group/Inside'), 'not reached');
    assert.equal(statusOf(sim, 'After'), 'succeeded');
  });

  it('neither evaluates the condition of a disabled node nor touches the last-action variables', () => {
    const sim = start(seq, 'outcomes: { Before: { exitCode: 3010 } }');
    runPast(sim, 'Before');
    const before = [
      '_SMSTSLastActionName',
      '_SMSTSLastActionRetCode',
      '_SMSTSLastActionSucceeded',
      '_SMSTSCurrentActionName',
    ].map((n) => sim.vars.get(n));
    runPast(sim, 'Off group');
    assert.deepEqual(
      ['_SMSTSLastActionName', '_SMSTSLastActionRetCode', '_SMSTSLastActionSucceeded', '_SMSTSCurrentActionName'].map(
        (n) => sim.vars.get(n),
      ),
      before,
    );
    assert.deepEqual(before, ['Before', '3010', 'true', 'Before']);
    assert.ok(
      !sim.log.slice().some((e) => /condition of "Off"/.test(e.message)),
      'no condition was evaluated for the disabled step',
    );
  });
});

describe('conditions', () => {
  it('skips a group whose condition is false, children included, and keeps the reason', () => {
    const sim = simulate(
      `sequence: S
steps:
  - group: Windows PE only
    when: _SMSTSInWinPE == "true"
    steps:
      - { name: Partition, run: cmd /c x }
  - { name: Next, run: cmd /c x }
`,
      'startsIn: fullos',
    );
    const g = recordOf(sim, 'Windows PE only');
    assert.equal(g.status, 'skipped');
    assert.equal(g.reason, '_SMSTSInWinPE is "false", not "true"');
    assert.equal(statusOf(sim, 'Windows PE only/Partition'), 'not reached');
    assert.equal(statusOf(sim, 'Next'), 'succeeded');
  });

  it('leaves the last-action variables alone when a condition skips a step', () => {
    const sim = start(
      `sequence: S
steps:
  - { name: Fails, run: cmd /c x, continueOnError: true }
  - { name: Skipped, run: cmd /c x, when: Nothing == "set" }
`,
      'outcomes: { Fails: { exitCode: 4 } }',
    );
    runPast(sim, 'Skipped');
    assert.equal(statusOf(sim, 'Skipped'), 'skipped');
    assert.equal(sim.vars.get('_SMSTSLastActionName'), 'Fails');
    assert.equal(sim.vars.get('_SMSTSLastActionRetCode'), '4');
    assert.equal(sim.vars.get('_SMSTSLastActionSucceeded'), 'false');
  });

  it('decides a condition just before its node, with the variables earlier steps set', () => {
    const sim = simulate(`sequence: S
steps:
  - { name: Decide, action: SetTaskSequenceVariable, with: { variable: Ring, value: pilot } }
  - { name: Pilot only, run: cmd /c x, when: Ring == "pilot" }
  - { name: Broad only, run: cmd /c x, when: Ring == "broad" }
  - { name: After a failure, run: cmd /c x, when: _SMSTSLastActionSucceeded == "false" }
`);
    assert.equal(statusOf(sim, 'Pilot only'), 'succeeded');
    assert.equal(statusOf(sim, 'Broad only'), 'skipped');
    assert.equal(recordOf(sim, 'Broad only').reason, 'Ring is "pilot", not "broad"');
    assert.equal(statusOf(sim, 'After a failure'), 'skipped');
  });

  it('reads the machine facts: WMI, files, folders, registry, installed products, OS version', () => {
    const sim = simulate(
      `sequence: Facts
steps:
  - { name: Dell, run: cmd /c x, when: 'wmi("SELECT * FROM Win32_ComputerSystem WHERE Model LIKE ''%Latitude%''")' }
  - { name: HP, run: cmd /c x, when: 'wmi("SELECT * FROM Win32_ComputerSystem WHERE Model LIKE ''%EliteBook%''")' }
  - { name: Has file, run: cmd /c x, when: 'fileExists("C:\\\\Windows\\\\System32\\\\drivers\\\\x.sys")' }
  - { name: Has folder, run: cmd /c x, when: 'folderExists("C:\\\\Windows\\\\System32")' }
  - { name: Ring one, run: cmd /c x, when: 'registry("HKLM\\\\SOFTWARE\\\\Contoso", "Ring") == "1"' }
  - { name: Has 7-Zip, run: cmd /c x, when: 'installed("{23170F69-40C1-2702-2201-000001000000}")' }
  - { name: Windows 11, run: cmd /c x, when: 'osVersion("All x64 Windows 11 and higher Client")' }
`,
      `facts:
  wmi: { "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%Latitude%'": true }
  files: ['C:\\Windows\\System32\\drivers\\x.sys']
  registry: { 'HKLM\\SOFTWARE\\Contoso\\Ring': '1' }
  installed: ['{23170F69-40C1-2702-2201-000001000000}']
  osVersions: ['All x64 Windows 11 and higher Client']
`,
    );
    assert.deepEqual(
      sim.records.map((r) => `${r.path}: ${r.status}`),
      [
        'Dell: succeeded',
        'HP: skipped',
        'Has file: succeeded',
        'Has folder: succeeded',
        'Ring one: succeeded',
        'Has 7-Zip: succeeded',
        'Windows 11: succeeded',
      ],
    );
    assert.match(recordOf(sim, 'HP').reason ?? '', /WMI query is not in the machine facts/);
  });
});
