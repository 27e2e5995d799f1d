// The simulator's public vocabulary: the options a run takes (content mode, start time, media,
// deployment context, history for stepping back), what it records for every node it reaches,
// and how a run ends. The CLI, the debug adapter and later the deployment and media features
// speak to the simulator in these terms.

import { CONTENT_OPTIONS, type ContentOption } from '../model/deployment';
import type { ReferenceKind } from '../catalog/types';
import type { StepNode } from '../model/sequence';
import type { NodeRecord } from './records';

/**
 * How the client gets content, as a deployment says (ConfigMgr's three choices):
 * - `downloadAll`: download everything before the first step; a problem fails the run at once;
 * - `downloadWhenNeeded`: download each object when the step that needs it starts (the default);
 * - `runFromDistributionPoint`: use packages straight from the distribution point's package share.
 */
export type ContentMode = ContentOption;

export const CONTENT_MODES: readonly ContentMode[] = CONTENT_OPTIONS;

/** The media a run starts from, when it does not start from the network. */
export interface MediaSource {
  /**
   * `standalone`: the sequence and its content come from the media and there is no network;
   * `bootable` and `prestaged`: the media starts Windows PE, content still comes from the network;
   * `capture`: a capture run.
   */
  type: 'standalone' | 'bootable' | 'prestaged' | 'capture';
  /** Whether the media carries the content of this object (stand-alone media); absent: it carries everything. */
  holds?(kind: ReferenceKind, id: string): boolean;
}

export interface SimulationOptions {
  content?: ContentMode;
  /** When the run starts on the simulated clock: epoch milliseconds or an ISO 8601 text. */
  startTime?: number | string;
  media?: MediaSource;
  /** Variables of the collections the deployment targets (device variables still win). */
  collectionVariables?: Record<string, string>;
  /** ID of the deployment that starts the run (`_SMSTSAdvertID`). */
  deploymentId?: string;
  /** Keep what is needed to step backwards (the debugger); off for plain runs. */
  history?: boolean;
  /** With history: how many visits back the run can go (older ones are forgotten). Default 100,000. */
  historyLimit?: number;
  /**
   * The log keeps only the notes about visits (what the run's text prints under each step) and
   * leaves out every other event: for a caller that shows no log (`tsq simulate` without `--log`,
   * `--log-file` or `--report`). A large run records about three events a visit, which were two
   * thirds of what a finished run keeps, all of it for the garbage collector to copy.
   */
  logNotesOnly?: boolean;
  /** Stop with a failure after this many node visits (a guard against endless reruns). Default 10 million. */
  maxVisits?: number;
  /**
   * A content problem found by the check before the first step fails the run at once, whatever
   * the content option (an Available deployment: the client reports the error straight away).
   */
  failOnContentProblems?: boolean;
  /**
   * Content the distribution points this computer reaches do not hold (not replicated there yet):
   * a phrase saying so, or undefined when they hold it. Asked once per object, at the start.
   */
  unreachableContent?: (kind: ReferenceKind, id: string) => string | undefined;
  /** Why a step cannot run in this run's circumstances (stand-alone media: it needs the network). */
  refuseStep?(step: StepNode): { exitCode: number; reason: string } | undefined;
  /** The run fails as soon as it starts (media outside its validity, a boot image the computer cannot run). */
  startFailure?: { exitCode: number; reason: string };
}

export type RunResult = 'succeeded' | 'failed';

export { NodeRecord } from './records';
export type { RunCounts } from './records';
export type { StepStatus } from '../semantics/run-outcome';

/** Why and where a run failed. */
export interface RunFailure {
  record?: NodeRecord;
  exitCode?: number;
  reason: string;
  /** Failed regardless of continue on error (a restart without a formatted disk, a disabled child, ...). */
  fatal: boolean;
}

/** What one visit (`Simulation.tick`) did. */
export interface TickResult {
  record?: NodeRecord;
  /** `entered`: a group or a child sequence was entered and its nodes come next. */
  action: 'disabled' | 'skipped' | 'entered' | 'ran';
  /** The visited step failed (whether or not continue on error let the run go on). */
  stepFailed: boolean;
  /** Set when the run ended during this visit. */
  ended?: RunResult;
}
