// The marked-up rule fixtures of test/rules/ (the format is described in docs/adding-a-rule.md):
// reading one into cases and files, linting each case as `tsq lint` does, asking the language
// server's quick-fix function for the fixes of each finding, and writing the fixture back with
// what was found under the lines it was found on. A fixture passes when writing it back gives the
// same text; TSQ_UPDATE_FIXTURES=1 writes it back instead (then read the diff before committing).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionKind, type TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';
import type { TsqDocument } from '../../server/src/model/document';
import { FileIndex, type FileEntry } from '../../server/src/lsp/projects';
import { codeActions } from '../../server/src/lsp/code-actions';

/** Where the files of a case seem to live: a folder that does not exist, so nothing is read from disk. */
const ROOT = '/tsq-rule-fixture';
/** The file of a case that names none. */
export const DEFAULT_FILE = 'a.tsq.yaml';

const CASE = /^#### (.+)$/;
const FILE = /^#=== (\S+)(?: < (\S+))?\s*$/;
const MARK = /^#( *)(\^+|@\d+:\d+-\d+:\d+) (error|warning|information|hint) /;

export interface FixtureFile {
  name: string;
  /** A file of test/rules/shared/ used as it is (it must give no finding). */
  from?: string;
  /** Fixture line of the `#===` header; -1 for the default file. */
  header: number;
  /** The file's lines (annotations left out) with the fixture line each comes from. */
  lines: { text: string; at: number }[];
}

export interface FixtureCase {
  title: string;
  /** Fixture line of the `####` header. */
  at: number;
  /** One past the case's last fixture line. */
  end: number;
  files: FixtureFile[];
}

export interface Fixture {
  lines: string[];
  cases: FixtureCase[];
  /** Fixture lines that are annotations (left out when the fixture is written back). */
  annotations: Set<number>;
}

export class FixtureError extends Error {}

export function parseFixture(text: string, where: string): Fixture {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const cases: FixtureCase[] = [];
  const annotations = new Set<number>();
  let current: FixtureCase | undefined;
  let file: FixtureFile | undefined;
  /** Column of the marker of the annotation being read; -1 outside one. */
  let markColumn = -1;
  lines.forEach((line, i) => {
    const isCase = CASE.exec(line);
    if (isCase) {
      if (current) current.end = i;
      current = { title: isCase[1].trim(), at: i, end: lines.length, files: [] };
      cases.push(current);
      file = undefined;
      markColumn = -1;
      return;
    }
    if (!current) return; // notes before the first case
    const isFile = FILE.exec(line);
    if (isFile) {
      if (current.files.some((f) => f.name === isFile[1]))
        throw new FixtureError(`${where}:${i + 1}: the case already has a file ${isFile[1]}`);
      file = { name: isFile[1], from: isFile[2], header: i, lines: [] };
      current.files.push(file);
      markColumn = -1;
      return;
    }
    const mark = MARK.exec(line);
    // Below the marker line, `#` lines indented past the marker belong to the annotation.
    const textColumn = line.startsWith('#') ? line.slice(1).search(/\S/) + 1 : 0;
    const continues = markColumn >= 0 && textColumn >= markColumn + 2;
    if (mark || continues) {
      if (mark) markColumn = 1 + mark[1].length;
      file ??= addDefaultFile(current, i, where);
      annotations.add(i);
      return;
    }
    markColumn = -1;
    file ??= addDefaultFile(current, i, where);
    file.lines.push({ text: line, at: i });
  });
  for (const c of cases) {
    if (c.files.length === 0) throw new FixtureError(`${where}:${c.at + 1}: the case “${c.title}” has no file`);
    for (const f of c.files)
      if (f.from && f.lines.some((l) => l.text.trim() !== ''))
        throw new FixtureError(
          `${where}:${f.header + 1}: ${f.name} is read from ${f.from}; it cannot have lines of its own`,
        );
  }
  return { lines, cases, annotations };
}

function addDefaultFile(c: FixtureCase, at: number, where: string): FixtureFile {
  if (c.files.length > 0) throw new FixtureError(`${where}:${at + 1}: lines before the case's first #=== file`);
  const file: FixtureFile = { name: DEFAULT_FILE, header: -1, lines: [] };
  c.files.push(file);
  return file;
}

/** What the linter and the quick fixes gave for one file of a case. */
export interface FileResult {
  file: FixtureFile;
  doc: TsqDocument;
  findings: Diagnostic[];
  /** Quick fixes of each finding (same order): title and the text after the fix. */
  fixes: { title: string; text: string }[][];
}

export interface CaseResult {
  files: FileResult[];
}

/** Lints every file of the case in one workspace, as the language server holds open files, and asks for each finding's quick fixes. */
export function runCase(c: FixtureCase, sharedDir: string): CaseResult {
  const index = new FileIndex();
  const entries: { file: FixtureFile; entry: FileEntry }[] = [];
  for (const file of c.files) {
    const text = file.from
      ? fs.readFileSync(path.join(sharedDir, file.from), 'utf8')
      : file.lines.map((l) => `${l.text}\n`).join('');
    const { entry } = index.open(pathToFileURL(`${ROOT}/${file.name}`).href, 1, text);
    entries.push({ file, entry });
  }
  const files = entries.map(({ file, entry }) => {
    const findings = analyzeDocument(entry.project.ws, entry.doc);
    const fixes = findings.map((d) => quickFixes(index, entry, findings, d));
    return { file, doc: entry.doc, findings, fixes };
  });
  return { files };
}

/** The quick fixes the editor offers for `d`, but the one every finding has (a comment that silences it). */
function quickFixes(
  index: FileIndex,
  entry: FileEntry,
  all: Diagnostic[],
  d: Diagnostic,
): { title: string; text: string }[] {
  const actions = codeActions(
    index,
    entry,
    all,
    d.start,
    d.end,
    [CodeActionKind.QuickFix],
    [{ code: d.code, message: d.message }],
  );
  return actions
    .filter((a) => !a.title.startsWith('Ignore `'))
    .map((a) => {
      const edits = (a.edit?.changes?.[entry.uri] ?? []) as TextEdit[];
      return {
        title: a.title,
        text: TextDocument.applyEdits(TextDocument.create(entry.uri, 'tasksequence', 1, entry.doc.text), edits),
      };
    });
}

/** The fixture written back with `results` (one per case, in order) under the lines they belong to. */
export function renderFixture(fixture: Fixture, results: readonly CaseResult[]): string {
  const notes = fixture.lines
    .slice(0, fixture.cases[0]?.at ?? fixture.lines.length)
    .map((l) => `${l}\n`)
    .join('');
  return notes + fixture.cases.map((c, i) => renderCase(fixture, c, results[i])).join('');
}

/** One case written back with what was found: its annotations replaced by the results'. */
export function renderCase(fixture: Fixture, c: FixtureCase, result: CaseResult): string {
  const under = new Map<number, string[]>();
  for (const r of result.files) {
    if (r.file.from) continue;
    r.findings.forEach((d, k) => {
      const { line, lines } = annotate(r, d, r.fixes[k], result);
      const after =
        r.file.lines[Math.min(line, r.file.lines.length - 1)]?.at ?? (r.file.header >= 0 ? r.file.header : c.at);
      under.set(after, [...(under.get(after) ?? []), ...lines]);
    });
  }
  const out: string[] = [];
  for (let i = c.at; i < c.end; i++)
    if (!fixture.annotations.has(i)) out.push(fixture.lines[i], ...(under.get(i) ?? []));
  return out.map((l) => `${l}\n`).join('');
}

/** The fixture lines of one case as written. */
export function caseText(fixture: Fixture, c: FixtureCase): string {
  return fixture.lines
    .slice(c.at, c.end)
    .map((l) => `${l}\n`)
    .join('');
}

/** One finding as annotation lines, and the line of its file it goes under. */
function annotate(
  r: FileResult,
  d: Diagnostic,
  fixes: { title: string; text: string }[],
  all: CaseResult,
): { line: number; lines: string[] } {
  const start = r.doc.lineMap.positionAt(d.start);
  const end = r.doc.lineMap.positionAt(d.end);
  const onOneLine =
    start.line === end.line &&
    end.character > start.character &&
    start.character >= 1 &&
    start.line < r.file.lines.length;
  const mark = onOneLine
    ? `#${' '.repeat(start.character - 1)}${'^'.repeat(end.character - start.character)}`
    : `# @${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
  const indent = `#${' '.repeat((onOneLine ? start.character : 2) + 1)}`;
  const lines = [`${mark} ${d.severity} ${d.code}: ${oneLine(d.message)}`];
  if (d.hint) lines.push(`${indent}hint: ${oneLine(d.hint)}`);
  for (const rel of d.related ?? [])
    lines.push(`${indent}related: ${describePlace(all, rel.docId, rel.start, rel.end)}: ${oneLine(rel.message)}`);
  if (d.tags?.length) lines.push(`${indent}tags: ${d.tags.join(', ')}`);
  for (const fix of fixes)
    lines.push(`${indent}fix: ${fix.title}`, ...lineDiff(r.doc.text, fix.text).map((l) => `${indent}  ${l}`));
  return { line: start.line, lines };
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '\\n');
}

/** `file:line:column “what the range covers”` (its first line, shortened). */
function describePlace(all: CaseResult, docId: string, start: number, end: number): string {
  const r = all.files.find((f) => f.doc.id === docId);
  if (!r) return docId;
  const p = r.doc.lineMap.positionAt(start);
  const covered = r.doc.text.slice(start, end).split(/\r?\n/)[0];
  const shown = covered.length > 40 ? `${covered.slice(0, 40)}…` : covered;
  return `${r.file.name}:${p.line + 1}:${p.character + 1} “${shown}”`;
}

/** The lines a fix changes: `-` old, `+` new; an insertion shows the line before it with a space. */
function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  if (removed.length === 0 && added.length === 0) return ['(no change)'];
  const context = removed.length === 0 && head > 0 ? [` ${a[head - 1]}`] : [];
  return [...context, ...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)];
}

/**
 * Every case of every rule fixture in `dir` (test/rules), as its files' texts by name (files read
 * `from` the shared folder included), with the place to name in assertion messages.
 */
export function* fixtureCaseFiles(dir: string): Generator<{ where: string; files: Record<string, string> }> {
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const fixture = parseFixture(fs.readFileSync(path.join(dir, name), 'utf8'), `test/rules/${name}`);
    for (const c of fixture.cases) {
      const files: Record<string, string> = {};
      for (const f of c.files)
        files[f.name] = f.from
          ? fs.readFileSync(path.join(dir, 'shared', f.from), 'utf8')
          : f.lines.map((l) => `${l.text}\n`).join('');
      yield { where: `test/rules/${name} “${c.title}”`, files };
    }
  }
}
