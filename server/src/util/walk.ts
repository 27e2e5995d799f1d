// Lists the files below a folder in a stable order (entries sorted by name, depth first), for
// the folder scans of the front ends and for files kept beside an import. Unreadable folders are
// passed over: a scan reports what it can read.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WalkOptions {
  /** Called for each folder before its entries are looked at (to read an ignore file there). */
  onFolder?(dir: string): void;
  /** Whether to go into a folder; every folder by default. */
  enter?(dir: string, name: string): boolean;
  /** Whether to list a file; every file by default. */
  keep?(file: string, name: string): boolean;
}

export function walkFiles(root: string, options: WalkOptions = {}): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    options.onFolder?.(d);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!options.enter || options.enter(p, e.name)) walk(p);
      } else if (e.isFile() && (!options.keep || options.keep(p, e.name))) out.push(p);
    }
  };
  walk(root);
  return out;
}
