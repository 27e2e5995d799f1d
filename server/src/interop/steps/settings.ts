// The `<defaultVarList>` and `<action>` of a step as ConfigMgr would write them: one `<variable>`
// per setting that has a value, values that are derived (list counts, success codes, retry count,
// a child sequence's name and references), and — so the command line expands — the default of any
// variable the action names. Order is ConfigMgr's: by WMI property name, ordinal. The step's
// `xml:` details (spellings, left-out variables, verbatim extras) are applied last.

import { createHash } from 'node:crypto';
import type { StepDefinition, StepProperty } from '../../catalog/types';
import { commandLineCarriesValue } from '../../catalog/steps';
import { renderActionTemplate } from './template';
import { commandLineText, dslToXml } from './values';
import type { RawVariable, StepContext, StepData } from './stepdata';

export interface VariableOut {
  /** Option path: `disk`, `partitions[1].size`, `partitions` (the list's count variable). */
  path: string;
  name: string;
  property: string;
  hidden: boolean;
  value: string;
  /** The catalog property (the list entry's field for list paths). */
  def?: StepProperty;
}

/** Problems export meets in one step's settings (values of the wrong kind, unknown children). */
export type SettingProblem = { path: string; message: string };

function isChildRef(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Settings whose value export computes when `with:` leaves them out. */
export function derivedValue(data: StepData, p: StepProperty, ctx: StepContext): string | undefined {
  const def = data.def!;
  if (p.countOf) {
    const counted = data.options.get(p.countOf);
    return String(Array.isArray(counted) ? counted.length : counted === undefined || counted === '' ? 0 : 1);
  }
  if (p.name === 'successCodes' && p.type === 'stringList') return (data.successCodes ?? def.successCodes).join(' ');
  if (p.name === 'retryCount' && p.xmlProperty === 'RetryCount') return String(data.retryCount ?? def.retryCount);
  if (def.key === 'RunTaskSequence') {
    const ref = data.options.get('sequence');
    const child = isChildRef(ref) ? ctx.child(ref.trim()) : undefined;
    if (!child) return undefined;
    if (p.name === 'sequenceName' && child.packageId && child.name !== undefined)
      return `${child.packageId}, ${child.name}`;
    if (p.name === 'referencedApplications') return child.applications?.join(',');
    if (p.name === 'referencedPackages') return child.packages?.join(',');
  }
  return undefined;
}

/** The package ID ConfigMgr needs for a Run Task Sequence reference (paths resolve to the child's). */
export function childPackageId(ref: string, ctx: StepContext): string | undefined {
  return ctx.child(ref.trim())?.packageId ?? (/[\\/]|\.ya?ml$/i.test(ref) ? undefined : ref.trim());
}

/**
 * Sorts variables by WMI property name, ordinal and stable (ConfigMgr's order). A step has a few
 * variables: an insertion sort does it without the temporary storage Array.prototype.sort takes.
 */
function sortByProperty(list: VariableOut[]): void {
  for (let i = 1; i < list.length; i++) {
    const v = list[i];
    let j = i - 1;
    while (j >= 0 && list[j].property > v.property) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = v;
  }
}

/**
 * What the functions below need of a step definition, worked out once per definition: every step
 * of a 10,000-step export asks the same questions of the same few definitions.
 */
interface DefinitionFacts {
  /** The property behind each `%N` of the command-line template (the last one declared wins). */
  byArg: Map<number, StepProperty>;
  /** Settings whose default is written when the command line names their variable (`%NAME%`, lower case). */
  namedDefaults: { p: StepProperty; name: string; needle: string }[];
  /** The properties of each DSL name (one, unless a definition declares a name twice). */
  byName: Map<string, StepProperty[]>;
  /**
   * The properties any text value can be written for (a setting with a variable of its own, other
   * than a list of mappings, dynamic rules or Run Task Sequence's child): for those, a text value
   * never has a problem, which is what lint asks of nearly every option of a large file.
   */
  textFits: Set<StepProperty>;
}

const definitionFacts = new WeakMap<StepDefinition, DefinitionFacts>();

/** The types whose setting `dslToXml` writes any text value as some text (a secret as none). */
const TEXT_ALWAYS_WRITTEN: ReadonlySet<StepProperty['type']> = new Set([
  'string',
  'integer',
  'boolean',
  'enum',
  'reference',
  'referenceList',
  'stringList',
]);

function factsOf(def: StepDefinition): DefinitionFacts {
  let facts = definitionFacts.get(def);
  if (facts) return facts;
  facts = { byArg: new Map(), namedDefaults: [], byName: new Map(), textFits: new Set() };
  for (const p of def.properties) {
    if (
      variableNameOf(p) &&
      TEXT_ALWAYS_WRITTEN.has(p.type) &&
      !(def.key === 'RunTaskSequence' && p.name === 'sequence')
    )
      facts.textFits.add(p);
    const named = facts.byName.get(p.name);
    if (named) named.push(p);
    else facts.byName.set(p.name, [p]);
    if (p.commandLineArg !== undefined) facts.byArg.set(p.commandLineArg, p);
    const name = variableNameOf(p);
    if (name && p.default !== undefined && p.type !== 'objectList')
      facts.namedDefaults.push({ p, name, needle: `%${name.toLowerCase()}%` });
  }
  definitionFacts.set(def, facts);
  return facts;
}

function hasPath(variables: VariableOut[], path: string): boolean {
  for (let i = 0; i < variables.length; i++) if (variables[i].path === path) return true;
  return false;
}

/** A list entry export can write settings from: a mapping. */
function isEntry(entry: unknown): entry is Record<string, unknown> {
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry);
}

/** The XML text of a setting written under `with:` (a child's package ID for Run Task Sequence's `sequence`), or undefined when ConfigMgr cannot store it. */
function writtenText(def: StepDefinition, p: StepProperty, value: unknown, ctx: StepContext): string | undefined {
  return def.key === 'RunTaskSequence' && p.name === 'sequence' && isChildRef(value)
    ? childPackageId(value, ctx)
    : dslToXml(p, value);
}

/**
 * What export cannot write of the settings a step gives (each is left out of the step's
 * variables by `canonicalSettings`, and export says so): a list entry that is not a mapping, a
 * value ConfigMgr cannot store, a setting with no place in the XML, a child without a package ID.
 * Only written options can have one, so this looks at those alone and builds nothing: lint asks it
 * of every step of a file, export of the steps it writes.
 */
export function settingProblems(data: StepData, ctx: StepContext): SettingProblem[] {
  const def = data.def;
  const problems: SettingProblem[] = [];
  if (!def) return problems;
  for (const p of def.properties) {
    if (data.options.has(p.name)) propertyProblems(def, p, data.options.get(p.name), ctx, problems);
  }
  return problems;
}

/** Whatever of `settingProblems` the value written for `p` has, added to `problems`. */
function propertyProblems(
  def: StepDefinition,
  p: StepProperty,
  value: unknown,
  ctx: StepContext,
  problems: SettingProblem[],
): void {
  if (p.type === 'objectList') {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue; // a hole, as forEach would skip it
      const entry: unknown = value[i];
      if (!isEntry(entry)) {
        problems.push({ path: `${p.name}[${i}]`, message: `entry ${i + 1} of \`${p.name}\` is not a mapping` });
        continue;
      }
      for (const item of p.items ?? []) {
        const v = entry[item.name];
        if (v === undefined || !item.xmlVariable || dslToXml(item, v) !== undefined) continue;
        const path = `${p.name}[${i}].${item.name}`;
        problems.push({ path, message: `\`${path}\` has a value ConfigMgr cannot store` });
      }
    }
    return;
  }
  if (!variableNameOf(p)) {
    // Without a variable or a place on the command line the value would vanish on export.
    if (!commandLineCarriesValue(def, p))
      problems.push({
        path: p.name,
        message: `\`${p.name}\` has no place tsq knows in ConfigMgr's task sequence XML (set it in the console after import, or remove it)`,
      });
    return;
  }
  if (writtenText(def, p, value, ctx) === undefined)
    problems.push({
      path: p.name,
      message:
        def.key === 'RunTaskSequence' && p.name === 'sequence'
          ? `the child sequence \`${String(value)}\` has no packageId; ConfigMgr needs one`
          : `\`${p.name}\` has a value ConfigMgr cannot store`,
    });
}

/** Scratch list for `mayHaveSettingProblems` (emptied before it returns). */
const found: SettingProblem[] = [];

/**
 * Whether `settingProblems` can find anything in a step of definition `def` that writes `options`
 * (in written order, every one of a name written twice): the same test of each written value,
 * without the step's StepData. Lint asks it of every step of a file, where it is nearly always no;
 * only where it is yes are the problems worked out in full (the step's own definition may still
 * be set aside there, for a shorthand step whose kept XML names another type).
 */
export function mayHaveSettingProblems(
  def: StepDefinition,
  options: readonly { name: string; value: unknown }[],
  ctx: StepContext,
): boolean {
  const { byName, textFits } = factsOf(def);
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    const properties = byName.get(o.name);
    if (!properties) continue;
    const text = typeof o.value === 'string';
    for (let k = 0; k < properties.length; k++) {
      const p = properties[k];
      if (!(text && textFits.has(p))) propertyProblems(def, p, o.value, ctx, found);
    }
    if (found.length) {
      found.length = 0;
      return true;
    }
  }
  return false;
}

/**
 * The variables ConfigMgr's export would write for this step, before the step's `xml:` details,
 * and the template's command line for them. The command line is rendered
 * once to find the defaults it names, and again only when such a default was added.
 */
export function canonicalSettings(data: StepData, ctx: StepContext): { variables: VariableOut[]; action: string } {
  const def = data.def;
  if (!def) return { variables: [], action: '' };
  const out: VariableOut[] = [];
  for (const p of def.properties) {
    if (p.type === 'objectList') {
      const list = data.options.get(p.name);
      if (!Array.isArray(list) || list.length === 0) continue;
      if (p.xmlVariable)
        out.push({
          path: p.name,
          name: p.xmlVariable,
          property: p.xmlProperty,
          hidden: !!p.hiddenInXml,
          value: String(list.length),
          def: p,
        });
      for (let i = 0; i < list.length; i++) {
        if (!(i in list)) continue; // a hole, as forEach would skip it
        const entry: unknown = list[i];
        if (!isEntry(entry)) continue;
        for (const item of p.items ?? []) {
          const v = entry[item.name];
          if (v === undefined || !item.xmlVariable) continue;
          const text = dslToXml(item, v);
          if (text === undefined) continue;
          out.push({
            path: `${p.name}[${i}].${item.name}`,
            name: indexedName(item.xmlVariable, i),
            property: indexedName(item.xmlProperty, i),
            hidden: !!item.hiddenInXml,
            value: text,
            def: item,
          });
        }
      }
      continue;
    }
    const name = variableNameOf(p);
    if (!name) continue;
    let text: string | undefined;
    if (data.options.has(p.name)) {
      text = writtenText(def, p, data.options.get(p.name), ctx);
      if (text === undefined) continue;
    } else {
      text = derivedValue(data, p, ctx);
      if (text === undefined) continue;
    }
    out.push({ path: p.name, name, property: p.xmlProperty, hidden: !!p.hiddenInXml, value: text, def: p });
  }
  // Defaults of variables the command line names, so `%OSDAllowUnsignedDriver%` and friends expand.
  let action = templateAction(data, out, ctx);
  const named = factsOf(def).namedDefaults;
  if (named.length) {
    const lower = action.toLowerCase();
    let added = false;
    for (const { p, name, needle } of named) {
      if (hasPath(out, p.name) || !lower.includes(needle)) continue;
      const text = dslToXml(p, p.default);
      if (text === undefined) continue;
      out.push({ path: p.name, name, property: p.xmlProperty, hidden: !!p.hiddenInXml, value: text, def: p });
      added = true;
    }
    if (added) action = templateAction(data, out, ctx);
  }
  sortByProperty(out);
  return { variables: out, action };
}

const indexedNames = new Map<string, string[]>();

/**
 * A list entry's variable or property name: `template` with `{n}` replaced by `index`
 * (`OSDPartitions{n}Size`, 2 → `OSDPartitions2Size`). Remembered for the first thousand indexes:
 * every partition step of a long sequence asks for the same few names.
 */
export function indexedName(template: string, index: number): string {
  if (index > 1000) return template.replace('{n}', String(index));
  let names = indexedNames.get(template);
  if (!names) indexedNames.set(template, (names = []));
  return (names[index] ??= template.replace('{n}', String(index)));
}

/** The TS variable a setting is written to (MDT-only settings use MDT's spelling). */
export function variableNameOf(p: StepProperty): string | undefined {
  return p.xmlVariable ?? (p.mdtOnly ? p.mdtXmlVariables?.[0] : undefined);
}

/** The command line the catalog's template gives for the step's current settings. */
export function templateAction(data: StepData, variables: VariableOut[], ctx: StepContext): string {
  const def: StepDefinition | undefined = data.def;
  if (!def) return '';
  const byArg = factsOf(def).byArg;
  return renderActionTemplate(def.actionTemplate, (n) => {
    const p = byArg.get(n);
    if (!p) return undefined;
    for (let i = 0; i < variables.length; i++)
      if (variables[i].path === p.name) return commandLineText(p, variables[i].value);
    if (!data.options.has(p.name)) return undefined;
    const value = data.options.get(p.name);
    const text =
      def.key === 'RunTaskSequence' && p.name === 'sequence' && isChildRef(value)
        ? childPackageId(value, ctx)
        : dslToXml(p, value);
    return text === undefined ? undefined : commandLineText(p, text);
  });
}

/** Short fingerprint of a command line (the `actionCheck` of an imported step). */
export function actionFingerprint(action: string): string {
  return createHash('sha256').update(action, 'utf8').digest('hex').slice(0, 8);
}

export interface FinalVariable {
  /** Option path of a canonical variable (absent for kept ones). */
  path?: string;
  name?: string;
  property?: string;
  hidden?: string;
  value: string;
  /** Raw XML text of a variable kept verbatim with odd parts. */
  raw?: string;
  def?: StepProperty;
}

/**
 * The step's `<defaultVarList>` as export writes it: the canonical variables with the `xml:`
 * spellings applied and left-out ones removed, then the verbatim variables (which replace a
 * canonical one of the same name).
 */
export function finalVariables(data: StepData, canonical: VariableOut[]): FinalVariable[] {
  if (data.xml.unset === undefined && data.xml.names === undefined && data.xml.variables === undefined) {
    // Nothing kept from an import (the usual step): the canonical variables as they are.
    const plain: FinalVariable[] = [];
    for (const v of canonical)
      plain.push({
        path: v.path,
        name: v.name,
        property: v.property,
        hidden: v.hidden ? 'true' : undefined,
        value: v.value,
        def: v.def,
      });
    return plain;
  }
  const unset = new Set(data.xml.unset ?? []);
  const names = data.xml.names ?? {};
  const raw = data.xml.variables ?? [];
  const rawNames = new Set<string>();
  for (const r of raw) if (typeof r !== 'string' && r.name !== undefined) rawNames.add(r.name.toLowerCase());
  const out: FinalVariable[] = [];
  for (const v of canonical) {
    if (unset.has(v.path)) continue;
    const s = names[v.path];
    const name = s?.name ?? v.name;
    if (rawNames.has(name.toLowerCase())) continue;
    const hidden = s?.hidden ?? v.hidden;
    out.push({
      path: v.path,
      name,
      property: s?.property ?? v.property,
      hidden: hidden ? 'true' : undefined,
      value: v.value,
      def: v.def,
    });
  }
  for (const r of raw)
    out.push(
      typeof r === 'string'
        ? { value: '', raw: r }
        : { name: r.name, property: r.property, hidden: r.hidden, value: r.value },
    );
  return out;
}

export type { RawVariable };
