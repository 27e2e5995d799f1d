// Lookups over the built-in step catalog (./data/steps.json): by DSL action key, by XML type, and
// a step's properties by DSL name or by the names ConfigMgr and MDT write in the XML, with
// "did you mean" suggestions for unknown action and property names. Data stays in the JSON file;
// the validity of that data is pinned down by test/unit/catalog.test.ts.

import stepsData from './data/steps.json';
import type { StepDefinition, StepProperty } from './types';
import { suggest } from '../util/suggest';

const STEPS: readonly StepDefinition[] = stepsData as unknown as StepDefinition[];

/**
 * The steps by DSL action key, as an object without a prototype rather than a Map. A step's
 * action comes from the YAML source as a slice of its text, and every check asks about it again.
 * Looked up as a property key, V8 replaces the slice in place by a reference to the one shared
 * copy of the name, so later lookups of the same step compare pointers; a Map compares the text
 * on every lookup. On the 85,834 steps of the 500-sequence bench workspace, a lookup after the
 * first took 2.5–3 ms for all steps against 10–13 ms with the Map.
 */
const byKey: Readonly<Record<string, StepDefinition | undefined>> = Object.assign(
  Object.create(null) as Record<string, StepDefinition>,
  Object.fromEntries(STEPS.map((s) => [s.key, s])),
);
const byLowerKey = new Map<string, StepDefinition>(STEPS.map((s) => [s.key.toLowerCase(), s]));
const byXmlType = new Map<string, StepDefinition>(STEPS.map((s) => [s.xmlType.toLowerCase(), s]));

/** Every built-in step, ConfigMgr steps first, then MDT steps (the reference order). */
export function allSteps(): readonly StepDefinition[] {
  return STEPS;
}

/** Every DSL action key. */
export function stepKeys(): string[] {
  return STEPS.map((s) => s.key);
}

/** The step whose DSL key is exactly `key`. */
export function stepByKey(key: string): StepDefinition | undefined {
  return byKey[key];
}

/**
 * The step for an action name as a user typed it: the exact key, else the key ignoring case
 * (`runcommandline`). Callers can flag the spelling when the result's key differs from the input.
 */
export function findStep(action: string): StepDefinition | undefined {
  return byKey[action] ?? byLowerKey.get(action.toLowerCase());
}

/** The step for an XML `type` attribute (`SMS_TaskSequence_RunCommandLineAction`, `BDD_Gather`), ignoring case. */
export function stepByXmlType(xmlType: string): StepDefinition | undefined {
  return byXmlType.get(xmlType.toLowerCase());
}

/** Up to three action keys close to an unknown action name. */
export function suggestStepKeys(action: string): string[] {
  return suggest(action, Object.keys(byKey));
}

/** The property a step takes under `with:` by its DSL name (exact: YAML keys are case-sensitive). */
export function findProperty(step: StepDefinition, name: string): StepProperty | undefined {
  return step.properties.find((p) => p.name === name);
}

/** The property of an `objectList` entry by its DSL name. */
export function findItemProperty(list: StepProperty, name: string): StepProperty | undefined {
  return list.items?.find((p) => p.name === name);
}

/** Up to three property names of `step` close to an unknown one. */
export function suggestPropertyNames(step: StepDefinition, name: string): string[] {
  return suggest(
    name,
    step.properties.map((p) => p.name),
  );
}

/** Up to three entry property names of an `objectList` close to an unknown one. */
export function suggestItemPropertyNames(list: StepProperty, name: string): string[] {
  return suggest(
    name,
    (list.items ?? []).map((p) => p.name),
  );
}

/** Where an XML `<variable>` of a step lands in the catalog. */
export interface XmlPropertyMatch {
  /** The step property (for list entries: the `objectList` itself). */
  property: StepProperty;
  /** For an indexed name such as `OSDPartitions2Size`: the entry property and its index. */
  item?: StepProperty;
  index?: number;
  /** Matched through a spelling seen only in MDT-authored files. */
  mdtSpelling: boolean;
}

interface Pattern {
  regex: RegExp;
  list: StepProperty;
  item: StepProperty;
  mdtSpelling: boolean;
}

interface XmlIndex {
  byProperty: Map<string, StepProperty>;
  byVariable: Map<string, { property: StepProperty; mdtSpelling: boolean }>;
  propertyPatterns: Pattern[];
  variablePatterns: Pattern[];
}

const xmlIndexes = new WeakMap<StepDefinition, XmlIndex>();

function patternFor(template: string): RegExp {
  const [before, after] = template.split('{n}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${before}(\\d+)${after}$`, 'i');
}

function xmlIndexOf(step: StepDefinition): XmlIndex {
  let index = xmlIndexes.get(step);
  if (index) return index;
  index = { byProperty: new Map(), byVariable: new Map(), propertyPatterns: [], variablePatterns: [] };
  for (const property of step.properties) {
    index.byProperty.set(property.xmlProperty.toLowerCase(), property);
    if (property.xmlVariable)
      index.byVariable.set(property.xmlVariable.toLowerCase(), { property, mdtSpelling: false });
    for (const name of property.mdtXmlVariables ?? []) {
      if (!index.byVariable.has(name.toLowerCase()))
        index.byVariable.set(name.toLowerCase(), { property, mdtSpelling: true });
    }
    for (const item of property.items ?? []) {
      if (item.xmlProperty.includes('{n}'))
        index.propertyPatterns.push({ regex: patternFor(item.xmlProperty), list: property, item, mdtSpelling: false });
      if (item.xmlVariable?.includes('{n}'))
        index.variablePatterns.push({ regex: patternFor(item.xmlVariable), list: property, item, mdtSpelling: false });
      for (const name of item.mdtXmlVariables ?? []) {
        if (name.includes('{n}'))
          index.variablePatterns.push({ regex: patternFor(name), list: property, item, mdtSpelling: true });
      }
    }
  }
  xmlIndexes.set(step, index);
  return index;
}

function matchPattern(patterns: Pattern[], name: string): XmlPropertyMatch | undefined {
  for (const p of patterns) {
    const m = p.regex.exec(name);
    if (m) return { property: p.list, item: p.item, index: Number(m[1]), mdtSpelling: p.mdtSpelling };
  }
  return undefined;
}

/** The catalog property for an XML `property="..."` attribute (WMI names ignore case), indexed names included. */
export function propertyByXmlProperty(step: StepDefinition, xmlProperty: string): XmlPropertyMatch | undefined {
  const index = xmlIndexOf(step);
  const property = index.byProperty.get(xmlProperty.toLowerCase());
  if (property) return { property, mdtSpelling: property.mdtOnly === true };
  return matchPattern(index.propertyPatterns, xmlProperty);
}

/** The catalog property for an XML `name="..."` attribute (a task sequence variable; case ignored), MDT spellings included. */
export function propertyByXmlVariable(step: StepDefinition, xmlVariable: string): XmlPropertyMatch | undefined {
  const index = xmlIndexOf(step);
  const hit = index.byVariable.get(xmlVariable.toLowerCase());
  if (hit) return { property: hit.property, mdtSpelling: hit.mdtSpelling || hit.property.mdtOnly === true };
  return matchPattern(index.variablePatterns, xmlVariable);
}

/**
 * The catalog property for one `<variable name=... property=...>` of a step: by the WMI property
 * first (it names the setting), then by the variable name (MDT files vary the property spelling).
 */
export function propertyForXmlVariableElement(
  step: StepDefinition,
  variable: { name?: string; property?: string },
): XmlPropertyMatch | undefined {
  return (
    (variable.property !== undefined ? propertyByXmlProperty(step, variable.property) : undefined) ??
    (variable.name !== undefined ? propertyByXmlVariable(step, variable.name) : undefined)
  );
}

/**
 * Whether an author must write `property` for the step to be complete: ConfigMgr requires it and
 * supplies no value itself. Options with a default are filled in by ConfigMgr, and checkboxes
 * (booleans) are simply off when not written, so neither is ever "missing".
 */
export function mustBeWritten(property: StepProperty): boolean {
  return property.default === undefined && property.type !== 'boolean';
}

/** A value to write for an option the author must still choose (quick fixes, completion, new steps). */
export function exampleValue(p: StepProperty): string {
  if (p.default !== undefined) return String(p.default);
  if (p.enum?.length) return p.enum[0].value;
  switch (p.type) {
    case 'integer':
      return String(p.minimum ?? 0);
    case 'boolean':
      return 'false';
    case 'referenceList':
    case 'stringList':
    case 'objectList':
    case 'dynamicRules':
      return '[]';
    default:
      return '""';
  }
}

/**
 * Whether the step's command line carries the option's value (`%N` in the template), rather than
 * only testing whether it is set (`<?N:…>`), so the value can be read back from the XML's action.
 */
export function commandLineCarriesValue(step: StepDefinition, property: StepProperty): boolean {
  const n = property.commandLineArg;
  // `%%` is a literal percent sign, so `%%%9%%` carries the value (as a variable reference).
  return n !== undefined && new RegExp(`(^|[^%])(%%)*%${n}(?!\\d)`).test(step.actionTemplate);
}
