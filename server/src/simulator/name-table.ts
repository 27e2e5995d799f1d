// A table from names to numbers that finds a name given as a stretch of a longer text, without
// cutting the name out first, ignoring the case of ASCII letters. Compiling a large sequence looks
// up a variable name for every `%Name%` and every condition check; cutting each one out made a new
// string to hash and then throw away, and looking that up in a Map cost more than the rest of
// reading the check. Folding ASCII case here, in the hash and the comparison, lets the variable
// store (variables.ts) find a name however it is spelled with one lookup, and make a new name's slot
// without lower-casing it into a key of a second map: tens of thousands of names a large file
// meets for the first time. Characters outside ASCII are compared exactly (variables.ts gives
// those names their Unicode lower case). Open addressing over the names' own hashes (FNV-1a of
// their UTF-16 code units, ASCII letters in lower case); names are never removed.

const EMPTY = -1;

/** `c` with an ASCII capital letter made small; anything else as it is. */
function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

function hashOf(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ fold(text.charCodeAt(i)), 0x01000193);
  return h | 0;
}

function sameText(name: string, text: string, from: number, to: number): boolean {
  if (name.length !== to - from) return false;
  for (let i = 0; i < name.length; i++) {
    const a = name.charCodeAt(i),
      b = text.charCodeAt(from + i);
    if (a !== b && fold(a) !== fold(b)) return false;
  }
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

  /** The number stored for the name `text.slice(from, to)`, ASCII letters' case ignored; -1 when it has none. */
  find(text: string, from: number, to: number): number {
    const buckets = this.buckets;
    const mask = buckets.length - 1;
    const hash = hashOf(text, from, to);
    for (let b = hash & mask; ;) {
      // The next bucket is worked out on every probe, before it is known to be needed: a step to it
      // that V8 had never seen taken when it optimized this function (the first collision after
      // that) sent the function back to be optimized again, in the middle of a first run.
      const next = (b + 1) & mask;
      const entry = buckets[b];
      if (entry === EMPTY) return -1;
      if (this.hashes[entry] === hash && sameText(this.names[entry], text, from, to)) return this.values[entry];
      b = next;
    }
  }

  /** Stores `value` (≥ 0) for a name the table does not hold yet (`find` did not find it). */
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
