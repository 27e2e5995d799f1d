// condition-syntax: a `when:` condition that cannot be read. Errors point at the exact place in
// the condition (mapped back through quotes and escapes) with what was expected.

import type { Rule } from '../rule';
import { scalarOffsets, scalarSpan } from '../../model/yaml/sourcemap';
import { conditionErrors } from '../../semantics/condition-facts';
import { nodesFor, nodeTest } from '../node-walk';

/** The nodes whose condition has a mistake (found in the shared walk, analysis/node-walk.ts). */
const UNREADABLE = nodeTest((node) => (node.when ? conditionErrors(node.when.text).length > 0 : false));

export const conditionSyntax: Rule = {
  code: 'condition-syntax',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A `when:` condition cannot be read',
  description:
    'Parses every `when:` condition (variables, comparisons, `and`/`or`/`not`, `exists`, `wmi`, `fileExists`, `registry`, `installed`, `osVersion`, ...) and reports the first mistake in each at its exact position. See docs/conditions.md.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const nodes = nodesFor(ctx, UNREADABLE);
    for (let n = 0; n < nodes.length; n++) {
      const when = nodes[n].when!;
      const errors = conditionErrors(when.text);
      const offsets = scalarOffsets(ctx.doc.text, when.node);
      for (const e of errors) {
        const span = scalarSpan(ctx.doc.text, when.node, e.start, Math.max(e.end, e.start + 1), offsets);
        ctx.report({ start: span.start, end: span.end, message: e.message, hint: e.hint });
      }
    }
  },
};
