// Converts one step setting between its XML text (a `<variable>` value) and its DSL value, by the
// catalog type of the property, and decides when two XML texts mean the same. Import converts only
// when the way back gives an equivalent text; anything else stays verbatim in the step's `xml:`.

import type { StepProperty } from '../../catalog/types';
import { rulesFromXml, rulesToXml, sameRulesXml } from './dynamic-rules';

const VARIABLE_VALUE = /^%[A-Za-z0-9_-]+%$/;
const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/** `secretsDropped`: secret values inside the setting that the DSL value leaves out (Set Dynamic Variables' rules). */
export type Converted = { ok: true; value: unknown; secretsDropped?: number } | { ok: false };

const NO: Converted = { ok: false };

/** The DSL value for an XML text, when the catalog type can hold it without loss. */
export function xmlToDsl(p: StepProperty, text: string): Converted {
  if (p.secret) return { ok: true, value: { missing: true } };
  switch (p.type) {
    case 'string':
    case 'reference':
      return { ok: true, value: text };
    case 'integer': {
      if (INTEGER.test(text) && Number.isSafeInteger(Number(text))) return { ok: true, value: Number(text) };
      return VARIABLE_VALUE.test(text) ? { ok: true, value: text } : NO;
    }
    case 'boolean': {
      const t = text.toLowerCase();
      if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' };
      return VARIABLE_VALUE.test(text) ? { ok: true, value: text } : NO;
    }
    case 'enum': {
      const hit = enumByXml(p, text);
      if (hit) return { ok: true, value: hit };
      return VARIABLE_VALUE.test(text) ? { ok: true, value: text } : NO;
    }
    case 'stringList':
    case 'referenceList': {
      if (text === '') return { ok: true, value: [] };
      const sep = p.listSeparator ?? ',';
      return { ok: true, value: text.split(sep) };
    }
    case 'objectList':
      return NO;
    case 'dynamicRules':
      return { ok: true, ...rulesFromXml(text) };
  }
}

function enumByXml(p: StepProperty, text: string): string | undefined {
  const t = text.toLowerCase();
  for (const e of p.enum ?? []) {
    if (e.xml.toLowerCase() === t) return e.value;
    if (e.xmlAliases?.some((a) => a.toLowerCase() === t)) return e.value;
  }
  return undefined;
}

/** True for a DSL secret reference (`{ env }`, `{ prompt }`, `{ missing }`). */
export function isSecretReference(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The XML text for a DSL value, or undefined when the value cannot be written for this type
 * (the schema rule reports such values; export then leaves the setting out and says so).
 * Secrets always give '' — their values are never written.
 */
export function dslToXml(p: StepProperty, value: unknown): string | undefined {
  if (p.secret) return '';
  if (value === null || value === undefined) return undefined;
  switch (p.type) {
    case 'string':
    case 'reference':
      return scalarText(value);
    case 'integer':
      // Beyond 2^53 a number is no longer exact, and from 10^21 on it prints as `1e+21`.
      return typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value)
        ? undefined
        : scalarText(value);
    case 'boolean':
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      return typeof value === 'string' ? value : undefined;
    case 'enum': {
      if (typeof value !== 'string') return scalarText(value);
      const hit = (p.enum ?? []).find((e) => e.value === value);
      return hit ? hit.xml : value;
    }
    case 'stringList':
    case 'referenceList': {
      const sep = p.listSeparator ?? ',';
      if (Array.isArray(value)) {
        const parts = value.map(scalarText);
        return parts.every((x) => x !== undefined) ? parts.join(sep) : undefined;
      }
      return scalarText(value);
    }
    case 'objectList':
      return undefined;
    case 'dynamicRules':
      return rulesToXml(value);
  }
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/**
 * Whether two XML texts of the same setting mean the same: booleans and enum spellings (with
 * their aliases, such as MDT's `%` for PERCENT) ignore case; everything else is compared exactly.
 * Secret values are never compared (exports never carry them).
 */
export function sameXmlValue(p: StepProperty | undefined, a: string, b: string): boolean {
  if (a === b) return true;
  if (!p) return false;
  if (p.secret) return true;
  if (p.type === 'dynamicRules') return sameRulesXml(a, b);
  if (p.type === 'boolean') return a.toLowerCase() === b.toLowerCase();
  if (p.type === 'enum') {
    const ea = enumByXml(p, a),
      eb = enumByXml(p, b);
    return ea !== undefined ? ea === eb : a.toLowerCase() === b.toLowerCase();
  }
  return false;
}

/** .NET's spelling of booleans, which ConfigMgr uses inside `<action>` command lines. */
export function commandLineText(p: StepProperty, xmlText: string): string {
  if (p.type === 'boolean') {
    const t = xmlText.toLowerCase();
    if (t === 'true') return 'True';
    if (t === 'false') return 'False';
  }
  return xmlText;
}
