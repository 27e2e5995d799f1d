// A step's `<variable>`s turned into its settings, in phases: order the variables so ConfigMgr's
// spellings claim their setting first, let each variable claim a setting (a plain value, an entry
// of a list, or a count checked later), assemble the lists, keep the counts that disagree with
// their lists, and drop what export derives anyway. What no setting takes is kept verbatim, and
// every other spelling than ConfigMgr's is noted, so export gives the original back. The importer
// (sequence.ts) runs the phases and reconciles the result with what export would write.

import type { StepDefinition, StepProperty } from '../../catalog/types';
import { propertyForXmlVariableElement, type XmlPropertyMatch } from '../../catalog/steps';
import { derivedValue, indexedName, variableNameOf, type FinalVariable } from '../steps/settings';
import type { NodeXml, RawVariable, StepContext, StepData } from '../steps/stepdata';
import { sameXmlValue, xmlToDsl } from '../steps/values';
import { attr, textOf, type XmlElement } from '../xml/tree';
import { writeXml } from '../xml/write';

/** A `<variable>` as the file wrote it. */
export interface OriginalVariable extends RawVariable {
  /** Raw XML when the element has parts a plain variable cannot hold. */
  raw?: string;
}

/** What the phases find; each field is filled by one phase and read by the ones after it. */
export class VariableClaims {
  /** Variables no setting takes (or a second one for a taken setting), kept verbatim. */
  readonly unmapped: OriginalVariable[] = [];
  /** Entries of list settings by index, the settings in the order first met. */
  readonly lists = new Map<StepProperty, Map<number, Record<string, unknown>>>();
  /** Count variables, checked against their lists once those are known. */
  readonly counts: { p: StepProperty; v: OriginalVariable }[] = [];
  /** Spellings other than ConfigMgr's, by option path (`xml.names`). */
  readonly spellings: NonNullable<NodeXml['names']> = {};
  /** Option paths already taken. */
  readonly taken = new Set<string>();
  /** Passwords with a value in the file (never copied). */
  secretsDropped = 0;
}

type Candidate = { v: OriginalVariable; match: XmlPropertyMatch };

/**
 * Phase 1: the variables that name a setting of `def`, ConfigMgr's spellings first, so that
 * another spelling (MDT's) of a setting already claimed stays verbatim rather than hide the real
 * value. The others go to `unmapped`.
 */
export function candidatesInOrder(
  def: StepDefinition,
  originals: OriginalVariable[],
  claims: VariableClaims,
): Candidate[] {
  const canonical: Candidate[] = [];
  const other: Candidate[] = [];
  for (const v of originals) {
    if (
      v.raw !== undefined ||
      v.name === undefined ||
      v.property === undefined ||
      (v.hidden !== undefined && parseBool(v.hidden) === undefined)
    ) {
      claims.unmapped.push(v);
      continue;
    }
    const match = propertyForXmlVariableElement(def, { name: v.name, property: v.property });
    if (!match) claims.unmapped.push(v);
    else (spelledCanonically(v, match) ? canonical : other).push({ v, match });
  }
  return canonical.concat(other);
}

/** Phase 2: one variable claims its setting: a list entry, a count (checked in phase 4), or a value. */
export function claimSetting(data: StepData, { v, match }: Candidate, claims: VariableClaims): void {
  const p = match.property;
  if (match.item && match.index !== undefined) {
    const item = match.item;
    const path = `${p.name}[${match.index}].${item.name}`;
    const conv = xmlToDsl(item, v.value);
    if (claims.taken.has(path) || !item.xmlVariable || !conv.ok || match.index > 999) {
      claims.unmapped.push(v);
      return;
    }
    claims.taken.add(path);
    let entries = claims.lists.get(p);
    if (!entries) claims.lists.set(p, (entries = new Map<number, Record<string, unknown>>()));
    let entry = entries.get(match.index);
    if (!entry) entries.set(match.index, (entry = {}));
    entry[item.name] = conv.value;
    noteSpelling(
      claims.spellings,
      path,
      v,
      indexedName(item.xmlVariable, match.index),
      indexedName(item.xmlProperty, match.index),
      !!item.hiddenInXml,
    );
    return;
  }
  const canonicalName = p.type === 'objectList' ? p.xmlVariable : variableNameOf(p);
  if (!canonicalName || claims.taken.has(p.name)) {
    claims.unmapped.push(v);
    return;
  }
  if (p.type === 'objectList' || p.countOf) {
    claims.taken.add(p.name);
    claims.counts.push({ p, v });
    noteSpelling(claims.spellings, p.name, v, canonicalName, p.xmlProperty, !!p.hiddenInXml);
    return;
  }
  const conv = xmlToDsl(p, v.value);
  // An empty value of a required setting is an XML oddity the DSL has no word for; keep it as written.
  if (!conv.ok || (p.required && v.value === '' && !p.secret)) {
    claims.unmapped.push(v);
    return;
  }
  claims.taken.add(p.name);
  if (p.secret && v.value !== '') claims.secretsDropped++;
  // Hidden values inside a setting (Set Dynamic Variables' rules) are left out too.
  claims.secretsDropped += conv.secretsDropped ?? 0;
  data.options.set(p.name, conv.value);
  noteSpelling(claims.spellings, p.name, v, canonicalName, p.xmlProperty, !!p.hiddenInXml);
}

/** Phase 3: each list setting from its entries, every index up to the highest, fields in the catalog's order. */
export function assembleLists(data: StepData, claims: VariableClaims): void {
  for (const [p, entries] of claims.lists) {
    const max = Math.max(...entries.keys());
    const list: Record<string, unknown>[] = [];
    for (let i = 0; i <= max; i++) {
      const found = entries.get(i) ?? {};
      const entry: Record<string, unknown> = {};
      for (const item of p.items ?? []) if (item.name in found) entry[item.name] = found[item.name];
      list.push(entry);
    }
    data.options.set(p.name, list);
  }
}

/** Phase 4: export derives counts from their lists; a count variable that disagrees is kept verbatim. */
export function keepDisagreeingCounts(data: StepData, claims: VariableClaims, steps: StepContext): void {
  for (const { p, v } of claims.counts) {
    const derived =
      p.type === 'objectList'
        ? String((data.options.get(p.name) as unknown[] | undefined)?.length ?? 0)
        : derivedValue(data, p, steps);
    if (derived !== v.value) claims.unmapped.push(v);
  }
}

/** Phase 5: settings export derives (success codes, retry count, a child's name and references) need not be written. */
export function dropDerivedSettings(data: StepData, def: StepDefinition, steps: StepContext): void {
  for (const p of def.properties) {
    if (!data.options.has(p.name) || p.countOf) continue;
    const value = data.options.get(p.name);
    const derived = derivedValue(data, p, steps);
    if (derived === undefined) continue;
    const asText = Array.isArray(value) ? value.join(p.listSeparator ?? ',') : String(value);
    if (sameXmlValue(p, asText, derived)) data.options.delete(p.name);
  }
}

/** Phase 6: the spellings and the unmapped variables into the step's `xml:`. */
export function recordClaims(data: StepData, def: StepDefinition, claims: VariableClaims): void {
  if (Object.keys(claims.spellings).length) data.xml.names = inCatalogOrder(def, claims.spellings);
  if (claims.unmapped.length) data.xml.variables = claims.unmapped.map(rawOf);
}

function parseBool(v: string): boolean | undefined {
  const t = v.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

/** Records how a variable's spelling differs from ConfigMgr's for its setting, if it does. */
function noteSpelling(
  names: NonNullable<NodeXml['names']>,
  path: string,
  v: OriginalVariable,
  name: string,
  property: string,
  hidden: boolean,
): void {
  const hiddenDiffers = hiddenFlag(v.hidden) !== hidden;
  if (v.name === name && v.property === property && !hiddenDiffers) return;
  const s: { name?: string; property?: string; hidden?: boolean } = {};
  if (v.name !== name) s.name = v.name;
  if (v.property !== property) s.property = v.property;
  if (hiddenDiffers) s.hidden = !hidden;
  names[path] = s;
}

/** Whether a variable carries the TS variable name ConfigMgr writes for the setting it matched (case aside). */
function spelledCanonically(v: OriginalVariable, match: XmlPropertyMatch): boolean {
  const target = match.item ?? match.property;
  const name = match.item
    ? target.xmlVariable !== undefined
      ? indexedName(target.xmlVariable, match.index!)
      : undefined
    : match.property.type === 'objectList'
      ? target.xmlVariable
      : variableNameOf(target);
  return name !== undefined && (name === v.name || name.toLowerCase() === v.name!.toLowerCase());
}

/** Option paths (`disk`, `partitions[2].size`) sorted as the catalog lists the settings. */
function inCatalogOrder<T>(def: StepDefinition, map: Record<string, T>): Record<string, T> {
  const rank = (path: string): number[] => {
    const m = /^([^[]+)(?:\[(\d+)\]\.(.+))?$/.exec(path);
    const pi = def.properties.findIndex((p) => p.name === m?.[1]);
    if (!m || !m[2]) return [pi, -1, -1];
    const items = def.properties[pi]?.items ?? [];
    return [pi, Number(m[2]), items.findIndex((it) => it.name === m[3])];
  };
  const keys = Object.keys(map).sort((a, b) => {
    const ra = rank(a),
      rb = rank(b);
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return 0;
  });
  const out: Record<string, T> = {};
  for (const k of keys) out[k] = map[k];
  return out;
}

export function originalVariable(v: XmlElement): OriginalVariable {
  let plain = v.name === 'variable';
  for (const k in v.attrs) if (k !== 'name' && k !== 'property' && k !== 'hidden') plain = false;
  for (const c of v.children) if (c.kind === 'element') plain = false;
  if (!plain) return { value: '', raw: writeXml(v, { indent: '' }) };
  return { name: attr(v, 'name'), property: attr(v, 'property'), hidden: attr(v, 'hidden'), value: textOf(v) };
}

export function rawOf(v: OriginalVariable): RawVariable | string {
  if (v.raw !== undefined) return v.raw;
  const out: RawVariable = {} as RawVariable;
  if (v.name !== undefined) out.name = v.name;
  if (v.property !== undefined) out.property = v.property;
  if (v.hidden !== undefined) out.hidden = v.hidden;
  out.value = v.value;
  return out;
}

function hiddenFlag(h: string | undefined): boolean {
  return h !== undefined && h.toLowerCase() === 'true';
}

/** Pairs original and written variables by name; what is left over on either side differs. */
export function compareVariables(
  originals: OriginalVariable[],
  written: FinalVariable[],
): { unmatched: OriginalVariable[]; extra: FinalVariable[] } {
  const pool = [...written];
  const unmatched: OriginalVariable[] = [];
  for (const o of originals) {
    const i = pool.findIndex((w) => {
      if (o.raw !== undefined || w.raw !== undefined) return o.raw !== undefined && w.raw === o.raw;
      return (
        w.name === o.name &&
        w.property === o.property &&
        hiddenFlag(w.hidden) === hiddenFlag(o.hidden) &&
        sameXmlValue(w.def, w.value, o.value)
      );
    });
    if (i < 0) unmatched.push(o);
    else pool.splice(i, 1);
  }
  return { unmatched, extra: pool };
}
