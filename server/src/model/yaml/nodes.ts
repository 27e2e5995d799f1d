// The YAML syntax tree that every tsq file kind is read into: maps, sequences, scalars and aliases,
// each carrying exact source offsets [start, end) into the file text (UTF-16 code units, the unit
// of JavaScript strings and of LSP positions). Typed models (sequence, catalog, ...) are views over it.

export type ScalarValue = string | number | boolean | null;
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
 * A mapping's pair as one object, made when asked for (`pairsOf`): the tree itself keeps no pair
 * objects (see `YMap.pairs`). Its offsets run from the key (with any `&anchor` or `!tag` written
 * before it) to the end of the value.
 */
export interface YPair {
  key: YNode;
  value: YNode;
  start: number;
  end: number;
}

/**
 * The keys and values of a mapping's pairs, alternating: pair `i`'s key at `2 * i`, its value at
 * `2 * i + 1`. What `YMap.pairs` holds and `effectivePairs` returns.
 */
export type PairList = readonly YNode[];

export interface YMap extends NodeProps {
  kind: 'map';
  start: number;
  end: number;
  /**
   * The pairs, as a `PairList`: keys and values alternating in one list. A pair object per pair
   * (`{ key, value, start, end }`) was a fifth of the tree's objects (six a step, 56 bytes each,
   * 600,000 on the 100,000-step bench file), all made while parsing and all kept; a pair's offsets
   * are its key's and its value's (see `pairStart`, `pairEnd`). Read it with the helpers below;
   * readers that want pair objects make them with `pairsOf`, for the one mapping they look at.
   */
  pairs: YNode[];
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
  return pairs.length >> 1;
}

/**
 * Where in `pairs` the key of the last pair whose plain key is `key` is (its value follows it), or
 * -1 (last one wins, as in YAML loaders that allow duplicates).
 */
export function keyIndex(pairs: PairList, key: string): number {
  for (let i = pairs.length - 2; i >= 0; i -= 2) {
    const k = pairs[i];
    if (k.kind === 'scalar' && k.text === key) return i;
  }
  return -1;
}

/** The value of the last pair whose plain key is `key`. */
export function valueOf(pairs: PairList, key: string): YNode | undefined {
  const i = keyIndex(pairs, key);
  return i < 0 ? undefined : pairs[i + 1];
}

/**
 * The value of the first pair whose plain key is `key` (for readers that have always taken the
 * first of duplicated keys; the file is reported for them either way).
 */
export function firstValueOf(pairs: PairList, key: string): YNode | undefined {
  for (let i = 0; i < pairs.length; i += 2) {
    const k = pairs[i];
    if (k.kind === 'scalar' && k.text === key) return pairs[i + 1];
  }
  return undefined;
}

/** The key node of the last pair whose plain key is `key`. */
export function keyOf(pairs: PairList, key: string): YNode | undefined {
  const i = keyIndex(pairs, key);
  return i < 0 ? undefined : pairs[i];
}

/** The pair of `map` whose plain key is `key`, as an object (last one wins). */
export function findPair(map: YMap, key: string): YPair | undefined {
  const i = keyIndex(map.pairs, key);
  return i < 0 ? undefined : pairAt(map.pairs, i);
}

/** Where a key starts, with the `&anchor` or `!tag` written before it. */
export function pairStartOf(key: YNode): number {
  let start = key.start;
  if (key.anchor !== undefined && key.anchor.start < start) start = key.anchor.start;
  if (key.tag !== undefined && key.tag.start < start) start = key.tag.start;
  return start;
}

/**
 * Where in `pairs` the key of the last pair starting at or before `offset` is (pairs are in text
 * order), or -1: a binary search, as `lastStartingAtOrBefore` does over nodes.
 */
export function lastPairStartingAtOrBefore(pairs: PairList, offset: number): number {
  let lo = 0,
    hi = (pairs.length >> 1) - 1,
    found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (pairStartOf(pairs[2 * mid]) <= offset) {
      found = 2 * mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The pair whose key is at index `i` (even) of `pairs`, as an object. */
export function pairAt(pairs: PairList, i: number): YPair {
  const key = pairs[i],
    value = pairs[i + 1];
  return { key, value, start: pairStartOf(key), end: value.end };
}

/** The pairs of a pair list as objects, for readers that look at one mapping at a time. */
export function pairsOf(pairs: PairList): YPair[] {
  const out: YPair[] = [];
  for (let i = 0; i < pairs.length; i += 2) out.push(pairAt(pairs, i));
  return out;
}

/** Whether `key` is a merge key: a plain `<<`, whose value's pairs a loader merges into the mapping. */
export function isMergeKey(key: YNode): boolean {
  return key.kind === 'scalar' && key.text === '<<' && key.style === undefined;
}

/** Whether a pair of `pairs` has a merge key. */
export function hasMergeKey(pairs: PairList): boolean {
  for (let i = 0; i < pairs.length; i += 2) if (isMergeKey(pairs[i])) return true;
  return false;
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
