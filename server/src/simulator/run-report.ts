// How a run started by a deployment or from media is told, around the plain run's report
// (report.ts): the events before it started (content retries, the maintenance window, the media),
// where it started and ended and in which window, or why it never started. The JSON keeps the CLI
// contract's `{result, steps, variables}` and adds `start`, `end` and `deployment` / `media`.

import type { SeqNode } from '../model/sequence';
import type { DeploymentRun } from './deployment-run';
import { ranPastWindow } from './deployment-run';
import type { MediaRun } from './media-run';
import type { PreparedRun } from './launch';
import { fullLog } from './launch';
import { renderJson, renderText, writeText, type JsonRun, type TextOptions } from './report';
import type { TextSink } from './text-pieces';
import { dateTimeText, logLineText, type LogEvent } from './log';
import { clockOf, LOCATION_SERVICES, minutesOf } from './client-events';
import { describeWindow } from '../schedule/maintenance-windows';
import { describeLocalDateTime, weekdayOf } from '../schedule/local-time';

/** Retry events shown in the text before the middle ones are summed up (the log keeps them all). */
const RETRIES_SHOWN = 4;
/** `Wednesday 2025-03-05 22:30`, the longest weekday. */
const DATE_WIDTH = 26;

export function isoTime(clock: number): string {
  return new Date(clock).toISOString().replace(/\.000Z$/, 'Z');
}

/** `Saturday 2025-03-08 23:10:34`. */
export function describeClock(clock: number): string {
  const day = weekdayOf(minutesOf(clock));
  return `${day.charAt(0).toUpperCase()}${day.slice(1)} ${dateTimeText(clock)}`;
}

export interface JsonDeployment {
  name: string;
  id?: string;
  purpose: string;
  collection?: string;
  /** When the client got the deployment: where the simulated clock starts. */
  received: string;
  deadline?: string;
  /** Every content lookup, the first when the client got the deployment, then the retries. */
  contentChecks: { time: string; missing: { kind: string; id: string; problem: string }[] }[];
  retries: number;
  contentFound?: string;
  window?: { name?: string; schedule: string; start: string; end: string };
  waited: boolean;
  startReason?: string;
  ranPastWindowEnd: boolean;
  notStarted?: string;
}

export interface JsonMedia {
  name: string;
  type: string;
  architecture?: string;
  network: boolean;
  start: string;
  /** Steps that fail because they need the network (stand-alone media), by path in the sequence. */
  stepsNeedingNetwork: string[];
  notStarted?: string;
}

export interface JsonScheduledRun extends JsonRun {
  start?: string;
  end?: string;
  deployment?: JsonDeployment;
  media?: JsonMedia;
}

function deploymentJson(d: DeploymentRun): JsonDeployment {
  const m = d.deployment;
  const out: JsonDeployment = {
    name: m.name,
    purpose: d.purpose,
    received: isoTime(clockOf(d.received)),
    contentChecks: d.attempts.map((a) => ({
      time: isoTime(clockOf(a.at)),
      missing: a.problems.map((p) => ({ kind: p.kind, id: p.id, problem: p.problem })),
    })),
    retries: Math.max(0, d.attempts.length - 1) + d.uncountedRetries,
    waited: d.plan?.waited ?? false,
    ranPastWindowEnd: ranPastWindow(d),
  };
  if (m.id) out.id = m.id.value;
  if (m.collection) out.collection = m.collection.value;
  if (m.deadline) out.deadline = m.deadline.value === 'asap' ? 'asap' : isoTime(clockOf(m.deadline.value));
  if (d.contentFound !== undefined) out.contentFound = isoTime(clockOf(d.contentFound));
  if (d.window)
    out.window = {
      name: d.window.window.name,
      schedule: describeWindow(d.window.window),
      start: isoTime(clockOf(d.window.start)),
      end: isoTime(clockOf(d.window.end)),
    };
  if (d.plan) out.startReason = d.plan.reason;
  if (d.notStarted) out.notStarted = d.notStarted;
  return out;
}

/** Group and step names down to the step, within its own file (as `steps[].path` writes them). */
function stepPath(step: SeqNode): string {
  const names: string[] = [];
  for (let n: SeqNode | null = step; n; n = n.parent) names.unshift(n.name);
  return names.join('/');
}

function mediaJson(m: MediaRun): JsonMedia {
  const out: JsonMedia = {
    name: m.media.name,
    type: m.type,
    network: m.network,
    start: isoTime(clockOf(m.start)),
    stepsNeedingNetwork: [...m.networkSteps.keys()].map(stepPath),
  };
  if (m.architecture) out.architecture = m.architecture.value;
  if (m.notStarted) out.notStarted = m.notStarted;
  return out;
}

export function renderRunJson(run: PreparedRun): JsonScheduledRun {
  const out: JsonScheduledRun = run.sim ? renderJson(run.sim) : { result: 'failed', steps: [], variables: {} };
  if (!run.deployment && !run.media) return out;
  if (run.sim) {
    out.start = isoTime(run.sim.startTime);
    out.end = isoTime(run.sim.state.clock);
  }
  if (run.deployment) out.deployment = deploymentJson(run.deployment);
  if (run.media) out.media = mediaJson(run.media);
  return out;
}

/** One event of the time before the run, for the text report: `Monday 2025-03-03 09:00  ! message`. */
function beforeLine(e: LogEvent): string {
  const mark = e.severity === 'error' ? 'x' : e.severity === 'warning' ? '!' : ' ';
  return `  ${describeLocalDateTime(minutesOf(e.time)).padEnd(DATE_WIDTH)} ${mark} ${e.message}`;
}

/** The events before the run, with a long series of retries summed up in the middle. */
function beforeLines(events: readonly LogEvent[]): string[] {
  const retries = events
    .map((e, i) => (e.component === LOCATION_SERVICES && e.message.startsWith('Retry') ? i : -1))
    .filter((i) => i >= 0);
  const hidden = retries.length > RETRIES_SHOWN + 1 ? new Set(retries.slice(RETRIES_SHOWN - 1, -1)) : new Set<number>();
  const lines: string[] = [];
  events.forEach((e, i) => {
    if (!hidden.has(i)) lines.push(beforeLine(e));
    else if (i === retries[RETRIES_SHOWN - 1])
      lines.push(`  … ${hidden.size} more retries (tsq simulate --log lists them) …`);
  });
  return lines;
}

function heading(run: PreparedRun): string | undefined {
  if (run.deployment) {
    const d = run.deployment;
    return `Deployment "${d.deployment.name}" (${d.purpose})`;
  }
  if (run.media) return `Media "${run.media.media.name}" (${run.media.type})`;
  return undefined;
}

/** Where the run started and ended, and in which maintenance window. */
export function scheduleSummary(run: PreparedRun): string | undefined {
  const sim = run.sim;
  if (!sim || (!run.deployment && !run.media)) return undefined;
  const d = run.deployment;
  const window = d?.window;
  const where = window
    ? ` in the maintenance window ${window.window.name ? `“${window.window.name}” ` : ''}(${describeLocalDateTime(window.start)} to ${describeLocalDateTime(window.end)})`
    : run.media
      ? ' from the media'
      : '';
  // Once started, a task sequence keeps running when its maintenance window closes:
  // https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSMaintenanceWindow
  const past =
    d && ranPastWindow(d)
      ? `; it went on after the window closed at ${describeLocalDateTime(window!.end)}: once started, a task sequence keeps running when its maintenance window closes (ConfigMgr’s rule)`
      : '';
  return `Started ${describeClock(sim.startTime)}${where}, ended ${describeClock(sim.state.clock)}${past}.`;
}

/** A log line with the date in front: runs that wait for a deadline or a window span days. */
export function datedLogLine(e: LogEvent): string {
  return `${dateTimeText(e.time).slice(0, 10)} ${logLineText(e)}`;
}

/** The text of the run, handed to `sink` in pieces as it is written (text-pieces.ts): a sequence run alone is streamed. */
export function writeRunText(run: PreparedRun, options: TextOptions, sink: TextSink): void {
  if (run.sim && !run.deployment && !run.media) writeText(run.sim, options, sink);
  else sink(scheduledRunText(run, options));
}

/** The text of a run a deployment or media starts: the schedule before, the run, the schedule's summary. */
function scheduledRunText(run: PreparedRun, options: TextOptions): string {
  const c = (code: string, s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  const head = heading(run);
  if (head) lines.push(c('1', head), ...beforeLines(run.before), '');
  if (run.sim) lines.push(renderText(run.sim, { ...options, log: false }).trimEnd());
  else lines.push(c('31', `✘ Nothing ran: ${run.notStarted ?? 'the run did not start'}.`));
  const summary = scheduleSummary(run);
  if (summary) lines.push(`  ${summary}`);
  if (options.log) {
    lines.push('', c('1', 'Log (in the manner of smsts.log and the client’s logs):'));
    for (const e of fullLog(run))
      lines.push(
        e.severity === 'error'
          ? c('31', datedLogLine(e))
          : e.severity === 'warning'
            ? c('33', datedLogLine(e))
            : datedLogLine(e),
      );
  }
  return lines.join('\n') + '\n';
}
