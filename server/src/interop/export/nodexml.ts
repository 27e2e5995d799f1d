// Reads the free-form `xml:` key of a step or group (and the `xml:` part of a sequence's
// `configMgr:`) into typed values, ignoring anything of the wrong shape with a note, so a
// hand-edited key can never make export crash or write something half-understood.

import type { NodeXml, RawVariable, Spelling } from '../steps/stepdata';
import type { Layout } from '../steps/layout';

export interface SequenceXml {
  version?: string;
  nameOnRoot?: boolean;
  attributes?: Record<string, string | null>;
  /** `property` attributes of `<globalVarList>` variables that differ from tsq's choice (null: none). */
  variableProperties?: Record<string, string | null>;
  /** `<referenceList>` entries no step makes, kept from the import. */
  references?: { package?: string; program?: string; application?: string }[];
  /** Objects the steps use that the imported `<referenceList>` did not list (left out again). */
  notListed?: { package?: string; application?: string }[];
  elements?: string[];
  /** `xml:` details most groups or steps of one type share, by style key (`group`, the step type, `untyped`). */
  styles?: Record<string, NodeXml>;
  /** Child element names of `<sequence>` in written order (`steps` or `steps:N` for its groups and steps). */
  children?: string[];
  /** `<globalVarList>` names in written order, a name listed twice where the original had it twice. */
  variableOrder?: string[];
  /** `<referenceList>` entries (package IDs, application model names) in written order. */
  referenceOrder?: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
/** A scalar as the XML writes it; a list or mapping is no value (never `[object Object]`). */
const scalarText = (v: unknown): string | undefined =>
  isStr(v) ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every(isStr) ? v : undefined;
}

function attributeMap(v: unknown): Record<string, string | null> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string | null> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || isStr(x)) out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  }
  return out;
}

function rawVariable(v: unknown): RawVariable | string | undefined {
  if (isStr(v)) return v;
  if (!isObj(v)) return undefined;
  const value = scalarText(v.value) ?? '';
  const out: RawVariable = { value };
  if (isStr(v.name)) out.name = v.name;
  if (isStr(v.property)) out.property = v.property;
  const hidden = scalarText(v.hidden);
  if (hidden !== undefined) out.hidden = hidden;
  return out;
}

/** The `xml:` of a step or group; `problems` receives one line per part that was ignored. */
export function readNodeXml(v: unknown, problems: string[]): NodeXml {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) {
    problems.push('`xml:` is not a mapping and was ignored');
    return {};
  }
  const out: NodeXml = {};
  for (const [k, x] of Object.entries(v)) {
    switch (k) {
      case 'type':
        if (x === null || isStr(x)) out.type = x;
        else problems.push('`xml.type` must be text or null');
        break;
      case 'attributes': {
        const a = attributeMap(x);
        if (a) out.attributes = a;
        else problems.push('`xml.attributes` must be a mapping');
        break;
      }
      case 'action':
      case 'actionCheck':
      case 'condition':
      case 'whenCheck':
      case 'verbatim':
      case 'verbatimCheck':
        if (isStr(x)) out[k] = x;
        else problems.push(`\`xml.${k}\` must be text`);
        break;
      case 'names': {
        if (!isObj(x)) {
          problems.push('`xml.names` must be a mapping');
          break;
        }
        const names: Record<string, Spelling> = {};
        for (const [path, s] of Object.entries(x)) {
          if (!isObj(s)) continue;
          const sp: Spelling = {};
          if (isStr(s.name)) sp.name = s.name;
          if (isStr(s.property)) sp.property = s.property;
          if (typeof s.hidden === 'boolean') sp.hidden = s.hidden;
          names[path] = sp;
        }
        out.names = names;
        break;
      }
      case 'unset':
      case 'elements': {
        const list = strings(x);
        if (list) out[k] = list;
        else problems.push(`\`xml.${k}\` must be a list of text`);
        break;
      }
      case 'variables': {
        if (!Array.isArray(x)) {
          problems.push('`xml.variables` must be a list');
          break;
        }
        out.variables = x.map(rawVariable).filter((r): r is RawVariable | string => r !== undefined);
        break;
      }
      case 'layout': {
        const l = readLayout(x, problems, '`xml.layout`');
        if (l) out.layout = l;
        break;
      }
      default:
        problems.push(`\`xml.${k}\` is not something tsq knows; it was ignored`);
    }
  }
  return out;
}

/** The `configMgr.xml` part of a sequence. */
export function readSequenceXml(configMgr: unknown, problems: string[]): SequenceXml {
  if (!isObj(configMgr) || !isObj(configMgr.xml)) return {};
  const x = configMgr.xml;
  const out: SequenceXml = {};
  if (isStr(x.version) || typeof x.version === 'number') out.version = String(x.version);
  if (typeof x.nameOnRoot === 'boolean') out.nameOnRoot = x.nameOnRoot;
  const a = attributeMap(x.attributes);
  if (a) out.attributes = a;
  if (isObj(x.variableProperties)) {
    out.variableProperties = {};
    for (const [k, p] of Object.entries(x.variableProperties))
      if (isStr(p) || p === null) out.variableProperties[k] = p;
  }
  if (Array.isArray(x.references)) {
    out.references = [];
    for (const r of x.references) {
      if (!isObj(r)) continue;
      const ref: { package?: string; program?: string; application?: string } = {};
      if (isStr(r.package)) ref.package = r.package;
      if (isStr(r.program)) ref.program = r.program;
      if (isStr(r.application)) ref.application = r.application;
      out.references.push(ref);
    }
  }
  if (Array.isArray(x.notListed)) {
    out.notListed = [];
    for (const r of x.notListed) {
      if (!isObj(r)) continue;
      if (isStr(r.application)) out.notListed.push({ application: r.application });
      else if (isStr(r.package)) out.notListed.push({ package: r.package });
    }
  }
  const el = strings(x.elements);
  if (el) out.elements = el;
  else if (x.elements !== undefined) problems.push('`configMgr.xml.elements` must be a list of text');
  for (const k of ['children', 'variableOrder', 'referenceOrder'] as const) {
    const list = strings(x[k]);
    if (list) out[k] = list;
    else if (x[k] !== undefined) problems.push(`\`configMgr.xml.${k}\` must be a list of names`);
  }
  if (isObj(x.styles)) {
    out.styles = {};
    for (const [key, style] of Object.entries(x.styles)) {
      const p: string[] = [];
      out.styles[key] = readNodeXml(style, p);
      for (const m of p) problems.push(m.replace('`xml.', `\`configMgr.xml.styles.${key}.`));
    }
  } else if (x.styles !== undefined) problems.push('`configMgr.xml.styles` must be a mapping');
  return out;
}

/** A layout (`xml.layout`, or one of `configMgr.xml.styles`), read leniently: parts of the wrong shape are ignored with a note. */
export function readLayout(v: unknown, problems: string[], what: string): Layout | undefined {
  if (!isObj(v)) {
    problems.push(`${what} must be a mapping`);
    return undefined;
  }
  const out: Layout = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'element') {
      if (isStr(x) && /^[A-Za-z_][\w.-]*$/.test(x)) out.element = x;
      else problems.push(`${what}.element must be an element name`);
    } else if (k === 'attributes' || k === 'children' || k === 'variables') {
      const list = strings(x);
      if (list) out[k] = list;
      else problems.push(`${what}.${k} must be a list of names`);
    } else if (k === 'values') {
      if (!isObj(x)) {
        problems.push(`${what}.values must be a mapping`);
        continue;
      }
      const values: Record<string, string> = {};
      for (const [from, to] of Object.entries(x))
        if (isStr(to) || typeof to === 'number' || typeof to === 'boolean') values[from] = String(to);
      out.values = values;
    } else problems.push(`${what}.${k} is not something tsq knows; it was ignored`);
  }
  return out;
}
