// Text literals of the `when:` language: reading and writing "double-quoted" values.
// A condition usually sits in a YAML plain scalar, where backslashes arrive untouched, so a
// backslash is an escape only before `"` or another backslash: "C:\Windows" and "C:\\Windows"
// both mean C:\Windows, and a value ending in a backslash is written "C:\Temp\\".

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export interface ScannedString {
  /** Offset just past the closing quote, or the text length when the quote is missing. */
  end: number;
  value: string;
  terminated: boolean;
}

/** Reads a string literal whose opening quote is at `start`. */
export function scanString(text: string, start: number): ScannedString {
  // The value is copied a run at a time between escapes (most values have none: one copy).
  let value = '';
  let from = start + 1;
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { end: i + 1, value: value + text.slice(from, i), terminated: true };
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === QUOTE || next === BACKSLASH) {
        value += text.slice(from, i);
        from = i + 1;
        i += 2;
        continue;
      }
    }
    i++;
  }
  return { end: text.length, value: value + text.slice(from), terminated: false };
}

/** Where the literal whose opening quote is at `start` closes (as scanString reads it), or -1 when it does not. */
export function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === QUOTE || next === BACKSLASH) i++;
    }
  }
  return -1;
}

/** Writes a value as a literal that scanString reads back to the same value. */
export function quote(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') out += '\\"';
    else if (c === '\\') {
      // Doubling is only needed where a lone backslash would be read as an escape.
      const next = value[i + 1];
      out += next === undefined || next === '"' || next === '\\' ? '\\\\' : '\\';
    } else out += c;
  }
  return out + '"';
}

/** Values that may be written without quotes: numbers, dotted versions, true and false. */
export function isBareValue(word: string): boolean {
  return /^-?[0-9]+(\.[0-9]+)*$/.test(word) || /^(true|false)$/i.test(word);
}
