// The groups, steps, options and located values of a sequence model are object literals whose
// prototype holds their span getters (server/src/model/sequence-items.ts says why). Pinned here:
// they are still instances of the model's classes, their spans are read from their nodes, every
// group and every step is made with all its fields in one order (one shape, memory slot included,
// so that filling the slot later adds nothing), and the prototype is never an own field.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import { memoOf, walk, NODE_MEMO, type SequenceModel } from '../../server/src/model/sequence';
import { GroupItem, StepItem, NodeValue, ConditionOfItem } from '../../server/src/model/sequence-items';

const TEXT = [
  'sequence: Literals',
  'steps:',
  '  - group: Prepare',
  '    id: g1',
  '    when: Ring == "1"',
  '    steps:',
  '      - name: Run script',
  '        id: s1',
  '        run: cmd.exe /c setup.cmd',
  '        package: BEN00077',
  '        timeout: 15',
  '      - name: Set variable',
  '        action: SetTaskSequenceVariable',
  '        with: { variable: Var1, value: "value 1" }',
  '        retryCount: 2',
  '  - name: Restart',
  '    action: RestartComputer',
  '',
].join('\n');

function model(): SequenceModel {
  return parseDocument('literals.tsq.yaml', TEXT).model as SequenceModel;
}

describe('a model made by literals', () => {
  test('groups, steps, values and conditions are instances of the model classes', () => {
    const items = [...walk(model().steps)];
    assert.deepEqual(
      items.map((n) => [n.name, n instanceof GroupItem, n instanceof StepItem]),
      [
        ['Prepare', true, false],
        ['Run script', false, true],
        ['Set variable', false, true],
        ['Restart', false, true],
      ],
    );
    const [group, run] = items;
    assert.ok(group.id instanceof NodeValue);
    assert.ok(group.when instanceof ConditionOfItem);
    assert.ok(run.kind === 'step' && run.timeout instanceof NodeValue);
  });

  test('every span is read from its node', () => {
    const items = [...walk(model().steps)];
    for (const n of items) {
      assert.deepEqual(n.span, { start: n.node.start, end: n.node.end });
      if (n.id) assert.equal(TEXT.slice(n.id.span.start, n.id.span.end), n.id.value);
      if (n.when) assert.equal(TEXT.slice(n.when.span.start, n.when.span.end), n.when.text);
    }
    const set = items[2];
    assert.ok(set.kind === 'step');
    assert.deepEqual(
      set.options.map((o) => [
        o.name,
        TEXT.slice(o.keySpan.start, o.keySpan.end),
        TEXT.slice(o.span.start, o.span.end),
      ]),
      [
        ['variable', 'variable', 'Var1'],
        ['value', 'value', '"value 1"'],
      ],
    );
    const run = items[1];
    assert.ok(run.kind === 'step');
    assert.deepEqual(
      run.options.map((o) => [o.name, o.fromShorthand]),
      [
        ['commandLine', true],
        ['package', true],
      ],
    );
  });

  test('every step has the same fields in the same order, the memory slot among them from the start', () => {
    const items = [...walk(model().steps)];
    const steps = items.filter((n) => n.kind === 'step');
    const keys = Object.keys(steps[0]);
    assert.ok(!keys.includes('__proto__'));
    for (const s of steps) {
      assert.deepEqual(Object.keys(s), keys);
      assert.deepEqual(Object.getOwnPropertySymbols(s), [NODE_MEMO]);
    }
    for (const n of items) {
      const before = Reflect.ownKeys(n);
      memoOf(n).facts.push(1);
      assert.deepEqual(Reflect.ownKeys(n), before);
    }
  });
});
