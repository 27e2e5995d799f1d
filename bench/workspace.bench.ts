// Benchmark at workspace scale (issue 18, item 4) on the seeded repository of
// bench/generate-workspace.ts: 500 sequences of 50–300 steps, ten catalogs, child sequences,
// deployments and machines. Measures, each in fresh processes:
// - `tsq lint` of the whole folder (wall and CPU time of the process, start-up included);
// - the language server with `tsq.diagnostics.scope: workspace`, driven over stdio as an editor
//   drives it: from `initialize` to the last file's first diagnostics;
// - a catalog edit in that server: the catalog open in the editor loses an entry that 40
//   sequences reference (then gets it back): time until each of them has published its new
//   diagnostics, and how many files were checked again (the fewer beyond those 40, the better).
// Targets: lint and first full-workspace diagnostics under 3 s, a catalog edit under 300 ms.
// The machine may be shared: CPU time is the steadier figure. With TSQ_BENCH_BASELINE=<another
// checkout, built> the same measurements run on that build too, alternated run by run, so that a
// before and an after come from one run under the same load.
// Usage: npm run bench -- workspace   (TSQ_BENCH_RUNS=n runs each measurement n times, 3 by default)

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient, repoRoot } from '../test/lsp/client';
import { generateWorkspace, type GeneratedWorkspace } from './generate-workspace';
import { median, table } from './util';

const RUNS = Number(process.env.TSQ_BENCH_RUNS ?? 3);
const BASELINE = process.env.TSQ_BENCH_BASELINE;

interface Build {
  name: string;
  root: string;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** `tsq lint` of the folder in a fresh process; the process reports its own CPU time as it exits. */
function lint(build: Build, folder: string): Timing & { findings: number } {
  const script = `
    const { writeSync } = require('node:fs');
    let out = '';
    process.stdout.write = (s) => { out += s; return true; };
    process.on('exit', () => {
      const cpu = process.cpuUsage();
      writeSync(3, JSON.stringify({ wallMs: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, findings: JSON.parse(out || '[]').length }));
    });
    process.argv = [process.argv[0], 'tsq', 'lint', '--format', 'json', ${JSON.stringify(folder)}];
    require(${JSON.stringify(join(build.root, 'dist', 'cli.js'))}).run();`;
  const r = spawnSync(process.execPath, ['-e', script], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const report = r.output[3] as string | null;
  if (!report) throw new Error(`tsq lint failed: ${r.stderr}`);
  return JSON.parse(report) as Timing & { findings: number };
}

/** CPU time (ms) a process has used so far (Linux /proc; NaN elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    // No /proc (not Linux): there is no figure to give.
    return NaN;
  }
}

interface ServerRun {
  first: Timing;
  files: number;
  remove: Timing & { checked: number };
  restore: Timing & { checked: number };
  peakMB: number;
}

async function server(build: Build, folder: string, ws: GeneratedWorkspace, files: number): Promise<ServerRun> {
  const started = performance.now();
  const client = await TestClient.start({
    folder,
    settings: { diagnostics: { scope: 'workspace' } },
    tsqServer: join(build.root, 'dist', 'server.js'),
  });
  try {
    const pid = client.process.pid;
    await client.until(() => (client.diagnostics.size >= files ? true : undefined), 'every file checked', 600_000);
    const first = { wallMs: performance.now() - started, cpuMs: cpuMsOf(pid) };
    // Let anything still scheduled finish, so the edit is measured alone.
    await settle(client);
    const catalogUri = pathToFileURL(join(folder, ws.hot.catalog)).href;
    const text = readFileSync(join(folder, ws.hot.catalog), 'utf8');
    const seen = client.published(catalogUri);
    await client.open(catalogUri, text, 1);
    await client.diagnosticsFor(catalogUri, { after: seen, version: 1, timeoutMs: 60_000 });
    await settle(client);
    const referrers = ws.hot.referrers.map((f) => pathToFileURL(join(folder, f)).href);
    const at = text.indexOf(ws.hot.entryText);
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
    const entryRange = {
      start: { line: lineOf(at), character: 0 },
      end: { line: lineOf(at + ws.hot.entryText.length), character: 0 },
    };
    const mentionsHot = (list: { message: unknown }[]) =>
      list.some((d) => typeof d.message === 'string' && d.message.includes(ws.hot.id));
    const edit = async (version: number, change: { range: typeof entryRange; text: string }, missing: boolean) => {
      const before = new Map(referrers.map((u) => [u, client.published(u)]));
      const total = client.publishedTotal;
      const cpu = cpuMsOf(pid);
      const t0 = performance.now();
      await client.change(catalogUri, version, [change]);
      for (const u of referrers)
        await client.diagnosticsFor(u, {
          after: before.get(u),
          matching: (list) => mentionsHot(list) === missing,
          timeoutMs: 60_000,
        });
      const wallMs = performance.now() - t0;
      const cpuMs = cpuMsOf(pid) - cpu;
      await settle(client);
      return { wallMs, cpuMs, checked: client.publishedTotal - total };
    };
    const remove = await edit(2, { range: entryRange, text: '' }, true);
    const restore = await edit(
      3,
      { range: { start: entryRange.start, end: entryRange.start }, text: ws.hot.entryText },
      false,
    );
    return { first, files: client.diagnostics.size, remove, restore, peakMB: client.peakMemoryMB() ?? NaN };
  } finally {
    await client.stop();
  }
}

/** Waits until the server has published nothing for half a second. */
async function settle(client: TestClient): Promise<void> {
  for (;;) {
    const n = client.publishedTotal;
    await new Promise((r) => setTimeout(r, 500));
    if (client.publishedTotal === n) return;
  }
}

const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

async function main(): Promise<void> {
  const ws = generateWorkspace();
  const folder = mkdtempSync(join(tmpdir(), 'tsq-bench-workspace-'));
  const builds: Build[] = [{ name: 'this build', root: repoRoot }];
  if (BASELINE) builds.unshift({ name: `baseline (${BASELINE})`, root: BASELINE });
  try {
    for (const [file, text] of Object.entries(ws.files)) {
      mkdirSync(dirname(join(folder, file)), { recursive: true });
      writeFileSync(join(folder, file), text);
    }
    const files = Object.keys(ws.files).length;
    const bytes = Object.values(ws.files).reduce((n, t) => n + t.length, 0);
    const steps = Object.values(ws.files).reduce((n, t) => n + (t.match(/^\s+- name: /gm)?.length ?? 0), 0);
    const lints = new Map<Build, (Timing & { findings: number })[]>(builds.map((b) => [b, []]));
    const servers = new Map<Build, ServerRun[]>(builds.map((b) => [b, []]));
    for (let i = 0; i < RUNS; i++) for (const b of builds) lints.get(b)!.push(lint(b, folder));
    for (let i = 0; i < RUNS; i++) for (const b of builds) servers.get(b)!.push(await server(b, folder, ws, files));

    console.log(
      `\nWorkspace of ${files} files (${ws.sequences.length} sequences, ${steps.toLocaleString('en-US')} steps, ` +
        `${ws.catalogs.length} catalogs, ${(bytes / 1e6).toFixed(1)} MB); the hot entry ${ws.hot.id} is referenced by ` +
        `${ws.hot.referrers.length} sequences. Medians of ${RUNS} runs (range), each build in turn.\n`,
    );
    const rows: string[][] = [];
    for (const b of builds) {
      const l = lints.get(b)!;
      const s = servers.get(b)!;
      const row = (what: string, wall: number[], cpu: number[], target: number, note = '') =>
        rows.push([
          b.name,
          what,
          `${ms(wall)} (${range(wall)})`,
          `${ms(cpu)} (${range(cpu)})`,
          `${median(cpu) < target && median(wall) < target ? 'met' : median(cpu) < target ? 'met in CPU time' : 'NOT met'}`,
          note,
        ]);
      row(
        'tsq lint of the folder',
        l.map((x) => x.wallMs),
        l.map((x) => x.cpuMs),
        3000,
        `${l[0].findings} findings`,
      );
      row(
        'server: initialize → every file checked',
        s.map((x) => x.first.wallMs),
        s.map((x) => x.first.cpuMs),
        3000,
        `${s[0].files} files, peak ${median(s.map((x) => x.peakMB)).toFixed(0)} MB`,
      );
      row(
        `catalog edit: ${ws.hot.id} removed → referrers updated`,
        s.map((x) => x.remove.wallMs),
        s.map((x) => x.remove.cpuMs),
        300,
        `${median(s.map((x) => x.remove.checked))} files checked again`,
      );
      row(
        `catalog edit: ${ws.hot.id} back → referrers clear`,
        s.map((x) => x.restore.wallMs),
        s.map((x) => x.restore.cpuMs),
        300,
        `${median(s.map((x) => x.restore.checked))} files checked again`,
      );
    }
    console.log(
      table(['build', 'measure', 'wall median (range)', 'CPU median (range)', 'target', 'what it saw'], rows),
    );
    console.log(
      '\nTargets (issue 18): tsq lint and the first full-workspace diagnostics under 3 s, a catalog edit under 300 ms.',
    );
    console.log(`The server's CPU time is read from /proc; the lint's is the process's own (start-up included).`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
