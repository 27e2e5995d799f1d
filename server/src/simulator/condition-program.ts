// `when:` conditions made ready to decide many times: each condition is parsed once and compiled
// into closures that read variables by slot and answer true or false without building any text;
// the common form — checks of variables joined by `and` — also as a flat list of checks that a
// frame program lays out beside its nodes (program.ts). That form is read straight from the text
// by `readCheckList`, without tokens or a tree: a large sequence has tens of thousands of such
// conditions, and the first run of a freshly parsed file reads every one of them.
// Why it is true or false (the skip reason an admin reads) is worded only when someone asks, from
// the values the condition saw: a decision keeps those values (a capture), and the explanation is
// the evaluator's own words for the condition against exactly those values and the machine's
// facts, which do not change during a run. So a reason read long after later steps changed the
// variables still tells what the condition saw.

import {
  evaluateCondition,
  walkCondition,
  MAX_CONDITION_DEPTH,
  DEFAULT_WMI_NAMESPACE,
  type ConditionEnvironment,
  type ConditionNode,
  type ConditionRoot,
  type VariableOperator,
} from '../conditions';
import { matchesLike, orderValues, satisfies } from '../conditions/compare';
import { describe } from '../conditions/evaluate';
import { parseCondition } from '../conditions/parse';
import {
  checkValue,
  readChecks,
  EQUALS,
  NOT_EQUALS,
  LIKE,
  EXISTS,
  NOT_EXISTS,
  GREATER,
  GREATER_EQUAL,
  LESS,
  LESS_EQUAL,
} from '../conditions/check-list';
import type { WhenClause } from '../model/sequence';
import { existingSlot, variableSlot, variableSlotIn, type VariableStore } from './variables';
import type { Scratch } from './scratch';

type Test = (vars: VariableStore, env: ConditionEnvironment) => boolean;

const ORDER_OPERATORS = ['greater', 'greaterEqual', 'less', 'lessEqual'] as const;
/** The evaluator's name of each comparison, by operation (EXISTS and NOT_EXISTS have none). */
const OPERATOR_NAMES = ['equals', 'notEquals', 'like', '', '', ...ORDER_OPERATORS] as const;

/**
 * Entries per check in a flat list, and where each part of one is: operation, variable slot,
 * expected text, expected text in upper case, and where the variable's name is in the condition's
 * text (from and to; -1 for checks laid out from a parsed tree), so that a reason is worded from
 * the list the run decided with, without reading the text again (`explainChecks`).
 */
export const CHECK_SIZE = 6;
const CHECK_OPERATION = 0,
  CHECK_SLOT = 1,
  CHECK_EXPECTED = 2,
  CHECK_UPPER = 3,
  CHECK_NAME_FROM = 4,
  CHECK_NAME_TO = 5;

/** Checks laid out flat, CHECK_SIZE entries each; made by `addChecks` and `readCheckList`, decided by `passes`. */
export type CheckTable = readonly (number | string)[];

/**
 * What a condition read when it was decided, for wording its reason later: nothing when it reads
 * no variable, the value of the one it reads, else the values of those it reads in text order.
 */
export type Capture = string | undefined | readonly (string | undefined)[];

/**
 * One check of a variable, as conditions/evaluate.ts decides it: a variable that is not set
 * compares as empty text (simulator rule); text equality ignores case.
 */
export function check(operation: number, actual: string | undefined, expected: string, upper: string): boolean {
  switch (operation) {
    case EXISTS:
      return actual !== undefined;
    case NOT_EXISTS:
      return actual === undefined;
    case EQUALS:
    case NOT_EQUALS: {
      const text = actual ?? '';
      return (text === expected || text.toUpperCase() === upper) === (operation === EQUALS);
    }
    case LIKE:
      return matchesLike(actual ?? '', expected);
    default:
      return satisfies(ORDER_OPERATORS[operation - GREATER], orderValues(actual ?? '', expected).order);
  }
}

/** Whether every check from `from` to `to` (exclusive) of a flat list passes. */
export function passes(checks: CheckTable, from: number, to: number, vars: VariableStore): boolean {
  for (let c = from; c < to; c += CHECK_SIZE) {
    const operation = checks[c + CHECK_OPERATION] as number;
    const actual = vars.at(checks[c + CHECK_SLOT] as number);
    if (!check(operation, actual, checks[c + CHECK_EXPECTED] as string, checks[c + CHECK_UPPER] as string))
      return false;
  }
  return true;
}

const OPERATIONS: Record<string, number> = {
  equals: EQUALS,
  notEquals: NOT_EQUALS,
  like: LIKE,
  greater: GREATER,
  greaterEqual: GREATER_EQUAL,
  less: LESS,
  lessEqual: LESS_EQUAL,
};

/** The last expected text `upperFor` put in upper case, and its upper case. */
let lastExpected = '',
  lastUpper = '';

/**
 * The expected text in upper case, as a check of `operation` reads it: only equality compares in
 * upper case (`check`). Checks often expect what the check before them did (`"Dell"` on every
 * model check of a file): the upper case made then is handed out again, one text kept instead of
 * one a check.
 */
function upperFor(operation: number, expected: string): string {
  if (operation !== EQUALS && operation !== NOT_EQUALS) return '';
  if (expected !== lastExpected) {
    lastExpected = expected;
    lastUpper = expected.toUpperCase();
  }
  return lastUpper;
}

/** Forgets the upper case `upperFor` would hand out again: when a frame's compile ends (own-text.ts says why). */
export function forgetLastUpper(): void {
  lastExpected = lastUpper = '';
}

/** Where checks are laid out: an array, or the scratch list a frame is compiled in. */
export type CheckList = (number | string)[] | Scratch<number | string>;

function pushCheck(
  out: CheckList,
  operation: number,
  slot: number,
  expected: string,
  upper: string,
  nameFrom: number,
  nameTo: number,
): void {
  // In the order of CHECK_OPERATION, CHECK_SLOT, CHECK_EXPECTED, CHECK_UPPER, CHECK_NAME_FROM, CHECK_NAME_TO.
  if (Array.isArray(out)) out.push(operation, slot, expected, upper, nameFrom, nameTo);
  else out.push6(operation, slot, expected, upper, nameFrom, nameTo);
}

/** A check of one variable, taken apart as `check` decides it. */
interface VariableCheck {
  operation: number;
  slot: number;
  expected: string;
  upper: string;
}

/** The check a node of the condition tree is; undefined for any other kind of node. */
function variableCheck(node: ConditionNode): VariableCheck | undefined {
  if (node.kind === 'exists')
    return {
      operation: node.negated ? NOT_EXISTS : EXISTS,
      slot: variableSlot(node.variable.name),
      expected: '',
      upper: '',
    };
  if (node.kind === 'compare') {
    const operation = OPERATIONS[node.operator];
    return {
      operation,
      slot: variableSlot(node.variable.name),
      expected: node.value.value,
      upper: upperFor(operation, node.value.value),
    };
  }
  return undefined;
}

const TRUE: Test = () => true;
const FALSE: Test = () => false;

/** The variables a condition reads, once each, in text order: what a capture holds. */
export function conditionSlots(ast: ConditionRoot): number[] {
  const slots: number[] = [];
  walkCondition(ast, (n) => {
    if (n.kind !== 'compare' && n.kind !== 'exists') return;
    const slot = variableSlot(n.variable.name);
    if (!slots.includes(slot)) slots.push(slot);
  });
  return slots;
}

/** Whether the condition is only variable checks joined by `and` (so `addChecks` can lay it out). */
export function isCheckList(ast: ConditionRoot): boolean {
  return ast.children.every((c) => c.kind === 'exists' || c.kind === 'compare');
}

/** Adds the checks of a condition that `isCheckList` accepts to a flat list, CHECK_SIZE entries each. */
export function addChecks(ast: ConditionRoot, out: CheckList): void {
  for (const child of ast.children) {
    const c = variableCheck(child);
    if (c) pushCheck(out, c.operation, c.slot, c.expected, c.upper, -1, -1);
  }
}

/**
 * Reads a condition that is only checks of variables joined by `and` straight from its text
 * (conditions/check-list.ts says which texts it takes), adding its checks to `out` (CHECK_SIZE
 * entries each, as `addChecks` does) and the slots it reads to `slots` (once each, in text order,
 * as `conditionSlots`). False for any text it does not take in full (then `out` and `slots` may
 * hold a part and the caller drops it): the condition parser, which stays the reference, reads
 * those. Each check keeps where its variable's name is in the text, for wording reasons
 * (`explainChecks`).
 */
export function readCheckList(text: string, out: CheckList, slots: number[]): boolean {
  return readChecks(text, (operation, variableFrom, variableTo, valueFrom, valueTo) => {
    const value = checkValue(text, valueFrom, valueTo);
    const slot = variableSlotIn(text, variableFrom, variableTo);
    pushCheck(out, operation, slot, value, upperFor(operation, value), variableFrom, variableTo);
    if (!slots.includes(slot)) slots.push(slot);
  });
}

/** The values of two or more `slots` as they are now: `last` again when nothing changed, so repeated decisions allocate nothing. */
export function captureSeveral(
  slots: readonly number[],
  vars: VariableStore,
  last: (string | undefined)[] | undefined,
): (string | undefined)[] {
  if (last) {
    let same = true;
    for (let i = 0; i < slots.length; i++) {
      if (last[i] !== vars.at(slots[i])) {
        same = false;
        break;
      }
    }
    if (same) return last;
  }
  return slots.map((s) => vars.at(s));
}

export class ConditionProgram {
  /** Slots of the variables the condition reads, once each, in text order. */
  private readonly slots: number[];
  /** The last capture of two or more values. */
  private lastCapture: (string | undefined)[] | undefined;
  private compiled: Test | undefined;

  constructor(
    readonly ast: ConditionRoot | undefined,
    /** Why the condition cannot be read; such a condition counts as false. */
    private readonly unreadable?: string,
  ) {
    this.slots = ast ? conditionSlots(ast) : [];
  }

  /** Decides the condition against the run's variables (`vars`) and the machine (`env`). */
  test(vars: VariableStore, env: ConditionEnvironment): boolean {
    if (!this.compiled) {
      const ast = this.ast;
      // The evaluator gives up on trees nested deeper than it allows; let it decide those itself.
      this.compiled = !ast
        ? FALSE
        : depthOf(ast) > MAX_CONDITION_DEPTH + 1
          ? (_vars, e) => evaluateCondition(ast, e).value
          : compile(ast);
    }
    return this.compiled(vars, env);
  }

  /** What the condition reads, as it is now. */
  capture(vars: VariableStore): Capture {
    const slots = this.slots;
    if (slots.length === 0) return undefined;
    if (slots.length === 1) return vars.at(slots[0]);
    return (this.lastCapture = captureSeveral(slots, vars, this.lastCapture));
  }

  /** Why the condition was true or false, given what `capture` returned at the time and the machine's facts. */
  explain(captured: Capture, facts: ConditionEnvironment): string {
    if (!this.ast) return `the condition cannot be read (${this.unreadable ?? 'syntax error'}), so it counts as false`;
    const slots = this.slots;
    const valueOf = (name: string): string | undefined => {
      const slot = existingSlot(name);
      const i = slot === undefined ? -1 : slots.indexOf(slot);
      if (i < 0) return undefined;
      return typeof captured === 'object' ? captured[i] : captured;
    };
    return evaluateCondition(this.ast, { ...facts, variable: valueOf }).explanation;
  }
}

/** Where `explainCheckList` reads a condition again (reasons are worded one at a time). */
const EXPLAINED_CHECKS: (number | string)[] = [];
const EXPLAINED_SLOTS: number[] = [];

/**
 * Why a condition that is a list of checks was true or false, in the evaluator's words (the first
 * check that failed, else every check joined with "and", as `evaluateCondition` words a chain of
 * `and`), from what `capture` returned at the time. The text is read again by `readCheckList`
 * rather than parsed: a run of a large file words tens of thousands of such reasons, and parsing
 * each condition for its reason was a third of writing the run's text. Undefined for any other
 * condition (the parser's program words those).
 */
export function explainCheckList(text: string, captured: Capture): string | undefined {
  const checks = EXPLAINED_CHECKS,
    slots = EXPLAINED_SLOTS;
  checks.length = slots.length = 0;
  const read = readCheckList(text, checks, slots);
  const words = read ? explainChecks(text, checks, 0, checks.length, slots, captured) : undefined;
  // The lists live as long as the process; what they read is let go (own-text.ts).
  checks.length = slots.length = 0;
  forgetLastUpper();
  return words;
}

/**
 * `explainCheckList` for checks `readCheckList` laid out already (entries `from` to `to` of
 * `checks`, read from `text`, reading `slots` in the order `captured` holds their values): what a
 * frame program words a skipped node's reason with, from the list it decided the node with.
 */
export function explainChecks(
  text: string,
  checks: CheckTable,
  from: number,
  to: number,
  slots: readonly number[],
  captured: Capture,
): string {
  let words = '';
  for (let c = from; c < to; c += CHECK_SIZE) {
    const operation = checks[c + CHECK_OPERATION] as number;
    const actual = typeof captured === 'object' ? captured[slots.indexOf(checks[c + CHECK_SLOT] as number)] : captured;
    const name = text.slice(checks[c + CHECK_NAME_FROM] as number, checks[c + CHECK_NAME_TO] as number);
    let value: boolean, explanation: string;
    if (operation === EXISTS || operation === NOT_EXISTS) {
      value = (actual !== undefined) === (operation === EXISTS);
      explanation = `${name} is ${actual !== undefined ? 'set' : 'not set'}`;
    } else {
      const expected = checks[c + CHECK_EXPECTED] as string;
      value = check(operation, actual, expected, checks[c + CHECK_UPPER] as string);
      const note = operation >= GREATER && !orderValues(actual ?? '', expected).numeric ? ' (compared as text)' : '';
      explanation = describe(name, actual, OPERATOR_NAMES[operation] as VariableOperator, expected, value, note);
    }
    if (!value) return explanation;
    words = words ? `${words} and ${explanation}` : explanation;
  }
  return words;
}

/** Why a node's condition was true or false, from what was captured when it was decided and the machine's facts. */
export function explainCondition(when: WhenClause, captured: Capture, facts: ConditionEnvironment): string {
  return explainCheckList(when.text, captured) ?? conditionProgram(when).explain(captured, facts);
}

const programs = new WeakMap<WhenClause, ConditionProgram>();

/** The compiled form of a node's `when:`, made once per parsed condition. */
export function conditionProgram(when: WhenClause): ConditionProgram {
  let p = programs.get(when);
  if (!p) {
    const { ast, errors } = parseCondition(when.text);
    p = !ast || errors.length ? new ConditionProgram(undefined, errors[0]?.message) : new ConditionProgram(ast);
    programs.set(when, p);
  }
  return p;
}

/** Nesting depth as the evaluator counts it (the root is 0; tests of an OS version group one deeper). */
function depthOf(node: ConditionNode): number {
  let max = 0;
  const stack: [ConditionNode, number][] = [[node, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    if (n.kind === 'condition' || n.kind === 'and' || n.kind === 'or' || n.kind === 'not')
      for (const c of n.children) stack.push([c, d + 1]);
    else if (n.kind === 'osVersion') for (const p of n.platforms) for (const t of p.tests) stack.push([t, d + 1]);
  }
  return max;
}

/**
 * Closures with the evaluator's decisions (conditions/evaluate.ts) for the common checks; the
 * rest are decided by the evaluator itself. Checks have no side effects, so stopping at the first
 * child that settles a group gives the evaluator's value.
 */
function compile(node: ConditionNode): Test {
  switch (node.kind) {
    case 'condition':
    case 'and': {
      const kids = node.children.map(compile);
      if (kids.length === 0) return TRUE;
      if (kids.length === 1) return kids[0];
      if (kids.length === 2) {
        const [a, b] = kids;
        return (v, e) => a(v, e) && b(v, e);
      }
      return (v, e) => {
        for (const k of kids) if (!k(v, e)) return false;
        return true;
      };
    }
    case 'or': {
      const kids = node.children.map(compile);
      if (kids.length === 0) return FALSE;
      return (v, e) => {
        for (const k of kids) if (k(v, e)) return true;
        return false;
      };
    }
    case 'not': {
      const kids = node.children.map(compile);
      return (v, e) => {
        for (const k of kids) if (k(v, e)) return false;
        return true;
      };
    }
    case 'compare':
    case 'exists': {
      const { operation, slot, expected, upper } = variableCheck(node)!;
      return (v) => check(operation, v.at(slot), expected, upper);
    }
    case 'wmi': {
      const namespace = node.namespace?.value ?? DEFAULT_WMI_NAMESPACE;
      const query = node.query.value;
      return (_v, e) => e.wmi?.(namespace, query) === true;
    }
    default:
      return (_v, e) => evaluateCondition(node, e).value;
  }
}
