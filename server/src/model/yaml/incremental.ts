// Re-reads only the part of a YAML document that an edit falls in, so that an editor can keep a
// 10,000-step file up to date on every keystroke. The unit re-read is the smallest entry of a
// block sequence (`- ...`) that holds the edit: a step, a group, a partition, a list item. The
// reader is a left-to-right recursive descent whose state between entries is only its position
// and the start of the line, so re-reading an entry from its `-` gives exactly what a full read
// gives there, provided that (1) the text before the `-` is unchanged, (2) re-reading stops at the
// same place in the unchanged text after it, and (3) no anchors tie distant parts together. When
// any of that does not hold, the caller reads the whole file again.
//
// Nodes before the entry are kept as they are; nodes after it are kept and moved by the length
// change (in place: the old document must not be used afterwards); the ends of the collections
// that hold the entry are recomputed. Errors and comments of the entry are replaced.

import {
  keptKeyNodeAt,
  keyTextAt,
  lastPairAtOrBefore,
  movePairStart,
  replaceBareKeyText,
  pairCount,
  pairStartAt,
  valueAt,
  type YamlDocument,
  type YamlError,
  type YComment,
  type YMap,
  type YNode,
  type YScalar,
  type YSeq,
} from './nodes';
import { parseSequenceEntryAt } from './parser';
import { lastStartingAtOrBefore } from '../../util/search';

/** A change of the text: `[start, end)` of the old text is replaced by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface YamlUpdate {
  yaml: YamlDocument;
  /** The block sequence whose entry was read again, and the entry's index in it. */
  sequence: YSeq;
  index: number;
  oldItem: YNode;
  newItem: YNode;
  /** Offset of the entry's `-` (the same in the old and the new text). */
  regionStart: number;
  /** Where what follows the entry starts, in the old and in the new text. */
  oldRegionEnd: number;
  newRegionEnd: number;
  /** Length change of the text: every offset at or after `oldRegionEnd` moved by this much. */
  delta: number;
  /** Block collections from the root down to `sequence`, whose ends were recomputed. */
  ancestors: (YMap | YSeq)[];
}

const LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  TAB = 0x09,
  HASH = 0x23,
  DASH = 0x2d,
  BOM = 0xfeff;

/** The new text after applying `edit` to `text`. */
export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/**
 * Updates `old` (the tree of the text before `edit`) to the tree of `newText`, or returns
 * undefined when only a full read gives the right tree. On success `old` is consumed.
 */
export function updateYaml(old: YamlDocument, edit: TextEdit, newText: string): YamlUpdate | undefined {
  const src = old.text;
  // A file with merge keys is read in full: its readers keep pair lists copied from the tree, whose
  // starts the moves below cannot reach (see `YamlDocument.merged`).
  if (old.anchored || old.merged || !old.root || src.charCodeAt(0) === BOM || newText.charCodeAt(0) === BOM)
    return undefined;
  if (edit.start < 0 || edit.end > src.length || edit.start > edit.end) return undefined;
  const delta = newText.length - src.length;
  const found = entriesHolding(old, edit);
  for (let i = found.length - 1; i >= 0; i--) {
    const c = found[i];
    if (c.end < src.length && edit.end >= lineStartOf(src, c.end)) continue;
    const r = parseSequenceEntryAt(newText, c.dash, c.column, c.depth);
    if (!r || r.definesAnchors || r.merges) continue;
    const expected = c.end === src.length ? newText.length : c.end + delta;
    if (r.next !== expected) continue;
    const oldItem = c.seq.items[c.index];
    detachStrings(r.item);
    shiftAfter(old.root, c.end, delta);
    c.seq.items[c.index] = r.item;
    recomputeEnds(c.path);
    return {
      yaml: {
        text: newText,
        root: old.root,
        errors: splice(old.errors, c.dash, c.end, r.errors, delta),
        comments: splice(old.comments, c.dash, c.end, r.comments, delta),
        anchored: false,
      },
      sequence: c.seq,
      index: c.index,
      oldItem,
      newItem: r.item,
      regionStart: c.dash,
      oldRegionEnd: c.end,
      newRegionEnd: r.next,
      delta,
      ancestors: c.path.map((p) => p.node),
    };
  }
  return undefined;
}

interface PathStep {
  node: YMap | YSeq;
}

interface Candidate {
  seq: YSeq;
  index: number;
  /** Offset of the entry's `-`. */
  dash: number;
  /** Where what follows the entry starts (old text). */
  end: number;
  column: number;
  depth: number;
  /** Collections from the root down to `seq` (inclusive). */
  path: PathStep[];
}

/** Every block-sequence entry that holds the whole edit, outermost first. */
function entriesHolding(doc: YamlDocument, edit: TextEdit): Candidate[] {
  const src = doc.text;
  const out: Candidate[] = [];
  const path: PathStep[] = [];
  let node: YNode | null = doc.root;
  let depth = 0;
  while (node && (node.kind === 'map' || node.kind === 'seq') && !node.flow) {
    depth++;
    if (node.kind === 'map') {
      const k = lastPairAtOrBefore(node.pairs, edit.start);
      if (k < 0) break;
      path.push({ node });
      const value: YNode = valueAt(node.pairs, k);
      if (value.kind === 'seq' && !value.flow && value.start < edit.start) node = value;
      else if (value.kind === 'map' && !value.flow && value.start <= edit.start && edit.end <= value.end) node = value;
      else break;
      continue;
    }
    const seq: YSeq = node;
    const column = seq.start - lineStartOf(src, seq.start);
    let k = lastStartingAtOrBefore(seq.items, edit.start);
    if (k < 0) k = 0;
    let dash = dashOf(src, seq, k, column);
    if (dash !== undefined && edit.start <= dash && k > 0) {
      k--;
      dash = dashOf(src, seq, k, column);
    }
    if (dash === undefined || edit.start <= dash) break;
    const end = nextEntryOrEnd(src, seq.items[k].end, column);
    if (end < src.length && edit.end >= lineStartOf(src, end)) break;
    path.push({ node: seq });
    out.push({ seq, index: k, dash, end, column, depth, path: [...path] });
    const item: YNode = seq.items[k];
    if ((item.kind === 'map' || item.kind === 'seq') && !item.flow && item.start <= edit.start && edit.end <= item.end)
      node = item;
    else break;
  }
  return out;
}

/** Offset of the `-` that starts entry `k` of a block sequence at `column`, if it can be found. */
function dashOf(src: string, seq: YSeq, k: number, column: number): number | undefined {
  const at = k === 0 ? seq.start : nextEntryOrEnd(src, seq.items[k - 1].end, column);
  if (at >= src.length || at > seq.items[k].start || src.charCodeAt(at) !== DASH) return undefined;
  if (at - lineStartOf(src, at) !== column) return undefined;
  const after = src.charCodeAt(at + 1);
  return at + 1 >= src.length || after === SPACE || after === TAB || after === LF || after === CR ? at : undefined;
}

/**
 * Where reading resumes after an entry of a block sequence at `column` that ends at `from`: the
 * first content on a later line indented at most `column` (lines indented deeper are the entry's
 * leftovers, which the reader reports and skips), or the end of the text.
 */
function nextEntryOrEnd(src: string, from: number, column: number): number {
  const len = src.length;
  // An entry may end at the start of a line it did not read (an empty block scalar does).
  let p = lineStartOf(src, from) === from ? from : nextLine(src, lineEndOf(src, from));
  while (p < len) {
    const lineStart = p;
    while (p < len && (src.charCodeAt(p) === SPACE || src.charCodeAt(p) === TAB)) p++;
    if (p >= len) return len;
    const c = src.charCodeAt(p);
    if (c !== LF && c !== CR && c !== HASH && p - lineStart <= column) return p;
    p = nextLine(src, lineEndOf(src, p));
  }
  return len;
}

/** Start of the line after the line break at `p` (or the end of the text). */
function nextLine(src: string, p: number): number {
  if (p >= src.length) return src.length;
  return p + (src.charCodeAt(p) === CR && src.charCodeAt(p + 1) === LF ? 2 : 1);
}

function lineEndOf(src: string, p: number): number {
  const len = src.length;
  while (p < len) {
    const c = src.charCodeAt(p);
    if (c === LF || c === CR) break;
    p++;
  }
  return p;
}

function lineStartOf(src: string, p: number): number {
  while (p > 0) {
    const c = src.charCodeAt(p - 1);
    if (c === LF || c === CR) break;
    p--;
  }
  return p;
}

/** Moves every node that starts at or after `from` by `delta`; nodes that hold `from` are entered. */
function shiftAfter(node: YNode, from: number, delta: number): void {
  if (delta === 0) return;
  if (node.start >= from) return shiftTree(node, delta);
  if (node.end < from) return;
  if (node.kind === 'map') {
    const pairs = node.pairs;
    for (let k = Math.max(0, lastPairAtOrBefore(pairs, from)), n = pairCount(pairs); k < n; k++) {
      const key = keptKeyNodeAt(pairs, k),
        value = valueAt(pairs, k);
      if (pairStartAt(pairs, k) >= from) {
        movePairStart(pairs, k, delta);
        if (key !== undefined) shiftTree(key, delta);
        shiftTree(value, delta);
      } else if (value.end >= from) {
        if (key !== undefined) shiftAfter(key, from, delta);
        shiftAfter(value, from, delta);
      }
    }
  } else if (node.kind === 'seq') {
    const items = node.items;
    for (let i = Math.max(0, lastStartingAtOrBefore(items, from)); i < items.length; i++)
      shiftAfter(items[i], from, delta);
  }
}

// One function per node kind keeps each function's property accesses to few object shapes,
// which V8 makes fast; this runs for half the file on every keystroke.
function shiftTree(node: YNode, delta: number): void {
  if (node.kind === 'scalar') shiftScalar(node, delta);
  else if (node.kind === 'map') shiftMap(node, delta);
  else if (node.kind === 'seq') shiftSeq(node, delta);
  else {
    node.start += delta;
    node.end += delta;
    if (node.anchor !== undefined || node.tag !== undefined) shiftProps(node, delta);
  }
}

function shiftScalar(node: YScalar, delta: number): void {
  node.start += delta;
  node.end += delta;
  if (node.block !== undefined)
    node.block = {
      ...node.block,
      contentStart: node.block.contentStart + delta,
      contentEnd: node.block.contentEnd + delta,
    };
  if (node.anchor !== undefined || node.tag !== undefined) shiftProps(node, delta);
}

function shiftMap(node: YMap, delta: number): void {
  node.start += delta;
  node.end += delta;
  if (node.anchor !== undefined || node.tag !== undefined) shiftProps(node, delta);
  const pairs = node.pairs;
  for (let k = 0, n = pairCount(pairs); k < n; k++) {
    movePairStart(pairs, k, delta);
    const key = keptKeyNodeAt(pairs, k);
    if (key !== undefined) shiftTree(key, delta);
    const value = valueAt(pairs, k);
    if (value.kind === 'scalar') shiftScalar(value, delta);
    else shiftTree(value, delta);
  }
}

function shiftSeq(node: YSeq, delta: number): void {
  node.start += delta;
  node.end += delta;
  if (node.anchor !== undefined || node.tag !== undefined) shiftProps(node, delta);
  const items = node.items;
  for (let i = 0; i < items.length; i++) shiftTree(items[i], delta);
}

function shiftProps(node: YNode, delta: number): void {
  if (node.anchor) node.anchor = { ...node.anchor, start: node.anchor.start + delta, end: node.anchor.end + delta };
  if (node.tag) node.tag = { ...node.tag, start: node.tag.start + delta, end: node.tag.end + delta };
}

/**
 * Gives the entry's strings their own storage. The reader slices them from the text, and V8 keeps
 * a whole text alive for any slice of it: without this, every edit would keep one more copy of
 * the file in memory for as long as the re-read entry lives.
 */
function detachStrings(node: YNode): void {
  if (node.kind === 'scalar') {
    const text = own(node.text);
    node.value = node.value === node.text ? text : typeof node.value === 'string' ? own(node.value) : node.value;
    node.text = text;
  } else if (node.kind === 'map') {
    const pairs = node.pairs;
    for (let k = 0, n = pairCount(pairs); k < n; k++) {
      const key = keptKeyNodeAt(pairs, k);
      if (key !== undefined) detachStrings(key);
      else replaceBareKeyText(pairs, k, own(keyTextAt(pairs, k)!));
      detachStrings(valueAt(pairs, k));
    }
  } else if (node.kind === 'seq') {
    for (const it of node.items) detachStrings(it);
  } else {
    node.name = own(node.name);
  }
  if (node.anchor) node.anchor = { ...node.anchor, name: own(node.anchor.name) };
  if (node.tag) node.tag = { ...node.tag, name: own(node.tag.name) };
}

/** A copy of `s` that does not refer to the string it was sliced from. */
function own(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** Block collections end where their last entry ends (a mapping where its last value ends). */
function recomputeEnds(path: PathStep[]): void {
  for (let i = path.length - 1; i >= 0; i--) {
    const { node } = path[i];
    if (node.kind === 'seq') {
      if (node.items.length) node.end = node.items[node.items.length - 1].end;
    } else {
      const n = pairCount(node.pairs);
      if (n) node.end = valueAt(node.pairs, n - 1).end;
    }
  }
}

/** Replaces the entries of `list` that start in `[from, to)` by `replacement` and moves later ones. */
function splice<T extends YamlError | YComment>(
  list: readonly T[],
  from: number,
  to: number,
  replacement: readonly T[],
  delta: number,
): T[] {
  const out: T[] = [];
  for (const e of list) if (e.start < from) out.push(e);
  out.push(...replacement);
  for (const e of list) if (e.start >= to) out.push(delta ? { ...e, start: e.start + delta, end: e.end + delta } : e);
  return out;
}
