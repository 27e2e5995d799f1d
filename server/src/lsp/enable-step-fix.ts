// The quick fix "Enable step …" of a variable read that only a disabled step would have set
// (undefined-variable, analysis/rules/undefined-variable.ts): it takes `disabled: true` off the
// step and off every disabled group around it, the way the Task Sequence view's Enable does
// (model/tree-edits.ts `setDisabled`: the key is removed, since a node runs unless it says
// otherwise, or set to `false` where it cannot be taken out of its line). ConfigMgr skips a
// disabled step when the task sequence runs
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps, "Disable this step").

import type { TsqDocument } from '../model/document';
import { setDisabled, type TextChange } from '../model/tree-edits';
import { disabledChain } from '../semantics/disabled-steps';
import { seqNodeAt } from './context';

export interface EnableStepFix {
  title: string;
  changes: TextChange[];
}

/** The fix for the step that starts at `stepStart`, or undefined when it is not there any more or runs already. */
export function enableStepFix(doc: TsqDocument, stepStart: number): EnableStepFix | undefined {
  const step = seqNodeAt(doc, stepStart);
  if (!step || step.span.start !== stepStart) return undefined;
  const chain = disabledChain(step);
  if (chain.length === 0) return undefined;
  const changes: TextChange[] = [];
  for (const node of chain) {
    const edit = setDisabled(doc.text, node, false);
    if (!edit.ok) return undefined;
    changes.push(...edit.changes);
  }
  const names = chain.map((n) => `${n.kind} “${n.name}”`);
  return { title: `Enable ${names.join(' and ')}`, changes: changes.sort((a, b) => a.start - b.start) };
}
