// schema: the file does not have the shape of its kind — an unknown key, a value of the wrong
// type, a required field missing, or a file that does not say what it is. Checked with the JSON
// Schemas in schemas/ (ajv); each error lands on the offending key or value, in plain words.
// Problems inside a step's `with:` options and unknown action names are reported by the
// `invalid-value`, `missing-property` and `unknown-action` rules instead.

import type { Rule } from '../rule';
import type { SchemaIssue } from '../../schema/validate';
import { isOptionIssue, schemaIssues } from '../schema-issues';

function isActionNameIssue(i: SchemaIssue): boolean {
  return i.keyword === 'enum' && i.path[i.path.length - 1] === 'action';
}

/** Too long a step or group name or description: `name-length` says which limit and where it comes from. */
function isNodeTextLength(i: SchemaIssue): boolean {
  const last = i.path[i.path.length - 1];
  return (
    i.keyword === 'maxLength' &&
    i.path[0] === 'steps' &&
    (last === 'name' || last === 'group' || last === 'description')
  );
}

/** `with:` required by an action but absent: `missing-property` names the options instead. */
function isMissingWith(i: SchemaIssue): boolean {
  return i.keyword === 'required' && i.message.endsWith('needs `with`.');
}

export const schema: Rule = {
  code: 'schema',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'The file does not have the shape of its kind',
  description:
    'Checks each file against the JSON Schema of its kind (sequence, catalog, machine, deployment, media): unknown keys (with “did you mean”), values of the wrong type, required fields, and files that do not say what they are.',
  kinds: ['any'],
  incremental: 'per-node',
  check(ctx) {
    for (const p of ctx.doc.problems) {
      if (p.code === 'schema')
        ctx.report({ start: p.start, end: p.end, message: p.message, hint: p.hint, severity: p.severity });
    }
    for (const i of schemaIssues(ctx)) {
      if (isOptionIssue(i) || isActionNameIssue(i) || isMissingWith(i) || isNodeTextLength(i)) continue;
      ctx.report({
        start: i.start,
        end: i.end,
        message: i.message,
        hint: i.hint,
        data: i.candidates?.length ? { fix: 'replace', candidates: i.candidates } : undefined,
      });
    }
  },
};
