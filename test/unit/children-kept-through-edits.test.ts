// An edit of a parent sequence that keeps its Run Task Sequence references and variable writes
// keeps the child graph and the index of inherited names, and its children are not checked again
// (semantics/link-fingerprint.ts). These tests edit a parent in the language server's file index
// as an editor does, re-check what the index names as the server does, and compare every file's
// diagnostics after each edit with a full analysis of the same texts read afresh: a kept graph or
// index gone stale, or a child left unchecked that should have been, shows as a difference.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileIndex, type FileEntry } from '../../server/src/lsp/projects';
import { runToEnd } from '../../server/src/lsp/background';
import { parseDocument } from '../../server/src/model/document';
import { LineMap } from '../../server/src/model/text';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
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
  '      - name: Set B',
  '        action: SetTaskSequenceVariable',
  '        with: { variable: VarB, value: "%VarA%" }',
  '      - name: Restart into Windows PE',
  '        action: RestartComputer',
  '        with: { target: winpe }',
  '  - name: Run first child',
  '    action: RunTaskSequence',
  '    with: { sequence: ./child1.tsq.yaml }',
  '  - name: Set C',
  '    action: SetTaskSequenceVariable',
  '    with: { variable: VarC, value: "3" }',
  '  - name: Run second child',
  '    action: RunTaskSequence',
  '    with: { sequence: CM100003 }',
  '  - name: Run first child again',
  '    action: RunTaskSequence',
  '    with: { sequence: ./child1.tsq.yaml }',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'parent.tsq.yaml': PARENT,
  // Runs the parent: it follows the parent's steps, so it is checked again after every edit.
  'top.tsq.yaml': [
    'sequence: Top',
    'steps:',
    '  - name: Run the parent',
    '    action: RunTaskSequence',
    '    with: { sequence: ./parent.tsq.yaml }',
    '',
  ].join('\n'),
  'child1.tsq.yaml': [
    'sequence: Child one',
    'packageId: CM100002',
    'steps:',
    '  - name: Use what the parent set',
    '    run: cmd.exe /c echo %VarA% %VarB% %VarC% %VarD%',
    '  - name: Run the grandchild',
    '    action: RunTaskSequence',
    '    with: { sequence: ./grandchild.tsq.yaml }',
    '',
  ].join('\n'),
  'child2.tsq.yaml': [
    'sequence: Child two',
    'packageId: CM100003',
    'steps:',
    '  - name: Use what the parent set',
    '    run: cmd.exe /c echo %VarA% %VarC% %VarX%',
    '  - name: Format',
    '    action: FormatAndPartitionDisk',
    '    with: { diskNumber: 0, diskType: Gpt, partitions: [{ name: OS, type: Primary, fileSystem: NTFS, size: 100%, variable: OSPart }] }',
    '',
  ].join('\n'),
  'grandchild.tsq.yaml': [
    'sequence: Grandchild',
    'steps:',
    '  - name: Use what the parents set',
    '    run: cmd.exe /c echo %VarA% %VarB% %VarY%',
    '',
  ].join('\n'),
};

/** Edits that keep the parent's links (names, command lines) and edits that change them (writes, calls). */
const LINK_EDITS: { find: string; replace: string }[] = [
  { find: 'variable: VarA', replace: 'variable: VarD' },
  { find: 'variable: VarC', replace: 'variable: VarX' },
  { find: 'variable: VarB', replace: 'variable: VarY' },
  { find: 'sequence: CM100003', replace: 'sequence: ./child1.tsq.yaml' },
  { find: 'sequence: ./child1.tsq.yaml }', replace: 'sequence: ./grandchild.tsq.yaml }' },
  { find: 'sequence: ./child1.tsq.yaml }', replace: 'sequence: ./nowhere.tsq.yaml }' },
  { find: '    action: RunTaskSequence\n', replace: '    action: RunCommandLine\n' },
  {
    find: '  - name: Set C\n',
    replace:
      '  - name: Run second child early\n    action: RunTaskSequence\n    with: { sequence: CM100003 }\n  - name: Set C\n',
  },
];

function canonical(list: readonly Diagnostic[]): unknown[] {
  return list
    .map((d) => JSON.parse(JSON.stringify(d)) as Diagnostic)
    .sort(
      (a, b) =>
        a.start - b.start || a.end - b.end || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
    );
}

/** The folder read into a file index, every file checked once, the parent open in the editor. */
function openFolder(files: Record<string, string>) {
  const folder = mkdtempSync(join(tmpdir(), 'tsq-children-kept-'));
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
  const opened = index.open(uri, 1, files['parent.tsq.yaml']);
  check(opened.entry);
  for (const d of opened.dependents) {
    d.analysis.invalidate();
    check(d);
  }
  const parent = opened.entry;
  let version = 1;
  /** Applies one edit of the parent as the editor sends it, and checks what the server would check. */
  const edit = (start: number, end: number, text: string): FileEntry[] => {
    const lines = new LineMap(parent.doc.text);
    const range = { start: lines.positionAt(start), end: lines.positionAt(end) };
    const result = index.change(uri, ++version, [{ range, text }])!;
    check(result.entry);
    for (const d of result.dependents) {
      if (!result.catalogReaders.has(d)) d.analysis.invalidate();
      check(d);
    }
    return result.dependents;
  };
  /** Every file's diagnostics as a full analysis of its text, with the other files read afresh. */
  const expected = () => {
    const ws = new Workspace();
    const docs = index.all().map((e) => parseDocument(e.id, e.doc.text));
    for (const d of docs) ws.upsert(d);
    return new Map(docs.map((d) => [d.id, canonical(analyzeDocument(ws, d))]));
  };
  const agree = (where: string) => {
    for (const [id, list] of expected()) assert.deepEqual(shown.get(id), list, `${id} after ${where}`);
  };
  return { index, parent, edit, agree, done: () => rmSync(folder, { recursive: true, force: true }) };
}

describe('children kept through edits of their parent', () => {
  test('a name edit keeps the links: only the sequence that runs the parent is checked again', () => {
    const f = openFolder(FILES);
    try {
      const ws = f.parent.project.ws;
      const links = ws.linksRevision;
      const at = f.parent.doc.text.indexOf('Run first child') + 3;
      const dependents = f.edit(at, at, 'x');
      assert.equal(ws.linksRevision, links);
      assert.deepEqual(
        dependents.map((d) => d.id.split('/').pop()),
        ['top.tsq.yaml'],
      );
      f.agree('a name edit');
    } finally {
      f.done();
    }
  });

  test('a write added, renamed or removed shows in the next diagnostics of the children', () => {
    const f = openFolder(FILES);
    try {
      const ws = f.parent.project.ws;
      const text = () => f.parent.doc.text;
      // VarD is read by the first child and set by no one: renaming VarA's write to VarD moves the finding.
      let at = text().indexOf('variable: VarA') + 'variable: Var'.length;
      let links = ws.linksRevision;
      f.edit(at, at + 1, 'D');
      assert.notEqual(ws.linksRevision, links);
      f.agree('VarA renamed VarD');
      links = ws.linksRevision;
      at = text().indexOf('Run first child');
      f.edit(at, at, 'Now ');
      assert.equal(ws.linksRevision, links, 'a name edit after the rename keeps the new links');
      f.agree('a name edit after the rename');
      // The write goes (its step becomes a command line), then comes back.
      const setC = text().indexOf('    action: SetTaskSequenceVariable\n    with: { variable: VarC');
      f.edit(
        setC,
        setC + '    action: SetTaskSequenceVariable\n    with: { variable: VarC, value: "3" }'.length,
        '    run: cmd.exe /c rem',
      );
      f.agree('the write of VarC removed');
      const back = text().indexOf('    run: cmd.exe /c rem');
      f.edit(
        back,
        back + '    run: cmd.exe /c rem'.length,
        '    action: SetTaskSequenceVariable\n    with: { variable: VarC, value: "3" }',
      );
      f.agree('the write of VarC back');
    } finally {
      f.done();
    }
  });

  test('a call added, retargeted or removed shows in the next diagnostics of the children', () => {
    const f = openFolder(FILES);
    try {
      const text = () => f.parent.doc.text;
      for (const { find, replace } of LINK_EDITS.slice(3)) {
        const at = text().indexOf(find);
        if (at < 0) continue;
        f.edit(at, at + find.length, replace);
        f.agree(`${JSON.stringify(find)} → ${JSON.stringify(replace)}`);
      }
    } finally {
      f.done();
    }
  });

  test('random edits of the parent, kept links or not, leave every file as a full analysis sees it', () => {
    const f = openFolder(FILES);
    try {
      const ws = f.parent.project.ws;
      const rnd = random(18_002);
      let kept = 0;
      let edits = 0;
      for (let i = 0; i < 160; i++) {
        const text = f.parent.doc.text;
        const links = ws.linksRevision;
        const r = rnd();
        let where: string;
        if (r < 0.35) {
          // A character typed into or taken out of a step's name.
          const names = [...text.matchAll(/- name: /g)].map((m) => m.index! + '- name: '.length + 1);
          const at = names[Math.floor(rnd() * names.length)] ?? 0;
          const insert = rnd() < 0.5;
          f.edit(at, insert ? at : at + 1, insert ? 'q' : '');
          where = `name edit at ${at}`;
        } else if (r < 0.6) {
          const { find, replace } = LINK_EDITS[Math.floor(rnd() * LINK_EDITS.length)];
          const [from, to] = rnd() < 0.5 ? [find, replace] : [replace, find];
          const at = text.indexOf(from);
          if (at < 0) continue;
          f.edit(at, at + from.length, to);
          where = `${JSON.stringify(from)} → ${JSON.stringify(to)}`;
        } else {
          const e = randomEdit(text, rnd);
          f.edit(e.start, e.end, e.text);
          where = JSON.stringify(e);
          if (rnd() < 0.8) {
            // Mostly undone again, as typing is, so that the file stays mostly well formed.
            f.agree(`edit ${i}: ${where}`);
            f.edit(e.start, e.start + e.text.length, text.slice(e.start, e.end));
            where = `undo of ${where}`;
          }
        }
        edits++;
        if (ws.linksRevision === links) kept++;
        f.agree(`edit ${i}: ${where}`);
      }
      assert.ok(kept > edits / 4 && kept < edits, `${kept} of ${edits} edits kept the links`);
    } finally {
      f.done();
    }
  });
});
