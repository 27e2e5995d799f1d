// Semantic comparison of two `<sequence>` documents, for `tsq diff` and the round-trip tests.
// Same tree, order, names, attributes, variables, conditions and references count; what does
// not change behaviour does not: whitespace, attribute and setting order, the order of a step's
// condition/action/settings, `false`/absent flags, `description=""`, `retryCount="0"`, empty
// `<condition/>` and group `<action/>`, spelling of booleans, enum aliases and condition
// operators, blank runs in command lines, the referenceList's order, the element MDT uses to
// fake a Run Task Sequence step, and secret values (exports never carry them). docs/interop.md
// lists every rule.

import { propertyForXmlVariableElement, stepByXmlType } from '../../catalog';
import type { StepDefinition } from '../../catalog/types';
import { fromConfigMgr, toConfigMgr } from '../../conditions';
import { conditionFromXml } from '../condition-xml';
import { normaliseCommandLine } from '../steps/action-text';
import { sameXmlValue } from '../steps/values';
import { attr, childElements, textOf, type XmlElement } from '../xml/tree';
import { writeXml } from '../xml/write';

export interface Difference {
  /** Where: `Group › Step` (empty for the sequence itself). */
  path: string;
  message: string;
}

const SUB_TYPE = 'sms_tasksequence_subtasksequence';
const FLAG_ATTRS = new Set(['disable', 'continueOnError', 'runFromNet']);

const isNode = (e: XmlElement) => e.name === 'group' || e.name === 'step' || e.name === 'subtasksequence';
const compact = (e: XmlElement) => writeXml(e, { indent: '' });
const show = (s: string | undefined) => (s === undefined ? '(none)' : JSON.stringify(s));

function nodeKind(e: XmlElement): string {
  if (e.name === 'group') return 'group';
  return (attr(e, 'type') ?? '').toLowerCase() === SUB_TYPE ? 'subtasksequence' : e.name;
}

function nodeLabel(e: XmlElement): string {
  return attr(e, 'name') ?? `(unnamed ${e.name})`;
}

/** Attribute value as the engine reads it, for comparison. */
function normalisedAttrs(e: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(e.attrs)) {
    if (k === 'description' && v === '') continue;
    if (FLAG_ATTRS.has(k)) {
      if (v.trim().toLowerCase() === 'false') continue;
      out.set(k, v.trim().toLowerCase());
      continue;
    }
    if (k === 'retryCount' && v.trim() === '0') continue;
    if (k === 'successCodeList') {
      out.set(k, v.trim().split(/\s+/).join(' '));
      continue;
    }
    out.set(k, v);
  }
  return out;
}

function canonicalCondition(e: XmlElement | undefined): string | undefined {
  if (!e) return undefined;
  const cm = conditionFromXml(e);
  if (!cm) return compact(e);
  if (cm.children.length === 0) return undefined;
  const r = fromConfigMgr(cm);
  return r.ast ? JSON.stringify(toConfigMgr(r.ast)) : compact(e);
}

function describeCondition(e: XmlElement | undefined): string {
  return e ? compact(e) : '(none)';
}

interface NodeParts {
  condition?: XmlElement;
  action?: string;
  variables: XmlElement[];
  hasVarList: boolean;
  children: XmlElement[];
  others: string[];
}

function partsOf(e: XmlElement): NodeParts {
  const p: NodeParts = { variables: [], hasVarList: false, children: [], others: [] };
  for (const c of childElements(e)) {
    if (c.name === 'condition' && !p.condition) p.condition = c;
    else if (c.name === 'action' && p.action === undefined) p.action = textOf(c);
    else if (c.name === 'defaultVarList' && !p.hasVarList) {
      p.hasVarList = true;
      p.variables = childElements(c);
    } else if (isNode(c)) p.children.push(c);
    else p.others.push(compact(c));
  }
  return p;
}

class Differ {
  readonly out: Difference[] = [];

  add(path: string[], message: string): void {
    this.out.push({ path: path.join(' › '), message });
  }

  compareAttrs(a: XmlElement, b: XmlElement, path: string[], skip: string[] = []): void {
    const ma = normalisedAttrs(a),
      mb = normalisedAttrs(b);
    for (const k of new Set([...ma.keys(), ...mb.keys()])) {
      if (skip.includes(k)) continue;
      if (k === 'type' && (ma.get(k) ?? '').toLowerCase() === SUB_TYPE && (mb.get(k) ?? '').toLowerCase() === SUB_TYPE)
        continue;
      if (ma.get(k) !== mb.get(k)) this.add(path, `attribute ${k}: ${show(ma.get(k))} → ${show(mb.get(k))}`);
    }
  }

  compareMultiset(a: string[], b: string[], path: string[], what: string): void {
    const rest = [...b];
    for (const x of a) {
      const i = rest.indexOf(x);
      if (i >= 0) rest.splice(i, 1);
      else this.add(path, `${what} only in the first: ${x}`);
    }
    for (const x of rest) this.add(path, `${what} only in the second: ${x}`);
  }

  compareVariables(a: XmlElement[], b: XmlElement[], def: StepDefinition | undefined, path: string[]): void {
    const key = (v: XmlElement) =>
      v.name === 'variable' && attr(v, 'name') !== undefined ? attr(v, 'name')! : `#${compact(v)}`;
    const group = (list: XmlElement[]) => {
      const m = new Map<string, XmlElement[]>();
      for (const v of list) {
        const k = key(v);
        if (!m.has(k)) m.set(k, []);
        m.get(k)!.push(v);
      }
      return m;
    };
    const ga = group(a),
      gb = group(b);
    for (const k of new Set([...ga.keys(), ...gb.keys()])) {
      const la = ga.get(k) ?? [],
        lb = gb.get(k) ?? [];
      if (k.startsWith('#')) {
        if (la.length !== lb.length)
          this.add(
            path,
            `setting ${k.slice(1)} appears ${la.length} time(s) in the first and ${lb.length} in the second`,
          );
        continue;
      }
      if (la.length === 0) {
        this.add(path, `setting ${k} only in the second: ${show(textOf(lb[0]))}`);
        continue;
      }
      if (lb.length === 0) {
        this.add(path, `setting ${k} only in the first: ${show(textOf(la[0]))}`);
        continue;
      }
      if (la.length !== lb.length)
        this.add(path, `setting ${k} is listed ${la.length} time(s) in the first and ${lb.length} in the second`);
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const va = la[i],
          vb = lb[i];
        const pa = attr(va, 'property'),
          pb = attr(vb, 'property');
        if (pa !== pb) this.add(path, `setting ${k}: property ${show(pa)} → ${show(pb)}`);
        const ha = (attr(va, 'hidden') ?? '').toLowerCase() === 'true',
          hb = (attr(vb, 'hidden') ?? '').toLowerCase() === 'true';
        if (ha !== hb) this.add(path, `setting ${k}: hidden ${ha} → ${hb}`);
        const match = def ? propertyForXmlVariableElement(def, { name: k, property: pa }) : undefined;
        const p = match?.item ?? match?.property;
        if (!sameXmlValue(p, textOf(va), textOf(vb)))
          this.add(path, `setting ${k}: ${show(textOf(va))} → ${show(textOf(vb))}`);
        for (const extra of new Set([...Object.keys(va.attrs), ...Object.keys(vb.attrs)])) {
          if (extra === 'name' || extra === 'property' || extra === 'hidden') continue;
          if (attr(va, extra) !== attr(vb, extra))
            this.add(path, `setting ${k}: attribute ${extra} ${show(attr(va, extra))} → ${show(attr(vb, extra))}`);
        }
      }
    }
  }

  compareNode(a: XmlElement, b: XmlElement, path: string[]): void {
    const kind = nodeKind(a);
    if (kind !== nodeKind(b)) {
      this.add(path, `a ${kind} in the first, a ${nodeKind(b)} in the second`);
      return;
    }
    this.compareAttrs(a, b, path);
    const pa = partsOf(a),
      pb = partsOf(b);
    if (canonicalCondition(pa.condition) !== canonicalCondition(pb.condition)) {
      this.add(path, `condition: ${describeCondition(pa.condition)} → ${describeCondition(pb.condition)}`);
    }
    if (kind === 'group') {
      const ga = (pa.action ?? '').trim(),
        gb = (pb.action ?? '').trim();
      if (ga !== gb) this.add(path, `group action: ${show(ga)} → ${show(gb)}`);
      this.compareChildren(pa.children, pb.children, path);
    } else {
      if (normaliseCommandLine(pa.action ?? '') !== normaliseCommandLine(pb.action ?? ''))
        this.add(path, `command line: ${show(pa.action)} → ${show(pb.action)}`);
      const type = attr(a, 'type');
      const def = type !== undefined ? stepByXmlType(type) : undefined;
      this.compareVariables(pa.variables, pb.variables, def, path);
      if (pa.children.length || pb.children.length) this.compareChildren(pa.children, pb.children, path);
    }
    this.compareMultiset(pa.others, pb.others, path, 'element');
  }

  /** Aligns two child lists by kind and name (longest common subsequence), then compares pairs. */
  compareChildren(a: XmlElement[], b: XmlElement[], path: string[]): void {
    const key = (e: XmlElement) => `${nodeKind(e)}\u0000${nodeLabel(e)}`;
    const ka = a.map(key),
      kb = b.map(key);
    const pairs = align(ka, kb);
    let i = 0,
      j = 0;
    for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
      // Unpaired runs on both sides at the same place are compared position by position (a rename).
      while (i < pi && j < pj) {
        this.compareNode(a[i], b[j], [
          ...path,
          nodeLabel(a[i]) === nodeLabel(b[j]) ? nodeLabel(a[i]) : `${nodeLabel(a[i])} / ${nodeLabel(b[j])}`,
        ]);
        i++;
        j++;
      }
      for (; i < pi; i++)
        this.add(path, `${nodeKind(a[i])} "${nodeLabel(a[i])}" (position ${i + 1}) is only in the first`);
      for (; j < pj; j++)
        this.add(path, `${nodeKind(b[j])} "${nodeLabel(b[j])}" (position ${j + 1}) is only in the second`);
      if (pi < a.length && pj < b.length) this.compareNode(a[pi], b[pj], [...path, nodeLabel(a[pi])]);
      i = pi + 1;
      j = pj + 1;
    }
  }
}

/** Index pairs of a longest common subsequence (falls back to none on very long lists). */
function align(a: string[], b: string[]): [number, number][] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length,
    endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: [number, number][] = [];
  for (let k = 0; k < start; k++) head.push([k, k]);
  const tail: [number, number][] = [];
  for (let k = 0; k < a.length - endA; k++) tail.push([endA + k, endB + k]);
  const n = endA - start,
    m = endB - start;
  const middle: [number, number][] = [];
  if (n > 0 && m > 0 && n * m <= 4_000_000) {
    const dp: Uint32Array[] = [];
    for (let x = 0; x <= n; x++) dp.push(new Uint32Array(m + 1));
    for (let x = n - 1; x >= 0; x--) {
      for (let y = m - 1; y >= 0; y--) {
        dp[x][y] = a[start + x] === b[start + y] ? dp[x + 1][y + 1] + 1 : Math.max(dp[x + 1][y], dp[x][y + 1]);
      }
    }
    let x = 0,
      y = 0;
    while (x < n && y < m) {
      if (a[start + x] === b[start + y]) {
        middle.push([start + x, start + y]);
        x++;
        y++;
      } else if (dp[x + 1][y] >= dp[x][y + 1]) x++;
      else y++;
    }
  }
  return [...head, ...middle, ...tail];
}

function references(root: XmlElement): Set<string> {
  const out = new Set<string>();
  for (const c of childElements(root)) {
    if (c.name !== 'referenceList') continue;
    for (const r of childElements(c)) {
      const app = attr(r, 'application');
      out.add(
        app !== undefined
          ? `application ${app}`
          : `package ${(attr(r, 'package') ?? '').toUpperCase()}${attr(r, 'program') !== undefined ? ` program ${attr(r, 'program')}` : ''}`,
      );
    }
  }
  return out;
}

function globals(root: XmlElement): Map<string, { property?: string; value: string }> {
  const out = new Map<string, { property?: string; value: string }>();
  for (const c of childElements(root)) {
    if (c.name !== 'globalVarList') continue;
    for (const v of childElements(c))
      out.set(attr(v, 'name') ?? compact(v), { property: attr(v, 'property'), value: textOf(v) });
  }
  return out;
}

/** The differences between two `<sequence>` elements; empty when they mean the same. */
export function diffSequences(a: XmlElement, b: XmlElement): Difference[] {
  const d = new Differ();
  if (a.name !== 'sequence' || b.name !== 'sequence') {
    d.add([], `root elements <${a.name}> and <${b.name}>: both must be <sequence>`);
    return d.out;
  }
  d.compareAttrs(a, b, []);
  const ra = references(a),
    rb = references(b);
  for (const r of ra) if (!rb.has(r)) d.add([], `reference ${r} is only in the first`);
  for (const r of rb) if (!ra.has(r)) d.add([], `reference ${r} is only in the second`);
  const ga = globals(a),
    gb = globals(b);
  for (const k of new Set([...ga.keys(), ...gb.keys()])) {
    const x = ga.get(k),
      y = gb.get(k);
    if (!x || !y) d.add([], `sequence variable ${k} is only in the ${x ? 'first' : 'second'}`);
    else {
      if (x.value !== y.value) d.add([], `sequence variable ${k}: ${show(x.value)} → ${show(y.value)}`);
      if (x.property !== y.property)
        d.add([], `sequence variable ${k}: property ${show(x.property)} → ${show(y.property)}`);
    }
  }
  const others = (e: XmlElement) =>
    childElements(e)
      .filter((c) => !isNode(c) && c.name !== 'referenceList' && c.name !== 'globalVarList')
      .map(compact);
  d.compareMultiset(others(a), others(b), [], 'element');
  d.compareChildren(childElements(a).filter(isNode), childElements(b).filter(isNode), []);
  return d.out;
}
