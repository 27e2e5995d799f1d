// run-environment: a step that can only run in Windows PE placed where the sequence can only be in
// the full OS, or the reverse. The environment is followed through the sequence as far as it can
// be known (../environment-flow.ts): `_SMSTSInWinPE` conditions narrow it, Restart Computer, Setup
// Windows and ConfigMgr and Prepare Windows for Capture (which restarts into Windows PE) change it,
// child sequences carry it in and out. Only certain
// mismatches are errors; a step whose documented environment differs from what ConfigMgr writes
// (Capture User State, Release State Store) gets a warning. Placement problems with rules of their
// own: setup-windows-in-full-os, winpe-without-boot-image.

import type { Rule } from '../rule';
import { stepDef } from '../../semantics/knowledge';
import { ENV_LABEL, ENVIRONMENT_READS, reportPlacements, sinceText } from '../environment-flow';

export const runEnvironment: Rule = {
  code: 'run-environment',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A step runs where it cannot (Windows PE vs full OS)',
  description:
    'Follows where the sequence runs — Windows PE or the installed OS — through `_SMSTSInWinPE` conditions, Restart Computer, Setup Windows and ConfigMgr, Prepare Windows for Capture (which restarts into Windows PE) and child sequences, and reports steps that can only run in the other environment. A sequence without a boot image that no other sequence or media file starts is in the full OS from its start (its Windows PE steps are `winpe-without-boot-image`); Setup Windows and ConfigMgr where the sequence is already in the full OS is `setup-windows-in-full-os`.',
  kinds: ['sequence'],
  incremental: ENVIRONMENT_READS,
  check(ctx) {
    reportPlacements(ctx, (p) => {
      const name = stepDef(p.step.action)?.displayName ?? p.step.action;
      if (p.kind === 'wrong-environment') {
        return {
          message: `${name} runs only in ${ENV_LABEL[p.needs!]}, but the sequence is in ${ENV_LABEL[p.isIn]} here${sinceText(p.since)}.`,
          hint:
            p.needs === 'WinPE'
              ? 'Restart into Windows PE first (Restart Computer with `target: winpe`), or move the step before Setup Windows and ConfigMgr.'
              : 'Move the step after Setup Windows and ConfigMgr, or restart into the installed OS first (Restart Computer with `target: hd`).',
        };
      }
      if (p.kind === 'documented-environment') {
        return {
          message: `The ConfigMgr documentation says ${name} runs in ${ENV_LABEL[p.needs!]}, but here the sequence is in ${ENV_LABEL[p.isIn]}.`,
          hint: 'ConfigMgr accepts it, but check that the step does what you expect in this environment.',
          severity: 'warning',
        };
      }
      return undefined;
    });
  },
};
