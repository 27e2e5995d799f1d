// Writes one step (or Run Task Sequence) element from its StepData: attributes in the order real
// exports use, the `<action>` from the catalog template (or the imported one while the step is
// unchanged), the `<defaultVarList>`, then preserved extras. Import calls the same code to learn
// what export would write, so the two can never disagree.

import { InteropError } from '../errors';
import { isXmlName } from '../xml/characters';
import { parseXmlText } from '../xml/read';
import { setAttribute, text, type XmlElement } from '../xml/tree';
import {
  actionFingerprint,
  canonicalSettings,
  finalVariables,
  settingProblems,
  type FinalVariable,
  type SettingProblem,
} from './settings';
import type { NodeXml, StepContext, StepData } from './stepdata';

export interface WrittenStep {
  element: XmlElement;
  variables: FinalVariable[];
  /** The command line the template gives for the current settings (before any kept `xml.action`). */
  templateAction: string;
  /** An imported `xml.action` was replaced because the step's settings changed. */
  actionRebuilt: boolean;
  problems: SettingProblem[];
  /** Attributes written from the step type's defaults, not from the step (see `stepAttributes`). */
  derived: Set<string>;
}

/** Builds attributes in `order`, then applies `xml.attributes` (null removes, new names append). */
export function withAttributes(
  base: [string, string | undefined][],
  overrides: Record<string, string | null> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of base) if (v !== undefined) setAttribute(out, k, v);
  if (overrides) applyOverrides(out, overrides);
  return out;
}

function applyOverrides(out: Record<string, string>, overrides: Record<string, string | null>): void {
  for (const k of Object.keys(overrides)) {
    // Names are written as they are: one that is no XML name would make the whole file unreadable.
    if (!isXmlName(k))
      throw new InteropError(
        `\`${k}\` is not an XML attribute name, so export cannot write it.`,
        'Fix or remove it in the `xml:` key (import writes it; tsq export writes it back as it is).',
      );
    const v = overrides[k];
    if (v === null) delete out[k];
    else setAttribute(out, k, v);
  }
}

/**
 * A step's attributes in the order real exports use, then its `xml.attributes`. Written out
 * rather than through `withAttributes`: every step has them, and the same assignments in the
 * same order give every step's record the same shape. `derived` receives the attributes that
 * come from the step type's defaults rather than from the step (a layout may leave those out).
 */
function stepAttributes(
  data: StepData,
  type: string | undefined,
  isSub: boolean,
  derived: Set<string>,
): Record<string, string> {
  const def = data.def;
  const out: Record<string, string> = {};
  if (type !== undefined) out.type = type;
  if (data.name !== undefined) out.name = data.name;
  out.description = data.description ?? '';
  if (data.disabled) out.disable = 'true';
  if (data.continueOnError) out.continueOnError = 'true';
  if (data.timeout !== undefined) out.timeout = String(data.timeout);
  if (def && !isSub && def.runIn !== undefined) out.runIn = def.runIn;
  const codes = data.successCodes ?? def?.successCodes;
  if (codes) out.successCodeList = codes.join(' ');
  const retry = String(data.retryCount ?? def?.retryCount ?? '');
  if (retry) out.retryCount = retry;
  if (data.runFromNet !== undefined) out.runFromNet = String(data.runFromNet);
  else if (def) out.runFromNet = 'false';
  if (!data.description) derived.add('description');
  if (data.xml.type === undefined) derived.add('type');
  derived.add('runIn');
  if (data.successCodes === undefined) derived.add('successCodeList');
  if (data.retryCount === undefined) derived.add('retryCount');
  if (data.runFromNet === undefined) derived.add('runFromNet');
  if (data.xml.attributes) {
    applyOverrides(out, data.xml.attributes);
    for (const k of Object.keys(data.xml.attributes)) derived.delete(k);
  }
  return out;
}

/** Parses preserved raw XML (an `xml.elements` entry, a raw variable or condition). */
export function rawElement(xml: string, what: string): XmlElement {
  try {
    return parseXmlText(xml, { source: what }).root;
  } catch (e) {
    // The parser's message already names `what` and says it is not well-formed.
    if (e instanceof InteropError) throw new InteropError(e.message, 'Fix or remove it in the `xml:` key.');
    throw e;
  }
}

function variableElement(v: FinalVariable, where: Place): XmlElement {
  if (v.raw !== undefined) return rawElement(v.raw, `A kept variable of ${placeText(where)}`);
  const attrs: Record<string, string> = {};
  if (v.name !== undefined) attrs.name = v.name;
  if (v.property !== undefined) attrs.property = v.property;
  if (v.hidden !== undefined) attrs.hidden = v.hidden;
  return { kind: 'element', name: 'variable', attrs, children: v.value === '' ? [] : [text(v.value)] };
}

export interface StepSettings {
  variables: FinalVariable[];
  templateAction: string;
  problems: SettingProblem[];
}

/** The settings and template command line export writes for a step, without building elements. */
export function stepSettings(data: StepData, ctx: StepContext): StepSettings {
  const canonical = canonicalSettings(data, ctx);
  return {
    variables: finalVariables(data, canonical.variables),
    templateAction: canonical.action,
    problems: settingProblems(data, ctx),
  };
}

/** Where a step is, for messages: the text, or a function that makes it (only messages need it). */
export type Place = string | (() => string);

function placeText(where: Place): string {
  return typeof where === 'string' ? where : where();
}

/** A step's element as export writes it; `settings` when the caller has them for the step as it is now. */
export function writeStep(
  data: StepData,
  condition: XmlElement | undefined,
  ctx: StepContext,
  where: Place,
  settings = stepSettings(data, ctx),
): WrittenStep {
  const def = data.def;
  const raw = !def;
  const xml = data.xml;
  const { variables, templateAction: fromTemplate, problems } = settings;
  let action = fromTemplate;
  let actionRebuilt = false;
  if (raw) {
    const cmd = data.options.get('commandLine');
    action = typeof cmd === 'string' ? cmd : cmd === undefined ? '' : JSON.stringify(cmd);
  } else if (xml.action !== undefined) {
    if (xml.actionCheck === undefined || xml.actionCheck === actionFingerprint(fromTemplate)) action = xml.action;
    else actionRebuilt = true;
  }
  const isSub = def?.xmlElement === 'subtasksequence';
  const type = xml.type !== undefined ? (xml.type ?? undefined) : def?.xmlType;
  const derived = new Set<string>();
  const attrs = stepAttributes(data, type, isSub, derived);
  const children: XmlElement[] = [];
  if (condition) children.push(condition);
  children.push({ kind: 'element', name: 'action', attrs: {}, children: action === '' ? [] : [text(action)] });
  if (variables.length > 0 || !raw)
    children.push({
      kind: 'element',
      name: 'defaultVarList',
      attrs: {},
      children: variables.map((v) => variableElement(v, where)),
    });
  for (const [i, e] of (xml.elements ?? []).entries())
    children.push(rawElement(e, `Kept element ${i + 1} of ${placeText(where)}`));
  return {
    element: { kind: 'element', name: isSub ? 'subtasksequence' : 'step', attrs, children },
    variables,
    templateAction: fromTemplate,
    actionRebuilt,
    problems,
    derived,
  };
}

export interface GroupData {
  name: string;
  description?: string;
  disabled: boolean;
  continueOnError: boolean;
  xml: NodeXml;
}

/**
 * A group's element: attributes as real exports write them, its condition, a kept `<action>`,
 * kept elements, then `children` (its groups and steps). `derived` receives the attributes
 * written from defaults (an empty description).
 */
export function writeGroup(
  group: GroupData,
  condition: XmlElement | undefined,
  children: XmlElement[],
  where: string,
  derived: Set<string> = new Set(),
): XmlElement {
  const xml = group.xml;
  const attrs = withAttributes(
    [
      ['name', group.name],
      ['description', group.description ?? ''],
      ['disable', group.disabled ? 'true' : undefined],
      ['continueOnError', group.continueOnError ? 'true' : undefined],
    ],
    xml.attributes,
  );
  if (!group.description && !xml.attributes?.description) derived.add('description');
  const out: XmlElement[] = [];
  if (condition) out.push(condition);
  if (xml.action !== undefined)
    out.push({ kind: 'element', name: 'action', attrs: {}, children: xml.action === '' ? [] : [text(xml.action)] });
  for (const [i, e] of (xml.elements ?? []).entries()) out.push(rawElement(e, `Kept element ${i + 1} of ${where}`));
  for (const c of children) out.push(c);
  return { kind: 'element', name: 'group', attrs, children: out };
}
