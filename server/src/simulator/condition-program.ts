// `when:` conditions made ready to decide many times: each condition is parsed once and compiled
// into closures that read variables by slot and answer true or false without building any text.
// Why it is true or false (the skip reason an admin reads) is worded only when someone asks, from
// the values the condition saw: a decision keeps those values (a capture), and the explanation is
// the evaluator's own words for the condition against exactly those values and the machine's
// facts, which do not change during a run. So a reason read long after later steps changed the
// variables still tells what the condition saw.

import { evaluateCondition, walkCondition, MAX_CONDITION_DEPTH, DEFAULT_WMI_NAMESPACE, type ConditionEnvironment, type ConditionNode, type ConditionRoot } from '../conditions';
import { matchesLike, orderValues, satisfies } from '../conditions/compare';
import { parsedCondition } from '../analysis/conditions';
import type { WhenClause } from '../model/sequence';
import { existingSlot, variableSlot, type VariableStore } from './variables';

type Test = (vars: VariableStore, env: ConditionEnvironment) => boolean;

const TRUE: Test = () => true;
const FALSE: Test = () => false;

export class ConditionProgram {
  /** Slots of the variables the condition reads, once each, in text order. */
  private readonly slots: number[] = [];
  /** The last capture of two or more values, handed out again while the values stay the same. */
  private lastCapture: (string | undefined)[] | undefined;
  /** Decides the condition against the run's variables (`vars`) and the machine (`env`). */
  readonly test: Test;

  constructor(
    readonly ast: ConditionRoot | undefined,
    /** Why the condition cannot be read; such a condition counts as false. */
    private readonly unreadable?: string,
  ) {
    if (!ast) {
      this.test = FALSE;
      return;
    }
    walkCondition(ast, (n) => {
      if (n.kind !== 'compare' && n.kind !== 'exists') return;
      const slot = variableSlot(n.variable.name);
      if (!this.slots.includes(slot)) this.slots.push(slot);
    });
    // The evaluator gives up on trees nested deeper than it allows; let it decide those itself.
    this.test = depthOf(ast) > MAX_CONDITION_DEPTH + 1 ? (_vars, env) => evaluateCondition(ast, env).value : compile(ast);
  }

  /**
   * The values the condition reads, as they are now: nothing for none, the value itself for one,
   * else an array (the previous one again when nothing changed, so repeated decisions allocate nothing).
   */
  capture(vars: VariableStore): unknown {
    const slots = this.slots;
    if (slots.length === 0) return undefined;
    if (slots.length === 1) return vars.at(slots[0]);
    const last = this.lastCapture;
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
    const values = slots.map((s) => vars.at(s));
    this.lastCapture = values;
    return values;
  }

  /** Why the condition was true or false, given what `capture` returned at the time and the machine's facts. */
  explain(captured: unknown, facts: ConditionEnvironment): string {
    if (!this.ast) return `the condition cannot be read (${this.unreadable ?? 'syntax error'}), so it counts as false`;
    const slots = this.slots;
    const valueOf = (name: string): string | undefined => {
      const slot = existingSlot(name);
      const i = slot === undefined ? -1 : slots.indexOf(slot);
      if (i < 0) return undefined;
      return slots.length === 1 ? (captured as string | undefined) : (captured as (string | undefined)[])[i];
    };
    return evaluateCondition(this.ast, { ...facts, variable: valueOf }).explanation;
  }
}

const programs = new WeakMap<WhenClause, ConditionProgram>();

/** The compiled form of a node's `when:`, made once per parsed condition. */
export function conditionProgram(when: WhenClause): ConditionProgram {
  let p = programs.get(when);
  if (!p) {
    const { ast, errors } = parsedCondition(when.text);
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
    if (n.kind === 'condition' || n.kind === 'and' || n.kind === 'or' || n.kind === 'not') for (const c of n.children) stack.push([c, d + 1]);
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
    case 'compare': {
      const slot = variableSlot(node.variable.name);
      const expected = node.value.value;
      // A variable that is not set compares as empty text (simulator rule).
      switch (node.operator) {
        case 'equals':
        case 'notEquals': {
          const upper = expected.toUpperCase();
          const wanted = node.operator === 'equals';
          return (v) => {
            const actual = v.at(slot) ?? '';
            return (actual === expected || actual.toUpperCase() === upper) === wanted;
          };
        }
        case 'like':
          return (v) => matchesLike(v.at(slot) ?? '', expected);
        default: {
          const operator = node.operator;
          return (v) => satisfies(operator, orderValues(v.at(slot) ?? '', expected).order);
        }
      }
    }
    case 'exists': {
      const slot = variableSlot(node.variable.name);
      const negated = node.negated;
      return (v) => (v.at(slot) !== undefined) !== negated;
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
