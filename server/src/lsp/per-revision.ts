// Answers kept for one revision of a file. An editor asks for the same whole-file answer several
// times per revision (the outline, breadcrumbs and sticky scroll each ask for document symbols),
// and on a 10,000-step file building one takes tens of milliseconds. Every edit, every reading
// from disk and every re-read makes a new TsqDocument (the model may be shared and updated in
// place, the document never is), so an answer keyed by the document object is dropped by the
// first change and needs no other invalidation; a WeakMap lets it go with the document.

import type { TsqDocument } from '../model/document';
import type { FileEntry } from './projects';

/**
 * `answer` for an entry's current revision, computed once per revision. `answer` must depend on
 * the document alone (its text, model and positions), not on other files or settings.
 */
export function perRevision<T>(answer: (entry: FileEntry) => T): (entry: FileEntry) => T {
  const kept = new WeakMap<TsqDocument, T>();
  return (entry) => {
    const known = kept.get(entry.doc);
    if (known !== undefined) return known;
    const fresh = answer(entry);
    kept.set(entry.doc, fresh);
    return fresh;
  };
}
