// Which steps run MDT's ZTIGather, the script that sets MDT's local facts and processes its rules
// (CustomSettings.ini, the MDT database): the Gather step, or a command line that runs
// ZTIGather.wsf. Variable scope (variable-scope.ts) knows MDT's variables from such a step on, and
// the link fingerprint (link-fingerprint.ts) tells an edit of one apart, since children inherit it.

import { option, type StepNode } from '../model/sequence';

/** Whether a step runs ZTIGather, and whether it then processes the rules (`rules`) or the local data only (`local`). */
export type GatherKind = 'local' | 'rules';

/** ZTIGather.wsf on a command line, and the rest of the line after it (https://learn.microsoft.com/mem/configmgr/mdt/scripts#ztigatherwsf). */
const ZTIGATHER = /(?:^|[\\/"'\s=])ZTIGather\.wsf\b(.*)$/i;

/**
 * Whether `step` runs MDT's ZTIGather, and how: the Gather step processes the rules unless its
 * `localOnly` is true ("Gather only local data"), a command line that runs ZTIGather.wsf unless
 * it passes /localonly (https://learn.microsoft.com/mem/configmgr/mdt/task-sequence-steps#gather).
 */
export function gatherKindOf(step: StepNode): GatherKind | undefined {
  if (step.action === 'Gather') {
    const localOnly = option(step, 'localOnly')?.value;
    return localOnly === true || (typeof localOnly === 'string' && /^true$/i.test(localOnly.trim()))
      ? 'local'
      : 'rules';
  }
  for (const text of [option(step, 'commandLine')?.value, (step.xml as { action?: unknown } | undefined)?.action]) {
    const m = typeof text === 'string' ? ZTIGATHER.exec(text) : null;
    if (m) return /\/localonly\b/i.test(m[1]) ? 'local' : 'rules';
  }
  return undefined;
}
