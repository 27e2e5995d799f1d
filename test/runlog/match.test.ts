// ConfigMgr's numbering of a sequence and the match of a log to the YAML. The engine compiles the
// sequence into one table of instructions that smsts.log numbers ("Start executing an instruction.
// … Pointer: N"): groups and steps in document order, a group before its nodes, and a child
// sequence inside its Run Task Sequence step, because "the parent and child task sequences are
// effectively combined into a single policy that the client runs"
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence).
// The status messages the engine sends carry the same number as "Step number in the task sequence"
// (https://learn.microsoft.com/mem/configmgr/develop/reference/osd/sms_tasksequenceexecutionstatus-server-wmi-class).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { numberSequence } from '../../server/src/runlog/numbering';
import { RUN_COMMAND_LINE, logOf, readOk, sampleInputs, sampleSequence, startLine } from './helpers';

function workspace(files: Record<string, string>): { ws: Workspace; main: ReturnType<typeof parseDocument> } {
  const ws = new Workspace();
  for (const [name, text] of Object.entries(files)) ws.upsert(parseDocument(`/t/${name}`, text));
  return { ws, main: ws.get('/t/main.tsq.yaml')! };
}

const MAIN = `sequence: Main
steps:
  - group: Install Windows
    steps:
      - group: Initialize
        steps:
          - { name: Format Unformatted Disk, run: cmd /c format }
      - { name: Old step, run: cmd /c old, disabled: true }
  - name: Apps
    action: RunTaskSequence
    with: { sequence: ./child.tsq.yaml }
  - { name: Last, run: cmd /c last }
`;
const CHILD = `sequence: Child
steps:
  - group: Standard
    steps:
      - { name: Office, run: setup.exe }
  - { name: Tools, run: tools.exe }
`;

describe('the shared step numbering', () => {
  it('numbers groups and steps in document order, a group before its nodes, disabled ones too, the child inside its Run Task Sequence step', () => {
    const { ws, main } = workspace({ 'main.tsq.yaml': MAIN, 'child.tsq.yaml': CHILD });
    const table = numberSequence(ws, main);
    assert.deepEqual(
      table.map((e) => [e.pointer, e.path]),
      [
        [0, 'Install Windows'],
        [1, 'Install Windows/Initialize'],
        [2, 'Install Windows/Initialize/Format Unformatted Disk'],
        [3, 'Install Windows/Old step'],
        [4, 'Apps'],
        [5, 'Apps/Standard'],
        [6, 'Apps/Standard/Office'],
        [7, 'Apps/Tools'],
        [8, 'Last'],
      ],
    );
    assert.equal(table[4].container, true);
    assert.equal(table[6].docId, '/t/child.tsq.yaml', 'a child node keeps the file it is written in');
    assert.equal(table[2].type, RUN_COMMAND_LINE);
    assert.equal(table[0].type, '');
  });

  it('offers the variant with an end slot after each group', () => {
    const { ws, main } = workspace({ 'main.tsq.yaml': MAIN, 'child.tsq.yaml': CHILD });
    const table = numberSequence(ws, main, { groupEndSlots: true });
    assert.deepEqual(
      table.map((e) => e.pointer),
      [0, 1, 2, 4, 6, 7, 8, 10, 11],
    );
  });

  it('knows no number after a child sequence it cannot read', () => {
    const { ws, main } = workspace({ 'main.tsq.yaml': MAIN });
    const table = numberSequence(ws, main);
    assert.equal(table[4].childUnresolved, true);
    assert.equal(table[4].pointer, 4);
    assert.equal(table[5].path, 'Last');
    assert.equal(table[5].pointer, undefined);
  });

  it('stops at a child sequence that runs itself', () => {
    const { ws, main } = workspace({
      'main.tsq.yaml':
        'sequence: Loop\nsteps:\n  - { name: Again, action: RunTaskSequence, with: { sequence: ./main.tsq.yaml } }\n',
    });
    assert.deepEqual(
      numberSequence(ws, main).map((e) => e.path),
      ['Again'],
    );
  });
});

describe('matching the log to the sequence', () => {
  const run = (names: [string, number, string][]) =>
    logOf([
      ...names.flatMap(([name, pointer, type]) => [
        startLine(name, pointer, type),
        ...(type === ''
          ? [`The group (${name}) has been successfully started`]
          : [`Successfully completed the action (${name}) with the exit win32 code 0`]),
      ]),
      ['Process completed with exit code 0', { component: 'TSMBootstrap' }],
    ]);

  it('is exact when pointer, name and class agree', () => {
    const log = readOk(sampleInputs('02-nested-failure'), sampleSequence('02-nested-failure'));
    assert.ok(log.run.executions.every((e) => e.confidence === 'exact'));
    assert.equal(log.match!.unmatched, 0);
  });

  it('falls back to name and order when a step was added to the file since the run (confidence high)', () => {
    const { ws, main } = workspace({
      'main.tsq.yaml':
        'sequence: Main\nsteps:\n  - { name: New first step, run: cmd /c new }\n  - group: G\n    steps:\n      - { name: A, run: cmd /c a }\n      - { name: B, run: cmd /c b }\n',
    });
    const log = readOk(
      [
        run([
          ['G', 0, ''],
          ['A', 1, RUN_COMMAND_LINE],
          ['B', 2, RUN_COMMAND_LINE],
        ]),
      ],
      { ws, doc: main },
    );
    assert.deepEqual(
      log.run.executions.map((e) => [e.path, e.confidence]),
      [
        ['G', 'high'],
        ['G/A', 'high'],
        ['G/B', 'high'],
      ],
    );
    assert.deepEqual(
      log.match!.unreached.map((n) => n.path),
      ['New first step'],
      'the log starts with the run, so the new step was not reached',
    );
  });

  it('matches by name only when the order disagrees (confidence low), and leaves unknown names unmatched', () => {
    const { ws, main } = workspace({
      'main.tsq.yaml': 'sequence: Main\nsteps:\n  - { name: B, run: cmd /c b }\n  - { name: A, run: cmd /c a }\n',
    });
    const log = readOk(
      [
        run([
          ['A', 0, RUN_COMMAND_LINE],
          ['B', 1, RUN_COMMAND_LINE],
          ['Gone', 2, RUN_COMMAND_LINE],
        ]),
      ],
      { ws, doc: main },
    );
    assert.deepEqual(
      log.run.executions.map((e) => [e.name, e.confidence]),
      [
        ['A', 'high'],
        ['B', 'low'],
        ['Gone', undefined],
      ],
    );
    assert.equal(log.match!.unmatched, 1);
    assert.ok(log.notes.some((n) => /match(es)? no step of the sequence/.test(n)));
  });

  it("keeps the numbering with end slots when the log's pointers agree with it", () => {
    const { ws, main } = workspace({
      'main.tsq.yaml':
        'sequence: Main\nsteps:\n  - group: G\n    steps:\n      - { name: A, run: cmd /c a }\n  - { name: B, run: cmd /c b }\n',
    });
    const log = readOk(
      [
        run([
          ['G', 0, ''],
          ['A', 1, RUN_COMMAND_LINE],
          ['B', 3, RUN_COMMAND_LINE],
        ]),
      ],
      { ws, doc: main },
    );
    assert.equal(log.match!.groupEndSlots, true);
    assert.deepEqual(
      log.run.executions.map((e) => [e.path, e.confidence]),
      [
        ['G', 'exact'],
        ['G/A', 'exact'],
        ['B', 'exact'],
      ],
    );
  });

  it('lists the steps never reached, but not the nodes of a group that was skipped', () => {
    const { ws, main } = workspace({
      'main.tsq.yaml':
        'sequence: Main\nsteps:\n  - group: Skipped\n    when: X == "1"\n    steps:\n      - { name: In skipped, run: cmd /c a }\n  - { name: Fails, run: cmd /c b }\n  - { name: After, run: cmd /c c }\n',
    });
    const log = readOk(
      [
        logOf([
          startLine('Skipped', 0, ''),
          startLine('Fails', 2, RUN_COMMAND_LINE),
          'Failed to run the action: Fails.\nIncorrect function. (Error: 00000001; Source: Windows)',
          'Failed to run the last action: Fails. Execution of task sequence failed.\nIncorrect function. (Error: 00000001; Source: Windows)',
        ]),
      ],
      { ws, doc: main },
    );
    assert.deepEqual(
      log.run.executions.map((e) => [e.path, e.status]),
      [
        ['Skipped', 'skipped'],
        ['Fails', 'failed'],
      ],
    );
    assert.deepEqual(
      log.match!.unreached.map((n) => n.path),
      ['After'],
    );
    assert.equal(log.run.result, 'failed');
  });

  it("matches the child sequence's steps in their own file (sample 04)", () => {
    const log = readOk(sampleInputs('04-child-failure'), sampleSequence('04-child-failure'));
    const lob = log.run.executions.find((e) => e.name === 'Line-of-business app')!;
    const node = log.match!.table[lob.entry!];
    assert.match(node.docId, /child\.tsq\.yaml$/);
    assert.equal(node.pointer, 6);
  });
});
