// invalid-value: an option has a value its action cannot take — the wrong type, a value outside
// its list or range, text too long, or a password written in clear (it would end up in git and in
// exports). Also checks variable names and values the engine would refuse, and reports what
// export would refuse or change (interop/exportable.ts, the same code export refuses with).

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import type { Span } from '../../model/text';
import { option } from '../../model/sequence';
import { isOptionIssue, schemaIssues } from '../schema-issues';
import { MAX_VARIABLE_VALUE, VARIABLE_NAME } from '../../catalog';
import { stepVariableWrites } from '../../semantics/variable-flow';
import { exportProblems } from '../../interop/exportable';
import { nodesFor, nodeTest } from '../node-walk';

/**
 * The steps that set a variable of a name the engine refuses or a value longer than it holds
 * (found in the shared walk, analysis/node-walk.ts): the rule looks at these alone.
 */
const BAD_VARIABLE = nodeTest((node, doc) => {
  if (node.kind !== 'step') return false;
  if (node.action === 'SetDynamicVariables') {
    for (const w of stepVariableWrites(doc, node))
      if (w.kind === 'dynamic-rule' && !VARIABLE_NAME.test(w.name)) return true;
    return false;
  }
  if (node.action !== 'SetTaskSequenceVariable') return false;
  const name = option(node, 'variable');
  if (name && typeof name.value === 'string' && !/%/.test(name.value) && !VARIABLE_NAME.test(name.value)) return true;
  const value = option(node, 'value');
  return !!value && typeof value.value === 'string' && value.value.length > MAX_VARIABLE_VALUE;
});

export const invalidValue: Rule = {
  code: 'invalid-value',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'An option has a value its action cannot take',
  description:
    'Checks the values under each step’s `with:` against the action’s options (type, allowed values, ranges, length), refuses passwords written in clear, and checks variable names (also those Set Dynamic Variables rules set) and the 4,000-character limit on variable values. Also reports everything `tsq export` would refuse or change, with the same message: characters XML cannot hold (control characters, U+FFFE), time-outs ConfigMgr cannot store (more than 4,294,967,295 seconds, or not whole seconds), exit codes beyond 32 bits, settings export would leave out, child sequences without a `packageId:`, and kept ConfigMgr XML that is not well-formed (parts of `xml:` export ignores are warnings). A file that lints clean exports.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    for (const i of schemaIssues(ctx)) {
      if (!isOptionIssue(i) || i.keyword === 'required') continue;
      ctx.report({
        start: i.start,
        end: i.end,
        message: i.message,
        hint: i.hint,
        data: i.candidates?.length ? { fix: 'replace', candidates: i.candidates } : undefined,
      });
    }
    const model = ctx.doc.model as SequenceModel;
    // Each place is a span only once it is reported: a step option's span is a new object read
    // from its YAML node, and every Set Task Sequence Variable step of a file is asked about.
    const checkName = (name: string, at: { readonly span: Span }) => {
      if (!VARIABLE_NAME.test(name))
        ctx.report({
          ...at.span,
          message: `\`${name}\` is not a valid variable name.`,
          hint: 'Use letters, digits, `_` and `-` only (at most 256 characters).',
        });
    };
    const checkLength = (value: string, at: { readonly span: Span }) => {
      if (value.length > MAX_VARIABLE_VALUE)
        ctx.report({
          ...at.span,
          message: `This value is ${value.length} characters long; a task sequence variable holds at most ${MAX_VARIABLE_VALUE}.`,
          hint: 'Shorten it, or split it over several variables.',
        });
    };
    for (const v of model.variables) {
      checkName(v.name, { span: v.nameSpan });
      checkLength(v.value, { span: v.valueSpan });
    }
    const nodes = nodesFor(ctx, BAD_VARIABLE);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (node.kind === 'step' && node.action === 'SetDynamicVariables') {
        for (const w of stepVariableWrites(ctx.doc, node))
          if (w.kind === 'dynamic-rule') checkName(w.name, { span: w });
      }
      if (node.kind !== 'step' || node.action !== 'SetTaskSequenceVariable') continue;
      const name = option(node, 'variable');
      if (name && typeof name.value === 'string' && !/%/.test(name.value)) checkName(name.value, name);
      const value = option(node, 'value');
      if (value && typeof value.value === 'string') checkLength(value.value, value);
    }
    // What export would refuse or change, found by the same code export refuses with, and said
    // in its words: a file that lints clean exports, and export's refusal is a line of lint's.
    for (const p of exportProblems(ctx.ws, ctx.doc))
      ctx.report({ start: p.start, end: p.end, severity: p.severity, message: p.message, hint: p.hint });
  },
};
