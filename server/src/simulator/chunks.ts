// Where entry i of a growing column store lives: chunks of 256, 512, ... up to 8,192 entries, then
// 8,192 each. Small runs stay small; in large runs each chunk of references is big enough to be
// allocated in the large-object space, which young-generation collections never copy, and nothing
// already stored is ever copied to grow. The record store and the event log share this layout.

const FIRST_BITS = 8;
const LAST_BITS = 13;
/** Entries in the chunks that double (256 + 512 + ... + 4,096). */
const DOUBLING = (1 << LAST_BITS) - (1 << FIRST_BITS);
const LAST_MASK = (1 << LAST_BITS) - 1;

/** The chunk that holds entry `i`. */
export function chunkOf(i: number): number {
  if (i < DOUBLING) return 31 - Math.clz32((i >> FIRST_BITS) + 1);
  return LAST_BITS - FIRST_BITS + ((i - DOUBLING) >> LAST_BITS);
}

/** Entry `i`'s place in its chunk. */
export function offsetOf(i: number): number {
  if (i < DOUBLING) return i - ((1 << (chunkOf(i) + FIRST_BITS)) - (1 << FIRST_BITS));
  return (i - DOUBLING) & LAST_MASK;
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
