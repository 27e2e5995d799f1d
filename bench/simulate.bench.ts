// Benchmark of the simulator and the debug adapter. Simulation: generated sequences of 10k, 50k
// and 100k steps (bench/generate.ts: groups with conditions, command lines, variables, installs,
// restarts) on a machine that starts in the full OS, in a fresh process per size; the first run
// of a freshly parsed file (which also works out every step's plan) and the median of later runs.
// Debugger: dist/debug.js as its own process, driven over DAP; the time from sending "next" to
// the stopped event (and to the stack trace VS Code then asks for) on a 10k-step sequence.
// Targets (issue 4): ≥ 1M steps per second with linear growth; "next" round trip p95 ≤ 5 ms.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseDocument } from '../server/src/model/document';
import { Workspace } from '../server/src/analysis/workspace';
import { Simulation } from '../server/src/simulator/engine';
import type { MachineModel } from '../server/src/model/machine';
import { BENCH_CATALOG, generateSequence } from './generate';
import { median, percentile, table } from './util';

const SIZES = [10_000, 50_000, 100_000];
const RUNS = 7;
const MACHINE = 'machine: Bench PC\nstartsIn: fullos\n';

function measure(steps: number) {
  const ws = new Workspace();
  ws.upsert(parseDocument('/bench/catalog.tsq.yaml', BENCH_CATALOG));
  const doc = parseDocument('/bench/seq.tsq.yaml', generateSequence(steps));
  ws.upsert(doc);
  const machine = parseDocument('/bench/machine.tsq.yaml', MACHINE).model as MachineModel;
  const once = () => {
    const t0 = performance.now();
    const sim = new Simulation(ws, doc, machine, {});
    sim.run();
    const ms = performance.now() - t0;
    return { ms, visits: sim.state.visits, result: sim.ended };
  };
  const first = once();
  const later: number[] = [];
  for (let r = 0; r < RUNS; r++) later.push(once().ms);
  const withHistory = (() => {
    const t0 = performance.now();
    const sim = new Simulation(ws, doc, machine, { history: true });
    sim.run();
    return performance.now() - t0;
  })();
  return { steps, visits: first.visits, result: first.result, first: first.ms, median: median(later), withHistory };
}

async function dapRoundTrips(steps: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-bench-'));
  const dc = new DebugClient('node', path.join(__dirname, '..', '..', 'dist', 'debug.js'), 'tasksequence');
  try {
    fs.writeFileSync(path.join(dir, 'catalog.tsq.yaml'), BENCH_CATALOG);
    fs.writeFileSync(path.join(dir, 'seq.tsq.yaml'), generateSequence(steps));
    fs.writeFileSync(path.join(dir, 'machine.tsq.yaml'), MACHINE);
    dc.defaultTimeout = 60_000;
    await dc.start();
    const stoppedOnce = () => new Promise<DebugProtocol.StoppedEvent>((resolve) => dc.once('stopped', resolve));
    const entry = stoppedOnce();
    await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.launch({ program: path.join(dir, 'seq.tsq.yaml'), machine: path.join(dir, 'machine.tsq.yaml'), stopOnEntry: true, showLog: false })]);
    await entry;
    const time = async (request: () => Promise<unknown>, withStack: boolean) => {
      const stopped = stoppedOnce();
      const t0 = performance.now();
      await request();
      await stopped;
      const t1 = performance.now();
      if (withStack) {
        await dc.stackTraceRequest({ threadId: 1 });
        const scopes = await dc.scopesRequest({ frameId: 0 });
        await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
      }
      return { next: t1 - t0, full: performance.now() - t0 };
    };
    // Warm-up, then: "next" over whole groups at the top level, and "next" over single steps inside a group.
    for (let i = 0; i < 20; i++) await time(() => dc.nextRequest({ threadId: 1 }), true);
    const overGroups: { next: number; full: number }[] = [];
    for (let i = 0; i < 150; i++) overGroups.push(await time(() => dc.nextRequest({ threadId: 1 }), true));
    await time(() => dc.stepInRequest({ threadId: 1 }), false);
    const overSteps: { next: number; full: number }[] = [];
    for (let i = 0; i < 15; i++) overSteps.push(await time(() => dc.nextRequest({ threadId: 1 }), true));
    const back: number[] = [];
    for (let i = 0; i < 100; i++) back.push((await time(() => dc.stepBackRequest({ threadId: 1 }), false)).next);
    return { overGroups, overSteps, back };
  } finally {
    await dc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function child<T>(args: string[]): T {
  const r = spawnSync(process.execPath, [__filename, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

const rate = (steps: number, ms: number) => `${(steps / ms / 1000).toFixed(2)} M/s`;

if (process.argv[2] === '--size') {
  process.stdout.write(JSON.stringify(measure(Number(process.argv[3]))));
} else {
  const rows = SIZES.map((n) => child<ReturnType<typeof measure>>(['--size', String(n)]));
  console.log('\nSimulator: new Simulation + run to the end on a parsed file (machine starts in the full OS)\n');
  console.log(table(['steps', 'visits', 'result', 'first run', 'later runs (median)', 'µs / step', 'steps / s', 'with history'], rows.map((r) => [
    r.steps.toLocaleString('en-US'), r.visits.toLocaleString('en-US'), String(r.result), `${r.first.toFixed(0)} ms`, `${r.median.toFixed(0)} ms`, (r.median * 1000 / r.steps).toFixed(2), rate(r.steps, r.median), `${r.withHistory.toFixed(0)} ms`,
  ])));
  const big = rows[rows.length - 1];
  console.log(`\nTarget 100k steps: ≥ 1M steps/s → ${rate(big.steps, big.median)} later runs, ${rate(big.steps, big.first)} first run: ${big.steps / big.median >= 1000 ? 'met' : 'NOT met'}`);
  console.log(`Growth 10k → 100k (µs per step, later runs): ${(rows[0].median * 1000 / rows[0].steps).toFixed(2)} → ${(big.median * 1000 / big.steps).toFixed(2)} (×${((big.median / big.steps) / (rows[0].median / rows[0].steps)).toFixed(2)}; 1.00 is linear)`);

  dapRoundTrips(10_000).then((d) => {
    const p = (xs: number[], q: number) => `${percentile(xs, q).toFixed(2)} ms`;
    console.log('\nDebug adapter (separate process, 10k steps): request sent → stopped event received; "+ view" adds stackTrace, scopes, variables\n');
    console.log(table(['request', 'count', 'p50', 'p95', 'p50 + view', 'p95 + view'], [
      ['next over a group (20 steps)', String(d.overGroups.length), p(d.overGroups.map((x) => x.next), 50), p(d.overGroups.map((x) => x.next), 95), p(d.overGroups.map((x) => x.full), 50), p(d.overGroups.map((x) => x.full), 95)],
      ['next over one step', String(d.overSteps.length), p(d.overSteps.map((x) => x.next), 50), p(d.overSteps.map((x) => x.next), 95), p(d.overSteps.map((x) => x.full), 50), p(d.overSteps.map((x) => x.full), 95)],
      ['stepBack', String(d.back.length), p(d.back, 50), p(d.back, 95), '', ''],
    ]));
    const p95 = percentile([...d.overGroups, ...d.overSteps].map((x) => x.next), 95);
    console.log(`\nTarget "next" round trip p95 ≤ 5 ms → ${p95.toFixed(2)} ms: ${p95 <= 5 ? 'met' : 'NOT met'}`);
  }).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
