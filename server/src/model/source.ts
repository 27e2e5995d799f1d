// Turns the bytes of a file into text, or into a clear refusal: files larger than tsq reads, files
// that look binary, and files that are neither UTF-8 nor UTF-16 (with a byte order mark) are
// refused with the position of the problem and what to do. Text, from a file or from an editor,
// is judged by `textRefusal` and `controlCharacters` alone, so that the command line and the
// language server say the same about the same text. Nothing here throws on content.

/** Default cap for tsq files: over twice a generated 100,000-step sequence, which weighs 14.4 MB (docs/reading-files.md). */
export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;

export const RAISE_FILE_LIMIT_HINT =
  'Split the sequence into child sequences (Run Task Sequence) kept in separate files, or raise the limit: `--max-file-mb N` or TSQ_MAX_FILE_MB=N for the tsq command, the `tsq.files.maxSizeMB` setting in the editor.';

/** A size cap and what to tell the user when a file is over it. */
export interface ReadLimit {
  maxBytes: number;
  /** The sentence's subject and verb: "tsq reads files" (up to 32 MB). */
  what: string;
  /** How to raise the cap, or what to do instead. */
  hint?: string;
}

export interface SourceProblem {
  message: string;
  hint: string;
  /** Where the problem is: a byte offset for bytes that are not text, a text offset otherwise. */
  offset: number;
  /** How many characters of the text it covers (none for the file as a whole). */
  length?: number;
}

export interface DecodedSource {
  text?: string;
  /**
   * What the text weighs saved as UTF-8, when the bytes were UTF-8: their number less the byte
   * order marks left out. Known here for free, where measuring the text again is a scan of it.
   */
  utf8Size?: number;
  /** Why the file cannot be read as text; `offset` is the byte where the problem was found. */
  problem?: SourceProblem;
}

/** A cap as people write it: "32 MB", "64 KB", "1.5 MB". */
export function formatCap(bytes: number): string {
  const [n, unit] = bytes >= 1048576 ? [bytes / 1048576, 'MB'] : [bytes / 1024, 'KB'];
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}`;
}

/** A file's size, to a tenth: "50.2 MB", "117.2 KB", "5.0 GB". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** "is 50.2 MB; tsq reads files up to 32 MB." (size undefined: the file grew while it was read). */
export function tooLargePredicate(size: number | undefined, limit: ReadLimit): string {
  const cap = formatCap(limit.maxBytes);
  return size === undefined
    ? `is larger than ${cap}; ${limit.what} up to ${cap}.`
    : `is ${formatSize(size)}; ${limit.what} up to ${cap}.`;
}

/** The finding for a tsq file over the cap (`size` in bytes, undefined when not known). */
export function tooLargeProblem(size: number | undefined, maxBytes: number): SourceProblem {
  return {
    message: `This file ${tooLargePredicate(size, { maxBytes, what: 'tsq reads files' })}`,
    hint: RAISE_FILE_LIMIT_HINT,
    offset: 0,
  };
}

const NUL_MESSAGE = 'This file contains NUL bytes; it looks like a binary file, not YAML.';
const NUL_HINT = 'Only text files (*.tsq.yaml) can be read. If this is a UTF-16 file, save it as UTF-8.';

export function decodeSource(bytes: Uint8Array, maxBytes = DEFAULT_MAX_FILE_BYTES): DecodedSource {
  if (bytes.length > maxBytes) return { problem: tooLargeProblem(bytes.length, maxBytes) };
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    if (bytes.length % 2 !== 0) {
      return {
        problem: {
          message: 'This file starts with a UTF-16 byte order mark but has an odd number of bytes.',
          hint: 'Save the file again as UTF-8.',
          offset: bytes.length - 1,
        },
      };
    }
    return { text: new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2)) };
  }
  try {
    // The decoder leaves out a byte order mark at the start; a second one is left out here.
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    let marks = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 1 : 0;
    if (text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
      marks++;
    }
    return { text, utf8Size: bytes.length - 3 * marks };
  } catch {
    // Bytes that are not UTF-8 and hold NULs are most likely binary: say so rather than where the UTF-8 breaks.
    if (bytes.indexOf(0) >= 0) return { problem: { message: NUL_MESSAGE, hint: NUL_HINT, offset: 0 } };
    const offset = firstInvalidUtf8(bytes);
    const at = placeOfByte(bytes, offset);
    const byte = bytes[offset].toString(16).toUpperCase().padStart(2, '0');
    return {
      problem: {
        message: `This file is not valid UTF-8: line ${at.line}, column ${at.column} holds the byte 0x${byte}, which UTF-8 does not allow there.`,
        hint:
          'It was most likely saved in a Windows code page (Notepad\'s "ANSI", Windows-1252). Save it as UTF-8: in VS Code, ' +
          'click the encoding in the status bar, "Reopen with Encoding" (Western (Windows 1252)), then "Save with Encoding" and UTF-8.',
        offset,
      },
    };
  }
}

const NOT_ASCII = /[\u0080-\uffff]/;
/** The characters `isForbiddenCharacter` accepts, as one class. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CHARACTER = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]/;

/** How many bytes `text` takes as UTF-8 (what it weighs saved). */
export function utf8Length(text: string): number {
  // Most files are ASCII, where the length is the answer: a regular expression finds the first
  // other character several times faster than a loop over every character (measured on 18 MB).
  const first = text.search(NOT_ASCII);
  if (first < 0) return text.length;
  let n = text.length;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** What `text` weighs saved (UTF-8), or 0 when it cannot be near `maxBytes` (not measured then). */
export function savedSize(text: string, maxBytes: number): number {
  return text.length * 3 <= maxBytes ? 0 : utf8Length(text);
}

/**
 * Why a text is not read at all: too large, or holding NUL characters (binary). Undefined for text
 * that is read, perhaps with other problems (`controlCharacters`). `size` is what the text weighs
 * saved, when the caller knows it.
 */
export function textRefusal(
  text: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
  size = savedSize(text, maxBytes),
): SourceProblem | undefined {
  if (size > maxBytes) return tooLargeProblem(size, maxBytes);
  const nul = text.indexOf('\0');
  if (nul >= 0) return { message: NUL_MESSAGE, hint: NUL_HINT, offset: nul, length: 1 };
  return undefined;
}

/** True for characters YAML does not allow in a file (controls other than tab, LF and CR; U+FFFE, U+FFFF). */
export function isForbiddenCharacter(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || c === 0xfffe || c === 0xffff;
}

/** Whether `text` has a character YAML does not allow (a quick test for a piece of an edit). */
export function hasForbiddenCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isForbiddenCharacter(text.charCodeAt(i))) return true;
  return false;
}

/** The characters YAML does not allow in `text`, as one problem at the first of them. */
export function controlCharacters(text: string): SourceProblem | undefined {
  // Control characters other than tab, LF and CR are not allowed in YAML; many of them mean binary data.
  // Nearly every file has none: one regular expression says so twice as fast as the loop below.
  const found = text.search(FORBIDDEN_CHARACTER);
  if (found < 0) return undefined;
  let controls = 0,
    first = -1;
  for (let i = found; i < text.length; i++) {
    if (isForbiddenCharacter(text.charCodeAt(i))) {
      if (first < 0) first = i;
      controls++;
    }
  }
  if (controls === 0) return undefined;
  return {
    message: `This file contains ${controls} control character${controls > 1 ? 's' : ''} that YAML does not allow.`,
    hint: 'Remove them; if the file is binary, it is not a task sequence file.',
    offset: first,
    length: 1,
  };
}

/** Offset of the first byte that breaks UTF-8 (for the error message). */
/**
 * The line and column (1-based; the column in characters, as an editor counts them) of byte
 * `offset`, all of whose line before it is valid UTF-8: the first bad byte of a file that is not.
 */
function placeOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1,
    lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1 };
}

export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}
