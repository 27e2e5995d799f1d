// Loads the files a command names into a workspace: files as given, folders searched for
// *.tsq.yaml / *.tsq.yml, plus context the checks need but the user did not name — the tsq
// files beside a named file (catalogs, machines) and the child sequences named files run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isTsqFileName } from '../model/kinds';
import { Workspace } from '../analysis/workspace';
import { findTsqFiles, loadChildren, readDocument, safeReaddir } from '../files/load';
import { loadFileOnce } from '../files/identity';

export { findTsqFiles, loadChildren, readDocument } from '../files/load';

export class UsageError extends Error {}

export interface LoadedFiles {
  ws: Workspace;
  /** Files the user asked about (directly or through a folder), in a stable order. */
  targets: string[];
}

export function loadPaths(paths: string[]): LoadedFiles {
  if (paths.length === 0) throw new UsageError('Give at least one file or folder.');
  const ws = new Workspace();
  const targets: string[] = [];
  const isTarget = new Set<string>();
  const contextDirs = new Set<string>();
  const add = (file: string, asTarget: boolean) => {
    // A link to a file named already is that file: checked once, under the first name.
    const { id } = loadFileOnce(ws, file, readDocument);
    if (asTarget && !isTarget.has(id)) {
      isTarget.add(id);
      targets.push(id);
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UsageError(`No such file or folder: ${p}`);
    }
    if (st.isDirectory()) {
      for (const f of findTsqFiles(p)) add(f, true);
    } else {
      add(p, true);
      contextDirs.add(path.dirname(path.resolve(p)));
    }
  }
  for (const dir of contextDirs) {
    for (const e of safeReaddir(dir)) if (isTsqFileName(e)) add(path.join(dir, e), false);
  }
  loadChildren(ws);
  return { ws, targets };
}
