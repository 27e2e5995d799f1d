// Parent/child relations between sequences: which Run Task Sequence steps name which sequences,
// resolved through the workspace. Shared by the cycle rule, broken references, the simulator's
// content check and the editor's navigation.

import type { SequenceModel, StepNode } from '../model/sequence';
import { option, walk } from '../model/sequence';
import type { Workspace, ResolvedFile } from './workspace';

export const RUN_TASK_SEQUENCE = 'RunTaskSequence';

export interface ChildCall {
  step: StepNode;
  /** The `sequence:` value as written. */
  ref: string;
  refStart: number;
  refEnd: number;
  target: ResolvedFile & { byPackageId?: boolean };
}

/** Every Run Task Sequence step of `model` with the sequence it names. */
export function childCalls(ws: Workspace, docId: string, model: SequenceModel): ChildCall[] {
  const out: ChildCall[] = [];
  for (const node of walk(model.steps)) {
    if (node.kind !== 'step' || node.action !== RUN_TASK_SEQUENCE) continue;
    const opt = option(node, 'sequence');
    if (!opt || typeof opt.value !== 'string' && typeof opt.value !== 'number') continue;
    const ref = String(opt.value).trim();
    if (!ref) continue;
    out.push({ step: node, ref, refStart: opt.span.start, refEnd: opt.span.end, target: ws.resolveChild(docId, ref) });
  }
  return out;
}
