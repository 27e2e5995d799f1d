// The variable reads a sequence's nodes keep (semantics/packed-reads.ts): none for a model never
// edited in place, one flat array of names and offsets per node once it is, and the same reads as
// a fresh reading of the same text either way, however far the nodes have moved since.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import { NODE_MEMO, walk, type SequenceModel, type SeqNode } from '../../server/src/model/sequence';
import { nodeVariableReads, variableReads } from '../../server/src/semantics/variable-flow';

const SOURCE = `sequence: Reads
steps:
  - name: Prepare
    run: cmd.exe /c prepare.cmd %OSDComputerName% %Ring%
    when: Ring == "1" and exists(SkipPrepare)
  - group: Apply
    when: _SMSTSMake == "Dell" or Count > 3
    steps:
      - name: Apply one
        run: cmd.exe /c apply.cmd %Target%
      - name: Quiet
        run: cmd.exe /c quiet.cmd
`;

function nodesOf(doc: TsqDocument): SeqNode[] {
  return [...walk((doc.model as SequenceModel).steps)];
}

/** Every read, as plain values, from each node's own list. */
function readsByNode(doc: TsqDocument): string[] {
  return nodesOf(doc).flatMap((n) =>
    nodeVariableReads(doc, n).map((r) => `${n.name}: ${r.name} ${r.start}-${r.end}${r.inCondition ? ' if' : ''}`),
  );
}

/** What each node keeps in its per-node memory, as plain values (objects named by their keys). */
function kept(node: SeqNode): unknown[] {
  const facts = node[NODE_MEMO]?.facts ?? [];
  return facts.flatMap((f) => (f && typeof f === 'object' ? [(f as { value: unknown }).value] : []));
}

/** `doc` after typing `text` at the start of the first step's name (one edit in place). */
function typed(doc: TsqDocument, text: string): TsqDocument {
  const at = doc.text.indexOf('Prepare');
  const next = doc.text.slice(0, at) + text + doc.text.slice(at);
  return updateDocument(doc, { start: at, end: at, text }, next, doc.version + 1).doc;
}

test('a model never edited keeps no reads, and gives those of its text', () => {
  const doc = parseDocument('file:///reads.tsq.yaml', SOURCE, 1);
  const span = (written: string, name = written) => {
    const start = SOURCE.indexOf(written) + written.indexOf(name);
    return `${start}-${start + name.length}`;
  };
  assert.deepEqual(readsByNode(doc), [
    `Prepare: Ring ${span('Ring ==', 'Ring')} if`,
    `Prepare: SkipPrepare ${span('SkipPrepare')} if`,
    `Prepare: OSDComputerName ${span('%OSDComputerName%')}`,
    `Prepare: Ring ${span('%Ring%')}`,
    `Apply: _SMSTSMake ${span('_SMSTSMake')} if`,
    `Apply: Count ${span('Count')} if`,
    `Apply one: Target ${span('%Target%')}`,
  ]);
  for (const n of nodesOf(doc)) assert.deepEqual(kept(n), [], `${n.name} keeps nothing`);
});

test('an edited model keeps each node’s reads as one flat list, and they move with the text', () => {
  let doc = parseDocument('file:///reads.tsq.yaml', SOURCE, 1);
  doc = typed(doc, 'x');
  const fresh = (d: TsqDocument) => readsByNode(parseDocument(d.id, d.text, d.version));
  assert.deepEqual(readsByNode(doc), fresh(doc));
  const isRead = (v: unknown) => typeof v === 'object' && v !== null && 'inCondition' in v;
  for (const n of nodesOf(doc))
    for (const value of kept(n))
      if (Array.isArray(value)) assert.ok(!value.some(isRead), `${n.name} keeps its reads as names and offsets`);
  const keepsNames = (n: SeqNode, names: string[]) =>
    kept(n).some((v) => Array.isArray(v) && names.every((name) => v.includes(name)));
  const [prepare, apply, applyOne] = nodesOf(doc);
  assert.ok(keepsNames(prepare, ['Ring', 'SkipPrepare', 'OSDComputerName']), 'the first step keeps its reads');
  assert.ok(keepsNames(apply, ['_SMSTSMake', 'Count']), 'the group keeps its condition’s reads');
  assert.ok(keepsNames(applyOne, ['Target']), 'the inner step keeps its reads');
  // Typed again before every node: each kept list moves, and reads as a fresh reading does.
  doc = typed(doc, 'yy');
  assert.deepEqual(readsByNode(doc), fresh(doc));
  assert.deepEqual(
    variableReads(doc).map((r) => `${r.name} ${r.start}`),
    variableReads(parseDocument(doc.id, doc.text, doc.version)).map((r) => `${r.name} ${r.start}`),
  );
});
