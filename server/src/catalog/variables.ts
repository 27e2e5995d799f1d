// Lookups over the built-in task sequence variables (./data/variables.json). Variable names are
// case-insensitive in ConfigMgr, so every lookup here ignores case. Also: the read-only rule
// (a leading `_`), array variables (`OSDPartitions0Type` belongs to the base `OSDPartitions`), and
// suggestions for misspelt names.

import variablesData from './data/variables.json';
import type { StepProperty, VariableDefinition } from './types';
import { allSteps } from './steps';
import { suggest } from '../util/suggest';

const VARIABLES: readonly VariableDefinition[] = variablesData as unknown as VariableDefinition[];
const byLowerName = new Map<string, VariableDefinition>(VARIABLES.map((v) => [v.name.toLowerCase(), v]));

/** Every built-in variable, one definition per name. */
export function allVariables(): readonly VariableDefinition[] {
  return VARIABLES;
}

/** Every built-in variable name, in the catalog's spelling. */
export function variableNames(): string[] {
  return VARIABLES.map((v) => v.name);
}

/** The built-in variable called `name`, ignoring case (array entries such as `OSDPartitions0Type`: see resolveArrayVariable). */
export function findVariable(name: string): VariableDefinition | undefined {
  return byLowerName.get(name.toLowerCase());
}

/**
 * Whether sequences, admins and scripts are barred from setting `name`: the engine owns every
 * name that starts with `_` (built-in or not), and user variables may not start with it.
 */
export function isReadOnlyVariable(name: string): boolean {
  return name.startsWith('_');
}

/** An entry of an array variable, e.g. `OSDAdapter1IPAddressList`. */
export interface ArrayVariableMatch {
  /** The base variable (`OSDAdapter`). */
  base: VariableDefinition;
  /** The zero-based entry index (`1`). */
  index: number;
  /** The field after the index, as written (`IPAddressList`). */
  field: string;
  /** The step list-entry property the field maps to, when the catalog knows the field. */
  item?: StepProperty;
}

interface ArrayBase {
  base: VariableDefinition;
  regex: RegExp;
  items: StepProperty[];
}

let arrayBases: ArrayBase[] | undefined;

// The list entries of a base come from the step property whose variable is that base.
function arrayBasesOf(): ArrayBase[] {
  if (arrayBases) return arrayBases;
  arrayBases = VARIABLES.filter((v) => v.array).map((base) => {
    const items: StepProperty[] = [];
    for (const step of allSteps()) {
      for (const p of step.properties) {
        if (p.type === 'objectList' && p.xmlVariable?.toLowerCase() === base.name.toLowerCase())
          items.push(...(p.items ?? []));
      }
    }
    return { base, regex: new RegExp(`^${base.name}(\\d+)([A-Za-z_][A-Za-z0-9_]*)$`, 'i'), items };
  });
  return arrayBases;
}

/** The array variable `name` is an entry of, or undefined when it is not of the `<base><index><field>` form. */
export function resolveArrayVariable(name: string): ArrayVariableMatch | undefined {
  for (const { base, regex, items } of arrayBasesOf()) {
    const m = regex.exec(name);
    if (!m) continue;
    const field = m[2];
    const item = items.find((it) => it.xmlVariable?.replace(/^.*\{n\}/, '').toLowerCase() === field.toLowerCase());
    return { base, index: Number(m[1]), field, ...(item ? { item } : {}) };
  }
  return undefined;
}

/** Whether `name` is a built-in variable or an entry of a built-in array variable (case ignored). */
export function isBuiltInVariable(name: string): boolean {
  return findVariable(name) !== undefined || resolveArrayVariable(name) !== undefined;
}

/** The variables a step reads or sets, by the step's DSL key. */
export function variablesOfStep(stepKey: string): VariableDefinition[] {
  return VARIABLES.filter((v) => v.usages.some((u) => u.step === stepKey));
}

/** Up to three built-in variable names close to a misspelt one. */
export function suggestVariableNames(name: string): string[] {
  return suggest(
    name,
    VARIABLES.map((v) => v.name),
  );
}

/** Task sequence variable names: letters, digits, `_` and `-`, at most 256 characters. */
export const VARIABLE_NAME = /^[A-Za-z0-9_-]{1,256}$/;
/** The longest value a task sequence variable holds, in characters. */
export const MAX_VARIABLE_VALUE = 4000;
