// Reading tsq files from disk for the front ends (the CLI, the language server, the debugger):
// folder scans for *.tsq.yaml / *.tsq.yml that honour `.tsqignore`, one file into a document, and
// the child sequence files that sequences in a workspace run. The engine itself reads no files.
//
// Every file goes through the bounded reader (./read.ts). Whatever has a tsq file's name but is no
// file tsq can read — a folder, a device, a named pipe, a file over the size cap or without read
// permission — becomes a document with one finding that says so, and the rest is read as usual.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { documentFromBytes, refusedDocument, type TsqDocument } from '../model/document';
import { isTsqFileName } from '../model/kinds';
import type { Workspace } from '../semantics/workspace';
import { childCalls } from '../semantics/children';
import type { SequenceModel } from '../model/sequence';
import { normalisePath } from '../util/paths';
import { IgnoreRules, type IgnoreProblem } from './ignore';
import { walkFiles } from './walk';
import { FileRefusal, readFileBounded, refusalOf, tsqFileLimit } from './read';
import { loadFileOnce } from './identity';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);

/**
 * The document of the tsq file `file`. A file tsq cannot read gives a document with one finding
 * saying why; only a file that is not there at all throws (a FileRefusal of kind `missing`).
 */
export function readDocument(file: string): TsqDocument {
  const id = normalisePath(file);
  const limit = tsqFileLimit();
  let bytes: Buffer;
  try {
    bytes = readFileBounded(file, limit);
  } catch (e) {
    const refusal = refusalOf(file, e);
    if (refusal.kind === 'missing') throw refusal;
    return refusedDocument(id, '', 0, {
      message: refusal.sentence(refusal.kind === 'not-a-file' ? 'This' : 'This file'),
      hint: refusal.hint ?? 'Leave it out of the folder, or make it a readable text file.',
      offset: 0,
    });
  }
  return documentFromBytes(id, bytes, 0, limit.maxBytes);
}

/** `readDocument`, or undefined when the file is gone (removed since it was listed). */
export function readDocumentIfThere(file: string): TsqDocument | undefined {
  try {
    return readDocument(file);
  } catch (e) {
    if (e instanceof FileRefusal && e.kind === 'missing') return undefined;
    throw e;
  }
}

/**
 * Every *.tsq.yaml / *.tsq.yml below `dir` (sorted), skipping build and VCS folders and what
 * `.tsqignore` files in the searched folders exclude. Anything with such a name is listed, also
 * when it is not a regular file (a link, a named pipe, a device, even a folder), so that reading
 * it reports what it is. `report` hears what in a .tsqignore was not used.
 */
export function findTsqFiles(dir: string, report?: (problem: IgnoreProblem) => void): string[] {
  return searchWith(new IgnoreRules(), dir, report);
}

/**
 * The files a folder search of `folder` finds below `dir`, a folder inside it (one that appeared
 * while an editor had the folder open): the same files `findTsqFiles(folder)` lists there, with
 * the `.tsqignore` files of the folders on the way applied. Nothing when the way passes over `dir`.
 */
export function findTsqFilesBelow(folder: string, dir: string, report?: (problem: IgnoreProblem) => void): string[] {
  const rel = path.relative(folder, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return [];
  const ignore = new IgnoreRules();
  let cur = folder;
  for (const part of rel ? rel.split(/[\\/]/) : []) {
    ignore.load(cur);
    cur = path.join(cur, part);
    if (SKIP_DIRS.has(part) || part.startsWith('.') || ignore.ignores(cur, true)) return [];
  }
  return searchWith(ignore, dir, report);
}

function searchWith(
  ignore: IgnoreRules,
  dir: string,
  report?: (problem: IgnoreProblem) => void,
  entered?: () => void,
): string[] {
  const found = walkFiles(dir, {
    onFolder: (d) => {
      entered?.();
      ignore.load(d);
    },
    enter: (p, name) => !SKIP_DIRS.has(name) && !name.startsWith('.') && !ignore.ignores(p, true),
    keep: (p, name) => isTsqFileName(name) && !ignore.ignores(p, false),
    listFolder: (p, name) => isTsqFileName(name) && !name.startsWith('.') && !ignore.ignores(p, true),
  });
  if (report) for (const problem of ignore.problems) report(problem);
  return found;
}

/**
 * What the tsq files at `paths` (files, and folders searched as `findTsqFiles` does) weigh in
 * bytes, links followed; what cannot be looked at counts nothing. Cheap next to reading them: a
 * front end asks it to decide whether checking them is worth more than one thread.
 */
export function tsqFileBytes(paths: readonly string[]): number {
  return tsqFileBytesWithin(paths, Infinity) ?? 0;
}

/** Thrown to stop a search that has entered more folders than it may. */
class SearchTooLong extends Error {}

/**
 * `tsqFileBytes(paths)`, or undefined once the search has entered `mostFolders` folders: for an
 * estimate that must stay cheap where a folder holds a large tree of other files.
 */
export function tsqFileBytesWithin(paths: readonly string[], mostFolders: number): number | undefined {
  let folders = 0;
  const entered = () => {
    if (++folders > mostFolders) throw new SearchTooLong();
  };
  let bytes = 0;
  const add = (file: string) => {
    try {
      bytes += fs.statSync(file).size;
    } catch {
      // eslint-disable-next-line no-restricted-syntax -- an estimate: the reading that follows reports what is wrong with the file
      return;
    }
  };
  try {
    for (const p of paths) {
      if (kindAt(p) === 'folder') for (const f of searchWith(new IgnoreRules(), p, undefined, entered)) add(f);
      else add(p);
    }
  } catch (e) {
    if (e instanceof SearchTooLong) return undefined;
    throw e;
  }
  return bytes;
}

/**
 * Whether a folder search of `folder` passes over `file` (a build or VCS folder, a hidden folder,
 * or a `.tsqignore` on the way says so). `file` must be inside `folder`.
 */
export function excludedFromSearch(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const parts = rel.split(/[\\/]/);
  const ignore = new IgnoreRules();
  let dir = folder;
  for (let i = 0; i < parts.length - 1; i++) {
    ignore.load(dir);
    const next = path.join(dir, parts[i]);
    if (SKIP_DIRS.has(parts[i]) || parts[i].startsWith('.') || ignore.ignores(next, true)) return true;
    dir = next;
  }
  ignore.load(dir);
  return ignore.ignores(path.join(dir, parts[parts.length - 1]), false);
}

/**
 * Loads, transitively, child sequence files that sequences in the workspace name by path. A path
 * that leads to a file the workspace holds already (through a link, say) becomes another name of
 * that document rather than a second copy, so a loop through a link is still a loop.
 */
export function loadChildren(ws: Workspace): void {
  for (const _ of loadingChildren(ws)) {
    /* all at once */
  }
}

/** `loadChildren` as a job that yields after each file it reads (for a server that must keep answering). */
export function* loadingChildren(ws: Workspace): Generator<void, void, void> {
  const queue = [...ws.all()];
  const seen = new Set(queue.map((d) => d.id));
  while (queue.length) {
    const d = queue.pop()!;
    if (d.kind !== 'sequence' || !d.model) continue;
    for (const c of childCalls(ws, d.id, d.model as SequenceModel)) {
      if (c.target.doc || c.target.byPackageId || seen.has(c.target.path)) continue;
      seen.add(c.target.path);
      const real = findOnDisk(c.target.path);
      if (!real) continue;
      const loaded = loadFileOnce(ws, real, readDocumentIfThere)?.loaded;
      if (loaded) queue.push(loaded);
      yield;
    }
  }
}

/** What is at `p`, following links: a regular file, a folder, something else (a device, a pipe), or nothing. */
export function kindAt(p: string): 'file' | 'folder' | 'other' | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- nothing readable at the path: the caller says the path does not exist
    return undefined;
  }
  return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other';
}

/**
 * What is at `p` (a file, or anything else, which reading then reports), matching the last path
 * segment case-insensitively if nothing is there.
 */
export function findOnDisk(p: string): string | undefined {
  if (existsOnDisk(p)) return p;
  const dir = path.dirname(p);
  const base = path.basename(p).toLowerCase();
  const hit = safeReaddir(dir).find((e) => e.toLowerCase() === base);
  return hit ? path.join(dir, hit) : undefined;
}

/** Whether `p` is a folder (not a link to one). */
export function isFolder(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- nothing at the path is no folder; the caller reads what is there and reports it
    return false;
  }
}

/**
 * How the file at `p` stands on disk (size, inode, times of the last write and change), links
 * followed; undefined when nothing readable is there. Two stamps that differ mean the file was
 * written in between, so a text read earlier can be told out of date with one stat instead of a
 * read. Take it before reading: a write between the stamp and the read then makes the stamp older
 * than the text, which costs one needless read later, never a stale text kept.
 */
export function diskStamp(p: string): string | undefined {
  try {
    const st = fs.statSync(p, { bigint: true });
    return `${st.size}:${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- nothing to stamp: reading the file then says it is gone
    return undefined;
  }
}

/** Whether anything is at `p` (a link counts, whatever it points at). */
export function existsOnDisk(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- what cannot be looked at is not there, as far as the caller can tell
    return false;
  }
}

export function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- a folder that cannot be listed has no neighbours to offer; the file named is still read, and its problems reported
    return [];
  }
}
