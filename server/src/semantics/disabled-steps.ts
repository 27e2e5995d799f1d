// Which groups and steps a run never reaches because they, or a group around them, are disabled.
// "Disable this step" on the Options tab of ConfigMgr's task sequence editor makes the task
// sequence skip the step when it runs on a computer
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps), and a group's
// steps run only inside their group, so a disabled group keeps every step in it, at any depth,
// from running (the simulator shows them as "↷ disabled"). What reasons about what a run does —
// which variables are set, whether MDT's Gather ran, what a parent passes down to a child it runs
// (semantics/variable-scope.ts) — asks here; what ConfigMgr checks whether or not a step is enabled
// (references to content: analysis/reference-checks.ts) does not.

import type { TsqDocument } from '../model/document';
import type { SeqNode } from '../model/sequence';

/**
 * Whether `doc` may have a disabled group or step: its text says `disabled` somewhere (a node
 * cannot be disabled otherwise). A look at the text, once per document, where walking every node
 * on each keystroke would cost a large file more; a file that only mentions the word is looked at
 * for nothing.
 */
export function mayHaveDisabledNode(doc: TsqDocument): boolean {
  let known = mentionsDisabled.get(doc);
  if (known === undefined) mentionsDisabled.set(doc, (known = doc.text.includes('disabled')));
  return known;
}
const mentionsDisabled = new WeakMap<TsqDocument, boolean>();

/** Whether `node` never runs: it or a group around it is disabled. */
export function neverRuns(node: SeqNode): boolean {
  for (let n: SeqNode | null = node; n; n = n.parent) if (n.disabled) return true;
  return false;
}

/**
 * The nodes that keep `node` from running, innermost first: itself when it is disabled, then
 * each disabled group around it. Enabling all of them lets it run again (its conditions aside).
 */
export function disabledChain(node: SeqNode): SeqNode[] {
  const out: SeqNode[] = [];
  for (let n: SeqNode | null = node; n; n = n.parent) if (n.disabled) out.push(n);
  return out;
}
