// When a deployment's run can begin on a member of its collection: an available deployment
// starts when the user starts it (maintenance windows do not hold back what a user starts); a
// required one at its deadline, held back until a maintenance window that applies to task
// sequences opens, unless the deployment may install outside windows. Once started it runs on
// past the window's end. The maintenance-window rule and the simulator's clock both ask this.

import type { DeploymentModel } from '../model/deployment';
import { purposeOf } from '../model/deployment';
import type { CollectionEntry } from '../model/site-catalog';
import type { MaintenanceWindow } from '../model/maintenance-window';
import { describeLocalDateTime, type LocalMinutes } from '../schedule/local-time';
import {
  describeWindow,
  earliestStart,
  taskSequenceWindows,
  type WindowOccurrence,
} from '../schedule/maintenance-windows';

export interface StartPlan {
  /** The moment the plan starts from: `from`, else the deadline, else the available time. */
  requested?: LocalMinutes;
  /** When the run begins; undefined when it never does (no window opens again, or the deployment expired). */
  at?: LocalMinutes;
  /** The window the run starts in, when windows hold it back. */
  window?: WindowOccurrence<MaintenanceWindow>;
  /** The run had to wait for a window. */
  waited: boolean;
  /** One line on why it starts then, for messages and the simulator's events. */
  reason: string;
}

/**
 * Plans the start of `d` on a member of `collection` (its windows), asked at `from` (the
 * simulator's `--at`); without `from`, a required deployment is asked at its deadline and an
 * available one at the time it becomes available. Nothing before the available time counts.
 */
export function planDeploymentStart(
  d: DeploymentModel,
  collection: CollectionEntry | undefined,
  from?: LocalMinutes,
): StartPlan {
  const required = purposeOf(d) === 'required';
  const deadline = typeof d.deadline?.value === 'number' ? d.deadline.value : undefined;
  const available = d.availableAt?.value;
  let requested = from ?? (required ? (deadline ?? available) : available);
  if (requested !== undefined && available !== undefined && requested < available) requested = available;
  const windows =
    required && d.outsideMaintenanceWindow.install?.value !== true
      ? taskSequenceWindows(collection?.maintenanceWindows ?? [])
      : [];
  const expired = (at: LocalMinutes) => d.expiresAt !== undefined && at >= d.expiresAt.value;

  if (requested === undefined) {
    if (windows.length === 0)
      return {
        waited: false,
        reason:
          'No start time is known: give the deployment a deadline or an available time, or the simulator a start time.',
      };
    const first = earliestStart(windows, Math.min(...windows.map((w) => w.start)));
    if (!first?.occurrence)
      return { waited: true, reason: 'No maintenance window that applies to task sequences ever opens.' };
    return {
      at: first.at,
      window: first.occurrence,
      waited: true,
      reason: `It starts in the first maintenance window, ${label(first.occurrence)}, opening ${describeLocalDateTime(first.at)}.`,
    };
  }
  if (!required) {
    return expired(requested)
      ? { requested, waited: false, reason: `The deployment expired at ${describeLocalDateTime(d.expiresAt!.value)}.` }
      : {
          requested,
          at: requested,
          waited: false,
          reason: 'A user starts an available deployment; maintenance windows do not hold it back.',
        };
  }
  if (windows.length === 0) {
    const why =
      d.outsideMaintenanceWindow.install?.value === true
        ? 'it may install outside maintenance windows'
        : 'no maintenance window of its collection applies to task sequences';
    return expired(requested)
      ? { requested, waited: false, reason: `The deployment expired at ${describeLocalDateTime(d.expiresAt!.value)}.` }
      : { requested, at: requested, waited: false, reason: `It starts at once: ${why}.` };
  }
  const start = earliestStart(windows, requested);
  if (!start?.occurrence)
    return {
      requested,
      waited: true,
      reason: `No maintenance window that applies to task sequences opens after ${describeLocalDateTime(requested)}.`,
    };
  if (expired(start.at))
    return {
      requested,
      window: start.occurrence,
      waited: start.at > requested,
      reason: `The deployment expires at ${describeLocalDateTime(d.expiresAt!.value)}, before a maintenance window lets it start.`,
    };
  const waited = start.at > requested;
  return {
    requested,
    at: start.at,
    window: start.occurrence,
    waited,
    reason: waited
      ? `It waits for ${label(start.occurrence)}, opening ${describeLocalDateTime(start.at)}.`
      : `It starts at once, inside ${label(start.occurrence)}.`,
  };
}

function label(o: WindowOccurrence<MaintenanceWindow>): string {
  return `${o.window.name ? `“${o.window.name}” ` : ''}(${describeWindow(o.window)})`;
}
