// Where each earlier visit of a run started, so the debugger can step back to it: the cursor,
// the lengths of the journal, the records and the log, and the two state fields every visit
// changes (visits, clock), so those need no journal entries. Kept column by column, so
// remembering a visit allocates nothing. At most `limit` visits are kept; older ones are
// forgotten in batches (and the journal entries only they needed).

import type { Journal } from './journal';

/** Where a run was before one visit. */
export interface Checkpoint<F> {
  /** The cursor: the frame (null once the run had ended) and the index in it. */
  frame: F | null;
  index: number;
  /** Lengths of the journal, the records and the log. */
  journal: number;
  records: number;
  log: number;
  visits: number;
  clock: number;
}

/** Numbers kept per checkpoint in `ints`, and where each is. */
const INTS = 5;
const INDEX = 0,
  JOURNAL = 1,
  RECORDS = 2,
  LOG = 3,
  VISITS = 4;

export class Checkpoints<F> {
  private readonly frames: (F | null)[] = [];
  private readonly ints: number[] = [];
  /** Simulated clock, epoch milliseconds (too large for the small integers of `ints`). */
  private readonly clocks: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly journal: Journal,
  ) {}

  get length(): number {
    return this.frames.length;
  }

  push(
    frame: F | null,
    index: number,
    journal: number,
    records: number,
    log: number,
    visits: number,
    clock: number,
  ): void {
    this.frames.push(frame);
    // In the order INDEX, JOURNAL, RECORDS, LOG, VISITS.
    this.ints.push(index, journal, records, log, visits);
    this.clocks.push(clock);
    if (this.frames.length > this.limit + Math.max(1, this.limit >> 2))
      this.forgetOldest(this.frames.length - this.limit);
  }

  /** The latest checkpoint, forgotten; undefined when none is left. */
  pop(): Checkpoint<F> | undefined {
    const n = this.frames.length;
    if (!n) return undefined;
    const ints = this.ints;
    const at = (n - 1) * INTS;
    const cp = {
      frame: this.frames.pop()!,
      index: ints[at + INDEX],
      journal: ints[at + JOURNAL],
      records: ints[at + RECORDS],
      log: ints[at + LOG],
      visits: ints[at + VISITS],
      clock: this.clocks.pop()!,
    };
    ints.length = at;
    return cp;
  }

  private forgetOldest(count: number): void {
    this.frames.splice(0, count);
    this.ints.splice(0, count * INTS);
    this.clocks.splice(0, count);
    // Nothing can go back to before the oldest checkpoint kept.
    if (this.frames.length) this.journal.forget(this.ints[JOURNAL]);
  }
}
