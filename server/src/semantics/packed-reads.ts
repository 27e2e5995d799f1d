// The variable reads of one group or step as the per-node memory keeps them: one flat array of
// names and offsets instead of an object per read. A 10,000-step file whose every step has a long
// condition reads 100,000 variables, and the memory of an edited file kept each as an object of
// five fields in a list of its own per node: 7.9 MB of the editor's 49 MB of live heap (heap
// snapshot after the bench's edits on `long-conditions`; docs/performance.md, "The editor's kept
// memory, eighth pass"). Flat, a read is three slots (its name, a string shared by every read of it
// through semantics/variable-names.ts, and its two offsets), and a node's reads one array of
// exactly their length. Readers still get `VariableRead` objects (`unpackReads`), made when asked
// for and dropped by them: a node's own few for the editor's features and the checker's inputs, the
// whole file's only when a whole-file rule runs again.

import type { SeqNode } from '../model/sequence';

/** A read of a variable: `%Name%` in a step's option, or a variable its condition tests (variable-flow.ts lists them). */
export interface VariableRead {
  name: string;
  start: number;
  end: number;
  inCondition: boolean;
  node: SeqNode;
}

declare const packed: unique symbol;

/**
 * `[conditionReads, name, start, end, name, start, end, ...]`: a node's reads in their order, the
 * first `conditionReads` of them read by its condition, the rest `%Name%` in its options.
 */
export type PackedReads = (string | number)[] & { readonly [packed]: true };

/** `reads` (a node's, its condition's first) packed; undefined when there are none. */
export function packReads(reads: readonly VariableRead[]): PackedReads | undefined {
  if (reads.length === 0) return undefined;
  // Made at its full length: an array grown by pushing keeps room to grow further, for life.
  const out = new Array<string | number>(1 + 3 * reads.length);
  let inCondition = 0;
  while (inCondition < reads.length && reads[inCondition].inCondition) inCondition++;
  out[0] = inCondition;
  for (let i = 0, at = 1; i < reads.length; i++, at += 3) {
    const r = reads[i];
    out[at] = r.name;
    out[at + 1] = r.start;
    out[at + 2] = r.end;
  }
  return out as PackedReads;
}

/** The reads of `node` that `list` holds, as objects of their own. */
export function unpackReads(list: PackedReads, node: SeqNode): VariableRead[] {
  const inCondition = list[0] as number;
  const out = new Array<VariableRead>((list.length - 1) / 3);
  for (let i = 0, at = 1; at < list.length; i++, at += 3)
    out[i] = {
      name: list[at] as string,
      start: list[at + 1] as number,
      end: list[at + 2] as number,
      inCondition: i < inCondition,
      node,
    };
  return out;
}

/** Moves every read of `list` by `delta`, in place. */
export function movePackedReads(list: PackedReads, delta: number): void {
  for (let at = 1; at < list.length; at += 3) {
    list[at + 1] = (list[at + 1] as number) + delta;
    list[at + 2] = (list[at + 2] as number) + delta;
  }
}
