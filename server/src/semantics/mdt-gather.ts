// Which steps run MDT's ZTIGather, the script that sets MDT's local facts and processes its rules
// (CustomSettings.ini, the MDT database): the Gather step, or a command line that runs
// ZTIGather.wsf; and which run a Lite Touch script (LTI*.wsf), which only a sequence that
// LiteTouch.wsf runs does — and LiteTouch.wsf has run ZTIGather before it starts the sequence.
// Variable scope (variable-scope.ts) knows MDT's variables from such a step on (from the start of
// a Lite Touch sequence), and the link fingerprint (link-fingerprint.ts) tells an edit of one
// apart, since children inherit what their parent gathered. A disabled step (or one in a disabled
// group) runs no ZTIGather, so variable scope leaves it out (disabled-steps.ts); a disabled step
// that runs a Lite Touch script still tells that LiteTouch.wsf starts the sequence.

import { option, type StepNode } from '../model/sequence';

/** Whether a step runs ZTIGather, and whether it then processes the rules (`rules`) or the local data only (`local`). */
export type GatherKind = 'local' | 'rules';

/** ZTIGather.wsf on a command line, and the rest of the line after it (https://learn.microsoft.com/mem/configmgr/mdt/scripts#ztigatherwsf). */
const ZTIGATHER = /(?:^|[\\/"'\s=])ZTIGather\.wsf\b(.*)$/i;

/** A Lite Touch script (LTIApply.wsf, LTISuspend.wsf, …) on a command line. */
const LTI_SCRIPT = /(?:^|[\\/"'\s=])LTI[A-Za-z0-9_-]*\.wsf\b/i;

/** The command line a step runs, and the MDT action an import kept under `xml:`. */
function commandsOf(step: StepNode): unknown[] {
  return [option(step, 'commandLine')?.value, (step.xml as { action?: unknown } | undefined)?.action];
}

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
  for (const text of commandsOf(step)) {
    const m = typeof text === 'string' ? ZTIGATHER.exec(text) : null;
    if (m) return /\/localonly\b/i.test(m[1]) ? 'local' : 'rules';
  }
  return undefined;
}

/**
 * Whether `step` runs a Lite Touch script. LiteTouch.wsf controls the Lite Touch deployment: it
 * runs the Deployment Wizard, then the task sequence, with the environment ZTIGather.wsf populated
 * (https://learn.microsoft.com/mem/configmgr/mdt/scripts#litetouchwsf); so a sequence that runs an
 * LTI script starts with MDT's facts and rules gathered.
 */
export function runsLiteTouchScript(step: StepNode): boolean {
  return commandsOf(step).some((text) => typeof text === 'string' && LTI_SCRIPT.test(text));
}

/** What about `step` MDT's variables depend on, as text that changes when it does ('' for most steps). */
export function gatherSignature(step: StepNode): string {
  const kind = gatherKindOf(step);
  return `${kind ? `gather:${kind}` : ''}${runsLiteTouchScript(step) ? '+lti' : ''}`;
}
