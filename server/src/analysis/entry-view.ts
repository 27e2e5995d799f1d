// Marks the documents incremental.ts makes to check one entry of `steps:` alone (a sequence whose
// `steps:` hold that entry and nothing else). Only findings inside the entry count there, so a
// per-node rule may leave out what it would say about the file as a whole: the schema check
// skips the file's top level, which in such a view always lacks `sequence:` and was worded, once
// per entry, only to be dropped.

import type { TsqDocument } from '../model/document';

const entryViews = new WeakSet<TsqDocument>();

/** Records that only findings inside the one entry of `view` will be kept. */
export function markEntryView(view: TsqDocument): void {
  entryViews.add(view);
}

/** Whether `doc` is a view of one entry (findings outside that entry are dropped). */
export function isEntryView(doc: TsqDocument): boolean {
  return entryViews.has(doc);
}
