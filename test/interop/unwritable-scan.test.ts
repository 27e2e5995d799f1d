// Characters XML cannot hold are found by one forward scan of a text that carries on from the
// last part of the same text asked about (server/src/interop/exportable.ts, `suspects`): the
// editor's first check of an open file asks about each entry of `steps:` in turn. Pinned here: the
// entry-by-entry check finds what a full analysis finds, in files with odd characters put in at
// random, and asking about files and parts of them in any order (another text in between, the
// same text again from its start, an equal text read anew) finds the same as asking afresh.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TsqDocument } from '../../server/src/model/document';
import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis } from '../../server/src/analysis/incremental';
import { exportProblems } from '../../server/src/interop/exportable';
import { random } from '../helpers/seeded-random';
import { exampleAndShapeWorkspaces } from '../helpers/analysis-corpus';

const CANNOT_HOLD = /which XML cannot hold\.$/;

/** Raw control characters, escapes that make one, and a backslash that makes none. */
const ODD = ['\u0001', '\\x01', '\\u0007', '\ufffe', '\u000b', '\\\\', 'C:\\tools'];

function withOddCharacters(text: string, next: () => number): string {
  let out = text;
  for (let k = 0; k < 8; k++) {
    const at = Math.floor(next() * (out.length + 1));
    const odd = ODD[Math.floor(next() * ODD.length)];
    out = out.slice(0, at) + (next() < 0.5 ? odd : `"${odd}"`) + out.slice(at);
  }
  return out;
}

function sources(): TsqDocument[] {
  return exampleAndShapeWorkspaces(40).flatMap(({ ws }) =>
    [...ws.all()].filter((d) => d.kind === 'sequence' && d.model),
  );
}

function cannotHold(ws: Workspace, doc: TsqDocument): string[] {
  return exportProblems(ws, doc)
    .filter((p) => CANNOT_HOLD.test(p.message))
    .map((p) => `${p.start}-${p.end} ${p.message}`);
}

describe('characters XML cannot hold, found by one scan carried from part to part', () => {
  test('the entry-by-entry check finds what a full analysis finds', () => {
    const next = random(1807);
    let found = 0;
    for (let round = 0; round < 3; round++)
      for (const source of sources()) {
        const doc = parseDocument(source.id, withOddCharacters(source.text, next));
        if (doc.kind !== 'sequence' || !doc.model) continue;
        const ws = new Workspace();
        ws.upsert(doc);
        const full = analyzeDocument(ws, doc).filter((d) => CANNOT_HOLD.test(d.message));
        const editor = new IncrementalAnalysis()
          .analyze(ws, doc, {}, undefined, 'per-entry')
          .filter((d) => CANNOT_HOLD.test(d.message));
        assert.deepStrictEqual(editor, full, `${source.id}, round ${round}:\n${doc.text}`);
        found += full.length;
      }
    assert.ok(found > 20, `odd characters were found (${found})`);
  });

  test('files asked about in any order, again, and read anew find what they find first', () => {
    const next = random(42);
    const docs = sources()
      .map((s) => parseDocument(s.id, withOddCharacters(s.text, next)))
      .filter((d) => d.kind === 'sequence' && d.model);
    const ws = new Workspace();
    const first = docs.map((d) => cannotHold(ws, d));
    assert.ok(
      first.some((list) => list.length > 0),
      'some files have characters XML cannot hold',
    );
    for (let k = docs.length - 1; k >= 0; k--) {
      assert.deepStrictEqual(cannotHold(ws, docs[k]), first[k], `backwards: ${docs[k].id}`);
      const anew = parseDocument(docs[k].id, docs[k].text.split('').join(''));
      assert.deepStrictEqual(cannotHold(ws, anew), first[k], `read anew: ${docs[k].id}`);
      assert.deepStrictEqual(cannotHold(ws, docs[k]), first[k], `again: ${docs[k].id}`);
    }
  });
});
