// The schema check's screen: a question asked of an entry of `steps:` (and of a step's `with:`)
// before Ajv is, answered from the YAML nodes in one pass over the mapping's pairs — "does this
// surely pass?" Nearly every entry of a real file does, and for those the check made a plain value
// of the entry (every key, every option, a fresh object and list for each) and ran Ajv's generated
// code on it, only to find no error: on the 100,000-step bench file about 180 of the check's first
// 200 ms of CPU, of which reading the pairs is about 25.
//
// The screen is made from the very schemas the validators are compiled from (validators.ts), and
// only from what it can decide exactly: a property's type, string lengths (counted in code points,
// as Ajv counts them), `pattern` (with Ajv's `u` flag), `enum` and `const` of plain values, number
// limits, `items` of such values; for the mapping, its known keys (`additionalProperties: false`),
// `required`, and rules of presence (`allOf` / `anyOf` / `not` / `if`–`then`–`else` of `required`).
// A property whose schema says anything else (a secret's `oneOf`, a list of mappings) is left to
// Ajv, and so is any mapping with such a key, an alias, a key that is not plain text, or a value that
// fails the screen. So the screen only ever says "passes" where Ajv finds no error; Ajv stays the
// authority that finds and words every error (test/unit/schema-screen.test.ts compares the
// findings with and without the screen on every fixture, the examples, generated invalid files and
// every bench shape).

import { keyTextAt, pairCount, valueAt, type ScalarValue, type YMap, type YNode } from '../model/yaml/nodes';
import { effectivePairs, type ExpansionBudget } from '../model/yaml/expand';

type Schema = Record<string, unknown>;

/** Keywords that only annotate: Ajv checks nothing for them (the wording reads some of them). */
const ANNOTATIONS = new Set(['description', 'title', 'x-expected', 'x-secret', 'enumDescriptions']);

/** JSON types as bits, for the set of types a value may have. */
const STRING = 1,
  NUMBER = 2,
  INTEGER = 4,
  BOOLEAN = 8,
  NULL = 16,
  OBJECT = 32,
  ARRAY = 64;
const ANY_TYPE = STRING | NUMBER | INTEGER | BOOLEAN | NULL | OBJECT | ARRAY;
const TYPE_BITS: Record<string, number> = {
  string: STRING,
  number: NUMBER,
  integer: INTEGER,
  boolean: BOOLEAN,
  null: NULL,
  object: OBJECT,
  array: ARRAY,
};

/** The keywords of one schema the screen decides, for a single value. */
interface ValueTest {
  types: number;
  minLength: number;
  maxLength: number;
  pattern: RegExp | undefined;
  /** `enum` (or `const`, as a list of one): plain values, compared with `===` as Ajv does. */
  values: ReadonlySet<ScalarValue> | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  exclusiveMinimum: number | undefined;
  exclusiveMaximum: number | undefined;
  items: ValueScreen | undefined;
}

/** A property's schema: its own test, and (when it has `anyOf`) alternatives of which one must pass. */
interface ValueScreen {
  test: ValueTest;
  anyOf: readonly ValueTest[] | undefined;
}

/** A key of a screened mapping: its bit among the mapping's keys, and its value's screen (none: left to Ajv). */
interface KeyScreen {
  bit: number;
  value: ValueScreen | undefined;
}

/** What a mapping must hold: only known keys, each value passing its screen, and keys present as the rules say. */
export interface MappingScreen {
  keys: ReadonlyMap<string, KeyScreen>;
  presence: (present: number) => boolean;
}

/** What the screen of an entry of `steps:` read while passing it (the last of each key, as the plain value keeps). */
export interface ScreenedEntry {
  group: boolean;
  /** A group's `steps:` list. */
  steps: YNode | undefined;
  /** A step's `action:` value. */
  action: ScalarValue | undefined;
  /** A step's `with:` mapping. */
  with: YNode | undefined;
}

/** The screens of one entry of `steps:`: a group's, and a step's. */
export interface EntryScreens {
  group: MappingScreen;
  step: MappingScreen;
  /** Each key either may have: its screen in each (so one look-up per key serves both). */
  keys: ReadonlyMap<string, EntryKey>;
}

/** A key of an entry: as a group's and as a step's, and what the check reads of its value. */
interface EntryKey {
  group: KeyScreen | undefined;
  step: KeyScreen | undefined;
  /** The same screen for both (the same schema): tested once. */
  same: boolean;
  role: 'group' | 'steps' | 'action' | 'with' | undefined;
}

// ---------------------------------------------------------------- made from the schemas

/** A schema `#/definitions/...` points at, in `definitions`. */
function deref(schema: Schema, definitions: Record<string, Schema>): Schema | undefined {
  const ref = schema.$ref;
  if (ref === undefined) return schema;
  if (typeof ref !== 'string' || !ref.startsWith('#/definitions/') || Object.keys(schema).length !== 1)
    return undefined;
  const target = definitions[ref.slice('#/definitions/'.length)];
  return target && deref(target, definitions);
}

function isPlain(v: unknown): v is ScalarValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The test of one schema's own value keywords, or undefined when it has a keyword the screen does not decide. */
function valueTest(schema: Schema, definitions: Record<string, Schema>, skip: string): ValueTest | undefined {
  const test: ValueTest = {
    types: ANY_TYPE,
    minLength: 0,
    maxLength: Infinity,
    pattern: undefined,
    values: undefined,
    minimum: undefined,
    maximum: undefined,
    exclusiveMinimum: undefined,
    exclusiveMaximum: undefined,
    items: undefined,
  };
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  for (const [keyword, v] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword) || keyword === skip) continue;
    switch (keyword) {
      case 'type': {
        const list = Array.isArray(v) ? v : [v];
        let bits = 0;
        for (const t of list) {
          const bit = typeof t === 'string' ? TYPE_BITS[t] : undefined;
          if (bit === undefined) return undefined;
          bits |= bit;
        }
        test.types = bits;
        break;
      }
      case 'minLength':
      case 'maxLength': {
        const n = number(v);
        if (n === undefined) return undefined;
        if (keyword === 'minLength') test.minLength = n;
        else test.maxLength = n;
        break;
      }
      case 'pattern':
        if (typeof v !== 'string') return undefined;
        test.pattern = new RegExp(v, 'u');
        break;
      case 'enum':
      case 'const': {
        const list = keyword === 'const' ? [v] : v;
        if (!Array.isArray(list) || !list.every(isPlain)) return undefined;
        test.values = new Set(list);
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const n = number(v);
        if (n === undefined) return undefined;
        test[keyword] = n;
        break;
      }
      case 'items': {
        const items =
          v && typeof v === 'object' && !Array.isArray(v) ? valueScreen(v as Schema, definitions) : undefined;
        if (!items) return undefined;
        test.items = items;
        break;
      }
      default:
        return undefined;
    }
  }
  return test;
}

/** The screen of a property's schema, or undefined when Ajv alone can decide it. */
function valueScreen(schema: Schema, definitions: Record<string, Schema>): ValueScreen | undefined {
  const own = deref(schema, definitions);
  if (!own) return undefined;
  const test = valueTest(own, definitions, 'anyOf');
  if (!test) return undefined;
  if (own.anyOf === undefined) return { test, anyOf: undefined };
  if (!Array.isArray(own.anyOf)) return undefined;
  const anyOf: ValueTest[] = [];
  for (const branch of own.anyOf as unknown[]) {
    const t = branch && typeof branch === 'object' ? valueTest(branch as Schema, definitions, '') : undefined;
    if (!t) return undefined;
    anyOf.push(t);
  }
  return { test, anyOf };
}

/** A rule of which keys are present (bits of `keys`), or undefined when the schema says more than that. */
function presenceRule(
  schema: Schema,
  keys: ReadonlyMap<string, KeyScreen>,
): ((present: number) => boolean) | undefined {
  const rules: ((present: number) => boolean)[] = [];
  const sub = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? presenceRule(v as Schema, keys) : undefined;
  const subs = (v: unknown) => {
    if (!Array.isArray(v)) return undefined;
    const list = v.map(sub);
    return list.every((r) => r !== undefined) ? (list as ((present: number) => boolean)[]) : undefined;
  };
  for (const [keyword, v] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword) || keyword === 'then' || keyword === 'else') continue;
    switch (keyword) {
      case 'required': {
        if (!Array.isArray(v)) return undefined;
        let bits = 0;
        for (const name of v) {
          const key = typeof name === 'string' ? keys.get(name) : undefined;
          // A required key the mapping cannot have: never passes the screen, so Ajv says why.
          if (!key) return () => false;
          bits |= key.bit;
        }
        rules.push((present) => (present & bits) === bits);
        break;
      }
      case 'not': {
        const rule = sub(v);
        if (!rule) return undefined;
        rules.push((present) => !rule(present));
        break;
      }
      case 'allOf':
      case 'anyOf': {
        const list = subs(v);
        if (!list) return undefined;
        rules.push(
          keyword === 'allOf' ? (present) => list.every((r) => r(present)) : (present) => list.some((r) => r(present)),
        );
        break;
      }
      case 'if': {
        const condition = sub(v);
        const then = schema.then === undefined ? () => true : sub(schema.then);
        const otherwise = schema.else === undefined ? () => true : sub(schema.else);
        if (!condition || !then || !otherwise) return undefined;
        rules.push((present) => (condition(present) ? then(present) : otherwise(present)));
        break;
      }
      default:
        return undefined;
    }
  }
  return (present) => {
    for (let i = 0; i < rules.length; i++) if (!rules[i](present)) return false;
    return true;
  };
}

/** The screen of a mapping's schema (an object of known keys only), or undefined when it cannot have one. */
export function mappingScreen(schema: Schema, definitions: Record<string, Schema> = {}): MappingScreen | undefined {
  if (schema.type !== 'object' || schema.additionalProperties !== false) return undefined;
  const properties = schema.properties;
  if (!properties || typeof properties !== 'object') return undefined;
  const names = Object.keys(properties);
  // One bit per key in a 32-bit number.
  if (names.length > 30) return undefined;
  const keys = new Map<string, KeyScreen>();
  names.forEach((name, i) =>
    keys.set(name, { bit: 1 << i, value: valueScreen((properties as Record<string, Schema>)[name], definitions) }),
  );
  const rest: Schema = {};
  for (const [keyword, v] of Object.entries(schema))
    if (keyword !== 'type' && keyword !== 'additionalProperties' && keyword !== 'properties') rest[keyword] = v;
  const rule = presenceRule(rest, keys);
  return rule && { keys, presence: remembered(rule) };
}

/**
 * `rule`, each answer kept by the set of keys asked about: the entries of a file come in a few
 * layouts of keys, so the rule itself runs a few times per file.
 */
function remembered(rule: (present: number) => boolean): (present: number) => boolean {
  const answers = new Map<number, boolean>();
  return (present) => {
    let answer = answers.get(present);
    if (answer === undefined) answers.set(present, (answer = rule(present)));
    return answer;
  };
}

/**
 * The screens of the entry schema (validators.ts: a group when the entry has `group`, else a
 * step), or undefined when it is not of that form.
 */
export function entryScreens(entry: Schema): EntryScreens | undefined {
  const definitions = (entry.definitions ?? {}) as Record<string, Schema>;
  const condition = entry.if as Schema | undefined;
  const then = entry.then as Schema | undefined;
  const otherwise = entry.else as Schema | undefined;
  if (
    !condition ||
    !then ||
    !otherwise ||
    Object.keys(condition).length !== 2 ||
    condition.type !== 'object' ||
    !Array.isArray(condition.required) ||
    condition.required.length !== 1 ||
    condition.required[0] !== 'group'
  )
    return undefined;
  const groupSchema = deref(then, definitions);
  const stepSchema = deref(otherwise, definitions);
  const group = groupSchema && mappingScreen(groupSchema, definitions);
  const step = stepSchema && mappingScreen(stepSchema, definitions);
  if (!group || !step || !groupSchema || !stepSchema) return undefined;
  const keys = new Map<string, EntryKey>();
  const properties = (schema: Schema) => schema.properties as Record<string, unknown>;
  for (const name of new Set([...group.keys.keys(), ...step.keys.keys()])) {
    const asGroup = properties(groupSchema)[name];
    const asStep = properties(stepSchema)[name];
    keys.set(name, {
      group: group.keys.get(name),
      step: step.keys.get(name),
      same: asGroup !== undefined && JSON.stringify(asGroup) === JSON.stringify(asStep),
      role: name === 'group' || name === 'steps' || name === 'action' || name === 'with' ? name : undefined,
    });
  }
  return { group, step, keys };
}

// ---------------------------------------------------------------- asked of the nodes

/** Code points of `s`, as Ajv counts a string's length (a surrogate pair is one). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n++;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** Whether a scalar's value passes a test, as Ajv's generated code decides each keyword. */
function scalarPasses(v: ScalarValue, t: ValueTest): boolean {
  if (t.values !== undefined && !t.values.has(v)) return false;
  if (typeof v === 'string') {
    if (!(t.types & STRING)) return false;
    // Code points are never more than UTF-16 units, nor fewer than half of them.
    if (v.length > t.maxLength && codePoints(v) > t.maxLength) return false;
    if (v.length < 2 * t.minLength && codePoints(v) < t.minLength) return false;
    return t.pattern === undefined || t.pattern.test(v);
  }
  if (typeof v === 'number') {
    const integer = !(v % 1) && !isNaN(v);
    if (!(t.types & NUMBER) && !(integer && t.types & INTEGER)) return false;
    if (t.minimum !== undefined && (v < t.minimum || isNaN(v))) return false;
    if (t.maximum !== undefined && (v > t.maximum || isNaN(v))) return false;
    if (t.exclusiveMinimum !== undefined && (v <= t.exclusiveMinimum || isNaN(v))) return false;
    if (t.exclusiveMaximum !== undefined && (v >= t.exclusiveMaximum || isNaN(v))) return false;
    return true;
  }
  return typeof v === 'boolean' ? (t.types & BOOLEAN) !== 0 : (t.types & NULL) !== 0;
}

/** Whether a value node passes a test (a mapping or list only by its type, a list's items each by `items`). */
function nodePasses(node: YNode, t: ValueTest): boolean {
  switch (node.kind) {
    case 'scalar':
      return scalarPasses(node.value, t);
    case 'map':
      return (t.types & OBJECT) !== 0 && t.values === undefined;
    case 'seq': {
      if (!(t.types & ARRAY) || t.values !== undefined) return false;
      const items = t.items;
      if (items === undefined) return true;
      for (let i = 0; i < node.items.length; i++) if (!screenPasses(node.items[i], items)) return false;
      return true;
    }
    default:
      // An alias: its target's value is what Ajv sees; left to Ajv.
      return false;
  }
}

function screenPasses(node: YNode, s: ValueScreen): boolean {
  if (!nodePasses(node, s.test)) return false;
  const anyOf = s.anyOf;
  if (anyOf === undefined) return true;
  for (let i = 0; i < anyOf.length; i++) if (nodePasses(node, anyOf[i])) return true;
  return false;
}

/** The bits of the keys of `map` when every key is known and every value passes, else -1. */
function keysPassing(map: YMap, screen: MappingScreen, budget: ExpansionBudget): number {
  const pairs = effectivePairs(map, budget);
  // A mapping with merge keys (a list of its own, made by `effectivePairs`) is left to Ajv.
  if (pairs !== map.pairs) return -1;
  let present = 0;
  for (let i = 0, n = pairCount(pairs); i < n; i++) {
    const key = keyTextAt(pairs, i);
    if (key === undefined) return -1;
    const known = screen.keys.get(key);
    if (known === undefined || known.value === undefined || !screenPasses(valueAt(pairs, i), known.value)) return -1;
    present |= known.bit;
  }
  return present;
}

/** Whether `node` (a mapping) surely passes the schema `screen` was made from. */
export function mappingPasses(node: YNode, screen: MappingScreen, budget: ExpansionBudget): boolean {
  if (node.kind !== 'map') return false;
  const present = keysPassing(node, screen, budget);
  return present >= 0 && screen.presence(present);
}

/**
 * Whether an entry of `steps:` surely passes the entry schema (else Ajv decides), and if so what it
 * holds, written into `out`. The values are the last of each key, as the entry's plain value keeps them. One pass
 * over the pairs tests each value as a group's and as a step's (once when both take the same);
 * which of the two the entry is (a `group:` key anywhere) is known at the end.
 */
export function screenEntry(node: YNode, screens: EntryScreens, budget: ExpansionBudget, out: ScreenedEntry): boolean {
  if (node.kind !== 'map') return false;
  const pairs = node.pairs;
  if (effectivePairs(node, budget) !== pairs) return false;
  let asGroup = 0,
    asStep = 0,
    group = false;
  let steps: YNode | undefined, action: ScalarValue | undefined, withNode: YNode | undefined;
  const keys = screens.keys;
  for (let i = 0, n = pairCount(pairs); i < n; i++) {
    const key = keyTextAt(pairs, i);
    if (key === undefined) return false;
    const known = keys.get(key);
    if (known === undefined) return false;
    const value = valueAt(pairs, i);
    const g = known.group,
      st = known.step;
    if (known.same) {
      const screen = g!.value;
      if (screen === undefined || !screenPasses(value, screen)) return false;
      asGroup |= g!.bit;
      asStep |= st!.bit;
    } else {
      // A value that fails one screen fails the entry when it turns out to be of that kind: -1 for ever.
      asGroup = g && g.value && asGroup >= 0 && screenPasses(value, g.value) ? asGroup | g.bit : -1;
      asStep = st && st.value && asStep >= 0 && screenPasses(value, st.value) ? asStep | st.bit : -1;
    }
    switch (known.role) {
      case 'group':
        group = true;
        break;
      case 'steps':
        steps = value;
        break;
      case 'action':
        action = value.kind === 'scalar' ? value.value : undefined;
        break;
      case 'with':
        withNode = value;
        break;
      case undefined:
        break;
    }
  }
  const present = group ? asGroup : asStep;
  if (present < 0 || !(group ? screens.group : screens.step).presence(present)) return false;
  out.group = group;
  out.steps = steps;
  out.action = action;
  out.with = withNode;
  return true;
}
