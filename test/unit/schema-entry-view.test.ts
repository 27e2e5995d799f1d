// An open file is first checked one entry of `steps:` at a time (server/src/analysis/incremental.ts),
// each in a view of the file that holds that entry alone; findings outside the entry are dropped.
// The schema check leaves out the view's top level there (server/src/analysis/entry-view.ts), which
// always lacked `sequence:` and was worded only to be dropped. Pinned here, on every rule fixture,
// the examples and generated files of every bench shape: checked with `scope: 'entries'`, a file
// has exactly the whole-file check's issues inside its entries, in the same order; and the entry
// by entry first check of the editor reports exactly the findings of a full analysis of the rules
// that report the schema check's issues.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis } from '../../server/src/analysis/incremental';
import { schemaValidator } from '../../server/src/semantics/knowledge';
import type { Workspace } from '../../server/src/semantics/workspace';
import { exampleAndShapeWorkspaces, fixtureWorkspaces, type CorpusWorkspace } from '../helpers/analysis-corpus';
import { workspaceOf } from '../helpers/lint';

/** Compares both ways on every sequence of `ws`; returns how many issues the entries had. */
function compareScopes(ws: Workspace, where: string): number {
  let issues = 0;
  for (const doc of ws.all()) {
    if (doc.kind !== 'sequence') continue;
    const inEntries = schemaValidator()
      .validate(doc)
      .filter((i) => i.path[0] === 'steps' && typeof i.path[1] === 'number');
    assert.deepStrictEqual(schemaValidator().validate(doc, 'entries'), inEntries, `${where} ${doc.id}`);
    issues += inEntries.length;
  }
  return issues;
}

/** The rules that report the schema check's issues. */
const SCHEMA_RULES = new Set(['schema', 'invalid-value', 'missing-property']);

function compareFirstChecks(ws: Workspace, where: string): number {
  let compared = 0;
  for (const doc of ws.all()) {
    const full = analyzeDocument(ws, doc).filter((d) => SCHEMA_RULES.has(d.code));
    const entryByEntry = new IncrementalAnalysis()
      .analyze(ws, doc, {}, undefined, 'per-entry')
      .filter((d) => SCHEMA_RULES.has(d.code));
    assert.deepStrictEqual(entryByEntry, full, `${where} ${doc.id}`);
    compared += full.length;
  }
  return compared;
}

describe('the schema check of a view of one entry', () => {
  const topLevel = [
    'sequence: Wrong on top',
    'packageId: not an id',
    'colour: blue',
    'steps:',
    '  - name: Fine',
    '    run: cmd /c exit 0',
    '  - name: Wrong inside',
    '    run: cmd /c exit 0',
    '    retryCount: many',
    '',
  ].join('\n');
  const corpus: CorpusWorkspace[] = [
    ...fixtureWorkspaces(),
    ...exampleAndShapeWorkspaces(300),
    { where: 'top level', ws: workspaceOf({ 'top.tsq.yaml': topLevel }) },
  ];

  test('finds exactly the whole-file issues inside the entries, without the top level', () => {
    let issues = 0;
    for (const { where, ws } of corpus) issues += compareScopes(ws, where);
    assert.ok(issues > 50, `the corpus has issues inside entries to compare (${issues})`);
  });

  test('leaves the file’s top level to the whole-file check', () => {
    let tops = 0;
    for (const { where, ws } of corpus)
      for (const doc of ws.all()) {
        if (doc.kind !== 'sequence') continue;
        tops += schemaValidator()
          .validate(doc)
          .filter((i) => i.path[0] !== 'steps').length;
        for (const i of schemaValidator().validate(doc, 'entries'))
          assert.equal(i.path[0], 'steps', `${where} ${doc.id}: ${i.message}`);
      }
    assert.ok(tops >= 2, `the corpus has issues at files' top level (${tops})`);
  });

  test('changes nothing the editor’s entry by entry first check reports', () => {
    let compared = 0;
    for (const { where, ws } of corpus) compared += compareFirstChecks(ws, where);
    assert.ok(compared > 100, `the corpus has schema findings to compare (${compared})`);
  });
});
