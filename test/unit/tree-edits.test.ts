// The Task Sequence view's edits as text changes: each gives the tree the admin asked for when the
// file is read again, and leaves every other line (comments included) as it was.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import type { SeqNode, SequenceModel } from '../../server/src/model/sequence';
import { findStep } from '../../server/src/catalog';
import {
  addGroup,
  addStep,
  deleteNode,
  moveBy,
  moveNode,
  nodeAt,
  rename,
  setCondition,
  setDisabled,
  type TextChange,
  type TreeEdit,
} from '../../server/src/model/tree-edits';

const SEQUENCE = `# Contoso deployment
sequence: Deploy
steps:
  - group: Prepare # the disk first
    steps:
      - name: Partition
        action: FormatAndPartitionDisk
        with: { disk: 0 }
      - name: Log it
        run: cmd /c echo partitioned
  # installs
  - name: Apply OS
    action: ApplyOperatingSystemImage
    with:
      image: CM100042
      index: 3
  - { name: Flow step, run: cmd /c echo flow }
`;

function modelOf(text: string): SequenceModel {
  return parseDocument('file:///t.tsq.yaml', text).model as SequenceModel;
}

function apply(text: string, edit: TreeEdit): string {
  assert.ok(edit.ok, edit.ok ? '' : edit.message);
  const changes = [...(edit as { changes: TextChange[] }).changes].sort((a, b) => b.start - a.start);
  for (const c of changes) text = text.slice(0, c.start) + c.text + text.slice(c.end);
  return text;
}

/** The tree as names, nested like the view shows it. */
function outline(nodes: SeqNode[]): unknown[] {
  return nodes.map((n) => (n.kind === 'group' ? { [n.name]: outline(n.steps) } : n.name));
}

function node(text: string, ...path: number[]): SeqNode {
  const n = nodeAt(modelOf(text), path);
  assert.ok(n, `a node at ${path.join('.')}`);
  return n;
}

describe('tree edits', () => {
  test('a step moves down and up among its siblings; comments stay', () => {
    const down = apply(SEQUENCE, moveBy(SEQUENCE, modelOf(SEQUENCE), node(SEQUENCE, 0, 0), 1));
    assert.deepEqual(outline(modelOf(down).steps), [{ Prepare: ['Log it', 'Partition'] }, 'Apply OS', 'Flow step']);
    assert.ok(
      down.includes('# Contoso deployment') && down.includes('# the disk first') && down.includes('  # installs'),
    );
    const back = apply(down, moveBy(down, modelOf(down), node(down, 0, 1), -1));
    assert.equal(back, SEQUENCE);
  });

  test('a step moves into a group at another depth, re-indented, and its path says where it landed', () => {
    const model = modelOf(SEQUENCE);
    const edit = moveNode(SEQUENCE, model, node(SEQUENCE, 1), { parent: [0], index: 1 });
    assert.ok(edit.ok);
    assert.deepEqual(edit.path, [0, 1]);
    const moved = apply(SEQUENCE, edit);
    assert.deepEqual(outline(modelOf(moved).steps), [{ Prepare: ['Partition', 'Apply OS', 'Log it'] }, 'Flow step']);
    assert.match(
      moved,
      /\n {6}- name: Apply OS\n {8}action: ApplyOperatingSystemImage\n {8}with:\n {10}image: CM100042\n/,
    );
    assert.equal(parseDocument('file:///t.tsq.yaml', moved).yaml.errors.length, 0);
  });

  test('a step moves out of a group to the end of the sequence; a later place counts after it left', () => {
    const model = modelOf(SEQUENCE);
    const edit = moveNode(SEQUENCE, model, node(SEQUENCE, 0, 0), { parent: [], index: 2 });
    assert.ok(edit.ok);
    assert.deepEqual(edit.path, [2]);
    assert.deepEqual(outline(modelOf(apply(SEQUENCE, edit)).steps), [
      { Prepare: ['Log it'] },
      'Apply OS',
      'Partition',
      'Flow step',
    ]);
  });

  test('moving the last step out of a group leaves `steps: []`, and a group cannot go inside itself', () => {
    const one = apply(SEQUENCE, deleteNode(SEQUENCE, node(SEQUENCE, 0, 1)));
    const edit = moveNode(one, modelOf(one), node(one, 0, 0), { parent: [], index: 0 });
    const out = apply(one, edit);
    assert.deepEqual(outline(modelOf(out).steps), ['Partition', { Prepare: [] }, 'Apply OS', 'Flow step']);
    assert.match(out, /- group: Prepare # the disk first\n {4}steps: \[\]\n/);
    const inside = moveNode(SEQUENCE, modelOf(SEQUENCE), node(SEQUENCE, 0), { parent: [0], index: 0 });
    assert.equal(inside.ok, false);
  });

  test('a new step fills the required options of its action; a new group can take steps at once', () => {
    const withStep = apply(
      SEQUENCE,
      addStep(SEQUENCE, modelOf(SEQUENCE), { parent: [0], index: 2 }, findStep('SetTaskSequenceVariable')!),
    );
    assert.match(
      withStep,
      /\n {6}- name: Set Task Sequence Variable\n {8}action: SetTaskSequenceVariable\n {8}with:\n {10}variable: ""\n {10}value: ""\n/,
    );
    const withGroup = apply(
      withStep,
      addGroup(withStep, modelOf(withStep), { parent: [], index: 1 }, 'Drivers: per model'),
    );
    assert.deepEqual(outline(modelOf(withGroup).steps), [
      { Prepare: ['Partition', 'Log it', 'Set Task Sequence Variable'] },
      { 'Drivers: per model': [] },
      'Apply OS',
      'Flow step',
    ]);
    const filled = apply(
      withGroup,
      addStep(withGroup, modelOf(withGroup), { parent: [1], index: 0 }, findStep('RestartComputer')!, 'Restart'),
    );
    assert.deepEqual(outline(modelOf(filled).steps)[1], { 'Drivers: per model': ['Restart'] });
    assert.match(
      filled,
      /- group: "Drivers: per model"\n {4}steps:\n {6}- name: Restart\n {8}action: RestartComputer\n/,
    );
  });

  test('a new step in a sequence whose last line has no line break', () => {
    const text = 'sequence: S\nsteps:\n  - name: A\n    run: x';
    const out = apply(text, addStep(text, modelOf(text), { parent: [], index: 1 }, findStep('RestartComputer')!));
    assert.deepEqual(outline(modelOf(out).steps), ['A', 'Restart Computer']);
  });

  test('CRLF files get CRLF lines', () => {
    const text = SEQUENCE.replace(/\n/g, '\r\n');
    const out = apply(text, addGroup(text, modelOf(text), { parent: [], index: 3 }, 'Last'));
    assert.ok(!/[^\r]\n/.test(out));
    assert.deepEqual(outline(modelOf(out).steps).at(-1), { Last: [] });
  });

  test('disable, enable, rename and condition write one key each, beside the name', () => {
    const off = apply(SEQUENCE, setDisabled(SEQUENCE, node(SEQUENCE, 1), true));
    assert.match(off, /- name: Apply OS\n {4}disabled: true\n {4}action:/);
    assert.equal(node(off, 1).disabled, true);
    assert.equal(apply(off, setDisabled(off, node(off, 1), false)), SEQUENCE);
    const flow = apply(SEQUENCE, setDisabled(SEQUENCE, node(SEQUENCE, 2), true));
    assert.match(flow, /\{ name: Flow step, run: cmd \/c echo flow, disabled: true \}/);
    const renamed = apply(SEQUENCE, rename(SEQUENCE, node(SEQUENCE, 0), 'Prepare the disk'));
    assert.match(renamed, /- group: Prepare the disk # the disk first\n/);
    const when = apply(SEQUENCE, setCondition(SEQUENCE, node(SEQUENCE, 0, 0), '_SMSTSInWinPE == "true"'));
    assert.equal(node(when, 0, 0).when?.text, '_SMSTSInWinPE == "true"');
    const replaced = apply(when, setCondition(when, node(when, 0, 0), 'exists(X)'));
    assert.equal(node(replaced, 0, 0).when?.text, 'exists(X)');
    assert.equal(apply(replaced, setCondition(replaced, node(replaced, 0, 0), '')), SEQUENCE);
  });

  test('what the layout does not allow is refused with a reason', () => {
    const text = 'sequence: S\nsteps: [ { name: A, run: x }, { name: B, run: y } ]\n';
    const r = moveBy(text, modelOf(text), node(text, 0), 1);
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /flow style/);
    assert.equal(rename(SEQUENCE, node(SEQUENCE, 0), '  ').ok, false);
  });
});
