// The YAML syntax tree that every tsq file kind is read into: maps, sequences, scalars and aliases,
// each carrying exact source offsets [start, end) into the file text (UTF-16 code units, the unit
// of JavaScript strings and of LSP positions). Typed models (sequence, catalog, ...) are views over it.
// A mapping keeps most keys as their text rather than as a node each: `PairList` says how and why.

import { resolvePlain, type ScalarValue } from './scalars';

export type { ScalarValue };
export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface NodeProps {
  /** `&name` written before the node. */
  anchor?: { name: string; start: number; end: number };
  /** `!tag` written before the node, as written (e.g. `!!str`). */
  tag?: { name: string; start: number; end: number };
}

export interface YScalar extends NodeProps {
  kind: 'scalar';
  start: number;
  end: number;
  /** Resolved value under the YAML 1.2 core schema (`3` is a number, `true` a boolean, `~` null). */
  value: ScalarValue;
  /** The decoded text of the scalar, before type resolution. */
  text: string;
  /**
   * How it is written, absent when plain (read it with `styleOf`): nearly every scalar of a tsq
   * file is plain, and a field on each of them was 8 bytes of a 72-byte node, kept with the tree.
   */
  style?: Exclude<ScalarStyle, 'plain'>;
  /** True for the empty value of `key:` with nothing after it (start === end). */
  implicit?: boolean;
  /** For block scalars (`|`, `>`): where the content lines are and how they were read. */
  block?: {
    contentStart: number;
    contentEnd: number;
    indent: number;
    header: { literal: boolean; chomp: 'clip' | 'strip' | 'keep'; indent: number };
  };
}

/**
 * A mapping's pair as one object, made when asked for (`pairsOf`, `pairAt`): the tree itself keeps
 * no pair objects (see `YMap.pairs`). Its offsets run from the key (with any `&anchor` or `!tag`
 * written before it) to the end of the value. Its `key` is a node even where the list keeps the key
 * as its text (`keyNodeAt`): a new one at each call, so two pair objects are the same pair when their
 * `start`s are the same, not when their keys are the same object.
 */
export interface YPair {
  key: YNode;
  value: YNode;
  start: number;
  end: number;
}

/**
 * One slot of a pair list: a key (a node, or the text of a bare key), a pair's start, or a value.
 */
export type PairSlot = YNode | string | number;

/**
 * The pairs of a mapping, three slots a pair: pair `k`'s key at `3 * k`, where it starts at
 * `3 * k + 1`, its value at `3 * k + 2`. What `YMap.pairs` holds and `effectivePairs` returns.
 *
 * A bare key, the plain single-line text most keys are (`name:`, `action:`, the keys of `with:`),
 * written with no anchor, tag or quotes and not empty, is kept as its text, not as a scalar node: its
 * start is the pair's start and its end that plus its text's length, as plain text on one line is
 * exactly its characters. On the 100,000-step bench file that is 600,000 of 1,115,000 scalar nodes,
 * 38 MB of the tree, made and kept for every read; the start slot costs 8 bytes a pair instead
 * (docs/performance.md, "A mapping's plain keys as their text"). Every other key (quoted, anchored,
 * tagged, an alias, a flow collection, a flow key folded over lines, empty) stays a node, and the start slot then says where the
 * pair starts (`pairStartOf` its key), so that a search by offset reads no node at all.
 *
 * Nothing outside this file reads the slots: every reader goes through the helpers below, which
 * take a pair's number `k` (0 to `pairCount - 1`), so that no reader learns the layout.
 */
export type PairList = readonly PairSlot[];

/** The slots of one pair (see `PairList`). */
const SLOTS = 3;

export interface YMap extends NodeProps {
  kind: 'map';
  start: number;
  end: number;
  /**
   * The pairs, as a `PairList`: keys, starts and values in one list. A pair object per pair
   * (`{ key, value, start, end }`) was a fifth of the tree's objects (six a step, 56 bytes each,
   * 600,000 on the 100,000-step bench file), all made while parsing and all kept; a pair runs from
   * its start slot to its value's end (`pairStartAt`, `pairEndAt`). Read it with the helpers below;
   * readers that want pair objects make them with `pairsOf`, for the one mapping they look at.
   */
  pairs: PairSlot[];
  flow: boolean;
  /**
   * Whether a key is a merge key (`<<`). The parser says so for every mapping it reads, so that the
   * many readers of `effectivePairs` need not look at every key of every mapping again (on a large
   * file those looks, each a fetch of a key from far away in memory, added up to 3–4 % of `tsq
   * simulate`); a mapping made elsewhere leaves it out and has its keys looked at.
   */
  merges?: boolean;
}

export interface YSeq extends NodeProps {
  kind: 'seq';
  start: number;
  end: number;
  items: YNode[];
  flow: boolean;
}

export interface YAlias extends NodeProps {
  kind: 'alias';
  start: number;
  end: number;
  name: string;
  /** The anchored node the alias points at; absent when the anchor is unknown or forms a cycle. */
  target?: YNode;
}

export type YNode = YScalar | YMap | YSeq | YAlias;

export interface YamlError {
  start: number;
  end: number;
  message: string;
  /** What the author can do about it. */
  hint?: string;
  severity?: 'error' | 'warning';
}

export interface YComment {
  /** Offset of `#`. */
  start: number;
  end: number;
}

export interface YamlDocument {
  text: string;
  root: YNode | null;
  errors: YamlError[];
  comments: YComment[];
  /** Some node carries an anchor (`&name`): aliases may tie distant parts of the file together. */
  anchored?: boolean;
  /**
   * Some mapping has a merge key (`<<`): its readers see pair lists copied from the tree
   * (`effectivePairs`), whose starts an edit moved in place would leave behind.
   */
  merged?: boolean;
}

/** How a scalar is written. */
export function styleOf(scalar: YScalar): ScalarStyle {
  return scalar.style ?? 'plain';
}

/** Follows an alias to the node it names (one level is enough: an alias never names an alias). */
export function deref(node: YNode | undefined | null): YNode | undefined {
  if (!node) return undefined;
  return node.kind === 'alias' ? node.target : node;
}

/** The number of pairs in a pair list. */
export function pairCount(pairs: PairList): number {
  return (pairs.length / SLOTS) | 0;
}

/** The value of pair `k`. */
export function valueAt(pairs: PairList, k: number): YNode {
  return pairs[SLOTS * k + 2] as YNode;
}

/** Where pair `k` starts: at its key, or at the `&anchor` or `!tag` written before it. */
export function pairStartAt(pairs: PairList, k: number): number {
  return pairs[SLOTS * k + 1] as number;
}

/** Where pair `k` ends: where its value ends. */
export function pairEndAt(pairs: PairList, k: number): number {
  return (pairs[SLOTS * k + 2] as YNode).end;
}

/** The text of pair `k`'s key when the key is a scalar (bare, quoted or block), else undefined. */
export function keyTextAt(pairs: PairList, k: number): string | undefined {
  const key = pairs[SLOTS * k] as YNode | string;
  if (typeof key === 'string') return key;
  return key.kind === 'scalar' ? key.text : undefined;
}

/** Whether pair `k`'s key is kept as its text: plain, single-line, with no anchor or tag (see `PairList`). */
export function isBareKeyAt(pairs: PairList, k: number): boolean {
  return typeof pairs[SLOTS * k] === 'string';
}

/** Where pair `k`'s key itself starts (after any `&anchor` or `!tag`). */
export function keyStartAt(pairs: PairList, k: number): number {
  const key = pairs[SLOTS * k] as YNode | string;
  return typeof key === 'string' ? (pairs[SLOTS * k + 1] as number) : key.start;
}

/** Where pair `k`'s key ends. */
export function keyEndAt(pairs: PairList, k: number): number {
  const key = pairs[SLOTS * k] as YNode | string;
  return typeof key === 'string' ? (pairs[SLOTS * k + 1] as number) + key.length : key.end;
}

/** The offsets of pair `k`'s key itself. */
export function keySpanAt(pairs: PairList, k: number): { start: number; end: number } {
  return { start: keyStartAt(pairs, k), end: keyEndAt(pairs, k) };
}

/** The key of pair `k` as a node when the list keeps it as one, else undefined (a bare key). */
export function keptKeyNodeAt(pairs: PairList, k: number): YNode | undefined {
  const key = pairs[SLOTS * k] as YNode | string;
  return typeof key === 'string' ? undefined : key;
}

/**
 * The key of pair `k` as a node. A bare key's node is made now, a new one at each call, with what
 * a plain scalar's node holds (its text, offsets and resolved value): compare keys by their starts.
 */
export function keyNodeAt(pairs: PairList, k: number): YNode {
  const key = pairs[SLOTS * k] as YNode | string;
  if (typeof key !== 'string') return key;
  const start = pairs[SLOTS * k + 1] as number;
  return { kind: 'scalar', start, end: start + key.length, text: key, value: resolvePlain(key) };
}

/** Whether pair `k`'s key is a merge key: a plain `<<`, whose value's pairs a loader merges in. */
export function isMergeKeyAt(pairs: PairList, k: number): boolean {
  const key = pairs[SLOTS * k] as YNode | string;
  return typeof key === 'string' ? key === '<<' : isMergeKey(key);
}

/**
 * The number of the last pair whose key's text is `key`, or -1 (last one wins, as in YAML loaders
 * that allow duplicates).
 */
export function pairIndexOf(pairs: PairList, key: string): number {
  for (let k = pairCount(pairs) - 1; k >= 0; k--) if (keyTextAt(pairs, k) === key) return k;
  return -1;
}

/** The number of the first pair whose key's text is `key`, or -1. */
export function firstPairIndexOf(pairs: PairList, key: string): number {
  const n = pairCount(pairs);
  for (let k = 0; k < n; k++) if (keyTextAt(pairs, k) === key) return k;
  return -1;
}

/** The number of the pair that starts at `start` (pairs are compared by start, see `YPair`), or -1. */
export function pairIndexAt(pairs: PairList, start: number): number {
  const n = pairCount(pairs);
  for (let k = 0; k < n; k++) if (pairStartAt(pairs, k) === start) return k;
  return -1;
}

/** The value of the last pair whose key is `key`. */
export function valueOf(pairs: PairList, key: string): YNode | undefined {
  const k = pairIndexOf(pairs, key);
  return k < 0 ? undefined : valueAt(pairs, k);
}

/**
 * The value of the first pair whose key is `key` (for readers that have always taken the first of
 * duplicated keys; the file is reported for them either way).
 */
export function firstValueOf(pairs: PairList, key: string): YNode | undefined {
  const k = firstPairIndexOf(pairs, key);
  return k < 0 ? undefined : valueAt(pairs, k);
}

/** The pair of `map` whose key is `key`, as an object (last one wins). */
export function findPair(map: YMap, key: string): YPair | undefined {
  const k = pairIndexOf(map.pairs, key);
  return k < 0 ? undefined : pairAt(map.pairs, k);
}

/** Where a key node starts, with the `&anchor` or `!tag` written before it. */
export function pairStartOf(key: YNode): number {
  let start = key.start;
  if (key.anchor !== undefined && key.anchor.start < start) start = key.anchor.start;
  if (key.tag !== undefined && key.tag.start < start) start = key.tag.start;
  return start;
}

/**
 * The number of the last pair starting at or before `offset` (pairs are in text order), or -1: a
 * binary search over the start slots, as `lastStartingAtOrBefore` does over nodes.
 */
export function lastPairAtOrBefore(pairs: PairList, offset: number): number {
  let lo = 0,
    hi = pairCount(pairs) - 1,
    found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((pairs[SLOTS * mid + 1] as number) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Pair `k` as an object (its key a node, see `keyNodeAt`). */
export function pairAt(pairs: PairList, k: number): YPair {
  const value = pairs[SLOTS * k + 2] as YNode;
  return { key: keyNodeAt(pairs, k), value, start: pairs[SLOTS * k + 1] as number, end: value.end };
}

/** The pairs of a pair list as objects, for readers that look at one mapping at a time. */
export function pairsOf(pairs: PairList): YPair[] {
  const out: YPair[] = [];
  const n = pairCount(pairs);
  for (let k = 0; k < n; k++) out.push(pairAt(pairs, k));
  return out;
}

/** Adds a pair whose key is a node to a pair list being made. */
export function pushPair(list: PairSlot[], key: YNode, value: YNode): void {
  list.push(key, pairStartOf(key), value);
}

/** Adds pair `k` of `pairs`, as it is kept there, to a pair list being made. */
export function pushPairOf(list: PairSlot[], pairs: PairList, k: number): void {
  list.push(pairs[SLOTS * k], pairs[SLOTS * k + 1], pairs[SLOTS * k + 2]);
}

/** A pair list of the given key and value nodes, alternating (for mappings made outside the reader). */
export function pairListOf(...keysAndValues: YNode[]): PairSlot[] {
  const list: PairSlot[] = [];
  for (let i = 0; i + 1 < keysAndValues.length; i += 2) pushPair(list, keysAndValues[i], keysAndValues[i + 1]);
  return list;
}

/** A copy of `pairs` in which pair `k`'s value is `value`. */
export function withValueAt(pairs: PairList, k: number, value: YNode): PairSlot[] {
  const out = pairs.slice();
  out[SLOTS * k + 2] = value;
  return out;
}

/** Moves pair `k`'s start by `delta` (for the incremental reader, which moves a tree in place). */
export function movePairStart(pairs: PairSlot[], k: number, delta: number): void {
  pairs[SLOTS * k + 1] = (pairs[SLOTS * k + 1] as number) + delta;
}

/** Replaces a bare key's text by the same characters held elsewhere (`own` in ./incremental.ts). */
export function replaceBareKeyText(pairs: PairSlot[], k: number, text: string): void {
  pairs[SLOTS * k] = text;
}

/** Whether `key` is a merge key: a plain `<<`, whose value's pairs a loader merges into the mapping. */
export function isMergeKey(key: YNode): boolean {
  return key.kind === 'scalar' && key.text === '<<' && key.style === undefined;
}

/** Whether a pair of `pairs` has a merge key. */
export function hasMergeKey(pairs: PairList): boolean {
  const n = pairCount(pairs);
  for (let k = 0; k < n; k++) if (isMergeKeyAt(pairs, k)) return true;
  return false;
}

/**
 * Where a reader that keeps a key, rather than its text, keeps it: the pair list and the pair's
 * number. A node made by `keyNodeAt` would not follow an edit (model/yaml/incremental.ts moves the
 * nodes and starts of the tree in place, not nodes made from it); a span read through this does.
 */
export interface KeyAt {
  readonly pairs: PairList;
  readonly at: number;
}

/** The span of the key `ref` points at. */
export function keySpanOf(ref: KeyAt): { start: number; end: number } {
  return keySpanAt(ref.pairs, ref.at);
}

export function isMap(n: YNode | undefined | null): n is YMap {
  return !!n && n.kind === 'map';
}
export function isSeq(n: YNode | undefined | null): n is YSeq {
  return !!n && n.kind === 'seq';
}
export function isScalar(n: YNode | undefined | null): n is YScalar {
  return !!n && n.kind === 'scalar';
}
