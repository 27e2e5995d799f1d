// child-boot-image: Run Task Sequence names a sequence that has a boot image of its own. The
// console refuses it: "You can't select a task sequence with a boot image reference. For any
// deployment that requires a boot image, specify it on the parent task sequence."
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence)

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import { childCalls } from '../../semantics/children';

export const childBootImage: Rule = {
  code: 'child-boot-image',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A child sequence has a boot image of its own',
  description:
    'Run Task Sequence cannot run a sequence that references a boot image: the console does not let you select one, and the documentation says to give the boot image to the parent instead (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence). The simulator fails such a step too.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    for (const call of childCalls(ctx.ws, ctx.doc.id, ctx.doc.model as SequenceModel)) {
      const child = call.target.doc;
      const model = child?.kind === 'sequence' ? (child.model as SequenceModel | undefined) : undefined;
      const boot = model?.bootImage?.value.trim();
      if (!child || !model || !boot) continue;
      ctx.report({
        start: call.refStart,
        end: call.refEnd,
        message: `The child sequence “${model.name}” has a boot image of its own (${boot}); Run Task Sequence cannot run a sequence that references a boot image.`,
        hint: 'Remove `bootImage:` from the child and give it to the sequence at the top, whose boot image the whole run uses.',
        related: [
          {
            docId: child.id,
            start: model.bootImage!.span.start,
            end: model.bootImage!.span.end,
            message: 'The child’s boot image.',
          },
        ],
      });
    }
  },
};
