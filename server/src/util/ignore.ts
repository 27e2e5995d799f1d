// `.tsqignore` files: folders and files that folder searches skip (like .gitignore, simplified).
// One pattern per line, `#` starts a comment; `*` and `?` are wildcards; a trailing `/` matches
// folders only; a pattern with a `/` inside is relative to the .tsqignore's folder, one without
// matches that name at any depth below it. Paths a user names explicitly are never ignored.

import * as fs from 'node:fs';
import * as path from 'node:path';

interface Pattern {
  base: string;
  regex: RegExp;
  dirOnly: boolean;
  anchored: boolean;
}

function globToRegex(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export class IgnoreRules {
  private readonly patterns: Pattern[] = [];

  /** Reads `dir/.tsqignore`, if there is one, adding its patterns. */
  load(dir: string): void {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, '.tsqignore'), 'utf8');
    } catch {
      return;
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (!line) continue;
      const dirOnly = line.endsWith('/');
      const body = line.replace(/^\/+/, '').replace(/\/+$/, '');
      if (!body) continue;
      this.patterns.push({ base: dir, regex: globToRegex(body), dirOnly, anchored: body.includes('/') || line.startsWith('/') });
    }
  }

  ignores(p: string, isDir: boolean): boolean {
    for (const pat of this.patterns) {
      if (pat.dirOnly && !isDir) continue;
      const rel = path.relative(pat.base, p).split(path.sep).join('/');
      if (!rel || rel.startsWith('..')) continue;
      if (pat.anchored ? pat.regex.test(rel) : pat.regex.test(path.basename(p))) return true;
    }
    return false;
  }
}
