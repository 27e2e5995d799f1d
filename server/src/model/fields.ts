// Reading typed fields out of YAML mappings for the model builders. Builders are lenient: a field
// of the wrong shape is simply absent from the model (the schema rules report it), so a model can
// always be built from whatever the author has typed so far.

import { keyNodeAt, pairIndexOf, valueAt, type PairList, type YMap, type YNode, type YScalar } from './yaml/nodes';
import { ExpansionBudget, effectivePairs, resolve, toJS } from './yaml/expand';
import type { Span } from './text';

export interface Located<T> {
  value: T;
  span: Span;
}

export function spanOf(node: { start: number; end: number }): Span {
  return { start: node.start, end: node.end };
}

export class MapReader {
  /** The pairs (`PairList`), merged pairs included. */
  readonly pairs: PairList;

  constructor(
    readonly mapping: YMap,
    readonly budget: ExpansionBudget,
  ) {
    this.pairs = effectivePairs(mapping, budget);
  }

  /** The key of the last pair whose key is `key`, as a node (made now for a bare key, see `keyNodeAt`). */
  key(key: string): YNode | undefined {
    const k = pairIndexOf(this.pairs, key);
    return k < 0 ? undefined : keyNodeAt(this.pairs, k);
  }

  /** The value node of the last pair whose key is `key`, as written (aliases not resolved). */
  value(key: string): YNode | undefined {
    const k = pairIndexOf(this.pairs, key);
    return k < 0 ? undefined : valueAt(this.pairs, k);
  }

  has(key: string): boolean {
    return pairIndexOf(this.pairs, key) >= 0;
  }

  node(key: string): YNode | undefined {
    return resolve(this.value(key), this.budget);
  }

  scalar(key: string): YScalar | undefined {
    return scalarOf(this.value(key), this.budget);
  }

  /** A scalar field as text (numbers keep their written form: `id: 0123` is "0123"). */
  string(key: string): Located<string> | undefined {
    return stringOf(this.value(key), this.budget);
  }

  bool(key: string): Located<boolean> | undefined {
    return boolOf(this.value(key), this.budget);
  }

  integer(key: string): Located<number> | undefined {
    return integerOf(this.value(key), this.budget);
  }

  map(key: string): YMap | undefined {
    const n = this.node(key);
    return n && n.kind === 'map' ? n : undefined;
  }

  /** Items of a sequence field, aliases resolved. */
  list(key: string): YNode[] {
    const n = this.node(key);
    if (!n || n.kind !== 'seq') return [];
    const out: YNode[] = [];
    for (const it of n.items) {
      const r = resolve(it, this.budget);
      if (r) out.push(r);
    }
    return out;
  }

  /** A sequence of scalars as text, or a single scalar as a one-item list. */
  strings(key: string): Located<string>[] {
    const n = this.node(key);
    if (!n) return [];
    if (n.kind === 'scalar') return n.value === null ? [] : [{ value: n.text, span: spanOf(n) }];
    return this.list(key)
      .filter((x): x is YScalar => x.kind === 'scalar' && x.value !== null)
      .map((x) => ({ value: x.text, span: spanOf(x) }));
  }

  js(key: string): unknown {
    const v = this.value(key);
    return v ? toJS(v, this.budget) : undefined;
  }
}

// The same readings for the value of a pair already found (builders that read many fields of a
// mapping find them all in one pass instead of searching the pairs once per field).

/** `value` when it is a scalar actually written (not the empty value of `key:`). */
export function scalarOf(value: YNode | undefined, budget: ExpansionBudget): YScalar | undefined {
  const n = resolve(value, budget);
  return n && n.kind === 'scalar' && !n.implicit ? n : undefined;
}

/** The written scalar `value` when it holds text (anything but null): what `stringOf` reads. */
export function textScalarOf(value: YNode | undefined, budget: ExpansionBudget): YScalar | undefined {
  const s = scalarOf(value, budget);
  return s && s.value !== null ? s : undefined;
}

/** The written scalar `value` when it is a boolean: what `boolOf` reads. */
export function boolScalarOf(
  value: YNode | undefined,
  budget: ExpansionBudget,
): (YScalar & { value: boolean }) | undefined {
  const s = scalarOf(value, budget);
  return s && typeof s.value === 'boolean' ? (s as YScalar & { value: boolean }) : undefined;
}

/** The written scalar `value` when it is a whole number: what `integerOf` reads. */
export function integerScalarOf(
  value: YNode | undefined,
  budget: ExpansionBudget,
): (YScalar & { value: number }) | undefined {
  const s = scalarOf(value, budget);
  return s && typeof s.value === 'number' && Number.isInteger(s.value) ? (s as YScalar & { value: number }) : undefined;
}

/** `value` as text (see `MapReader.string`). */
function stringOf(value: YNode | undefined, budget: ExpansionBudget): Located<string> | undefined {
  const s = textScalarOf(value, budget);
  return s && { value: s.text, span: spanOf(s) };
}

function boolOf(value: YNode | undefined, budget: ExpansionBudget): Located<boolean> | undefined {
  const s = boolScalarOf(value, budget);
  return s && { value: s.value, span: spanOf(s) };
}

function integerOf(value: YNode | undefined, budget: ExpansionBudget): Located<number> | undefined {
  const s = integerScalarOf(value, budget);
  return s && { value: s.value, span: spanOf(s) };
}

export function asMap(node: YNode | undefined, budget: ExpansionBudget): YMap | undefined {
  const n = resolve(node, budget);
  return n && n.kind === 'map' ? n : undefined;
}

/** `90` (seconds), `90s`, `15m`, `2h`, `1h30m`. */
export function parseDuration(text: string, value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const re = /(\d+(?:\.\d+)?)\s*(h|m|s)/gi;
  let total = 0,
    matched = '',
    m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const n = Number(m[1]);
    total += m[2].toLowerCase() === 'h' ? n * 3600 : m[2].toLowerCase() === 'm' ? n * 60 : n;
    matched += m[0];
  }
  return matched.replace(/\s/g, '') === text.replace(/\s/g, '') && matched ? total : undefined;
}
