// The kinds of log events the engine records on its hot path, each with the words it is told in.
// An event keeps only the values its message is made of (the node, a plan, a condition's
// captured values); the message is built when someone reads the log.

import type { ConditionEnvironment } from '../conditions';
import type { SeqNode } from '../model/sequence';
import { conditionProgram, type Capture } from './condition-program';
import { durationText, exitCodeText, logHead, type LogHead } from './log';
import { environmentLabel, type Environment } from './machine';
import type { NodeRecord } from './records';

export const TS_MANAGER = 'TSManager';

const name = (n: unknown) => (n as SeqNode).name;
const why = (n: unknown, captured: unknown, facts: unknown) => conditionProgram((n as SeqNode).when!).explain(captured as Capture, facts as ConditionEnvironment);
const msgDisabled = (n: unknown) => `"${name(n)}" is disabled: skipped, its condition not evaluated`;
const msgConditionFalse = (n: unknown, captured: unknown, facts: unknown) => `The condition of "${name(n)}" is false, so it is skipped: ${why(n, captured, facts)}`;
const msgConditionTrue = (n: unknown, captured: unknown, facts: unknown) => `The condition of "${name(n)}" is true: ${why(n, captured, facts)}`;
const msgEnterGroup = (n: unknown) => `Entering group "${name(n)}"`;
const msgLeaveGroup = (n: unknown) => `Group "${name(n)}" finished`;
const msgEnterChild = (n: unknown, child: unknown) => `"${name(n)}" runs the child task sequence "${child}"`;
const msgChildDone = (n: unknown, child: unknown) => `The child task sequence "${child}" of "${name(n)}" finished`;
const msgStart = (n: unknown, cmd: unknown, label: unknown) => `Running "${name(n)}" (${label})${cmd === undefined ? '' : `: ${cmd}`}`;
export const noteWords = (_rec: unknown, text: unknown) => text as string;
export const msgNote = (rec: unknown, text: unknown) => `${(rec as NodeRecord).node.name}: ${text}`;
const restartWords = (_rec: unknown, target: unknown, reason: unknown) => `restarted into ${environmentLabel(target as Environment)}: ${reason}`;
const restartSwitchWords = (_rec: unknown, target: unknown, reason: unknown) => `restarted into ${environmentLabel(target as Environment)} (was ${environmentLabel(target === 'WinPE' ? 'FullOS' : 'WinPE')}): ${reason}`;
const msgRestart = (rec: unknown, target: unknown, reason: unknown) => `${(rec as NodeRecord).node.name}: the computer restarts into ${environmentLabel(target as Environment)}: ${reason}`;
export const msgDownloaded = (what: unknown, seconds: unknown) => `Downloaded ${what} in ${durationText((seconds as number) * 1000)}`;
const msgContinued = (n: unknown) => `"${name(n)}" has continue on error: the run goes on with the next step`;
const msgAbsorbed = (n: unknown, cause: unknown) => `"${name(n)}" failed because "${cause}" failed; it has continue on error, so the run goes on after it`;
const msgGroupFailed = (n: unknown, cause: unknown) => `"${name(n)}" failed because "${cause}" failed`;
const msgSucceeded = (n: unknown, code: unknown) => `"${name(n)}" succeeded (exit code ${exitCodeText(code as number)})`;
const msgFailed = (n: unknown, reason: unknown) => `"${name(n)}" failed: ${reason}`;

export const H_DISABLED = logHead('info', TS_MANAGER, msgDisabled);
/** Values: the node, the condition's captured values, the machine's facts. */
export const H_CONDITION_FALSE = logHead('info', TS_MANAGER, msgConditionFalse);
export const H_CONDITION_TRUE = logHead('info', TS_MANAGER, msgConditionTrue);
export const H_ENTER_GROUP = logHead('info', TS_MANAGER, msgEnterGroup);
export const H_LEAVE_GROUP = logHead('info', TS_MANAGER, msgLeaveGroup);
export const H_ENTER_CHILD = logHead('info', TS_MANAGER, msgEnterChild);
export const H_CHILD_DONE = logHead('info', TS_MANAGER, msgChildDone);
/** Values: the step, its expanded command line (or undefined), the action's label. */
export const H_START = logHead('info', TS_MANAGER, msgStart);
export const H_CONTINUED = logHead('warning', TS_MANAGER, msgContinued);
/** Values: the visit (its index), the target environment, why. */
export const H_RESTART = logHead('info', TS_MANAGER, msgRestart, restartWords);
export const H_RESTART_SWITCH = logHead('info', TS_MANAGER, msgRestart, restartSwitchWords);
export const H_ABSORBED = logHead('warning', TS_MANAGER, msgAbsorbed);
export const H_GROUP_FAILED = logHead('error', TS_MANAGER, msgGroupFailed);

export interface StepHeads {
  succeeded: LogHead;
  failed: LogHead;
  note: LogHead;
  /** Notes whose words are built when read, by the function that builds them. */
  lazy: Map<(b: unknown, c: unknown) => string, LogHead>;
}

const headsByComponent = new Map<string, StepHeads>();

/** Events a step's program logs, under its own component name. */
export function stepHeads(component: string): StepHeads {
  let h = headsByComponent.get(component);
  if (!h) {
    h = { succeeded: logHead('info', component, msgSucceeded), failed: logHead('error', component, msgFailed), note: logHead('info', component, msgNote, noteWords), lazy: new Map() };
    headsByComponent.set(component, h);
  }
  return h;
}

/** A note whose words `words(b, c)` builds when read. */
export function lazyNoteHead(heads: StepHeads, component: string, words: (b: unknown, c: unknown) => string): LogHead {
  let head = heads.lazy.get(words);
  if (!head) {
    const build = (_rec: unknown, x: unknown, y: unknown) => words(x, y);
    heads.lazy.set(words, (head = logHead('info', component, (rec, x, y) => `${(rec as NodeRecord).node.name}: ${words(x, y)}`, build)));
  }
  return head;
}
