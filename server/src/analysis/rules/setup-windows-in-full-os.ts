// setup-windows-in-full-os: Setup Windows and ConfigMgr placed where the sequence is already in the
// installed OS. The step moves the run from Windows PE into the new Windows, so "it can only be
// added during the Windows PE portion of the task sequence"
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr).

import type { Rule } from '../rule';
import { ENV_LABEL, ENVIRONMENT_READS, reportPlacements, sinceText } from '../environment-flow';

export const setupWindowsInFullOs: Rule = {
  code: 'setup-windows-in-full-os',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'Setup Windows and ConfigMgr is placed where the sequence is already in the full OS',
  description:
    'Setup Windows and ConfigMgr moves the run from Windows PE into the Windows just applied; the documentation says it can only be added during the Windows PE part of the sequence. Reports it where the sequence is certainly in the full OS already (after another Setup Windows and ConfigMgr, a restart into the installed OS, or under a `_SMSTSInWinPE == "false"` condition). Source: https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr.',
  kinds: ['sequence'],
  incremental: ENVIRONMENT_READS,
  check(ctx) {
    reportPlacements(ctx, (p) =>
      p.kind === 'setup-in-full-os'
        ? {
            message: `Setup Windows and ConfigMgr moves the sequence from Windows PE into the new Windows, but here the sequence is already in ${ENV_LABEL[p.isIn]}${sinceText(p.since)}.`,
            hint: 'Place it in the Windows PE part of the sequence, after Apply Operating System Image: the documentation says it “can only be added during the Windows PE portion of the task sequence”.',
          }
        : undefined,
    );
  },
};
