// The validate functions tsq's own schema check runs, and the schemas they are made from. They are
// made in one of two ways: precompiled at build time into validators.generated.ts (what the CLI,
// the language server and the debugger use: compiling them at start-up cost about 200 ms of CPU),
// or compiled at run time with Ajv (compile.ts: for a catalog other than the built-in one, and for
// the test that keeps both ways giving the same errors).

import type { ValidateFunction } from 'ajv';
import type { StepDefinition } from '../catalog/types';
import type { FileKind } from '../model/kinds';
import { allSchemas, sequenceSchema, withSchema } from './generate';

type Schema = Record<string, unknown>;

/** Where the schema check gets its validate functions from. */
export interface Validators {
  /** The validator of one kind's top level (for a sequence, without the entries of `steps:`). */
  kind(kind: FileKind): ValidateFunction;
  /** The validator of one entry of a sequence's `steps:` (a group or a step), without the entries inside it. */
  entry(): ValidateFunction;
  /** The validator of one action's `with:` options. */
  withOf(action: string): ValidateFunction;
}

/** The Ajv options both ways compile with (`verbose`: the wording reads each error's parent schema). */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false, allowUnionTypes: true } as const;

/** Keywords of our schemas that only annotate (they add no check; the wording reads them). */
export const ANNOTATION_KEYWORDS = [
  { keyword: 'x-expected', schemaType: 'string' },
  { keyword: 'x-secret', schemaType: 'boolean' },
  { keyword: 'enumDescriptions', schemaType: 'array' },
] as const;

/** Every schema the check validates against, for one catalog. */
export interface ValidatorSchemas {
  kinds: Record<FileKind, Schema>;
  entry: Schema;
  withOf: Map<string, Schema>;
}

/**
 * The schemas of schemas/*.json as the check uses them: without the editors' if/then dispatch of
 * `with:` (each action's `with:` has its own schema), and a sequence split into its top level and
 * one entry of `steps:` (see validate.ts for why).
 */
export function validatorSchemas(steps: readonly StepDefinition[]): ValidatorSchemas {
  const schemas = allSchemas(steps, { dispatch: false });
  const sequence = oneLevel(schemas.sequence);
  return {
    kinds: { ...schemas, sequence } as Record<FileKind, Schema>,
    entry: entryOf(sequence),
    withOf: new Map(steps.map((s) => [s.key, withSchema(s)])),
  };
}

/** The schema of one entry of `steps:` alone (what `validatorSchemas(steps).entry` is), without the other kinds'. */
export function entrySchema(steps: readonly StepDefinition[]): Schema {
  return entryOf(oneLevel(sequenceSchema(steps, { dispatch: false })));
}

function entryOf(sequence: Schema): Schema {
  const definitions = sequence.definitions as Record<string, Schema>;
  return { ...definitions.node, definitions };
}

/** The sequence schema without the entries inside `steps:` lists (they are validated one by one). */
function oneLevel(sequence: Schema): Schema {
  const definitions = sequence.definitions as Record<string, Schema>;
  const { items: _entries, ...list } = definitions.steps;
  return { ...sequence, definitions: { ...definitions, steps: list } };
}
