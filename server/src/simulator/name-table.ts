// A table from names to numbers that finds a name given as a stretch of a longer text, without
// cutting the name out first. Compiling a large sequence looks up a variable name for every `%Name%`
// and every condition check; cutting each one out made a new string to hash and then throw away,
// and looking that up in a Map cost more than the rest of reading the check. Open addressing
// over the names' own hashes (FNV-1a of their UTF-16 code units); names are never removed.

const EMPTY = -1;

function hashOf(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function sameText(name: string, text: string, from: number, to: number): boolean {
  if (name.length !== to - from) return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== text.charCodeAt(from + i)) return false;
  return true;
}

export class NameTable {
  private readonly names: string[] = [];
  private readonly hashes: number[] = [];
  private readonly values: number[] = [];
  /** Entry index per bucket, EMPTY where none; at most half full. */
  private buckets = new Int32Array(1024).fill(EMPTY);

  get size(): number {
    return this.names.length;
  }

  /** The number stored for the name `text.slice(from, to)`; -1 when it has none. */
  find(text: string, from: number, to: number): number {
    const buckets = this.buckets;
    const mask = buckets.length - 1;
    for (let b = hashOf(text, from, to) & mask; ; b = (b + 1) & mask) {
      const entry = buckets[b];
      if (entry === EMPTY) return -1;
      if (sameText(this.names[entry], text, from, to)) return this.values[entry];
    }
  }

  /** Stores `value` (≥ 0) for a name the table does not hold yet. */
  add(name: string, value: number): void {
    const entry = this.names.length;
    const hash = hashOf(name, 0, name.length);
    this.names.push(name);
    this.hashes.push(hash);
    this.values.push(value);
    if ((entry + 1) * 2 > this.buckets.length) this.grow();
    else this.place(entry, hash);
  }

  private place(entry: number, hash: number): void {
    const buckets = this.buckets;
    const mask = buckets.length - 1;
    let b = hash & mask;
    while (buckets[b] !== EMPTY) b = (b + 1) & mask;
    buckets[b] = entry;
  }

  private grow(): void {
    this.buckets = new Int32Array(this.buckets.length * 2).fill(EMPTY);
    for (let e = 0; e < this.names.length; e++) this.place(e, this.hashes[e]);
  }
}
