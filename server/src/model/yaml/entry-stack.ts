// Collects the entries of the collections being read, so that each collection's list is made once
// at its exact length. An array grown by `push` from empty reserves room for 16 entries on the
// first push and more as it grows; a step's mapping has four to eight pairs, so most of every
// list would be room never used, kept for as long as the document is open (list storage was an
// eighth of a 10,000-step document's heap; made this way it takes half as much). Collections
// nest, so one stack serves them all: a collection remembers where its entries start, and takes
// them off when it is complete.

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
    const list = this.entries.slice(mark, this.top) as T[];
    this.top = mark;
    return list;
  }

  /** The number of entries pushed since `mark`. */
  count(mark: number): number {
    return this.top - mark;
  }
}
