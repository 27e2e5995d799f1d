// The one way tsq reads a file from disk — tsq files in the CLI, the language server and the
// debugger, `.tsqignore`, import inputs, the ConfigMgr files export keeps — so that no file can
// hang tsq or fill its memory. Only regular files are read: a folder, a device (/dev/zero), a named
// pipe or a socket is refused with a message saying which it is. The path is checked before it is
// opened (opening some devices does something), opened without blocking (a named pipe swapped in
// meanwhile cannot stall the open) and checked again on the open descriptor, not the path. Reading
// stops after the size cap plus one byte, whatever the file claims its size is, so a file that
// grows or lies about its size (/proc, a link to /dev/urandom) costs at most the cap.

import * as fs from 'node:fs';
import { DEFAULT_MAX_FILE_BYTES, RAISE_FILE_LIMIT_HINT, tooLargePredicate, type ReadLimit } from '../model/source';

export type { ReadLimit } from '../model/source';

/** The largest cap the setting, the flag and the variable accept (a JavaScript string's reach). */
export const MAX_FILE_MB_CEILING = 1024;
export const MAX_FILE_MB_ENV = 'TSQ_MAX_FILE_MB';
const MB = 1024 * 1024;

export type RefusalKind = 'missing' | 'not-a-file' | 'too-large' | 'unreadable';

/** Why a file was not read; `predicate` completes a sentence whose subject is the file. */
export class FileRefusal extends Error {
  constructor(
    readonly file: string,
    readonly kind: RefusalKind,
    readonly predicate: string,
    readonly hint?: string,
  ) {
    super(`${file} ${predicate}`);
    this.name = 'FileRefusal';
  }

  /** The sentence with another subject, e.g. "This file" in a finding that already names the file. */
  sentence(subject: string): string {
    return `${subject} ${this.predicate}`;
  }
}

let tsqFileMaxBytes = DEFAULT_MAX_FILE_BYTES;

/** The cap for tsq files now in force. */
export function tsqFileLimit(): ReadLimit {
  return { maxBytes: tsqFileMaxBytes, what: 'tsq reads files', hint: RAISE_FILE_LIMIT_HINT };
}

/** Sets the cap for tsq files (megabytes); undefined goes back to the default. */
export function setTsqFileLimitMB(mb: number | undefined): void {
  tsqFileMaxBytes = mb === undefined ? DEFAULT_MAX_FILE_BYTES : Math.round(mb * MB);
}

/** Sets the cap for tsq files in bytes (a worker thread takes its caller's: workers/worker-threads.ts). */
export function setTsqFileLimitBytes(maxBytes: number): void {
  tsqFileMaxBytes = maxBytes;
}

/** A cap in megabytes as written in a flag or variable; undefined when it is not one. */
export function parseLimitMB(text: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  const mb = Number(text);
  return mb > 0 && mb <= MAX_FILE_MB_CEILING ? mb : undefined;
}

/** What kind of thing a non-regular file is, with its article: "a character device". */
export function describeKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notAFile(file: string, st: fs.Stats): FileRefusal {
  const kind = describeKind(st);
  let link: string | undefined;
  try {
    if (fs.lstatSync(file).isSymbolicLink()) link = fs.realpathSync(file);
  } catch {
    /* a link that cannot be followed is described by what stat found */
  }
  const predicate =
    link && link !== file ? `is a link to ${link}, which is ${kind}, not a file.` : `is ${kind}, not a file.`;
  const hint = st.isDirectory()
    ? 'Name a file, or rename the folder so that it does not end in .tsq.yaml.'
    : st.isFIFO()
      ? 'tsq reads regular files only: save what the pipe gives to a file first (for example `git show HEAD~1:deploy.tsq.yaml > old.tsq.yaml`), then name that file.'
      : 'tsq reads regular files only.';
  return new FileRefusal(file, 'not-a-file', predicate, hint);
}

/** The refusal for an error the system gave while looking at or opening `file`. */
export function refusalOf(file: string, e: unknown): FileRefusal {
  if (e instanceof FileRefusal) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new FileRefusal(file, 'missing', 'does not exist.');
    case 'EACCES':
    case 'EPERM':
      return new FileRefusal(
        file,
        'unreadable',
        'cannot be read: permission denied.',
        'Give your account read access to the file, or leave it out.',
      );
    case 'ELOOP':
      return new FileRefusal(file, 'unreadable', 'cannot be read: its links go round in a loop.');
    case 'EISDIR':
      return new FileRefusal(file, 'not-a-file', 'is a folder, not a file.');
    default:
      return new FileRefusal(
        file,
        'unreadable',
        `cannot be read (${code ?? (e instanceof Error ? e.message : String(e))}).`,
      );
  }
}

function tooLarge(file: string, size: number | undefined, limit: ReadLimit): FileRefusal {
  return new FileRefusal(file, 'too-large', tooLargePredicate(size, limit), limit.hint);
}

/** `file` is there and a regular file (following links); throws the refusal otherwise. */
export function requireRegularFile(file: string): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw refusalOf(file, e);
  }
  if (!st.isFile()) throw notAFile(file, st);
  return st;
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

function openChecked(file: string): { fd: number; st: fs.Stats } {
  requireRegularFile(file);
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (e) {
    throw refusalOf(file, e);
  }
  try {
    const st = fs.fstatSync(fd);
    // The path may have been swapped for something else between the check and the open.
    if (!st.isFile()) throw notAFile(file, st);
    return { fd, st };
  } catch (e) {
    fs.closeSync(fd);
    throw refusalOf(file, e);
  }
}

/** Reads from `fd` until the end or until `most` bytes, whichever comes first. */
function readUpTo(fd: number, expected: number, most: number): Buffer {
  let buf = Buffer.allocUnsafe(Math.max(1, Math.min(most, expected > 0 ? expected + 1 : 64 * 1024)));
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      if (length >= most) break;
      const bigger = Buffer.allocUnsafe(Math.min(most, buf.length * 2));
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, length, buf.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return buf.subarray(0, length);
}

/**
 * The bytes of the regular file `file`, at most `limit.maxBytes` of them; throws a FileRefusal
 * (with the file, what it is and what to do) for anything else.
 */
export function readFileBounded(file: string, limit: ReadLimit = tsqFileLimit()): Buffer {
  const { fd, st } = openChecked(file);
  try {
    if (st.size > limit.maxBytes) throw tooLarge(file, st.size, limit);
    const bytes = readUpTo(fd, st.size, limit.maxBytes + 1);
    if (bytes.length > limit.maxBytes) throw tooLarge(file, undefined, limit);
    return bytes;
  } catch (e) {
    throw refusalOf(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** The first `most` bytes of the regular file `file` (for a look at how it starts). */
export function readFileStart(file: string, most: number): Buffer {
  const { fd, st } = openChecked(file);
  try {
    return readUpTo(fd, Math.min(st.size, most), most);
  } catch (e) {
    throw refusalOf(file, e);
  } finally {
    fs.closeSync(fd);
  }
}
