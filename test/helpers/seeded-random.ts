// A small seeded generator (mulberry32) for tests, fuzzers and bench generators: the same seed
// gives the same numbers on every run, so a failure or a generated file can be had again.

/** Numbers in [0, 1) from `seed`, the same sequence on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
