// Writes one step (or Run Task Sequence) element from its StepData: attributes in the order real
// exports use, the `<action>` from the catalog template (or the imported one while the step is
// unchanged), the `<defaultVarList>`, then preserved extras. Import calls the same code to learn
// what export would write, so the two can never disagree.

import { InteropError } from '../errors';
import { parseXmlText } from '../xml/read';
import { element, setAttribute, text, type XmlElement } from '../xml/tree';
import { actionFingerprint, canonicalVariables, finalVariables, templateAction, type FinalVariable, type SettingProblem } from './settings';
import type { StepContext, StepData } from './stepdata';

export interface WrittenStep {
  element: XmlElement;
  variables: FinalVariable[];
  /** The command line the template gives for the current settings (before any kept `xml.action`). */
  templateAction: string;
  /** An imported `xml.action` was replaced because the step's settings changed. */
  actionRebuilt: boolean;
  problems: SettingProblem[];
}

/** Builds attributes in `order`, then applies `xml.attributes` (null removes, new names append). */
export function withAttributes(base: [string, string | undefined][], overrides: Record<string, string | null> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of base) if (v !== undefined) setAttribute(out, k, v);
  if (overrides) {
    for (const k of Object.keys(overrides)) {
      const v = overrides[k];
      if (v === null) delete out[k];
      else setAttribute(out, k, v);
    }
  }
  return out;
}

/** Parses preserved raw XML (an `xml.elements` entry, a raw variable or condition). */
export function rawElement(xml: string, what: string): XmlElement {
  try {
    return parseXmlText(xml, { source: what }).root;
  } catch (e) {
    if (e instanceof InteropError) throw new InteropError(`${what} is not well-formed XML: ${e.message}`, 'Fix or remove it in the `xml:` key.');
    throw e;
  }
}

function variableElement(v: FinalVariable, where: string): XmlElement {
  if (v.raw !== undefined) return rawElement(v.raw, `A kept variable of ${where}`);
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
  const problems: SettingProblem[] = [];
  const canonical = canonicalVariables(data, ctx, problems);
  return { variables: finalVariables(data, canonical), templateAction: data.def ? templateAction(data, canonical, ctx) : '', problems };
}

export function writeStep(data: StepData, condition: XmlElement | undefined, ctx: StepContext, where: string): WrittenStep {
  const def = data.def;
  const raw = !def;
  const xml = data.xml;
  const { variables, templateAction: fromTemplate, problems } = stepSettings(data, ctx);
  let action = fromTemplate;
  let actionRebuilt = false;
  if (raw) {
    const cmd = data.options.get('commandLine');
    action = typeof cmd === 'string' ? cmd : cmd === undefined ? '' : String(cmd);
  } else if (xml.action !== undefined) {
    if (xml.actionCheck === undefined || xml.actionCheck === actionFingerprint(fromTemplate)) action = xml.action;
    else actionRebuilt = true;
  }
  const isSub = def?.xmlElement === 'subtasksequence';
  const type = xml.type !== undefined ? xml.type ?? undefined : def?.xmlType;
  const codes = data.successCodes ?? def?.successCodes;
  const attrs = withAttributes([
    ['type', type],
    ['name', data.name],
    ['description', data.description ?? ''],
    ['disable', data.disabled ? 'true' : undefined],
    ['continueOnError', data.continueOnError ? 'true' : undefined],
    ['timeout', data.timeout !== undefined ? String(data.timeout) : undefined],
    ['runIn', def && !isSub ? def.runIn : undefined],
    ['successCodeList', codes ? codes.join(' ') : undefined],
    ['retryCount', String(data.retryCount ?? def?.retryCount ?? '') || undefined],
    ['runFromNet', data.runFromNet !== undefined ? String(data.runFromNet) : def ? 'false' : undefined],
  ], xml.attributes);
  const children: XmlElement[] = [];
  if (condition) children.push(condition);
  children.push(element('action', {}, action === '' ? [] : [text(action)]));
  if (variables.length > 0 || !raw) children.push(element('defaultVarList', {}, variables.map((v) => variableElement(v, where))));
  for (const [i, e] of (xml.elements ?? []).entries()) children.push(rawElement(e, `Kept element ${i + 1} of ${where}`));
  return {
    element: { kind: 'element', name: isSub ? 'subtasksequence' : 'step', attrs, children },
    variables,
    templateAction: fromTemplate,
    actionRebuilt,
    problems,
  };
}
