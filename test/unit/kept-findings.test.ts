// The editor's checker keeps a long list of findings that say the same few things in a compact
// form (analysis/kept-finding.ts). What it publishes must not change by a byte: on every rule
// fixture, example and bench shape (the long-conditions shape keeps 2,000 findings of one rule at
// 400 steps), opened and after an edit, with and without a severity override, the diagnostics
// are those of a full analysis, field for field and in the same order of fields.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, type AnalyzeOptions } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis, type FirstCheck } from '../../server/src/analysis/incremental';
import { COMPACT_FROM, keepFindings, plainFinding } from '../../server/src/analysis/kept-finding';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';
import { parseDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import type { SequenceModel } from '../../server/src/model/sequence';
import { exampleAndShapeWorkspaces, fixtureWorkspaces } from '../helpers/analysis-corpus';

const OPTIONS: AnalyzeOptions[] = [{}, { severity: { 'undefined-variable': 'error', 'unknown-action': 'hint' } }];
const FIRST_CHECKS: FirstCheck[] = ['per-entry', 'whole-file'];

test('published diagnostics are a full analysis’s, byte for byte, opened and after an edit', () => {
  let compared = 0;
  let long = 0;
  for (const { where, ws } of [...fixtureWorkspaces(), ...exampleAndShapeWorkspaces(400)]) {
    for (const doc of ws.all()) {
      for (const options of OPTIONS)
        for (const first of FIRST_CHECKS) {
          const analysis = new IncrementalAnalysis();
          const opened = analysis.analyze(ws, doc, options, undefined, first);
          const full = analyzeDocument(ws, doc, options);
          assert.equal(JSON.stringify(opened), JSON.stringify(full), `${where}: ${doc.id} opened (${first})`);
          compared++;
          if (doc.kind !== 'sequence' || !(doc.model as SequenceModel | undefined)?.steps.length) continue;
          // A copy of the file, checked, then a letter typed at the start of its first step's name:
          // every kept finding after it moves.
          const copy = parseDocument(doc.id, doc.text, doc.version);
          ws.upsert(copy);
          const checker = new IncrementalAnalysis();
          checker.analyze(ws, copy, options, undefined, first);
          const at = (copy.model as SequenceModel).steps[0].nameSpan.start;
          const text = copy.text.slice(0, at) + 'x' + copy.text.slice(at);
          const update = updateDocument(copy, { start: at, end: at, text: 'x' }, text, copy.version + 1);
          ws.upsert(update.doc, { previous: copy, change: update.change });
          const edited = checker.analyze(ws, update.doc, options, { previous: copy, change: update.change });
          const fullAfter = analyzeDocument(ws, update.doc, options);
          assert.equal(JSON.stringify(edited), JSON.stringify(fullAfter), `${where}: ${doc.id} edited (${first})`);
          if (fullAfter.some((d) => d.message.includes('more `undefined-variable` findings'))) long++;
          ws.upsert(doc);
        }
    }
  }
  assert.ok(compared > 500, `compared ${compared} documents`);
  assert.ok(long > 0, 'some document keeps more findings of one rule than are shown');
});

test('a long list that says the same few things is kept compact, and reads and copies as it was reported', () => {
  const fresh: Diagnostic[] = [];
  const data = { fix: 'replace' as const, candidates: ['Ring'] };
  for (let i = 0; i < COMPACT_FROM * 2; i++)
    fresh.push({
      docId: 'file:///a.tsq.yaml',
      start: i * 10,
      end: i * 10 + 4,
      severity: 'warning',
      code: 'undefined-variable',
      message: `\`Name${i % 7}\` is not set.`,
      hint: i % 7 ? 'Set it.' : undefined,
      data: i % 7 ? undefined : data,
      related: undefined,
      tags: undefined,
    });
  const reported = JSON.stringify(fresh);
  const kept = keepFindings([...fresh]);
  assert.ok(
    kept.every((d) => !Object.keys(d).includes('message')),
    'a kept finding holds its place and a shared wording, not fields of its own',
  );
  assert.equal(JSON.stringify(kept.map(plainFinding)), reported);
  assert.equal(kept[7].data, data);
  // Moving one, or giving it other data, changes it alone.
  kept[0].start += 3;
  kept[0].data = { fix: 'remove' };
  assert.deepEqual(kept[7].data, data);
  assert.deepEqual(plainFinding(kept[0]), { ...fresh[0], start: 3, data: { fix: 'remove' } });
});

test('short lists, and lists of findings that each say something else, are kept as reported', () => {
  const one = (i: number, message: string): Diagnostic => ({
    docId: 'file:///a.tsq.yaml',
    start: i,
    end: i + 1,
    severity: 'error',
    code: 'c',
    message,
    hint: undefined,
    data: undefined,
    related: undefined,
    tags: undefined,
  });
  const short = Array.from({ length: COMPACT_FROM - 1 }, (_, i) => one(i, 'same'));
  assert.ok(keepFindings(short).every((d, i) => d === short[i]));
  const unique = Array.from({ length: COMPACT_FROM * 2 }, (_, i) => one(i, `message ${i}`));
  assert.ok(keepFindings([...unique]).every((d, i) => d === unique[i]));
});

test('the editor’s checker keeps the long-conditions shape’s findings compact', () => {
  const { ws } = exampleAndShapeWorkspaces(400).find((w) => w.where === 'long-conditions')!;
  const doc = [...ws.all()].find((d) => d.kind === 'sequence' && d.id.endsWith('seq.tsq.yaml'))!;
  const analysis = new IncrementalAnalysis();
  analysis.analyze(ws, doc);
  // What the checker keeps is private to it; looked at here, and only here, to pin its form.
  const known = (analysis as unknown as { known: { global: Map<string, Diagnostic[]> } }).known;
  const list = known.global.get('undefined-variable')!;
  assert.ok(list.length >= COMPACT_FROM, `${list.length} findings kept`);
  assert.ok(list.every((d) => !Object.keys(d).includes('message')));
});
