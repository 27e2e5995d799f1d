// Processes the end-to-end harness starts, and only those: each runs in its own process group so
// that stopping it also stops whatever it forked (code-server's extension host, file watcher, pty
// host), and every group still alive is killed when the test process ends, errs or is interrupted.
// Scratch folders registered here are removed on those paths too.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, rmSync } from 'node:fs';

export interface OwnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
}

const liveGroups = new Set<number>();
const scratchFolders = new Set<string>();
let cleanupInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone: nothing of ours left to stop.
  }
}

/** Kills every process group this harness started and has not yet stopped; synchronous, for exit paths. */
export function killAllOwnedProcesses(): void {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

/** Removes `dir` when the test process ends, unless it is already gone by then. */
export function removeOnExit(dir: string): void {
  installCleanupOnExit();
  scratchFolders.add(dir);
}

function cleanUpOnExit(): void {
  killAllOwnedProcesses();
  for (const dir of scratchFolders) rmSync(dir, { recursive: true, force: true });
  scratchFolders.clear();
}

function installCleanupOnExit(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', cleanUpOnExit);
  const signals: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ];
  for (const [signal, code] of signals) {
    process.once(signal, () => {
      cleanUpOnExit();
      process.exit(code);
    });
  }
}

/**
 * Starts a command as the leader of a new process group. Output is kept in memory and, when
 * `logFile` is given, also written there, so a failing test can show what the program said.
 */
export function startOwned(
  command: string,
  args: string[],
  options: SpawnOptions & { logFile?: string } = {},
): OwnedProcess {
  installCleanupOnExit();
  const { logFile, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  liveGroups.add(pid);
  const chunks: string[] = [];
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const keep = (data: Buffer) => {
    chunks.push(data.toString('utf8'));
    log?.write(data);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (err) => resolve(`error: ${err.message}`));
    child.on('exit', (code, signal) => {
      log?.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { child, pid, exited, output: () => chunks.join('') };
}

/** Process ids still alive in a process group, read from /proc. */
export function processesInGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Process ids whose command line contains `text` (used to prove nothing of a run outlives it). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until no process names `text` (a session's own scratch path) on its command line: Chromium's
 * helpers (zygote, crash handler) end a moment after the browser does. What is still there after
 * `graceMs` is killed, by its id.
 */
export async function untilNoProcessMentions(text: string, graceMs = 5000): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (processesMentioning(text).length > 0 && Date.now() < deadline) await delay(20);
  for (const pid of processesMentioning(text)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It ended meanwhile.
    }
  }
  const killed = Date.now() + graceMs;
  while (processesMentioning(text).length > 0 && Date.now() < killed) await delay(20);
}

/**
 * Stops a process group: SIGTERM, then SIGKILL for whatever is left after `graceMs`.
 * Waits until no member of the group is alive.
 */
export async function stopOwned(owned: OwnedProcess, graceMs = 3000): Promise<void> {
  if (!liveGroups.has(owned.pid)) return;
  killGroup(owned.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processesInGroup(owned.pid).length > 0 && Date.now() < deadline) await delay(50);
  killGroup(owned.pid, 'SIGKILL');
  while (processesInGroup(owned.pid).length > 0) await delay(20);
  liveGroups.delete(owned.pid);
  await owned.exited;
}

/** Runs a command to completion in its own group, killing the group if it takes longer than `timeoutMs`. */
export async function runOwned(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs: number; logFile?: string },
): Promise<string> {
  const { timeoutMs, ...rest } = options;
  const owned = startOwned(command, args, rest);
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    owned.exited,
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  await stopOwned(owned, 0);
  if (outcome !== 0) {
    const why = outcome === 'timeout' ? `timed out after ${timeoutMs} ms` : `exited with ${outcome}`;
    throw new Error(`${command} ${args.join(' ')} ${why}:\n${owned.output().slice(-4000)}`);
  }
  return owned.output();
}
