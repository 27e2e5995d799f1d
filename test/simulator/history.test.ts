// Same inputs, same run; and going back: every visit can be undone exactly (what the debugger's
// step back and reverse continue rely on), and the cursor can be moved to any node (Set Current).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, simulate, start, workspaceOf, machineModel } from './helpers';
import { Simulation } from '../../server/src/simulator/engine';
import { renderJson } from '../../server/src/simulator/report';
import type { SequenceModel } from '../../server/src/model/sequence';

const DEPLOY = `sequence: Deploy
bootImage: CM100005
variables: { Ring: pilot }
steps:
  - group: PE
    when: _SMSTSInWinPE == "true"
    steps:
      - { name: Partition, action: FormatAndPartitionDisk, with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] } }
      - { name: Apply, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 3 } }
      - { name: Setup, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 } }
  - group: Configure
    continueOnError: true
    steps:
      - { name: Record, action: SetTaskSequenceVariable, with: { variable: Done, value: "%Ring%" } }
      - { name: Script, id: script, run: cmd /c x, continueOnError: true }
      - { name: Flaky, id: flaky, run: cmd /c y }
      - { name: Not reached, run: cmd /c z }
  - { name: End, run: cmd /c end }
`;
const MACHINE = 'disk: raw\noutcomes: { script: { exitCode: 1 }, flaky: { exitCode: 2, duration: 5m } }';

/** Everything observable about a run's state, for exact comparison. */
function snapshot(sim: Simulation) {
  return JSON.stringify({
    json: renderJson(sim),
    records: sim.records.map((r) => [r.path, r.status, r.exitCode, r.reason, r.start, r.end]),
    log: sim.log.slice().map((e) => [e.time, e.severity, e.component, e.message]),
    state: sim.state,
    cursor: sim.currentNode?.name,
  });
}

describe('determinism', () => {
  it('gives the same run for the same inputs, to the log line and the clock', () => {
    const a = simulate(DEPLOY, MACHINE);
    const b = simulate(DEPLOY, MACHINE);
    assert.equal(snapshot(a), snapshot(b));
    assert.equal(a.ended, 'succeeded');
  });

  it('does not depend on keeping history', () => {
    assert.equal(snapshot(simulate(DEPLOY, MACHINE, { history: true })), snapshot(simulate(DEPLOY, MACHINE)));
  });

  it('starts the clock where it is told to', () => {
    const sim = simulate(DEPLOY, MACHINE, { startTime: '2030-05-01T06:30:00Z' });
    assert.equal(sim.records[0].start, Date.parse('2030-05-01T06:30:00Z'));
  });
});

describe('stepping back', () => {
  it('undoes every visit exactly, all the way to the start', () => {
    const sim = start(DEPLOY, MACHINE, { history: true });
    const seen = [snapshot(sim)];
    while (sim.tick()) seen.push(snapshot(sim));
    assert.equal(sim.ended, 'succeeded');
    for (let i = seen.length - 2; i >= 0; i--) {
      assert.ok(sim.back());
      assert.equal(snapshot(sim), seen[i], `after going back to visit ${i}`);
    }
    assert.equal(sim.back(), false, 'nothing before the start');
  });

  it('keeps a variable the debugger set at the position where it was set, and undoes it further back', () => {
    const sim = start(DEPLOY, MACHINE, { history: true });
    sim.tick();
    sim.setVariable('Ring', 'broad');
    sim.tick();
    sim.back();
    assert.equal(sim.vars.get('Ring'), 'broad');
    sim.back();
    assert.equal(sim.vars.get('Ring'), 'pilot');
  });

  it('runs forward again to the same end after going back', () => {
    const sim = start(fixture('continue-on-error-table.tsq.yaml'), fixture('step2-fails.tsq.yaml'), { history: true });
    sim.run();
    const end = snapshot(sim);
    for (let i = 0; i < 5; i++) sim.back();
    sim.run();
    assert.equal(snapshot(sim), end);
  });
});

describe('moving the next step (Set Current)', () => {
  it('continues from the chosen node, entering its groups without deciding their conditions', () => {
    const { ws, main } = workspaceOf({ main: DEPLOY });
    const sim = new Simulation(ws, main, machineModel('startsIn: fullos'), { history: true });
    const flaky =
      (main.model as SequenceModel).steps[1].kind === 'group'
        ? ((main.model as SequenceModel).steps[1] as { steps: SequenceModel['steps'] }).steps[2]
        : undefined;
    assert.ok(flaky);
    assert.ok(sim.jumpTo(main.id, flaky));
    assert.equal(sim.currentNode?.name, 'Flaky');
    assert.deepEqual(
      sim.frames().map((f) => f.container?.name ?? '(top)'),
      ['Configure', '(top)'],
    );
    sim.run();
    assert.deepEqual(
      sim.records.map((r) => `${r.path}: ${r.status}`),
      ['Configure: succeeded', 'Configure/Flaky: succeeded', 'Configure/Not reached: succeeded', 'End: succeeded'],
    );
    sim.back();
    sim.back();
    sim.back();
    assert.ok(sim.back(), 'the jump itself can be undone');
    assert.equal(sim.currentNode?.name, 'PE');
  });

  it('can reach a node of a child sequence through the step that runs it', () => {
    const { ws, main } = workspaceOf({
      main: 'sequence: P\nsteps:\n  - { name: A, run: cmd /c a }\n  - { name: Child, action: RunTaskSequence, with: { sequence: ./c.tsq.yaml } }\n',
      'c.tsq.yaml': 'sequence: C\nsteps:\n  - { name: C1, run: cmd /c 1 }\n  - { name: C2, run: cmd /c 2 }\n',
    });
    const sim = new Simulation(ws, main, undefined, {});
    const child = ws.get('/t/c.tsq.yaml')!;
    assert.ok(sim.jumpTo(child.id, (child.model as SequenceModel).steps[1]));
    sim.run();
    assert.deepEqual(
      sim.records.map((r) => `${r.path}: ${r.status}`),
      ['Child: succeeded', 'Child/C2: succeeded'],
    );
  });
});
