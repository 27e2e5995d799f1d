// `.tsqignore` files: folders and files that folder searches skip (like .gitignore, simplified).
// One pattern per line, `#` starts a comment; `*`, `**`, `?` and `[...]` are wildcards
// (util/glob.ts); a trailing `/` matches folders only; a pattern with a `/` inside is relative to
// the .tsqignore's folder, one without matches that name at any depth below it. Paths a user
// names explicitly are never ignored.
//
// A .tsqignore comes with the folder, so it is untrusted like every other file: it is read through
// the bounded reader (a link to /dev/zero is refused), matched in linear time, and its size, the
// length of a pattern and the number of patterns are capped. What is refused is reported with the
// file and line, and the folder is searched without it.

import * as path from 'node:path';
import { Glob } from '../util/glob';
import { readFileBounded, refusalOf } from './read';

export const IGNORE_FILE = '.tsqignore';
export const MAX_IGNORE_FILE_BYTES = 64 * 1024;
export const MAX_PATTERN_LENGTH = 256;
export const MAX_PATTERNS_PER_FILE = 500;
/** Patterns in force at once in one folder search (all .tsqignore files above a path, together). */
export const MAX_PATTERNS_IN_SEARCH = 1000;

/** Something in a .tsqignore that was not used, and why. */
export interface IgnoreProblem {
  file: string;
  /** 1-based line, when the problem is one line. */
  line?: number;
  message: string;
}

interface Pattern {
  glob: Glob;
  dirOnly: boolean;
  anchored: boolean;
}

export class IgnoreRules {
  /** Patterns by the folder whose .tsqignore holds them (only folders that have one). */
  private readonly byFolder = new Map<string, Pattern[]>();
  private readonly loaded = new Set<string>();
  private count = 0;
  readonly problems: IgnoreProblem[] = [];

  /** Reads `dir/.tsqignore`, if there is one, adding its patterns (once per folder). */
  load(dir: string): void {
    const key = path.resolve(dir);
    if (this.loaded.has(key)) return;
    this.loaded.add(key);
    const file = path.join(key, IGNORE_FILE);
    let text: string;
    try {
      text = readFileBounded(file, { maxBytes: MAX_IGNORE_FILE_BYTES, what: 'tsq reads .tsqignore files' }).toString(
        'utf8',
      );
    } catch (e) {
      const refusal = refusalOf(file, e);
      if (refusal.kind !== 'missing')
        this.problems.push({ file, message: `${refusal.sentence('This file')} Its patterns are not used.` });
      return;
    }
    const patterns: Pattern[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/(^|\s)#.*$/, '').trim();
      if (!line) continue;
      if (line.length > MAX_PATTERN_LENGTH) {
        this.problems.push({
          file,
          line: i + 1,
          message: `This pattern is ${line.length} characters long; a .tsqignore pattern may have up to ${MAX_PATTERN_LENGTH}. It is not used.`,
        });
        continue;
      }
      if (patterns.length >= MAX_PATTERNS_PER_FILE) {
        this.problems.push({
          file,
          line: i + 1,
          message: `More than ${MAX_PATTERNS_PER_FILE} patterns: this line and the ones after it are not used.`,
        });
        break;
      }
      if (this.count >= MAX_PATTERNS_IN_SEARCH) {
        this.problems.push({
          file,
          line: i + 1,
          message: `The .tsqignore files of this folder search already hold ${MAX_PATTERNS_IN_SEARCH} patterns: this line and the ones after it are not used.`,
        });
        break;
      }
      const body = line.replace(/^\/+/, '').replace(/\/+$/, '');
      if (!body) continue;
      patterns.push({
        glob: new Glob(body),
        dirOnly: line.endsWith('/'),
        anchored: body.includes('/') || line.startsWith('/'),
      });
      this.count++;
    }
    if (patterns.length) this.byFolder.set(key, patterns);
  }

  /** Whether a pattern of a .tsqignore in a folder above `p` (or beside it) excludes `p`. */
  ignores(p: string, isDir: boolean): boolean {
    const target = path.resolve(p);
    const name = path.basename(target);
    // Only the .tsqignore files of the folders that hold `p` apply: walk up from its folder.
    for (let dir = path.dirname(target); ;) {
      const patterns = this.byFolder.get(dir);
      if (patterns) {
        const rel = path.relative(dir, target).split(path.sep).join('/');
        for (const pat of patterns) {
          if (pat.dirOnly && !isDir) continue;
          if (pat.glob.matches(pat.anchored ? rel : name)) return true;
        }
      }
      const up = path.dirname(dir);
      if (up === dir) return false;
      dir = up;
    }
  }
}

/** One line per problem, `file:line: message`, for a log or a terminal. */
export function formatIgnoreProblem(p: IgnoreProblem, show: (file: string) => string = (f) => f): string {
  return `${show(p.file)}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}
