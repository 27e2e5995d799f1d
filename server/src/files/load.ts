// Reading tsq files from disk for the front ends (the CLI, the language server, the debugger):
// folder scans for *.tsq.yaml / *.tsq.yml that honour `.tsqignore`, one file into a document, and
// the child sequence files that sequences in a workspace run. The engine itself reads no files.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { documentFromBytes, type TsqDocument } from '../model/document';
import { isTsqFileName } from '../model/kinds';
import type { Workspace } from '../analysis/workspace';
import { childCalls } from '../analysis/children';
import type { SequenceModel } from '../model/sequence';
import { normalisePath } from '../util/paths';
import { IgnoreRules } from '../util/ignore';
import { walkFiles } from '../util/walk';
import { loadFileOnce } from './identity';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);

export function readDocument(file: string): TsqDocument {
  const id = normalisePath(file);
  return documentFromBytes(id, fs.readFileSync(file));
}

/**
 * Every *.tsq.yaml / *.tsq.yml below `dir` (sorted), skipping build and VCS folders and what
 * `.tsqignore` files in the searched folders exclude.
 */
export function findTsqFiles(dir: string): string[] {
  const ignore = new IgnoreRules();
  return walkFiles(dir, {
    onFolder: (d) => ignore.load(d),
    enter: (p, name) => !SKIP_DIRS.has(name) && !name.startsWith('.') && !ignore.ignores(p, true),
    keep: (p, name) => isTsqFileName(name) && !ignore.ignores(p, false),
  });
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
  for (const _ of loadingChildren(ws)) { /* all at once */ }
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
      const { loaded } = loadFileOnce(ws, real, readDocument);
      if (loaded) queue.push(loaded);
      yield;
    }
  }
}

/** The file at `p`, matching the last path segment case-insensitively if needed. */
export function findOnDisk(p: string): string | undefined {
  try {
    if (fs.statSync(p).isFile()) return p;
  } catch {
    /* try a case-insensitive match below */
  }
  const dir = path.dirname(p);
  const base = path.basename(p).toLowerCase();
  const hit = safeReaddir(dir).find((e) => e.toLowerCase() === base);
  return hit ? path.join(dir, hit) : undefined;
}

export function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}
