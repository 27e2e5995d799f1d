// Every group and step of a sequence in document order (depth first), as one list kept per model
// revision. A dozen checks go through every node of a file on each analysis; walking the tree
// afresh for each (a generator and a stack per walk) cost more than their own work on most nodes
// of a 100,000-step file, and the list is the same for all of them until the model changes (an
// update in place bumps `revision`, model/incremental.ts). The list is `walk`'s (model/sequence.ts);
// test/unit/sequence-nodes.test.ts checks that it follows edits.
//
// The checks that go through this list (and the loops they run per step: its references, its
// writes, its options) do so with an index, not `for…of`: the CLI's check before a run goes
// through each list once, in code V8 has not optimized yet, where `for…of` makes an iterator
// result per element. Over 100,000 nodes that was 2.5 times the time of the indexed loop (6 against 2.4 ms
// for an empty loop), in each of a dozen checks, and garbage for the collector.

import { walk, type SequenceModel, type SeqNode } from '../model/sequence';

const known = new WeakMap<SequenceModel, { revision: number; nodes: readonly SeqNode[] }>();

/** The groups and steps of `model` in document order (do not modify the list). */
export function sequenceNodes(model: SequenceModel): readonly SeqNode[] {
  const seen = known.get(model);
  if (seen && seen.revision === model.revision) return seen.nodes;
  const nodes = [...walk(model.steps)];
  known.set(model, { revision: model.revision, nodes });
  return nodes;
}
