// A file's JSON Schema issues (ajv, through schema/validate.ts), computed once per document and
// analysis run and shared by the rules that report them: `schema` the shape of the file,
// `invalid-value` and `missing-property` what is inside a step's `with:`. In a view of one entry
// (entry-view.ts) only the entries are checked: the file's top level is not there to check.

import type { RuleContext } from './rule';
import type { SchemaIssue } from '../schema/validate';
import { schemaValidator } from '../semantics/knowledge';
import { isEntryView } from './entry-view';

export function schemaIssues(ctx: RuleContext): SchemaIssue[] {
  return ctx.memo('schema-issues', () =>
    schemaValidator().validate(ctx.doc, isEntryView(ctx.doc) ? 'entries' : 'whole-file'),
  );
}

/** Issues the `invalid-value` and `missing-property` rules own: inside a step's `with:`. */
export function isOptionIssue(i: SchemaIssue): boolean {
  if (!i.withOption) return false;
  // A misspelled option name is a shape problem (with "did you mean"): it stays with `schema`.
  return i.keyword !== 'additionalProperties';
}
