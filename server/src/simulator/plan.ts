// What the simulator needs to know about a step, worked out once and reused on every visit (and by
// every later run of the same parsed file). Per action (shared by all its steps): the catalog
// definition, label, logging program, behaviour, environment, default success and restart codes,
// retries, typical duration and the variables its defaults write. Per step (`planStep`): the
// variables it writes before it runs (ConfigMgr's defaultVarList: each option under its variable
// name, with defaults, in the text form the XML holds), the content it needs, its success codes,
// retries, time limit and its options as text. What depends only on which options a step gives
// (not on their values) is worked out once per layout of options (`StepShape`). program.ts lays
// the per-step part out in flat arrays per list of nodes. The machine's outcome for a step is
// looked up per run, since plans do not depend on the machine.

import type { RunEnvironment, StepDefinition, StepProperty, ReferenceKind } from '../catalog/types';
import { findStep } from '../catalog';
import type { StepNode, StepOption } from '../model/sequence';
import defaults from './data/defaults.json';
import { variableSlot } from './variables';
import { ownText } from './own-text';
import { BEHAVIOURS } from './actions';
import { contentKey } from './content';
import type { StepBehaviour } from './behaviour';
import { stepHeads, type StepHeads } from './events';
import type { Scratch } from './scratch';
import {
  addText,
  addWrite,
  NONE,
  optionValue,
  shareWrites,
  writeTable,
  writeValue,
  type TextEntry,
  type WriteEntry,
} from './step-tables';
import { readRulesYaml, writeRulesXml } from '../semantics/dynamic-rules';

export interface PlannedNeed {
  kind: ReferenceKind;
  /** The object ID before `%Name%` expansion. */
  id: string;
  /** The ID holds `%Name%` and is known only at run time. */
  dynamic: boolean;
  /** Cache key of a static ID. */
  key: string;
}

const needs = new Map<ReferenceKind, Map<string, PlannedNeed>>();

/** The need of an object, shared by every step that needs it (found by the ID as written, without making a key). */
function need(kind: ReferenceKind, id: string): PlannedNeed {
  let ofKind = needs.get(kind);
  if (!ofKind) needs.set(kind, (ofKind = new Map<string, PlannedNeed>()));
  let n = ofKind.get(id);
  if (!n) {
    const own = ownText(id);
    ofKind.set(own, (n = { kind, id: own, dynamic: own.includes('%'), key: contentKey(kind, own) }));
  }
  return n;
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
  /** The option layouts of this action's steps met last, the latest at the end (see `StepShape`). */
  readonly shapes: StepShape[];
  /** Every layout met, by its option names joined with new lines. */
  readonly shapesByKey: Map<string, StepShape>;
}

/**
 * What every step of one action that gives the same options in the same order shares: for each
 * option its number, its property and the variable it writes; the default writes of the options it
 * leaves out; which option holds each content reference, the retry count and the success codes.
 * A large file repeats a handful of layouts thousands of times, so working this out once per
 * layout leaves a step only its values to read.
 */
interface StepShape {
  readonly names: readonly string[];
  readonly numbers: readonly number[];
  readonly props: readonly (StepProperty | undefined)[];
  /** Per option: NO_WRITE, PLAIN_WRITE (one variable) or LIST_WRITE (an objectList: count and numbered entries). */
  readonly writeKinds: readonly number[];
  readonly slots: readonly number[];
  /** The default writes of the options it leaves out, as `shareWrites` numbered them (0: none). */
  readonly defaults: number;
  /** Per content reference of the action: the index of the option that gives it (the last one), -1 when none. */
  readonly refOptions: readonly number[];
  readonly retryOption: number;
  readonly successCodesOption: number;
}

const NO_WRITE = 0,
  PLAIN_WRITE = 1,
  LIST_WRITE = 2;

/** Where `planStep` puts what a step needs beyond its action (program.ts's tables; step-tables.ts lays out writes and texts). */
export interface StepTables {
  readonly writes: Scratch<WriteEntry>;
  readonly needs: Scratch<PlannedNeed>;
  readonly texts: Scratch<TextEntry>;
}

/** What `planStep` works out that is one value per step. */
export interface StepPlan {
  action: ActionPlan;
  /** Where the command line (Run Command Line) is in the write table; NONE without one. */
  commandLine: number;
  /** The writes the step makes after its own, for the options it leaves out (`sharedWrites`; 0: none). */
  defaults: number;
  successCodes: readonly number[];
  retryCount: number;
  /** The time limit in seconds; NaN without one. */
  timeoutSeconds: number;
}

const STEP_SECONDS = defaults.stepSeconds as Record<string, number>;

/** Enum values as steps write them, by property: the stored form of each value met (a file repeats a few thousands of times). */
const enumForms = new WeakMap<StepProperty, Map<string, string>>();

function enumXml(p: StepProperty, value: string): string {
  let forms = enumForms.get(p);
  if (!forms) enumForms.set(p, (forms = new Map<string, string>()));
  let xml = forms.get(value);
  if (xml === undefined) {
    const hit = p.enum?.find((e) => e.value.toLowerCase() === value.toLowerCase());
    xml = hit ? hit.xml : value;
    // Only so many spellings are remembered: values outside the enum could be anything.
    if (forms.size < 256) forms.set(value, xml);
  }
  return xml;
}

/** An option value as ConfigMgr writes it into the step's variable; undefined when it has no text form. */
export function optionText(p: StepProperty | undefined, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return p?.type === 'enum' ? enumXml(p, value) : value;
  // Set Dynamic Variables stores its rules list as one XML text.
  if (p?.type === 'dynamicRules') return Array.isArray(value) ? writeRulesXml(readRulesYaml(value).rules) : undefined;
  if (Array.isArray(value)) {
    const parts = value
      .filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      .map(String);
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
  if (n === undefined) optionNumbers.set(ownText(name), (n = optionNumbers.size));
  return n;
}

const actions = new Map<string, ActionPlan>();
const NO_PROPERTIES = new Map<string, StepProperty>();
const NO_TEXTS = new Map<string, string>();

/** The shared plan of an action, by the action name a step gives. */
export function actionPlan(action: string): ActionPlan {
  let plan = actions.get(action);
  if (!plan) {
    const own = ownText(action);
    actions.set(own, (plan = buildAction(own, findStep(own))));
  }
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
    slots: new Map(
      (def?.properties ?? []).filter((p) => p.xmlVariable).map((p) => [p.name, variableSlot(p.xmlVariable!)]),
    ),
    defaultTexts: def ? defaultTexts : NO_TEXTS,
    defaultWrites,
    contentRefs: def
      ? def.references.filter((r) => r.kind !== 'childSequence').map((r) => ({ kind: r.kind, property: r.property }))
      : [],
    shapes: [],
    shapesByKey: new Map(),
  };
}

/** The index of the last option named `name` (a name given twice counts once, as written last); -1 when none. */
function lastIndex(names: readonly string[], name: string): number {
  for (let i = names.length - 1; i >= 0; i--) if (names[i] === name) return i;
  return -1;
}

function buildShape(action: ActionPlan, options: readonly StepOption[]): StepShape {
  const names = options.map((o) => ownText(o.name));
  const props = names.map((n) => action.byName.get(n));
  const writeKinds = props.map((p) =>
    !action.def || !p || !p.xmlVariable || p.secret ? NO_WRITE : p.type === 'objectList' ? LIST_WRITE : PLAIN_WRITE,
  );
  const defaults = writeTable((out) => {
    for (const d of action.defaultWrites)
      if (lastIndex(names, d.property) < 0) addWrite(out, d.write.slot, d.write.name, writeValue(d.write.value));
  });
  return {
    names,
    numbers: names.map(optionNumber),
    props,
    writeKinds,
    slots: props.map((p, i) => (writeKinds[i] === PLAIN_WRITE ? action.slots.get(p!.name)! : -1)),
    defaults: action.def ? shareWrites(defaults) : 0,
    refOptions: action.contentRefs.map((r) => lastIndex(names, r.property)),
    retryOption: lastIndex(names, 'retryCount'),
    successCodesOption: lastIndex(names, 'successCodes'),
  };
}

function sameNames(shape: StepShape, options: readonly StepOption[]): boolean {
  const names = shape.names;
  if (names.length !== options.length) return false;
  for (let i = 0; i < names.length; i++) if (names[i] !== options[i].name) return false;
  return true;
}

/** How many layouts per action are compared name by name before the key of the layout is looked up. */
const RECENT_SHAPES = 8;

/**
 * The shape of a step's options, made the first time its action meets that layout. The layouts
 * met last are compared first, name by name; a file with many layouts for one action looks the
 * others up by their names joined.
 */
function shapeOf(action: ActionPlan, options: readonly StepOption[]): StepShape {
  const recent = action.shapes;
  for (let k = recent.length - 1; k >= 0; k--) {
    const shape = recent[k];
    if (!sameNames(shape, options)) continue;
    if (k !== recent.length - 1) {
      recent.splice(k, 1);
      recent.push(shape);
    }
    return shape;
  }
  const key = options.map((o) => o.name).join('\n');
  let shape = action.shapesByKey.get(key);
  // Names holding a new line could make two layouts one key: the names decide.
  if (shape && !sameNames(shape, options)) return buildShape(action, options);
  if (!shape) action.shapesByKey.set(ownText(key), (shape = buildShape(action, options)));
  recent.push(shape);
  if (recent.length > RECENT_SHAPES) recent.shift();
  return shape;
}

function listWrites(p: StepProperty, value: unknown, out: Scratch<WriteEntry>): void {
  if (!Array.isArray(value) || !p.xmlVariable) return;
  addWrite(out, variableSlot(p.xmlVariable), p.xmlVariable, String(value.length));
  value.forEach((entry, n) => {
    if (!entry || typeof entry !== 'object') return;
    for (const item of p.items ?? []) {
      const text = optionText(item, (entry as Record<string, unknown>)[item.name] ?? item.default);
      if (!item.xmlVariable || text === undefined || item.secret) continue;
      const name = item.xmlVariable.replace('{n}', String(n));
      addWrite(out, variableSlot(name), name, writeValue(text));
    }
  });
}

function codes(value: unknown): number[] | undefined {
  const parts = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(/[\s,]+/)
      : typeof value === 'number'
        ? [value]
        : undefined;
  if (!parts) return undefined;
  const nums = parts.map((x) => Number(x)).filter((n) => Number.isInteger(n));
  return nums.length ? nums : undefined;
}

/** What `planStep` hands back; one object, filled afresh on each call (read it before the next). */
const stepPlan: StepPlan = {
  action: undefined as unknown as ActionPlan,
  commandLine: NONE,
  defaults: 0,
  successCodes: [],
  retryCount: 0,
  timeoutSeconds: NaN,
};

/**
 * Works out what a step needs beyond its action, adding its writes, needs and option texts to
 * `tables`. The answer is valid until the next call.
 */
export function planStep(step: StepNode, tables: StepTables): StepPlan {
  const action = actionPlan(step.action);
  const def = action.def;
  const { writes, needs, texts } = tables;
  const options = step.options;
  const shape = shapeOf(action, options);
  let commandLine = NONE;
  for (let i = 0; i < options.length; i++) {
    const value = options[i].value;
    const prop = shape.props[i];
    const kind = shape.writeKinds[i];
    const text = optionText(prop, value);
    // One form for both tables: a text with a `%` is taken apart once.
    const form = text === undefined ? undefined : optionValue(shape.numbers[i], text);
    addText(texts, shape.numbers[i], form ?? null);
    if (kind === NO_WRITE) continue;
    if (kind === LIST_WRITE) listWrites(prop!, value, writes);
    else if (form !== undefined) {
      const at = addWrite(writes, shape.slots[i], prop!.xmlVariable!, form);
      if (prop!.name === 'commandLine') commandLine = at;
    }
  }
  if (def) {
    const refs = action.contentRefs;
    for (let r = 0; r < refs.length; r++) {
      const at = shape.refOptions[r];
      if (at < 0) continue;
      const v = options[at].value;
      if (Array.isArray(v)) {
        for (const id of v)
          if ((typeof id === 'string' || typeof id === 'number') && String(id).trim())
            needs.push(need(refs[r].kind, String(id).trim()));
      } else if ((typeof v === 'string' || typeof v === 'number') && String(v).trim())
        needs.push(need(refs[r].kind, String(v).trim()));
    }
  }
  const stepRetry =
    step.retryCount?.value ??
    (def && def.retryCount > 0 && shape.retryOption >= 0 ? codes(options[shape.retryOption].value)?.[0] : undefined);
  const plan = stepPlan;
  plan.action = action;
  plan.commandLine = commandLine;
  plan.defaults = shape.defaults;
  plan.successCodes =
    step.successCodes?.value ??
    (shape.successCodesOption >= 0 ? codes(options[shape.successCodesOption].value) : undefined) ??
    action.successCodes;
  plan.retryCount = stepRetry ?? action.retryCount;
  plan.timeoutSeconds = step.timeout?.value ?? NaN;
  return plan;
}
