// Editors name files by URI (`file:///c%3A/work/a.tsq.yaml`); the engine names them by normalised
// absolute path (`C:/work/a.tsq.yaml`). Unsaved documents (`untitled:Untitled-1`) keep their URI.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { normalisePath } from '../util/paths';

/** The engine's document id for an editor URI. */
export function uriToId(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    const p = normalisePath(fileURLToPath(uri));
    // Drive letters come in either case from editors; the file system does not care.
    return /^[a-z]:\//.test(p) ? p.charAt(0).toUpperCase() + p.slice(1) : p;
  } catch {
    return uri;
  }
}

/** A `file:` URI for an engine id that is a path; other ids are URIs already. */
export function idToUri(id: string): string {
  if (/^[A-Za-z]:\//.test(id) || id.startsWith('/')) return pathToFileURL(id).href;
  return id;
}

/** True when the id names a file on disk (not an unsaved editor buffer). */
export function isFileId(id: string): boolean {
  return /^[A-Za-z]:\//.test(id) || id.startsWith('/');
}
