// Marks the documents incremental.ts makes to check one entry of `steps:` alone (a sequence whose
// `steps:` hold that entry and nothing else). Only findings inside the entry count there, so a
// per-node rule may leave out what it would say about the file as a whole: the schema check
// skips the file's top level, which in such a view always lacks `sequence:` and was worded, once
// per entry, only to be dropped.
//
// The mark is a property of the view itself, under a symbol no other module knows: it had been a
// WeakSet of views, and adding each of the 10,000 views of a file's first check to one (a weak
// table the collector must also go through) cost more than some of the checks run on the view
// (docs/performance.md, "The error check's conditions and wording").

import type { TsqDocument } from '../model/document';

const ENTRY_VIEW = Symbol('entry view');

type MarkedDocument = TsqDocument & { [ENTRY_VIEW]?: true };

/** Records that only findings inside the one entry of `view` will be kept. */
export function markEntryView(view: TsqDocument): void {
  (view as MarkedDocument)[ENTRY_VIEW] = true;
}

/** Whether `doc` is a view of one entry (findings outside that entry are dropped). */
export function isEntryView(doc: TsqDocument): boolean {
  return (doc as MarkedDocument)[ENTRY_VIEW] === true;
}
