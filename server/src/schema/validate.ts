// Validates a document against its kind's JSON Schema with ajv and turns every error into a
// finding an admin can act on: placed on the exact key or value, worded in plain terms (not
// ajv's), with "did you mean" candidates for misspelled keys and values. Errors that dedicated
// rules report better (unknown actions, missing step options) are left to those rules.
//
// A sequence is validated one entry of `steps:` at a time (each group or step against a schema
// that stops at its own `steps:`), never in one call: ajv gathers the errors of a recursive `$ref`
// by concatenating them at every level, which made a file with an error in each of 30,000 steps
// take seconds. One entry at a time, the cost is linear in the file, and an alias to an entry
// already checked is not checked again (its findings would land on the same text).

import type { ErrorObject, ValidateFunction } from 'ajv';
import type { TsqDocument } from '../model/document';
import {
  keyTextAt,
  pairAt,
  pairCount,
  valueAt,
  valueOf,
  type YMap,
  type YNode,
  type YPair,
  type YSeq,
} from '../model/yaml/nodes';
import { effectivePairs, pairNameAt, resolve, toJS, type ExpansionBudget } from '../model/yaml/expand';
import type { StepDefinition } from '../catalog/types';
import { entrySchema, type Validators } from './validators';
import { withSchema } from './generate';
import {
  entryScreens,
  mappingPasses,
  mappingScreen,
  screenEntry,
  type EntryScreens,
  type MappingScreen,
  type ScreenedEntry,
} from './screen';
import { suggest } from '../util/suggest';

export interface SchemaIssue {
  keyword: string;
  /** Path of the offending value in the document (keys and list indexes). */
  path: (string | number)[];
  start: number;
  end: number;
  message: string;
  hint?: string;
  candidates?: string[];
  /** Set when the issue is inside a step's `with:`; names the option when known. */
  withOption?: { property?: string };
}

type Path = (string | number)[];

export class SchemaValidator {
  private readonly stepKeys: Set<string>;
  /** The screens (screen.ts), made when first needed: null where a schema cannot have one. */
  private entryScreens: EntryScreens | null | undefined;
  private readonly withScreens = new Map<string, MappingScreen | null>();

  /**
   * `validators`: precompiled.ts's for the built-in catalog, compile.ts's for any other. `screen`
   * false runs Ajv on every entry (the test that holds the screen to Ajv's findings).
   */
  constructor(
    private readonly steps: readonly StepDefinition[],
    private readonly validators: Validators,
    private readonly options: { screen?: boolean } = {},
  ) {
    this.stepKeys = new Set(steps.map((s) => s.key));
  }

  /** The entry screens, when the screen is on and the entry schema has them. */
  private entryScreen(): EntryScreens | undefined {
    if (this.options.screen === false) return undefined;
    if (this.entryScreens === undefined) this.entryScreens = entryScreens(entrySchema(this.steps)) ?? null;
    return this.entryScreens ?? undefined;
  }

  /** The screen of an action's `with:` (a key of `stepKeys`), when its schema has one. */
  private withScreen(action: string): MappingScreen | undefined {
    let screen = this.withScreens.get(action);
    if (screen === undefined) {
      const def = this.steps.find((s) => s.key === action);
      screen = (def && mappingScreen(withSchema(def))) ?? null;
      this.withScreens.set(action, screen);
    }
    return screen ?? undefined;
  }

  /**
   * The issues of `doc`. With `scope` 'entries' (a sequence standing for some of a file's entries,
   * whose own top level is not the file's), the top level is not checked, only each entry of `steps:`.
   */
  validate(doc: TsqDocument, scope: 'whole-file' | 'entries' = 'whole-file'): SchemaIssue[] {
    const root = doc.yaml.root;
    if (!doc.kind || !root || root.kind !== 'map') return [];
    const issues = new IssueList(doc);
    if (doc.kind !== 'sequence') {
      issues.add(errorsOf(this.validators.kind(doc.kind), toJS(root, doc.budget)), root, []);
      return issues.list;
    }
    if (scope === 'whole-file')
      issues.add(errorsOf(this.validators.kind('sequence'), entryValue(root, doc.budget)), root, []);
    const steps = issues.find(root, 'steps');
    if (steps?.kind === 'seq')
      this.validateEntries(issues, steps, ['steps'], doc.yaml.anchored ? new Set() : undefined);
    return issues.list;
  }

  /**
   * Validates each entry of a `steps:` list node: its own keys, then a step's `with:` against its
   * action, then a group's entries. Each entry's plain value is built just before it is checked and
   * dropped after (never the whole file's at once: short-lived values cost the garbage collector
   * little, a 100,000-step tree held through the check cost it much). `checked` holds the nodes
   * already validated, which aliases lead back to (only a file with anchors has aliases).
   */
  private validateEntries(issues: IssueList, list: YSeq, path: Path, checked: Set<YNode> | undefined): void {
    const screens = this.entryScreen();
    for (let i = 0; i < list.items.length; i++) {
      const item = list.items[i];
      if (checked) {
        const node = resolve(item, issues.budget);
        if (node && checked.has(node)) continue;
        if (node) checked.add(node);
      }
      if (screens && screenEntry(item, screens, issues.budget, SCREENED)) {
        this.validateScreened(issues, item, SCREENED, path, i, checked);
        continue;
      }
      const value = entryValue(item, issues.budget);
      const errors = errorsOf(this.validators.entry(), value);
      if (errors.length) issues.add(errors, item, [...path, i]);
      if (!value || typeof value !== 'object') continue;
      const entry = value as Record<string, unknown>;
      if ('group' in entry) {
        if (Array.isArray(entry.steps)) {
          const inner = issues.find(item, 'steps');
          if (inner?.kind === 'seq') this.validateEntries(issues, inner, [...path, i, 'steps'], checked);
        }
        continue;
      }
      const action = entry.action;
      if (typeof action !== 'string' || !this.stepKeys.has(action) || entry.with === undefined || entry.with === null)
        continue;
      const wrong = errorsOf(this.validators.withOf(action), entry.with);
      if (wrong.length) issues.add(wrong, item, [...path, i], ['with']);
    }
  }

  /**
   * The rest of the check of an entry that passed the entry screen (so Ajv would find no error in
   * its own keys): a group's entries, a step's `with:` (screened, else validated), as
   * `validateEntries` does them from the entry's plain value.
   */
  private validateScreened(
    issues: IssueList,
    item: YNode,
    entry: ScreenedEntry,
    path: Path,
    index: number,
    checked: Set<YNode> | undefined,
  ): void {
    // `entry` is the shared record of the last screen: read it before the next entry is screened.
    if (entry.group) {
      // The screen passed `steps:` only as a list.
      const steps = entry.steps;
      if (steps?.kind === 'seq') this.validateEntries(issues, steps, [...path, index, 'steps'], checked);
      return;
    }
    const action = entry.action;
    const options = entry.with;
    // A `with:` that passed the screen is a mapping (never empty: `with:` alone is null, not a mapping).
    if (typeof action !== 'string' || !this.stepKeys.has(action) || options === undefined) return;
    const screen = this.withScreen(action);
    if (screen && mappingPasses(options, screen, issues.budget)) return;
    const wrong = errorsOf(this.validators.withOf(action), toJS(options, issues.budget));
    if (wrong.length) issues.add(wrong, item, [...path, index], ['with']);
  }
}

/**
 * The plain value of one entry of `steps:` (or of a sequence's top level) as the one-level schemas
 * see it: everything converted as `toJS` does, except that a `steps:` list holds empty slots for
 * its entries, which those schemas check only for being a list (the entries are validated one by
 * one from their own nodes).
 */
export function entryValue(node: YNode, budget: ExpansionBudget): unknown {
  const map = resolve(node, budget);
  if (map?.kind !== 'map') return toJS(node, budget);
  const out: Record<string, unknown> = {};
  const pairs = effectivePairs(map, budget);
  for (let i = 0, n = pairCount(pairs); i < n; i++) {
    const k = pairNameAt(pairs, i, budget);
    if (k === undefined) continue;
    const value = valueAt(pairs, i);
    const list = k === 'steps' ? resolve(value, budget) : undefined;
    const v = list?.kind === 'seq' ? new Array<unknown>(list.items.length).fill(null) : toJS(value, budget);
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

const NO_ERRORS: readonly ErrorObject[] = [];

/** What the entry screen read of the last entry it passed (one record for all: read at once, never kept). */
const SCREENED: ScreenedEntry = { group: false, steps: undefined, action: undefined, with: undefined };

/** Up to this many pairs, a mapping is scanned for a key rather than indexed. */
const SCANNED_PAIRS = 16;

/** The errors of `value` (read them before the next call of `validate`, which replaces them). */
function errorsOf(validate: ValidateFunction, value: unknown): readonly ErrorObject[] {
  return validate(value) ? NO_ERRORS : (validate.errors ?? NO_ERRORS);
}

/** The pairs of one mapping by key: the last and the first of each. */
interface MappingIndex {
  last: Map<string, YPair>;
  first: Map<string, YPair>;
}

/**
 * The issues of one document, each said once: the errors of each validation are worded and
 * placed here, and an issue already found at the same place with the same words is dropped.
 */
class IssueList {
  readonly list: SchemaIssue[] = [];
  /** The issues added, by where they start (both maps are made on first use: the editor checks each entry of a file in a list of its own, and most have no issue). */
  private seen: Map<number, SchemaIssue[]> | undefined;
  /** The pairs of each mapping by key (a mapping with many wrong keys is searched once). */
  private keys: Map<YMap, MappingIndex> | undefined;

  constructor(private readonly doc: TsqDocument) {}

  get budget() {
    return this.doc.budget;
  }

  get text(): string {
    return this.doc.text;
  }

  /**
   * Adds the errors of one validation of the value of `from` (at `path` in the document), whose
   * error paths start with `prefix` there. Without `from`, errors are placed from the root.
   */
  add(errors: readonly ErrorObject[], from: YNode | undefined, path: Path, prefix: Path = []): void {
    if (!errors.length) return;
    // An anyOf/oneOf with an `x-expected` explains itself: drop the errors of its branches. Only
    // within this one validation: a wrong choice in one step says nothing about another step.
    let explained: Map<string, Set<string>> | undefined;
    for (const e of errors) {
      if (!isExplaining(e)) continue;
      const under = withoutChoiceKeyword(e.schemaPath);
      explained ??= new Map();
      const own = explained.get(under) ?? new Set<string>();
      own.add(e.schemaPath);
      explained.set(under, own);
    }
    for (const e of errors) {
      if (e.keyword === 'if' || e.keyword === 'then' || e.keyword === 'else') continue;
      if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && !isExplaining(e)) continue;
      if (explained && isExplainedBy(e.schemaPath, explained)) continue;
      const relative = prefix.concat(parsePointer(e.instancePath));
      const whole = path.concat(relative);
      const issue = describe(
        e,
        whole,
        from ? this.locate(from, relative) : this.locate(this.doc.yaml.root ?? undefined, whole),
        this,
      );
      if (issue && this.isNew(issue)) this.list.push(issue);
    }
  }

  /**
   * Whether no issue with the same place and words was added yet (the places are compared first:
   * a message can be long, and a key made of it would be copied and hashed for every issue).
   */
  private isNew(issue: SchemaIssue): boolean {
    const seen = (this.seen ??= new Map<number, SchemaIssue[]>());
    let atStart = seen.get(issue.start);
    if (!atStart) seen.set(issue.start, (atStart = []));
    for (const other of atStart) if (other.end === issue.end && other.message === issue.message) return false;
    atStart.push(issue);
    return true;
  }

  /**
   * The node the value of `key` in the mapping `from` stands for (the last such key, as the loader
   * keeps it). Looked up once per group: a scan, without building the index `pair` keeps.
   */
  find(from: YNode, key: string): YNode | undefined {
    const map = resolve(from, this.doc.budget);
    if (map?.kind !== 'map') return undefined;
    const value = valueOf(effectivePairs(map, this.doc.budget), key);
    return value && (resolve(value, this.doc.budget) ?? value);
  }

  /**
   * The pair a mapping's `key` names: the last one, as the loader keeps it, or the first. A small
   * mapping is scanned; a large one is indexed once (one with many wrong keys is searched often).
   */
  pair(map: YMap, key: string, which: 'last' | 'first'): YPair | undefined {
    const pairs = effectivePairs(map, this.doc.budget);
    const count = pairCount(pairs);
    if (count <= SCANNED_PAIRS) {
      const last = which === 'last';
      for (let n = 0; n < count; n++) {
        const i = last ? count - 1 - n : n;
        if (keyTextAt(pairs, i) === key) return pairAt(pairs, i);
      }
      return undefined;
    }
    const keys = (this.keys ??= new Map<YMap, MappingIndex>());
    let known = keys.get(map);
    if (!known) {
      known = { last: new Map(), first: new Map() };
      for (let i = 0; i < count; i++) {
        const k = keyTextAt(pairs, i);
        if (k === undefined) continue;
        const p = pairAt(pairs, i);
        known.last.set(k, p);
        if (!known.first.has(k)) known.first.set(k, p);
      }
      keys.set(map, known);
    }
    return known[which].get(key);
  }

  /** Finds the node a JSON path points at from `from`, following aliases and merge keys like the loader. */
  private locate(from: YNode | undefined, path: Path): Located {
    let node: YNode | undefined = from;
    let pair: YPair | undefined;
    for (const seg of path) {
      node = resolve(node, this.doc.budget);
      if (!node) return {};
      if (node.kind === 'seq' && typeof seg === 'number') {
        node = node.items[seg];
        pair = undefined;
      } else if (node.kind === 'map') {
        pair = this.pair(node, String(seg), 'last');
        node = pair?.value;
      } else return {};
    }
    return { node: resolve(node, this.doc.budget) ?? node, pair };
  }
}

function isExplaining(e: ErrorObject): boolean {
  return (
    (e.keyword === 'anyOf' || e.keyword === 'oneOf') &&
    !!(e.parentSchema as Record<string, unknown> | undefined)?.['x-expected']
  );
}

/** An anyOf/oneOf error's schema path without its keyword (`#/properties/x/oneOf` → `#/properties/x/`). */
function withoutChoiceKeyword(schemaPath: string): string {
  return schemaPath.endsWith('/anyOf') || schemaPath.endsWith('/oneOf') ? schemaPath.slice(0, -5) : schemaPath;
}

/**
 * Whether an explaining anyOf/oneOf (other than the error itself) lies above `schemaPath`: the
 * keys of `explained` are schema paths that end with `/`, so lying above is starting with one.
 */
function isExplainedBy(schemaPath: string, explained: Map<string, Set<string>>): boolean {
  for (const [under, own] of explained)
    if (under.endsWith('/') && schemaPath.startsWith(under) && !(own.size === 1 && own.has(schemaPath))) return true;
  return false;
}

/** The segments of a JSON pointer, list indexes (all digits) as numbers. */
function parsePointer(p: string): (string | number)[] {
  if (!p) return [];
  const out: (string | number)[] = p.slice(1).split('/');
  for (let i = 0; i < out.length; i++) {
    let u = out[i] as string;
    if (u.includes('~')) u = u.replace(/~1/g, '/').replace(/~0/g, '~');
    out[i] = isDigits(u) ? Number(u) : u;
  }
  return out;
}

/** `/^\d+$/` without a regular expression: one or more of the ASCII digits. */
function isDigits(s: string): boolean {
  if (!s.length) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

interface Located {
  node?: YNode;
  pair?: YPair;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (`key: value` entries)',
  null: 'empty',
};

function typeWord(t: unknown): string {
  const list = Array.isArray(t) ? t : [t];
  if (list.includes('string') && list.includes('number')) return 'a single value (text, number or true/false)';
  return list.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join(' or ');
}

function actualWord(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text \`${v.length > 40 ? v.slice(0, 40) + '…' : v}\``;
  return `\`${String(v as number | boolean | bigint)}\``;
}

/**
 * One issue, every field always set (`hint` and `candidates` undefined when there are none), so
 * that the 2,455 issues of a file like the `all-steps` bench shape share one object layout: the
 * wording below had spread a shared base and a span into each (docs/performance.md, "Wording
 * schema issues").
 */
function issueAt(
  keyword: string,
  path: Path,
  withOption: SchemaIssue['withOption'],
  node: YNode | undefined,
  message: string,
  hint?: string,
  candidates?: string[],
): SchemaIssue {
  const start = node ? node.start : 0;
  const end = node ? Math.max(node.end, node.start) : 0;
  return { keyword, path, withOption, start, end, message, hint, candidates };
}

/** The option of a step's `with:` that `path` leads into (`undefined` property when the path ends at `with`), or undefined outside one. */
function withOptionOf(path: Path): SchemaIssue['withOption'] {
  const withIdx = path.lastIndexOf('with');
  if (withIdx < 0 || !path.includes('steps')) return undefined;
  const next = path[withIdx + 1];
  return { property: typeof next === 'string' ? next : undefined };
}

/** A sequence item with `steps:` but neither `group:` nor an action: a group written as a step. */
function isGroupWrittenAsStep(data: unknown): boolean {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
  const item = data as Record<string, unknown>;
  return 'steps' in item && !('group' in item) && !('action' in item) && !('run' in item);
}

function describe(e: ErrorObject, path: Path, { node, pair }: Located, issues: IssueList): SchemaIssue | undefined {
  const parentSchema = (e.parentSchema ?? {}) as Record<string, unknown>;
  const where = (parentSchema.title as string | undefined) ?? 'this mapping';
  const last = path[path.length - 1];
  const name = typeof last === 'string' ? `\`${last}\`` : 'This value';
  const keyword = e.keyword;
  const params = e.params as Record<string, unknown>;

  switch (keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const target = node && node.kind === 'map' ? issues.pair(node, key, 'first') : undefined;
      const known = Object.keys((parentSchema.properties as Record<string, unknown>) ?? {});
      const candidates = suggest(key, known);
      const inWith = withOptionOf(path) !== undefined;
      // `- name: X` over `steps:` is a group written as a step: say how a group is written.
      if (key === 'steps' && where === 'a step')
        return issueAt(
          keyword,
          [...path, key],
          undefined,
          target?.key ?? node,
          '`steps` belongs to a group, and a group is named with `group:`, not `name:`.',
          'Write this item as `- group: <its name>` over its `steps:`; a group has no `action:` or `run:`.',
        );
      return issueAt(
        keyword,
        [...path, key],
        inWith ? { property: key } : undefined,
        target?.key ?? node,
        `\`${key}\` is not a property of ${where}.`,
        candidates.length
          ? `Did you mean \`${candidates[0]}\`?`
          : known.length
            ? `Known properties: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}.`
            : undefined,
        candidates,
      );
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const at = pair ? pair.key : node;
      const propSchema = ((parentSchema.properties as Record<string, Record<string, unknown>> | undefined) ?? {})[
        missing
      ];
      const issue = issueAt(
        keyword,
        path,
        withOptionOf(path),
        at,
        `${capitalise(where)} needs \`${missing}\`.`,
        typeof propSchema?.description === 'string' && propSchema.description
          ? `\`${missing}\`: ${propSchema.description}`
          : undefined,
      );
      // A mapping that lacks the key is marked on its first line only.
      if (at && node && node.kind === 'map' && !pair) issue.end = Math.min(node.end, lineEnd(issues.text, node.start));
      return issue;
    }
    case 'type':
      return issueAt(
        keyword,
        path,
        withOptionOf(path),
        node,
        `${name} must be ${typeWord(params.type)}, not ${actualWord(e.data)}.`,
      );
    case 'enum': {
      const allowed = ((params.allowedValues as unknown[] | undefined) ?? []).map(String);
      // Only a single value can be a misspelling of an allowed one; a list or mapping is not printed.
      const candidates =
        typeof e.data === 'string' || typeof e.data === 'number' ? suggest(String(e.data), allowed) : [];
      return issueAt(
        keyword,
        path,
        withOptionOf(path),
        node,
        `${actualWord(e.data)} is not a valid ${typeof last === 'string' ? `\`${last}\`` : 'value'}: use one of ${allowed.map((a) => `\`${a}\``).join(', ')}.`,
        candidates.length ? `Did you mean \`${candidates[0]}\`?` : undefined,
        candidates,
      );
    }
    case 'const':
      return issueAt(keyword, path, withOptionOf(path), node, `${name} must be \`${String(params.allowedValue)}\`.`);
    case 'anyOf':
    case 'oneOf':
      // A secret written in clear is not repeated: messages end up in CI logs and SARIF files.
      if (parentSchema['x-secret'] && typeof e.data !== 'object')
        return issueAt(
          keyword,
          path,
          withOptionOf(path),
          node,
          `${name} must be ${String(parentSchema['x-expected'])}; it is written here in clear.`,
          'Remove it from the file (and from the git history), then write `{ env: NAME }` or `{ prompt: true }`.',
          ['{ prompt: true }'],
        );
      // A step without an action that holds `steps:` is a group misnamed: the issue on `steps` says so.
      if (isGroupWrittenAsStep(e.data)) return undefined;
      return issueAt(
        keyword,
        path,
        withOptionOf(path),
        node,
        `${name} must be ${String(parentSchema['x-expected'])}; it is ${actualWord(e.data)}.`,
      );
    case 'minimum':
    case 'exclusiveMinimum':
      return issueAt(keyword, path, withOptionOf(path), node, `${name} must be at least ${params.limit as number}.`);
    case 'maximum':
    case 'exclusiveMaximum':
      return issueAt(keyword, path, withOptionOf(path), node, `${name} must be at most ${params.limit as number}.`);
    case 'minLength':
      return issueAt(
        keyword,
        path,
        withOptionOf(path),
        node,
        params.limit === 1
          ? `${name} must not be empty.`
          : `${name} must be at least ${params.limit as number} characters long.`,
      );
    case 'maxLength':
      return issueAt(
        keyword,
        path,
        withOptionOf(path),
        node,
        `${name} is ${String(e.data).length} characters long; at most ${params.limit as number} are allowed.`,
      );
    case 'pattern':
      return issueAt(
        keyword,
        path,
        withOptionOf(path),
        node,
        `${name} must be ${typeof parentSchema['x-expected'] === 'string' ? parentSchema['x-expected'] : 'in the expected form'}.`,
      );
    case 'minItems':
      return issueAt(
        keyword,
        path,
        withOptionOf(path),
        node,
        `${name} needs at least ${params.limit as number} entries.`,
      );
    case 'maxItems':
      return issueAt(
        keyword,
        path,
        withOptionOf(path),
        node,
        `${name} can have at most ${params.limit as number} entries.`,
      );
    case 'not':
      return issueAt(keyword, path, withOptionOf(path), node, `${name} is not allowed here.`);
    default:
      return issueAt(keyword, path, withOptionOf(path), node, `${name}: ${e.message ?? 'invalid'}.`);
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}
