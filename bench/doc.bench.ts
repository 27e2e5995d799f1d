// Benchmark of `tsq doc` (issue 14's target: a 1,000-step sequence documented in under 1 s). A
// generated sequence (bench/generate.ts) of 1,000 and 10,000 steps beside the bench catalog, as
// the user runs it: `node bin/tsq.js doc FILE --format md|html --out FILE` in a fresh process each
// time (process start, reading, numbering, rendering and the safe write included), median of
// RUNS; and the document alone in process (build the model and render it, the file already read),
// which is what the editor's preview pays on each refresh. Also `tsq diff A B --format md` of the
// 1,000-step sequence against a copy with one group renamed.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from '../server/src/model/document';
import { Workspace } from '../server/src/semantics/workspace';
import { sequenceDocument } from '../server/src/report/sequence-doc';
import { renderDocument } from '../server/src/report/render';
import { BENCH_CATALOG, generateSequence } from './generate';
import { median, table } from './util';

const SIZES = [1_000, 10_000];
const RUNS = 5;
const ROOT = path.join(__dirname, '..', '..');
const TSQ = path.join(ROOT, 'bin', 'tsq.js');

function cli(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [TSQ, ...args], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !(args[0] === 'diff' && r.status === 1))
    throw new Error(`tsq ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-doc-bench-'));
try {
  fs.writeFileSync(path.join(dir, 'catalog.tsq.yaml'), BENCH_CATALOG);
  const rows: string[][] = [];
  for (const steps of SIZES) {
    const text = generateSequence(steps);
    const file = path.join(dir, `seq-${steps}.tsq.yaml`);
    fs.writeFileSync(file, text);
    for (const format of ['md', 'html'] as const) {
      const wall = median(
        Array.from({ length: RUNS }, () =>
          cli(['doc', file, '--format', format, '--out', path.join(dir, `out-${steps}.${format}`)]),
        ),
      );
      const ws = new Workspace();
      ws.upsert(parseDocument(path.join(dir, 'catalog.tsq.yaml'), BENCH_CATALOG));
      const doc = parseDocument(file, text);
      ws.upsert(doc);
      const inProcess = median(
        Array.from({ length: RUNS }, () => {
          const t0 = performance.now();
          renderDocument(sequenceDocument(ws, doc), format);
          return performance.now() - t0;
        }),
      );
      const size = fs.statSync(path.join(dir, `out-${steps}.${format}`)).size;
      rows.push([
        `tsq doc ${steps.toLocaleString('en-US')} steps`,
        format,
        `${wall.toFixed(0)} ms`,
        `${inProcess.toFixed(1)} ms`,
        `${(size / 1024).toFixed(0)} KB`,
      ]);
    }
    if (steps === 1_000) {
      const other = path.join(dir, 'seq-1000-b.tsq.yaml');
      fs.writeFileSync(other, text.replace(/group: (.*)/, 'group: $1 renamed'));
      const wall = median(Array.from({ length: RUNS }, () => cli(['diff', file, other, '--format', 'md'])));
      rows.push(['tsq diff 1,000 steps', 'md', `${wall.toFixed(0)} ms`, '', '']);
    }
  }
  console.log(
    `\ndoc: documents and change reports (median of ${RUNS}; load ${os.loadavg()[0].toFixed(2)}; target: tsq doc on 1,000 steps < 1 s)`,
  );
  console.log(table(['case', 'format', 'tsq (own process)', 'build + render in process', 'output'], rows));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
