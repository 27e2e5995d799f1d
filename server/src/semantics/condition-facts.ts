// The `when:` conditions as analysis sees them: what rules ask of each — the mistakes in it, the
// variables it tests, what its top-level AND pins (the Windows PE / full OS environment, no
// stand-alone media) and the platforms its OS version checks name — kept per distinct text as
// facts, not syntax trees.
//
// Why facts and not trees: rules ask about the same condition several times in one analysis
// (condition-syntax, the environment walk, architecture-mismatch, variable reads), and a file's
// conditions are mostly all different (each names its own model, value or variable). The cache
// held 10,000 trees and was emptied when full, so on a file with more distinct conditions every
// rule parsed every condition again (40,000 distinct conditions in the 100,000-step bench file:
// three parses each). Facts are a few small objects, so the cache can hold every condition of a
// large file: the newest CACHE_GENERATION texts and the ones before them, a text asked for again
// moving up to the newest (so a file's conditions stay while they are used, and closed files' leave).
// The variables are kept as two flat lists, their names (interned: variable-names.ts) and their
// offsets in pairs, not as an object each: on the `long-conditions` bench shape that was 100,000
// objects kept for the life of the cache (docs/performance.md, "Long conditions"). Variable
// reads walk them with `eachConditionVariable`, making nothing on the way. The names are made
// from the offsets (a name is the word written there) the first time a condition's variables are
// asked for, not when it is parsed: interning the names of the 40,000 distinct conditions of a
// 100,000-step file was a sixth of their facts' cost (docs/performance.md, "The error check's
// conditions and wording").
//
// Most conditions are checks of variables joined by `and` (conditions/check-list.ts): such a text
// is never parsed. Its facts are read from the text (`readChecks`), and what the check before a
// simulated run asks of every condition — its mistakes and platforms (none) — is answered by
// recognising the form (`isCheckList`) without keeping anything; the environment and stand-alone
// media are looked up only for the conditions that name `_SMSTSInWinPE` or `_SMSTSMediaType`. On
// the 100,000-step file that check kept 40,007 texts' facts and parsed each; it now keeps the few
// that pin an environment (docs/performance.md, "One reading of each condition").
// test/unit/condition-facts.test.ts and condition-facts-check-list.test.ts compare the facts with
// what the parser's tree says.

import { parseCondition, walkCondition, type ConditionError, type ConditionExpr } from '../conditions';
import { checkValue, isCheckList, readChecks, EQUALS, NOT_EQUALS } from '../conditions/check-list';
import { normaliseArchitecture, type Architecture } from '../model/architecture';
import { internVariableName } from './variable-names';

/** A variable a condition tests, with offsets into the condition text. */
export interface ConditionVariable {
  name: string;
  start: number;
  end: number;
}

/** The task sequence variable that holds the media a run started from. */
export const MEDIA_TYPE_VARIABLE = '_SMSTSMediaType';
/** `_SMSTSMediaType` on stand-alone media. */
export const STANDALONE_MEDIA_TYPE = 'FullMedia';

interface ConditionFacts {
  /** The first mistake in reading order (the parser stops there); empty when the condition reads. */
  errors: readonly ConditionError[];
  /**
   * The names of the variables tested, in the order variableReferences gives them: undefined until
   * first asked for (`namesOf`), each being the text at its pair of `offsets`.
   */
  names: readonly string[] | undefined;
  /** Where each of `names` is in the condition text: start and end, one pair per name. */
  offsets: readonly number[];
  architectures: readonly Architecture[];
  environment?: 'WinPE' | 'FullOS';
  /** False whenever `_SMSTSMediaType` is `FullMedia`, as the top-level AND says plainly. */
  notOnStandaloneMedia: boolean;
}

const NOTHING: readonly never[] = Object.freeze([]);

const IN_WINPE = '_smstsinwinpe';
const MEDIA = MEDIA_TYPE_VARIABLE.toLowerCase();
const STANDALONE = STANDALONE_MEDIA_TYPE.toLowerCase();

/** True when `name` is `lower` (a name in lower case) in any case. */
function sameName(name: string, lower: string): boolean {
  return name.length === lower.length && name.toLowerCase() === lower;
}

/** How many texts each of the cache's two generations holds. */
const CACHE_GENERATION = 50_000;
let newest = new Map<string, ConditionFacts>();
let older = new Map<string, ConditionFacts>();

/** The facts of `text`, kept; `read` makes them when they are not (`parsedFacts` for a text known not to be a check list). */
function factsOf(text: string, read: (text: string) => ConditionFacts = readFacts): ConditionFacts {
  let facts = newest.get(text);
  if (facts) return facts;
  facts = (older.size ? older.get(text) : undefined) ?? read(text);
  if (newest.size >= CACHE_GENERATION) {
    older = newest;
    newest = new Map();
  }
  newest.set(text, facts);
  return facts;
}

function readFacts(text: string): ConditionFacts {
  return checkListFacts(text) ?? parsedFacts(text);
}

/**
 * The facts of a condition that is only checks of variables joined by `and`, read from its text
 * (conditions/check-list.ts) without the parser: it has no mistake, tests the variables of its
 * checks in text order, names no platform, and its checks are its top-level AND. Undefined for any
 * other text.
 */
function checkListFacts(text: string): ConditionFacts | undefined {
  const offsets: number[] = [];
  let environment: 'WinPE' | 'FullOS' | undefined;
  let notOnStandaloneMedia = false;
  const read = readChecks(text, (operation, from, to, valueFrom, valueTo) => {
    offsets.push(from, to);
    if (operation !== EQUALS && operation !== NOT_EQUALS) return;
    if (to - from !== IN_WINPE.length && to - from !== MEDIA.length) return;
    const pins = pinned(text.slice(from, to), checkValue(text, valueFrom, valueTo), operation === EQUALS);
    if (pins === STANDALONE_RULED_OUT) notOnStandaloneMedia = true;
    else if (pins) environment = pins;
  });
  if (!read) return undefined;
  return {
    errors: NOTHING,
    names: undefined,
    offsets: offsets.slice(),
    architectures: NOTHING,
    environment,
    notOnStandaloneMedia,
  };
}

const STANDALONE_RULED_OUT = 'not-standalone';

/**
 * What one comparison of the top-level AND (`name == value`, or `!=` when not `equals`) pins:
 * `_SMSTSInWinPE` with `true` or `false` the environment, `_SMSTSMediaType` against `FullMedia`
 * ruling stand-alone media out (both compared case-insensitively). Most comparisons are of other
 * variables: their names are told apart by length before any text is made.
 */
function pinned(
  name: string,
  value: string,
  equals: boolean,
): 'WinPE' | 'FullOS' | typeof STANDALONE_RULED_OUT | undefined {
  const inWinPE = sameName(name, IN_WINPE);
  if (!inWinPE && !sameName(name, MEDIA)) return undefined;
  const lower = value.trim().toLowerCase();
  if (inWinPE)
    return lower === 'true' || lower === 'false' ? ((lower === 'true') === equals ? 'WinPE' : 'FullOS') : undefined;
  return (equals ? lower !== STANDALONE : lower === STANDALONE) ? STANDALONE_RULED_OUT : undefined;
}

function parsedFacts(text: string): ConditionFacts {
  const { ast, errors } = parseCondition(text);
  if (!ast) return { errors, names: NOTHING, offsets: NOTHING, architectures: NOTHING, notOnStandaloneMedia: false };
  // One walk for the variables (in the order variableReferences gives them) and the platforms.
  const offsets: number[] = [];
  const architectures: Architecture[] = [];
  walkCondition(ast, (n) => {
    if (n.kind === 'compare' || n.kind === 'exists') offsets.push(n.variable.start, n.variable.end);
    else if (n.kind === 'osVersion')
      for (const p of n.platforms) {
        const m = /\b(x86|x64|arm64)\b/i.exec(p.name.value);
        const a = m ? normaliseArchitecture(m[1]) : undefined;
        if (a && !architectures.includes(a)) architectures.push(a);
      }
  });
  // The comparisons of the top-level AND, the last one pinning the environment winning.
  let environment: 'WinPE' | 'FullOS' | undefined;
  let notOnStandaloneMedia = false;
  const visit = (e: ConditionExpr) => {
    if (e.kind === 'and') return e.children.forEach(visit);
    if (e.kind !== 'compare' || (e.operator !== 'equals' && e.operator !== 'notEquals')) return;
    const pins = pinned(e.variable.name, e.value.value, e.operator === 'equals');
    if (pins === STANDALONE_RULED_OUT) notOnStandaloneMedia = true;
    else if (pins) environment = pins;
  };
  ast.children.forEach(visit);
  return {
    errors: NOTHING,
    names: offsets.length ? undefined : NOTHING,
    // Copied at its length: a list grown by push keeps spare room, and these stay for long.
    offsets: offsets.length ? offsets.slice() : NOTHING,
    architectures: architectures.length ? architectures : NOTHING,
    environment,
    notOnStandaloneMedia,
  };
}

/** The mistakes in a condition (the first one in reading order), none when it reads. */
export function conditionErrors(text: string): readonly ConditionError[] {
  return isCheckList(text) ? NOTHING : factsOf(text, parsedFacts).errors;
}

/** Variables a condition tests, with offsets into the condition text (a new list each call). */
export function conditionVariables(text: string): ConditionVariable[] {
  const out: ConditionVariable[] = [];
  eachConditionVariable(text, (name, start, end) => out.push({ name, start, end }));
  return out;
}

/** Each variable a condition tests, in order, with its offsets into the condition text. */
export function eachConditionVariable(text: string, visit: (name: string, start: number, end: number) => void): void {
  const facts = factsOf(text);
  const names = namesOf(facts, text);
  const offsets = facts.offsets;
  for (let i = 0; i < names.length; i++) visit(names[i], offsets[2 * i], offsets[2 * i + 1]);
}

/** The names of the variables `facts` (those of `text`) tests, made on the first call. */
function namesOf(facts: ConditionFacts, text: string): readonly string[] {
  if (facts.names) return facts.names;
  const { offsets } = facts;
  // Made at its length, as `offsets` is kept: a list grown by push keeps spare room.
  const names = new Array<string>(offsets.length / 2);
  for (let i = 0; i < names.length; i++) names[i] = internVariableName(text.slice(offsets[2 * i], offsets[2 * i + 1]));
  return (facts.names = names);
}

/** Architectures named by the platforms of the condition's OS version checks (`All x64 Windows 11 ...`). */
export function osConditionArchitectures(text: string): readonly Architecture[] {
  return isCheckList(text) ? NOTHING : factsOf(text, parsedFacts).architectures;
}

/**
 * Whether a condition names `_SMSTSInWinPE` or `_SMSTSMediaType` at all, in any case: a variable's
 * name is a word written in the text, so a condition without it pins nothing about it, read or
 * not. Most conditions name neither, and the environment walk asks about every condition of a file.
 */
const NAMES_IN_WINPE = /_smstsinwinpe/i;
const NAMES_MEDIA_TYPE = /_smstsmediatype/i;

/**
 * The environment a condition requires, when it says so plainly: `_SMSTSInWinPE == "true"`
 * (or `!= "false"`) anywhere in its top-level AND gives `WinPE`; the opposite gives `FullOS`.
 */
export function requiredEnvironment(text: string): 'WinPE' | 'FullOS' | undefined {
  if (!NAMES_IN_WINPE.test(text)) return undefined;
  return factsOf(text).environment;
}

/** True when a condition is false on stand-alone media: `_SMSTSMediaType != "FullMedia"` (or `==` another type) in its top-level AND. */
export function notOnStandaloneMedia(text: string): boolean {
  if (!NAMES_MEDIA_TYPE.test(text)) return false;
  return factsOf(text).notOnStandaloneMedia;
}
