// The one way tsq writes to disk: `tsq export --out`, `tsq import --out`, `tsq migrate --out`,
// `tsq simulate --log-file`, the VS Code import and export commands and the editor's New from
// Template (createFileSafely: only a file that does not exist) all come here. What it promises:
// - whole or nothing: a file is written to a temporary name beside the target and renamed over it;
//   a folder of files is staged beside the output folder and moved in only when complete, and a
//   failure puts back what it replaced;
// - never through a link: the output, and every folder and file on the way inside an output
//   folder, is looked at with lstat; a symbolic link is refused by name, and new files are opened
//   with O_EXCL | O_NOFOLLOW;
// - only regular files are replaced (never a device such as /dev/full, a FIFO, a socket or a
//   folder), and never a file the same run read (compared by device and inode, and by real path);
// - messages name what the user gave (`--out lab`), never a temporary name;
// - a staging folder left by a killed import (`.NAME.tsq-staging-PID-XXXXXX`, with a marker file
//   saying whose it is) is recognised by the next import into the same folder, rolled back and
//   removed once its process is gone.
// Node has no openat(), so a folder swapped for a link between the check and the write can still
// win a race; every path is checked again right before each rename to make that window small.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { InteropError } from '../interop/errors';
import { clashingPaths, printable, unplainPath, type OutputFile } from '../interop/files';

/** A write tsq refused or could not finish; nothing was written (or what was replaced is back). */
export class WriteRefused extends InteropError {}

export interface OutputOptions {
  /** How the user named the output, for messages (`--out lab`); default the path itself. */
  label?: string;
  /** Files this run read: the output must not be any of them. */
  inputs?: readonly string[];
}

const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const CREATE_NEW = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NO_FOLLOW;

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw e;
  }
}

/** What a non-regular file is, in words. */
function kindOf(st: fs.Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return st.isFile() ? 'a file' : 'not a regular file';
}

function linkTarget(p: string): string {
  try {
    return ` (to ${fs.readlinkSync(p)})`;
  } catch {
    return '';
  }
}

const LINK_HINT = 'Replace the link with a real folder or file, or choose another output.';

/** Words for an operating-system error while writing, without the temporary path Node puts in its message. */
function errnoWords(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'the operation is not permitted',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the file system is read-only',
    ENOENT: 'a folder on the way does not exist',
    ENOTDIR: 'a file is in the way where a folder is needed',
    EISDIR: 'it is a folder',
    EXDEV: 'the output spans two file systems',
    EEXIST: 'something appeared there while tsq was writing',
    ENAMETOOLONG: 'the path is too long',
    EMFILE: 'too many files are open',
    EIO: 'an input/output error occurred',
  };
  return err?.code ? `${words[err.code] ?? 'the file system refused'} (${err.code})` : String(e);
}

function failed(label: string, e: unknown): WriteRefused {
  if (e instanceof InteropError) return e;
  return new WriteRefused(`cannot write ${label}: ${errnoWords(e)}.`, 'The previous files are as they were.');
}

/** Whether `st` (the existing output) is the same file as one of `inputs`. */
function inputAt(st: fs.Stats, target: string, inputs: readonly string[]): string | undefined {
  let real: string | undefined;
  try {
    real = fs.realpathSync(target);
  } catch {
    /* compared by inode only */
  }
  for (const input of inputs) {
    try {
      const s = fs.statSync(input);
      if (
        (s.ino !== 0 && s.dev === st.dev && s.ino === st.ino) ||
        (real !== undefined && fs.realpathSync(input) === real)
      )
        return input;
    } catch {
      /* an input that is gone cannot be overwritten */
    }
  }
  return undefined;
}

/** Refuses to replace `target` unless it is missing or a regular file that is not an input. */
function checkReplaceable(target: string, st: fs.Stats | undefined, shown: string, inputs: readonly string[]): void {
  if (!st) return;
  if (st.isSymbolicLink())
    throw new WriteRefused(
      `${shown} is a symbolic link${linkTarget(target)}; tsq never writes through links.`,
      LINK_HINT,
    );
  if (!st.isFile())
    throw new WriteRefused(
      `${shown} is ${kindOf(st)}, not a regular file; tsq only ever replaces regular files.`,
      'Choose another output path.',
    );
  const input = inputAt(st, target, inputs);
  if (input !== undefined)
    throw new WriteRefused(
      `${shown} is ${path.resolve(input) === path.resolve(target) ? 'a file' : `the same file as ${input}, a file`} this command reads; tsq never writes an output over its input.`,
      'Choose another output path.',
    );
}

/** A new name beside `target`, hidden, short enough for any name `target` may have. */
function tempBeside(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target).slice(0, 100)}.tsq-${randomBytes(6).toString('hex')}.tmp`,
  );
}

/** Creates `file` (which must not exist, not even as a link) with `data`. */
function createNew(file: string, data: Buffer | string, mode = 0o644, sync = false): void {
  const fd = fs.openSync(file, CREATE_NEW, mode);
  try {
    fs.writeFileSync(fd, data);
    if (sync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether an output named on the command line is a folder that exists (a link to one is not: outputs never go through links). */
export function isExistingFolder(target: string): boolean {
  try {
    return lstatOrUndefined(path.resolve(target))?.isDirectory() ?? false;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- what cannot be looked at is taken for a file; the write that follows refuses it and says why
    return false;
  }
}

/** Refuses `target` as an output file (see writeFileSafely) without writing anything. */
export function checkFileOutput(target: string, options: OutputOptions = {}): void {
  let st: fs.Stats | undefined;
  try {
    st = lstatOrUndefined(path.resolve(target));
  } catch (e) {
    throw failed(options.label ?? target, e);
  }
  checkReplaceable(path.resolve(target), st, options.label ?? target, options.inputs ?? []);
}

/**
 * Writes `data` to the file `target` whole or not at all: a temporary file beside it, renamed over
 * it. Refuses a link, a device, FIFO, socket or folder at `target`, a missing folder, and any file
 * of `options.inputs`.
 */
export function writeFileSafely(target: string, data: Buffer | string, options: OutputOptions = {}): void {
  const label = options.label ?? target;
  const abs = path.resolve(target);
  const inputs = options.inputs ?? [];
  let before: fs.Stats | undefined;
  try {
    before = lstatOrUndefined(abs);
  } catch (e) {
    throw failed(label, e);
  }
  checkReplaceable(abs, before, label, inputs);
  const folder = path.dirname(abs);
  let folderStat: fs.Stats | undefined;
  try {
    folderStat = fs.statSync(folder);
  } catch {
    folderStat = undefined;
  }
  if (!folderStat?.isDirectory())
    throw new WriteRefused(
      `cannot write ${label}: the folder ${path.dirname(target) || '.'} does not exist.`,
      'Create the folder first.',
    );
  const tmp = tempBeside(abs);
  try {
    createNew(tmp, data, before ? before.mode & 0o777 : 0o644, true);
    // Looked at again right before the rename: it may have changed while the data was written.
    checkReplaceable(abs, lstatOrUndefined(abs), label, inputs);
    fs.renameSync(tmp, abs);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* the original error says more */
    }
    throw failed(label, e);
  }
}

/**
 * Creates the file `target` with `data`, whole or not at all, and only if nothing is there: not a
 * file, not a folder, not a link (a dangling one included). The data goes to a temporary file
 * beside it, which is then hard-linked to `target` (link() never replaces anything and never
 * follows a link at the new name); where the file system has no hard links, `target` is created
 * with O_EXCL | O_NOFOLLOW and written. `createFolders` makes the folders on the way that are missing.
 */
export function createFileSafely(
  target: string,
  data: Buffer | string,
  options: OutputOptions & { createFolders?: boolean } = {},
): void {
  const label = options.label ?? target;
  const abs = path.resolve(target);
  let st: fs.Stats | undefined;
  try {
    st = lstatOrUndefined(abs);
  } catch (e) {
    throw failed(label, e);
  }
  if (st?.isSymbolicLink())
    throw new WriteRefused(`${label} is a symbolic link${linkTarget(abs)}; tsq never writes through links.`, LINK_HINT);
  if (st)
    throw new WriteRefused(
      `${label} exists already (${kindOf(st)}); tsq does not write over it.`,
      'Choose another name.',
    );
  let folderStat: fs.Stats | undefined;
  try {
    if (options.createFolders) fs.mkdirSync(path.dirname(abs), { recursive: true });
    folderStat = fs.statSync(path.dirname(abs));
  } catch {
    folderStat = undefined;
  }
  if (!folderStat?.isDirectory())
    throw new WriteRefused(
      `cannot write ${label}: the folder ${path.dirname(target) || '.'} does not exist${options.createFolders ? ' and cannot be created' : ''}.`,
      options.createFolders ? 'Choose another folder.' : 'Create the folder first.',
    );
  const tmp = tempBeside(abs);
  try {
    createNew(tmp, data, 0o644, true);
    try {
      fs.linkSync(tmp, abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
      createNew(abs, data);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      const now = lstatOrUndefined(abs);
      throw new WriteRefused(
        now?.isSymbolicLink()
          ? `${label} is a symbolic link${linkTarget(abs)}; tsq never writes through links.`
          : `${label} appeared while tsq was writing it; tsq does not write over it.`,
        'Choose another name.',
      );
    }
    throw failed(label, e);
  } finally {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* a temporary file left behind is hidden and harmless; the outcome is what matters */
    }
  }
}

export interface FolderPlan {
  /** The output folder, absolute. */
  folder: string;
  /** Whether the folder exists already. */
  exists: boolean;
  /** Files that will be created, relative to the folder. */
  create: string[];
  /** Files that exist and will be replaced. */
  replace: string[];
  /** Folders inside the output folder that will be created, parents first. */
  newFolders: string[];
}

export interface FolderOptions extends OutputOptions {
  /** How the folder is shown inside messages (the path the user typed); default `label`'s path. */
  shown?: string;
}

/**
 * What writing `paths` into `folder` would do, without writing anything: which files are new and
 * which replace existing ones. Refuses paths that are not plain, names that clash, a link at or
 * inside the folder on the way to any of them, and anything but a regular file where a file goes.
 */
export function planFolderWrite(folder: string, paths: readonly string[], options: FolderOptions = {}): FolderPlan {
  try {
    return planFolder(folder, paths, options);
  } catch (e) {
    throw failed(options.label ?? folder, e);
  }
}

function planFolder(folder: string, paths: readonly string[], options: FolderOptions): FolderPlan {
  const label = options.label ?? folder;
  const shown = options.shown ?? folder;
  for (const p of paths) {
    const why = unplainPath(p);
    if (why) throw new WriteRefused(`tsq will not write "${printable(p)}" into ${label}: it ${why}.`);
  }
  const clash = clashingPaths(paths);
  if (clash) throw new WriteRefused(`tsq will not write into ${label}: ${printable(clash)}.`);
  const out = path.resolve(folder);
  const top = lstatOrUndefined(out);
  if (top?.isSymbolicLink())
    throw new WriteRefused(`${label} is a symbolic link${linkTarget(out)}; tsq never writes through links.`, LINK_HINT);
  if (top && !top.isDirectory())
    throw new WriteRefused(`${label} is ${kindOf(top)}, not a folder.`, 'Give --out a folder path.');
  const plan: FolderPlan = { folder: out, exists: !!top, create: [], replace: [], newFolders: [] };
  // Each folder on the way is looked at once, however many files go into it.
  const folders = new Map<string, boolean>();
  const folderExists = (rel: string): boolean => {
    const known = folders.get(rel);
    if (known !== undefined) return known;
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    let exists = false;
    if (parent === '' ? plan.exists : folderExists(parent)) {
      const abs = path.join(out, rel);
      const st = lstatOrUndefined(abs);
      if (st?.isSymbolicLink())
        throw new WriteRefused(
          `${shown}/${rel} (inside ${label}) is a symbolic link${linkTarget(abs)}; tsq never writes through links.`,
          LINK_HINT,
        );
      if (st && !st.isDirectory())
        throw new WriteRefused(
          `${shown}/${rel} (inside ${label}) is ${kindOf(st)} where the import needs a folder.`,
          'Move it away or choose another folder.',
        );
      exists = !!st;
    }
    if (!exists) plan.newFolders.push(rel);
    folders.set(rel, exists);
    return exists;
  };
  for (const p of paths) {
    const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    const parentExists = parent === '' ? plan.exists : folderExists(parent);
    const abs = path.join(out, p);
    const st = parentExists ? lstatOrUndefined(abs) : undefined;
    checkReplaceable(abs, st, `${shown}/${p} (inside ${label})`, options.inputs ?? []);
    (st ? plan.replace : plan.create).push(p);
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Staging folders

const MARKER = 'tsq-staging.json';
const STAGING = '.tsq-staging-';
/** Staging folders of tsq versions before the marker file: `.NAME.tsq-import-XXXXXX`. */
const LEGACY_STAGING = '.tsq-import-';
/** A staging folder from another computer (a shared folder) counts as abandoned after a day. */
const FOREIGN_STALE_MS = 24 * 60 * 60 * 1000;
/** A folder without a marker (killed while being created, or an old tsq's) after an hour. */
const UNMARKED_STALE_MS = 60 * 60 * 1000;

interface Move {
  /** Relative path inside the output folder. */
  path: string;
  /** SHA-256 of the new file, to tell it from a file someone changed after a kill. */
  sha256: string;
}

interface Marker {
  tool: 'tsq';
  purpose: 'import staging';
  pid: number;
  host: string;
  started: string;
  /** Name of the output folder (its last segment). */
  out: string;
  phase: 'staging' | 'moving';
  moves?: Move[];
  newFolders?: string[];
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function writeMarker(staging: string, marker: Marker): void {
  const tmp = path.join(staging, `${MARKER}.${randomBytes(4).toString('hex')}`);
  createNew(tmp, JSON.stringify(marker));
  fs.renameSync(tmp, path.join(staging, MARKER));
}

function readMarker(staging: string, outName: string): Marker | undefined {
  const file = path.join(staging, MARKER);
  const st = lstatOrUndefined(file);
  if (!st?.isFile() || st.size > 16 * 1024 * 1024) return undefined;
  let m: Partial<Marker>;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Marker>;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- a marker that does not parse is not one tsq wrote: the staging folder is left alone
    return undefined;
  }
  const plainList = (list: unknown) =>
    list === undefined || (Array.isArray(list) && list.every((x) => typeof x === 'string' && !unplainPath(x)));
  if (
    m?.tool !== 'tsq' ||
    m.purpose !== 'import staging' ||
    m.out !== outName ||
    !Number.isInteger(m.pid) ||
    typeof m.host !== 'string' ||
    typeof m.started !== 'string'
  )
    return undefined;
  if (m.phase !== 'staging' && m.phase !== 'moving') return undefined;
  if (
    m.moves !== undefined &&
    !(
      Array.isArray(m.moves) &&
      m.moves.every(
        (x) => typeof x?.path === 'string' && !unplainPath(x.path) && /^[0-9a-f]{64}$/.test(String(x.sha256)),
      )
    )
  )
    return undefined;
  if (!plainList(m.newFolders)) return undefined;
  return m as Marker;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders where staging folders for `out` live: beside it, and inside it when it is a mount point. */
function stagingHomes(out: string): string[] {
  const homes = [path.dirname(out)];
  const st = lstatOrUndefined(out);
  if (st?.isDirectory()) homes.push(out);
  return homes;
}

/** A folder on the way into `out` that is a link or not a folder, if any (rel may be ''). */
function unsafeWay(out: string, rel: string): string | undefined {
  const segments = rel === '' ? [] : rel.split('/');
  let cur = out;
  for (const s of ['', ...segments]) {
    cur = s ? path.join(cur, s) : cur;
    const st = lstatOrUndefined(cur);
    if (!st) return undefined;
    if (!st.isDirectory()) return cur;
  }
  return undefined;
}

function fileHash(file: string): string | undefined {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- an unreadable file is not the one this run wrote, so the rollback leaves it alone
    return undefined;
  }
}

/**
 * Undoes a move phase that did not finish: every new file that reached the output folder and is
 * still as written goes, every file it replaced comes back, folders it created go when empty.
 * Returns the paths it could not settle (changed since), whose backups stay in the staging folder.
 */
function rollBack(staging: string, out: string, moves: readonly Move[], newFolders: readonly string[]): string[] {
  const unsettled: string[] = [];
  for (let i = moves.length - 1; i >= 0; i--) {
    const { path: rel, sha256: written } = moves[i];
    const target = path.join(out, rel);
    const staged = lstatOrUndefined(path.join(staging, 'new', rel));
    const backup = path.join(staging, 'old', String(i));
    const hasBackup = !!lstatOrUndefined(backup)?.isFile();
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    if (unsafeWay(out, parent)) {
      if (hasBackup) unsettled.push(rel);
      continue;
    }
    const now = lstatOrUndefined(target);
    try {
      if (!staged && now?.isFile() && fileHash(target) === written) {
        if (hasBackup) fs.renameSync(backup, target);
        else fs.unlinkSync(target);
      } else if (hasBackup && !now) {
        fs.renameSync(backup, target);
      } else if (hasBackup) {
        unsettled.push(rel);
      }
    } catch {
      if (hasBackup) unsettled.push(rel);
    }
  }
  for (const rel of [...newFolders].reverse()) {
    try {
      if (!unsafeWay(out, rel)) fs.rmdirSync(path.join(out, rel));
    } catch {
      /* not empty (someone put files there) or already gone */
    }
  }
  return unsettled;
}

/**
 * Cleans up after imports into `out` that were killed: staging folders that are ours (the name and
 * the marker say so) and stale (their process is gone) are rolled back and removed. Returns one
 * note per folder handled, for the user.
 */
export function cleanStaleStaging(out: string): string[] {
  const abs = path.resolve(out);
  const name = path.basename(abs);
  const notes: string[] = [];
  for (const home of stagingHomes(abs)) {
    let entries: string[];
    try {
      entries = fs.readdirSync(home);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const current = entry.startsWith(`.${name}${STAGING}`);
      const legacy = entry.startsWith(`.${name}${LEGACY_STAGING}`);
      if (!current && !legacy) continue;
      const staging = path.join(home, entry);
      const st = lstatOrUndefined(staging);
      if (!st?.isDirectory()) continue;
      try {
        const note = settleStaging(staging, abs, name, st, legacy);
        if (note) notes.push(note);
      } catch (e) {
        notes.push(`could not clean up ${entry}, a staging folder left by an interrupted import: ${errnoWords(e)}.`);
      }
    }
  }
  return notes;
}

function settleStaging(staging: string, out: string, name: string, st: fs.Stats, legacy: boolean): string | undefined {
  const shown = path.basename(staging);
  const marker = legacy ? undefined : readMarker(staging, name);
  const age = Date.now() - st.mtimeMs;
  if (!marker) {
    // Unmarked: created by a tsq killed before it wrote the marker, or by an older tsq. Only a
    // folder that never got to replacing files holds nothing of the user's.
    const pid = Number(/tsq-staging-(\d+)-/.exec(shown)?.[1]);
    if (age < UNMARKED_STALE_MS || (Number.isInteger(pid) && processAlive(pid))) return undefined;
    if (lstatOrUndefined(path.join(staging, 'old')))
      return `left ${shown} beside ${name}: an interrupted import of an older tsq left files it had replaced there; look inside before deleting it.`;
    fs.rmSync(staging, { recursive: true, force: true });
    return `removed ${shown}, a staging folder left by an interrupted import.`;
  }
  const stale =
    marker.host === os.hostname()
      ? !processAlive(marker.pid)
      : Date.now() - Date.parse(marker.started) > FOREIGN_STALE_MS;
  if (!stale) return undefined;
  if (marker.phase === 'moving') {
    const unsettled = rollBack(staging, out, marker.moves ?? [], marker.newFolders ?? []);
    if (unsettled.length)
      return `left ${shown} beside ${name}: the import interrupted there (process ${marker.pid}) had replaced ${unsettled.map(printable).join(', ')}, which changed since; the old versions are in ${shown}/old.`;
    fs.rmSync(staging, { recursive: true, force: true });
    return `rolled back an import into ${name} that was interrupted (process ${marker.pid}) while moving files in, and removed its staging folder ${shown}.`;
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return `removed ${shown}, a staging folder left by an import into ${name} that was interrupted (process ${marker.pid}); nothing in ${name} had been touched.`;
}

export interface WriteFolderOptions extends FolderOptions {
  /** Replace files that already exist in the folder (otherwise refuse before writing anything). */
  overwrite?: boolean;
  /** Called after each file staged and each file moved in, for progress. */
  progress?(step: { phase: 'staging' | 'moving'; done: number; total: number }): void;
}

export interface FolderWritten {
  /** Absolute paths written. */
  written: string[];
  /** What was done about staging folders of interrupted imports (see cleanStaleStaging). */
  cleaned: string[];
}

/** A staging folder beside `out` (or inside it, when beside is another file system or not writable). */
function makeStaging(out: string, exists: boolean): string {
  const prefix = `.${path.basename(out)}${STAGING}${process.pid}-`;
  const parent = path.dirname(out);
  fs.mkdirSync(parent, { recursive: true });
  const sameDevice = !exists || fs.statSync(parent).dev === fs.statSync(out).dev;
  if (sameDevice) {
    try {
      return fs.mkdtempSync(path.join(parent, prefix));
    } catch (e) {
      if (!exists || !['EACCES', 'EPERM', 'EROFS'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  }
  return fs.mkdtempSync(path.join(out, prefix));
}

/** Makes the folders on the way to `rel` inside `out`, refusing any that became a link. */
function makeWay(out: string, rel: string, shown: string, label: string): void {
  const segments = rel.split('/').slice(0, -1);
  let cur = out;
  for (const [i, s] of segments.entries()) {
    cur = path.join(cur, s);
    const where = `${shown}/${segments.slice(0, i + 1).join('/')} (inside ${label})`;
    let st = lstatOrUndefined(cur);
    if (!st) {
      try {
        fs.mkdirSync(cur);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      st = fs.lstatSync(cur);
    }
    if (st.isSymbolicLink())
      throw new WriteRefused(
        `${where} became a symbolic link${linkTarget(cur)} while importing; tsq never writes through links.`,
        LINK_HINT,
      );
    if (!st.isDirectory()) throw new WriteRefused(`${where} is ${kindOf(st)} where the import needs a folder.`);
  }
}

/**
 * Writes `files` into `folder` all or nothing (see the header). Files that exist are replaced
 * only with `overwrite`. Before anything, imports into the same folder that were killed are
 * rolled back and their staging folders removed (`cleaned` says so).
 */
export function writeFolderSafely(
  folder: string,
  files: readonly OutputFile[],
  options: WriteFolderOptions = {},
): FolderWritten {
  const label = options.label ?? folder;
  const shown = options.shown ?? folder;
  const out = path.resolve(folder);
  const cleaned = cleanStaleStaging(out);
  const plan = planFolderWrite(
    folder,
    files.map((f) => f.path),
    options,
  );
  if (plan.replace.length && !options.overwrite) {
    throw new WriteRefused(
      `${plan.replace.length} file(s) already exist in ${label} (first: ${printable(plan.replace[0])}); nothing was written.`,
      'Write into an empty folder, or pass --force to replace them.',
    );
  }
  let staging: string;
  try {
    staging = makeStaging(out, plan.exists);
  } catch (e) {
    throw failed(label, e);
  }
  const marker: Marker = {
    tool: 'tsq',
    purpose: 'import staging',
    pid: process.pid,
    host: os.hostname(),
    started: new Date().toISOString(),
    out: path.basename(out),
    phase: 'staging',
  };
  const written = files.map((f) => path.join(out, f.path));
  let keepStaging = false;
  try {
    writeMarker(staging, marker);
    const made = new Set<string>();
    files.forEach((f, i) => {
      const file = path.join(staging, 'new', f.path);
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      createNew(file, f.data);
      options.progress?.({ phase: 'staging', done: i + 1, total: files.length });
    });
    if (!plan.exists) {
      if (lstatOrUndefined(out))
        throw new WriteRefused(`${label} appeared while importing; nothing was written.`, 'Run the import again.');
      fs.renameSync(path.join(staging, 'new'), out);
      return { written, cleaned };
    }
    const moves: Move[] = files.map((f) => ({ path: f.path, sha256: sha256(f.data) }));
    writeMarker(staging, { ...marker, phase: 'moving', moves, newFolders: plan.newFolders });
    fs.mkdirSync(path.join(staging, 'old'));
    try {
      files.forEach((f, i) => {
        makeWay(out, f.path, shown, label);
        const target = path.join(out, f.path);
        const now = lstatOrUndefined(target);
        checkReplaceable(target, now, `${shown}/${f.path} (inside ${label})`, options.inputs ?? []);
        if (now && !options.overwrite)
          throw new WriteRefused(
            `${printable(f.path)} appeared in ${label} while importing; nothing was written.`,
            'Run the import again.',
          );
        if (now) fs.renameSync(target, path.join(staging, 'old', String(i)));
        fs.renameSync(path.join(staging, 'new', f.path), target);
        options.progress?.({ phase: 'moving', done: i + 1, total: files.length });
      });
    } catch (e) {
      keepStaging = rollBack(staging, out, moves, plan.newFolders).length > 0;
      throw e;
    }
    return { written, cleaned };
  } catch (e) {
    throw failed(label, e);
  } finally {
    if (!keepStaging) fs.rmSync(staging, { recursive: true, force: true });
  }
}
