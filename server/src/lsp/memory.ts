// Memory settings of the server process, applied before anything else is loaded. V8 lets the
// heap grow up to four times what is live before it collects; an editor's server lives long and
// allocates in bursts (reading a large file, a full check), so its memory would climb to several
// times what it needs. A smaller growing factor keeps it near the live size at no measurable cost
// in response time (bench/lsp.bench.ts).
//
// Except while workspace folders are read and checked for the first time: then what is live only
// grows (every document read stays), and a collection at every 30 % of growth marks everything
// read so far again and again — about four times the final live size in marking work, against
// about one and a half with V8's own factor. On the 500-sequence workspace that was 0.5–0.7 s of
// the server's 3.8 s of CPU time to its first full diagnostics, for about 4 % more peak memory
// (docs/performance.md, "The server's first check as cheap as lint's"). So the server lets V8
// choose while it reads and first checks folders, and keeps the heap near its live size after.
// Only for a folder of many files, though: on a folder of one large sequence and its catalog,
// letting V8 choose cost 40–70 MB of peak memory for the same open time within the noise
// (docs/performance.md, "Where issue 18 stands"), so the heap grows freely only once a reading
// has read `FILES_FOR_FREE_GROWTH` files.

import { setFlagsFromString } from 'node:v8';
import type { Job } from './background';

const NEAR_LIVE_SIZE = '--heap-growing-percent=30';
/** 0 leaves the factor to V8 (its default). */
const V8_CHOOSES = '--heap-growing-percent=0';

setFlagsFromString(NEAR_LIVE_SIZE);

let growingFreely = false;

/**
 * Lets the heap grow as V8 chooses (`true`: folders are being read and checked for the first
 * time) or keeps it near its live size (`false`, the rest of the server's life). Takes effect
 * from the next collection.
 */
export function growFreely(on: boolean): void {
  if (on === growingFreely) return;
  growingFreely = on;
  setFlagsFromString(on ? V8_CHOOSES : NEAR_LIVE_SIZE);
}

/** Whether the heap grows as V8 chooses (see `growFreely`). */
export function growsFreely(): boolean {
  return growingFreely;
}

/** Files a folder reading holds before the heap may grow as V8 chooses (see the header). */
export const FILES_FOR_FREE_GROWTH = 50;

/** `reading` (a folder reading job), letting the heap grow freely once `filesRead()` reaches `FILES_FOR_FREE_GROWTH`. */
export function* growingFreelyWhenLarge<T>(reading: Job<T>, filesRead: () => number): Job<T> {
  for (;;) {
    const slice = reading.next();
    if (!growingFreely && filesRead() >= FILES_FOR_FREE_GROWTH) growFreely(true);
    if (slice.done) return slice.value;
    yield slice.value;
  }
}
