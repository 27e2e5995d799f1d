// Text literals of the `when:` language: reading and writing "double-quoted" values.
// A condition usually sits in a YAML plain scalar, where backslashes arrive untouched, so a
// backslash is an escape only before `"` or another backslash: "C:\Windows" and "C:\\Windows"
// both mean C:\Windows, and a value ending in a backslash is written "C:\Temp\\".

export interface ScannedString {
  /** Offset just past the closing quote, or the text length when the quote is missing. */
  end: number;
  value: string;
  terminated: boolean;
}

/** Reads a string literal whose opening quote is at `start`. */
export function scanString(text: string, start: number): ScannedString {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { end: i + 1, value, terminated: true };
    if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return { end: text.length, value, terminated: false };
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
