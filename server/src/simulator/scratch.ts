// A list that is filled afresh for each frame being compiled (program.ts) and then copied out at
// its exact size. It keeps the room it has grown: growing new arrays table by table and frame
// by frame allocated several times what a compiled file keeps, all of it for the garbage
// collector to go through while a large file is compiled. `clear` lets go of what the entries refer
// to as well as emptying the list: the list lives as long as the process, and a text it held would
// keep the file it was read from (own-text.ts).

const EMPTY: never[] = [];

export class Scratch<T> {
  private readonly items: T[] = [];
  length = 0;

  push(item: T): void {
    this.items[this.length++] = item;
  }

  push3(a: T, b: T, c: T): void {
    const items = this.items;
    const n = this.length;
    items[n] = a;
    items[n + 1] = b;
    items[n + 2] = c;
    this.length = n + 3;
  }

  push6(a: T, b: T, c: T, d: T, e: T, f: T): void {
    const items = this.items;
    const n = this.length;
    items[n] = a;
    items[n + 1] = b;
    items[n + 2] = c;
    items[n + 3] = d;
    items[n + 4] = e;
    items[n + 5] = f;
    this.length = n + 6;
  }

  /** Empties the list, keeping its room but nothing its entries referred to. */
  clear(): void {
    this.items.fill(undefined as T, 0, this.length);
    this.length = 0;
  }

  /** The entries, in an array of their own (one shared empty array when there are none). */
  copy(): T[] {
    return this.length === 0 ? EMPTY : this.items.slice(0, this.length);
  }
}
