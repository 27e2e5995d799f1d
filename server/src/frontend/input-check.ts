// The check before a simulated run (`validateInput`), run beside the run on a large input. On a
// 100,000-step file the check (the rules that can report an error) costs more CPU time than
// reading, running and writing the run together, and a run must never be shown before its input
// has passed it. So for a large sequence on a machine with idle cores, `tsq simulate` and the
// debug adapter start the check in a worker thread at once: the worker reads and checks the same
// files on another core while the caller reads them, prepares the run and writes its text,
// unshown. The caller then waits for the check and shows the run only when it has no errors; a
// refused input prints exactly what it did before (the caller formats the worker's findings with
// its own documents).
//
// The worker's findings are used only when it read the very texts the caller read: each side
// hashes every document's path and text, and on any difference (a file saved in between), a worker
// that failed or could not start, or a small input, the check runs in the caller's thread as
// before. The cost of the overlap: the large file is parsed twice (once per thread), so the CPU
// time rises by one parse and the peak memory by one parsed copy while the wall time falls.
//
// This file is both sides: imported, it starts workers; loaded as a worker (dist/input-check.js,
// its own bundle, or this module's compiled file under test), it serves one check and ends.

import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../analysis/diagnostic';
import type { Workspace } from '../semantics/workspace';
import { requireRegularFile, setTsqFileLimitMB, tsqFileLimit } from '../files/read';
import { loadSimulationFiles, validateInput, type SimulationFiles, type SimulationInput } from './simulation-input';

/** What the check found: errors refuse the run, warnings are shown before it. */
export interface InputCheck {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** The findings with where they were made: by the worker, or in the caller's thread. */
export interface CheckedInput extends InputCheck {
  checkedAside: boolean;
}

/** A check under way; `result` gives the findings for the input the caller read. */
export interface PendingInputCheck {
  /** True while a worker checks aside (the caller may prepare the run meanwhile, showing nothing). */
  readonly aside: boolean;
  /** The findings for `input`: the worker's when it read the same texts, else checked here and now. */
  result(input: SimulationInput): Promise<CheckedInput>;
  /** Stops the worker (the caller could not read the input). */
  cancel(): void;
}

/** What the caller hands the worker. */
interface CheckRequest {
  tsqInputCheck: true;
  files: SimulationFiles;
  maxBytes: number;
}

/** What the worker answers: its findings and the fingerprint of the texts it checked, or why it failed. */
type CheckAnswer = { ok: true; fingerprint: string; check: InputCheck } | { ok: false; failure: string };

/** A sequence file this large (bytes) is checked aside; smaller ones cost less than a worker's start. */
const ASIDE_FROM_BYTES = 1 << 20;

/**
 * Idle cores the machine must have for the check to go aside: one for the worker and one for the
 * two threads' garbage collectors, which run on other threads. On two busy cores the overlap is a
 * loss: the extra parse and collections take the time the overlap would save (docs/performance.md).
 */
const IDLE_CORES_NEEDED = 2;

/**
 * When the check runs aside: `auto` for a large file on a machine with idle cores; `always` and
 * `never` for tests and measurements, also as TSQ_CHECK_ASIDE in the environment (the debug
 * adapter's tests run it as its own process).
 */
export type AsideMode = 'auto' | 'always' | 'never';
const ASIDE_ENV = process.env.TSQ_CHECK_ASIDE;
let asideMode: AsideMode = ASIDE_ENV === 'always' || ASIDE_ENV === 'never' ? ASIDE_ENV : 'auto';

/** Sets when the check runs aside; returns the mode before. */
export function setCheckAside(mode: AsideMode): AsideMode {
  const old = asideMode;
  asideMode = mode;
  return old;
}

/** Cores nobody is using now, as the load average tells (0 where it is not kept: Windows). */
function idleCores(): number {
  return os.availableParallelism() - os.loadavg()[0];
}

/** Every document's path and text, hashed in path order: equal when both threads read the same texts. */
function fingerprint(ws: Workspace): string {
  const hash = createHash('sha1');
  for (const doc of [...ws.all()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    hash.update(doc.id).update('\0').update(String(doc.text.length)).update('\0').update(doc.text);
  }
  return hash.digest('hex');
}

function worthAside(files: SimulationFiles): boolean {
  if (asideMode !== 'auto' || !files.sequence) return asideMode === 'always';
  if (idleCores() < IDLE_CORES_NEEDED) return false;
  try {
    return requireRegularFile(files.sequence).size >= ASIDE_FROM_BYTES;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- the caller's own read of the file says why it is not there
    return false;
  }
}

/** The file this module runs from as a worker: its own bundle beside the caller's, or itself under test. */
function workerFile(): string {
  const here = path.basename(__filename, '.js');
  return here === 'input-check' ? __filename : path.join(__dirname, 'input-check.js');
}

function checkedHere(input: SimulationInput): CheckedInput {
  return { ...validateInput(input), checkedAside: false };
}

function inThread(): PendingInputCheck {
  return { aside: false, result: (input) => Promise.resolve(checkedHere(input)), cancel: () => undefined };
}

/** Starts the check of the files a run will read: in a worker when the sequence is large, else in this thread when asked for. */
export function startInputCheck(files: SimulationFiles): PendingInputCheck {
  if (!worthAside(files)) return inThread();
  let worker: Worker;
  try {
    const request: CheckRequest = { tsqInputCheck: true, files, maxBytes: tsqFileLimit().maxBytes };
    worker = new Worker(workerFile(), { workerData: request, stdout: true, stderr: true });
  } catch {
    return inThread(); // no worker to be had: the check runs here as before
  }
  // The worker never keeps the process alive, and prints nothing of its own.
  worker.unref();
  const answer = new Promise<CheckAnswer>((resolve) => {
    worker.once('message', (m: CheckAnswer) => resolve(m));
    worker.once('error', (e) => resolve({ ok: false, failure: e.message }));
    worker.once('exit', (code) => resolve({ ok: false, failure: `the worker ended (${code}) without an answer` }));
  });
  const stop = () => void worker.terminate();
  return {
    aside: true,
    async result(input) {
      const got = await answer;
      stop();
      if (got.ok && got.fingerprint === fingerprint(input.ws)) return { ...got.check, checkedAside: true };
      return checkedHere(input);
    },
    cancel: stop,
  };
}

/** Starts the check of `files`, then reads them in this thread (the check stops when the read fails). */
export function readAndCheck(files: SimulationFiles): { input: SimulationInput; check: PendingInputCheck } {
  const check = startInputCheck(files);
  try {
    return { input: loadSimulationFiles(files), check };
  } catch (e) {
    check.cancel();
    throw e;
  }
}

function isCheckRequest(data: unknown): data is CheckRequest {
  return typeof data === 'object' && data !== null && (data as CheckRequest).tsqInputCheck === true;
}

/** The worker's side: read the files as the caller does, check them, answer once. */
function serveCheck(request: CheckRequest): void {
  let answer: CheckAnswer;
  try {
    setTsqFileLimitMB(request.maxBytes / (1024 * 1024));
    const input = loadSimulationFiles(request.files);
    answer = { ok: true, check: validateInput(input), fingerprint: fingerprint(input.ws) };
  } catch (e) {
    answer = { ok: false, failure: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(answer);
}

if (!isMainThread && isCheckRequest(workerData)) serveCheck(workerData);
