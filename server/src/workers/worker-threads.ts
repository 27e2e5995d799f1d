// Worker threads beside the calling thread: what the two checks that can use another core share,
// written once. The two are the input check before a simulated run (input-check.ts: `tsq
// simulate` and the debug adapter) and a large workspace's check shared with helper threads
// (parallel-check.ts: `tsq lint` and the language server's first check of a folder). Why they are
// worth a thread, and when not, is measured in docs/performance.md ("The input check beside the
// run…", "Checking on more cores").
//
// - One bundle serves every kind of job: dist/check-worker.js (check-worker.ts); the job it is
//   started with (`WorkerJob`, its `workerData`) says which, and carries the caller's tsq file cap.
// - One reading of the machine (`spareCores`): the cores the load average over the last minute
//   leaves idle beyond the two that a check in one thread already keeps busy. A worker pays only
//   on a spare core: on a 2-core machine both jobs were measured slower with a worker than without,
//   even with nothing else running (docs/performance.md).
// - One fingerprint of a workspace (`fingerprint`): a worker reads and parses the files itself
//   (a parsed workspace cannot be handed to another thread for less than parsing it costs), so its
//   findings count only when it read the very texts the caller read, in the same order.
// - One way of starting a worker (`startWorker`): it never keeps the process alive, never prints
//   into the caller's output, and a worker that cannot start is `undefined`. Whatever a worker
//   does not deliver — it failed, it ended, it went silent for longer than `stallLimit` allows, it
//   read other texts — the caller does in its own thread, so what the user sees never depends on
//   whether a worker helped.
// - The environment overrides, for tests and measurements: TSQ_CHECK_ASIDE=always|never (the
//   input check) and TSQ_CHECK_HELPERS=0…8 (the shared check's helper count).

import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Severity } from '../analysis/diagnostic';
import type { Workspace } from '../semantics/workspace';
import type { SimulationFiles } from '../frontend/simulation-input';

/** The input check of a simulated run's files (input-check.ts). */
export interface InputCheckJob {
  kind: 'input-check';
  files: SimulationFiles;
  maxFileBytes: number;
}

/** How a helper builds the same workspace as the caller. */
export interface WorkspaceRecipe {
  /** `loadPaths(paths)` (frontend/load-paths.ts), as `tsq lint PATH...` does; paths resolve against the process's folder. */
  kind: 'paths';
  paths: string[];
  /**
   * The files to check: those the paths name (`tsq lint`; the default), or every document of the
   * workspace in workspace order, child sequences read from elsewhere too (the language server).
   */
  check?: 'named' | 'all';
}

/** A helper's share of a workspace check (parallel-check.ts). */
export interface SharedCheckJob {
  kind: 'shared-check';
  recipe: WorkspaceRecipe;
  severity: Record<string, Severity | 'off'>;
  maxFileBytes: number;
  /** Shared with the caller: the file counter and the caller's fingerprint (parallel-check.ts). */
  shared: SharedArrayBuffer;
}

/** What a worker is started with: the kind of job, and the tsq file cap in force in the caller (files/read.ts). */
export type WorkerJob = InputCheckJob | SharedCheckJob;

/** Overrides for tests and measurements: `always` or `never` check a simulation's input aside. */
export const CHECK_ASIDE_ENV = 'TSQ_CHECK_ASIDE';
/** Overrides for tests and measurements: how many helpers share a workspace check (0 to 8), whatever its size. */
export const HELPERS_ENV = 'TSQ_CHECK_HELPERS';

/**
 * Cores a check in one thread keeps busy by itself: the caller's thread, and V8's collector and
 * compiler threads (1.2 s of the 2.9 s CPU time of `tsq lint` of 500 sequences, about a quarter of
 * `tsq simulate` on 100,000 steps).
 */
const CORES_TAKEN = 2;

/**
 * Idle cores beyond the ones a check in one thread keeps busy: where a worker can run without
 * slowing it. Idle is what the load average over the last minute leaves (all cores where the
 * system keeps no load average: Windows).
 */
export function spareCores(cores = os.availableParallelism(), load = os.loadavg()[0]): number {
  return Math.round(cores - Math.max(0, load)) - CORES_TAKEN;
}

/** The fingerprint (SHA-1) of every document's id and text in workspace order, and of the files to check. */
export function fingerprint(ws: Workspace, targets: readonly string[] = []): Uint8Array {
  const hash = createHash('sha1');
  for (const doc of ws.all()) hash.update(`${doc.id}\0${doc.text.length}\0`).update(doc.text);
  hash.update(`\0targets\0${targets.join('\0')}`);
  return hash.digest();
}
/** Bytes in a fingerprint. */
export const FINGERPRINT_BYTES = 20;

export function sameFingerprint(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The one worker bundle: dist/check-worker.js beside the bundles, check-worker.js beside this file when compiled by tsc. */
export function workerScript(): string {
  return path.join(__dirname, 'check-worker.js');
}

/** What the caller hears of a worker. */
export interface WorkerEars<Message> {
  /** Each message, in the order sent. */
  heard(message: Message): void;
  /** The worker failed or ended; said once, also after a normal end. */
  gone(why: string): void;
}

/**
 * Starts a worker on `job` (from `script`, the one bundle by default; tests give failing ones);
 * undefined when none could be started, and the caller then does the work itself.
 */
export function startWorker<Message>(
  job: WorkerJob,
  ears: WorkerEars<Message>,
  script = workerScript(),
): Worker | undefined {
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: job, stdout: true, stderr: true });
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- no worker to be had: the caller does the work itself, as it would without one
    return undefined;
  }
  worker.unref();
  worker.stdout.resume();
  worker.stderr.resume();
  let gone = false;
  const leave = (why: string) => {
    if (gone) return;
    gone = true;
    ears.gone(why);
  };
  worker.on('message', (m: Message) => ears.heard(m));
  worker.on('error', (e) => leave(e.message));
  worker.on('exit', (code) => leave(`the worker ended (${code})`));
  return worker;
}

const STALL_FLOOR_MS = 10_000;
/** A worker may be this many times slower than the caller was on the same kind of work. */
const STALL_FACTOR = 10;

/**
 * How long a worker may stay silent while it holds work before the caller does that work itself:
 * `forcedMs` when given (tests), else ten times what the same work took the caller (`callerMs`),
 * and at least ten seconds: a loaded machine may start a worker late and run it slowly.
 */
export function stallLimit(callerMs: number, forcedMs?: number): number {
  return forcedMs ?? Math.max(STALL_FLOOR_MS, STALL_FACTOR * callerMs);
}
