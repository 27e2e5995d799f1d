// Benchmark of the simulator and the debug adapter. Simulation: generated sequences of 10k, 50k
// and 100k steps (bench/generate.ts: groups with conditions, command lines, variables, installs,
// restarts) on a machine that starts in the full OS, in a fresh process per size. A "step" is a
// step of the file (groups are visited too but not counted, so steps/s undercounts visits/s);
// parsing the file is not part of a run and is shown on its own. The first run of a freshly
// parsed file — what `tsq simulate` and every start of the debugger do — also compiles the
// file's programs (simulator/program.ts) and scans its references, in a process that has not run
// the simulator before; later runs reuse the programs, as the debugger's restarts and CI reruns
// do. A first run happens once per process, so it is measured in FIRST_PROCESSES fresh processes
// per size. Each figure is a median, as wall time and as CPU time of the process (all threads,
// garbage collection included), beside the load average: the machines are shared. Memory: heap
// and buffers a finished run keeps, per step, without and with the history for stepping back,
// and what the compiled file keeps (programs, reference scan) for as long as the file is parsed.
// Debugger: dist/debug.js as its own process, started as VS Code starts it (package.json's
// `runtimeArgs`), driven over DAP; the time from sending "next" to the stopped event (and to the
// stack trace VS Code then asks for) on a 10k-step sequence.
// From the files to the answer, 100k steps, each in a fresh process (START_RUNS of each, alternated):
// `tsq simulate` end to end (bin/tsq.js, as the command runs: read, check, run, print the text to
// a file; a large input runs in a second process, frontend/one-shot-heap.ts), and the debugger's
// first stop (dist/debug.js started, launched with stopOnEntry, until the stopped event; its CPU
// is counted until it exits, right after that stop). CPU time is that of the processes, each
// adding its own at its exit by a preloaded hook (NODE_OPTIONS=--require), since wall time on a
// shared machine counts the other helpers' work.
// Targets (issue 4): ≥ 1M steps per second with linear growth; "next" round trip p95 ≤ 5 ms.
// Targets (issue 18): the first run of a freshly read 100k-step file ≥ 1M steps/s, compile
// included; `tsq simulate` on 100k steps under 1.5 s end to end; the debugger's first stop on a
// 100k-step file under 1 s.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseDocument } from '../server/src/model/document';
import { Workspace } from '../server/src/semantics/workspace';
import { Simulation } from '../server/src/simulator/engine';
import type { MachineModel } from '../server/src/model/machine';
import { tuneForOneRun } from '../server/src/frontend/one-shot-tuning';
import { BENCH_CATALOG, generateSequence } from './generate';
import { median, percentile, table } from './util';

/** `TSQ_BENCH_SIZES=100000` picks sizes (the last is the one the targets are read at). */
const SIZES = process.env.TSQ_BENCH_SIZES?.split(',').map(Number) ?? [10_000, 50_000, 100_000];
const RUNS = 9;
/** Fresh processes per size for the first run (one of them also measures later runs and memory). */
const FIRST_PROCESSES = 7;
const MACHINE = 'machine: Bench PC\nstartsIn: fullos\n';

/** The debug adapter started as VS Code starts it: `runtime`, `runtimeArgs` and `program` of package.json's debugger. */
class DeclaredAdapter extends DebugClient {
  private adapter?: ReturnType<typeof spawn>;
  constructor(private readonly env?: NodeJS.ProcessEnv) {
    super('node', 'dist/debug.js', 'tasksequence');
  }
  override start(): Promise<void> {
    const root = path.join(__dirname, '..', '..');
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { debuggers: { program: string; runtimeArgs?: string[] }[] };
    };
    const declared = manifest.contributes.debuggers[0];
    this.adapter = spawn(process.execPath, [...(declared.runtimeArgs ?? []), path.join(root, declared.program)], {
      env: this.env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    this.connect(this.adapter.stdout!, this.adapter.stdin!);
    return Promise.resolve();
  }
  override async stop(): Promise<void> {
    await this.disconnectRequest().catch(() => undefined);
    this.adapter?.kill();
  }
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Timing {
  wall: number;
  cpu: number;
}

function timed(f: () => void): Timing {
  const c0 = cpuMs();
  const t0 = performance.now();
  f();
  return { wall: performance.now() - t0, cpu: cpuMs() - c0 };
}

const medianOf = (ts: Timing[]): Timing => ({ wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)) });

/** Heap and buffer bytes that `keep` holds, after full collections (needs --expose-gc). */
function retainedBytes(make: () => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const kept = make();
  const after = used();
  return kept ? after - before : NaN;
}

function measure(steps: number, firstOnly: boolean) {
  const ws = new Workspace();
  ws.upsert(parseDocument('/bench/catalog.tsq.yaml', BENCH_CATALOG));
  const text = generateSequence(steps);
  let doc = parseDocument('/bench/warm.tsq.yaml', '');
  const parse = timed(() => {
    doc = parseDocument('/bench/seq.tsq.yaml', text);
  });
  ws.upsert(doc);
  const machine = parseDocument('/bench/machine.tsq.yaml', MACHINE).model as MachineModel;
  let sim!: Simulation;
  const once = (history: boolean) =>
    timed(() => {
      sim = new Simulation(ws, doc, machine, { history });
      sim.run();
    });
  const first = once(false);
  const visits = sim.state.visits;
  const result = sim.ended;
  if (firstOnly) return { steps, visits, result, parse, first };
  const later: Timing[] = [];
  for (let r = 0; r < RUNS; r++) later.push(once(false));
  const history: Timing[] = [];
  for (let r = 0; r < 3; r++) history.push(once(true));
  const kept = retainedBytes(() => {
    const s = new Simulation(ws, doc, machine, {});
    s.run();
    return s;
  });
  const keptWithHistory = retainedBytes(() => {
    const s = new Simulation(ws, doc, machine, { history: true });
    s.run();
    return s;
  });
  // What compiling keeps: a second parse of the same text, made ready to run (the constructor scans and compiles it) but not run.
  const again = parseDocument('/bench/again.tsq.yaml', text);
  ws.upsert(again);
  const compiled = retainedBytes(() => new Simulation(ws, again, machine, {}));
  return {
    steps,
    visits,
    result,
    parse,
    first,
    later: medianOf(later),
    history: medianOf(history),
    bytesPerStep: kept / steps,
    bytesPerStepWithHistory: keptWithHistory / steps,
    compiledPerStep: compiled / steps,
  };
}

async function dapRoundTrips(steps: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-bench-'));
  const dc = new DeclaredAdapter();
  try {
    fs.writeFileSync(path.join(dir, 'catalog.tsq.yaml'), BENCH_CATALOG);
    fs.writeFileSync(path.join(dir, 'seq.tsq.yaml'), generateSequence(steps));
    fs.writeFileSync(path.join(dir, 'machine.tsq.yaml'), MACHINE);
    dc.defaultTimeout = 60_000;
    await dc.start();
    const stoppedOnce = () => new Promise<DebugProtocol.StoppedEvent>((resolve) => dc.once('stopped', resolve));
    const entry = stoppedOnce();
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({
        program: path.join(dir, 'seq.tsq.yaml'),
        machine: path.join(dir, 'machine.tsq.yaml'),
        stopOnEntry: true,
        showLog: false,
      }),
    ]);
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

/** Steps of the file `tsq simulate` and the debugger start from, and how many fresh processes of each. */
const START_STEPS = 100_000;
const START_RUNS = 3;

/** A folder with the bench catalog, a machine that starts in the full OS and a `steps`-step sequence, and a hook that adds each process's CPU time to a file at its exit (`tsq` may run the work in a second process). */
function startFolder(steps: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-bench-start-'));
  fs.writeFileSync(path.join(dir, 'catalog.tsq.yaml'), BENCH_CATALOG);
  fs.writeFileSync(path.join(dir, 'seq.tsq.yaml'), generateSequence(steps));
  fs.writeFileSync(path.join(dir, 'machine.tsq.yaml'), MACHINE);
  const hook = path.join(dir, 'cpu-at-exit.js');
  fs.writeFileSync(
    hook,
    `process.on('exit', () => { const u = process.cpuUsage(); require('fs').appendFileSync(process.env.TSQ_BENCH_CPU_FILE, String((u.user + u.system) / 1000) + '\\n'); });\n`,
  );
  const cpuFile = path.join(dir, 'cpu.txt');
  const env = { ...process.env, NODE_OPTIONS: `--require ${hook}`, TSQ_BENCH_CPU_FILE: cpuFile };
  const cpu = () =>
    fs
      .readFileSync(cpuFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .reduce((sum, ms) => sum + Number(ms), 0);
  return { dir, env, cpu };
}

/** `tsq simulate --machine machine.tsq.yaml seq.tsq.yaml > out.txt` as the command runs it (bin/tsq.js), timed. */
function simulateCommand(folder: ReturnType<typeof startFolder>): Timing {
  const out = fs.openSync(path.join(folder.dir, 'out.txt'), 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [path.join(__dirname, '..', '..', 'bin', 'tsq.js'), 'simulate', '--machine', 'machine.tsq.yaml', 'seq.tsq.yaml'],
      { cwd: folder.dir, env: folder.env, stdio: ['ignore', out, 'pipe'] },
    );
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`tsq simulate exited with ${r.status}: ${String(r.stderr)}`);
    return { wall, cpu: folder.cpu() };
  } finally {
    fs.closeSync(out);
  }
}

/** The debugger started on seq.tsq.yaml with stopOnEntry, until its first stopped event. */
async function debuggerFirstStop(folder: ReturnType<typeof startFolder>): Promise<Timing> {
  const dc = new DeclaredAdapter(folder.env);
  dc.defaultTimeout = 120_000;
  const t0 = performance.now();
  await dc.start();
  const entry = new Promise<void>((resolve) => dc.once('stopped', () => resolve()));
  await Promise.all([
    dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
    dc.launch({
      program: path.join(folder.dir, 'seq.tsq.yaml'),
      machine: path.join(folder.dir, 'machine.tsq.yaml'),
      stopOnEntry: true,
      showLog: false,
    }),
  ]);
  await entry;
  const wall = performance.now() - t0;
  const exited = new Promise<void>((resolve) => dc.once('exited', () => resolve()));
  await dc.stop();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  // The adapter writes its CPU time as it exits: wait for the file.
  for (let i = 0; i < 100 && !fs.existsSync(path.join(folder.dir, 'cpu.txt')); i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return { wall, cpu: folder.cpu() };
}

/** START_RUNS of each, alternated, each in a fresh process. */
async function fromTheFiles() {
  const folder = startFolder(START_STEPS);
  try {
    const simulate: Timing[] = [];
    const firstStop: Timing[] = [];
    for (let r = 0; r < START_RUNS; r++) {
      fs.rmSync(path.join(folder.dir, 'cpu.txt'), { force: true });
      simulate.push(simulateCommand(folder));
      fs.rmSync(path.join(folder.dir, 'cpu.txt'), { force: true });
      firstStop.push(await debuggerFirstStop(folder));
    }
    return { simulate, firstStop };
  } finally {
    fs.rmSync(folder.dir, { recursive: true, force: true });
  }
}

function child<T>(args: string[]): T {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

const rate = (steps: number, ms: number) => `${(steps / ms / 1000).toFixed(2)} M/s`;
const ms = (t: Timing) => `${t.wall.toFixed(0)} / ${t.cpu.toFixed(0)} ms`;
const load = () => `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;

type Full = Extract<ReturnType<typeof measure>, { later: Timing }>;

/** One process measuring everything, and FIRST_PROCESSES - 1 more for the first run alone; first-run and parse figures are medians over all of them. */
function sizeRow(steps: number) {
  const full = child<Full>(['--size', String(steps)]);
  const firsts = [full.first];
  const parses = [full.parse];
  for (let p = 1; p < FIRST_PROCESSES; p++) {
    const r = child<{ first: Timing; parse: Timing }>(['--size', String(steps), '--first']);
    firsts.push(r.first);
    parses.push(r.parse);
  }
  return { ...full, first: medianOf(firsts), parse: medianOf(parses) };
}

if (process.argv[2] === '--size') {
  // As `tsq simulate` and the debug adapter run (frontend/one-shot-tuning.ts).
  tuneForOneRun();
  process.stdout.write(JSON.stringify(measure(Number(process.argv[3]), process.argv[4] === '--first')));
} else {
  const rows = SIZES.map(sizeRow);
  console.log(
    `\nSimulator: new Simulation + run to the end on a parsed file (machine starts in the full OS); times are wall / CPU; ${load()}\n`,
  );
  console.log(
    `First run of a freshly parsed file in a fresh process (compiles the file), median of ${FIRST_PROCESSES} processes\n`,
  );
  console.log(
    table(
      [
        'steps',
        'visits',
        'result',
        'parse (not a run)',
        'first run',
        'µs / step (CPU)',
        'steps / s (wall)',
        'steps / s (CPU)',
      ],
      rows.map((r) => [
        r.steps.toLocaleString('en-US'),
        r.visits.toLocaleString('en-US'),
        String(r.result),
        ms(r.parse),
        ms(r.first),
        ((r.first.cpu * 1000) / r.steps).toFixed(2),
        rate(r.steps, r.first.wall),
        rate(r.steps, r.first.cpu),
      ]),
    ),
  );
  console.log(`\nLater runs of the same parsed file, median of ${RUNS}\n`);
  console.log(
    table(
      ['steps', 'later runs', 'µs / step (CPU)', 'steps / s (wall)', 'steps / s (CPU)'],
      rows.map((r) => [
        r.steps.toLocaleString('en-US'),
        ms(r.later),
        ((r.later.cpu * 1000) / r.steps).toFixed(2),
        rate(r.steps, r.later.wall),
        rate(r.steps, r.later.cpu),
      ]),
    ),
  );
  console.log(
    '\nWith the history for stepping back (the debugger), and what a finished run keeps (heap + buffers, per step)\n',
  );
  console.log(
    table(
      ['steps', 'run with history', 'kept / step', 'kept / step with history', 'compiled file / step'],
      rows.map((r) => [
        r.steps.toLocaleString('en-US'),
        ms(r.history),
        `${r.bytesPerStep.toFixed(0)} B`,
        `${r.bytesPerStepWithHistory.toFixed(0)} B`,
        `${r.compiledPerStep.toFixed(0)} B`,
      ]),
    ),
  );
  const big = rows[rows.length - 1];
  const met = (steps: number, t: number) => (steps / t >= 1000 ? 'met' : 'NOT met');
  const verdict = (t: Timing) =>
    `${rate(big.steps, t.wall)} wall (${met(big.steps, t.wall)}), ${rate(big.steps, t.cpu)} CPU (${met(big.steps, t.cpu)})`;
  console.log(`\nTarget 100k steps ≥ 1M steps/s (a run of at most ${(big.steps / 1000).toFixed(0)} ms):`);
  console.log(
    `  first run of a freshly parsed file (what tsq simulate and the debugger do): ${ms(big.first)} → ${verdict(big.first)}`,
  );
  console.log(`  later runs of the same parsed file: ${ms(big.later)} → ${verdict(big.later)}`);
  const growth = (pick: (r: Full) => Timing) =>
    `${((pick(rows[0]).cpu * 1000) / rows[0].steps).toFixed(2)} → ${((pick(big).cpu * 1000) / big.steps).toFixed(2)} (×${(pick(big).cpu / big.steps / (pick(rows[0]).cpu / rows[0].steps)).toFixed(2)})`;
  console.log(
    `Growth 10k → 100k, CPU µs per step (1.00 is linear): first run ${growth((r) => r.first)}; later runs ${growth((r) => r.later)}`,
  );
  fromTheFiles()
    .then((start) => {
      const steps = START_STEPS.toLocaleString('en-US');
      console.log(
        `\nFrom the files, ${steps} steps, each in a fresh process (${START_RUNS} of each, alternated); times are wall / CPU; ${load()}\n`,
      );
      const row = (what: string, ts: Timing[], targetMs: number) => {
        const m = medianOf(ts);
        return [
          what,
          ts.map(ms).join(', '),
          ms(m),
          `${m.cpu <= targetMs ? 'met' : 'NOT met'} (CPU), ${m.wall <= targetMs ? 'met' : 'NOT met'} (wall)`,
        ];
      };
      console.log(
        table(
          ['measure', 'runs', 'median', 'target'],
          [
            row('tsq simulate, end to end (≤ 1500 ms)', start.simulate, 1500),
            row('debugger: start → first stop (≤ 1000 ms)', start.firstStop, 1000),
          ],
        ),
      );
      console.log(
        `\nTargets (issue 18), ${steps} steps: first run ≥ 1M steps/s → ${verdict(big.first)}; tsq simulate ≤ 1.5 s → ${ms(medianOf(start.simulate))}; debugger's first stop ≤ 1 s → ${ms(medianOf(start.firstStop))}`,
      );
      return dapRoundTrips(10_000);
    })
    .then((d) => {
      const p = (xs: number[], q: number) => `${percentile(xs, q).toFixed(2)} ms`;
      console.log(
        `\nDebug adapter (separate process, 10k steps, history on): request sent → stopped event received; "+ view" adds stackTrace, scopes, variables; ${load()}\n`,
      );
      console.log(
        table(
          ['request', 'count', 'p50', 'p95', 'p50 + view', 'p95 + view'],
          [
            [
              'next over a group (20 steps)',
              String(d.overGroups.length),
              p(
                d.overGroups.map((x) => x.next),
                50,
              ),
              p(
                d.overGroups.map((x) => x.next),
                95,
              ),
              p(
                d.overGroups.map((x) => x.full),
                50,
              ),
              p(
                d.overGroups.map((x) => x.full),
                95,
              ),
            ],
            [
              'next over one step',
              String(d.overSteps.length),
              p(
                d.overSteps.map((x) => x.next),
                50,
              ),
              p(
                d.overSteps.map((x) => x.next),
                95,
              ),
              p(
                d.overSteps.map((x) => x.full),
                50,
              ),
              p(
                d.overSteps.map((x) => x.full),
                95,
              ),
            ],
            ['stepBack', String(d.back.length), p(d.back, 50), p(d.back, 95), '', ''],
          ],
        ),
      );
      const p95 = percentile(
        [...d.overGroups, ...d.overSteps].map((x) => x.next),
        95,
      );
      console.log(`\nTarget "next" round trip p95 ≤ 5 ms → ${p95.toFixed(2)} ms: ${p95 <= 5 ? 'met' : 'NOT met'}`);
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
