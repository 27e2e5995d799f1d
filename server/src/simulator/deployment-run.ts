// A simulated run as a deployment starts it on a ConfigMgr client ("Run a task sequence" and "Use
// maintenance windows" in https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks):
// the client gets the deployment when it becomes
// available (or at `--at`); it looks up the content; an Available deployment with content it
// cannot find fails at once, a Required one retries until its deadline (each retry an event);
// a Required one then starts at its deadline, held back until a maintenance window that applies
// to task sequences is open (semantics/deployment-start.ts, which the maintenance-window rule
// uses too), and once started runs on past the window's end. Drives the engine through its
// public options only; the run itself is returned unstarted so the debugger can step it.

import type { TsqDocument } from '../model/document';
import type { MachineModel } from '../model/machine';
import { purposeOf, type DeploymentModel, type DeploymentPurpose } from '../model/deployment';
import type { CollectionEntry } from '../model/site-catalog';
import type { MaintenanceWindow } from '../model/maintenance-window';
import type { Workspace } from '../semantics/workspace';
import { targetCollection } from '../semantics/deployment-targets';
import { referenceKindInfo } from '../catalog';
import { planDeploymentStart, type StartPlan } from '../semantics/deployment-start';
import { describeWindow, type WindowOccurrence } from '../schedule/maintenance-windows';
import { describeLocalDateTime, parseLocalDateTime, type LocalMinutes } from '../schedule/local-time';
import { Simulation } from './engine';
import { deploymentOptions } from './deployment-options';
import type { ContentProblem } from './content';
import type { LogEvent } from './log';
import type { ContentMode, SimulationOptions } from './types';
import { arrivalsBetween, unreachableAt } from './content-arrival';
import { clientEvent, clockOf, EXECMGR, LOCATION_SERVICES, minutesOf, SERVICE_WINDOW_MANAGER } from './client-events';
import rules from './data/deployments-and-media.json';
import defaults from './data/defaults.json';

export interface ContentAttempt {
  at: LocalMinutes;
  problems: ContentProblem[];
}

export interface DeploymentRun {
  doc: TsqDocument;
  deployment: DeploymentModel;
  purpose: DeploymentPurpose;
  collection?: CollectionEntry;
  /** When the client gets the deployment: where the simulated clock starts. */
  received: LocalMinutes;
  /** The content lookups: the first when the client gets the deployment, then one per retry. */
  attempts: ContentAttempt[];
  /** Retries beyond those kept in `attempts` (a far deadline), counted only. */
  uncountedRetries: number;
  /** When every object was found; undefined when some never was. */
  contentFound?: LocalMinutes;
  /** The start plan, when the content lookup let the deployment get that far. */
  plan?: StartPlan;
  /** When the run starts; undefined when it never does. */
  start?: LocalMinutes;
  /** The maintenance window the run starts in. */
  window?: WindowOccurrence<MaintenanceWindow>;
  /** What happened before the run, in order. */
  events: LogEvent[];
  /** The run, ready to `run()` or `tick()`; undefined when the deployment never starts. */
  sim?: Simulation;
  /** Why the deployment never starts. */
  notStarted?: string;
}

export interface DeploymentRunOptions {
  machine?: MachineModel;
  /** When the client gets the deployment (the simulator's `--at`); default: its schedule. */
  at?: LocalMinutes;
  /** Overrides the deployment's content option. */
  content?: ContentMode;
  /** Keep what stepping back needs (the debugger). */
  history?: boolean;
}

type Say = (at: LocalMinutes, severity: 'info' | 'warning' | 'error', component: string, message: string) => void;

const DEFAULT_START: LocalMinutes = minutesOf(Date.parse(defaults.startTime));

function numericDeadline(d: DeploymentModel): LocalMinutes | undefined {
  return typeof d.deadline?.value === 'number' ? d.deadline.value : undefined;
}

/** Where the simulated clock starts: `at` (never before the deployment is available), else its schedule. */
function receivedAt(d: DeploymentModel, purpose: DeploymentPurpose, at: LocalMinutes | undefined): LocalMinutes {
  const available = d.availableAt?.value;
  if (at !== undefined) return available !== undefined && at < available ? available : at;
  return available ?? (purpose === 'required' ? numericDeadline(d) : undefined) ?? DEFAULT_START;
}

function collectionLabel(c: CollectionEntry | undefined, d: DeploymentModel): string {
  if (!c) return d.collection?.value ?? 'its collection';
  return `${c.id}${c.name ? ` (${c.name})` : ''}`;
}

function problemText(ws: Workspace, p: ContentProblem): string {
  const name = ws.catalog.lookup(p.kind, p.id)?.name;
  return `the ${referenceKindInfo(p.kind).label} ${p.id}${name ? ` (${name})` : ''} ${p.problem}`;
}

function problemsText(ws: Workspace, problems: readonly ContentProblem[]): string {
  return problems.length === 1
    ? problemText(ws, problems[0])
    : `${problemText(ws, problems[0])} (and ${problems.length - 1} more)`;
}

function windowLabel(o: WindowOccurrence<MaintenanceWindow>): string {
  return `${o.window.name ? `“${o.window.name}” ` : ''}(${describeWindow(o.window)})`;
}

/**
 * Prepares the run of deployment `deploymentDoc` (of `sequence`) on `options.machine`: the events
 * before it starts and the simulation, which has not run yet.
 */
export function startDeployment(
  ws: Workspace,
  sequence: TsqDocument,
  deploymentDoc: TsqDocument,
  options: DeploymentRunOptions = {},
): DeploymentRun {
  const d = deploymentDoc.model as DeploymentModel;
  const purpose = purposeOf(d);
  const collection = targetCollection(ws, d);
  const received = receivedAt(d, purpose, options.at);
  const deadline = numericDeadline(d);
  const base: SimulationOptions = {
    ...deploymentOptions(ws, deploymentDoc),
    failOnContentProblems: true,
    history: options.history,
  };
  if (options.content) base.content = options.content;
  const simulationAt = (at: LocalMinutes, probe = false) =>
    new Simulation(ws, sequence, options.machine, {
      ...base,
      history: probe ? false : base.history,
      startTime: clockOf(at),
      unreachableContent: unreachableAt(options.machine, at),
    });
  const run: DeploymentRun = {
    doc: deploymentDoc,
    deployment: d,
    purpose,
    collection,
    received,
    attempts: [],
    uncountedRetries: 0,
    events: [],
  };
  const say: Say = (at, severity, component, message) => run.events.push(clientEvent(at, severity, component, message));

  const to = `to ${collectionLabel(collection, d)}`;
  if (purpose === 'required')
    say(
      received,
      'info',
      EXECMGR,
      `The client has the required deployment "${d.name}" ${to}; deadline ${deadline !== undefined ? describeLocalDateTime(deadline) : d.deadline?.value === 'asap' ? 'as soon as possible' : 'not set'}`,
    );
  else
    say(
      received,
      'info',
      EXECMGR,
      `The available deployment "${d.name}" ${to} is offered in Software Center; a user starts it`,
    );
  if (d.expiresAt && received >= d.expiresAt.value) {
    run.notStarted = `the deployment expired at ${describeLocalDateTime(d.expiresAt.value)}, before the client could start it`;
    say(
      received,
      'error',
      EXECMGR,
      `The deployment expired at ${describeLocalDateTime(d.expiresAt.value)}; it does not run`,
    );
    return run;
  }

  // Available: the run starts now, and the engine's own content check fails it at once.
  if (purpose === 'available') {
    begin(run, planDeploymentStart(d, collection, received), simulationAt, say);
    if (run.sim && run.start !== undefined) {
      const problems = run.sim.contentProblems;
      run.attempts.push({ at: run.start, problems });
      // The lookup comes before the start, which the engine then ends at once.
      if (problems.length)
        run.events.splice(
          run.events.length - 1,
          0,
          clientEvent(
            run.start,
            'error',
            LOCATION_SERVICES,
            `Content not found: ${problemsText(ws, problems)}; an available deployment reports the error at once`,
          ),
        );
    }
    return run;
  }

  // Required: look the content up now, then once per interval until the deadline.
  let problems = simulationAt(received, true).contentProblems;
  run.attempts.push({ at: received, problems });
  let t = received;
  if (problems.length) {
    say(received, 'warning', LOCATION_SERVICES, `Content not found: ${problemsText(ws, problems)}`);
    if (deadline !== undefined && deadline > received) {
      say(
        received,
        'info',
        EXECMGR,
        `A required deployment waits for its content: the client looks again every ${everyText(rules.contentRetryMinutes)} until the deadline, ${describeLocalDateTime(deadline)}`,
      );
    }
  }
  let retry = 0;
  while (problems.length && deadline !== undefined && t + rules.contentRetryMinutes <= deadline) {
    const next = t + rules.contentRetryMinutes;
    // Between arrivals of late content nothing can change: only then look again.
    if (arrivalsBetween(options.machine, t, next).length) problems = simulationAt(next, true).contentProblems;
    t = next;
    retry++;
    if (run.attempts.length <= rules.maxRetryEvents || problems.length === 0) {
      run.attempts.push({ at: t, problems });
      say(
        t,
        problems.length ? 'warning' : 'info',
        LOCATION_SERVICES,
        problems.length
          ? `Retry ${retry}: content still not found: ${problemsText(ws, problems)}`
          : `Retry ${retry}: all content found`,
      );
    } else run.uncountedRetries++;
  }
  if (problems.length) {
    const gaveUp = deadline !== undefined && deadline > received ? deadline : received;
    if (run.uncountedRetries)
      say(gaveUp, 'warning', LOCATION_SERVICES, `${run.uncountedRetries} more retries found the same`);
    say(
      gaveUp,
      'error',
      EXECMGR,
      deadline !== undefined && deadline > received
        ? `The deadline has passed and the content is still missing after ${retry} retr${retry === 1 ? 'y' : 'ies'}: the deployment fails`
        : 'The content is missing and the deadline has passed, so there is no time left to retry: the deployment fails',
    );
    run.start = gaveUp;
    run.sim = simulationAt(gaveUp);
    return run;
  }
  run.contentFound = t;
  const from = deadline !== undefined && deadline > t ? deadline : t;
  return begin(run, planDeploymentStart(d, collection, from), simulationAt, say);
}

/** Applies the start plan: events for the wait and the window, then the simulation at the start. */
function begin(
  run: DeploymentRun,
  plan: StartPlan,
  simulationAt: (at: LocalMinutes) => Simulation,
  say: Say,
): DeploymentRun {
  run.plan = plan;
  const asked = plan.requested ?? run.received;
  if (plan.at === undefined) {
    run.notStarted = lowerFirst(plan.reason.replace(/\.$/, ''));
    say(
      asked,
      'error',
      plan.window || plan.waited ? SERVICE_WINDOW_MANAGER : EXECMGR,
      `The task sequence never starts: ${run.notStarted}`,
    );
    return run;
  }
  if (run.purpose === 'required') {
    const deadline = numericDeadline(run.deployment);
    say(
      asked,
      'info',
      EXECMGR,
      deadline === undefined
        ? 'The task sequence is due as soon as possible'
        : asked <= deadline
          ? 'The deadline has come: the task sequence is due'
          : `The task sequence is due: its deadline, ${describeLocalDateTime(deadline)}, has passed`,
    );
  }
  if (plan.window) {
    const o = plan.window;
    if (plan.waited)
      say(
        asked,
        'info',
        SERVICE_WINDOW_MANAGER,
        `No maintenance window that applies to task sequences is open; waiting for ${windowLabel(o)}`,
      );
    say(
      plan.at,
      'info',
      SERVICE_WINDOW_MANAGER,
      `${windowLabel(o)} is open from ${describeLocalDateTime(o.start)} to ${describeLocalDateTime(o.end)}: the task sequence may start`,
    );
    run.window = o;
  } else if (run.purpose === 'required') say(plan.at, 'info', SERVICE_WINDOW_MANAGER, plan.reason);
  say(plan.at, 'info', EXECMGR, 'Starting the task sequence');
  run.start = plan.at;
  run.sim = simulationAt(plan.at);
  return run;
}

/** `hour`, `2 hours`, `30 minutes`. */
function everyText(minutes: number): string {
  if (minutes % 60) return `${minutes} minutes`;
  return minutes === 60 ? 'hour' : `${minutes / 60} hours`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * After the run: did it go on past the end of the window it started in? Once started it does:
 * https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSMaintenanceWindow
 */
export function ranPastWindow(run: DeploymentRun): boolean {
  return !!run.window && !!run.sim && run.sim.state.clock > clockOf(run.window.end);
}

/** `--at` as the CLI and the debugger take it: a deployment file's date-time forms, with an optional trailing `Z`. */
export function parseAt(text: string): LocalMinutes | undefined {
  return parseLocalDateTime(text.trim().replace(/(\.\d+)?Z$/i, ''));
}
