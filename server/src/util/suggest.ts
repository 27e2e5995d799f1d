// "Did you mean ...?" for unknown names (actions, step properties, variables): a small
// case-insensitive edit distance (insert, delete, replace, swap of neighbours) and a ranking of
// candidates within a distance that grows with the length of what was typed.

/**
 * Edit distance between two strings, counting a swap of two neighbouring characters as one edit.
 * With `atMost`, any distance above it may come back as `atMost + 1`: the rows' smallest value
 * never goes down, so the work stops at the first row already further than that (most candidates
 * of a "did you mean" are, after a few characters).
 */
export function editDistance(a: string, b: string, atMost = Infinity): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows are enough for the neighbour-swap rule.
  let beforePrevious: number[] = new Array<number>(b.length + 1).fill(0);
  let previous: number[] = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  let current: number[] = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, beforePrevious[j - 2] + 1);
      current[j] = best;
      if (best < smallest) smallest = best;
    }
    if (smallest > atMost) return atMost + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length];
}

export interface SuggestOptions {
  /** Most suggestions returned (default 3). */
  limit?: number;
  /** Largest distance accepted; by default about a third of the typed length, at least 1 and at most 4. */
  maxDistance?: number;
}

/**
 * Candidates close to `input`, best first (ties keep the candidates' order). Comparison ignores
 * case; an exact case-insensitive match is returned alone, since it is surely what was meant.
 */
export function suggest(input: string, candidates: Iterable<string>, options: SuggestOptions = {}): string[] {
  const typed = input.toLowerCase();
  const limit = options.limit ?? 3;
  const maxDistance = options.maxDistance ?? Math.min(4, Math.max(1, Math.floor(typed.length / 3)));
  const scored: { name: string; distance: number; order: number }[] = [];
  let order = 0;
  for (const name of candidates) {
    const lower = name.toLowerCase();
    if (lower === typed) return [name];
    // Cheap bound first: the distance is at least the difference in length.
    if (Math.abs(lower.length - typed.length) <= maxDistance) {
      const distance = editDistance(typed, lower, maxDistance);
      if (distance <= maxDistance) scored.push({ name, distance, order });
    }
    order++;
  }
  scored.sort((x, y) => x.distance - y.distance || x.order - y.order);
  return scored.slice(0, limit).map((s) => s.name);
}
