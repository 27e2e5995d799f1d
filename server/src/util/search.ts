// Binary search over things kept in text order (nodes, pairs, spans) by their start offset.

/** Index of the last element whose start is at or before `offset`, or -1. */
export function lastStartingAtOrBefore(list: readonly { start: number }[], offset: number): number {
  let lo = 0,
    hi = list.length - 1,
    found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
