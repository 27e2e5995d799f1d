// What an editor shows when a file opens must be what `tsq lint` reports for it. The server works
// out an open file's first findings entry by entry (in views of the file that each hold a few
// neighbouring entries, analysis/entry-view.ts) and a closed file's in one pass
// (server/src/analysis/incremental.ts); a full analysis is
// what lint runs. Pinned on every case of every rule fixture, the examples and generated files of
// every bench shape, for every rule: the same findings, worded the same, in the same order.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis, type FirstCheck } from '../../server/src/analysis/incremental';
import { exampleAndShapeWorkspaces, fixtureWorkspaces } from '../helpers/analysis-corpus';

describe('an editor’s first check of a file equals lint’s', () => {
  const corpus = [...fixtureWorkspaces(), ...exampleAndShapeWorkspaces(300)];
  for (const first of ['per-entry', 'whole-file'] as FirstCheck[]) {
    test(`checked ${first === 'per-entry' ? 'entry by entry (an open file)' : 'in one pass (a closed file)'}`, () => {
      let findings = 0;
      for (const { where, ws } of corpus)
        for (const doc of ws.all()) {
          const full = analyzeDocument(ws, doc);
          const editor = new IncrementalAnalysis().analyze(ws, doc, {}, undefined, first);
          assert.deepStrictEqual(editor, full, `${where} ${doc.id}`);
          findings += full.length;
        }
      assert.ok(findings > 500, `the corpus has findings to compare (${findings})`);
    });
  }
});
