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
// The worker's findings are used only when it read the very texts the caller read (the
// workspace fingerprint of worker-threads.ts); on any difference (a file saved in between), a
// worker that failed, could not start or stayed silent too long, or a small input, the check runs
// in the caller's thread as before. The cost of the overlap: the large file is parsed twice (once
// per thread), so the CPU time rises by one parse and the peak memory by one parsed copy while the
// wall time falls. The worker is the one bundle of worker-threads.ts (`serveInputCheck` is its side).

import { parentPort } from 'node:worker_threads';
import type { Diagnostic } from '../analysis/diagnostic';
import { requireRegularFile, tsqFileLimit } from '../files/read';
import {
  loadSimulationFiles,
  validateInput,
  type SimulationFiles,
  type SimulationInput,
} from '../frontend/simulation-input';
import {
  CHECK_ASIDE_ENV,
  fingerprint,
  spareCores,
  sameFingerprint,
  stallLimit,
  startWorker,
  type InputCheckJob,
} from './worker-threads';

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

/** What the worker answers: its findings and the fingerprint of the texts it checked, or why it failed. */
type CheckAnswer = { ok: true; fingerprint: Uint8Array; check: InputCheck } | { ok: false; failure: string };

/** A sequence file this large (bytes) is checked aside; smaller ones cost less than a worker's start. */
const ASIDE_FROM_BYTES = 1 << 20;

/**
 * When the check runs aside: `auto` for a large file on a machine with idle cores; `always` and
 * `never` for tests and measurements, also as TSQ_CHECK_ASIDE in the environment (the debug
 * adapter's tests run it as its own process).
 */
export type AsideMode = 'auto' | 'always' | 'never';
const ASIDE_ENV = process.env[CHECK_ASIDE_ENV];
let asideMode: AsideMode = ASIDE_ENV === 'always' || ASIDE_ENV === 'never' ? ASIDE_ENV : 'auto';

/** Sets when the check runs aside; returns the mode before. */
export function setCheckAside(mode: AsideMode): AsideMode {
  const old = asideMode;
  asideMode = mode;
  return old;
}

/**
 * Whether the check of `files` goes aside: for a large sequence on a machine with a spare core
 * (`spareCores`). On two cores it is a loss even with nothing else running: the worker's second
 * parse and its collections take more than the overlap saves (docs/performance.md).
 */
export function worthAside(files: SimulationFiles, cores?: number, load?: number): boolean {
  if (asideMode !== 'auto' || !files.sequence) return asideMode === 'always';
  if (spareCores(cores, load) < 1) return false;
  try {
    return requireRegularFile(files.sequence).size >= ASIDE_FROM_BYTES;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- the caller's own read of the file says why it is not there
    return false;
  }
}

function checkedHere(input: SimulationInput): CheckedInput {
  return { ...validateInput(input), checkedAside: false };
}

function inThread(): PendingInputCheck {
  return { aside: false, result: (input) => Promise.resolve(checkedHere(input)), cancel: () => undefined };
}

/** For tests: the worker's script, and how long it may stay silent. */
export interface InputCheckOptions {
  script?: string;
  stallLimitMs?: number;
}

/** Starts the check of the files a run will read: in a worker when the sequence is large, else in this thread when asked for. */
export function startInputCheck(files: SimulationFiles, options: InputCheckOptions = {}): PendingInputCheck {
  if (!worthAside(files)) return inThread();
  const job: InputCheckJob = { kind: 'input-check', files, maxFileBytes: tsqFileLimit().maxBytes };
  let answered!: (answer: CheckAnswer) => void;
  const answer = new Promise<CheckAnswer>((resolve) => (answered = resolve));
  const worker = startWorker<CheckAnswer>(
    job,
    { heard: (m) => answered(m), gone: (why) => answered({ ok: false, failure: `${why} without an answer` }) },
    options.script,
  );
  if (!worker) return inThread(); // no worker to be had: the check runs here as before
  const started = performance.now();
  const stop = () => void worker.terminate();
  return {
    aside: true,
    async result(input) {
      // The worker reads and checks what the caller has read meanwhile: it may take ten times as long.
      const limit = stallLimit(performance.now() - started, options.stallLimitMs);
      let timer: NodeJS.Timeout | undefined;
      const silent = new Promise<CheckAnswer>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, failure: 'the worker stayed silent' }), limit);
      });
      const got = await Promise.race([answer, silent]);
      clearTimeout(timer);
      stop();
      if (got.ok && sameFingerprint(got.fingerprint, fingerprint(input.ws)))
        return { ...got.check, checkedAside: true };
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

/** The worker's side: read the files as the caller does, check them, answer once. */
export function serveInputCheck(job: InputCheckJob): void {
  let answer: CheckAnswer;
  try {
    const input = loadSimulationFiles(job.files);
    answer = { ok: true, check: validateInput(input), fingerprint: fingerprint(input.ws) };
  } catch (e) {
    answer = { ok: false, failure: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(answer);
}
