// The ConfigMgr files an import kept beside a sequence (its configmgr/ folder), read from disk for
// an export: each through the bounded reader every file goes through (files/read.ts), folders
// listed in the stable order of files/walk.ts. The export asks; only this module touches the disk.

import type { KeptFiles } from '../interop/export';
import { readFileBounded, refusalOf } from './read';
import { walkFiles } from './walk';

export const keptFilesOnDisk: KeptFiles = {
  read(file, limit) {
    try {
      return { bytes: readFileBounded(file, limit) };
    } catch (e) {
      const refusal = refusalOf(file, e);
      return refusal.kind === 'missing' ? { missing: true } : { refused: refusal.message };
    }
  },
  list: (dir) => walkFiles(dir),
};
