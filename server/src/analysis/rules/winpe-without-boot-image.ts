// winpe-without-boot-image: a step that runs only in Windows PE (or Restart Computer into Windows
// PE, or Setup Windows and ConfigMgr, which starts there) in a sequence that has no boot image, so
// it never runs in Windows PE. "For any deployment that requires a boot image, specify it on the
// parent task sequence" (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence);
// a restart into Windows PE uses "the boot image assigned to this task sequence"
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RestartComputer).
// A sequence another sequence of the workspace runs as a child, or a media file carries, is not
// judged on its own: its parent's or its media's boot image may start Windows PE for it. A warning,
// not an error: a sequence imported from a bare sequence XML has no `bootImage:` only because that
// XML does not carry it (the boot image is a setting of the task sequence, not of its steps).

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import { stepDef } from '../../semantics/knowledge';
import { ENVIRONMENT_READS, reportPlacements } from '../environment-flow';

export const winpeWithoutBootImage: Rule = {
  code: 'winpe-without-boot-image',
  defaultSeverity: 'warning',
  mostSevere: 'warning',
  title: 'A Windows PE step in a sequence without a boot image',
  description:
    'A sequence without `bootImage:` never runs in Windows PE: its deployments start it in the installed OS and a restart into Windows PE has no boot image to start. Reports steps that run only in Windows PE, restarts into Windows PE and Setup Windows and ConfigMgr in such a sequence (and in the child sequences it runs). Sequences that another sequence of the workspace runs, or that a media file carries, are left alone. A warning, because a sequence imported from a sequence XML alone lacks `bootImage:` only because that XML does not carry it: add the boot image the sequence uses in ConfigMgr. Sources: https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence (“For any deployment that requires a boot image, specify it on the parent task sequence”) and #BKMK_RestartComputer.',
  kinds: ['sequence'],
  incremental: ENVIRONMENT_READS,
  check(ctx) {
    const name = (ctx.doc.model as SequenceModel).name;
    const hint =
      'Give the sequence a `bootImage:` (the boot image that starts Windows PE), or remove the step. A child sequence uses its parent’s boot image: lint it together with the sequence that runs it.';
    reportPlacements(ctx, (p) => {
      if (p.kind !== 'no-boot-image') return undefined;
      const what =
        p.step.action === 'RestartComputer'
          ? 'Restart Computer into Windows PE needs the boot image of the sequence'
          : `${stepDef(p.step.action)?.displayName ?? p.step.action} ${p.step.action === 'SetupWindowsAndConfigMgr' ? 'starts' : 'runs only'} in Windows PE`;
      return { message: `${what}, but “${name}” has no boot image, so it never runs in Windows PE.`, hint };
    });
  },
};
