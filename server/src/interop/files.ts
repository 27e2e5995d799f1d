// Writing outputs whole or not at all. A file goes to a temporary name in the same folder and is
// renamed over the target only once complete, so a failed export never leaves a half-written file
// or destroys the previous good one. A set of files (an import) is staged in a temporary folder
// beside the output; only when every file is written are they moved into place, and if a move
// fails the ones already moved are put back.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { InteropError } from './errors';
import { unsafeEntryName } from './opc/zip';

export interface OutputFile {
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  data: Buffer | string;
}

function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tsq-${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes `data` to `target` atomically (temporary file in the same folder, then rename). */
export function writeFileAtomic(target: string, data: Buffer | string): void {
  const tmp = tempName(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* already failing */ }
    try { fs.rmSync(tmp, { force: true }); } catch { /* best effort */ }
    throw e;
  }
}

export interface WriteFolderOptions {
  /** Replace files that already exist in the folder (otherwise refuse before writing anything). */
  overwrite?: boolean;
  /** Called after each staged file, for progress. */
  progress?: (done: number, total: number) => void;
}

/** Writes `files` into `folder` all-or-nothing. Returns the absolute paths written. */
export function writeFolderAtomic(folder: string, files: OutputFile[], options: WriteFolderOptions = {}): string[] {
  const out = path.resolve(folder);
  const seen = new Set<string>();
  for (const f of files) {
    const unsafe = unsafeEntryName(f.path);
    if (unsafe || f.path === '' || path.isAbsolute(f.path)) throw new InteropError(`tsq will not write "${f.path}": it ${unsafe ?? 'is not a relative path'}.`);
    const key = f.path.toLowerCase();
    if (seen.has(key)) throw new InteropError(`tsq would write "${f.path}" twice; nothing was written.`);
    seen.add(key);
  }
  const exists = fs.existsSync(out);
  if (exists && !fs.statSync(out).isDirectory()) throw new InteropError(`${out} exists and is not a folder.`, 'Give --out a folder path.');
  if (exists && !options.overwrite) {
    const clash = files.filter((f) => fs.existsSync(path.join(out, f.path)));
    if (clash.length) {
      throw new InteropError(`${clash.length} file(s) already exist in ${out} (first: ${clash[0].path}); nothing was written.`, 'Import into an empty folder, or pass --force to replace them.');
    }
  }
  const parent = path.dirname(out);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(out)}.tsq-import-`));
  try {
    files.forEach((f, i) => {
      const p = path.join(staging, 'new', f.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.data);
      options.progress?.(i + 1, files.length);
    });
    if (!exists) {
      fs.renameSync(path.join(staging, 'new'), out);
      return files.map((f) => path.join(out, f.path));
    }
    const moved: { target: string; backup?: string; source: string }[] = [];
    try {
      files.forEach((f, i) => {
        const target = path.join(out, f.path);
        const source = path.join(staging, 'new', f.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        let backup: string | undefined;
        if (fs.existsSync(target)) {
          backup = path.join(staging, 'old', String(i));
          fs.mkdirSync(path.dirname(backup), { recursive: true });
          fs.renameSync(target, backup);
        }
        const record: { target: string; backup?: string; source: string } = { target, backup, source };
        moved.push(record);
        fs.renameSync(source, target);
      });
    } catch (e) {
      for (const m of moved.reverse()) {
        try {
          if (fs.existsSync(m.target) && !fs.existsSync(m.source)) fs.renameSync(m.target, m.source);
          if (m.backup && fs.existsSync(m.backup)) fs.renameSync(m.backup, m.target);
        } catch { /* keep restoring the others */ }
      }
      throw e;
    }
    return files.map((f) => path.join(out, f.path));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
