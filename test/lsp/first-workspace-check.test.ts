// The language server's first check of a workspace folder (`tsq.diagnostics.scope: workspace`)
// publishes, for every file, what `tsq lint` of the folder finds in it; files not open are checked
// in one pass as lint checks them (analysis/incremental.ts, `FirstCheck`), and what that pass keeps
// serves the edits that follow: a closed file opened and edited, and a catalog edit that its
// referrers see, still match lint of the changed folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver-protocol';
import { TestClient } from './client';
import { generateWorkspace } from '../../bench/generate-workspace';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { parseDocument } from '../../server/src/model/document';
import { normalisePath } from '../../server/src/util/paths';

/**
 * A generated repository with problems of several kinds spread over its sequences: broken
 * references, a condition that does not parse, an unknown action, a variable nothing sets.
 */
function writeRepository(): { folder: string; files: string[]; hot: ReturnType<typeof generateWorkspace>['hot'] } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-first-check-'));
  const generated = generateWorkspace({
    sequences: 40,
    catalogs: 3,
    minSteps: 10,
    maxSteps: 50,
    hotReferrers: 4,
    seed: 23,
  });
  let n = 0;
  for (const [rel, text] of Object.entries(generated.files)) {
    let changed = text;
    if (rel.startsWith('sequences/') && !generated.hot.referrers.includes(rel)) {
      const kind = n++ % 5;
      if (kind === 0) changed = text.replace(/S0[0-9][0-9A-F]{5}/, 'S00FFFFF');
      else if (kind === 1) changed = text.replace(/when: Ring == "(\d)"/, 'when: Ring == ');
      else if (kind === 2) changed = text.replace(/action: (\w+)/, 'action: $1Later');
      else if (kind === 3)
        changed = text.replace(
          /\n {2}- (name|group): /,
          '\n  - name: Echo\n    run: cmd.exe /c echo %NeverSet%\n  - $1: ',
        );
    }
    const file = path.join(folder, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, changed);
  }
  return { folder, files: Object.keys(generated.files), hot: generated.hot };
}

interface Shown {
  code: unknown;
  severity: unknown;
  message: string;
  range: string;
}

/** A diagnostic's message as text (the protocol allows marked-up text too; the server sends plain text). */
function messageOf(d: LspDiagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** What the Problems panel shows for one diagnostic, in a form lint's findings compare with. */
function shown(d: LspDiagnostic): Shown {
  const { start, end } = d.range;
  return {
    code: d.code,
    severity: d.severity,
    message: messageOf(d),
    range: `${start.line}:${start.character}-${end.line}:${end.character}`,
  };
}

const LSP_SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;

/** `tsq lint`'s findings for `file` of `folder`, as the server would show them; `edited` replaces files' text. */
function linted(folder: string, file: string, edited: Record<string, string> = {}): Shown[] {
  const { ws } = loadPaths([folder]);
  for (const [rel, text] of Object.entries(edited)) {
    const id = normalisePath(path.join(folder, rel));
    ws.upsert(parseDocument(id, text, 1));
  }
  const doc = ws.get(normalisePath(path.join(folder, file)))!;
  const at = (offset: number) => {
    const p = doc.lineMap.positionAt(offset);
    return `${p.line}:${p.character}`;
  };
  return analyzeDocument(ws, doc).map((d) => ({
    code: d.code,
    severity: LSP_SEVERITY[d.severity],
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    range: `${at(d.start)}-${at(d.end)}`,
  }));
}

test('the first check of a workspace folder publishes what `tsq lint` finds, file for file, and later edits stay in step', async () => {
  const { folder, files, hot } = writeRepository();
  const uri = (rel: string) => pathToFileURL(path.join(folder, rel)).href;
  const client = await TestClient.start({ folder, settings: { diagnostics: { scope: 'workspace' } } });
  try {
    await client.until(
      () => (client.diagnostics.size >= files.length ? true : undefined),
      'every file checked',
      120_000,
    );
    const codes = new Set<unknown>();
    for (const rel of files) {
      const first = client.diagnostics.get(uri(rel))![0].diagnostics.map(shown);
      for (const d of first) codes.add(d.code);
      assert.deepEqual(first, linted(folder, rel), rel);
    }
    for (const code of ['broken-reference', 'condition-syntax', 'unknown-action', 'undefined-variable'])
      assert.ok(codes.has(code), `the repository has ${code} findings (${[...codes].join(', ')})`);

    // A file checked while closed, then opened and edited: the edit is carried through what the first check kept.
    const sequence = files.find((f) => f.startsWith('sequences/') && !hot.referrers.includes(f))!;
    const text = fs.readFileSync(path.join(folder, sequence), 'utf8');
    await client.open(uri(sequence), text, 1);
    const opened = await client.diagnosticsFor(uri(sequence), { version: 1 });
    assert.deepEqual(opened.map(shown), linted(folder, sequence));
    const at = text.indexOf('\n  - ') + 1;
    const line = text.slice(0, at).split('\n').length - 1;
    const added = '  - name: Later\n    run: cmd.exe /c echo %AlsoNeverSet%\n';
    await client.change(uri(sequence), 2, [
      { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: added },
    ]);
    const edited = text.slice(0, at) + added + text.slice(at);
    const afterEdit = await client.diagnosticsFor(uri(sequence), { version: 2 });
    assert.deepEqual(afterEdit.map(shown), linted(folder, sequence, { [sequence]: edited }));
    assert.ok(
      afterEdit.some((d) => messageOf(d).includes('AlsoNeverSet')),
      'the edit was checked',
    );

    // A catalog edit: its closed referrers (checked in one pass) see the entry go.
    const catalog = fs.readFileSync(path.join(folder, hot.catalog), 'utf8');
    await client.open(uri(hot.catalog), catalog, 1);
    await client.diagnosticsFor(uri(hot.catalog), { version: 1 });
    const before = new Map(hot.referrers.map((r) => [r, client.published(uri(r))]));
    const from = catalog.indexOf(hot.entryText);
    const lineOf = (offset: number) => catalog.slice(0, offset).split('\n').length - 1;
    await client.change(uri(hot.catalog), 2, [
      {
        range: {
          start: { line: lineOf(from), character: 0 },
          end: { line: lineOf(from + hot.entryText.length), character: 0 },
        },
        text: '',
      },
    ]);
    const withoutEntry = catalog.replace(hot.entryText, '');
    for (const referrer of hot.referrers) {
      const now = await client.diagnosticsFor(uri(referrer), {
        after: before.get(referrer),
        matching: (list) => list.some((d) => messageOf(d).includes(hot.id)),
      });
      assert.deepEqual(
        now.map(shown),
        linted(folder, referrer, { [hot.catalog]: withoutEntry, [sequence]: edited }),
        referrer,
      );
    }
    assert.deepEqual(client.failures(), []);
  } finally {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
