// Every group and step of a sequence in document order (depth first), as one list kept per model
// revision. A dozen checks go through every node of a file on each analysis; walking the tree
// afresh for each (a generator and a stack per walk) cost more than their own work on most nodes
// of a 100,000-step file, and the list is the same for all of them until the model changes (an
// update in place bumps `revision`, model/incremental.ts). Same order as `walk` (model/sequence.ts),
// which test/unit/sequence-nodes.test.ts checks.

import type { SequenceModel, SeqNode } from '../model/sequence';

const known = new WeakMap<SequenceModel, { revision: number; nodes: readonly SeqNode[] }>();

/** The groups and steps of `model` in document order (do not modify the list). */
export function sequenceNodes(model: SequenceModel): readonly SeqNode[] {
  const seen = known.get(model);
  if (seen && seen.revision === model.revision) return seen.nodes;
  const nodes: SeqNode[] = [];
  const stack: { list: SeqNode[]; i: number }[] = [{ list: model.steps, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const n = top.list[top.i++];
    nodes.push(n);
    if (n.kind === 'group' && n.steps.length) stack.push({ list: n.steps, i: 0 });
  }
  known.set(model, { revision: model.revision, nodes });
  return nodes;
}
