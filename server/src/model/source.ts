// Turns the bytes of a file into text, or into a clear refusal: files larger than tsq reads, files
// that look binary, and files that are neither UTF-8 nor UTF-16 (with a byte order mark) are
// refused with the position of the problem and what to do. Nothing here throws on content.

export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface DecodedSource {
  text?: string;
  /** Why the file cannot be read as text; `offset` is the byte where the problem was found. */
  problem?: { message: string; hint: string; offset: number };
}

export function decodeSource(bytes: Uint8Array, maxBytes = MAX_FILE_BYTES): DecodedSource {
  if (bytes.length > maxBytes) {
    return {
      problem: {
        message: `This file is ${(bytes.length / 1048576).toFixed(1)} MB; tsq reads files up to ${(maxBytes / 1048576).toFixed(0)} MB.`,
        hint: 'Split the sequence into child sequences (Run Task Sequence) kept in separate files.',
        offset: 0,
      },
    };
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    if (bytes.length % 2 !== 0) {
      return { problem: { message: 'This file starts with a UTF-16 byte order mark but has an odd number of bytes.', hint: 'Save the file again as UTF-8.', offset: bytes.length - 1 } };
    }
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
    return checkText(text);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { problem: { message: 'This file contains NUL bytes; it looks like a binary file, not YAML.', hint: 'Only text files (*.tsq.yaml) can be read. If this is a UTF-16 file, save it as UTF-8.', offset: nul } };
  }
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return checkText(text);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return { problem: { message: `This file is not valid UTF-8 (first bad byte at offset ${offset}).`, hint: 'Save the file as UTF-8; in VS Code use "Change File Encoding" in the status bar.', offset } };
  }
}

function checkText(text: string): DecodedSource {
  // Control characters other than tab, LF and CR are not allowed in YAML; many of them mean binary data.
  let controls = 0, first = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || c === 0xfffe || c === 0xffff) {
      if (first < 0) first = i;
      controls++;
    }
  }
  if (controls > 0) {
    return { text, problem: { message: `This file contains ${controls} control character${controls > 1 ? 's' : ''} that YAML does not allow.`, hint: 'Remove them; if the file is binary, it is not a task sequence file.', offset: first } };
  }
  return { text };
}

/** Offset of the first byte that breaks UTF-8 (for the error message). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    if (c < 0x80) { i++; continue; }
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}
