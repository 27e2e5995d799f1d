// The kinds of log events the engine records on its hot path, each with the words it is told in.
// An event keeps only the values its message is made of (the node, a plan, a condition's
// captured values); the message is built when someone reads the log.

import type { ConditionEnvironment } from '../conditions';
import type { SeqNode } from '../model/sequence';
import { explainCondition, type Capture } from './condition-program';
import { logHead, noteHead, type LogHead, type LogSeverity, type NoteValues, type VisitIndex } from './log';
import { durationText, exitCodeText } from '../semantics/run-outcome';
import { environmentLabel, type Environment } from './machine';
import type { NodeRecord } from './records';

export const TS_MANAGER = 'TSManager';

const why = (n: SeqNode, captured: Capture, facts: ConditionEnvironment) => explainCondition(n.when!, captured, facts);
const msgDisabled = (n: SeqNode) => `"${n.name}" is disabled: skipped, its condition not evaluated`;
const msgConditionFalse = (n: SeqNode, captured: Capture, facts: ConditionEnvironment) =>
  `The condition of "${n.name}" is false, so it is skipped: ${why(n, captured, facts)}`;
const msgConditionTrue = (n: SeqNode, captured: Capture, facts: ConditionEnvironment) =>
  `The condition of "${n.name}" is true: ${why(n, captured, facts)}`;
const msgEnterGroup = (n: SeqNode) => `Entering group "${n.name}"`;
const msgLeaveGroup = (n: SeqNode) => `Group "${n.name}" finished`;
const msgEnterChild = (n: SeqNode, child: string) => `"${n.name}" runs the child task sequence "${child}"`;
const msgChildDone = (n: SeqNode, child: string) => `The child task sequence "${child}" of "${n.name}" finished`;
const msgStart = (n: SeqNode, cmd: string | undefined, label: string) =>
  `Running "${n.name}" (${label})${cmd === undefined ? '' : `: ${cmd}`}`;
const noteWords = (text: string) => text;
const msgNote = (rec: NodeRecord, text: string) => `${rec.node.name}: ${text}`;
const restartWords = (target: Environment, reason: string) => `restarted into ${environmentLabel(target)}: ${reason}`;
const restartSwitchWords = (target: Environment, reason: string) =>
  `restarted into ${environmentLabel(target)} (was ${environmentLabel(target === 'WinPE' ? 'FullOS' : 'WinPE')}): ${reason}`;
const msgRestart = (rec: NodeRecord, target: Environment, reason: string) =>
  `${rec.node.name}: the computer restarts into ${environmentLabel(target)}: ${reason}`;
export const msgDownloaded = (what: string, seconds: number) => `Downloaded ${what} in ${durationText(seconds * 1000)}`;
const msgContinued = (n: SeqNode) => `"${n.name}" has continue on error: the run goes on with the next step`;
const msgAbsorbed = (n: SeqNode, cause: string) =>
  `"${n.name}" failed because "${cause}" failed; it has continue on error, so the run goes on after it`;
const msgGroupFailed = (n: SeqNode, cause: string) => `"${n.name}" failed because "${cause}" failed`;
const msgSucceeded = (n: SeqNode, code: number) => `"${n.name}" succeeded (exit code ${exitCodeText(code)})`;
const msgFailed = (n: SeqNode, reason: string) => `"${n.name}" failed: ${reason}`;

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
/** Values: the visit, the target environment, why. */
export const H_RESTART = noteHead('info', TS_MANAGER, msgRestart, restartWords);
export const H_RESTART_SWITCH = noteHead('info', TS_MANAGER, msgRestart, restartSwitchWords);
export const H_ABSORBED = logHead('warning', TS_MANAGER, msgAbsorbed);
export const H_GROUP_FAILED = logHead('error', TS_MANAGER, msgGroupFailed);

/** A note about a visit in words of its own. */
export type NoteHead = LogHead<[visit: VisitIndex, text: string]>;

export interface StepHeads {
  succeeded: LogHead<[step: SeqNode, exitCode: number]>;
  failed: LogHead<[step: SeqNode, reason: string]>;
  note: NoteHead;
  /** Notes whose words are built when read, by the function that builds them. */
  lazy: Map<object, LogHead>;
}

const headsByComponent = new Map<string, StepHeads>();

/** Events a step's program logs, under its own component name. */
export function stepHeads(component: string): StepHeads {
  let h = headsByComponent.get(component);
  if (!h) {
    h = {
      succeeded: logHead('info', component, msgSucceeded),
      failed: logHead('error', component, msgFailed),
      note: noteOf('info', component),
      lazy: new Map(),
    };
    headsByComponent.set(component, h);
  }
  return h;
}

/** Notes in words of their own, logged under `component`. */
export function noteOf(severity: LogSeverity, component: string): NoteHead {
  return noteHead(severity, component, msgNote, noteWords);
}

/** A note whose words `words(...values)` builds when read. */
export function lazyNoteHead<V extends NoteValues>(
  heads: StepHeads,
  component: string,
  words: (...values: V) => string,
): LogHead<[visit: VisitIndex, ...values: V]> {
  let head = heads.lazy.get(words) as LogHead<[visit: VisitIndex, ...values: V]> | undefined;
  if (!head)
    heads.lazy.set(
      words,
      (head = noteHead(
        'info',
        component,
        (rec: NodeRecord, ...values: V) => `${rec.node.name}: ${words(...values)}`,
        words,
      )),
    );
  return head;
}
