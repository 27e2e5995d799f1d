// Benchmark of the foundation: parse + analysis of generated sequences (1k, 10k, 50k steps)
// against a catalog, median of several runs and peak memory, in a fresh process per size so
// sizes do not share heap. Target (foundation issue): 10k steps under 300 ms and 200 MB, and no
// worse than linear growth.

import { spawnSync } from 'node:child_process';
import { parseDocument } from '../server/src/model/document';
import { Workspace } from '../server/src/semantics/workspace';
import { analyzeDocument } from '../server/src/analysis/analyze';
import { BENCH_CATALOG, generateSequence } from './generate';
import { median, table } from './util';

const SIZES = [1000, 10000, 50000];
const RUNS = 7;

function measure(steps: number) {
  const text = generateSequence(steps);
  const catalog = parseDocument('/bench/catalog.tsq.yaml', BENCH_CATALOG);
  // Warm up (JIT, lazily compiled schema validators) on a small file.
  for (let i = 0; i < 3; i++) {
    const ws = new Workspace();
    ws.upsert(catalog);
    const d = parseDocument('/bench/warm.tsq.yaml', generateSequence(500));
    ws.upsert(d);
    analyzeDocument(ws, d);
  }
  const parse: number[] = [],
    analyse: number[] = [],
    total: number[] = [];
  let diagnostics = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const doc = parseDocument('/bench/seq.tsq.yaml', text);
    const t1 = performance.now();
    const ws = new Workspace();
    ws.upsert(catalog);
    ws.upsert(doc);
    diagnostics = analyzeDocument(ws, doc).length;
    const t2 = performance.now();
    parse.push(t1 - t0);
    analyse.push(t2 - t1);
    total.push(t2 - t0);
  }
  return {
    steps,
    mb: text.length / 1e6,
    parse: median(parse),
    analyse: median(analyse),
    total: median(total),
    diagnostics,
    peakMB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Peak memory of one lint of the file, as `tsq lint` does it: a fresh process, one parse and analysis. */
function peakOfOneRun(steps: number) {
  const text = generateSequence(steps);
  const ws = new Workspace();
  ws.upsert(parseDocument('/bench/catalog.tsq.yaml', BENCH_CATALOG));
  const doc = parseDocument('/bench/seq.tsq.yaml', text);
  ws.upsert(doc);
  analyzeDocument(ws, doc);
  return { peakMB: process.resourceUsage().maxRSS / 1024 };
}

function child<T>(args: string[]): T {
  const r = spawnSync(process.execPath, [__filename, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

if (process.argv[2] === '--size') {
  process.stdout.write(JSON.stringify(measure(Number(process.argv[3]))));
} else if (process.argv[2] === '--peak') {
  process.stdout.write(JSON.stringify(peakOfOneRun(Number(process.argv[3]))));
} else {
  const rows = SIZES.map((n) => ({
    ...child<ReturnType<typeof measure>>(['--size', String(n)]),
    ...child<{ peakMB: number }>(['--peak', String(n)]),
  }));
  console.log(
    '\nEngine: parse + analysis of one sequence file (times: median of 7 runs; peak RSS: one lint in a fresh process)\n',
  );
  console.log(
    table(
      ['steps', 'size', 'parse', 'analysis', 'total', 'ms / 1k steps', 'peak RSS', 'findings'],
      rows.map((r) => [
        r.steps.toLocaleString('en-US'),
        `${r.mb.toFixed(1)} MB`,
        `${r.parse.toFixed(0)} ms`,
        `${r.analyse.toFixed(0)} ms`,
        `${r.total.toFixed(0)} ms`,
        (r.total / (r.steps / 1000)).toFixed(1),
        `${r.peakMB.toFixed(0)} MB`,
        String(r.diagnostics),
      ]),
    ),
  );
  const ten = rows.find((r) => r.steps === 10000)!;
  console.log(
    `\nTarget 10k steps: < 300 ms → ${ten.total.toFixed(0)} ms ${ten.total < 300 ? 'met' : 'NOT met'}; < 200 MB → ${ten.peakMB.toFixed(0)} MB ${ten.peakMB < 200 ? 'met' : 'NOT met'}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Hostile input: `tsq lint` on each bad file, timed end to end in a fresh process (what a user
// waits for); the foundation issue asks for a clear message within a second or two.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function hostileFiles(dir: string): Record<string, string> {
  const files: Record<string, Buffer | string> = {
    'empty file': '',
    'binary junk (4 KB)': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
    'not UTF-8 (Latin-1)': Buffer.from('sequence: Caf\xe9\nsteps: []\n', 'latin1'),
    '50 MB file':
      'sequence: Huge\nsteps:\n' + '  - { name: Step, run: cmd.exe /c echo padding padding padding }\n'.repeat(820_000),
    '10,000-level nesting':
      'sequence: Deep\nsteps:\n  - name: Deep\n    run: x.cmd\n    xml:\n      block:\n        ' +
      '- '.repeat(10000) +
      'x\n      flow: ' +
      '['.repeat(10000) +
      ']'.repeat(10000) +
      '\n',
    'exponential aliases':
      'sequence: Bomb\nvariables:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n' +
      Array.from({ length: 14 }, (_, i) => `  a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]\n`).join(
        '',
      ) +
      'steps: []\n',
  };
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    const p = path.join(dir, name.replace(/[^a-z0-9]+/gi, '-') + '.tsq.yaml');
    fs.writeFileSync(p, data);
    out[name] = p;
  }
  return out;
}

if (require.main === module && process.argv.length === 2) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-bench-hostile-'));
  try {
    const cli = path.join(__dirname, '../../bin/tsq.js');
    const rows = Object.entries(hostileFiles(dir)).map(([name, file]) => {
      const times: number[] = [];
      let first = '';
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const r = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', file], { encoding: 'utf8' });
        times.push(performance.now() - t);
        first = (JSON.parse(r.stdout)[0]?.message ?? '').slice(0, 60);
      }
      return [name, `${median(times).toFixed(0)} ms`, first];
    });
    console.log('\nHostile input: `tsq lint` end to end, fresh process (median of 3; includes Node start-up)\n');
    console.log(table(['file', 'time', 'first message'], rows));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
