// What the simulator needs to know about a step, worked out once per step and reused on every
// visit (and by every later run of the same parsed file): its catalog definition, the variables it
// writes before it runs (ConfigMgr's defaultVarList: each option under its variable name, with
// defaults, in the text form the XML holds), the content it needs, its success and restart codes,
// retries, time limit and typical duration. The machine's outcome for the step is looked up per
// run, since plans do not depend on the machine.

import type { StepDefinition, StepProperty, ReferenceKind } from '../catalog/types';
import { findStep } from '../catalog';
import type { StepNode, StepOption } from '../model/sequence';
import defaults from './data/defaults.json';

export interface PlannedWrite {
  /** Lower-case name (the variable store's key). */
  key: string;
  name: string;
  /** The value before `%Name%` expansion. */
  value: string;
}

export interface PlannedNeed {
  kind: ReferenceKind;
  /** The object ID before `%Name%` expansion. */
  id: string;
  /** The ID holds `%Name%` and is known only at run time. */
  dynamic: boolean;
  /** Cache key of a static ID. */
  key: string;
}

function need(kind: ReferenceKind, id: string): PlannedNeed {
  return { kind, id, dynamic: id.includes('%'), key: contentKey(kind, id) };
}

/** How the download cache names an object. */
export function contentKey(kind: ReferenceKind, id: string): string {
  return `${kind}:${id.toUpperCase()}`;
}

export interface StepPlan {
  step: StepNode;
  def?: StepDefinition;
  /** The action's display name (`Apply Operating System Image`). */
  label: string;
  /** The program that logs for the step (`smsswd`, `OSDApplyOS`, ...). */
  component: string;
  writes: PlannedWrite[];
  needs: PlannedNeed[];
  successCodes: number[];
  restartCodes: number[];
  retryCount: number;
  timeoutSeconds?: number;
  defaultSeconds: number;
  /** The write of the command line (Run Command Line), when the step has one. */
  commandLine?: PlannedWrite;
  /** The options as given, in text form: name, text, name, text, ... (null: no text form). */
  texts: (string | null)[];
  /** The action's default texts by option name. */
  defaultTexts?: Map<string, string>;
}

const STEP_SECONDS = defaults.stepSeconds as Record<string, number>;

function enumXml(p: StepProperty, value: string): string {
  const hit = p.enum?.find((e) => e.value.toLowerCase() === value.toLowerCase());
  return hit ? hit.xml : value;
}

/** An option value as ConfigMgr writes it into the step's variable; undefined when it has no text form. */
export function optionText(p: StepProperty | undefined, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return p?.type === 'enum' ? enumXml(p, value) : value;
  if (Array.isArray(value)) {
    const parts = value.filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean').map(String);
    return parts.join(p?.listSeparator ?? ',');
  }
  return undefined;
}

/** Per action, what does not depend on the step: properties by name and the writes their defaults make. */
interface ActionInfo {
  byName: Map<string, StepProperty>;
  defaults: { property: StepProperty; write?: PlannedWrite; text: string }[];
  /** Default texts by DSL name. */
  defaultText: Map<string, string>;
  component: string;
  contentRefs: { kind: ReferenceKind; property: string }[];
}

const actionInfos = new WeakMap<StepDefinition, ActionInfo>();

function actionInfo(def: StepDefinition): ActionInfo {
  let info = actionInfos.get(def);
  if (info) return info;
  const program = /^([A-Za-z0-9_-]+)\.exe/i.exec(def.actionTemplate.trim());
  info = {
    byName: new Map(def.properties.map((p) => [p.name, p])),
    defaults: [],
    defaultText: new Map(),
    component: program ? program[1] : 'TSManager',
    contentRefs: def.references.filter((r) => r.kind !== 'childSequence').map((r) => ({ kind: r.kind, property: r.property })),
  };
  for (const p of def.properties) {
    if (p.type === 'objectList' || p.default === undefined) continue;
    const text = optionText(p, p.default);
    if (text === undefined) continue;
    info.defaults.push({ property: p, text, write: p.xmlVariable && !p.secret ? { key: p.xmlVariable.toLowerCase(), name: p.xmlVariable, value: text } : undefined });
    info.defaultText.set(p.name, text);
  }
  actionInfos.set(def, info);
  return info;
}

function listWrites(p: StepProperty, value: unknown, out: PlannedWrite[]): void {
  if (!Array.isArray(value) || !p.xmlVariable) return;
  out.push({ key: p.xmlVariable.toLowerCase(), name: p.xmlVariable, value: String(value.length) });
  value.forEach((entry, n) => {
    if (!entry || typeof entry !== 'object') return;
    for (const item of p.items ?? []) {
      const text = optionText(item, (entry as Record<string, unknown>)[item.name] ?? item.default);
      if (!item.xmlVariable || text === undefined || item.secret) continue;
      const name = item.xmlVariable.replace('{n}', String(n));
      out.push({ key: name.toLowerCase(), name, value: text });
    }
  });
}

function codes(value: unknown): number[] | undefined {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : typeof value === 'number' ? [value] : undefined;
  if (!parts) return undefined;
  const nums = parts.map((x) => Number(x)).filter((n) => Number.isInteger(n));
  return nums.length ? nums : undefined;
}

function given(step: StepNode, name: string): StepOption | undefined {
  const opts = step.options;
  for (let i = opts.length - 1; i >= 0; i--) if (opts[i].name === name) return opts[i];
  return undefined;
}

/** An option's text (before expansion): as given, else the action's default. */
export function optionValue(plan: StepPlan, name: string): string | undefined {
  const texts = plan.texts;
  for (let i = texts.length - 2; i >= 0; i -= 2) if (texts[i] === name) return texts[i + 1] ?? undefined;
  return plan.defaultTexts?.get(name);
}

const plans = new WeakMap<StepNode, StepPlan>();

/** The plan of a step; steps are immutable once parsed, so plans are kept for as long as the step lives. */
export function planStep(step: StepNode): StepPlan {
  let plan = plans.get(step);
  if (!plan) plans.set(step, (plan = buildPlan(step)));
  return plan;
}

function buildPlan(step: StepNode): StepPlan {
  const def = findStep(step.action);
  const info = def ? actionInfo(def) : undefined;
  const writes: PlannedWrite[] = [];
  const needs: PlannedNeed[] = [];
  const texts: (string | null)[] = [];
  let commandLine: PlannedWrite | undefined;
  for (const opt of step.options) texts.push(opt.name, optionText(info?.byName.get(opt.name), opt.value) ?? null);
  if (info) {
    for (const opt of step.options) {
      const p = info.byName.get(opt.name);
      if (!p || !p.xmlVariable || p.secret) continue;
      if (p.type === 'objectList') {
        listWrites(p, opt.value, writes);
        continue;
      }
      const text = optionText(p, opt.value);
      if (text === undefined) continue;
      const write = { key: p.xmlVariable.toLowerCase(), name: p.xmlVariable, value: text };
      writes.push(write);
      if (p.name === 'commandLine') commandLine = write;
    }
    for (const d of info.defaults) if (d.write && !given(step, d.property.name)) writes.push(d.write);
    for (const ref of info.contentRefs) {
      const v = given(step, ref.property)?.value;
      if (Array.isArray(v)) {
        for (const id of v) if ((typeof id === 'string' || typeof id === 'number') && String(id).trim()) needs.push(need(ref.kind, String(id).trim()));
      } else if ((typeof v === 'string' || typeof v === 'number') && String(v).trim()) needs.push(need(ref.kind, String(v).trim()));
    }
  }
  const stepRetry = step.retryCount?.value ?? (def && def.retryCount > 0 ? codes(given(step, 'retryCount')?.value)?.[0] : undefined);
  return {
    step,
    def,
    label: def?.displayName ?? step.action,
    component: info?.component ?? 'TSManager',
    writes,
    needs,
    successCodes: step.successCodes?.value ?? codes(given(step, 'successCodes')?.value) ?? def?.successCodes ?? [0],
    restartCodes: def?.restartCodes ?? [],
    retryCount: stepRetry ?? def?.retryCount ?? 0,
    timeoutSeconds: step.timeout?.value,
    defaultSeconds: STEP_SECONDS[def?.key ?? ''] ?? STEP_SECONDS.default,
    commandLine,
    texts,
    defaultTexts: info?.defaultText,
  };
}
