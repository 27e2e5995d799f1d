// condition-syntax: a `when:` condition that cannot be read. Errors point at the exact place in
// the condition (mapped back through quotes and escapes) with what was expected.

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import { scalarOffsets, scalarSpan } from '../../model/yaml/sourcemap';
import { conditionErrors } from '../../semantics/condition-facts';
import { sequenceNodes } from '../../semantics/sequence-nodes';

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
    const nodes = sequenceNodes(ctx.doc.model as SequenceModel);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (!node.when) continue;
      const errors = conditionErrors(node.when.text);
      if (errors.length === 0) continue;
      const offsets = scalarOffsets(ctx.doc.text, node.when.node);
      for (const e of errors) {
        const span = scalarSpan(ctx.doc.text, node.when.node, e.start, Math.max(e.end, e.start + 1), offsets);
        ctx.report({ start: span.start, end: span.end, message: e.message, hint: e.hint });
      }
    }
  },
};
