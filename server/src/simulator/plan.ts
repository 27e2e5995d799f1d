// What the simulator needs to know about a step, worked out once and reused on every visit (and by
// every later run of the same parsed file). Per action (shared by all its steps): the catalog
// definition, label, logging program, behaviour, environment, default success and restart codes,
// retries, typical duration and the variables its defaults write. Per step (`planStep`): the
// variables it writes before it runs (ConfigMgr's defaultVarList: each option under its variable
// name, with defaults, in the text form the XML holds), the content it needs, its success codes,
// retries, time limit and its options as text. program.ts lays the per-step part out in flat
// arrays per list of nodes. The machine's outcome for a step is looked up per run, since plans do
// not depend on the machine.

import type { RunEnvironment, StepDefinition, StepProperty, ReferenceKind } from '../catalog/types';
import { findStep } from '../catalog';
import type { StepNode, StepOption } from '../model/sequence';
import defaults from './data/defaults.json';
import { Template, variableSlot } from './variables';
import { BEHAVIOURS } from './actions';
import type { StepBehaviour } from './behaviour';
import { stepHeads, type StepHeads } from './events';

export interface PlannedNeed {
  kind: ReferenceKind;
  /** The object ID before `%Name%` expansion. */
  id: string;
  /** The ID holds `%Name%` and is known only at run time. */
  dynamic: boolean;
  /** Cache key of a static ID. */
  key: string;
}

const needs = new Map<string, PlannedNeed>();

/** The need of an object, shared by every step that needs it. */
function need(kind: ReferenceKind, id: string): PlannedNeed {
  const key = contentKey(kind, id);
  let n = needs.get(`${key}\n${id}`);
  if (!n) needs.set(`${key}\n${id}`, (n = { kind, id, dynamic: id.includes('%'), key }));
  return n;
}

/** How the download cache names an object. */
export function contentKey(kind: ReferenceKind, id: string): string {
  return `${kind}:${id.toUpperCase()}`;
}

/** A variable a step writes before it runs. */
export interface PlannedWrite {
  /** The variable's slot in the variable store. */
  slot: number;
  name: string;
  /** The value before `%Name%` expansion. */
  value: string;
}

/** What every step of one action shares. */
export interface ActionPlan {
  readonly def: StepDefinition | undefined;
  /** The action's display name (`Apply Operating System Image`); the action as written when tsq does not know it. */
  readonly label: string;
  /** The program that logs for the step (`smsswd`, `OSDApplyOS`, ...). */
  readonly component: string;
  readonly heads: StepHeads;
  readonly behaviour: StepBehaviour | undefined;
  readonly runIn: RunEnvironment | undefined;
  readonly successCodes: readonly number[];
  readonly restartCodes: readonly number[];
  readonly retryCount: number;
  readonly defaultSeconds: number;
  /** Properties by DSL name. */
  readonly byName: ReadonlyMap<string, StepProperty>;
  /** The variable slot of each property's variable, by DSL name. */
  readonly slots: ReadonlyMap<string, number>;
  /** Default texts by DSL name. */
  readonly defaultTexts: ReadonlyMap<string, string>;
  /** The writes the defaults make, for options a step does not give. */
  readonly defaultWrites: readonly { property: string; write: PlannedWrite }[];
  readonly contentRefs: readonly { kind: ReferenceKind; property: string }[];
}

/** Where `planStep` puts what a step needs beyond its action (program.ts's tables). */
export interface StepTables {
  /** Three entries per write: the slot, the name, the value; a value with a `%` to expand is a Template, its slot stored as ~slot. */
  writes: (number | string | Template)[];
  needs: PlannedNeed[];
  /** The options as given, in text form: option number (`optionNumber`), text, ... (null: no text form). */
  texts: (number | string | null)[];
}

/** What `planStep` works out that is one value per step. */
export interface StepPlan {
  action: ActionPlan;
  /** Entry of the command line (Run Command Line) in the write table; -1 without one. */
  commandLine: number;
  successCodes: readonly number[];
  retryCount: number;
  /** The time limit in seconds; NaN without one. */
  timeoutSeconds: number;
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

function write(name: string, value: string): PlannedWrite {
  return { slot: variableSlot(name), name, value };
}

const optionNumbers = new Map<string, number>();

/**
 * A number for an option name, the same for the whole process. Steps' option texts are looked up
 * by number, so finding one does not compare the name with names spread over a large file.
 */
export function optionNumber(name: string): number {
  let n = optionNumbers.get(name);
  if (n === undefined) optionNumbers.set(name, (n = optionNumbers.size));
  return n;
}

const actions = new Map<string, ActionPlan>();
const NO_PROPERTIES = new Map<string, StepProperty>();
const NO_TEXTS = new Map<string, string>();

/** The shared plan of an action, by the action name a step gives. */
export function actionPlan(action: string): ActionPlan {
  let plan = actions.get(action);
  if (!plan) actions.set(action, (plan = buildAction(action, findStep(action))));
  return plan;
}

function buildAction(action: string, def: StepDefinition | undefined): ActionPlan {
  const program = def ? /^([A-Za-z0-9_-]+)\.exe/i.exec(def.actionTemplate.trim()) : null;
  const component = program ? program[1] : 'TSManager';
  const defaultWrites: { property: string; write: PlannedWrite }[] = [];
  const defaultTexts = new Map<string, string>();
  for (const p of def?.properties ?? []) {
    if (p.type === 'objectList' || p.default === undefined) continue;
    const text = optionText(p, p.default);
    if (text === undefined) continue;
    if (p.xmlVariable && !p.secret) defaultWrites.push({ property: p.name, write: write(p.xmlVariable, text) });
    defaultTexts.set(p.name, text);
  }
  return {
    def,
    label: def?.displayName ?? action,
    component,
    heads: stepHeads(component),
    behaviour: def ? BEHAVIOURS[def.key] : undefined,
    runIn: def?.runIn,
    successCodes: def?.successCodes ?? [0],
    restartCodes: def?.restartCodes ?? [],
    retryCount: def?.retryCount ?? 0,
    defaultSeconds: STEP_SECONDS[def?.key ?? ''] ?? STEP_SECONDS.default,
    byName: def ? new Map(def.properties.map((p) => [p.name, p])) : NO_PROPERTIES,
    slots: new Map((def?.properties ?? []).filter((p) => p.xmlVariable).map((p) => [p.name, variableSlot(p.xmlVariable!)])),
    defaultTexts: def ? defaultTexts : NO_TEXTS,
    defaultWrites,
    contentRefs: def ? def.references.filter((r) => r.kind !== 'childSequence').map((r) => ({ kind: r.kind, property: r.property })) : [],
  };
}

function pushWrite(out: (number | string | Template)[], slot: number, name: string, value: string): void {
  if (value.includes('%')) out.push(~slot, name, new Template(value));
  else out.push(slot, name, value);
}

function listWrites(p: StepProperty, value: unknown, out: (number | string | Template)[]): void {
  if (!Array.isArray(value) || !p.xmlVariable) return;
  pushWrite(out, variableSlot(p.xmlVariable), p.xmlVariable, String(value.length));
  value.forEach((entry, n) => {
    if (!entry || typeof entry !== 'object') return;
    for (const item of p.items ?? []) {
      const text = optionText(item, (entry as Record<string, unknown>)[item.name] ?? item.default);
      if (!item.xmlVariable || text === undefined || item.secret) continue;
      const name = item.xmlVariable.replace('{n}', String(n));
      pushWrite(out, variableSlot(name), name, text);
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

/** Works out what a step needs beyond its action, adding its writes, needs and option texts to `tables`. */
export function planStep(step: StepNode, tables: StepTables): StepPlan {
  const action = actionPlan(step.action);
  const def = action.def;
  const { writes, needs, texts } = tables;
  let commandLine = -1;
  for (const opt of step.options) texts.push(optionNumber(opt.name), optionText(action.byName.get(opt.name), opt.value) ?? null);
  if (def) {
    for (const opt of step.options) {
      const p = action.byName.get(opt.name);
      if (!p || !p.xmlVariable || p.secret) continue;
      if (p.type === 'objectList') {
        listWrites(p, opt.value, writes);
        continue;
      }
      const text = optionText(p, opt.value);
      if (text === undefined) continue;
      if (p.name === 'commandLine') commandLine = writes.length;
      pushWrite(writes, action.slots.get(p.name)!, p.xmlVariable, text);
    }
    for (const d of action.defaultWrites) if (!given(step, d.property)) pushWrite(writes, d.write.slot, d.write.name, d.write.value);
    for (const ref of action.contentRefs) {
      const v = given(step, ref.property)?.value;
      if (Array.isArray(v)) {
        for (const id of v) if ((typeof id === 'string' || typeof id === 'number') && String(id).trim()) needs.push(need(ref.kind, String(id).trim()));
      } else if ((typeof v === 'string' || typeof v === 'number') && String(v).trim()) needs.push(need(ref.kind, String(v).trim()));
    }
  }
  const stepRetry = step.retryCount?.value ?? (def && def.retryCount > 0 ? codes(given(step, 'retryCount')?.value)?.[0] : undefined);
  return {
    action,
    commandLine,
    successCodes: step.successCodes?.value ?? codes(given(step, 'successCodes')?.value) ?? action.successCodes,
    retryCount: stepRetry ?? action.retryCount,
    timeoutSeconds: step.timeout?.value ?? NaN,
  };
}
