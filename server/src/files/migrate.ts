// `tsq migrate` on disk: which files the paths on the command line name (tsq files, and task
// sequence XML such as MDT's ts.xml, found in folders too), their contents, and where each
// migrated copy goes inside the output folder. Writing goes through the safe writer
// (./write.ts): all or nothing, never through a link, never over a file the run read.

import * as path from 'node:path';
import * as fs from 'node:fs';
import { isTsqFileName } from '../model/kinds';
import { walkFiles } from './walk';
import { IMPORT_INPUT_LIMIT } from '../interop/import';
import { readFileBounded } from './read';
import { IgnoreRules } from './ignore';
import { writeFolderSafely, type FolderWritten } from './write';
import type { OutputFile } from '../interop/files';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);

export interface MigrationInput {
  /** The file as found (the path given, or inside a folder given). */
  file: string;
  kind: 'tsq' | 'xml';
  /**
   * Where its output goes, relative to the output folder with forward slashes: the same path for
   * a tsq file; a folder named after an XML file (its import may give several files).
   */
  target: string;
}

export interface MigrationInputs {
  inputs: MigrationInput[];
  /** Paths that do not exist. */
  missing: string[];
}

const isXmlName = (name: string) => /\.xml$/i.test(name) && !name.startsWith('.');

function inputFor(file: string, rel: string): MigrationInput | undefined {
  const name = path.basename(file);
  const slashed = rel.split(path.sep).join('/');
  if (isTsqFileName(name)) return { file, kind: 'tsq', target: slashed };
  if (isXmlName(name)) return { file, kind: 'xml', target: slashed.replace(/\.xml$/i, '') };
  return undefined;
}

/**
 * The files `paths` name: a file as it is (a tsq file or an XML file), a folder searched for both
 * (hidden, build and VCS folders, what `.tsqignore` files exclude, and the output folder `out`,
 * passed over).
 */
export function findMigrationInputs(paths: readonly string[], out: string): MigrationInputs {
  const inputs: MigrationInput[] = [];
  const missing: string[] = [];
  const outAbs = path.resolve(out);
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      missing.push(p);
      continue;
    }
    if (!st.isDirectory()) {
      inputs.push(inputFor(p, path.basename(p)) ?? { file: p, kind: 'tsq', target: path.basename(p) });
      continue;
    }
    const ignore = new IgnoreRules();
    const found = walkFiles(p, {
      onFolder: (d) => ignore.load(d),
      enter: (d, name) =>
        !SKIP_DIRS.has(name) && !name.startsWith('.') && path.resolve(d) !== outAbs && !ignore.ignores(d, true),
      keep: (f, name, entry) => entry.isFile() && (isTsqFileName(name) || isXmlName(name)) && !ignore.ignores(f, false),
    });
    for (const f of found) {
      const input = inputFor(f, path.relative(p, f));
      if (input) inputs.push(input);
    }
  }
  return { inputs, missing };
}

/** The bytes of an XML input (bounded as an import's input is). */
export function readXmlInput(file: string): Buffer {
  return readFileBounded(file, IMPORT_INPUT_LIMIT);
}

/** Writes the migrated copies into `out`, all or nothing, never over one of `inputs`. */
export function writeMigration(
  out: string,
  files: readonly OutputFile[],
  inputs: readonly string[],
  overwrite: boolean,
): FolderWritten {
  return writeFolderSafely(out, files, { label: `--out ${out}`, shown: out, inputs, overwrite });
}
