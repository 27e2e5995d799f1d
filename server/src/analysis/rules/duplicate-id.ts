// duplicate-id: step and group `id`s address a node (in machine outcomes, the debugger, quick
// fixes), so each must be unique within its file.

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import type { Located } from '../../model/fields';
import { eachNode, type NodeInputs } from '../node-reads';
import { sequenceNodes } from '../../semantics/sequence-nodes';

/** After an edit, the ids of the rebuilt node and where they are decide whether to look again. */
const inputs: NodeInputs = (_doc, node, at) =>
  eachNode(node, (n) => (n.id ? `${n.id.value}@${at(n.id.span.start)}-${at(n.id.span.end)}` : ''));

export const duplicateId: Rule = {
  code: 'duplicate-id',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'Two steps or groups share an id',
  description:
    'A step or group `id` must be unique within its sequence file, because machine profiles, breakpoints and the debugger address nodes by it.',
  kinds: ['sequence'],
  incremental: { inputs },
  check(ctx) {
    const model = ctx.doc.model as SequenceModel;
    // The first of each id, by its located value: its span is read from its node (a new object) only for a report.
    const first = new Map<string, Located<string>>();
    const nodes = sequenceNodes(model);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (!node.id) continue;
      const seen = first.get(node.id.value);
      if (!seen) {
        first.set(node.id.value, node.id);
        continue;
      }
      const at = node.id.span;
      const earlier = seen.span;
      ctx.report({
        start: at.start,
        end: at.end,
        message: `The id \`${node.id.value}\` is already used by an earlier ${'step or group'} in this file.`,
        hint: 'Give this one a different id.',
        related: [{ docId: ctx.doc.id, start: earlier.start, end: earlier.end, message: 'First use of this id' }],
      });
    }
  },
};
