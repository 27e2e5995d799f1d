// Incremental analysis must report exactly what a full analysis of the same text reports, after
// edits of a long random series (carried through one by one, analysed now and then), in a workspace with a catalog, a child sequence and a
// machine, with suppression comments and severity overrides in play, whichever way it works out
// what it does not know (entry by entry, or in one pass over the whole file).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import { applyEdit, type TextEdit } from '../../server/src/model/yaml/incremental';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument, type AnalyzeOptions } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis, type FirstCheck } from '../../server/src/analysis/incremental';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';
import { random } from '../helpers/seeded-random';
import { editableDocuments, randomEdit } from './incremental-fixtures';

const examples = join(__dirname, '..', '..', '..', 'examples');
const context = ['catalog.tsq.yaml', 'install-apps.tsq.yaml', 'lab-vm.tsq.yaml'].map((f) =>
  parseDocument(`/work/${f}`, readFileSync(join(examples, f), 'utf8')),
);

function workspaceWith(doc: TsqDocument): Workspace {
  const ws = new Workspace();
  for (const d of context) if (d.id !== doc.id) ws.upsert(d);
  ws.upsert(doc);
  return ws;
}

function canonical(list: Diagnostic[]): unknown[] {
  return list
    .map((d) => JSON.parse(JSON.stringify(d)) as Diagnostic)
    .sort(
      (a, b) =>
        a.start - b.start || a.end - b.end || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
    );
}

const OPTIONS: AnalyzeOptions = {
  severity: { 'undefined-variable': 'hint', 'duplicate-id': 'off', 'invalid-value': 'warning' },
};

describe('incremental analysis equals a full analysis', () => {
  let incremental = 0,
    total = 0;
  // Sequences only: the other kinds of file are always read in full, so they say nothing here.
  const documents = Object.entries(editableDocuments()).filter(
    ([name, text]) => !name.startsWith('install-apps') && parseDocument(`/work/${name}`, text).kind === 'sequence',
  );
  for (const [name, original] of documents) {
    test(name, () => {
      const rnd = random(name.length * 31337 + 11);
      const withSuppression = original.replace(
        /\n(\s+)- name: /,
        '\n$1# tsq-disable-next-line undefined-variable\n$1- name: ',
      );
      let doc = parseDocument(`/work/${name}`, withSuppression);
      const analysis = new IncrementalAnalysis();
      const ws = workspaceWith(doc);
      // What is not known yet is worked out entry by entry (an open file) or in one pass (a file
      // not open): in turn, so each carries on from what the other kept.
      let asked = 0;
      const firstCheck = (): FirstCheck => (asked++ % 2 ? 'per-entry' : 'whole-file');
      analysis.analyze(ws, doc, OPTIONS, undefined, firstCheck());
      const apply = (edit: TextEdit, where: string) => {
        const next = applyEdit(doc.text, edit);
        const version = doc.version + 1;
        const full = parseDocument(doc.id, next, version);
        const previous = doc;
        const update = updateDocument(doc, edit, next, version);
        total++;
        if (update.change) incremental++;
        ws.upsert(update.doc);
        doc = update.doc;
        // An editor carries every edit through at once but asks for diagnostics only now and then.
        analysis.update(ws, update.doc, { previous, change: update.change });
        if (rnd() < 0.5) return;
        const got = analysis.analyze(ws, update.doc, OPTIONS, undefined, firstCheck());
        assert.deepEqual(
          canonical(got),
          canonical(analyzeDocument(workspaceWith(full), full, OPTIONS)),
          `diagnostics after ${where}`,
        );
      };
      for (let i = 0; i < 120; i++) {
        const before = doc.text;
        const edit = randomEdit(before, rnd);
        apply(edit, `${name}, edit ${i} ${JSON.stringify(edit)}`);
        if (rnd() < 0.8)
          apply(
            { start: edit.start, end: edit.start + edit.text.length, text: before.slice(edit.start, edit.end) },
            `${name}, undo of edit ${i}`,
          );
      }
    });
  }
  test('a sequence running itself is worded as a full analysis words it, also step by step in the editor', () => {
    const doc = parseDocument(
      '/work/self.tsq.yaml',
      'sequence: Self\nsteps:\n  - name: Me\n    action: RunTaskSequence\n    with: { sequence: ./self.tsq.yaml }\n',
    );
    const full = analyzeDocument(workspaceWith(doc), doc).filter((d) => d.code === 'child-cycle');
    assert.deepEqual(
      full.map((d) => d.message),
      ['A sequence cannot run itself as a child.'],
    );
    for (const first of ['per-entry', 'whole-file'] as const) {
      const got = new IncrementalAnalysis().analyze(workspaceWith(doc), doc, {}, undefined, first);
      assert.deepEqual(canonical(got.filter((d) => d.code === 'child-cycle')), canonical(full), first);
    }
  });

  test('a fair share of the edits above were analysed incrementally', () => {
    assert.ok(incremental > total / 8, `${incremental} of ${total}`);
  });
});

describe('what incremental analysis reuses', () => {
  test('after invalidate() everything is computed again, so a catalog change is seen', () => {
    const seqText =
      'sequence: S\nsteps:\n  - name: Install\n    action: InstallPackage\n    with: { package: CM100099, program: Install }\n';
    const doc = parseDocument('/w/s.tsq.yaml', seqText);
    const ws = new Workspace();
    ws.upsert(parseDocument('/w/catalog.tsq.yaml', 'catalog: C\npackages:\n  - { id: CM100001, name: A }\n'));
    ws.upsert(doc);
    const analysis = new IncrementalAnalysis();
    assert.ok(analysis.analyze(ws, doc).some((d) => d.code === 'broken-reference'));
    ws.upsert(
      parseDocument(
        '/w/catalog.tsq.yaml',
        'catalog: C\npackages:\n  - { id: CM100099, name: A, programs: [Install] }\n',
      ),
    );
    analysis.invalidate();
    assert.ok(!analysis.analyze(ws, doc).some((d) => d.code === 'broken-reference'));
  });

  test('renaming a step that a message quotes updates the message, also when the name goes or comes back', () => {
    const text =
      'sequence: S\nsteps:\n  - name: Setup\n    action: SetupWindowsAndConfigMgr\n    with: { clientPackage: CM100010 }\n  - name: Partition\n    action: FormatAndPartitionDisk\n    with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary }] }\n';
    let doc = parseDocument('/w/s.tsq.yaml', text);
    const ws = workspaceWith(doc);
    const analysis = new IncrementalAnalysis();
    const messages = (list: Diagnostic[]) => list.filter((d) => d.code === 'run-environment').map((d) => d.message);
    assert.match(messages(analysis.analyze(ws, doc)).join(), /since “Setup”/);
    const at = text.indexOf('Setup\n');
    for (const edit of [
      { start: at, end: at + 5, text: 'Install' },
      { start: at, end: at + 7, text: '' },
      { start: at, end: at, text: 'Back' },
    ]) {
      const previous = doc;
      const next = applyEdit(doc.text, edit);
      const update = updateDocument(doc, edit, next, doc.version + 1);
      assert.ok(update.change, 'the edit is incremental');
      doc = update.doc;
      ws.upsert(doc);
      const full = parseDocument(doc.id, next);
      assert.deepEqual(
        messages(analysis.analyze(ws, doc, {}, { previous, change: update.change })),
        messages(analyzeDocument(workspaceWith(full), full)),
        JSON.stringify(edit),
      );
    }
  });
  test('findings handed out stay as they were while the kept ones move through later edits', () => {
    const text =
      'sequence: S\nsteps:\n  - name: First\n    run: cmd.exe /c echo one\n  - name: Second\n    run: cmd.exe /c echo %NeverSet%\n  - name: Install\n    action: InstallPackage\n    with: { package: CM100099, program: Install }\n';
    let doc = parseDocument('/w/kept.tsq.yaml', text);
    const ws = workspaceWith(doc);
    const analysis = new IncrementalAnalysis();
    const shown = analysis.analyze(ws, doc);
    const codes = shown.map((d) => d.code);
    assert.ok(codes.includes('undefined-variable') && codes.includes('broken-reference'), codes.join());
    const asShown = JSON.stringify(shown);
    const at = text.indexOf('First') + 'First'.length;
    for (let i = 0; i < 3; i++) {
      const previous = doc;
      const edit = { start: at, end: at, text: ' step' };
      const next = applyEdit(doc.text, edit);
      const update = updateDocument(doc, edit, next, doc.version + 1);
      assert.ok(update.change, 'the edit is incremental');
      doc = update.doc;
      ws.upsert(doc);
      const now = analysis.analyze(ws, doc, {}, { previous, change: update.change });
      const full = parseDocument(doc.id, next);
      assert.deepEqual(canonical(now), canonical(analyzeDocument(workspaceWith(full), full)));
      // Quick-fix offsets (the step to delete) moved with the text too.
      const fix = now.find((d) => d.code === 'broken-reference')?.data;
      assert.ok(fix && 'stepStart' in fix && fix.stepStart === next.indexOf('name: Install'));
    }
    assert.equal(JSON.stringify(shown), asShown, 'what was handed out before the edits is unchanged');
  });
});
