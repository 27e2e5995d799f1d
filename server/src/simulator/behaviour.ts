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
  /** Before the exit code counts: a failure, `done` (succeeds without running anything), or nothing. */
  check?(run: StepRun): StepFailure | 'done' | undefined;
  /** What the step changes when it succeeds. */
  succeed?(run: StepRun): void;
  /** After the step, whether it succeeded or not (result variables). */
  after?(run: StepRun, succeeded: boolean, exitCode: number): void;
}
