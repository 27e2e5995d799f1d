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
import { parsedCondition } from '../analysis/conditions';
import { captureValues, conditionProgram, conditionSlots, flatChecks, type ConditionProgram } from './condition-program';
import { planStep, type ActionPlan, type PlannedNeed } from './plan';
import { variableSlot, type Template, type VariableStore } from './variables';

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

export class FrameProgram {
  /** Kind and flags per node. */
  readonly flags: number[] = [];
  readonly names: string[] = [];
  /** Compiled conditions that are more than a list of checks. */
  readonly conditions: (ConditionProgram | undefined)[] = [];
  /** The checks of node i (with CHECKS_FLAG): checks[checkFrom[i]] to checks[checkFrom[i + 1] - 1], CHECK_SIZE entries each. */
  readonly checkFrom: number[] = [0];
  readonly checks: (number | string)[] = [];
  /** The variables node i's condition reads, when it reads several (what its captures hold). */
  readonly captureSlots: (number[] | undefined)[] = [];
  /** The only variable node i's condition reads (-1: none, -2: several). */
  readonly onlySlot: number[] = [];
  /** The last capture of node i's condition, handed out again while the values stay the same. */
  private readonly lastCapture: ((string | undefined)[] | undefined)[] = [];
  /** Steps only (undefined for groups). */
  readonly actions: (ActionPlan | undefined)[] = [];
  /** The writes of node i are entries writeFrom[i] to writeFrom[i + 1] - 1 of the write table. */
  readonly writeFrom: number[] = [0];
  /** Three values per write: the slot, the name, the value (a Template when it holds a `%` to expand). */
  readonly writes: (number | string | Template)[] = [];
  /** Entry of the command line in the write table (Run Command Line); -1 without one. */
  readonly commandLine: number[] = [];
  /** The content of node i: needs[needFrom[i]] to needs[needFrom[i + 1] - 1]. */
  readonly needFrom: number[] = [0];
  readonly needs: PlannedNeed[] = [];
  readonly successCodes: (readonly number[])[] = [];
  readonly retryCount: number[] = [];
  /** Seconds; NaN without a time limit. */
  readonly timeout: number[] = [];
  /** The option texts of node i: name, text pairs from texts[textFrom[i]] to texts[textFrom[i + 1] - 1]. */
  readonly textFrom: number[] = [0];
  readonly texts: (string | null)[] = [];
  /** Slots of the variables option texts name, by text index (made when first asked). */
  private textSlots: number[] | undefined;
  /** The programs of groups' steps, by the group's index (made when first entered). */
  private readonly inner: (FrameProgram | undefined)[] = [];

  constructor(readonly nodes: readonly SeqNode[]) {
    for (const node of nodes) this.add(node);
  }

  private add(node: SeqNode): void {
    let flags = node.disabled ? DISABLED_FLAG : 0;
    if (node.continueOnError) flags |= CONTINUE_FLAG;
    this.names.push(node.name);
    let condition: ConditionProgram | undefined;
    let slots: number[] = [];
    if (node.when) {
      flags |= CONDITION_FLAG;
      const { ast, errors } = parsedCondition(node.when.text);
      const checks = ast && !errors.length ? flatChecks(ast) : undefined;
      if (ast && checks) {
        flags |= CHECKS_FLAG;
        for (const c of checks) this.checks.push(c);
        slots = conditionSlots(ast);
      } else {
        condition = conditionProgram(node.when);
        slots = condition.ast ? conditionSlots(condition.ast) : [];
      }
    }
    this.conditions.push(condition);
    this.checkFrom.push(this.checks.length);
    this.onlySlot.push(slots.length === 0 ? -1 : slots.length === 1 ? slots[0] : -2);
    this.captureSlots.push(slots.length > 1 ? slots : undefined);
    this.lastCapture.push(undefined);
    this.inner.push(undefined);
    if (node.kind === 'group') {
      this.flags.push(flags | GROUP);
      this.actions.push(undefined);
      this.commandLine.push(-1);
      this.successCodes.push(NO_CODES);
      this.retryCount.push(0);
      this.timeout.push(NaN);
    } else {
      this.flags.push(flags | (node.action === RUN_TASK_SEQUENCE ? CHILD : STEP));
      const plan = planStep(node, this);
      this.actions.push(plan.action);
      this.commandLine.push(plan.commandLine);
      this.successCodes.push(plan.successCodes);
      this.retryCount.push(plan.retryCount);
      this.timeout.push(plan.timeoutSeconds);
    }
    this.writeFrom.push(this.writes.length);
    this.needFrom.push(this.needs.length);
    this.textFrom.push(this.texts.length);
  }

  /** What node i's condition reads, as it is now: what its reason is worded from later. */
  capture(i: number, vars: VariableStore): unknown {
    const only = this.onlySlot[i];
    if (only >= 0) return vars.at(only);
    if (only === -1) return undefined;
    const slots = this.captureSlots[i];
    if (!slots) return this.conditions[i]!.capture(vars);
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

  /**
   * The slot of the variable that option `name` of step `i` names, when the option is given and
   * its text holds no `%` (worked out once); -1 otherwise.
   */
  variableSlot(i: number, name: string): number {
    const texts = this.texts;
    for (let t = this.textFrom[i + 1] - 2; t >= this.textFrom[i]; t -= 2) {
      if (texts[t] !== name) continue;
      const slots = (this.textSlots ??= new Array<number>(texts.length));
      let slot = slots[t];
      if (slot === undefined) {
        const text = texts[t + 1];
        slots[t] = slot = text === null || text.includes('%') ? -1 : variableSlot(text.trim());
      }
      return slot;
    }
    return -1;
  }

  /** Option `name` of step `i` as written (in text form), else the action's default; undefined when neither. */
  optionText(i: number, name: string): string | undefined {
    const texts = this.texts;
    for (let t = this.textFrom[i + 1] - 2; t >= this.textFrom[i]; t -= 2) if (texts[t] === name) return texts[t + 1] ?? undefined;
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
