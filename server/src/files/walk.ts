// Lists the files below a folder in a stable order (entries sorted by name, depth first), for
// the folder scans of the front ends and for files kept beside an import. Unreadable folders are
// passed over: a scan reports what it can read. Links to folders are not followed (no loops).

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WalkOptions {
  /** Called for each folder before its entries are looked at (to read an ignore file there). */
  onFolder?(dir: string): void;
  /** Whether to go into a folder; every folder by default. */
  enter?(dir: string, name: string): boolean;
  /**
   * Whether to list an entry that is not a folder (a file, a link, a named pipe, a device); by
   * default every regular file and nothing else.
   */
  keep?(file: string, name: string, entry: fs.Dirent): boolean;
  /** Whether to list a folder as well (a folder named like a file the caller wants); none by default. */
  listFolder?(dir: string, name: string): boolean;
}

export function walkFiles(root: string, options: WalkOptions = {}): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      // eslint-disable-next-line no-restricted-syntax -- an unreadable folder is passed over, as the header says: a scan reports what it can read
      return;
    }
    options.onFolder?.(d);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (options.listFolder?.(p, e.name)) out.push(p);
        if (!options.enter || options.enter(p, e.name)) walk(p);
      } else if (options.keep ? options.keep(p, e.name, e) : e.isFile()) out.push(p);
    }
  };
  walk(root);
  return out;
}
