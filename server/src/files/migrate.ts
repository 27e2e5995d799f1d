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
import { KEPT_FOLDER, sameNameKey, type OutputFile } from '../interop/files';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);

export interface MigrationInput {
  /** The file as found (the path given, or inside a folder given). */
  file: string;
  /** `kept`: a ConfigMgr part an import keeps under configmgr/ for a lossless export, copied as it is. */
  kind: 'tsq' | 'xml' | 'kept';
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
  /** Which of `inputs` are files named on the command line (written under their own name). */
  const named: number[] = [];
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
      named.push(inputs.length);
      inputs.push(inputFor(p, path.basename(p)) ?? { file: p, kind: 'tsq', target: path.basename(p) });
      continue;
    }
    const ignore = new IgnoreRules();
    // The ConfigMgr parts an import kept (export reads them beside the sequence) go with the
    // copies as they are; their XML is no task sequence to migrate.
    const kept = (f: string) => path.relative(p, f).split(path.sep).slice(0, -1).includes(KEPT_FOLDER);
    const found = walkFiles(p, {
      onFolder: (d) => ignore.load(d),
      enter: (d, name) =>
        !SKIP_DIRS.has(name) && !name.startsWith('.') && path.resolve(d) !== outAbs && !ignore.ignores(d, true),
      keep: (f, name, entry) =>
        entry.isFile() && (isTsqFileName(name) || isXmlName(name) || kept(f)) && !ignore.ignores(f, false),
    });
    for (const f of found) {
      const rel = path.relative(p, f);
      const input = kept(f)
        ? { file: f, kind: 'kept' as const, target: rel.split(path.sep).join('/') }
        : inputFor(f, rel);
      if (input) inputs.push(input);
    }
  }
  separateSameNames(named.map((i) => inputs[i]));
  return { inputs, missing };
}

/**
 * Files named on the command line go to the output folder under their own name; MDT names every
 * task sequence's file ts.xml, in a folder of Control named after its ID
 * (https://learn.microsoft.com/mem/configmgr/mdt/support-files#tsxml), so files
 * of the same name go under as many of their parent folders' names as it takes to tell them
 * apart (WIN11/ts/, SRV/ts/), as a search of the folder above them would place them.
 */
function separateSameNames(named: MigrationInput[]): void {
  const segments = named.map((i) => path.resolve(i.file).split(path.sep).filter(Boolean));
  const depth = named.map(() => 1);
  for (;;) {
    const byTarget = new Map<string, number[]>();
    named.forEach((input, i) => {
      const key = sameNameKey(input.target);
      byTarget.set(key, [...(byTarget.get(key) ?? []), i]);
    });
    let deepened = false;
    for (const clashing of byTarget.values()) {
      if (clashing.length < 2) continue;
      for (const i of clashing) {
        if (depth[i] >= segments[i].length) continue;
        depth[i]++;
        const rel = segments[i].slice(-depth[i]).join(path.sep);
        named[i].target = inputFor(named[i].file, rel)?.target ?? rel.split(path.sep).join('/');
        deepened = true;
      }
    }
    if (!deepened) return;
  }
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
