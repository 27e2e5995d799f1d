// Shares the short plain scalars a YAML file repeats. A 10,000-step sequence writes `name:`,
// `action:`, `with:`, `true`, a package ID... tens of thousands of times; slicing each from the
// text gives each occurrence a string of its own (V8 copies slices shorter than 13 characters)
// and resolves its type again. Here every occurrence of the same characters within one read gets
// the same string and the same resolved value, found through a small hash table over the source
// characters, so nothing is allocated for a repeat (a 10,000-step `mixed` file keeps a quarter of
// the strings it kept). A collision simply replaces the entry: the table is a cache, never a
// source of truth, and the text read is the same either way.

import type { ScalarValue } from './nodes';
import { resolvePlain } from './scalars';

/**
 * Longer scalars are rarely repeated word for word, and V8 shares the characters of a slice of 13
 * or more with the text anyway; keys up to this length (`continueOnError`) are still shared.
 */
const MAX_INTERNED_LENGTH = 16;
/** Table sizes are powers of two, about one entry per 32 characters of text, within these bounds. */
const MIN_TABLE_SIZE = 64;
const MAX_TABLE_SIZE = 4096;

export class PlainScalarInterner {
  private readonly texts: string[];
  private readonly values: ScalarValue[];
  private readonly mask: number;
  /** The resolved value of the text the last call of `text` returned (read it right after). */
  value: ScalarValue = null;

  /** `toRead`: about how many characters of `src` will be read through this table. */
  constructor(
    private readonly src: string,
    toRead: number,
  ) {
    let size = MIN_TABLE_SIZE;
    while (size < MAX_TABLE_SIZE && size * 32 < toRead) size *= 2;
    this.mask = size - 1;
    this.texts = new Array<string>(size).fill('');
    this.values = new Array<ScalarValue>(size).fill(null);
  }

  /** The plain scalar written at `[start, end)` of the source (single line, not empty). */
  text(start: number, end: number): string {
    const src = this.src;
    const length = end - start;
    if (length > MAX_INTERNED_LENGTH) {
      const text = src.slice(start, end);
      this.value = resolvePlain(text);
      return text;
    }
    // A hash of a few characters only: the length and the first, second, middle and last set
    // apart what a file repeats (`Install 2` / `Install 7`, `BEN00077` / `BEN00078`), and a full
    // comparison follows anyway.
    let hash = Math.imul(length, 0x9e3779b1) ^ src.charCodeAt(start);
    hash = Math.imul(hash, 31) ^ src.charCodeAt(start + (length >> 1));
    hash = Math.imul(hash, 31) ^ src.charCodeAt(end - 1);
    hash = Math.imul(hash, 31) ^ src.charCodeAt(start + 1);
    const slot = (hash ^ (hash >>> 13)) & this.mask;
    const known = this.texts[slot];
    if (known.length === length && sameCharacters(known, src, start)) {
      this.value = this.values[slot];
      return known;
    }
    const text = src.slice(start, end);
    const value = resolvePlain(text);
    this.texts[slot] = text;
    this.values[slot] = value;
    this.value = value;
    return text;
  }
}

function sameCharacters(known: string, src: string, start: number): boolean {
  for (let i = 0; i < known.length; i++) if (known.charCodeAt(i) !== src.charCodeAt(start + i)) return false;
  return true;
}
