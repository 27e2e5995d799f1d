// A file's JSON Schema issues (ajv, through schema/validate.ts), computed once per document and
// analysis run and shared by the rules that report them: `schema` the shape of the file,
// `invalid-value` and `missing-property` what is inside a step's `with:`.

import type { RuleContext } from './rule';
import type { SchemaIssue } from '../schema/validate';
import { schemaValidator } from '../semantics/knowledge';

export function schemaIssues(ctx: RuleContext): SchemaIssue[] {
  return ctx.memo('schema-issues', () => schemaValidator().validate(ctx.doc));
}

/** Issues the `invalid-value` and `missing-property` rules own: inside a step's `with:`. */
export function isOptionIssue(i: SchemaIssue): boolean {
  if (!i.withOption) return false;
  // A misspelled option name is a shape problem (with "did you mean"): it stays with `schema`.
  return i.keyword !== 'additionalProperties';
}
