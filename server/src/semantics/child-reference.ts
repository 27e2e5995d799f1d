// What a Run Task Sequence step names as its child: its `sequence:` option (a path to a
// *.tsq.yaml file or a package ID), as written and trimmed. Read alike by the calls the workspace
// resolves (children.ts) and by what an edit is compared on (link-fingerprint.ts).

import { option, type StepNode, type StepOption } from '../model/sequence';

export const RUN_TASK_SEQUENCE = 'RunTaskSequence';

/** The child a step names, with the option that names it; undefined for other steps and empty references. */
export function childReference(step: StepNode): { ref: string; option: StepOption } | undefined {
  if (step.action !== RUN_TASK_SEQUENCE) return undefined;
  const opt = option(step, 'sequence');
  if (!opt || (typeof opt.value !== 'string' && typeof opt.value !== 'number')) return undefined;
  const ref = String(opt.value).trim();
  return ref ? { ref, option: opt } : undefined;
}
