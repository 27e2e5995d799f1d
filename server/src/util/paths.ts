// Path handling that behaves the same on Windows, macOS and Linux: sequence files refer to child
// sequences with forward or back slashes, in any case; tsq resolves them identically everywhere.

import * as path from 'node:path';

/** Turns backslashes into forward slashes (a sequence written on Windows still resolves on Linux). */
export function toSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Absolute, normalised path with forward slashes. */
export function normalisePath(p: string): string {
  return toSlashes(path.resolve(toSlashes(p)));
}

/** Key for case-insensitive comparison of normalised paths. */
export function pathKey(p: string): string {
  return normalisePath(p).toLowerCase();
}

/** Resolves `ref` (as written in a file) relative to the folder of the file `fromFile`. */
export function resolveRelative(fromFile: string, ref: string): string {
  const r = toSlashes(ref.trim());
  if (/^[A-Za-z]:\//.test(r) || r.startsWith('/')) return normalisePath(r);
  return normalisePath(path.posix.join(path.posix.dirname(toSlashes(fromFile)), r));
}

/** Path of `to` relative to the folder of `fromFile`, with forward slashes and a leading `./`. */
export function relativeFrom(fromFile: string, to: string): string {
  const rel = toSlashes(path.relative(path.dirname(fromFile), to));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** True for paths that look like files rather than package IDs (`./apps.tsq.yaml`, `child.tsq.yml`). */
export function looksLikePath(ref: string): boolean {
  return /[\\/]/.test(ref) || /\.ya?ml$/i.test(ref);
}
