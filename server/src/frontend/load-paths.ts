// Loads the files a command (or the VS Code client's import and export) names into a workspace: files as given, folders searched for
// *.tsq.yaml / *.tsq.yml, plus context the checks need but the user did not name — the tsq
// files beside a named file (catalogs, machines) and the child sequences named files run.
// Anything that cannot be read (a folder or device with a tsq file's name, a file over the size
// cap) becomes one finding on that path; the other files are read and checked as usual.

import * as path from 'node:path';
import { isTsqFileName } from '../model/kinds';
import { Workspace } from '../semantics/workspace';
import { findTsqFiles, kindAt, loadChildren, readDocumentIfThere, safeReaddir } from '../files/load';
import { loadFileOnce } from '../files/identity';
import { formatIgnoreProblem } from '../files/ignore';
import { FileRefusal, requireRegularFile } from '../files/read';
import { displayPath } from './diagnostic-report';
import { UsageError } from './usage-error';

export interface LoadedFiles {
  ws: Workspace;
  /** Files the user asked about (directly or through a folder), in a stable order. */
  targets: string[];
  /** What the folder searches could not use (`.tsqignore` problems), one line each. */
  notes: string[];
}

export function loadPaths(paths: string[]): LoadedFiles {
  if (paths.length === 0) throw new UsageError('Give at least one file or folder.');
  const ws = new Workspace();
  const targets: string[] = [];
  const notes: string[] = [];
  const contextDirs = new Set<string>();
  const isTarget = new Set<string>();
  const add = (file: string, asTarget: boolean) => {
    // A link to a file named already is that file: checked once, under the first name.
    const found = loadFileOnce(ws, file, readDocumentIfThere);
    if (!found) return;
    if (asTarget && !isTarget.has(found.id)) {
      isTarget.add(found.id);
      targets.push(found.id);
    }
  };
  for (const p of paths) {
    const kind = kindAt(p);
    if (!kind) throw new UsageError(`No such file or folder: ${p}`);
    if (kind === 'folder') {
      for (const f of findTsqFiles(p, (problem) => notes.push(formatIgnoreProblem(problem, (f) => displayPath(f)))))
        add(f, true);
    } else {
      add(p, true);
      contextDirs.add(path.dirname(path.resolve(p)));
    }
  }
  for (const dir of contextDirs) {
    for (const e of safeReaddir(dir)) if (isTsqFileName(e)) add(path.join(dir, e), false);
  }
  loadChildren(ws);
  return { ws, targets, notes };
}

/**
 * Checks that `file`, named on the command line, is a file tsq can read; a usage error that says
 * what it is otherwise (`/dev/zero is a character device, not a file.`).
 */
export function requireFile(file: string): void {
  try {
    requireRegularFile(file);
  } catch (e) {
    if (e instanceof FileRefusal)
      throw new UsageError(
        e.kind === 'missing' ? `No such file: ${file}` : `${e.message}${e.hint ? `\n  ${e.hint}` : ''}`,
      );
    throw e;
  }
}
