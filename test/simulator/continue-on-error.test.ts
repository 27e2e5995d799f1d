// Continue on error through nested groups and child sequences: the table of Microsoft's "Plan for
// automating tasks" page as a literal test (its three bullets), plus the failure rules around it:
// https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSGroups

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, simulate, start, runPast, statusOf, recordOf } from './helpers';

const TABLE = fixture('continue-on-error-table.tsq.yaml');
const G1 = 'Task sequence group 1';
const G2 = 'Task sequence group 2';
const step = (n: number) => `${n <= 3 ? G1 : G2}/Task sequence step ${n}`;

describe("Microsoft's continue-on-error example", () => {
  it('step 1 fails: the task sequence continues with step 2', () => {
    const sim = simulate(TABLE, fixture('step1-fails.tsq.yaml'));
    assert.equal(statusOf(sim, step(1)), 'failed-continued');
    assert.equal(statusOf(sim, step(2)), 'succeeded');
    assert.equal(
      sim.records.findIndex((r) => r.path === step(2)),
      sim.records.findIndex((r) => r.path === step(1)) + 1,
      'step 2 is the very next node',
    );
    assert.equal(statusOf(sim, step(3)), 'succeeded');
    assert.equal(statusOf(sim, G1), 'succeeded');
    assert.equal(sim.ended, 'succeeded');
  });

  it('step 2 fails: step 3 does not run, group 1 absorbs the failure, and step 4 runs next', () => {
    const sim = simulate(TABLE, fixture('step2-fails.tsq.yaml'));
    assert.equal(statusOf(sim, step(2)), 'failed');
    assert.equal(statusOf(sim, step(3)), 'not reached');
    assert.equal(statusOf(sim, G1), 'failed-continued');
    const order = sim.records.map((r) => r.path);
    assert.deepEqual(order.slice(order.indexOf(step(2)) + 1, order.indexOf(step(2)) + 3), [G2, step(4)]);
    assert.equal(statusOf(sim, step(4)), 'succeeded');
    assert.equal(sim.ended, 'succeeded');
  });

  it('step 4 fails: no more steps run and the task sequence fails, since group 2 has no continue on error', () => {
    const sim = simulate(TABLE, fixture('step4-fails.tsq.yaml'));
    assert.equal(statusOf(sim, step(4)), 'failed');
    assert.equal(statusOf(sim, step(5)), 'not reached');
    assert.equal(statusOf(sim, step(6)), 'not reached');
    assert.equal(statusOf(sim, G2), 'failed');
    assert.equal(sim.ended, 'failed');
    assert.equal(sim.failure?.record?.path, step(4));
    assert.equal(sim.failure?.fatal, false);
  });
});

describe('failures climbing out of nested groups', () => {
  const nested = `sequence: Nested
steps:
  - group: Outer
    continueOnError: true
    steps:
      - group: Middle
        steps:
          - group: Inner
            steps:
              - { name: Breaks, id: breaks, run: cmd /c x }
              - { name: After breaks, run: cmd /c x }
          - { name: After inner, run: cmd /c x }
      - { name: After middle, run: cmd /c x }
  - { name: After outer, run: cmd /c x }
`;

  it('skips the rest of every group the failure passes through and resumes after the first group that continues on error', () => {
    const sim = simulate(nested, 'outcomes: { breaks: { exitCode: 5 } }');
    assert.equal(statusOf(sim, 'Outer/Middle/Inner/After breaks'), 'not reached');
    assert.equal(statusOf(sim, 'Outer/Middle/After inner'), 'not reached');
    assert.equal(statusOf(sim, 'Outer/After middle'), 'not reached');
    assert.equal(statusOf(sim, 'Outer/Middle/Inner'), 'failed');
    assert.equal(statusOf(sim, 'Outer/Middle'), 'failed');
    assert.equal(statusOf(sim, 'Outer'), 'failed-continued');
    assert.equal(statusOf(sim, 'After outer'), 'succeeded');
    assert.equal(sim.ended, 'succeeded');
  });

  it('records the failed step in the last-action variables even when its failure is absorbed', () => {
    const sim = start(nested, 'outcomes: { breaks: { exitCode: 5 } }');
    runPast(sim, 'Breaks');
    assert.equal(sim.vars.get('_SMSTSLastActionName'), 'Breaks');
    assert.equal(sim.vars.get('_SMSTSLastActionRetCode'), '5');
    assert.equal(sim.vars.get('_SMSTSLastActionSucceeded'), 'false');
    assert.equal(sim.currentNode?.name, 'After outer', 'the run resumes after the group that continues on error');
    assert.match(
      recordOf(sim, 'Outer/Middle/Inner/Breaks').reason ?? '',
      /exit code 5 is not a success code \(0, 3010\)/,
    );
  });

  it('sets the last-action variables to the failure when a step with continue on error fails', () => {
    const sim = simulate(
      `sequence: S
steps:
  - { name: Fails, run: cmd /c x, continueOnError: true }
  - { name: Looks, run: cmd /c echo %_SMSTSLastActionRetCode% %_SMSTSLastActionSucceeded%, id: looks }
`,
      'outcomes: { Fails: { exitCode: 7 } }',
    );
    assert.match(
      sim.log
        .slice()
        .map((e) => e.message)
        .join('\n'),
      /cmd \/c echo 7 false/,
    );
  });
});

describe('child sequences and continue on error', () => {
  const files = {
    main: `sequence: Parent
steps:
  - name: Run child
    action: RunTaskSequence
    continueOnError: true
    with: { sequence: ./child.tsq.yaml }
  - { name: After child, run: cmd /c x }
`,
    'child.tsq.yaml': `sequence: Child
steps:
  - group: Work
    steps:
      - { name: Child step, id: child-step, run: cmd /c x }
      - { name: Child step 2, run: cmd /c x }
`,
  };

  it('runs the child inline, with its nodes under the Run Task Sequence step', () => {
    const sim = simulate(files, '');
    assert.deepEqual(
      sim.records.map((r) => `${r.path}: ${r.status}`),
      [
        'Run child: succeeded',
        'Run child/Work: succeeded',
        'Run child/Work/Child step: succeeded',
        'Run child/Work/Child step 2: succeeded',
        'After child: succeeded',
      ],
    );
  });

  it('a failure in the child fails the Run Task Sequence step, whose continue on error lets the parent go on', () => {
    const sim = simulate(files, 'outcomes: { child-step: { exitCode: 2 } }');
    assert.equal(statusOf(sim, 'Run child/Work'), 'failed');
    assert.equal(statusOf(sim, 'Run child'), 'failed-continued');
    assert.equal(statusOf(sim, 'After child'), 'succeeded');
    assert.equal(sim.ended, 'succeeded');
  });

  it('a disabled child task sequence fails the run even with continue on error', () => {
    const disabled = { ...files, 'child.tsq.yaml': files['child.tsq.yaml'] + 'configMgr: { TsEnabled: false }\n' };
    const sim = simulate(disabled, '');
    assert.equal(statusOf(sim, 'Run child'), 'failed');
    assert.equal(statusOf(sim, 'After child'), 'not reached');
    assert.equal(sim.ended, 'failed');
    assert.equal(sim.failure?.fatal, true);
  });

  it('a child with a boot image of its own fails its Run Task Sequence step', () => {
    const withBoot = {
      ...files,
      'child.tsq.yaml': files['child.tsq.yaml'].replace('sequence: Child\n', 'sequence: Child\nbootImage: CM100005\n'),
    };
    const sim = simulate(withBoot, '');
    assert.equal(statusOf(sim, 'Run child'), 'failed-continued');
    assert.match(recordOf(sim, 'Run child').reason ?? '', /boot image of its own/);
    assert.equal(statusOf(sim, 'Run child/Work'), 'not reached');
  });

  it('shares one variable environment between parent and child', () => {
    const sim = simulate({
      main: `sequence: Parent
variables: { Ring: pilot }
steps:
  - { name: Run child, action: RunTaskSequence, with: { sequence: ./child.tsq.yaml } }
  - { name: Parent reads, run: cmd /c echo %FromChild% }
`,
      'child.tsq.yaml': `sequence: Child
steps:
  - { name: Child sets, action: SetTaskSequenceVariable, with: { variable: FromChild, value: "child saw %Ring%" } }
`,
    });
    assert.equal(sim.vars.get('FromChild'), 'child saw pilot');
    assert.match(
      sim.log
        .slice()
        .map((e) => e.message)
        .join('\n'),
      /cmd \/c echo child saw pilot/,
    );
  });
});
