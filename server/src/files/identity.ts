// Which file a path is, for the front ends that load files into a workspace. Two paths can name one
// file: a symbolic link (or a linked folder) and its target, a hard link, or another spelling the
// file system resolves (case on Windows and macOS). A sequence that runs itself through such a
// path must still be seen running itself, so each file is loaded once, under the first path it
// was found by (the user's spelling, kept for messages), and every other path becomes an alias of
// that document. The engine reads no files, so this is decided here, where files are read.

import * as fs from 'node:fs';
import type { Workspace } from '../semantics/workspace';
import type { TsqDocument } from '../model/document';
import { normalisePath } from '../util/paths';

/**
 * The identity of the file at `file`, links followed: its device and inode number where the file
 * system has them (this also joins hard links), else its real path. Undefined when it cannot be
 * read (the caller's reader then reports that).
 */
export function fileIdentity(file: string): string | undefined {
  try {
    const st = fs.statSync(file, { bigint: true });
    if (st.ino !== 0n) return `inode:${st.dev}:${st.ino}`;
    return `path:${normalisePath(fs.realpathSync.native(file))}`;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- the caller's reader reads the file next and reports why it cannot
    return undefined;
  }
}

/**
 * Puts the file at `file` into `ws` unless the workspace holds it already, under this path or
 * another; `read` reads it, or says it is gone (undefined: removed since it was listed). Returns
 * the id the file has in the workspace and the document when it was read now; undefined when the
 * file is gone.
 */
export function loadFileOnce(
  ws: Workspace,
  file: string,
  read: (file: string) => TsqDocument | undefined,
): { id: string; loaded?: TsqDocument } | undefined {
  const id = normalisePath(file);
  if (ws.get(id)) return { id };
  const identity = fileIdentity(file);
  const known = identity === undefined ? undefined : ws.byIdentity(identity);
  if (known && known.id !== id) {
    ws.alias(id, known.id);
    return { id: known.id };
  }
  const doc = read(file);
  if (!doc) return undefined;
  ws.upsert(doc);
  // A refusal (a device, a pipe, a folder) is worded for the path that named it ("a link to
  // /dev/zero"), and there is nothing in it to share: each path that names one is refused on its own.
  if (identity !== undefined && !doc.refused) ws.identify(doc.id, identity);
  return { id: doc.id, loaded: doc };
}
