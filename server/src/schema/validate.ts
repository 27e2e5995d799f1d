// Validates a document against its kind's JSON Schema with ajv and turns every error into a
// finding an admin can act on: placed on the exact key or value, worded in plain terms (not
// ajv's), with "did you mean" candidates for misspelled keys and values. Errors that dedicated
// rules report better (unknown actions, missing step options) are left to those rules.

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { TsqDocument } from '../model/document';
import type { FileKind } from '../model/kinds';
import type { YNode, YPair } from '../model/yaml/nodes';
import { effectivePairs, resolve, toJS } from '../model/yaml/expand';
import type { StepDefinition } from '../catalog/types';
import { allSchemas, withSchema } from './generate';
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

type Validators = Record<FileKind, ValidateFunction>;

export class SchemaValidator {
  private ajv?: Ajv;
  private validators?: Validators;
  private readonly withValidators = new Map<string, ValidateFunction>();
  private readonly stepKeys: Set<string>;

  constructor(private readonly steps: readonly StepDefinition[]) {
    this.stepKeys = new Set(steps.map((s) => s.key));
  }

  private get compiled(): Validators {
    if (!this.validators) {
      const ajv = (this.ajv = new Ajv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true }));
      ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
      ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
      ajv.addKeyword({ keyword: 'enumDescriptions', schemaType: 'array' });
      const schemas = allSchemas(this.steps, { dispatch: false });
      this.validators = Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, ajv.compile(s)])) as Validators;
    }
    return this.validators;
  }

  /** The validator of one action's `with:` options (compiled on first use). */
  private withValidator(action: string): ValidateFunction {
    let v = this.withValidators.get(action);
    if (!v) {
      const step = this.steps.find((s) => s.key === action)!;
      v = this.ajv!.compile(withSchema(step));
      this.withValidators.set(action, v);
    }
    return v;
  }

  validate(doc: TsqDocument): SchemaIssue[] {
    if (!doc.kind || !doc.yaml.root || doc.yaml.root.kind !== 'map') return [];
    const validate = this.compiled[doc.kind];
    const value = toJS(doc.yaml.root, doc.budget);
    const errors: ErrorObject[] = validate(value) ? [] : [...(validate.errors ?? [])];
    if (doc.kind === 'sequence') this.validateOptions(value, errors);
    return errors.length ? describeErrors(doc, errors) : [];
  }

  /** Validates every step's `with:` against its action, adding errors with document paths. */
  private validateOptions(root: unknown, errors: ErrorObject[]): void {
    const visit = (list: unknown, path: string) => {
      if (!Array.isArray(list)) return;
      list.forEach((item, i) => {
        if (!item || typeof item !== 'object') return;
        const node = item as Record<string, unknown>;
        const here = `${path}/${i}`;
        if ('group' in node) return visit(node.steps, `${here}/steps`);
        const action = node.action;
        if (typeof action !== 'string' || !this.stepKeys.has(action)) return;
        const options = node.with;
        if (options === undefined || options === null) return;
        const v = this.withValidator(action);
        if (v(options)) return;
        for (const e of v.errors ?? []) errors.push({ ...e, instancePath: `${here}/with${e.instancePath}` });
      });
    };
    visit((root as Record<string, unknown>).steps, '/steps');
  }
}

function describeErrors(doc: TsqDocument, errors: ErrorObject[]): SchemaIssue[] {
  // An anyOf/oneOf with an `x-expected` explains itself: drop the errors of its branches.
  const explained: string[] = [];
  for (const e of errors) {
    if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && (e.parentSchema as Record<string, unknown> | undefined)?.['x-expected']) explained.push(e.schemaPath);
  }
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'then' || e.keyword === 'else') continue;
    if (explained.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(p.replace(/\/(anyOf|oneOf)$/, '/')))) continue;
    if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && !(e.parentSchema as Record<string, unknown> | undefined)?.['x-expected']) continue;
    const issue = describe(doc, e);
    if (!issue) continue;
    const key = `${issue.start}:${issue.end}:${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function parsePointer(p: string): (string | number)[] {
  if (!p) return [];
  return p.slice(1).split('/').map((s) => {
    const u = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(u) ? Number(u) : u;
  });
}

interface Located {
  node?: YNode;
  pair?: YPair;
}

/** Finds the node a JSON path points at, following aliases and merge keys like the loader. */
function locate(doc: TsqDocument, path: (string | number)[]): Located {
  let node: YNode | undefined = doc.yaml.root ?? undefined;
  let pair: YPair | undefined;
  for (const seg of path) {
    node = resolve(node, doc.budget);
    if (!node) return {};
    if (node.kind === 'seq' && typeof seg === 'number') {
      node = node.items[seg];
      pair = undefined;
    } else if (node.kind === 'map') {
      const pairs = effectivePairs(node, doc.budget);
      pair = undefined;
      for (let i = pairs.length - 1; i >= 0; i--) {
        const k = pairs[i].key;
        if (k.kind === 'scalar' && k.text === String(seg)) { pair = pairs[i]; break; }
      }
      node = pair?.value;
    } else return {};
  }
  return { node: resolve(node, doc.budget) ?? node, pair };
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
  return `\`${String(v)}\``;
}

function describe(doc: TsqDocument, e: ErrorObject): SchemaIssue | undefined {
  const path = parsePointer(e.instancePath);
  const { node, pair } = locate(doc, path);
  const parentSchema = (e.parentSchema ?? {}) as Record<string, unknown>;
  const where = (parentSchema.title as string | undefined) ?? 'this mapping';
  const last = path[path.length - 1];
  const name = typeof last === 'string' ? `\`${last}\`` : 'This value';
  const withIdx = path.lastIndexOf('with');
  const inWith = withIdx >= 0 && withIdx < path.length && path.includes('steps');
  const withOption = inWith ? { property: typeof path[withIdx + 1] === 'string' ? (path[withIdx + 1] as string) : undefined } : undefined;
  const base = { keyword: e.keyword, path, withOption };
  const span = (n: YNode | undefined) => (n ? { start: n.start, end: Math.max(n.end, n.start) } : { start: 0, end: 0 });

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const target = node && node.kind === 'map' ? effectivePairs(node, doc.budget).find((p) => p.key.kind === 'scalar' && p.key.text === key) : undefined;
      const known = Object.keys((parentSchema.properties as Record<string, unknown>) ?? {});
      const candidates = suggest(key, known);
      return {
        ...base,
        path: [...path, key],
        withOption: inWith ? { property: key } : undefined,
        ...span(target?.key ?? node),
        message: `\`${key}\` is not a property of ${where}.`,
        hint: candidates.length ? `Did you mean \`${candidates[0]}\`?` : known.length ? `Known properties: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}.` : undefined,
        candidates,
      };
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const at = pair ? pair.key : node;
      const s = at && node && node.kind === 'map' && !pair ? { start: node.start, end: Math.min(node.end, lineEnd(doc.text, node.start)) } : span(at);
      const propSchema = ((parentSchema.properties as Record<string, Record<string, unknown>> | undefined) ?? {})[missing];
      return { ...base, ...s, message: `${capitalise(where)} needs \`${missing}\`.`, hint: propSchema?.description ? `\`${missing}\`: ${propSchema.description}` : undefined };
    }
    case 'type': {
      return { ...base, ...span(node), message: `${name} must be ${typeWord((e.params as { type: unknown }).type)}, not ${actualWord(e.data)}.` };
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      // Only a single value can be a misspelling of an allowed one; a list or mapping is not printed.
      const candidates = typeof e.data === 'string' || typeof e.data === 'number' ? suggest(String(e.data), allowed) : [];
      return { ...base, ...span(node), message: `${actualWord(e.data)} is not a valid ${typeof last === 'string' ? `\`${last}\`` : 'value'}: use one of ${allowed.map((a) => `\`${a}\``).join(', ')}.`, hint: candidates.length ? `Did you mean \`${candidates[0]}\`?` : undefined, candidates };
    }
    case 'const':
      return { ...base, ...span(node), message: `${name} must be \`${String((e.params as { allowedValue: unknown }).allowedValue)}\`.` };
    case 'anyOf':
    case 'oneOf':
      // A secret written in clear is not repeated: messages end up in CI logs and SARIF files.
      if (parentSchema['x-secret'] && typeof e.data !== 'object') {
        return { ...base, ...span(node), message: `${name} must be ${String(parentSchema['x-expected'])}; it is written here in clear.`, hint: 'Remove it from the file (and from the git history), then write `{ env: NAME }` or `{ prompt: true }`.', candidates: ['{ prompt: true }'] };
      }
      return { ...base, ...span(node), message: `${name} must be ${String(parentSchema['x-expected'])}; it is ${actualWord(e.data)}.` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { ...base, ...span(node), message: `${name} must be at least ${(e.params as { limit: number }).limit}.` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { ...base, ...span(node), message: `${name} must be at most ${(e.params as { limit: number }).limit}.` };
    case 'minLength':
      return { ...base, ...span(node), message: (e.params as { limit: number }).limit === 1 ? `${name} must not be empty.` : `${name} must be at least ${(e.params as { limit: number }).limit} characters long.` };
    case 'maxLength':
      return { ...base, ...span(node), message: `${name} is ${String(e.data).length} characters long; at most ${(e.params as { limit: number }).limit} are allowed.` };
    case 'pattern':
      return { ...base, ...span(node), message: `${name} must be ${String(parentSchema['x-expected'] ?? 'in the expected form')}.` };
    case 'minItems':
      return { ...base, ...span(node), message: `${name} needs at least ${(e.params as { limit: number }).limit} entries.` };
    case 'maxItems':
      return { ...base, ...span(node), message: `${name} can have at most ${(e.params as { limit: number }).limit} entries.` };
    case 'not':
      return { ...base, ...span(node), message: `${name} is not allowed here.` };
    default:
      return { ...base, ...span(node), message: `${name}: ${e.message ?? 'invalid'}.` };
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}
