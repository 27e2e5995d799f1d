// A file opened in the editor with a text other than the one read from disk (or closed back to
// it) is one edit away from the document the folder's check knew: the language server's file
// index makes that edit and carries what the check knew through it, as it does for a keystroke
// (lsp/projects.ts `swapText`). These tests open and close files of a folder as an editor does,
// check what the index names as the server does, and compare every file's diagnostics with a
// full analysis of the same texts read afresh; and they count what the open's check runs again.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileIndex, type FileEntry } from '../../server/src/lsp/projects';
import { runToEnd } from '../../server/src/lsp/background';
import { parseDocument } from '../../server/src/model/document';
import { walk, type SequenceModel } from '../../server/src/model/sequence';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { ALL_RULES } from '../../server/src/analysis/rules';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';
import { random } from '../helpers/seeded-random';
import { randomEdit } from './incremental-fixtures';

const PARENT = [
  'sequence: Parent',
  'packageId: CM100001',
  'steps:',
  '  - name: Set A',
  '    action: SetTaskSequenceVariable',
  '    with: { variable: VarA, value: "1" }',
  '  - group: Prepare',
  '    steps:',
  '      - name: Restart into Windows PE',
  '        action: RestartComputer',
  '        with: { target: winpe }',
  '      - name: Needs a package',
  '        run: cmd.exe /c setup.cmd %VarA% %VarNobodySets%',
  '        package: BEN00099',
  '  - name: Run the child',
  '    action: RunTaskSequence',
  '    with: { sequence: ./child.tsq.yaml }',
  '  - name: Format',
  '    action: FormatAndPartitionDisk',
  '    with: { diskNumber: 0, diskType: Gpt, partitions: [{ name: OS, type: Primary, fileSystem: NTFS, size: 100% }] }',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'parent.tsq.yaml': PARENT,
  'top.tsq.yaml': [
    'sequence: Top',
    'steps:',
    '  - name: Run the parent',
    '    action: RunTaskSequence',
    '    with: { sequence: ./parent.tsq.yaml }',
    '',
  ].join('\n'),
  'child.tsq.yaml': [
    'sequence: Child',
    'steps:',
    '  - name: Use what the parent set',
    '    run: cmd.exe /c echo %VarA% %VarB%',
    '',
  ].join('\n'),
  'site.catalog.tsq.yaml': [
    'catalog: Site',
    'siteCode: BEN',
    'packages:',
    '  - { id: BEN00077, name: Setup scripts, version: 1 }',
    '',
  ].join('\n'),
};

function canonical(list: readonly Diagnostic[]): unknown[] {
  return list
    .map((d) => JSON.parse(JSON.stringify(d)) as Diagnostic)
    .sort(
      (a, b) =>
        a.start - b.start || a.end - b.end || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
    );
}

/** Groups and steps one of the per-node rules is given while `run` runs. */
function perNodeWork(run: () => void): number {
  const rule = ALL_RULES.find((r) => r.incremental === 'per-node' && r.kinds.includes('sequence'))!;
  const own = Object.getOwnPropertyDescriptor(rule, 'check')!;
  const check = rule.check.bind(rule);
  let nodes = 0;
  rule.check = (ctx) => {
    const model = ctx.doc.model as SequenceModel | undefined;
    if (ctx.doc.kind === 'sequence' && model) for (const _ of walk(model.steps)) nodes++;
    check(ctx);
  };
  try {
    run();
  } finally {
    Object.defineProperty(rule, 'check', own);
  }
  return nodes;
}

/** The folder read into a file index and every file checked once, as the server's first check does. */
function readFolder(files: Record<string, string>) {
  const folder = mkdtempSync(join(tmpdir(), 'tsq-open-carries-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  const index = new FileIndex();
  runToEnd(index.addFolder(pathToFileURL(folder).href)!);
  const shown = new Map<string, unknown[]>();
  const check = (e: FileEntry) =>
    shown.set(
      e.id,
      canonical(e.analysis.analyze(e.project.ws, e.doc, {}, undefined, e.editor ? 'per-entry' : 'whole-file')),
    );
  for (const e of index.all()) check(e);
  const uri = pathToFileURL(join(folder, 'parent.tsq.yaml')).href;
  const recheck = (result: { entry: FileEntry; dependents: FileEntry[] }) => {
    check(result.entry);
    for (const d of result.dependents) {
      d.analysis.invalidate();
      check(d);
    }
  };
  let version = 0;
  /** Opens the parent with `text` and checks what the server would check. */
  const open = (text: string) => recheck(index.open(uri, ++version, text));
  const close = () => recheck(index.close(uri)!);
  const parent = () => index.get(uri)!;
  const agree = (where: string) => {
    const ws = new Workspace();
    const docs = index.all().map((e) => parseDocument(e.id, e.doc.text));
    for (const d of docs) ws.upsert(d);
    for (const d of docs)
      assert.deepEqual(shown.get(d.id), canonical(analyzeDocument(ws, d)), `${d.id} after ${where}`);
  };
  return { open, close, parent, agree, done: () => rmSync(folder, { recursive: true, force: true }) };
}

describe('an open carries the folder check through the edit between disk and editor', () => {
  test('a line added at the end: the open re-checks one entry, and shows what a full analysis shows', () => {
    const f = readFolder(FILES);
    try {
      const all = [...walk((f.parent().doc.model as SequenceModel).steps)].length;
      const work = perNodeWork(() => f.open(`${PARENT}# opened\n`));
      assert.ok(work > 0 && work < all, `per-node rules saw ${work} of ${all} groups and steps`);
      f.agree('the open');
      f.close();
      f.agree('the close');
    } finally {
      f.done();
    }
  });

  test('texts that differ in a name, a write, a call or a reference show in every file as a full analysis sees them', () => {
    const changes: [string, string][] = [
      ['name: Set A', 'name: Set A again'],
      ['variable: VarA', 'variable: VarB'],
      ['sequence: ./child.tsq.yaml', 'sequence: ./top.tsq.yaml'],
      ['package: BEN00099', 'package: BEN00077'],
      ['target: winpe', 'target: nowhere'],
      ['  - name: Run the child\n    action: RunTaskSequence\n    with: { sequence: ./child.tsq.yaml }\n', ''],
      ['steps:\n', 'steps:\n  - name: First\n    run: cmd.exe /c rem %VarA%\n'],
    ];
    for (const [find, replace] of changes) {
      const f = readFolder(FILES);
      try {
        const where = `${JSON.stringify(find)} → ${JSON.stringify(replace)}`;
        f.open(PARENT.replace(find, replace));
        f.agree(`opening with ${where}`);
        f.close();
        f.agree(`closing after ${where}`);
        f.open(PARENT);
        f.agree(`opening as on disk after ${where}`);
      } finally {
        f.done();
      }
    }
  });

  test('random texts opened and closed again leave every file as a full analysis sees it', () => {
    const rnd = random(18_010);
    for (let i = 0; i < 40; i++) {
      const f = readFolder(FILES);
      try {
        let text = PARENT;
        for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
          const e = randomEdit(text, rnd);
          text = text.slice(0, e.start) + e.text + text.slice(e.end);
        }
        f.open(text);
        f.agree(`opening with ${JSON.stringify(text)}`);
        f.close();
        f.agree(`closing after ${JSON.stringify(text)}`);
      } finally {
        f.done();
      }
    }
  });
});
