// Benchmark of the language server, driven over stdio exactly as an editor drives it, on
// generated sequences of several shapes (bench/generate.ts: the mixed one, the flat groups of
// issue 18, deep nesting, child sequences, every step type, long conditions, many variables;
// with a catalog and child sequences beside them), next to
// yaml-language-server given the equivalent JSON Schema (allSchemas() of our schema module) in
// the same run. Reports median and p95 of: cold start to `initialize`; didOpen → diagnostics; a
// one-character edit → diagnostics; completion; hover; document symbols; and each server's peak
// memory, with the ratios. yaml-language-server waits 200 ms before validating (its default);
// that is part of what an editor sees from it, so it stays in its numbers.
// Targets on every shape at 10k steps (issue 18): didOpen → diagnostics at most 1/10 of
// yaml-language-server's, edit → diagnostics p95 ≤ 30 ms, completion and hover p95 ≤ 10 ms,
// document symbols no slower than yaml-language-server's, peak memory at most 1/4 of its.
// Usage: npm run bench -- lsp   (TSQ_BENCH_SHAPES=mixed,nested picks shapes, all by default;
// TSQ_BENCH_SIZES=1000,10000,50000 picks sizes, 10000 by default; TSQ_BENCH_SERVERS=tsq skips
// yaml-language-server; TSQ_BENCH_RUNS=quick measures each thing a few times only;
// TSQ_BENCH_EDITS=60 sets how many edits tsq gets, for a steadier p95 in quick mode;
// TSQ_BENCH_BASELINE=/path/to/other/dist/server.js measures that build of tsq instead of this one,
// to compare two builds with the same bench; TSQ_BENCH_TRANSPORT=ipc talks to tsq over Node IPC
// instead of stdio)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompletionRequest, DocumentSymbolRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { TestClient, repoRoot, type ClientOptions } from '../test/lsp/client';
import { allSchemas } from '../server/src/schema/generate';
import { allSteps } from '../server/src/catalog';
import { BENCH_SHAPES, generateShape, type BenchShape } from './generate';
import { median, percentile, table } from './util';

const SIZES = (process.env.TSQ_BENCH_SIZES ?? '10000').split(',').map(Number);
const SHAPES = (process.env.TSQ_BENCH_SHAPES ?? BENCH_SHAPES.join(',')).split(',').map((s) => {
  if (!(BENCH_SHAPES as readonly string[]).includes(s))
    throw new Error(`unknown shape ${s}; shapes: ${BENCH_SHAPES.join(', ')}`);
  return s as BenchShape;
});
/** `tsq` alone skips yaml-language-server (for quick runs while working on the server). */
const ONLY_TSQ = process.env.TSQ_BENCH_SERVERS === 'tsq';
const YAML_LS = join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

interface Runs {
  cold: number;
  open: number;
  edits: number;
  requests: number;
  /**
   * Document symbol requests. They take tens of milliseconds on either server, so both ask the
   * same, larger number: with five or three the median moved by up to 1.5× between runs.
   */
  symbols: number;
  timeoutMs: number;
}

/** `quick` measures each thing a few times only (all shapes at 10k on a loaded machine in minutes, not an hour). */
const QUICK = process.env.TSQ_BENCH_RUNS === 'quick';
const EDITS = process.env.TSQ_BENCH_EDITS ? Number(process.env.TSQ_BENCH_EDITS) : undefined;
const BASELINE = process.env.TSQ_BENCH_BASELINE;
const TRANSPORT = process.env.TSQ_BENCH_TRANSPORT === 'ipc' ? 'ipc' : 'stdio';

/** How often each measurement runs: fewer for yaml-language-server on large files, which take seconds each. */
function runsFor(server: 'tsq' | 'yaml', steps: number): Runs {
  const runs = defaultRuns(server, steps);
  if (server === 'tsq' && EDITS !== undefined && EDITS > 0) runs.edits = EDITS;
  return runs;
}

function defaultRuns(server: 'tsq' | 'yaml', steps: number): Runs {
  if (QUICK)
    return server === 'tsq'
      ? { cold: 2, open: 3, edits: 20, requests: 20, symbols: 15, timeoutMs: 120_000 }
      : { cold: 1, open: 1, edits: 2, requests: 3, symbols: 15, timeoutMs: 600_000 };
  if (server === 'tsq') return { cold: 5, open: 5, edits: 60, requests: 40, symbols: 30, timeoutMs: 60_000 };
  if (steps <= 1000) return { cold: 5, open: 5, edits: 20, requests: 20, symbols: 30, timeoutMs: 60_000 };
  if (steps <= 10_000) return { cold: 2, open: 3, edits: 6, requests: 10, symbols: 30, timeoutMs: 120_000 };
  return { cold: 3, open: 1, edits: 3, requests: 3, symbols: 10, timeoutMs: 600_000 };
}

interface Result {
  cold: number[];
  open: number[];
  edit: number[];
  completion: number[];
  hover: number[];
  symbols: number[];
  /** How many symbols (children included) the outline held: servers cap it differently. */
  symbolCount: number;
  peakMB: number;
  /** The server process's CPU time (user + system, Linux `/proc`) over the whole run, in ms. */
  cpuMs: number;
}

function countSymbols(list: unknown): number {
  if (!Array.isArray(list)) return 0;
  return list.reduce((n: number, s: { children?: unknown }) => n + 1 + countSymbols(s.children), 0);
}

/** Offsets of `needle` in `text` (each occurrence), to pick edit and request positions from. */
function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0,
    start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

async function time<T>(f: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

async function measure(server: 'tsq' | 'yaml', steps: number, folder: string, text: string): Promise<Result> {
  const runs = runsFor(server, steps);
  const schemaFile = join(folder, 'sequence.schema.json');
  const options: ClientOptions =
    server === 'tsq'
      ? { folder, tsqServer: BASELINE, transport: TRANSPORT }
      : {
          folder,
          server: [YAML_LS, '--stdio'],
          sections: {
            yaml: {
              validate: true,
              hover: true,
              completion: true,
              schemaStore: { enable: false },
              schemas: { [pathToFileURL(schemaFile).href]: '*.tsq.yaml' },
            },
          },
        };
  const uri = pathToFileURL(join(folder, 'sequence.tsq.yaml')).href;
  // Its peak memory and CPU time are read from the process at the end.
  const result = emptyResult();

  for (let i = 0; i < runs.cold; i++) {
    let client: TestClient | undefined;
    result.cold.push(
      await time(async () => {
        client = await TestClient.start(options);
      }),
    );
    await client!.stop();
  }

  const client = await TestClient.start(options);
  const wait = (after: number, version?: number) =>
    client.diagnosticsFor(uri, { after, version: server === 'tsq' ? version : undefined, timeoutMs: runs.timeoutMs });
  // Let start-up work (reading the folder, settings) finish before measuring.
  await new Promise((r) => setTimeout(r, 500));
  let current = text;
  for (let i = 0; i < runs.open; i++) {
    current = `${text}# opened ${i}\n`;
    const seen = client.published(uri);
    result.open.push(
      await time(async () => {
        await client.open(uri, current, 1);
        await wait(seen, 1);
      }),
    );
    if (i < runs.open - 1) {
      const closing = client.published(uri);
      await client.close(uri);
      await client.until(
        () => (client.published(uri) > closing ? true : undefined),
        'diagnostics cleared on close',
        runs.timeoutMs,
      );
    }
  }

  const names = occurrences(current, '- name: ').map((o) => o + '- name: '.length + 2);
  const actions = occurrences(current, '  action: ').map((o) => o + '  action: '.length);
  const pick = (list: number[], i: number) => list[Math.floor((((i * 7919) % 997) / 997) * list.length)];
  let version = 1;
  for (let i = 0; i < runs.edits; i++) {
    const at = positionAt(current, pick(names, i));
    const insert = i % 2 === 0;
    const offset = pick(names, i);
    current = insert
      ? current.slice(0, offset) + 'x' + current.slice(offset)
      : current.slice(0, offset) + current.slice(offset + 1);
    const seen = client.published(uri);
    version++;
    result.edit.push(
      await time(async () => {
        await client.change(uri, version, [
          {
            range: { start: at, end: insert ? at : { line: at.line, character: at.character + 1 } },
            text: insert ? 'x' : '',
          },
        ]);
        await wait(seen, version);
      }),
    );
    if (!insert) continue;
    // Keep the text in the state the next edit expects (every insert is undone by the next edit).
    names.splice(0, names.length, ...occurrences(current, '- name: ').map((o) => o + '- name: '.length + 2));
  }
  if (runs.edits % 2 === 1) {
    names.splice(0, names.length, ...occurrences(current, '- name: ').map((o) => o + '- name: '.length + 2));
  }
  // Shapes without `action:` steps ask about `run:` instead.
  const actionsNow = occurrences(current, '  action: ').map((o) => o + '  action: '.length);
  if (!actions.length) actions.push(...occurrences(current, '  run: ').map((o) => o + '  run: '.length));
  for (let i = 0; i < runs.requests; i++) {
    const p = positionAt(current, pick(actionsNow.length ? actionsNow : actions, i));
    result.completion.push(
      await time(() => client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: p })),
    );
    result.hover.push(
      await time(() =>
        client.connection.sendRequest(HoverRequest.type, {
          textDocument: { uri },
          position: { line: p.line, character: p.character + 3 },
        }),
      ),
    );
  }
  // The first asks for the revision the last edit made (tsq builds its outline then); the rest
  // ask again, as the outline, breadcrumbs and sticky scroll do.
  for (let i = 0; i < runs.symbols; i++) {
    let answer: unknown;
    result.symbols.push(
      await time(async () => {
        answer = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
      }),
    );
    result.symbolCount = countSymbols(answer);
  }
  result.peakMB = client.peakMemoryMB() ?? NaN;
  result.cpuMs = processCpuMs(client.process.pid);
  await client.stop();
  return result;
}

function workspace(shape: BenchShape, steps: number): { folder: string; text: string } {
  const folder = mkdtempSync(join(tmpdir(), `tsq-bench-lsp-${shape}-${steps}-`));
  const { sequence: text, files } = generateShape(shape, steps);
  writeFileSync(join(folder, 'sequence.tsq.yaml'), text);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  writeFileSync(join(folder, 'sequence.schema.json'), JSON.stringify(allSchemas(allSteps()).sequence));
  return { folder, text };
}

/** A result with no samples yet: what a server left out of the run reports. */
function emptyResult(): Result {
  return {
    cold: [],
    open: [],
    edit: [],
    completion: [],
    hover: [],
    symbols: [],
    symbolCount: 0,
    peakMB: NaN,
    cpuMs: NaN,
  };
}

/** A process's CPU time so far (user + system, in ms) from Linux's `/proc`, NaN where it cannot be read. */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    // No /proc (not Linux): there is no figure to give.
    return NaN;
  }
}

const ms = (x: number) => (Number.isNaN(x) ? '–' : x < 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`);
const mb = (x: number) => (Number.isNaN(x) ? '–' : `${x.toFixed(0)} MB`);
/** tsq's figure over yaml-language-server's, or a dash when the other server was left out. */
const ratio = (a: number, b: number, digits: number) => (Number.isFinite(a / b) ? (a / b).toFixed(digits) : '–');

async function main(): Promise<void> {
  const rows: string[][] = [];
  const targets: string[][] = [];
  for (const shape of SHAPES) {
    for (const steps of SIZES) {
      const { folder, text } = workspace(shape, steps);
      try {
        const tsq = await measure('tsq', steps, folder, text);
        const yaml = ONLY_TSQ ? emptyResult() : await measure('yaml', steps, folder, text);
        const lines = text.split('\n').length - 1;
        const what = `${shape} ${steps.toLocaleString('en-US')} (${lines.toLocaleString('en-US')} lines)`;
        const line = (name: string, a: number[], b: number[]) => {
          rows.push([
            what,
            name,
            ms(median(a)),
            ms(percentile(a, 95)),
            ms(median(b)),
            ms(percentile(b, 95)),
            ratio(median(a), median(b), 3),
            `${a.length}/${b.length}`,
          ]);
        };
        line('cold start → initialize', tsq.cold, yaml.cold);
        line('didOpen → diagnostics', tsq.open, yaml.open);
        line('1-char edit → diagnostics', tsq.edit, yaml.edit);
        line('completion', tsq.completion, yaml.completion);
        line('hover', tsq.hover, yaml.hover);
        line(
          `document symbols (${tsq.symbolCount.toLocaleString('en-US')} / ${yaml.symbolCount.toLocaleString('en-US')})`,
          tsq.symbols,
          yaml.symbols,
        );
        rows.push([
          what,
          'peak memory',
          mb(tsq.peakMB),
          '',
          mb(yaml.peakMB),
          '',
          ratio(tsq.peakMB, yaml.peakMB, 3),
          '',
        ]);
        rows.push([what, 'server CPU, whole run', ms(tsq.cpuMs), '', ms(yaml.cpuMs), '', '', '']);
        const verdict = (ok: boolean, value: string) => `${value} ${ok ? 'met' : 'NOT met'}`;
        // Targets set against yaml-language-server cannot be judged when it was left out.
        const against = (ok: boolean, value: string) => (value === '–' ? value : verdict(ok, value));
        targets.push([
          what,
          against(median(tsq.open) <= median(yaml.open) / 10, ratio(median(tsq.open), median(yaml.open), 3)),
          verdict(percentile(tsq.edit, 95) <= 30, ms(percentile(tsq.edit, 95))),
          verdict(
            Math.max(percentile(tsq.completion, 95), percentile(tsq.hover, 95)) <= 10,
            `${ms(percentile(tsq.completion, 95))} / ${ms(percentile(tsq.hover, 95))}`,
          ),
          against(median(tsq.symbols) <= median(yaml.symbols), ratio(median(tsq.symbols), median(yaml.symbols), 2)),
          against(tsq.peakMB <= yaml.peakMB / 4, ratio(tsq.peakMB, yaml.peakMB, 3)),
        ]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
  }
  console.log(
    '\nLanguage server over stdio: tsq vs yaml-language-server 1.x with the equivalent JSON Schema (ratio = tsq median / yaml-ls median)\n',
  );
  console.log(
    table(['shape, steps', 'measure', 'tsq median', 'tsq p95', 'yaml-ls median', 'yaml-ls p95', 'ratio', 'runs'], rows),
  );
  console.log(
    '\nDocument symbols: (tsq / yaml-ls) is how many symbols each answered with; yaml-language-server stops at its',
  );
  console.log('`yaml.maxItemsComputed` (5,000 by default) and lists YAML keys, tsq lists every group and step.');
  console.log('\nTargets (issue 18), each shape measured against yaml-language-server in the same run:\n');
  console.log(
    table(
      [
        'shape, steps',
        'open ≤ 1/10',
        'edit p95 ≤ 30 ms',
        'completion / hover p95 ≤ 10 ms',
        'symbols ≤ 1×',
        'memory ≤ 1/4',
      ],
      targets,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
