// Reading and writing zip archives (ConfigMgr export packages and tsqpkg files) with the limits an
// untrusted archive needs. yauzl reads (it validates entry names and checks that every entry
// inflates to exactly its declared size); on top of that this module refuses names that leave
// the folder, links, encrypted entries, duplicates, too many entries, too much expanded data and
// suspicious compression ratios, all before any data is inflated. yazl writes.

import * as yauzl from 'yauzl';
import * as yazl from 'yazl';
import { InteropError } from '../errors';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export interface ZipLimits {
  /** Largest archive file read. */
  maxArchiveBytes: number;
  maxEntries: number;
  /** Largest expanded size of one entry. */
  maxEntryBytes: number;
  /** Largest expanded size of all entries together. */
  maxTotalBytes: number;
  /** Highest expanded/compressed ratio allowed for entries above `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const ZIP_LIMITS: ZipLimits = {
  maxArchiveBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 500,
  ratioFloorBytes: 1024 * 1024,
};

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why an entry name is refused, or undefined when it stays inside the output folder. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.startsWith('/') || name.startsWith('\\')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (name.split(/[\\/]/).some((part) => part === '..')) return 'climbs out of the folder with ".."';
  return undefined;
}

function refuse(source: string, message: string, hint?: string): never {
  throw new InteropError(
    `${source}: ${message}`,
    hint ?? 'The archive is damaged or was built to attack the reader; nothing was written.',
  );
}

function openBuffer(bytes: Buffer, source: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings keeps yauzl's own name checks on; we check names first to word the refusal.
    yauzl.fromBuffer(
      bytes,
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => {
        if (err || !zip) reject(wrap(err, source));
        else resolve(zip);
      },
    );
  });
}

function wrap(err: unknown, source: string): InteropError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/invalid relative path|absolute path|invalid characters/i.test(msg)) {
    return new InteropError(
      `${source}: an entry's name leaves the output folder (${msg}).`,
      'The archive was built to write outside the folder; nothing was written.',
    );
  }
  if (/end of central directory|not a zip|invalid signature|central directory/i.test(msg)) {
    return new InteropError(
      `${source} is not a zip archive (${msg}).`,
      'Choose a ConfigMgr export .zip, a .tsqpkg or a sequence .xml.',
    );
  }
  return new InteropError(
    `${source}: the archive cannot be read (${msg}).`,
    'The archive is damaged or was built to attack the reader; nothing was written.',
  );
}

function readEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  source: string,
  budget: { left: number },
  limits: ZipLimits,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(wrap(err, source));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        budget.left -= c.length;
        if (size > limits.maxEntryBytes || budget.left < 0) {
          stream.destroy();
          reject(
            new InteropError(
              `${source}: the entry ${entry.fileName} expands beyond the limit while reading.`,
              'The archive is a zip bomb or damaged; nothing was written.',
            ),
          );
          return;
        }
        chunks.push(c);
      });
      stream.on('error', (e) => reject(wrap(e, source)));
      stream.on('end', () => resolve(Buffer.concat(chunks, size)));
    });
  });
}

/** Looks at an archive before all of it is inflated, so a refusal costs little; either may throw. */
export interface ZipInspection {
  /** Sees every file entry's name once the headers are read, before anything is inflated. */
  names?(names: string[]): void;
  /** An entry to inflate before the others (a manifest), and what to do with it. */
  first?: { name: string; check(entry: ZipEntry): void };
}

/** Reads every file entry of an archive into memory, refusing unsafe archives (and what `inspect` refuses). */
export async function readZip(
  bytes: Buffer,
  source: string,
  limits: ZipLimits = ZIP_LIMITS,
  inspect: ZipInspection = {},
): Promise<ZipEntry[]> {
  if (bytes.length > limits.maxArchiveBytes)
    refuse(
      source,
      `the archive is ${(bytes.length / 1048576).toFixed(0)} MB; tsq reads archives up to ${(limits.maxArchiveBytes / 1048576).toFixed(0)} MB.`,
      'Export without content (the _files folder is not needed for tsq).',
    );
  const zip = await openBuffer(bytes, source);
  try {
    if (zip.entryCount > limits.maxEntries)
      refuse(source, `the archive has ${zip.entryCount} entries; tsq reads at most ${limits.maxEntries}.`);
    const out: ZipEntry[] = [];
    const names = new Set<string>();
    const budget = { left: limits.maxTotalBytes };
    let declaredTotal = 0;
    const entries: yauzl.Entry[] = [];
    // First pass: look at every entry's header, without inflating anything.
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          const name = entry.fileName;
          const unsafe = unsafeEntryName(name);
          if (unsafe)
            refuse(
              source,
              `the entry "${name}" ${unsafe}; tsq refuses archives that could write outside their folder.`,
            );
          const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
          if (mode === S_IFLNK)
            refuse(source, `the entry "${name}" is a symbolic link; tsq refuses links in archives.`);
          if (entry.isEncrypted())
            refuse(
              source,
              `the entry "${name}" is encrypted; tsq reads unencrypted archives only.`,
              'A password-protected tsq package is a .tsqpkg file; ConfigMgr exports are never encrypted.',
            );
          const key = name.toLowerCase();
          if (names.has(key)) refuse(source, `the entry "${name}" appears twice; tsq refuses ambiguous archives.`);
          names.add(key);
          if (!name.endsWith('/')) {
            if (entry.uncompressedSize > limits.maxEntryBytes)
              refuse(
                source,
                `the entry "${name}" expands to ${(entry.uncompressedSize / 1048576).toFixed(0)} MB; the limit is ${(limits.maxEntryBytes / 1048576).toFixed(0)} MB.`,
              );
            declaredTotal += entry.uncompressedSize;
            if (declaredTotal > limits.maxTotalBytes)
              refuse(source, `the archive expands to more than ${(limits.maxTotalBytes / 1048576).toFixed(0)} MB.`);
            if (
              entry.uncompressedSize > limits.ratioFloorBytes &&
              entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)
            ) {
              refuse(
                source,
                `the entry "${name}" is compressed ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))} to 1; tsq refuses ratios above ${limits.maxRatio} to 1 (a zip bomb).`,
              );
            }
            entries.push(entry);
          }
          zip.readEntry();
        } catch (e) {
          reject(e);
        }
      });
      zip.on('end', () => resolve());
      zip.on('error', (e) => reject(wrap(e, source)));
      zip.readEntry();
    });
    inspect.names?.(entries.map((e) => e.fileName));
    const first = inspect.first ? entries.findIndex((e) => e.fileName === inspect.first!.name) : -1;
    if (first > 0) entries.unshift(...entries.splice(first, 1));
    for (const entry of entries) {
      out.push({ name: entry.fileName, data: await readEntry(zip, entry, source, budget, limits) });
      if (first >= 0 && out.length === 1) inspect.first!.check(out[0]);
    }
    // Back in archive order: the order is part of what a reader of the archive sees.
    if (first > 0) out.splice(first, 0, out.shift()!);
    return out;
  } finally {
    zip.close();
  }
}

/** A fixed timestamp, so the same input gives byte-identical archives. */
const FIXED_TIME = new Date(Date.UTC(2020, 0, 1, 0, 0, 0));

/** Writes entries (in the given order) into a deflated zip archive. */
export function writeZip(entries: ZipEntry[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const e of entries) {
      const unsafe = unsafeEntryName(e.name);
      if (unsafe) return reject(new InteropError(`tsq will not write the archive entry "${e.name}": it ${unsafe}.`));
      zip.addBuffer(e.data, e.name, { mtime: FIXED_TIME, mode: 0o100644 });
    }
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.end();
  });
}
