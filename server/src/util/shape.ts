// Checks that a value received from a client (JSON of a protocol message) has the fields and
// types a handler reads, and says in words what is wrong when it has not. Shared by the language
// server and the debug adapter, whose clients may send anything.

export type Check =
  | 'string'
  | 'integer'
  /** A whole number from 0 (LSP's `uinteger`: lines, characters, versions). */
  | 'uinteger'
  | 'boolean'
  | 'string[]'
  | 'integer[]'
  | { fields: Shape }
  | { each: Shape }
  /** Anything `test` accepts; `noun` says what that is ("text or markup"). */
  | { test: (v: unknown) => boolean; noun: string };

export interface Field {
  check: Check;
  required?: boolean;
}

export type Shape = { [name: string]: Field };

export const optional = (check: Check): Field => ({ check });
export const required = (check: Check): Field => ({ check, required: true });

/** What is wrong with `value` as an object of `shape` (undefined when nothing is); `at` prefixes field names. */
export function shapeProblem(value: unknown, shape: Shape, at = ''): string | undefined {
  if (!isObject(value))
    return at
      ? `\`${at.slice(0, -1)}\` must be an object, not ${describe(value)}`
      : `the parameters must be an object, not ${describe(value)}`;
  for (const [name, field] of Object.entries(shape)) {
    const v = value[name];
    const where = `${at}${name}`;
    if (v === undefined || v === null) {
      if (field.required) return `\`${where}\` is missing`;
      continue;
    }
    const problem = checkProblem(v, field.check, where);
    if (problem) return problem;
  }
  return undefined;
}

function checkProblem(v: unknown, check: Check, where: string): string | undefined {
  if (typeof check === 'string') {
    const ok =
      check === 'string'
        ? typeof v === 'string'
        : check === 'integer'
          ? Number.isSafeInteger(v)
          : check === 'uinteger'
            ? Number.isSafeInteger(v) && (v as number) >= 0
            : check === 'boolean'
              ? typeof v === 'boolean'
              : check === 'string[]'
                ? Array.isArray(v) && v.every((x) => typeof x === 'string')
                : Array.isArray(v) && v.every((x) => Number.isSafeInteger(x));
    return ok ? undefined : `\`${where}\` must be ${NOUNS[check]}, not ${describe(v)}`;
  }
  if ('test' in check) return check.test(v) ? undefined : `\`${where}\` must be ${check.noun}, not ${describe(v)}`;
  if ('each' in check) {
    if (!Array.isArray(v)) return `\`${where}\` must be a list, not ${describe(v)}`;
    for (let i = 0; i < v.length; i++) {
      const problem = shapeProblem(v[i], check.each, `${where}[${i}].`);
      if (problem) return problem;
    }
    return undefined;
  }
  return shapeProblem(v, check.fields, `${where}.`);
}

const NOUNS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  uinteger: 'a whole number from 0',
  boolean: 'true or false',
  'string[]': 'a list of texts',
  'integer[]': 'a list of whole numbers',
};

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a value is, in a few words (messages about untrusted input echo nothing long). */
export function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return v.length > 40 ? `a ${v.length}-character text` : JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'a number out of range';
  return `${typeof v} ${String(v as boolean | bigint | symbol)}`;
}
