// The words the run-log reader shares between its parts: where a line is, an instruction of the
// sequence with its ConfigMgr pointer, and one execution of an instruction as the log shows it.

import type { LogTime } from './cmtrace';
import type { StepStatus } from '../semantics/run-outcome';

export type { StepStatus } from '../semantics/run-outcome';

/** A place in the logs: the file (its index in the run's file list) and its 1-based physical line. */
export interface LogRef {
  file: number;
  line: number;
}

/**
 * One instruction of a task sequence as ConfigMgr numbers it: groups and steps in document order,
 * a group before what it holds, the nodes of a child sequence right after its Run Task Sequence
 * step. `pointer` is the number smsts.log shows (`Pointer: N`); undefined where it cannot be known
 * (after a child sequence that could not be read).
 */
export interface InstructionEntry {
  pointer: number | undefined;
  name: string;
  kind: 'group' | 'step';
  /** The ConfigMgr class of a step (`SMS_TaskSequence_RunCommandLineAction`), '' for a group, undefined when unknown. */
  type?: string;
  /** Index of the enclosing group (or Run Task Sequence step) in the same table, -1 at the top. */
  parent: number;
  /** Index just past this entry's subtree. */
  end: number;
  depth: number;
  /** Names from the top down to this entry, joined with `/` (child nodes under their Run Task Sequence step). */
  path: string;
  /** A Run Task Sequence step whose child sequence follows it in the table. */
  container?: boolean;
  disabled?: boolean;
}

/** How sure a match between a log entry and a step of the sequence is. */
export type MatchConfidence = 'exact' | 'high' | 'low';

/** An instruction run (or passed over) once, as the log shows it. */
export interface Execution {
  index: number;
  name: string;
  pointer?: number;
  /** The class the log gives (`''` for a group); undefined when the log's wording has none. */
  type?: string;
  kind: 'group' | 'step';
  /** A Run Task Sequence step: the child's instructions run inside it. */
  container: boolean;
  /** `Disabled: 1` on the instruction-start line. */
  disabledFlag: boolean;
  /** Where the instruction starts (undefined: it started before the first line of the logs). */
  start?: LogRef;
  startTime?: LogTime;
  /** Records of the run (indices into the merged records) from its start to the next instruction. */
  firstRecord: number;
  lastRecord: number;
  /** The group was entered ("The group (…) has been successfully started"), and where. */
  entered: boolean;
  enteredRef?: LogRef;
  /** The last line that said its condition is false. */
  conditionRef?: LogRef;
  conditionTime?: LogTime;
  /** A process ran for it (command line or process exit lines). */
  activity: boolean;
  outcome?: 'succeeded' | 'failed' | 'disabled' | 'skipped';
  outcomeRef?: LogRef;
  outcomeTime?: LogTime;
  exitCode?: number;
  /** The error line of a failure, or why it was skipped. */
  message?: string;
  /** Exit code of the step's process (`Process completed with exit code N`). */
  processExit?: number;
  /** The engine set _SMSTSLastActionSucceeded / _SMSTSLastActionRetCode while it was current. */
  lastActionSucceeded?: boolean;
  lastActionRetCode?: number;
  /** After a failure: the groups the log says failed, and groups or the engine that ignored it. */
  failedGroups: { name: string; ref: LogRef; time?: LogTime }[];
  ignoredBy: { subject: 'action' | 'group'; name: string }[];
  parentNamed: string[];
  /** The run failed right after this failure ("Failed to run the last action", the engine failed). */
  endedRun: boolean;
  /** Variables set (global, with values) while it was the current instruction. */
  variables: { name: string; value: string }[];
  rebootRequested?: LogRef;
  /** Filled by the rebuild. */
  parent: Execution | null;
  path?: string;
  depth?: number;
  status?: StepStatus;
  decideRef?: LogRef;
  endTime?: LogTime;
  /** Made up for a group that started before the first line of the logs. */
  synthetic?: boolean;
  /** Index of the matching entry of the instruction table in use. */
  entry?: number;
  confidence?: MatchConfidence;
}
