// The one way front ends (tsq simulate, the debugger) start a simulated run: a plain run of a
// sequence on a machine, a run as a deployment starts it on a client, or a run from media. Gives
// back the run (not yet run), what happened before it started, and the whole log in order.

import type { TsqDocument } from '../model/document';
import type { MachineModel } from '../model/machine';
import type { Workspace } from '../semantics/workspace';
import type { LocalMinutes } from '../schedule/local-time';
import { describeLocalDateTime } from '../schedule/local-time';
import { Simulation } from './engine';
import type { ContentMode } from './types';
import type { LogEvent } from './log';
import { unreachableAt } from './content-arrival';
import { ranPastWindow, startDeployment, type DeploymentRun } from './deployment-run';
import { startFromMedia, type MediaRun } from './media-run';
import { clientEvent, clockOf, minutesOf, SERVICE_WINDOW_MANAGER } from './client-events';
import defaults from './data/defaults.json';

export interface RunRequest {
  ws: Workspace;
  sequence: TsqDocument;
  machine?: TsqDocument;
  deployment?: TsqDocument;
  media?: TsqDocument;
  /** When the simulated clock starts (`--at`, `--start`), epoch ms; each kind of run has its own default. */
  at?: number;
  content?: ContentMode;
  /** Keep what stepping back needs (the debugger). */
  history?: boolean;
  /** The caller shows no log: a plain run's log keeps only the notes (`SimulationOptions.logNotesOnly`). */
  logNotesOnly?: boolean;
}

export interface PreparedRun {
  /** The run, ready to `run()` or `tick()`; undefined when it never starts. */
  sim?: Simulation;
  /** What happened before the run started (deployment, content retries, windows, media). */
  before: LogEvent[];
  deployment?: DeploymentRun;
  media?: MediaRun;
  /** Why nothing runs (the deployment never starts, bootable media without a deployment for them, ...). */
  notStarted?: string;
  /** Where the simulated clock starts (epoch ms). */
  start: number;
}

export function prepareRun(req: RunRequest): PreparedRun {
  const machine = req.machine?.model as MachineModel | undefined;
  const at: LocalMinutes | undefined = req.at === undefined ? undefined : minutesOf(req.at);
  if (req.media) {
    const media = startFromMedia(req.ws, req.media, req.sequence, {
      machine,
      at,
      deployment: req.deployment,
      content: req.content,
      history: req.history,
    });
    return { sim: media.sim, before: media.events, media, notStarted: media.notStarted, start: clockOf(media.start) };
  }
  if (req.deployment) {
    const deployment = startDeployment(req.ws, req.sequence, req.deployment, {
      machine,
      at,
      content: req.content,
      history: req.history,
    });
    return {
      sim: deployment.sim,
      before: deployment.events,
      deployment,
      notStarted: deployment.notStarted,
      start: clockOf(deployment.start ?? deployment.received),
    };
  }
  const start = req.at ?? Date.parse(defaults.startTime);
  const sim = new Simulation(req.ws, req.sequence, machine, {
    content: req.content,
    startTime: start,
    history: req.history,
    logNotesOnly: req.logNotesOnly,
    unreachableContent: unreachableAt(machine, minutesOf(start)),
  });
  return { sim, before: [], start };
}

/** Every event in time order: before the run, the run's own log, and a window that closed while it ran. */
export function fullLog(run: PreparedRun): LogEvent[] {
  const events = [...run.before, ...(run.sim ? run.sim.log.slice() : [])];
  const d = run.deployment;
  if (d?.window && ranPastWindow(d)) {
    const closed = clientEvent(
      d.window.end,
      'info',
      SERVICE_WINDOW_MANAGER,
      `The maintenance window closed at ${describeLocalDateTime(d.window.end)}; the task sequence had started, so it runs on to its end`,
    );
    const i = events.findIndex((e, k) => k >= run.before.length && e.time > closed.time);
    events.splice(i < 0 ? events.length : i, 0, closed);
  }
  return events;
}
