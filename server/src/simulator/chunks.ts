// Where entry i of a growing column store lives: chunks of 256, 512, ... up to 8,192 entries, then
// 8,192 each. Small runs stay small; in large runs each chunk of references is big enough to be
// allocated in the large-object space, which young-generation collections never copy, and nothing
// already stored is ever copied to grow. The record store and the event log share this layout.

const FIRST_BITS = 8;
const LAST_BITS = 13;
/** Entries in the chunks that double (256 + 512 + ... + 4,096). */
const DOUBLING = (1 << LAST_BITS) - (1 << FIRST_BITS);

// chunkOf and offsetOf are sums rather than a branch per kind of chunk: a run reaches the first
// chunk of the fixed size (entry 7,936) only after V8 has optimized the record store's and the
// log's hot functions, which inline these; a branch taken then for the first time sent every one
// of them back to be optimized again, in the middle of a first run. So both kinds of chunk go
// through the same operations from the first entry on. Chunk k starts at
// (1 << (min(k, DOUBLED) + FIRST_BITS)) - (1 << FIRST_BITS) + (max(k - DOUBLED, 0) << LAST_BITS).

/** How many chunks double (256 to 4,096 entries); chunk DOUBLED is the first of 8,192. */
const DOUBLED = LAST_BITS - FIRST_BITS;

/** The chunk that holds entry `i`. */
export function chunkOf(i: number): number {
  // Up to DOUBLING - 1 the doubling chunks; from DOUBLING on (the second term is 0 below it) one more per 8,192.
  const doubled = 31 - Math.clz32((Math.min(i, DOUBLING - 1) >> FIRST_BITS) + 1);
  return doubled + ((Math.max(i - DOUBLING, -1) + (1 << LAST_BITS)) >> LAST_BITS);
}

/** Entry `i`'s place in its chunk. */
export function offsetOf(i: number): number {
  const k = chunkOf(i);
  return i - ((1 << (Math.min(k, DOUBLED) + FIRST_BITS)) - (1 << FIRST_BITS)) - (Math.max(k - DOUBLED, 0) << LAST_BITS);
}

/** How many entries chunk `k` holds. */
export function chunkSize(k: number): number {
  return 1 << Math.min(FIRST_BITS + k, LAST_BITS);
}

/** How many chunks hold entries 0 to `length` - 1. */
export function chunksFor(length: number): number {
  return length === 0 ? 0 : chunkOf(length - 1) + 1;
}

/**
 * When only the first `length` of `count` entries are kept: the chunk the last kept entry is in
 * and the places in it, `from` to `to` (exclusive), that held forgotten entries (so what they
 * refer to can be let go); undefined when nothing is kept.
 */
export function keptChunkTail(length: number, count: number): { chunk: number; from: number; to: number } | undefined {
  if (length <= 0 || length >= count) return undefined;
  const chunk = chunkOf(length - 1);
  const to = chunkOf(count - 1) === chunk ? offsetOf(count - 1) + 1 : chunkSize(chunk);
  return { chunk, from: offsetOf(length - 1) + 1, to };
}
