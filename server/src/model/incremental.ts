// Keeps a document up to date after an edit without reading the whole file again: the YAML tree
// is updated by re-reading one block-sequence entry (./yaml/incremental.ts), and in a sequence
// file the model is updated by rebuilding only the group or step that holds the edit and moving
// the sequence's own spans after it (those of groups and steps are read from their moved YAML
// nodes: ./sequence-items.ts). Whatever cannot be updated this way is built anew, so the
// result always equals `parseDocument(id, newText)` (test/unit/incremental.test.ts checks that on
// thousands of random edits). The old document is consumed: its tree and model are reused.

import { documentFromYaml, documentShell, parseDocument, type TsqDocument } from './document';
import { DEFAULT_MAX_FILE_BYTES, hasForbiddenCharacter, savedSize, utf8Length } from './source';
import { updateYaml, type TextEdit, type YamlUpdate } from './yaml/incremental';
import { buildItem, type GroupNode, type SeqNode, type SequenceModel } from './sequence';
import { MapReader } from './fields';
import type { ExpansionBudget } from './yaml/expand';
import type { YNode } from './yaml/nodes';
import type { Span } from './text';

export type { TextEdit } from './yaml/incremental';

/** What changed in a sequence's model when only one entry of a `steps:` list was rebuilt. */
export interface StepsChange {
  /** Offsets before `from` (old text) are unchanged; offsets at or after it moved by `delta`. */
  from: number;
  delta: number;
  /** What was rebuilt: its extent in the old text and in the new text. */
  removed: Span;
  added: Span;
  /** The rebuilt entry: its YAML node and, when it is a group or step, its model node. */
  item: YNode;
  node?: SeqNode;
  /** The model node it replaced (old offsets), if any. */
  oldNode?: SeqNode;
  /** The edit itself (offsets of the old text). */
  edit: TextEdit;
}

export interface DocumentUpdate {
  doc: TsqDocument;
  /** Set when only one entry of a `steps:` list was rebuilt; absent when the model was built anew. */
  change?: StepsChange;
}

/** What each document's text weighs saved, when it was measured (only texts near the size cap are). */
const savedSizes = new WeakMap<TsqDocument, number>();

/**
 * The document of `newText`, which is `doc.text` with `edit` applied. `doc` must not be used
 * afterwards. `maxBytes` is the size cap in force, as for `parseDocument`.
 */
export function updateDocument(
  doc: TsqDocument,
  edit: TextEdit,
  newText: string,
  version: number,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): DocumentUpdate {
  const size = sizeAfter(doc, edit, newText, maxBytes);
  // Whether a text is read at all, and which characters it may not hold, are decided on the whole
  // text: an edit that may change either is read in full, as parseDocument reads it.
  if (
    doc.refused ||
    hasForbiddenCharacter(edit.text) ||
    doc.problems.some((p) => p.code === 'unreadable-file') ||
    size > maxBytes
  ) {
    return { doc: measured(parseDocument(doc.id, newText, version, maxBytes), size) };
  }
  const y = updateYaml(doc.yaml, edit, newText);
  if (!y) return { doc: measured(parseDocument(doc.id, newText, version, maxBytes), size) };
  const model = doc.kind === 'sequence' ? (doc.model as SequenceModel | undefined) : undefined;
  const change = model ? updateSequence(model, y, doc.budget, edit) : undefined;
  if (!model || !change) return { doc: measured(documentFromYaml(doc.id, newText, y.yaml, version), size) };
  model.revision++;
  const next = measured(documentShell(doc.id, newText, version, y.yaml, doc.budget), size);
  next.kind = doc.kind;
  next.model = model;
  for (const p of doc.problems)
    next.problems.push(p.start >= y.oldRegionEnd ? { ...p, start: p.start + y.delta, end: p.end + y.delta } : p);
  return { doc: next, change };
}

/** What `newText` weighs saved: from what `doc` weighed and the edit, without measuring it all again. */
function sizeAfter(doc: TsqDocument, edit: TextEdit, newText: string, maxBytes: number): number {
  if (newText.length * 3 <= maxBytes) return 0;
  const before = savedSizes.get(doc);
  if (before === undefined) return savedSize(newText, maxBytes);
  return before - utf8Length(doc.text.slice(edit.start, edit.end)) + utf8Length(edit.text);
}

function measured(doc: TsqDocument, size: number): TsqDocument {
  if (size > 0) savedSizes.set(doc, size);
  return doc;
}

/** Updates `model` in place for `y`; undefined when it must be built anew. */
function updateSequence(
  model: SequenceModel,
  y: YamlUpdate,
  budget: ExpansionBudget,
  edit: TextEdit,
): StepsChange | undefined {
  // The innermost group or step whose mapping holds the entry that was read again.
  let owner: SeqNode | null = null;
  let list: SeqNode[] = model.steps;
  for (const a of y.ancestors) {
    if (a.kind !== 'map' || a === model.root) continue;
    const i = indexOfNode(list, a);
    if (i < 0) break;
    owner = list[i];
    list = owner.kind === 'group' ? owner.steps : [];
  }
  const from = y.oldRegionEnd;
  const delta = y.delta;
  const ownList =
    owner === null || owner.kind === 'group'
      ? new MapReader(owner ? owner.node : model.root, budget).node('steps')
      : undefined;
  if (ownList === y.sequence) {
    // An entry of a steps list itself: replace, add or drop its node among its siblings.
    const parent = owner as GroupNode | null;
    const siblings = parent ? parent.steps : model.steps;
    const old = y.oldItem.kind === 'map' ? indexOfNode(siblings, y.oldItem) : -1;
    const at = old >= 0 ? old : firstStartingAtOrAfter(siblings, y.regionStart);
    const fresh = y.newItem.kind === 'map' ? buildItem(y.newItem, parent, at, budget) : undefined;
    const oldNode = old >= 0 ? siblings[old] : undefined;
    if (old >= 0 && fresh) siblings[old] = fresh;
    else if (old >= 0) siblings.splice(old, 1);
    else if (fresh) siblings.splice(at, 0, fresh);
    for (let i = at; i < siblings.length; i++) siblings[i].index = i;
    shiftModel(model, from, delta);
    return {
      from,
      delta,
      removed: { start: y.oldItem.start, end: y.oldItem.end },
      added: { start: y.newItem.start, end: y.newItem.end },
      item: y.newItem,
      node: fresh,
      oldNode,
      edit,
    };
  }
  if (!owner) return undefined;
  // Inside a group's or step's own fields (a `with:` list, a condition, ...): rebuild that node.
  const siblings = owner.parent ? owner.parent.steps : model.steps;
  if (siblings[owner.index] !== owner) return undefined;
  const removed = { start: owner.node.start, end: oldEnd(owner.node, y) };
  const fresh = buildItem(owner.node, owner.parent, owner.index, budget);
  siblings[owner.index] = fresh;
  shiftModel(model, from, delta);
  return {
    from,
    delta,
    removed,
    added: { start: fresh.span.start, end: fresh.span.end },
    item: owner.node,
    node: fresh,
    oldNode: owner,
    edit,
  };
}

/**
 * Where `map`, which holds the entry `y` read again, ended in the old text. Its spans are read from
 * its nodes, already moved: it ends with that entry (which ended at `y.oldItem.end`) or with
 * something after it, which moved by `y.delta`.
 */
function oldEnd(map: YNode, y: YamlUpdate): number {
  return map.end === y.newItem.end ? y.oldItem.end : map.end - y.delta;
}

/** Index of the node built from `map` in `list` (nodes are in text order, their YAML nodes already moved). */
function indexOfNode(list: readonly SeqNode[], map: YNode): number {
  let lo = 0,
    hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = list[mid].node.start;
    if (s === map.start) return list[mid].node === map ? mid : -1;
    if (s < map.start) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function firstStartingAtOrAfter(list: readonly SeqNode[], offset: number): number {
  let lo = 0,
    hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].node.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Moves the sequence's own spans that start at or after `from` by `delta`. Groups and steps have
 * none to move: theirs are read from their YAML nodes (./sequence-items.ts), which the YAML update
 * has already moved.
 */
function shiftModel(model: SequenceModel, from: number, delta: number): void {
  if (delta === 0) return;
  shiftSpan(model.nameSpan, from, delta);
  shiftSpan(model.packageId?.span, from, delta);
  shiftSpan(model.bootImage?.span, from, delta);
  for (const v of model.variables) {
    shiftSpan(v.nameSpan, from, delta);
    shiftSpan(v.valueSpan, from, delta);
  }
}

function shiftSpan(s: Span | undefined, from: number, delta: number): void {
  if (s && s.start >= from) {
    s.start += delta;
    s.end += delta;
  }
}

/**
 * The fields of the sequence model this module knows: spans it moves, and nodes that spans are read
 * from. A test compares them with the fields real models have, so that a field added to the model
 * later cannot be forgotten here.
 */
export const MODEL_FIELDS = {
  sequence: [
    'kind',
    'name',
    'nameSpan',
    'description',
    'packageId',
    'bootImage',
    'variables',
    'steps',
    'configMgr',
    'root',
    'revision',
  ],
  variable: ['name', 'value', 'nameSpan', 'valueSpan'],
  node: [
    'kind',
    'name',
    'nameNode',
    'id',
    'description',
    'when',
    'continueOnError',
    'disabled',
    'xml',
    'node',
    'parent',
    'index',
  ],
  group: ['steps'],
  step: [
    'action',
    'actionNode',
    'shorthand',
    'options',
    'withNode',
    'timeout',
    'successCodes',
    'retryCount',
    'runFromNet',
  ],
  option: ['name', 'pairs', 'at', 'value', 'node', 'fromShorthand'],
} as const;
