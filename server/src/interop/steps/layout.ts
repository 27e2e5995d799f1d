// How a group or step was laid out by the tool that wrote it, where that is not how tsq writes it:
// the element's name, the order of its attributes (and the ones its writer always writes, such as
// MDT's `disable="false"`), the order of its child elements (MDT writes `<defaultVarList>` before
// `<action>`, and an empty `<action />` in groups), the order of its `<variable>`s and the spelling
// of their values (`True`, `Primary`, `%`). Export builds an element tsq's way and then lays it
// out; import finds the layout that gives the original back. Layouts only order and spell: they
// never add a setting, so a step edited in YAML is still written as its writer writes it.

import type { StepDefinition } from '../../catalog/types';
import type { XmlElement, XmlNode } from '../xml/tree';

export interface Layout {
  /** The element's name (MDT writes Run Task Sequence as a `<step>`). */
  element?: string;
  /**
   * Attribute names in written order. `name=value` writes that value when tsq has none for the
   * node; `disable` and `continueOnError` are written `false` when listed and not set. Attributes
   * tsq derives (the type, runIn, default success codes, retry count, runFromNet) are left out
   * when not listed; others tsq writes are added after the listed ones.
   */
  attributes?: string[];
  /** Child element names in written order; `steps` stands for a group's groups and steps. Listed but missing: written empty. */
  children?: string[];
  /** `<variable>` names in written order; `{n}` in a name stands for a list entry's index. */
  variables?: string[];
  /** `<variable>` values as tsq writes them → as the writer spelled them (`true: "True"`, `PERCENT: "%"`). */
  values?: Record<string, string>;
}

/** Attributes written with `false` when a layout lists them and the node does not set them. */
const FALSE_WHEN_LISTED = new Set(['disable', 'continueOnError']);
const STEP_LIKE = new Set(['step', 'group', 'subtasksequence']);

/** Whether an element is a group's child group or step (or stands in for one while importing). */
export function isStepLike(name: string): boolean {
  return STEP_LIKE.has(name) || name.startsWith('#');
}

/**
 * How list-entry variables of a step are named: `OSDPartitions3Type` is entry 3 of
 * `OSDPartitions{n}Type`. Worked out once per step definition.
 */
export interface VariableNames {
  template(name: string): { template: string; index: number } | undefined;
}

const NO_TEMPLATES: VariableNames = { template: () => undefined };
const namesByDefinition = new WeakMap<StepDefinition, VariableNames>();

export function variableNames(def: StepDefinition | undefined): VariableNames {
  if (!def) return NO_TEMPLATES;
  let known = namesByDefinition.get(def);
  if (known) return known;
  const patterns: { template: string; re: RegExp }[] = [];
  for (const p of def.properties) {
    for (const item of p.items ?? []) {
      const t = item.xmlVariable;
      if (!t || !t.includes('{n}')) continue;
      const [before, after] = t.split('{n}');
      patterns.push({ template: t, re: new RegExp(`^${escape(before)}(\\d{1,4})${escape(after)}$`, 'i') });
    }
  }
  known =
    patterns.length === 0
      ? NO_TEMPLATES
      : {
          template(name) {
            for (const p of patterns) {
              const m = p.re.exec(name);
              if (m) return { template: p.template, index: Number(m[1]) };
            }
            return undefined;
          },
        };
  namesByDefinition.set(def, known);
  return known;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function attributeEntry(entry: string): { name: string; fallback?: string } {
  const i = entry.indexOf('=');
  return i < 0 ? { name: entry } : { name: entry.slice(0, i), fallback: entry.slice(i + 1) };
}

function isEmpty(e: XmlElement): boolean {
  for (const _ in e.attrs) return false;
  return e.children.every((c) => c.kind === 'text' && c.text.trim() === '');
}

/**
 * Lays `el` out (in place). `derived` names the attributes tsq wrote from defaults rather than
 * from the node's settings: those are dropped when the layout does not list them.
 */
export function applyLayout(
  el: XmlElement,
  layout: Layout,
  derived: ReadonlySet<string>,
  names: VariableNames = NO_TEMPLATES,
): void {
  if (layout.element) el.name = layout.element;
  const values = layout.values;
  if (layout.attributes) {
    const out: Record<string, string> = {};
    for (const entry of layout.attributes) {
      const { name, fallback } = attributeEntry(entry);
      if (Object.prototype.hasOwnProperty.call(out, name)) continue;
      if (Object.prototype.hasOwnProperty.call(el.attrs, name)) out[name] = el.attrs[name];
      else if (fallback !== undefined) out[name] = fallback;
      else if (FALSE_WHEN_LISTED.has(name)) out[name] = 'false';
    }
    for (const k of Object.keys(el.attrs))
      if (!Object.prototype.hasOwnProperty.call(out, k) && !derived.has(k)) out[k] = el.attrs[k];
    el.attrs = out;
  }
  if (layout.children) el.children = orderChildren(el.children, layout.children);
  const varList = el.children.find((c): c is XmlElement => c.kind === 'element' && c.name === 'defaultVarList');
  if (varList && (layout.variables || values)) {
    if (layout.variables) varList.children = orderVariables(varList.children, layout.variables, names);
    if (values) {
      for (const v of varList.children) {
        if (v.kind !== 'element' || v.children.length > 1) continue;
        const t = v.children.length ? v.children[0] : undefined;
        const current = t === undefined ? '' : t.kind === 'text' ? t.text : undefined;
        if (current === undefined || values[current] === undefined) continue;
        v.children = values[current] === '' ? [] : [{ kind: 'text', text: values[current] }];
      }
    }
  }
}

function orderChildren(children: XmlNode[], order: string[]): XmlNode[] {
  const elements = children.filter((c): c is XmlElement => c.kind === 'element');
  const used = new Set<XmlElement>();
  const out: XmlNode[] = [];
  for (const token of order) {
    let count = stepsTokenCount(token);
    if (count !== undefined) {
      for (const e of elements) {
        if (count === 0) break;
        if (!used.has(e) && isStepLike(e.name)) {
          used.add(e);
          out.push(e);
          count--;
        }
      }
      continue;
    }
    const e = elements.find((x) => !used.has(x) && x.name === token);
    if (e) {
      used.add(e);
      out.push(e);
    } else out.push({ kind: 'element', name: token, attrs: {}, children: [] });
  }
  // What the layout does not place keeps tsq's order after it; empty elements say nothing and go.
  for (const e of elements) if (!used.has(e) && (!isEmpty(e) || isStepLike(e.name))) out.push(e);
  return out;
}

function orderVariables(children: XmlNode[], order: string[], names: VariableNames): XmlNode[] {
  const rankOf = new Map<string, number>();
  order.forEach((t, i) => {
    if (!rankOf.has(t)) rankOf.set(t, i);
  });
  // A run of `{n}` names is one block: entry by entry, each entry's names in the listed order.
  const blockStart: number[] = [];
  order.forEach((t, i) => {
    blockStart[i] = t.includes('{n}') && i > 0 && order[i - 1].includes('{n}') ? blockStart[i - 1] : i;
  });
  const keyed = children
    .filter((c): c is XmlElement => c.kind === 'element')
    .map((e, position) => {
      const name = e.attrs.name ?? '';
      let rank = rankOf.get(name);
      let entry = -1;
      if (rank === undefined) {
        const t = names.template(name);
        const r = t ? rankOf.get(t.template) : undefined;
        if (t && r !== undefined) {
          rank = r;
          entry = t.index;
        }
      }
      const key =
        rank === undefined
          ? [Infinity, 0, position]
          : entry < 0
            ? [rank, -1, position]
            : [blockStart[rank], entry, rank];
      return { e, key, position };
    });
  keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.position - b.position);
  return keyed.map((k) => k.e);
}

/** The variable order of `original` as layout names (list entries as `{n}` names when that gives the order back). */
export function variableOrder(original: XmlElement[], names: VariableNames, withTemplates: boolean): string[] {
  const out: string[] = [];
  for (const v of original) {
    const name = v.attrs.name ?? '';
    const t = withTemplates ? names.template(name) : undefined;
    const token = t ? t.template : name;
    if (!out.includes(token)) out.push(token);
  }
  return out;
}

/** A layout field by field; undefined when nothing in it differs from tsq's way. */
export function compactLayout(l: Layout): Layout | undefined {
  const out: Layout = {};
  if (l.element !== undefined) out.element = l.element;
  if (l.attributes) out.attributes = l.attributes;
  if (l.children) out.children = l.children;
  if (l.variables) out.variables = l.variables;
  if (l.values && Object.keys(l.values).length) out.values = l.values;
  return Object.keys(out).length ? out : undefined;
}

function cloneElement(e: XmlElement): XmlElement {
  return {
    kind: 'element',
    name: e.name,
    attrs: { ...e.attrs },
    children: e.children.map((c) => (c.kind === 'element' ? cloneElement(c) : { ...c })),
  };
}

function elementChildren(e: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of e.children) if (c.kind === 'element') out.push(c);
  return out;
}

/**
 * The child element names of `e` as layout tokens: a run of groups and steps is `steps`, or
 * `steps:N` (the next N of them) when other elements stand between runs.
 */
export function childTokens(e: XmlElement): string[] {
  const out: string[] = [];
  const runs: number[] = [];
  for (const c of elementChildren(e)) {
    if (!isStepLike(c.name)) out.push(c.name);
    else if (out[out.length - 1] === 'steps') runs[runs.length - 1]++;
    else {
      out.push('steps');
      runs.push(1);
    }
  }
  if (runs.length < 2) return out;
  let r = 0;
  return out.map((t) => (t !== 'steps' ? t : r === runs.length - 1 ? (r++, 'steps') : `steps:${runs[r++]}`));
}

/** How many groups and steps a `steps` token places: N for `steps:N`, all the rest for `steps`. */
export function stepsTokenCount(token: string): number | undefined {
  if (token === 'steps') return Infinity;
  const m = /^steps:(\d{1,6})$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

function single(e: XmlElement | undefined): string | undefined {
  if (!e || e.children.length > 1) return undefined;
  const t = e.children[0];
  return t === undefined ? '' : t.kind === 'text' ? t.text : undefined;
}

/**
 * The layout that turns `written` (what tsq writes for the node, with its other `xml:` details)
 * into `original`, found by comparing the two; undefined when no layout can (the elements differ
 * in more than order and spelling). `sameAs` is the comparison that must then hold.
 */
export function deriveLayout(
  original: XmlElement,
  written: XmlElement,
  derived: ReadonlySet<string>,
  names: VariableNames,
  sameAs: (a: XmlElement, b: XmlElement) => boolean,
): Layout | undefined {
  const layout: Layout = {};
  if (original.name !== written.name) layout.element = original.name;
  const values: Record<string, string> = {};
  const spell = (from: string, to: string): boolean => {
    if (from === to) return values[from] === undefined || values[from] === to;
    if (values[from] !== undefined && values[from] !== to) return false;
    values[from] = to;
    return true;
  };
  const originalNames = Object.keys(original.attrs);
  const writtenNames = Object.keys(written.attrs);
  if (originalNames.join(' ') !== writtenNames.join(' ')) {
    layout.attributes = originalNames.map((k) => {
      if (
        Object.prototype.hasOwnProperty.call(written.attrs, k) ||
        (FALSE_WHEN_LISTED.has(k) && original.attrs[k] === 'false')
      )
        return k;
      return `${k}=${original.attrs[k]}`;
    });
  }
  const oc = childTokens(original),
    wc = childTokens(written);
  const originalElements = elementChildren(original);
  const emptyAdded = originalElements.some(
    (c) => !isStepLike(c.name) && !elementChildren(written).some((w) => w.name === c.name),
  );
  if (oc.join(' ') !== wc.join(' ') || emptyAdded) layout.children = oc;
  const ov = elementChildren(
    originalElements.find((c) => c.name === 'defaultVarList') ?? { kind: 'element', name: '', attrs: {}, children: [] },
  );
  const wv = elementChildren(
    elementChildren(written).find((c) => c.name === 'defaultVarList') ?? {
      kind: 'element',
      name: '',
      attrs: {},
      children: [],
    },
  );
  const byName = new Map<string, XmlElement[]>();
  for (const w of wv) {
    const list = byName.get(w.attrs.name ?? '');
    if (list) list.push(w);
    else byName.set(w.attrs.name ?? '', [w]);
  }
  for (const o of ov) {
    const w = byName.get(o.attrs.name ?? '')?.shift();
    const ot = single(o),
      wt = single(w);
    if (w && ot !== undefined && wt !== undefined && ot !== wt && !spell(wt, ot)) return undefined;
  }
  if (Object.keys(values).length) layout.values = values;
  const orderOf = (list: XmlElement[]) => list.map((v) => v.attrs.name ?? '').join('\u0000');
  const attempt = (withTemplates: boolean): Layout | undefined => {
    const candidate: Layout = { ...layout };
    if (orderOf(ov) !== orderOf(wv)) candidate.variables = variableOrder(ov, names, withTemplates);
    const trial = cloneElement(written);
    applyLayout(trial, candidate, derived, names);
    return sameAs(original, trial) ? candidate : undefined;
  };
  return attempt(true) ?? attempt(false);
}
