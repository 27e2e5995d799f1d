// Long work of the language server that is not one request — reading a workspace folder of
// thousands of files, say — run as a job that yields after each small unit (a generator), in
// slices of a few milliseconds with a turn of the event loop between them, so that hover,
// completion and edits are answered while it proceeds. A job can be cancelled (a newer change
// made it pointless); one that throws is logged and ends.

/**
 * Work due at once (checks, folder reads) runs in slices of about this long; between slices the
 * server reads its messages again, so a workspace of thousands of files being read or checked
 * never keeps a hover waiting for more than a slice (and one unit of work).
 */
export const SLICE_MS = 5;

export type Job<T> = Generator<unknown, T, void>;

export interface JobHandle {
  cancel(): void;
  readonly done: boolean;
}

export class BackgroundJobs {
  private readonly running = new Set<{ step(): boolean; cancel(): void }>();
  private pump?: NodeJS.Immediate;
  private disposed = false;

  constructor(
    private readonly onError: (what: string, e: unknown) => void,
    private readonly sliceMs = SLICE_MS,
  ) {}

  /** Runs `job` in slices; `finish` gets its result unless it was cancelled or failed. */
  start<T>(what: string, job: Job<T>, finish: (result: T) => void): JobHandle {
    let done = false;
    const entry = {
      step: (): boolean => {
        try {
          const r = job.next();
          if (!r.done) return false;
          done = true;
          this.running.delete(entry);
          finish(r.value);
        } catch (e) {
          done = true;
          this.running.delete(entry);
          this.onError(what, e);
        }
        return true;
      },
      cancel: () => {
        if (done) return;
        done = true;
        this.running.delete(entry);
        job.return(undefined as T);
      },
    };
    if (this.disposed) {
      entry.cancel();
    } else {
      this.running.add(entry);
      this.schedule();
    }
    return {
      cancel: entry.cancel,
      get done() {
        return done;
      },
    };
  }

  dispose(): void {
    this.disposed = true;
    for (const e of [...this.running]) e.cancel();
    if (this.pump) clearImmediate(this.pump);
    this.pump = undefined;
  }

  private schedule(): void {
    this.pump ??= setImmediate(() => this.runSlice());
  }

  private runSlice(): void {
    this.pump = undefined;
    const started = performance.now();
    // Jobs take turns unit by unit, so one long job does not hold up a short one behind it;
    // every slice moves each job on by at least one unit.
    do {
      for (const e of [...this.running]) e.step();
    } while (this.running.size && performance.now() - started < this.sliceMs);
    if (this.running.size && !this.disposed) this.schedule();
  }
}

/** Runs a job to its end at once (where no one waits for an answer meanwhile). */
export function runToEnd<T>(job: Job<T>): T {
  for (;;) {
    const r = job.next();
    if (r.done) return r.value;
  }
}
