// Reading typed fields out of YAML mappings for the model builders. Builders are lenient: a field
// of the wrong shape is simply absent from the model (the schema rules report it), so a model can
// always be built from whatever the author has typed so far.

import type { YMap, YNode, YPair, YScalar } from './yaml/nodes';
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
  readonly pairs: YPair[];

  constructor(readonly mapping: YMap, readonly budget: ExpansionBudget) {
    this.pairs = effectivePairs(mapping, budget);
  }

  pair(key: string): YPair | undefined {
    const ps = this.pairs;
    for (let i = ps.length - 1; i >= 0; i--) {
      const k = ps[i].key;
      if (k.kind === 'scalar' && k.text === key) return ps[i];
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.pair(key) !== undefined;
  }

  node(key: string): YNode | undefined {
    return resolve(this.pair(key)?.value, this.budget);
  }

  scalar(key: string): YScalar | undefined {
    const n = this.node(key);
    return n && n.kind === 'scalar' && !n.implicit ? n : undefined;
  }

  /** A scalar field as text (numbers keep their written form: `id: 0123` is "0123"). */
  string(key: string): Located<string> | undefined {
    const s = this.scalar(key);
    if (!s || s.value === null) return undefined;
    return { value: s.text, span: spanOf(s) };
  }

  bool(key: string): Located<boolean> | undefined {
    const s = this.scalar(key);
    return s && typeof s.value === 'boolean' ? { value: s.value, span: spanOf(s) } : undefined;
  }

  integer(key: string): Located<number> | undefined {
    const s = this.scalar(key);
    return s && typeof s.value === 'number' && Number.isInteger(s.value) ? { value: s.value, span: spanOf(s) } : undefined;
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
    return this.list(key).filter((x): x is YScalar => x.kind === 'scalar' && x.value !== null).map((x) => ({ value: x.text, span: spanOf(x) }));
  }

  js(key: string): unknown {
    const p = this.pair(key);
    return p ? toJS(p.value, this.budget) : undefined;
  }
}

/** The value node of `pair` with aliases resolved. */
export function valueOf(pair: YPair, budget: ExpansionBudget): YNode | undefined {
  return resolve(pair.value, budget);
}

export function asMap(node: YNode | undefined, budget: ExpansionBudget): YMap | undefined {
  const n = resolve(node, budget);
  return n && n.kind === 'map' ? n : undefined;
}
