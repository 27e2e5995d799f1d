// Resolves aliases and merge keys (`<<: *base`) under a budget. A YAML file of a few lines can
// describe an exponentially large value through nested aliases, and a long text that many aliases
// name is as large as all its copies; every consumer that expands aliases (the typed model, schema
// validation, the messages and files made from values) draws from one budget per file and reports
// the alias where the budget runs out, instead of hanging or running out of memory. The budget
// counts long text by its length, so it bounds what printing the values (a message, the exported
// XML) can produce, not only how many values there are.

import {
  hasMergeKey,
  isMergeKeyAt,
  keptKeyNodeAt,
  keyTextAt,
  pairCount,
  pushPairOf,
  valueAt,
  type PairList,
  type PairSlot,
  type YMap,
  type YNode,
  type YamlError,
} from './nodes';

/** How many nodes a file may expand to through aliases and merge keys, beyond its own size. */
export const DEFAULT_EXPANSION_BUDGET = 200_000;

/** A scalar weighs one node, plus one for every this many characters of its text. */
export const CHARACTERS_PER_NODE = 64;

export class ExpansionBudget {
  private readonly sizes = new Map<YNode, number>();
  /** Aliases already paid for: every consumer of the file may expand them again for free. */
  private readonly charged = new Set<YNode>();
  private used = 0;
  readonly errors: YamlError[] = [];
  private reported = false;

  constructor(private readonly limit: number = DEFAULT_EXPANSION_BUDGET) {}

  /**
   * Number of nodes `node` stands for once every alias inside it is expanded, a long text counting
   * by its length (memoised, saturating).
   */
  expandedSize(node: YNode): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (node.kind === 'scalar') size += Math.floor(node.text.length / CHARACTERS_PER_NODE);
    else if (node.kind === 'alias') size = node.target ? this.expandedSize(node.target) : 1;
    else if (node.kind === 'map') {
      const pairs = node.pairs;
      for (let k = 0, n = pairCount(pairs); k < n; k++) {
        const key = keptKeyNodeAt(pairs, k);
        // A bare key weighs what its node would (see `PairList`).
        size += key ? this.expandedSize(key) : 1 + Math.floor(keyTextAt(pairs, k)!.length / CHARACTERS_PER_NODE);
        size += this.expandedSize(valueAt(pairs, k));
      }
    } else if (node.kind === 'seq') for (const it of node.items) size += this.expandedSize(it);
    size = Math.min(size, Number.MAX_SAFE_INTEGER);
    this.sizes.set(node, size);
    return size;
  }

  /**
   * Asks to expand `alias`. Returns its target when the budget allows it; otherwise reports the
   * alias once and returns undefined (the caller treats the value as missing).
   */
  expand(alias: YNode): YNode | undefined {
    if (alias.kind !== 'alias') return alias;
    const target = alias.target;
    if (!target) return undefined;
    if (this.charged.has(alias)) return target;
    const cost = this.expandedSize(target);
    if (this.used + cost > this.limit) {
      if (!this.reported) {
        this.reported = true;
        this.errors.push({
          start: alias.start,
          end: alias.end,
          message: `Aliases in this file expand to more than ${this.limit.toLocaleString('en-US')} values; tsq stops expanding them here.`,
          hint: `Aliases that refer to aliases multiply in size, and so does a long text that many aliases refer to (every ${CHARACTERS_PER_NODE} characters count as a value). Write the values out, or use fewer aliases.`,
        });
      }
      return undefined;
    }
    this.used += cost;
    this.charged.add(alias);
    return target;
  }
}

/**
 * The pairs of a mapping as a loader sees them, a `PairList` as `YMap.pairs` is:
 * merge keys (`<<: *base` or `<<: [*a, *b]`) bring in the pairs of the merged mappings, and
 * explicit keys win over merged ones. A mapping without merge keys returns its own list.
 */
export function effectivePairs(map: YMap, budget: ExpansionBudget): PairList {
  const pairs = map.pairs;
  if (!(map.merges ?? hasMergeKey(pairs))) return pairs;
  const own: PairSlot[] = [];
  const merged: PairSlot[] = [];
  for (let k = 0, n = pairCount(pairs); k < n; k++) {
    if (isMergeKeyAt(pairs, k)) {
      const value = valueAt(pairs, k);
      const sources = value.kind === 'seq' ? value.items : [value];
      for (const s of sources) {
        const m = s.kind === 'alias' ? budget.expand(s) : s;
        if (m && m.kind === 'map') {
          const from = effectivePairs(m, budget);
          for (let j = 0, count = pairCount(from); j < count; j++) pushPairOf(merged, from, j);
        }
      }
    } else pushPairOf(own, pairs, k);
  }
  const ownKeys = new Set<string>();
  for (let k = 0, n = pairCount(own); k < n; k++) ownKeys.add(keyName(own, k));
  const seen = new Set<string>();
  const result: PairSlot[] = [];
  for (let k = 0, n = pairCount(merged); k < n; k++) {
    const name = keyName(merged, k);
    if (ownKeys.has(name) || seen.has(name)) continue;
    seen.add(name);
    pushPairOf(result, merged, k);
  }
  for (let k = 0, n = pairCount(own); k < n; k++) pushPairOf(result, own, k);
  return result;
}

/** A key's text for telling merged keys apart; keys that are not text are all ''. */
function keyName(pairs: PairList, k: number): string {
  return keyTextAt(pairs, k) ?? '';
}

/** The node a value stands for: aliases are expanded through the budget. */
export function resolve(node: YNode | undefined, budget: ExpansionBudget): YNode | undefined {
  if (!node) return undefined;
  return node.kind === 'alias' ? budget.expand(node) : node;
}

/** Converts a node to a plain JavaScript value (for schema validation), expanding aliases and merges. */
export function toJS(node: YNode | undefined | null, budget: ExpansionBudget): unknown {
  if (!node) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'alias': {
      const t = budget.expand(node);
      return t ? toJS(t, budget) : null;
    }
    case 'seq':
      return node.items.map((it) => toJS(it, budget));
    case 'map': {
      const out: Record<string, unknown> = {};
      const pairs = effectivePairs(node, budget);
      for (let i = 0, n = pairCount(pairs); i < n; i++) {
        const k = pairNameAt(pairs, i, budget);
        if (k === undefined) continue;
        const v = toJS(valueAt(pairs, i), budget);
        // `__proto__` must stay data, not change the prototype: define it as an own property.
        // Every other key is assigned (the same own data property, and much faster on big files).
        if (k === '__proto__')
          Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        else out[k] = v;
      }
      return out;
    }
  }
}

/**
 * The property name a pair gets in a plain value from its `key`: the key's text. A key that is an alias to text is
 * named by that text in quotes, which no tsq property is called (the typed models do not follow
 * such keys either). A list or mapping as a key has no name: the reader reports it, and its pair is
 * left out rather than named by printing the key, which for keys nested in keys doubles in length at
 * every level.
 */
export function pairNameAt(pairs: PairList, k: number, budget: ExpansionBudget): string | undefined {
  const text = keyTextAt(pairs, k);
  if (text !== undefined) return text;
  const key = keptKeyNodeAt(pairs, k);
  if (key?.kind !== 'alias') return undefined;
  const target = budget.expand(key);
  return target?.kind === 'scalar' ? JSON.stringify(target.text) : undefined;
}

/**
 * Expands every alias of the tree once, through the budget, without building values: run when a
 * file is read, so an expansion that is too large is reported with the file's first findings
 * whichever consumer would have hit it first.
 */
export function checkExpansion(node: YNode | null, budget: ExpansionBudget): void {
  const visit = (n: YNode | undefined, depth: number): void => {
    if (!n || depth > 1000) return;
    switch (n.kind) {
      case 'alias': {
        const t = budget.expand(n);
        if (t) visit(t, depth + 1);
        return;
      }
      case 'seq':
        for (const it of n.items) visit(it, depth + 1);
        return;
      case 'map': {
        const pairs = effectivePairs(n, budget);
        for (let k = 0, count = pairCount(pairs); k < count; k++) {
          visit(keptKeyNodeAt(pairs, k), depth + 1);
          visit(valueAt(pairs, k), depth + 1);
        }
        return;
      }
      default:
        return; // a scalar expands to nothing
    }
  };
  if (node) visit(node, 0);
}
