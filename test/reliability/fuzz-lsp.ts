// Part `lsp` of the fuzz run: random edits of real example files through the real language
// server (dist/server.js over stdio), with requests of every feature interleaved. In each
// document run a copy of an example folder becomes a workspace folder, one file in it is opened
// and edited; the server must never exit, must answer every request (no internal errors, no
// failures in its log), and when the run ends, the diagnostics it published for the last
// version must be exactly what `tsq lint --format json` reports for the text saved to the file.
// A mismatch is narrowed down to the fewest edits (or, when a fresh open shows it too, the
// fewest lines) that still show it, and saved with its random seed.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { generateSequence } from '../../bench/generate';
import { tsq } from '../helpers/cli';
import { applyEdit, DEFAULT_EDIT_OPTIONS, random, randomEdit, type EditOptions } from './fuzz-edits';
import { FuzzReport } from './fuzz-report';
import { RawLanguageServer, type JsonRpcResponse } from './wire';

const REPO = join(__dirname, '..', '..', '..');
const EXAMPLES = join(REPO, 'examples');

export interface LspFuzzOptions {
  seed: number;
  /** Edits in all (each content change counts as one). */
  edits: number;
  /** Edits per document run. */
  runLength?: number;
  /** Chance of a request after each edit. */
  requestRate?: number;
  /** How long the server may take to answer or publish before it counts as hung. */
  timeoutMs?: number;
  /** The server's resident memory may not exceed this. */
  memoryBoundMB?: number;
  editOptions?: EditOptions;
  /** Called after each document run. */
  progress?: (report: FuzzReport) => void;
}

/** A folder of tsq files that belong together, and which of them to edit. */
interface Context {
  dir: string;
  files: string[];
}

function contexts(): Context[] {
  const tsqFiles = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.tsq.yaml'))
      .sort();
  return [
    { dir: EXAMPLES, files: tsqFiles(EXAMPLES) },
    { dir: join(EXAMPLES, 'broken'), files: tsqFiles(join(EXAMPLES, 'broken')) },
  ];
}

/** A finding as `tsq lint --format json` gives it. */
interface JsonFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  message: string;
}

const SEVERITIES = ['', 'error', 'warning', 'information', 'hint'];

/**
 * What differs between the server's diagnostics and the CLI's findings (empty when they agree).
 * The server's message carries the hint on its second line; the CLI's JSON has the message alone.
 */
export function differences(lsp: LspDiagnostic[], cli: JsonFinding[]): string[] {
  const place = (f: JsonFinding) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.code}`;
  const fromLsp = lsp.map((d) => ({
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: SEVERITIES[d.severity ?? 1],
    code: String(d.code),
    message: d.message,
  }));
  const unmatched = [...fromLsp];
  const out: string[] = [];
  for (const f of cli) {
    const i = unmatched.findIndex(
      (d) => place(d) === place(f) && (d.message === f.message || d.message.startsWith(`${f.message}\n`)),
    );
    if (i >= 0) unmatched.splice(i, 1);
    else out.push(`only tsq lint: ${place(f)} ${f.message}`);
  }
  for (const d of unmatched) out.push(`only the server: ${place(d)} ${d.message.split('\n')[0]}`);
  return out;
}

/** `tsq lint --format json FILE` (the command's own code, run in this process). */
async function lint(file: string): Promise<{ findings?: JsonFinding[]; problem?: string }> {
  try {
    const r = await tsq('lint', '--format', 'json', file);
    if (r.code === 2) return { problem: `tsq lint stopped (exit code 2): ${r.err.trim()}` };
    const all = JSON.parse(r.out) as Array<JsonFinding & { file: string }>;
    return { findings: all.filter((f) => basename(f.file) === basename(file)) };
  } catch (e) {
    return { problem: `tsq lint failed: ${e instanceof Error ? e.stack : String(e)}` };
  }
}

type Change = TextDocumentContentChangeEvent;

interface Request {
  method: string;
  params: unknown;
}

/** Requests of every feature the server offers, at `offset` (or at a place past the end). */
function randomRequest(doc: TextDocument, rnd: () => number, lastDiagnostics: unknown[], lastItem: unknown): Request {
  const textDocument = { uri: doc.uri };
  const hostile = rnd() < 0.05;
  const positionOf = () =>
    hostile
      ? { line: doc.lineCount + Math.floor(rnd() * 10), character: Math.floor(rnd() * 1e6) }
      : doc.positionAt(Math.floor(rnd() * (doc.getText().length + 1)));
  const position = positionOf();
  const range = () => {
    const a = positionOf(),
      b = positionOf();
    return a.line < b.line || (a.line === b.line && a.character <= b.character)
      ? { start: a, end: b }
      : { start: b, end: a };
  };
  const word = () =>
    ['', 'OSD', 'Partition', 'CM1000', 'é', '%', 'NewName', '_SMSTSInWinPE', 'a b'][Math.floor(rnd() * 9)];
  const requests: Array<() => Request> = [
    () => ({ method: 'textDocument/completion', params: { textDocument, position, context: { triggerKind: 1 } } }),
    () => ({
      method: 'textDocument/completion',
      params: { textDocument, position, context: { triggerKind: 2, triggerCharacter: '%' } },
    }),
    () => ({ method: 'completionItem/resolve', params: lastItem ?? { label: 'InstallPackage' } }),
    () => ({ method: 'textDocument/hover', params: { textDocument, position } }),
    () => ({ method: 'textDocument/definition', params: { textDocument, position } }),
    () => ({
      method: 'textDocument/references',
      params: { textDocument, position, context: { includeDeclaration: rnd() < 0.5 } },
    }),
    () => ({ method: 'textDocument/prepareRename', params: { textDocument, position } }),
    () => ({ method: 'textDocument/rename', params: { textDocument, position, newName: word() } }),
    () => ({ method: 'textDocument/documentSymbol', params: { textDocument } }),
    () => ({ method: 'workspace/symbol', params: { query: word() } }),
    () => ({
      method: 'textDocument/codeAction',
      params: { textDocument, range: range(), context: { diagnostics: lastDiagnostics.filter(() => rnd() < 0.5) } },
    }),
    () => ({ method: 'textDocument/foldingRange', params: { textDocument } }),
    () => ({ method: 'textDocument/documentLink', params: { textDocument } }),
    () => ({ method: 'textDocument/semanticTokens/full', params: { textDocument } }),
    () => ({ method: 'textDocument/semanticTokens/range', params: { textDocument, range: range() } }),
  ];
  return requests[Math.floor(rnd() * requests.length)]();
}

/** Error codes a correct server may answer with: RequestFailed (a rename it refuses, with its reason). */
const EXPECTED_ERRORS = new Set([-32803]);
const FAILURE_LOG = /failed:|unexpected error/;

export async function fuzzLanguageServer(options: LspFuzzOptions): Promise<FuzzReport> {
  const report = new FuzzReport('lsp', options.seed);
  const rnd = random(options.seed);
  const runLength = options.runLength ?? 100;
  const requestRate = options.requestRate ?? 0.3;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const memoryBoundMB = options.memoryBoundMB ?? 1500;
  const editOptions = options.editOptions ?? DEFAULT_EDIT_OPTIONS;
  const sets = contexts();
  let server = await RawLanguageServer.start(undefined, { workspace: { workspaceFolders: true } });
  let logSeen = 0;
  let run = 0;

  try {
    while (report.inputs < options.edits) {
      run++;
      const set = sets[Math.floor(rnd() * sets.length)];
      const name = set.files[Math.floor(rnd() * set.files.length)];
      const folder = mkdtempSync(join(tmpdir(), 'tsq-fuzz-lsp-'));
      try {
        for (const f of set.files) cpSync(join(set.dir, f), join(folder, f));
        // Now and then a large generated sequence instead of the example.
        if (rnd() < 0.05) writeFileSync(join(folder, name), generateSequence(50 + Math.floor(rnd() * 200)));
        const file = join(folder, name);
        const folderUri = pathToFileURL(folder).href;
        const uri = pathToFileURL(file).href;
        const initial = readFileSync(file, 'utf8');
        let doc = TextDocument.create(uri, 'tasksequence', 1, initial);
        const changes: Array<{ version: number; changes: Change[] }> = [];
        const outstanding = new Map<number, Request>();
        let lastItem: unknown;

        server.notify('workspace/didChangeWorkspaceFolders', {
          event: { added: [{ uri: folderUri, name: 'fuzz' }], removed: [] },
        });
        server.notify('textDocument/didOpen', {
          textDocument: { uri, languageId: 'tasksequence', version: 1, text: initial },
        });

        /** Waits for every request sent so far; problems are failures of this run. */
        const drain = async (): Promise<string | undefined> => {
          for (const [id, request] of outstanding) {
            const answer: JsonRpcResponse | undefined = await server.until(() => server.responses.get(id), timeoutMs);
            outstanding.delete(id);
            if (!answer)
              return `no answer to ${request.method} within ${timeoutMs} ms${server.alive ? '' : ' (the server exited)'}`;
            server.responses.delete(id);
            report.answered++;
            if (answer.error && !EXPECTED_ERRORS.has(answer.error.code))
              return `${request.method} answered error ${answer.error.code}: ${answer.error.message}`;
            if (request.method === 'textDocument/completion') {
              const result = answer.result as { items?: unknown[] } | unknown[] | null;
              const items = Array.isArray(result) ? result : result?.items;
              if (items?.length) lastItem = items[Math.floor(rnd() * items.length)];
            }
          }
          return undefined;
        };

        let problem: string | undefined;
        let version = 1;
        const runEdits = Math.min(runLength, options.edits - report.inputs);
        for (let i = 0; i < runEdits && !problem;) {
          // Mostly one change per notification; sometimes several (multi-cursor), a whole new text, or a range given end first.
          const count = rnd() < 0.1 ? 2 + Math.floor(rnd() * 3) : 1;
          const batch: Change[] = [];
          for (let k = 0; k < count && i < runEdits; k++, i++) {
            const text = doc.getText();
            let change: Change;
            if (rnd() < 0.01) change = { text: applyEdit(text, randomEdit(text, rnd, editOptions)) };
            else {
              const edit = randomEdit(text, rnd, editOptions);
              const range = { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) };
              change = { range: rnd() < 0.02 ? { start: range.end, end: range.start } : range, text: edit.text };
            }
            batch.push(change);
            doc = TextDocument.update(doc, [change], version + 1);
          }
          version++;
          changes.push({ version, changes: batch });
          report.inputs += batch.length;
          server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: batch });
          if (rnd() < requestRate) {
            const last = server.diagnostics.get(uri)?.at(-1)?.diagnostics ?? [];
            const request = randomRequest(doc, rnd, last, lastItem);
            outstanding.set(server.send(request.method, request.params), request);
          }
          if (outstanding.size >= 20) problem = await drain();
        }
        problem ??= await drain();

        const finalText = doc.getText();
        let published: LspDiagnostic[] | undefined;
        if (!problem) {
          published = await server.until(
            () =>
              server.diagnostics
                .get(uri)
                ?.filter((d) => d.version === version)
                .at(-1)?.diagnostics as LspDiagnostic[] | undefined,
            timeoutMs,
          );
          if (!published)
            problem = `no diagnostics for version ${version} within ${timeoutMs} ms${server.alive ? '' : ' (the server exited)'}`;
        }
        const reproducer = { run, context: set.dir, file: name, initial, changes, finalText };
        if (problem) {
          report.fail(server.alive ? 'hang' : 'crash', `run ${run} (${name}): ${problem}`, reproducer, {
            '.tsq.yaml': finalText,
          });
        } else {
          writeFileSync(file, finalText);
          const cli = await lint(file);
          if (cli.problem)
            report.fail('crash', `run ${run} (${name}): ${cli.problem}`, reproducer, { '.tsq.yaml': finalText });
          else {
            const diff = differences(published!, cli.findings!);
            report.compared += cli.findings!.length;
            if (diff.length) {
              const narrowed = await narrow(server, uri, file, initial, changes, finalText, timeoutMs);
              report.fail(
                'mismatch',
                `run ${run} (${name}): ${diff[0]}${diff.length > 1 ? ` (+${diff.length - 1} more)` : ''}`,
                { ...reproducer, differences: diff, narrowed },
                { '.tsq.yaml': narrowed.text ?? finalText },
              );
            }
          }
        }
        const failures = server.log.slice(logSeen).filter((l) => FAILURE_LOG.test(l));
        logSeen = server.log.length;
        for (const f of failures)
          report.fail('crash', `run ${run} (${name}): the server logged ${f}`, reproducer, { '.tsq.yaml': finalText });
        if (server.alive) {
          server.notify('textDocument/didClose', { textDocument: { uri } });
          server.notify('workspace/didChangeWorkspaceFolders', {
            event: { added: [], removed: [{ uri: folderUri, name: 'fuzz' }] },
          });
          server.diagnostics.clear();
        }
        report.noteMemory(server.peakMemoryMB());
        if (report.peakMemoryMB > memoryBoundMB && !report.failures.some((f) => f.kind === 'memory')) {
          report.fail(
            'memory',
            `the server reached ${Math.round(report.peakMemoryMB)} MB (bound ${memoryBoundMB} MB) by run ${run}`,
          );
        }
        if (!server.alive) {
          report.fail(
            'crash',
            `the server exited during run ${run} (${JSON.stringify(server.exit)}); stderr: ${server.stderr.slice(-5).join(' | ')}`,
            reproducer,
            { '.tsq.yaml': finalText },
          );
          server = await RawLanguageServer.start(undefined, { workspace: { workspaceFolders: true } });
          logSeen = 0;
        }
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      options.progress?.(report);
    }
  } finally {
    await server.shutdown();
  }
  return report;
}

/**
 * The smallest input that still shows a mismatch. When the final text opened afresh agrees with
 * the CLI, the edits are to blame: the latest starting point (the text after the first k edits,
 * opened afresh) from which the rest of the edits still go wrong. Otherwise the text itself is:
 * lines are removed while the fresh open still disagrees with the CLI.
 */
async function narrow(
  server: RawLanguageServer,
  uri: string,
  file: string,
  initial: string,
  changes: Array<{ version: number; changes: Change[] }>,
  finalText: string,
  timeoutMs: number,
): Promise<{
  fresh: boolean;
  text?: string;
  from?: string;
  changes?: Array<{ version: number; changes: Change[] }>;
  differences?: string[];
}> {
  let opened = 0;
  /** The server's diagnostics after opening `text` afresh and applying `rest`. */
  const replay = async (
    text: string,
    rest: Array<{ version: number; changes: Change[] }>,
  ): Promise<LspDiagnostic[] | undefined> => {
    server.notify('textDocument/didClose', { textDocument: { uri } });
    const base = 1_000_000 + ++opened * 10_000;
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'tasksequence', version: base, text } });
    let version = base;
    for (const c of rest)
      server.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: c.changes });
    return (await server.until(
      () =>
        server.diagnostics
          .get(uri)
          ?.filter((d) => d.version === version)
          .at(-1)?.diagnostics,
      timeoutMs,
    )) as LspDiagnostic[] | undefined;
  };
  const disagrees = async (
    text: string,
    rest: Array<{ version: number; changes: Change[] }>,
    cliText: string,
  ): Promise<string[] | undefined> => {
    writeFileSync(file, cliText);
    const cli = await lint(file);
    const lsp = await replay(text, rest);
    if (!cli.findings || !lsp) return undefined;
    const diff = differences(lsp, cli.findings);
    return diff.length ? diff : undefined;
  };

  const freshDiff = await disagrees(finalText, [], finalText);
  if (!freshDiff) {
    // Texts after 0..n edits; the latest start that still goes wrong.
    const texts = [initial];
    let d = TextDocument.create(uri, 'tasksequence', 0, initial);
    for (const c of changes) {
      d = TextDocument.update(d, c.changes, c.version);
      texts.push(d.getText());
    }
    for (let k = changes.length - 1; k >= 0; k--) {
      const diff = await disagrees(texts[k], changes.slice(k), finalText);
      if (diff) return { fresh: false, from: texts[k], changes: changes.slice(k), text: finalText, differences: diff };
    }
    return { fresh: false, from: initial, changes, text: finalText };
  }
  let lines = finalText.split('\n');
  let last = freshDiff;
  for (let size = Math.max(1, Math.floor(lines.length / 2)); size >= 1; size = Math.floor(size / 2)) {
    for (let at = 0; at < lines.length;) {
      const candidate = [...lines.slice(0, at), ...lines.slice(at + size)];
      const text = candidate.join('\n');
      const diff = candidate.length ? await disagrees(text, [], text) : undefined;
      if (diff) {
        lines = candidate;
        last = diff;
      } else at += size;
    }
  }
  return { fresh: true, text: lines.join('\n'), differences: last };
}
