// Benchmark of workspaces whose sequences run each other: a ring, a chain, a fan (one sequence
// running all the others) and a lattice (each runs the next two) of 3,000 files. Reports `tsq lint`
// of the folder (time and peak memory of a fresh process, as an admin runs it) and, for the ring,
// the language server with the `workspace` scope: an edit of one file makes every other file be
// checked again, and hover must keep being answered meanwhile (worst and p95 while that work runs).
// Target (issue 11): linear work — seconds, not minutes, and the server answering throughout.
// Usage: npm run bench -- children   (TSQ_BENCH_CHILDREN=1000 chooses the size)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../test/lsp/client';
import { percentile, table } from './util';
import { probeHover } from './hover-probe';
import { childFileName, childShapeFiles, type ChildShape } from '../test/helpers/child-shapes';

const N = Number(process.env.TSQ_BENCH_CHILDREN ?? 3000);
const name = childFileName;

function writeShape(dir: string, shape: ChildShape, n: number): void {
  for (const [file, text] of Object.entries(childShapeFiles(shape, n))) writeFileSync(join(dir, file), text);
}

/** `tsq lint DIR` in a fresh process: seconds and peak resident memory (MB). */
function lintInProcess(dir: string): { seconds: number; peakMB: number } {
  const script = `
    const { main } = require(${JSON.stringify(join(__dirname, '../server/src/cli/main.js'))});
    const started = performance.now();
    main(['lint', '--format', 'json', ${JSON.stringify(dir)}], { out: () => {}, err: () => {}, color: false, version: 'bench' }).then(() => {
      process.stderr.write(JSON.stringify({ seconds: (performance.now() - started) / 1000, peakMB: process.resourceUsage().maxRSS / 1024 }));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return JSON.parse(r.stderr.trim().split('\n').pop()!);
}

async function serverOnRing(
  dir: string,
  n: number,
): Promise<{ openMs: number; recheckMs: number; worstMs: number; p95Ms: number; peakMB: number }> {
  const client = await TestClient.start({ folder: dir, settings: { diagnostics: { scope: 'workspace' } } });
  try {
    const uri = pathToFileURL(join(dir, name(0))).href;
    const opened = performance.now();
    await client.open(uri, readFileSync(join(dir, name(0)), 'utf8'));
    await client.diagnosticsFor(uri, { timeoutMs: 600_000 });
    const openMs = performance.now() - opened;
    await client.until(() => (client.diagnostics.size >= n ? true : undefined), 'all files checked', 600_000);
    const before = client.publishedTotal;
    const edited = performance.now();
    await client.change(uri, 2, [
      { range: { start: { line: 0, character: 10 }, end: { line: 0, character: 10 } }, text: 'x' },
    ]);
    const probe = probeHover(client, uri, { line: 4, character: 14 });
    await client.until(
      () => (client.publishedTotal - before >= n ? true : undefined),
      'all files checked again',
      600_000,
    );
    const recheckMs = performance.now() - edited;
    const latencies = await probe.stop();
    return {
      openMs,
      recheckMs,
      worstMs: Math.max(...latencies),
      p95Ms: percentile(latencies, 95),
      peakMB: client.peakMemoryMB() ?? NaN,
    };
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  let ringDir = '';
  for (const shape of ['ring', 'chain', 'fan', 'lattice'] as const) {
    const dir = mkdtempSync(join(tmpdir(), `tsq-bench-${shape}-`));
    writeShape(dir, shape, N);
    const r = lintInProcess(dir);
    rows.push([`${shape} of ${N}`, r.seconds.toFixed(2), r.peakMB.toFixed(0)]);
    if (shape === 'ring') ringDir = dir;
    else rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\ntsq lint of a folder of ${N} sequences that run each other (fresh process)\n`);
  console.log(table(['workspace', 'seconds', 'peak MB'], rows));
  const s = await serverOnRing(ringDir, N);
  rmSync(ringDir, { recursive: true, force: true });
  console.log(`\nlanguage server, ring of ${N}, scope "workspace"\n`);
  console.log(
    table(
      ['measure', 'value'],
      [
        ['open → its diagnostics (folder read first)', `${s.openMs.toFixed(0)} ms`],
        ['edit → all files checked again', `${s.recheckMs.toFixed(0)} ms`],
        ['hover while that runs: worst', `${s.worstMs.toFixed(0)} ms`],
        ['hover while that runs: p95', `${s.p95Ms.toFixed(0)} ms`],
        ['server peak memory', `${s.peakMB.toFixed(0)} MB`],
      ],
    ),
  );
}

void main();
