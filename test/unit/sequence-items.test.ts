// A sequence model's groups and steps read their spans from their YAML nodes instead of storing
// them (server/src/model/sequence-items.ts). Pinned here: every span a group or step gives is where
// its text is, after a full read and after edits applied in place; each read is the reader's own
// object; and what an in-place update says it replaced is where that item was in the old text,
// which the model can no longer read from the (already moved) nodes.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import { applyEdit } from '../../server/src/model/yaml/incremental';
import { walk, type SeqNode, type SequenceModel } from '../../server/src/model/sequence';
import type { Span } from '../../server/src/model/text';
import { pairsOf, type YPair } from '../../server/src/model/yaml/nodes';
import { random } from '../helpers/seeded-random';
import { editableDocuments, randomEdit } from './incremental-fixtures';

/** Every span a group or step gives, with what it should hold, as text slices. */
function spansOf(n: SeqNode): [string, Span | undefined, Span | undefined][] {
  const whole = { start: n.node.start, end: n.node.end };
  const out: [string, Span | undefined, Span | undefined][] = [
    ['span', n.span, whole],
    ['nameSpan', n.nameSpan, nameOf(n) ?? { start: n.node.start, end: n.node.start }],
    ['id', n.id?.span, n.id ? spanOfPair(n, 'id') : undefined],
    ['when', n.when?.span, n.when ? spanOfPair(n, 'when') : undefined],
  ];
  if (n.kind === 'step') {
    out.push(['actionSpan', n.actionSpan, n.shorthand ? keyOf(n, 'run') : spanOfPair(n, 'action')]);
    out.push(['withSpan', n.withSpan, n.withSpan ? spanOfPair(n, 'with') : undefined]);
    out.push(['timeout', n.timeout?.span, n.timeout ? spanOfPair(n, 'timeout') : undefined]);
    out.push(['retryCount', n.retryCount?.span, n.retryCount ? spanOfPair(n, 'retryCount') : undefined]);
  }
  return out;
}

function lastPair(n: SeqNode, key: string): YPair | undefined {
  return pairsOf(n.node.pairs)
    .filter((p) => p.key.kind === 'scalar' && p.key.text === key)
    .pop();
}

/** The name's scalar when one is written (not `name:` alone, not `~`). */
function nameOf(n: SeqNode): Span | undefined {
  const v = lastPair(n, n.kind === 'group' ? 'group' : 'name')?.value;
  return v && v.kind === 'scalar' && !v.implicit && v.value !== null ? { start: v.start, end: v.end } : undefined;
}

function spanOfPair(n: SeqNode, key: string): Span | undefined {
  const pair = lastPair(n, key);
  return pair && { start: pair.value.start, end: pair.value.end };
}

function keyOf(n: SeqNode, key: string): Span | undefined {
  const pair = lastPair(n, key);
  return pair && { start: pair.key.start, end: pair.key.end };
}

function assertSpans(doc: TsqDocument, where: string): void {
  const model = doc.model as SequenceModel;
  for (const n of walk(model.steps)) {
    for (const [field, got, want] of spansOf(n)) {
      if (!got && !want) continue;
      assert.ok(
        got && want,
        `${where}: ${n.name} ${field} given ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
      );
      assert.equal(
        doc.text.slice(got.start, got.end),
        doc.text.slice(want.start, want.end),
        `${where}: ${n.name} ${field}`,
      );
      assert.deepEqual(got, want, `${where}: ${n.name} ${field}`);
    }
  }
}

describe("a group's or step's spans", () => {
  test('are read from its YAML nodes, and a span read is the reader’s own', () => {
    const text = [
      'sequence: S',
      'steps:',
      '  - group: G',
      '    id: g1',
      '    when: exists(A)',
      '    steps:',
      '      - name: A',
      '        action: SetTaskSequenceVariable',
      '        with: { variable: A, value: "1" }',
      '        timeout: 5',
      '        retryCount: 2',
      '      - run: cmd /c x',
      '',
    ].join('\n');
    const doc = parseDocument('/w/s.tsq.yaml', text);
    assertSpans(doc, 'full read');
    const group = (doc.model as SequenceModel).steps[0];
    assert.equal(text.slice(group.nameSpan.start, group.nameSpan.end), 'G');
    assert.equal(text.slice(group.id!.span.start, group.id!.span.end), 'g1');
    assert.equal(text.slice(group.when!.span.start, group.when!.span.end), 'exists(A)');
    const unnamed = [...walk([group])][2];
    assert.deepEqual(
      unnamed.nameSpan,
      { start: unnamed.node.start, end: unnamed.node.start },
      'no name: the item start',
    );
    const span = group.span;
    span.start = 1;
    span.end = 2;
    assert.deepEqual(
      group.span,
      { start: group.node.start, end: group.node.end },
      'changing a span read changes nothing',
    );
  });

  test('follow random edits applied in place, and an update says where the rebuilt item was', () => {
    let checked = 0,
      inPlace = 0;
    for (const [name, original] of Object.entries(editableDocuments())) {
      let doc = parseDocument(`/w/${name}`, original);
      if (doc.kind !== 'sequence') continue;
      const rnd = random(name.length * 31337 + 5);
      for (let i = 0; i < 120; i++) {
        const edit = randomEdit(doc.text, rnd);
        const next = applyEdit(doc.text, edit);
        const before = parseDocument(doc.id, doc.text);
        const update = updateDocument(doc, edit, next, doc.version + 1);
        const where = `${name}, edit ${i} ${JSON.stringify(edit)}`;
        const change = update.change;
        if (change?.oldNode) {
          // The item it replaced, as a full read of the old text has it.
          const old = [...walk((before.model as SequenceModel).steps)].find(
            (n) => n.node.start === change.removed.start && n.name === change.oldNode!.name,
          );
          assert.ok(old, `${where}: the replaced item is in the old text`);
          assert.deepEqual(change.removed, { start: old.node.start, end: old.node.end }, `removed, ${where}`);
          checked++;
          if (change.item === change.oldNode.node) inPlace++;
        }
        doc = update.doc;
        if (doc.kind === 'sequence') assertSpans(doc, where);
        else break;
      }
    }
    assert.ok(checked > 50, `${checked} replaced items checked`);
    assert.ok(inPlace > 5, `${inPlace} of them rebuilt from their own mapping`);
  });
});
