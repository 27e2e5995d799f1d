// The `when:` conditions as analysis sees them: each distinct text is parsed once per process and
// what rules ask of it is kept, not its syntax tree — the mistakes in it, the variables it tests,
// the comparisons of its top-level AND (which pin the Windows PE / full OS environment or the media
// type) and the platforms its OS version checks name.
//
// Why facts and not trees: rules ask about the same condition several times in one analysis
// (condition-syntax, the environment walk, architecture-mismatch, variable reads), and a file's
// conditions are mostly all different (each names its own model, value or variable). The cache
// held 10,000 trees and was emptied when full, so on a file with more distinct conditions every
// rule parsed every condition again (40,000 distinct conditions in the 100,000-step bench file:
// three parses each). Facts are a few small objects, so the cache can hold every condition of a
// large file: the newest CACHE_GENERATION texts and the ones before them, a text asked for again
// moving up to the newest (so a file's conditions stay while they are used, and closed files' leave).
// test/unit/condition-facts.test.ts compares the facts with what the parser's tree says.

import {
  parseCondition,
  variableReferences,
  walkCondition,
  type ConditionError,
  type ConditionExpr,
} from '../conditions';
import { normaliseArchitecture, type Architecture } from '../model/architecture';

/** A variable a condition tests, with offsets into the condition text. */
export interface ConditionVariable {
  name: string;
  start: number;
  end: number;
}

/** `Var == "x"` or `Var != "x"` in a condition's top-level AND: the name and value lower-cased, the value trimmed. */
interface PlainComparison {
  variable: string;
  equals: boolean;
  value: string;
}

interface ConditionFacts {
  /** The first mistake in reading order (the parser stops there); empty when the condition reads. */
  errors: readonly ConditionError[];
  variables: readonly ConditionVariable[];
  comparisons: readonly PlainComparison[];
  architectures: readonly Architecture[];
  environment?: 'WinPE' | 'FullOS';
}

const NOTHING: readonly never[] = Object.freeze([]);

/** How many texts each of the cache's two generations holds. */
const CACHE_GENERATION = 50_000;
let newest = new Map<string, ConditionFacts>();
let older = new Map<string, ConditionFacts>();

function factsOf(text: string): ConditionFacts {
  let facts = newest.get(text);
  if (facts) return facts;
  facts = older.get(text) ?? readFacts(text);
  if (newest.size >= CACHE_GENERATION) {
    older = newest;
    newest = new Map();
  }
  newest.set(text, facts);
  return facts;
}

function readFacts(text: string): ConditionFacts {
  const { ast, errors } = parseCondition(text);
  if (!ast) return { errors, variables: NOTHING, comparisons: NOTHING, architectures: NOTHING };
  const references = variableReferences(ast);
  const variables = references.length
    ? references.map((v): ConditionVariable => ({ name: v.name, start: v.start, end: v.end }))
    : NOTHING;
  const comparisons: PlainComparison[] = [];
  const visit = (e: ConditionExpr) => {
    if (e.kind === 'and') return e.children.forEach(visit);
    if (e.kind !== 'compare' || (e.operator !== 'equals' && e.operator !== 'notEquals')) return;
    comparisons.push({
      variable: e.variable.name.toLowerCase(),
      equals: e.operator === 'equals',
      value: e.value.value.trim().toLowerCase(),
    });
  };
  ast.children.forEach(visit);
  const architectures: Architecture[] = [];
  walkCondition(ast, (n) => {
    if (n.kind !== 'osVersion') return;
    for (const p of n.platforms) {
      const m = /\b(x86|x64|arm64)\b/i.exec(p.name.value);
      const a = m ? normaliseArchitecture(m[1]) : undefined;
      if (a && !architectures.includes(a)) architectures.push(a);
    }
  });
  return {
    errors: NOTHING,
    variables,
    comparisons: comparisons.length ? comparisons : NOTHING,
    architectures: architectures.length ? architectures : NOTHING,
    environment: environmentOf(comparisons),
  };
}

/**
 * `_SMSTSInWinPE == "true"` (or `!= "false"`) anywhere in the top-level AND gives `WinPE`; the
 * opposite gives `FullOS`; the last such comparison wins.
 */
function environmentOf(comparisons: readonly PlainComparison[]): 'WinPE' | 'FullOS' | undefined {
  let found: 'WinPE' | 'FullOS' | undefined;
  for (const c of comparisons) {
    if (c.variable !== '_smstsinwinpe' || (c.value !== 'true' && c.value !== 'false')) continue;
    found = (c.value === 'true') === c.equals ? 'WinPE' : 'FullOS';
  }
  return found;
}

/** The mistakes in a condition (the first one in reading order), none when it reads. */
export function conditionErrors(text: string): readonly ConditionError[] {
  return factsOf(text).errors;
}

/** Variables a condition tests, with offsets into the condition text (do not modify the list). */
export function conditionVariables(text: string): readonly ConditionVariable[] {
  return factsOf(text).variables;
}

/** Architectures named by the platforms of the condition's OS version checks (`All x64 Windows 11 ...`). */
export function osConditionArchitectures(text: string): readonly Architecture[] {
  return factsOf(text).architectures;
}

/**
 * The environment a condition requires, when it says so plainly: `_SMSTSInWinPE == "true"`
 * (or `!= "false"`) anywhere in its top-level AND gives `WinPE`; the opposite gives `FullOS`.
 */
export function requiredEnvironment(text: string): 'WinPE' | 'FullOS' | undefined {
  return factsOf(text).environment;
}

/**
 * True when a condition is false whenever `variable` equals `value` (compared case-insensitively),
 * as its top-level AND says plainly: `variable != "value"`, or `variable == "another value"`.
 */
export function conditionExcludes(text: string, variable: string, value: string): boolean {
  const name = variable.toLowerCase();
  const wanted = value.toLowerCase();
  for (const c of factsOf(text).comparisons)
    if (c.variable === name && (c.equals ? c.value !== wanted : c.value === wanted)) return true;
  return false;
}
