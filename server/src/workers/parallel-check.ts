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
// - A helper compares its workspace with the caller's before it checks anything: a fingerprint
//   (SHA-1 of every document's id and text, in workspace order, and of the files to check) that
//   the caller writes into shared memory once its own workspace is built. A file that changed on
//   disk between the two readings makes the helper stand down; the caller then checks everything.
// - Whatever a helper does not deliver — it crashed, it stopped answering (no word for longer
//   than `stallLimitMs` while it holds a file), its workspace differed, a check threw in it — the
//   calling thread checks itself, so no finding is lost and nothing waits for ever.
// - Small inputs are checked in the calling thread alone: a helper costs a thread start and a
//   second parse of everything, which pays only when checking takes longer (`helpersFor`).

import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Diagnostic, Severity } from '../analysis/diagnostic';
import type { Workspace } from '../semantics/workspace';

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

/** What a helper thread is started with (its `workerData`). */
export interface HelperStart {
  recipe: WorkspaceRecipe;
  severity: Record<string, Severity | 'off'>;
  /** The tsq file size cap in force in the caller (files/read.ts). */
  maxFileBytes: number;
  /** Shared with the caller: see SHARED_* below. */
  shared: SharedArrayBuffer;
}

/** What a helper says, in this order: whether it checks, then one message per file, then that it is done. */
export type HelperMessage =
  | { type: 'ready' }
  | { type: 'different' }
  | { type: 'checked'; index: number; diagnostics: Diagnostic[] }
  | { type: 'failed'; index: number }
  | { type: 'done' };

/** Int32 slots of the shared memory: the next file to hand out, and the caller's state. */
export const NEXT_FILE = 0;
export const CALLER_STATE = 1;
/** CALLER_STATE values: building its workspace; fingerprint written; gone (check nothing more). */
export const BUILDING = 0;
export const PUBLISHED = 1;
export const STOPPED = 2;
/** Where the caller's fingerprint (20 bytes) starts, in bytes. */
export const FINGERPRINT_AT = 8;
const FINGERPRINT_BYTES = 20;

/**
 * Source bytes below which a workspace is checked in one thread: below it, a helper's start and
 * second parse cost more than the checking it takes over (docs/performance.md).
 */
export const HELPER_THRESHOLD_BYTES = 2 * 1024 * 1024;

/** Sets how many helpers to start whatever the input's size (for measuring and tests): 0 to 8. */
export const HELPERS_ENV = 'TSQ_CHECK_HELPERS';

/**
 * How many helper threads to start for the tsq files `sourceBytes` weighs (asked only when there
 * are cores to spare): one per idle core beyond two, none for small inputs. The caller's thread
 * takes one core; V8's collector and compiler threads keep a second one busy during a large check
 * (1.2 s of the 2.9 s CPU time of `tsq lint` of 500 sequences), and a helper parses everything a
 * second time. So on two cores a helper only adds work (docs/performance.md, "Checking on more
 * cores"). The load average over the last minute tells how many cores are idle (0 where the
 * system does not say).
 */
export function helpersFor(
  sourceBytes: () => number,
  cores = os.availableParallelism(),
  load = os.loadavg()[0],
): number {
  const forced = /^\s*[0-8]\s*$/.test(process.env[HELPERS_ENV] ?? '') ? Number(process.env[HELPERS_ENV]) : undefined;
  if (forced !== undefined) return forced;
  const spare = Math.min(Math.round(cores - load), cores) - CORES_TAKEN;
  if (spare <= 0 || sourceBytes() < HELPER_THRESHOLD_BYTES) return 0;
  return Math.min(spare, MAX_HELPERS);
}
/** The caller's thread, and V8's collector and compiler threads. */
const CORES_TAKEN = 2;
/** More helpers each parse everything again; beyond this the parsing outweighs the checking shared. */
const MAX_HELPERS = 3;

/** The fingerprint of a workspace and the files to check in it (see the header). */
export function fingerprint(ws: Workspace, targets: readonly string[]): Uint8Array {
  const hash = createHash('sha1');
  for (const doc of ws.all()) hash.update(`${doc.id}\0${doc.text.length}\0`).update(doc.text);
  hash.update(`\0targets\0${targets.join('\0')}`);
  return hash.digest();
}

export interface ParallelCheckOptions {
  recipe: WorkspaceRecipe;
  severity?: Record<string, Severity | 'off'>;
  maxFileBytes: number;
  helpers: number;
  /** The helper's script; the bundled one beside this file by default (tests give failing ones). */
  script?: string;
  /** Longest silence of a helper holding a file before the caller checks that file itself. */
  stallLimitMs?: number;
  /** Hears each file's findings as a helper delivers them (by index into the files to check). */
  onDelivered?: (index: number, diagnostics: Diagnostic[]) => void;
}

const STALL_FLOOR_MS = 10_000;
/** A helper may be this many times slower on one file than the caller was on its slowest. */
const STALL_FACTOR = 10;

/** The helper script beside this module: dist/check-worker.js in the bundles, check-worker.js beside this file when compiled by tsc. */
function defaultScript(): string {
  return path.join(__dirname, 'check-worker.js');
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
    const start: HelperStart = {
      recipe: options.recipe,
      severity: options.severity ?? {},
      maxFileBytes: options.maxFileBytes,
      shared: team.shared,
    };
    for (let n = 0; n < options.helpers; n++) {
      try {
        team.add(new Worker(options.script ?? defaultScript(), { workerData: start, stdout: true, stderr: true }));
      } catch {
        // A helper that cannot start leaves its share to the others and the caller.
        continue;
      }
    }
    return team.running > 0 ? team : undefined;
  }

  private add(worker: Worker): void {
    this.workers.push(worker);
    this.running++;
    // A helper must never keep the process alive on its own, nor print into the caller's output.
    worker.unref();
    worker.stdout.resume();
    worker.stderr.resume();
    let gone = false;
    const leave = () => {
      if (gone) return;
      gone = true;
      this.running--;
      this.onChange?.();
    };
    worker.on('message', (m: HelperMessage) => {
      if (this.closed) return;
      this.lastWord = performance.now();
      if (m.type === 'checked' && !this.delivered.has(m.index)) {
        this.delivered.set(m.index, m.diagnostics);
        this.onDelivered?.(m.index, m.diagnostics);
      }
      if (m.type === 'done' || m.type === 'different') leave();
      this.onChange?.();
    });
    worker.on('error', leave);
    worker.on('exit', leave);
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
    const stallLimitMs = this.stallLimitMs ?? Math.max(STALL_FLOOR_MS, STALL_FACTOR * slowestHereMs);
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
