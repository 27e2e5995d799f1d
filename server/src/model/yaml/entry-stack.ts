// Collects the entries of the collections being read, so that each collection's list is made once
// at its exact length. An array grown by `push` from empty reserves room for 16 entries on the
// first push and more as it grows; a step's mapping has four to eight pairs, so most of every
// list would be room never used, kept for as long as the document is open (list storage was an
// eighth of a 10,000-step document's heap; made this way it takes half as much). Collections
// nest, so one stack serves them all: a collection remembers where its entries start, and takes
// them off when it is complete. Short lists are copied out by array literals rather than `slice`:
// the tree lives as long as its document, and V8 makes what a literal makes directly among the
// long-lived objects once it sees that it lives on, which it cannot do for `slice` (reading the
// 100,000-step bench file: 455 ms of CPU before, 398 ms after).

export class EntryStack {
  private readonly entries: unknown[] = [];
  private top = 0;

  /** Where the entries of a collection that starts now will be. */
  mark(): number {
    return this.top;
  }

  push(entry: unknown): void {
    if (this.top === this.entries.length) this.entries.push(entry);
    else this.entries[this.top] = entry;
    this.top++;
  }

  /** The entries pushed since `mark`, as a list of their own, taken off the stack. */
  take<T>(mark: number): T[] {
    const list = this.copy<T>(mark, this.top - mark);
    // The stack may outlive what it collected (the model's builder keeps one for every build):
    // the entries handed out must not be kept alive by it.
    // A loop, not `fill`: on lists this short, `fill`'s call into the runtime costs 27–35 ns where
    // the loop takes 10 (a million short lists, measured), and a large file hands out 300,000.
    const entries = this.entries;
    for (let i = mark; i < this.top; i++) entries[i] = undefined;
    this.top = mark;
    return list;
  }

  private copy<T>(m: number, n: number): T[] {
    const e = this.entries;
    // Up to 24 entries (nearly every list, and the three slots a pair of a mapping of up to eight
    // pairs, see `PairList` in ./nodes.ts) by a literal, as the header says: one literal per length,
    // one line each.
    // prettier-ignore
    switch (n) {
      case 0: return [] as T[];
      case 1: return [e[m]] as T[];
      case 2: return [e[m], e[m + 1]] as T[];
      case 3: return [e[m], e[m + 1], e[m + 2]] as T[];
      case 4: return [e[m], e[m + 1], e[m + 2], e[m + 3]] as T[];
      case 5: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4]] as T[];
      case 6: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5]] as T[];
      case 7: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6]] as T[];
      case 8: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7]] as T[];
      case 9: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8]] as T[];
      case 10: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9]] as T[];
      case 11: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10]] as T[];
      case 12: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11]] as T[];
      case 13: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12]] as T[];
      case 14: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13]] as T[];
      case 15: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14]] as T[];
      case 16: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15]] as T[];
      case 17: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15], e[m + 16]] as T[];
      case 18: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15], e[m + 16], e[m + 17]] as T[];
      case 19: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15], e[m + 16], e[m + 17], e[m + 18]] as T[];
      case 20: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15], e[m + 16], e[m + 17], e[m + 18], e[m + 19]] as T[];
      case 21: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15], e[m + 16], e[m + 17], e[m + 18], e[m + 19], e[m + 20]] as T[];
      case 22: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15], e[m + 16], e[m + 17], e[m + 18], e[m + 19], e[m + 20], e[m + 21]] as T[];
      case 23: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15], e[m + 16], e[m + 17], e[m + 18], e[m + 19], e[m + 20], e[m + 21], e[m + 22]] as T[];
      case 24: return [e[m], e[m + 1], e[m + 2], e[m + 3], e[m + 4], e[m + 5], e[m + 6], e[m + 7], e[m + 8], e[m + 9], e[m + 10], e[m + 11], e[m + 12], e[m + 13], e[m + 14], e[m + 15], e[m + 16], e[m + 17], e[m + 18], e[m + 19], e[m + 20], e[m + 21], e[m + 22], e[m + 23]] as T[];
      default: return e.slice(m, m + n) as T[];
    }
  }

  /** The number of entries pushed since `mark`. */
  count(mark: number): number {
    return this.top - mark;
  }
}
