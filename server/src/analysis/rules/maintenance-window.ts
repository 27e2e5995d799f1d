// maintenance-window: when a required deployment will really start. Its collection's maintenance
// windows that apply to task sequences hold it back: if none of them is open at the deadline, the
// sequence waits for the next one (information, with that window and its start, computed from
// the recurrence); if none ever opens again, it never starts (warning). Once started, it runs on
// past the window's end (the seed). `outsideMaintenanceWindow.install: true` lifts the wait.

import type { Rule } from '../rule';
import { purposeOf, type DeploymentModel } from '../../model/deployment';
import { targetCollection } from '../deployment-targets';
import { describeWindow, nextWindow, openWindowAt, taskSequenceWindows, type WindowOccurrence } from '../../schedule/maintenance-windows';
import { describeLocalDateTime } from '../../schedule/local-time';
import type { MaintenanceWindow } from '../../model/maintenance-window';

function windowLabel(o: WindowOccurrence<MaintenanceWindow>): string {
  return `${o.window.name ? `“${o.window.name}” ` : ''}(${describeWindow(o.window)})`;
}

export const maintenanceWindow: Rule = {
  code: 'maintenance-window',
  defaultSeverity: 'information',
  title: 'A required deployment waits for a maintenance window',
  description: 'A required task sequence starts only inside a maintenance window of its collection that applies to task sequences (task-sequence windows if the collection has any, else all-deployments windows). When no such window is open at the deadline, tsq tells when the next one opens; when none opens again, the sequence never starts. Set `outsideMaintenanceWindow.install: true` to start at the deadline regardless.',
  kinds: ['deployment'],
  check(ctx) {
    const d = ctx.doc.model as DeploymentModel;
    if (purposeOf(d) !== 'required' || d.outsideMaintenanceWindow.install?.value === true) return;
    const c = targetCollection(ctx.ws, d);
    if (!c) return;
    const windows = taskSequenceWindows(c.maintenanceWindows);
    if (windows.length === 0) return;
    const at = d.deadline ?? d.purpose ?? d.collection;
    if (!at) return;
    const deadline = typeof d.deadline?.value === 'number' ? d.deadline.value : undefined;
    const from = deadline ?? d.availableAt?.value;
    const collection = `${c.id}${c.name ? ` (${c.name})` : ''}`;
    const hint = 'To start at the deadline regardless, set `outsideMaintenanceWindow: { install: true }`.';
    if (from === undefined) {
      const first = nextWindow(windows, Math.min(...windows.map((w) => w.start)));
      if (!first) return;
      ctx.report({ start: at.span.start, end: at.span.end, message: `This required deployment starts only inside a maintenance window of ${collection}; the first is ${windowLabel(first)}, opening ${describeLocalDateTime(first.start)}.`, hint });
      return;
    }
    if (openWindowAt(windows, from)) return;
    const when = deadline !== undefined ? `the deadline (${describeLocalDateTime(from)})` : `the time it becomes available (${describeLocalDateTime(from)})`;
    const next = nextWindow(windows, from);
    if (!next) {
      ctx.report({ start: at.span.start, end: at.span.end, severity: 'warning', message: `No maintenance window of ${collection} that applies to task sequences opens after ${when}: this required deployment will never start.`, hint: `Add or extend a window, or move the deadline. ${hint}` });
      return;
    }
    ctx.report({ start: at.span.start, end: at.span.end, message: `No maintenance window of ${collection} that applies to task sequences is open at ${when}; the sequence can start at ${describeLocalDateTime(next.start)}, when ${windowLabel(next)} opens.`, hint });
  },
};
