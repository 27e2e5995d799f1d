// The documents incremental.ts makes to check entries of `steps:` apart from the rest of the file:
// a sequence whose `steps:` hold those entries and nothing else. Only findings inside the entries
// count there, so a per-node rule may leave out what it would say about the file as a whole: the
// schema check skips the file's top level, which in such a view always lacks `sequence:` and was
// worded, once per view, only to be dropped.
//
// A file's first check in the editor gives each view a run of neighbouring entries, up to about
// ENTRY_GROUP_CHARS of text, rather than one entry each. Every view has a model of its own, and
// each cache kept per model (the list of its nodes, its child calls, the rule context and its
// memos) is built and dropped with it: with one view per entry that overhead, 10,000 times on a
// 10,000-step file, cost more than the per-node rules' own work on most entries
// (docs/performance.md, "Entry views of a few entries each"). Per-node rules judge each group or
// step on its own, so an entry's findings do not depend on which other entries share its view;
// views stay small, which keeps the memory of the check low. An edit's rebuilt entry still gets a
// view of its own.
//
// The mark is a property of the view itself, under a symbol no other module knows: it had been a
// WeakSet of views, and adding each of the 10,000 views of a file's first check to one (a weak
// table the collector must also go through) cost more than some of the checks run on the view
// (docs/performance.md, "The error check's conditions and wording").

import type { TsqDocument } from '../model/document';
import { documentShell } from '../model/document';
import type { SeqNode, SequenceModel } from '../model/sequence';
import { pairListOf, type YMap, type YNode, type YScalar, type YSeq } from '../model/yaml/nodes';

const ENTRY_VIEW = Symbol('entry view');

type MarkedDocument = TsqDocument & { [ENTRY_VIEW]?: true };

/** Whether `doc` is a view of entries of `steps:` (findings outside them are dropped). */
export function isEntryView(doc: TsqDocument): boolean {
  return (doc as MarkedDocument)[ENTRY_VIEW] === true;
}

/** Neighbouring entries of `steps:` and the model nodes of those that are groups or steps. */
export interface EntryGroup {
  items: YNode[];
  nodes: SeqNode[];
}

/**
 * About this much text of entries shares one view in a first check (an entry longer than that
 * has a view of its own): a few dozen steps of a generated file, a few kilobytes of model.
 */
const ENTRY_GROUP_CHARS = 16_384;

/** `items` (the entries of `steps:`) in runs of neighbours, each with its nodes of `steps`. */
export function entryGroups(items: readonly YNode[], steps: readonly SeqNode[]): EntryGroup[] {
  const groups: EntryGroup[] = [];
  let group: EntryGroup | undefined;
  let n = 0;
  for (const item of items) {
    if (!group || item.end - group.items[0].start > ENTRY_GROUP_CHARS) groups.push((group = { items: [], nodes: [] }));
    group.items.push(item);
    if (steps[n]?.node === item) group.nodes.push(steps[n++]);
  }
  return groups;
}

/**
 * The document as per-node rules should see it to judge only `entries`: a sequence whose
 * `steps:` hold those entries alone, with no variables, boot image or file-level problems.
 * Positions are those of the real file; findings outside the entries are dropped by the caller.
 */
export function entriesView(doc: TsqDocument, entries: EntryGroup): TsqDocument {
  const model = doc.model as SequenceModel;
  const { items, nodes } = entries;
  const first = items[0];
  const last = items[items.length - 1];
  const key: YScalar = {
    kind: 'scalar',
    start: first.start,
    end: first.start,
    text: 'steps',
    value: 'steps',
  };
  const steps: YSeq = { kind: 'seq', start: first.start, end: last.end, items, flow: false };
  const root: YMap = {
    kind: 'map',
    start: model.root.start,
    end: model.root.end,
    flow: false,
    pairs: pairListOf(key, steps),
  };
  const view = documentShell(
    doc.id,
    doc.text,
    doc.version,
    { text: doc.text, root, errors: [], comments: [] },
    doc.budget,
  );
  view.kind = 'sequence';
  const viewModel: SequenceModel = { ...model, variables: [], bootImage: undefined, steps: nodes, root };
  view.model = viewModel;
  (view as MarkedDocument)[ENTRY_VIEW] = true;
  return view;
}
