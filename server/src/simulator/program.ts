// A parsed sequence made ready to run. For each list of nodes (a sequence's top level, a group's
// steps) a FrameProgram lays out, index by index in flat arrays, what every visit would otherwise
// work out again or fetch from scattered objects of the parsed file: the node's kind and flags,
// its name, its compiled condition, its action, the variables it writes, the content it needs,
// its success codes, retries, time limit and option texts. A visit then reads neighbouring array
// entries instead of chasing a handful of objects per step, which is what large sequences spend
// their time on (cache misses). Programs are made when a run first enters the list and kept for
// as long as the parsed nodes live, so later runs of the same file start ready.

import type { SeqNode } from '../model/sequence';
import { RUN_TASK_SEQUENCE } from '../analysis/children';
import { conditionProgram, type ConditionProgram } from './condition-program';
import { planStep, type ActionPlan, type PlannedNeed } from './plan';

/** What a node is (the low bits of its flags). */
export const GROUP = 0;
export const STEP = 1;
/** A Run Task Sequence step. */
export const CHILD = 2;
export const KIND = 3;
export const DISABLED_FLAG = 4;
export const CONDITION_FLAG = 8;
export const CONTINUE_FLAG = 16;

const NO_CODES: readonly number[] = [];

export class FrameProgram {
  /** Kind and flags per node. */
  readonly flags: number[] = [];
  readonly names: string[] = [];
  readonly conditions: (ConditionProgram | undefined)[] = [];
  /** Steps only (undefined for groups). */
  readonly actions: (ActionPlan | undefined)[] = [];
  /** The writes of node i are entries writeFrom[i] to writeFrom[i + 1] - 1 of the write table. */
  readonly writeFrom: number[] = [0];
  /** Three values per write: the slot (as ~slot when the value holds a `%` to expand), the name, the value. */
  readonly writes: (number | string)[] = [];
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

  constructor(readonly nodes: readonly SeqNode[]) {
    for (const node of nodes) this.add(node);
  }

  private add(node: SeqNode): void {
    let flags = node.disabled ? DISABLED_FLAG : 0;
    if (node.when) flags |= CONDITION_FLAG;
    if (node.continueOnError) flags |= CONTINUE_FLAG;
    this.names.push(node.name);
    this.conditions.push(node.when ? conditionProgram(node.when) : undefined);
    if (node.kind === 'group') {
      this.flags.push(flags | GROUP);
      this.actions.push(undefined);
      this.commandLine.push(-1);
      this.successCodes.push(NO_CODES);
      this.retryCount.push(0);
      this.timeout.push(NaN);
    } else {
      this.flags.push(flags | (node.action === RUN_TASK_SEQUENCE ? CHILD : STEP));
      const plan = planStep(node);
      this.actions.push(plan.action);
      this.commandLine.push(plan.commandLine < 0 ? -1 : this.writes.length + plan.commandLine * 3);
      for (const w of plan.writes) this.writes.push(w.value.includes('%') ? ~w.slot : w.slot, w.name, w.value);
      for (const n of plan.needs) this.needs.push(n);
      for (const t of plan.texts) this.texts.push(t);
      this.successCodes.push(plan.successCodes);
      this.retryCount.push(plan.retryCount);
      this.timeout.push(plan.timeoutSeconds);
    }
    this.writeFrom.push(this.writes.length);
    this.needFrom.push(this.needs.length);
    this.textFrom.push(this.texts.length);
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
