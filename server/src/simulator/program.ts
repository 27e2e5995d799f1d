// A parsed sequence made ready to run. For each list of nodes (a sequence's top level, a group's
// steps) a FrameProgram lays out, index by index in flat arrays, what every visit would otherwise
// work out again or fetch from scattered objects of the parsed file: the node's kind and flags,
// its name, its condition (as a list of variable checks when it is one, else compiled), its
// action, the variables it writes, the content it needs, its success codes, retries, time limit
// and option texts. A visit then reads neighbouring array entries instead of chasing a handful of
// objects per step, which is what large sequences spend their time on (cache misses), and a
// compiled file is a few arrays per group rather than objects per step. Programs are made when a
// run first enters the list and kept for as long as the parsed nodes live, so later runs of the
// same file start ready.

import type { SeqNode } from '../model/sequence';
import { RUN_TASK_SEQUENCE } from '../analysis/children';
import { parseCondition } from '../conditions/parse';
import { addChecks, captureValues, conditionProgram, conditionSlots, isCheckList, passes, type ConditionProgram } from './condition-program';
import { optionNumber, planStep, type ActionPlan, type PlannedNeed } from './plan';
import { Template, variableSlot, type VariableStore } from './variables';

/** What a node is (the low bits of its flags). */
export const GROUP = 0;
export const STEP = 1;
/** A Run Task Sequence step. */
export const CHILD = 2;
export const KIND = 3;
export const DISABLED_FLAG = 4;
export const CONDITION_FLAG = 8;
export const CONTINUE_FLAG = 16;
/** The condition is a list of variable checks, laid out in `checks`; else `conditions` holds it compiled. */
export const CHECKS_FLAG = 32;

const NO_CODES: readonly number[] = [];

/** The numbers kept per node, side by side in one typed array. */
const FLAGS = 0, CHECK_FROM = 1, CHECK_TO = 2, ONLY_SLOT = 3, WRITE_FROM = 4, WRITE_TO = 5, COMMAND_LINE = 6, NEED_FROM = 7, NEED_TO = 8, RETRY = 9, TEXT_FROM = 10, TEXT_TO = 11;
const INTS = 12;

export class FrameProgram {
  /** Per node, INTS numbers: kind and flags, ranges into the tables below, the command line's write, retries. */
  private readonly ints: Int32Array;
  readonly names: string[];
  /** Compiled conditions that are more than a list of checks. */
  readonly conditions: (ConditionProgram | undefined)[];
  /** The variables a node's condition reads, when it reads several (what its captures hold). */
  private readonly captureSlots: (number[] | undefined)[];
  /** The last capture of a node's condition, handed out again while the values stay the same. */
  private readonly lastCapture: ((string | undefined)[] | undefined)[];
  /** Steps only (undefined for groups). */
  readonly actions: (ActionPlan | undefined)[];
  readonly successCodes: (readonly number[])[];
  /** Seconds; NaN without a time limit. */
  readonly timeouts: number[];
  /** The programs of groups' steps, by the group's index (made when first entered). */
  private readonly inner: (FrameProgram | undefined)[];
  /** Variable checks of the conditions that are only checks (CHECKS_FLAG), CHECK_SIZE entries each. */
  readonly checks: (number | string)[] = [];
  /** Three values per write: the slot, the name, the value; a value with a `%` to expand is a Template, its slot stored as ~slot. */
  readonly writes: (number | string | Template)[] = [];
  readonly needs: PlannedNeed[] = [];
  /** Option texts: option number (plan.ts's `optionNumber`), text pairs. */
  readonly texts: (number | string | null)[] = [];
  /** Slots of the variables option texts name, by text index (made when first asked). */
  private textSlots: number[] | undefined;
  /** Option texts ready to expand, by text index: null for a text without `%` (made when first asked). */
  private textForms: (Template | null)[] | undefined;

  constructor(readonly nodes: readonly SeqNode[]) {
    const n = nodes.length;
    this.ints = new Int32Array(n * INTS);
    this.names = new Array(n);
    this.conditions = new Array(n);
    this.captureSlots = new Array(n);
    this.lastCapture = new Array(n);
    this.actions = new Array(n);
    this.successCodes = new Array(n);
    this.timeouts = new Array<number>(n).fill(NaN);
    this.inner = new Array(n);
    for (let i = 0; i < n; i++) this.add(i, nodes[i]);
  }

  private add(i: number, node: SeqNode): void {
    const ints = this.ints;
    const at = i * INTS;
    let flags = node.disabled ? DISABLED_FLAG : 0;
    if (node.continueOnError) flags |= CONTINUE_FLAG;
    this.names[i] = node.name;
    let slots: number[] | undefined;
    ints[at + CHECK_FROM] = this.checks.length;
    if (node.when) {
      flags |= CONDITION_FLAG;
      // Parsed here rather than through the analysis cache: a large file would only churn it.
      const { ast, errors } = parseCondition(node.when.text);
      if (ast && !errors.length && isCheckList(ast)) {
        flags |= CHECKS_FLAG;
        addChecks(ast, this.checks);
        slots = conditionSlots(ast);
      } else {
        const condition = (this.conditions[i] = conditionProgram(node.when));
        if (condition.ast) slots = conditionSlots(condition.ast);
      }
    }
    ints[at + CHECK_TO] = this.checks.length;
    ints[at + ONLY_SLOT] = !slots || slots.length === 0 ? -1 : slots.length === 1 ? slots[0] : -2;
    if (slots && slots.length > 1) this.captureSlots[i] = slots;
    ints[at + WRITE_FROM] = this.writes.length;
    ints[at + NEED_FROM] = this.needs.length;
    ints[at + TEXT_FROM] = this.texts.length;
    ints[at + COMMAND_LINE] = -1;
    if (node.kind === 'group') {
      flags |= GROUP;
      this.successCodes[i] = NO_CODES;
    } else {
      flags |= node.action === RUN_TASK_SEQUENCE ? CHILD : STEP;
      const plan = planStep(node, this);
      this.actions[i] = plan.action;
      ints[at + COMMAND_LINE] = plan.commandLine;
      this.successCodes[i] = plan.successCodes;
      ints[at + RETRY] = plan.retryCount;
      this.timeouts[i] = plan.timeoutSeconds;
    }
    ints[at + FLAGS] = flags;
    ints[at + WRITE_TO] = this.writes.length;
    ints[at + NEED_TO] = this.needs.length;
    ints[at + TEXT_TO] = this.texts.length;
  }

  /** Kind and flags of node i. */
  flags(i: number): number {
    return this.ints[i * INTS + FLAGS];
  }

  /** Whether node i's condition holds (for a condition that is only checks: CHECKS_FLAG). */
  checksPass(i: number, vars: VariableStore): boolean {
    return passes(this.checks, this.ints[i * INTS + CHECK_FROM], this.ints[i * INTS + CHECK_TO], vars);
  }

  /** The writes of node i are entries writeFrom(i) to writeTo(i) - 1 of `writes`, three per write. */
  writeFrom(i: number): number {
    return this.ints[i * INTS + WRITE_FROM];
  }

  writeTo(i: number): number {
    return this.ints[i * INTS + WRITE_TO];
  }

  /** Entry of node i's command line in `writes` (Run Command Line); -1 without one. */
  commandLine(i: number): number {
    return this.ints[i * INTS + COMMAND_LINE];
  }

  /** The content node i needs: needs[needFrom(i)] to needs[needTo(i) - 1]. */
  needFrom(i: number): number {
    return this.ints[i * INTS + NEED_FROM];
  }

  needTo(i: number): number {
    return this.ints[i * INTS + NEED_TO];
  }

  retryCount(i: number): number {
    return this.ints[i * INTS + RETRY];
  }

  /** What node i's condition reads, as it is now: what its reason is worded from later. */
  capture(i: number, vars: VariableStore): unknown {
    const only = this.ints[i * INTS + ONLY_SLOT];
    if (only >= 0) return vars.at(only);
    if (only === -1) return undefined;
    const slots = this.captureSlots[i]!;
    const captured = captureValues(slots, vars, this.lastCapture[i]);
    this.lastCapture[i] = captured as (string | undefined)[];
    return captured;
  }

  /** The program of the steps of group `i`. */
  group(i: number): FrameProgram {
    let p = this.inner[i];
    if (!p) this.inner[i] = p = frameProgram((this.nodes[i] as Extract<SeqNode, { kind: 'group' }>).steps);
    return p;
  }

  /** Where option `name` of step `i` is in `texts` (its number; the text follows); -1 when not given. */
  private textOf(i: number, name: string): number {
    const texts = this.texts;
    const wanted = optionNumber(name);
    const from = this.ints[i * INTS + TEXT_FROM];
    for (let t = this.ints[i * INTS + TEXT_TO] - 2; t >= from; t -= 2) if (texts[t] === wanted) return t;
    return -1;
  }

  /**
   * The slot of the variable that option `name` of step `i` names, when the option is given and
   * its text holds no `%` (worked out once); -1 otherwise.
   */
  variableSlot(i: number, name: string): number {
    const t = this.textOf(i, name);
    if (t < 0) return -1;
    const slots = (this.textSlots ??= new Array<number>(this.texts.length));
    let slot = slots[t];
    if (slot === undefined) {
      const text = this.texts[t + 1] as string | null;
      slots[t] = slot = text === null || text.includes('%') ? -1 : variableSlot(text.trim());
    }
    return slot;
  }

  /**
   * Option `name` of step `i` with `%Name%` expanded (see `optionText`). Whether a text needs
   * expanding is worked out once, so a fixed text is handed out without being read again.
   */
  optionValue(i: number, name: string, vars: VariableStore): string | undefined {
    const t = this.textOf(i, name);
    if (t < 0) {
      const fallback = this.actions[i]?.defaultTexts.get(name);
      return fallback === undefined ? undefined : vars.expand(fallback);
    }
    const forms = (this.textForms ??= new Array<Template | null>(this.texts.length));
    let form = forms[t];
    if (form === undefined) {
      const text = this.texts[t + 1] as string | null;
      forms[t] = form = text !== null && text.includes('%') ? new Template(text) : null;
    }
    return form ? vars.fill(form) : ((this.texts[t + 1] as string | null) ?? undefined);
  }

  /** Option `name` of step `i` as written (in text form), else the action's default; undefined when neither. */
  optionText(i: number, name: string): string | undefined {
    const t = this.textOf(i, name);
    if (t >= 0) return (this.texts[t + 1] as string | null) ?? undefined;
    return this.actions[i]?.defaultTexts.get(name);
  }
}

const cache = new WeakMap<readonly SeqNode[], FrameProgram>();

/** The program of a list of nodes, made once. */
export function frameProgram(nodes: readonly SeqNode[]): FrameProgram {
  let p = cache.get(nodes);
  if (!p) cache.set(nodes, (p = new FrameProgram(nodes)));
  return p;
}
