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
  style: ScalarStyle;
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

export interface YPair {
  key: YNode;
  value: YNode;
  start: number;
  end: number;
}

export interface YMap extends NodeProps {
  kind: 'map';
  start: number;
  end: number;
  items: YPair[];
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

/** Follows an alias to the node it names (one level is enough: an alias never names an alias). */
export function deref(node: YNode | undefined | null): YNode | undefined {
  if (!node) return undefined;
  return node.kind === 'alias' ? node.target : node;
}

/** The pair of `map` whose plain key is `key` (last one wins, as in YAML loaders that allow duplicates). */
export function findPair(map: YMap, key: string): YPair | undefined {
  const items = map.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const k = items[i].key;
    if (k.kind === 'scalar' && k.text === key) return items[i];
  }
  return undefined;
}

/** Whether `key` is a merge key: a plain `<<`, whose value's pairs a loader merges into the mapping. */
export function isMergeKey(key: YNode): boolean {
  return key.kind === 'scalar' && key.text === '<<' && key.style === 'plain';
}

/** Whether a pair of `items` has a merge key. */
export function hasMergeKey(items: readonly YPair[]): boolean {
  for (let i = 0; i < items.length; i++) if (isMergeKey(items[i].key)) return true;
  return false;
}

/** The key of a pair as text, or undefined when the key is not a scalar. */
export function keyText(pair: YPair): string | undefined {
  return pair.key.kind === 'scalar' ? pair.key.text : undefined;
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
