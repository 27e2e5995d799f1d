// A parsed sequence made ready to run. For each list of nodes (a sequence's top level, a group's
// steps) a FrameProgram lays out, index by index in flat arrays, what every visit would otherwise
// work out again or fetch from scattered objects of the parsed file: the node's kind and flags,
// its name, its condition (as a list of variable checks when it is one, else compiled), its
// action, the variables it writes, the content it needs, its success codes, retries, time limit
// and option texts. A visit then reads neighbouring array entries instead of chasing a handful of
// objects per step, which is what large sequences spend their time on (cache misses), and a
// compiled file is a few arrays per group rather than objects per step. Programs are kept for as
// long as the parsed nodes live, so later runs of the same file start ready. A list is compiled
// when a run first enters it (`group`, `frameProgram`), never before: a first run pays only for
// the groups it enters, and the debugger stops on the first step of a large file without
// compiling the rest (test/simulator/first-run.test.ts: the same run whichever way it is compiled).

import type { ConditionEnvironment } from '../conditions';
import type { SeqNode } from '../model/sequence';
import { RUN_TASK_SEQUENCE } from '../semantics/child-reference';
import {
  addChecks,
  captureSeveral,
  conditionProgram,
  conditionSlots,
  explainChecks,
  explainCondition,
  forgetLastUpper,
  isCheckList,
  passes,
  readCheckList,
  type Capture,
  type CheckTable,
  type ConditionProgram,
} from './condition-program';
import { optionNumber, planStep, type ActionPlan, type PlannedNeed, type StepTables } from './plan';
import { variableSlot, type Template, type VariableStore } from './variables';
import { Scratch } from './scratch';
import {
  findText,
  forgetLastTemplates,
  NONE,
  sharedWrites,
  textAt,
  writeAt,
  writeCount,
  WriteField,
  type TextTable,
  type WriteTable,
  type WriteValue,
} from './step-tables';

/** What a node is and how it runs, in one number per node (`flags(i)`): its kind in the low bits, then one bit per flag. */
export type NodeFlags = number & { readonly nodeFlags: true };

/** A node's kind, as `flags & NodeFlag.KIND` gives it. */
export const GROUP = 0;
export const STEP = 1;
/** A Run Task Sequence step. */
export const CHILD = 2;
export type NodeKind = typeof GROUP | typeof STEP | typeof CHILD;

/**
 * The parts of a node's flags: `flags & NodeFlag.KIND` is its kind, each other member one bit. A
 * const enum, so the compiler puts the bare numbers where the engine reads them: a function call
 * per bit made the first run of a file measurably slower (npm run bench), a bit test costs nothing.
 */
export const enum NodeFlag {
  KIND = 3,
  DISABLED = 4,
  HAS_CONDITION = 8,
  CONTINUES_ON_ERROR = 16,
}
/** The condition is a list of variable checks, laid out in `checks`; else `conditions` holds it compiled. */
const CONDITION_IS_CHECKS = 32;
/** Those checks were read from the condition's text (`readCheckList`), so its reason is worded from them. */
const CHECKS_FROM_TEXT = 64;

/** Where `add` collects the slots a condition reads (copied when it keeps them). */
const SCRATCH_SLOTS: number[] = [];

/** The numbers kept per node, side by side in one typed array: INTS per node, each at its place below. */
const FLAGS = 0,
  CHECK_FROM = 1,
  CHECK_TO = 2,
  ONLY_SLOT = 3,
  WRITE_FROM = 4,
  WRITE_TO = 5,
  COMMAND_LINE = 6,
  NEED_FROM = 7,
  NEED_TO = 8,
  RETRY = 9,
  TEXT_FROM = 10,
  TEXT_TO = 11,
  DEFAULT_WRITES = 12;
const INTS = 13;
/** ONLY_SLOT when the condition reads no variable, or several (`captureSlots` holds them); else it is the one slot it reads. */
const NO_SLOT = -1,
  SEVERAL_SLOTS = -2;

const EMPTY: never[] = [];

/** Where frames are compiled before their tables are copied out at their exact size (frames are compiled one at a time). */
const scratch = { checks: new Scratch<number | string>(), tables: newTables(), busy: false };

function newTables(): StepTables {
  return { writes: new Scratch(), needs: new Scratch(), texts: new Scratch() };
}

/** Ints per chunk that node tables are cut from. */
const INT_CHUNK = 1 << 16;
let intChunk = new Int32Array(0),
  intsUsed = 0;

/**
 * `size` zeroed ints for a frame's node table, cut from a shared chunk: a typed array of its own
 * for each of a large file's thousands of groups cost a buffer each, slower to make than the
 * frame's other tables together (a view on a chunk reads the same). A chunk is never written
 * twice, so what is cut from it is zero; it lives as long as one of its frames does.
 */
function nodeInts(size: number): Int32Array {
  if (size > INT_CHUNK / 8) return new Int32Array(size);
  if (intsUsed + size > intChunk.length) {
    intChunk = new Int32Array(INT_CHUNK);
    intsUsed = 0;
  }
  const ints = intChunk.subarray(intsUsed, intsUsed + size);
  intsUsed += size;
  return ints;
}

export class FrameProgram {
  /** Per node, INTS numbers: kind and flags, ranges into the tables below, the command line's write, retries. */
  private readonly ints: Int32Array;
  readonly names: string[];
  /** Steps only (undefined for groups). */
  readonly actions: (ActionPlan | undefined)[];
  /** Variable checks of the conditions that are only checks (condition-program.ts lays them out). */
  private readonly checks: CheckTable;
  private readonly writes: WriteTable;
  private readonly needs: readonly PlannedNeed[];
  private readonly texts: TextTable;
  // What few nodes have is kept in arrays made only when one does: most frames need none of them.
  /** Compiled conditions that are more than a list of checks. */
  private conditions: (ConditionProgram | undefined)[] | undefined;
  /** The variables a node's condition reads, when it reads several (what its captures hold). */
  private captureSlots: (number[] | undefined)[] | undefined;
  /** The last capture of a node's condition, handed out again while the values stay the same. */
  private lastCapture: ((string | undefined)[] | undefined)[] | undefined;
  /** Success codes of the steps whose codes are not their action's. */
  private ownCodes: (readonly number[] | undefined)[] | undefined;
  /** Time limits in seconds (undefined: none), when a step has one. */
  private limits: (number | undefined)[] | undefined;
  /** The programs of groups' steps, by the group's index (made when first entered). */
  private inner: (FrameProgram | undefined)[] | undefined;

  constructor(readonly nodes: readonly SeqNode[]) {
    const n = nodes.length;
    this.ints = nodeInts(n * INTS);
    this.names = new Array<string>(n);
    this.actions = new Array<ActionPlan | undefined>(n);
    // A frame compiled while another is (it does not happen today) gets tables of its own.
    const own = scratch.busy;
    const tables = own ? newTables() : scratch.tables;
    const checks = own ? new Scratch<number | string>() : scratch.checks;
    scratch.busy = true;
    try {
      for (let i = 0; i < n; i++) this.add(i, nodes[i], checks, tables);
      this.checks = checks.copy();
      this.writes = tables.writes.copy();
      this.needs = tables.needs.copy();
      this.texts = tables.texts.copy();
    } finally {
      if (!own) {
        scratch.busy = false;
        // What the lists and the reuse of the step before hold is let go with the frame (own-text.ts).
        checks.clear();
        tables.writes.clear();
        tables.needs.clear();
        tables.texts.clear();
      }
      forgetLastTemplates();
      forgetLastUpper();
    }
  }

  private add(i: number, node: SeqNode, checks: Scratch<number | string>, tables: StepTables): void {
    const ints = this.ints;
    const at = i * INTS;
    const n = this.nodes.length;
    let flags = node.disabled ? NodeFlag.DISABLED : 0;
    if (node.continueOnError) flags |= NodeFlag.CONTINUES_ON_ERROR;
    this.names[i] = node.name;
    const checkFrom = checks.length;
    ints[at + CHECK_FROM] = checkFrom;
    let slots: number[] | undefined;
    if (node.when) {
      flags |= NodeFlag.HAS_CONDITION;
      // Most conditions are a few variable checks, read here straight from the text; the others
      // go through the parser once (conditionProgram keeps what it made, for reasons read later).
      slots = SCRATCH_SLOTS;
      slots.length = 0;
      if (readCheckList(node.when.text, checks, slots)) flags |= CONDITION_IS_CHECKS | CHECKS_FROM_TEXT;
      else {
        checks.length = checkFrom;
        const condition = conditionProgram(node.when);
        slots = condition.ast ? conditionSlots(condition.ast) : undefined;
        if (condition.ast && isCheckList(condition.ast)) {
          flags |= CONDITION_IS_CHECKS;
          addChecks(condition.ast, checks);
        } else (this.conditions ??= new Array(n))[i] = condition;
      }
    }
    ints[at + CHECK_TO] = checks.length;
    ints[at + ONLY_SLOT] = !slots || slots.length === 0 ? NO_SLOT : slots.length === 1 ? slots[0] : SEVERAL_SLOTS;
    if (slots && slots.length > 1)
      (this.captureSlots ??= new Array(n))[i] = slots === SCRATCH_SLOTS ? slots.slice() : slots;
    ints[at + WRITE_FROM] = tables.writes.length;
    ints[at + NEED_FROM] = tables.needs.length;
    ints[at + TEXT_FROM] = tables.texts.length;
    ints[at + COMMAND_LINE] = NONE;
    if (node.kind === 'group') flags |= GROUP;
    else {
      flags |= node.action === RUN_TASK_SEQUENCE ? CHILD : STEP;
      const plan = planStep(node, tables);
      this.actions[i] = plan.action;
      ints[at + COMMAND_LINE] = plan.commandLine;
      ints[at + DEFAULT_WRITES] = plan.defaults;
      if (plan.successCodes !== plan.action.successCodes) (this.ownCodes ??= new Array(n))[i] = plan.successCodes;
      ints[at + RETRY] = plan.retryCount;
      if (!Number.isNaN(plan.timeoutSeconds)) (this.limits ??= new Array(n))[i] = plan.timeoutSeconds;
    }
    ints[at + FLAGS] = flags;
    ints[at + WRITE_TO] = tables.writes.length;
    ints[at + NEED_TO] = tables.needs.length;
    ints[at + TEXT_TO] = tables.texts.length;
  }

  /** Kind and flags of node i (read them with `NodeFlag`). */
  flags(i: number): NodeFlags {
    return this.ints[i * INTS + FLAGS] as NodeFlags;
  }

  /** Whether node i's condition (it has one: NodeFlag.HAS_CONDITION) holds for the run's variables and the machine. */
  conditionHolds(i: number, vars: VariableStore, env: ConditionEnvironment): boolean {
    const at = i * INTS;
    if (this.ints[at + FLAGS] & CONDITION_IS_CHECKS)
      return passes(this.checks, this.ints[at + CHECK_FROM], this.ints[at + CHECK_TO], vars);
    return this.conditions![i]!.test(vars, env);
  }

  /**
   * Why `node`'s condition was false (or true), from what it read then (`capture`): in the words
   * `explainCondition` gives, worded from the checks the run decided with when they were read from
   * the text, so the run's text does not read tens of thousands of conditions again.
   */
  conditionReason(node: SeqNode, captured: Capture, facts: ConditionEnvironment): string {
    const i = node.index;
    const at = i * INTS;
    if (this.nodes[i] !== node || !(this.ints[at + FLAGS] & CHECKS_FROM_TEXT))
      return explainCondition(node.when!, captured, facts);
    const only = this.ints[at + ONLY_SLOT];
    return explainChecks(
      node.when!.text,
      this.checks,
      this.ints[at + CHECK_FROM],
      this.ints[at + CHECK_TO],
      only === SEVERAL_SLOTS ? this.captureSlots![i]! : EMPTY,
      captured,
    );
  }

  /** Success codes of step i. */
  successCodes(i: number): readonly number[] {
    return this.ownCodes?.[i] ?? this.actions[i]?.successCodes ?? EMPTY;
  }

  /** Time limit of step i in seconds; NaN without one. */
  timeout(i: number): number {
    return this.limits?.[i] ?? NaN;
  }

  /**
   * Sets the variables step i writes before it runs (its options' variables, with `%Name%` filled
   * in from the variables as they are now); returns its command line so filled in, when it has one.
   */
  writeVariables(i: number, vars: VariableStore): string | undefined {
    // The one reader of the write table outside step-tables.ts (its header says why it is here).
    const at = i * INTS;
    const commandLine = this.ints[at + COMMAND_LINE];
    const defaults = this.ints[at + DEFAULT_WRITES];
    let cmd: string | undefined;
    // The step's own writes, then its layout's defaults (a table shared by the steps of that layout).
    let writes = this.writes;
    let line = commandLine;
    for (let w = this.ints[at + WRITE_FROM], to = this.ints[at + WRITE_TO], more = defaults !== 0; ;) {
      // Fixed values are stored as they are, without reading them (step-tables.ts says why).
      for (; w < to; w += WriteField.SIZE) {
        const slot = writes[w + WriteField.SLOT] as number;
        const value =
          slot >= 0 ? (writes[w + WriteField.VALUE] as string) : vars.fill(writes[w + WriteField.VALUE] as Template);
        vars.setAt(slot >= 0 ? slot : ~slot, writes[w + WriteField.NAME] as string, value);
        if (w === line) cmd = value;
      }
      if (!more) break;
      more = false;
      writes = sharedWrites(defaults);
      w = 0;
      to = writes.length;
      line = NONE;
    }
    // A command line that fills in to nothing is filled in again (a fixed one is what it is): a
    // later write of the same step may have set what it names.
    if (commandLine !== NONE && !cmd && (this.writes[commandLine + WriteField.SLOT] as number) < 0) {
      const template = this.writes[commandLine + WriteField.VALUE] as Template;
      if (template.canBeEmpty) return vars.fill(template);
    }
    return cmd;
  }

  /** The writes of step i in the order `writeVariables` makes them, and which one is its command line (-1: none); for tests and tools. */
  writesOf(i: number): { writes: { slot: number; name: string; value: WriteValue }[]; commandLine: number } {
    const at = i * INTS;
    const first = this.ints[at + WRITE_FROM] / WriteField.SIZE;
    const writes = [];
    for (let k = first, end = this.ints[at + WRITE_TO] / WriteField.SIZE; k < end; k++)
      writes.push(writeAt(this.writes, k));
    const defaults = this.ints[at + DEFAULT_WRITES];
    if (defaults !== 0) {
      const shared = sharedWrites(defaults);
      for (let k = 0, end = writeCount(shared); k < end; k++) writes.push(writeAt(shared, k));
    }
    const commandLine = this.ints[at + COMMAND_LINE];
    return { writes, commandLine: commandLine === NONE ? -1 : commandLine / WriteField.SIZE - first };
  }

  /** Whether step i needs content (`need(i, k)` for k from 0 to `needCount(i) - 1`). */
  needCount(i: number): number {
    return this.ints[i * INTS + NEED_TO] - this.ints[i * INTS + NEED_FROM];
  }

  /** The k-th object whose content step i needs. */
  need(i: number, k: number): PlannedNeed {
    return this.needs[this.ints[i * INTS + NEED_FROM] + k];
  }

  retryCount(i: number): number {
    return this.ints[i * INTS + RETRY];
  }

  /** What node i's condition reads, as it is now: what its reason is worded from later. */
  capture(i: number, vars: VariableStore): Capture {
    const only = this.ints[i * INTS + ONLY_SLOT];
    if (only >= 0) return vars.at(only);
    if (only === NO_SLOT) return undefined;
    const last = (this.lastCapture ??= new Array<(string | undefined)[] | undefined>(this.nodes.length));
    return (last[i] = captureSeveral(this.captureSlots![i]!, vars, last[i]));
  }

  /** The program of the steps of group `i`. */
  group(i: number): FrameProgram {
    const inner = (this.inner ??= new Array<FrameProgram | undefined>(this.nodes.length));
    let p = inner[i];
    if (!p) inner[i] = p = frameProgram((this.nodes[i] as Extract<SeqNode, { kind: 'group' }>).steps);
    return p;
  }

  /** Where option `name` of step `i` is in `texts`; NONE when not given. */
  private textOf(i: number, name: string): number {
    return findText(this.texts, this.ints[i * INTS + TEXT_FROM], this.ints[i * INTS + TEXT_TO], optionNumber(name));
  }

  /** The slot of the variable that option `name` of step `i` names, when the option is given and its text holds no `%`; -1 otherwise. */
  variableSlot(i: number, name: string): number {
    const t = this.textOf(i, name);
    const text = t === NONE ? undefined : textAt(this.texts, t);
    return typeof text === 'string' ? variableSlot(text.trim()) : -1;
  }

  /**
   * Option `name` of step `i` with `%Name%` expanded (see `optionText`). A text with a `%` was
   * taken apart when the step was compiled, so a fixed text is handed out without being read again.
   */
  optionValue(i: number, name: string, vars: VariableStore): string | undefined {
    const t = this.textOf(i, name);
    if (t === NONE) {
      const fallback = this.actions[i]?.defaultTexts.get(name);
      return fallback === undefined ? undefined : vars.expand(fallback);
    }
    const text = textAt(this.texts, t);
    return text === null ? undefined : typeof text === 'string' ? text : vars.fill(text);
  }

  /** Option `name` of step `i` as written (in text form), else the action's default; undefined when neither. */
  optionText(i: number, name: string): string | undefined {
    const t = this.textOf(i, name);
    if (t !== NONE) {
      const text = textAt(this.texts, t);
      return text === null ? undefined : typeof text === 'string' ? text : text.text;
    }
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
