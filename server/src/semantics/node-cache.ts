// Per-node memory for facts that analysis reads from every step on every run (variable reads and
// writes, site references). A group or step object stands for unchanged content: an incremental
// update builds new objects for what it rebuilds and only moves the others, so facts computed
// once stay true and only their offsets follow the node. This keeps whole-file rules cheap when
// a 10,000-step file is checked on every keystroke. Most steps have none of a given kind of fact
// (a Set Task Sequence Variable step references no package): for those one shared marker is kept
// instead of an entry and an empty list per step, which a 100,000-step check made by the hundred
// thousand only for the collector to sweep.
//
// A model that has never been updated in place (revision 0: the CLI's, and the editor's until
// the first edit) is not worth the memory: its whole-file lists are kept per revision by their
// modules, and what is kept per node is read again only after an edit. Keeping the facts of a
// 100,000-step file per node cost more than computing them (the check before a run spent 156
// against 85 ms on its references: the entries, and the collector moving them all to the old
// generation), so the whole-file lists compute them directly at revision 0 (`keepsFactsPerNode`).

import { memoOf, type SeqNode } from '../model/sequence';

/**
 * Memoises `compute(node)` per node object. When the node has moved since, `move(item, delta)`
 * moves each fact in place (allocating nothing: this runs for half the file on every keystroke).
 * Facts must therefore not share span objects with the model, which moves its own spans, and
 * callers must neither modify the facts nor keep them across edits.
 */
let caches = 0;

/** Kept for a node that has no facts of a kind: nothing to move, the shared empty list to give. */
const NONE = 0;
const EMPTY: readonly never[] = Object.freeze([]);

export function perNode<T>(
  move: (item: T, delta: number) => void,
): (node: SeqNode, compute: () => T[]) => readonly T[] {
  const cache = perNodeValue<T[]>(
    (items, delta) => {
      for (const item of items) move(item, delta);
    },
    (items) => items.length === 0,
  );
  return (node, compute) => cache(node, compute) ?? EMPTY;
}

/**
 * `perNode` for facts kept in a form of their own: one value per node, `move(value, delta)` moving
 * it in place; a value that `isNone` says holds nothing is not kept (undefined is given instead).
 */
export function perNodeValue<V>(
  move: (value: V, delta: number) => void,
  isNone: (value: V) => boolean,
): (node: SeqNode, compute: () => V) => V | undefined {
  const slot = caches++;
  return (node, compute) => {
    const at = node.span.start;
    const memo = memoOf(node);
    // Made at its full length the first time: set one slot at a time, the list would keep room for
    // about twenty (150 bytes more on each of the file's nodes).
    if (memo.facts.length === 0) memo.facts = new Array(caches);
    const facts = memo.facts;
    const known = facts[slot] as { at: number; value: V } | typeof NONE | undefined;
    if (known === NONE) return undefined;
    if (known) {
      if (known.at !== at) {
        move(known.value, at - known.at);
        known.at = at;
      }
      return known.value;
    }
    const value = compute();
    if (isNone(value)) {
      facts[slot] = NONE;
      return undefined;
    }
    facts[slot] = { at, value };
    return value;
  };
}

/** Whether the whole-file lists of a model go through the per-node memory (see the header). */
export function keepsFactsPerNode(model: { revision: number }): boolean {
  return model.revision > 0;
}

/** Moves a span in place. */
export function moveSpan(span: { start: number; end: number }, delta: number): void {
  span.start += delta;
  span.end += delta;
}
