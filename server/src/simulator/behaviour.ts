// The contract between the engine (engine.ts) and what individual built-in actions do to the
// simulated machine (actions.ts): a step's behaviour can refuse to run (nothing to apply an image
// to, a read-only variable), finish without running anything (every application already
// installed), change the machine when it succeeds (format the disk, apply Windows, set
// variables) and ask for a restart.

import type { StepNode, SequenceModel } from '../model/sequence';
import type { CatalogIndex } from '../semantics/workspace';
import type { ConditionEnvironment } from '../conditions';
import type { Journal } from './journal';
import type { VariableStore } from './variables';
import type { ContentLibrary } from './content';
import type { Environment, MachineSetup } from './machine';
import type { RunOutcome } from '../model/machine';
import type { LogSeverity, NoteValues } from './log';
import type { RunFailure, RunResult } from './types';

export interface StepFailure {
  exitCode: number;
  reason: string;
}

/** What is on the simulated disk. */
export type DiskOs = 'none' | 'applied' | 'installed';

/** The machine's state during a run; every field changes through the journal. */
export interface MachineState {
  env: Environment;
  diskFormatted: boolean;
  os: DiskOs;
  /** The ConfigMgr client is installed in the Windows on the disk (where the logs go in the full OS). */
  client: boolean;
  /** Simulated clock, epoch milliseconds. */
  clock: number;
  restarts: number;
  /** Times in a row the current step has asked to be run again. */
  reruns: number;
  visits: number;
  ended?: RunResult;
  failure?: RunFailure;
}

/** The parts of a run a step's behaviour may read and change. */
export interface RunContext {
  readonly journal: Journal;
  readonly vars: VariableStore;
  readonly state: MachineState;
  readonly machine: MachineSetup;
  readonly content: ContentLibrary;
  readonly catalog: CatalogIndex;
  readonly conditionEnv: ConditionEnvironment;
  /** The top sequence (its boot image is the one Restart Computer uses). */
  readonly root: SequenceModel;
  /** Applications installed on the machine, by lower-case ID and name. */
  readonly applications: Map<string, true>;
}

/** One run of one step, as a behaviour sees it. */
export interface StepRun {
  readonly ctx: RunContext;
  readonly node: StepNode;
  /** The action's display name (`Apply Operating System Image`). */
  readonly label: string;
  /** What the machine profile says about this run (may be empty). */
  readonly outcome: RunOutcome | undefined;
  /** What a behaviour's `check` leaves for the rest of the same run (undefined at the start of each run). */
  scratch: unknown;
  /** An option's text value with `%Name%` expanded; undefined when not given and without default. */
  value(name: string): string | undefined;
  /** An option's text value as written (no expansion); undefined when not given and without default. */
  option(name: string): string | undefined;
  /** The slot of the variable an option names, when the option is given and holds no `%`; -1 otherwise. */
  variableSlot(option: string): number;
  /** Something worth telling about this run (shown under the step and logged). */
  note(text: string, severity?: LogSeverity): void;
  /** A note whose words `words(...values)` makes only when someone reads them (frequent notes). */
  noteWith<V extends NoteValues>(words: (...values: V) => string, ...values: NoInfer<V>): void;
  /** Restart after the step (an install's 3010, Restart Computer, Setup Windows and ConfigMgr). */
  restart(target: Environment, why: string): void;
  /** Time the step takes beyond its own duration (a restart notice, downloads). */
  addSeconds(seconds: number): void;
}

export interface StepBehaviour {
  /**
   * Set when a failure of the step fails the run whatever continue on error says, on the step or
   * on its groups; the text says so in the report (Setup Windows and ConfigMgr).
   */
  readonly failureEndsRun?: string;
  /**
   * The retries the step gets after unexpected restarts, when that is not simply its retry count
   * (`configured`); `why` is noted when the step gets fewer.
   */
  retries?(run: StepRun, configured: number, continueOnError: boolean): { count: number; why?: string } | undefined;
  /** Before the exit code counts: a failure, `done` (succeeds without running anything), or nothing. */
  check?(run: StepRun): StepFailure | 'done' | undefined;
  /** What the step changes when it succeeds. */
  succeed?(run: StepRun): void;
  /** After the step, whether it succeeded or not (result variables). */
  after?(run: StepRun, succeeded: boolean, exitCode: number): void;
}

/**
 * Where the task sequence keeps its log (`_SMSTSLogPath`) in a state of the machine, after
 * "Log files in Configuration Manager", § Task sequence log locations
 * (https://learn.microsoft.com/mem/configmgr/core/plan-design/hierarchy/about-log-files): in Windows
 * PE on its RAM drive until a disk is formatted, then in `_SMSTaskSequence` on the disk; in the full
 * OS there too until the ConfigMgr client is installed, then in the client's log folder. Right
 * after Format and Partition Disk the log is on `X:\SMSTSLog` (actions.ts), as the page says.
 */
export function logPath(state: Pick<MachineState, 'env' | 'diskFormatted' | 'client'>): string {
  if (state.env === 'WinPE') return state.diskFormatted ? LOGS_ON_DISK : 'X:\\Windows\\Temp\\SMSTSLog';
  return state.client ? 'C:\\Windows\\CCM\\Logs\\SMSTSLog' : LOGS_ON_DISK;
}

const LOGS_ON_DISK = 'C:\\_SMSTaskSequence\\Logs\\SMSTSLog';
