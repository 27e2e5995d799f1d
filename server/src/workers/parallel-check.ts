// Checking the files of a large workspace on more than one core (node:worker_threads), for `tsq
// lint` of a folder and the language server's first check of a whole workspace. The findings
// are the ones a check in one thread gives, in the same order, byte for byte; the helpers only
// share the work. How (measured and explained in docs/performance.md, "Checking on more cores"):
//
// - Every helper thread builds the whole workspace itself: it reads and parses every file, as the
//   calling thread does. The findings of one file depend on the others (the catalogs, the child
//   sequences and the variables their parents set, the deployments and media that name a
//   sequence), and parsed documents cannot be handed between threads without copying them whole,
//   which costs about what parsing does. So parsing is done twice and the checking is shared.
// - The files to check are handed out one at a time from a counter in shared memory, which the
//   calling thread draws from as well: whichever thread is free takes the next file. A helper
//   that starts late (a loaded machine) simply takes fewer; one that never gets going takes none.
// - A helper compares its workspace with the caller's before it checks anything: the workspace
//   fingerprint of worker-threads.ts, over the files to check too, which the caller writes into
//   shared memory once its own workspace is built. A file that changed on
//   disk between the two readings makes the helper stand down; the caller then checks everything.
// - Whatever a helper does not deliver — it crashed, it stopped answering (no word for longer
//   than `stallLimitMs` while it holds a file), its workspace differed, a check threw in it — the
//   calling thread checks itself, so no finding is lost and nothing waits for ever.
// - Small inputs are checked in the calling thread alone: a helper costs a thread start and a
//   second parse of everything, which pays only when checking takes longer (`helpersFor`).
//
// The helpers run the one worker bundle of worker-threads.ts (`serveSharedCheck` is their side).

import { parentPort } from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import type { Diagnostic, Severity } from '../analysis/diagnostic';
import { analyzeDocument } from '../analysis/analyze';
import type { Workspace } from '../semantics/workspace';
import { loadPaths } from '../frontend/load-paths';
import {
  FINGERPRINT_BYTES,
  HELPERS_ENV,
  fingerprint,
  spareCores,
  sameFingerprint,
  stallLimit,
  startWorker,
  type SharedCheckJob,
  type WorkspaceRecipe,
} from './worker-threads';

/** What a helper says, in this order: whether it checks, then one message per file, then that it is done. */
export type HelperMessage =
  | { type: 'ready' }
  | { type: 'different' }
  | { type: 'checked'; index: number; diagnostics: Diagnostic[] }
  | { type: 'failed'; index: number }
  | { type: 'done' };

/** Int32 slots of the shared memory: the next file to hand out, and the caller's state. */
const NEXT_FILE = 0;
const CALLER_STATE = 1;
/** CALLER_STATE values: building its workspace; fingerprint written; gone (check nothing more). */
const BUILDING = 0;
const PUBLISHED = 1;
const STOPPED = 2;
/** Where the caller's fingerprint (20 bytes) starts, in bytes. */
const FINGERPRINT_AT = 8;

/**
 * Source bytes below which a workspace is checked in one thread: below it, a helper's start and
 * second parse cost more than the checking it takes over (docs/performance.md).
 */
export const HELPER_THRESHOLD_BYTES = 2 * 1024 * 1024;

/**
 * How many helper threads to start for the tsq files `sourceBytes` weighs (asked only when there
 * are cores to spare): one per idle core beyond two, none for small inputs. The caller's thread
 * takes one core; V8's collector and compiler threads keep a second one busy during a large check
 * (1.2 s of the 2.9 s CPU time of `tsq lint` of 500 sequences), and a helper parses everything a
 * second time. So on two cores a helper only adds work (docs/performance.md, "Checking on more
 * cores"). How many cores are spare is `spareCores` (worker-threads.ts); TSQ_CHECK_HELPERS forces
 * the count.
 */
export function helpersFor(sourceBytes: () => number, cores?: number, load?: number): number {
  const forced = /^\s*[0-8]\s*$/.test(process.env[HELPERS_ENV] ?? '') ? Number(process.env[HELPERS_ENV]) : undefined;
  if (forced !== undefined) return forced;
  const spare = spareCores(cores, load);
  if (spare <= 0 || sourceBytes() < HELPER_THRESHOLD_BYTES) return 0;
  return Math.min(spare, MAX_HELPERS);
}
/** More helpers each parse everything again; beyond this the parsing outweighs the checking shared. */
const MAX_HELPERS = 3;

export interface ParallelCheckOptions {
  recipe: WorkspaceRecipe;
  severity?: Record<string, Severity | 'off'>;
  maxFileBytes: number;
  helpers: number;
  /** The helper's script; the one worker bundle by default (tests give failing ones). */
  script?: string;
  /** Longest silence of a helper holding a file before the caller checks that file itself. */
  stallLimitMs?: number;
  /** Hears each file's findings as a helper delivers them (by index into the files to check). */
  onDelivered?: (index: number, diagnostics: Diagnostic[]) => void;
}

/**
 * Checks `targets` (ids of `ws`) with `check` in this thread and, when a `team` of helpers was
 * started (before `ws` was built, so that they build theirs meanwhile), in the helpers too;
 * returns each target's findings, in `targets` order, exactly as `targets.map(check)` would.
 */
export async function checkShared(
  ws: Workspace,
  targets: readonly string[],
  check: (id: string) => Diagnostic[],
  team?: HelperTeam,
): Promise<Diagnostic[][]> {
  if (!team) return targets.map(check);
  const results = new Array<Diagnostic[] | undefined>(targets.length);
  team.publish(fingerprint(ws, targets));
  let slowest = 0;
  for (let i = team.claim(); i < targets.length; i = team.claim()) {
    const started = performance.now();
    results[i] = check(targets[i]);
    slowest = Math.max(slowest, performance.now() - started);
  }
  const delivered = await team.finish(slowest);
  for (const [i, diagnostics] of delivered) results[i] ??= diagnostics;
  // Not `results.map`: it passes over the files nobody checked (holes in the array).
  return Array.from(targets, (id, i) => results[i] ?? check(id));
}

/** Helper threads working through one shared list of files with the caller. */
export class HelperTeam {
  private readonly slots: Int32Array;
  private readonly delivered = new Map<number, Diagnostic[]>();
  private readonly workers: Worker[] = [];
  private running = 0;
  /** Finished or stopped: what helpers still say is not heard. */
  private closed = false;
  private lastWord = performance.now();
  private onChange?: () => void;

  private constructor(
    private readonly shared: SharedArrayBuffer,
    private readonly stallLimitMs: number | undefined,
    private readonly onDelivered: ((index: number, diagnostics: Diagnostic[]) => void) | undefined,
  ) {
    this.slots = new Int32Array(shared, 0, 2);
  }

  /** Starts the helpers; undefined when none are asked for or none could be started (the caller then checks alone). */
  static start(options: ParallelCheckOptions): HelperTeam | undefined {
    if (options.helpers <= 0) return undefined;
    const team = new HelperTeam(
      new SharedArrayBuffer(FINGERPRINT_AT + FINGERPRINT_BYTES),
      options.stallLimitMs,
      options.onDelivered,
    );
    const job: SharedCheckJob = {
      kind: 'shared-check',
      recipe: options.recipe,
      severity: options.severity ?? {},
      maxFileBytes: options.maxFileBytes,
      shared: team.shared,
    };
    // A helper that cannot start leaves its share to the others and the caller.
    for (let n = 0; n < options.helpers; n++) team.add(job, options.script);
    return team.running > 0 ? team : undefined;
  }

  private add(job: SharedCheckJob, script: string | undefined): void {
    let gone = false;
    const leave = () => {
      if (gone) return;
      gone = true;
      this.running--;
      this.onChange?.();
    };
    const heard = (m: HelperMessage) => {
      if (this.closed) return;
      this.lastWord = performance.now();
      if (m.type === 'checked' && !this.delivered.has(m.index)) {
        this.delivered.set(m.index, m.diagnostics);
        this.onDelivered?.(m.index, m.diagnostics);
      }
      if (m.type === 'done' || m.type === 'different') leave();
      this.onChange?.();
    };
    const worker = startWorker<HelperMessage>(job, { heard, gone: leave }, script);
    if (!worker) return;
    this.workers.push(worker);
    this.running++;
  }

  /** Lets the helpers compare their workspace with the caller's and start checking. */
  publish(print: Uint8Array): void {
    new Uint8Array(this.shared, FINGERPRINT_AT, FINGERPRINT_BYTES).set(print);
    Atomics.store(this.slots, CALLER_STATE, PUBLISHED);
    Atomics.notify(this.slots, CALLER_STATE);
  }

  /** The index of the next file this thread checks (at or past the end when none is left). */
  claim(): number {
    return Atomics.add(this.slots, NEXT_FILE, 1);
  }

  /** Stops the helpers at once (the caller gave up: its own input could not be read). */
  stop(): void {
    this.closed = true;
    Atomics.store(this.slots, CALLER_STATE, STOPPED);
    Atomics.notify(this.slots, CALLER_STATE);
    for (const w of this.workers) void w.terminate();
  }

  /**
   * Waits until every helper is done or gone, or has been silent too long while holding a file
   * (`stallLimitMs`, else ten times `slowestHereMs`, the caller's slowest file, and at least ten
   * seconds), then stops them; returns the findings they delivered, by file index.
   */
  async finish(slowestHereMs: number): Promise<Map<number, Diagnostic[]>> {
    const stallLimitMs = stallLimit(slowestHereMs, this.stallLimitMs);
    // Helpers still building their workspace find nothing left to take.
    Atomics.store(this.slots, CALLER_STATE, STOPPED);
    Atomics.notify(this.slots, CALLER_STATE);
    this.lastWord = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => this.onChange?.(), Math.min(250, stallLimitMs));
      this.onChange = () => {
        if (this.running > 0 && performance.now() - this.lastWord < stallLimitMs) return;
        clearInterval(timer);
        this.onChange = undefined;
        resolve();
      };
      this.onChange();
    });
    this.closed = true;
    for (const w of this.workers) void w.terminate();
    return this.delivered;
  }
}

/** A helper's side (the worker bundle of worker-threads.ts): build the caller's workspace, stand down unless it is the caller's own, then check files off the shared counter until none is left. */
export function serveSharedCheck(job: SharedCheckJob): void {
  const say = (m: HelperMessage) => parentPort!.postMessage(m);
  const { ws, targets: named } = loadPaths(job.recipe.paths);
  const targets = job.recipe.check === 'all' ? [...ws.all()].map((d) => d.id) : named;
  const mine = fingerprint(ws, targets);
  const slots = new Int32Array(job.shared, 0, 2);
  Atomics.wait(slots, CALLER_STATE, BUILDING);
  const theirs = new Uint8Array(job.shared, FINGERPRINT_AT, FINGERPRINT_BYTES);
  if (Atomics.load(slots, CALLER_STATE) !== PUBLISHED || !sameFingerprint(mine, theirs)) {
    say({ type: 'different' });
    return;
  }
  say({ type: 'ready' });
  for (let i = Atomics.add(slots, NEXT_FILE, 1); i < targets.length; i = Atomics.add(slots, NEXT_FILE, 1)) {
    let diagnostics;
    try {
      diagnostics = analyzeDocument(ws, ws.get(targets[i])!, { severity: job.severity });
    } catch {
      // The caller checks this file itself, and reports what goes wrong there.
      say({ type: 'failed', index: i });
      continue;
    }
    say({ type: 'checked', index: i, diagnostics });
  }
  say({ type: 'done' });
}
