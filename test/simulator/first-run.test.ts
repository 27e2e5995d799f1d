// The first run of a freshly parsed file compiles it (program.ts): the scan of its references
// before the first step compiles every list of nodes it walks, steps are compiled by the layout
// of their options (shared per action), and lists the scan never walks — a child sequence named
// through a variable, frames the debugger builds — are compiled when the run first enters them.
// None of that may show: a first run, a later run of the same parsed file and a run that steps
// back over freshly compiled frames must all be the same run.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { workspaceOf, machineModel } from './helpers';
import { Simulation } from '../../server/src/simulator/engine';
import { renderJson } from '../../server/src/simulator/report';
import { sequenceFacts } from '../../server/src/simulator/scan';
import { contentKey } from '../../server/src/simulator/content';
import { siteReferences, isDynamic } from '../../server/src/semantics/references';
import { parseDocument } from '../../server/src/model/document';
import type { SeqNode, SequenceModel } from '../../server/src/model/sequence';
import { frameProgram } from '../../server/src/simulator/program';
import { generateSequence } from '../../bench/generate';

/** Everything observable about a run, for exact comparison. */
function snapshot(sim: Simulation): string {
  return JSON.stringify({
    json: renderJson(sim),
    records: sim.records.map((r) => [r.path, r.status, r.exitCode, r.reason, r.start, r.end]),
    log: sim.log.slice().map((e) => [e.time, e.severity, e.component, e.message]),
    state: sim.state,
  });
}

const PARENT = `sequence: Parent
bootImage: CM100005
variables: { ChildName: child }
steps:
  - group: In Windows PE
    when: _SMSTSInWinPE == "true"
    steps:
      - { name: Partition, action: FormatAndPartitionDisk, with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] } }
      - { name: Apply, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 3 } }
      - { name: Setup, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 } }
  - group: After the restart
    when: _SMSTSInWinPE == "false" and exists(ChildName)
    steps:
      - { name: Mark, action: SetTaskSequenceVariable, with: { variable: Marked, value: "in %_SMSTSInWinPE% after %_SMSTSLastActionName%" } }
      - group: Nested
        steps:
          - { name: Child by variable, action: RunTaskSequence, with: { sequence: "./%ChildName%.tsq.yaml" } }
          - { name: Read, run: "cmd /c echo %FromChild% %Marked%", successCodes: [0] }
  - { name: End, run: cmd /c end }
`;

const CHILD = `sequence: Child
steps:
  - group: Child group
    when: Marked like "in false%"
    steps:
      - { name: Child sets, action: SetTaskSequenceVariable, with: { variable: FromChild, value: "child saw %Marked%" } }
      - { name: Child skipped, run: cmd /c never, when: notExists(Marked) }
`;

function parentRun(history = false): {
  ws: ReturnType<typeof workspaceOf>['ws'];
  main: ReturnType<typeof workspaceOf>['main'];
  sim: Simulation;
} {
  const { ws, main } = workspaceOf({ main: PARENT, 'child.tsq.yaml': CHILD });
  return { ws, main, sim: new Simulation(ws, main, machineModel('disk: raw'), { history }) };
}

describe('the first run of a freshly parsed file', () => {
  it('runs a group first entered after a restart, and a child sequence named through a variable, as later runs do', () => {
    const { ws, main, sim } = parentRun();
    sim.run();
    assert.equal(sim.ended, 'succeeded');
    assert.equal(sim.vars.get('Marked'), 'in false after Setup');
    assert.equal(sim.vars.get('FromChild'), 'child saw in false after Setup');
    const statuses = sim.records.map((r) => `${r.path}: ${r.status}`);
    assert.ok(
      statuses.includes('After the restart/Nested/Child by variable/Child group/Child sets: succeeded'),
      statuses.join('\n'),
    );
    assert.ok(
      statuses.includes('After the restart/Nested/Child by variable/Child group/Child skipped: skipped'),
      statuses.join('\n'),
    );
    const again = new Simulation(ws, main, machineModel('disk: raw'), {});
    again.run();
    assert.equal(snapshot(again), snapshot(sim));
  });

  it('gives the same run with the history for stepping back, and undoes it exactly across frames compiled on the way', () => {
    const plain = parentRun().sim;
    plain.run();
    const { sim } = parentRun(true);
    const forward: string[] = [snapshot(sim)];
    while (sim.tick()) forward.push(snapshot(sim));
    assert.equal(snapshot(sim), snapshot(plain));
    // Back over every visit, the child sequence's frames (compiled when the run entered them) included.
    for (let i = forward.length - 2; i >= 0; i--) {
      assert.ok(sim.back());
      assert.equal(snapshot(sim), forward[i], `after stepping back to visit ${i}`);
    }
    assert.equal(sim.back(), false);
    sim.run();
    assert.equal(snapshot(sim), snapshot(plain));
  });
});

/** Compiles every list of nodes of `nodes` before any run, as the scan before the first step once did. */
function compileAhead(nodes: readonly SeqNode[], program = frameProgram(nodes)): void {
  nodes.forEach((n, i) => {
    if (n.kind === 'group') compileAhead(n.steps, program.group(i));
  });
}

describe('a file compiled as the run enters each group', () => {
  it('runs as one compiled ahead, groups skipped, disabled and entered after a restart included', () => {
    const machine = () => machineModel('disk: raw');
    const texts = [PARENT, generateSequence(2_000)];
    for (const text of texts) {
      const files = { main: text, 'child.tsq.yaml': CHILD };
      const ahead = workspaceOf(files);
      compileAhead((ahead.main.model as SequenceModel).steps);
      compileAhead((ahead.ws.get('/t/child.tsq.yaml')?.model as SequenceModel | undefined)?.steps ?? []);
      const compiled = new Simulation(ahead.ws, ahead.main, machine(), {});
      compiled.run();
      const fresh = workspaceOf(files);
      const lazy = new Simulation(fresh.ws, fresh.main, machine(), {});
      lazy.run();
      assert.ok(lazy.state.visits > 5);
      assert.equal(snapshot(lazy), snapshot(compiled));
    }
  });
});

describe('steps of one action with different options', () => {
  it('each get their own variables and success codes, whatever the step before them gave', () => {
    const { ws, main } = workspaceOf({
      main: `sequence: Layouts
variables: { Who: admin }
steps:
  - { name: Plain, run: cmd /c plain }
  - { name: With codes, run: "cmd /c as %Who%", with: { successCodes: [0, 5] } }
  - { name: Plain again, run: cmd /c again, continueOnError: true, with: { workingDirectory: "C:\\\\Work" } }
  - { name: Codes again, run: cmd /c codes, with: { successCodes: [0, 5] } }
`,
    });
    const sim = new Simulation(
      ws,
      main,
      machineModel(
        'outcomes: { With codes: { exitCode: 5 }, Plain again: { exitCode: 5 }, Codes again: { exitCode: 5 } }',
      ),
      {},
    );
    const seen: Record<string, [string | undefined, string | undefined, string | undefined]> = {};
    for (let t = sim.tick(); t; t = sim.tick()) {
      if (t.record)
        seen[t.record.node.name] = [
          sim.vars.get('CommandLine'),
          sim.vars.get('SuccessCodes'),
          sim.vars.get('WorkingDirectory'),
        ];
    }
    // Run Command Line's own default success codes are 0 and 3010; a step that gives its own writes those instead.
    assert.deepEqual(seen['Plain'], ['cmd /c plain', '0 3010', undefined]);
    assert.deepEqual(seen['With codes'], ['cmd /c as admin', '0 5', undefined]);
    assert.deepEqual(seen['Plain again'], ['cmd /c again', '0 3010', 'C:\\Work']);
    assert.deepEqual(seen['Codes again'], ['cmd /c codes', '0 5', 'C:\\Work']);
    const status = Object.fromEntries(sim.records.map((r) => [r.node.name, r.status]));
    assert.deepEqual(status, {
      Plain: 'succeeded',
      'With codes': 'succeeded',
      'Plain again': 'failed-continued',
      'Codes again': 'succeeded',
    });
  });

  it('keep their defaults apart over many layouts of one action, met again after others', () => {
    // Layouts of Run Command Line: sixteen, then the same options in the other order — the ones of
    // fewer than two options are then met again after more layouts than are compared name by name.
    const layout = (k: number) => {
      const given: string[] = [];
      if (k & 1) given.push('successCodes: [0, 5]');
      if (k & 2) given.push('disableWow64Redirection: true');
      if (k & 4) given.push('workingDirectory: C:\\\\W');
      if (k & 8) given.push('outputVariable: Out');
      return (k & 16 ? given.reverse() : given).join(', ');
    };
    const ks = [...Array(16).keys(), ...[...Array(16).keys()].map((k) => 15 - k + 16)];
    const steps = ks.map((k, n) => `  - { name: S${n}, run: cmd /c ${n}, with: { ${layout(k)} } }`).join('\n');
    const { ws, main } = workspaceOf({ main: `sequence: Many\nsteps:\n${steps}\n` });
    const sim = new Simulation(ws, main, undefined, {});
    for (let t = sim.tick(), n = 0; t; t = sim.tick(), n++) {
      const k = ks[n];
      assert.equal(sim.vars.get('CommandLine'), `cmd /c ${n}`);
      assert.equal(sim.vars.get('SuccessCodes'), k & 1 ? '0 5' : '0 3010', `S${n}`);
      assert.equal(sim.vars.get('SMSTSDisableWow64Redirection'), k & 2 ? 'true' : 'false', `S${n}`);
    }
    assert.equal(sim.ended, 'succeeded');
  });
});

describe('the references a run checks before its first step', () => {
  /** What the simulator checked before it read references itself: the analysis's list, less `%Name%` IDs, once each. */
  function analysisReferences(model: SequenceModel) {
    const seen = new Set<string>();
    const out: { kind: string; id: string }[] = [];
    for (const r of siteReferences(model)) {
      if (isDynamic(r.id) || seen.has(contentKey(r.kind, r.id))) continue;
      seen.add(contentKey(r.kind, r.id));
      out.push({ kind: r.kind, id: r.id });
    }
    return out;
  }

  it('are the analysis’s references, in the same order, on files with lists, repeats in other case, variables and disabled steps', () => {
    const texts = [
      generateSequence(400),
      `sequence: Mixed
bootImage: " CM100005 "
steps:
  - { name: Apps, action: InstallApplication, with: { applications: [App A, " App B ", "", App A, "%AppVar%"] } }
  - { name: Same package other case, action: InstallPackage, with: { package: cm100077, program: Install } }
  - { name: Package, action: InstallPackage, with: { package: CM100077, program: Install } }
  - group: Off
    disabled: true
    steps:
      - { name: Image, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 3 } }
      - { name: Dynamic, action: InstallPackage, with: { package: "%Pkg%", program: Install } }
      - { name: Percent, action: InstallPackage, with: { package: "50%", program: Install } }
  - { name: Drivers, action: ApplyDriverPackage, with: { driverPackage: 12345 } }
  - { name: Unknown, action: NotAnAction, with: { package: CM1 } }
  - { name: Child, action: RunTaskSequence, with: { sequence: ./child.tsq.yaml } }
`,
    ];
    for (const text of texts) {
      const model = parseDocument('/t/refs.tsq.yaml', text).model as SequenceModel;
      const facts = sequenceFacts(model);
      assert.deepEqual(facts.references, analysisReferences(model));
    }
    const mixed = sequenceFacts(parseDocument('/t/refs.tsq.yaml', texts[1]).model as SequenceModel);
    assert.equal(mixed.deploysOs, true);
    assert.equal(mixed.runsChildren, true);
  });
});
