// The list of every group and step that checks go through (server/src/semantics/sequence-nodes.ts)
// is kept per model revision. Pinned here: it holds the nodes `walk` yields, the same objects in the
// same order, on every rule fixture, the examples and generated files of every shape, and after
// edits that rebuild a step in place (the list follows the model, never a revision behind).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import { walk, type SequenceModel } from '../../server/src/model/sequence';
import { sequenceNodes } from '../../server/src/semantics/sequence-nodes';
import { generateShape } from '../../bench/generate';
import { exampleAndShapeWorkspaces, fixtureWorkspaces } from '../helpers/analysis-corpus';

function assertWalked(doc: TsqDocument, where: string): number {
  const model = doc.model as SequenceModel;
  const walked = [...walk(model.steps)];
  const listed = sequenceNodes(model);
  assert.equal(listed.length, walked.length, `${where}: as many nodes`);
  walked.forEach((n, i) => assert.ok(listed[i] === n, `${where}: node ${i} (${n.name})`));
  return walked.length;
}

describe('the nodes of a sequence', () => {
  test('are the ones walk yields, in its order, on the fixtures, the examples and generated files', () => {
    let nodes = 0;
    for (const { where, ws } of [...fixtureWorkspaces(), ...exampleAndShapeWorkspaces(200)])
      for (const doc of ws.all())
        if (doc.kind === 'sequence' && doc.model) nodes += assertWalked(doc, `${where} ${doc.id}`);
    assert.ok(nodes > 1000, `there are nodes to compare (${nodes})`);
  });

  test('follow edits that rebuild a step in place', () => {
    let doc = parseDocument('/ws/seq.tsq.yaml', generateShape('nested', 120).sequence);
    assertWalked(doc, 'before the edits');
    let text = doc.text;
    let rebuilt = 0;
    for (let i = 0; i < 12; i++) {
      const at = text.indexOf('- name: ', (i * 997) % text.length);
      if (at < 0) continue;
      // Insert a step before the one found, then rename it: the model changes in place each time.
      const edit =
        i % 2 === 0
          ? {
              start: at,
              end: at,
              text:
                '- name: Added\n' +
                ' '.repeat(at - text.lastIndexOf('\n', at) - 1) +
                '  run: cmd.exe\n' +
                ' '.repeat(at - text.lastIndexOf('\n', at) - 1),
            }
          : { start: at + 8, end: at + 8, text: 'x' };
      const next = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
      const update = updateDocument(doc, edit, next, i + 2, 16 * 1024 * 1024);
      if (update.change) rebuilt++;
      doc = update.doc;
      text = next;
      assertWalked(doc, `after edit ${i + 1}`);
    }
    assert.ok(rebuilt > 3, `edits rebuilt steps in place (${rebuilt})`);
  });
});
