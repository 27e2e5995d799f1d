// maintenance-window: when a required deployment will really start. Its collection's maintenance
// windows that apply to task sequences hold it back: if none of them is open at the deadline, the
// sequence waits for the next one (information, with that window and its start, computed from
// the recurrence); if none opens before the deployment expires or ever again, it never starts
// (warning). `outsideMaintenanceWindow.install: true` lifts the wait. The plan comes from
// semantics/deployment-start.ts, which the simulator uses too.
// https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSMaintenanceWindow

import type { Rule } from '../rule';
import { purposeOf, type DeploymentModel } from '../../model/deployment';
import { targetCollection } from '../../semantics/deployment-targets';
import { taskSequenceWindows } from '../../schedule/maintenance-windows';
import { planDeploymentStart } from '../../semantics/deployment-start';
import { describeLocalDateTime } from '../../schedule/local-time';

export const maintenanceWindow: Rule = {
  code: 'maintenance-window',
  defaultSeverity: 'information',
  mostSevere: 'warning',
  title: 'A required deployment waits for a maintenance window',
  description:
    'A required task sequence starts only inside a maintenance window of its collection that applies to task sequences (task-sequence windows if the collection has any, else all-deployments windows; software-update windows never count). When no such window is open at the deadline, tsq tells when the next one opens; when none opens in time, the sequence never starts. Set `outsideMaintenanceWindow.install: true` to start at the deadline regardless.',
  kinds: ['deployment'],
  incremental: 'whole-file',
  check(ctx) {
    const d = ctx.doc.model as DeploymentModel;
    if (purposeOf(d) !== 'required' || d.outsideMaintenanceWindow.install?.value === true) return;
    const c = targetCollection(ctx.ws, d);
    const at = d.deadline ?? d.purpose;
    if (!c || !at || taskSequenceWindows(c.maintenanceWindows).length === 0) return;
    const plan = planDeploymentStart(d, c);
    if (plan.at !== undefined && !plan.waited) return;
    const collection = `${c.id}${c.name ? ` (${c.name})` : ''}`;
    const hint = 'To start at the deadline regardless, set `outsideMaintenanceWindow: { install: true }`.';
    if (plan.requested === undefined) {
      ctx.report({
        start: at.span.start,
        end: at.span.end,
        severity: plan.at === undefined ? 'warning' : undefined,
        message: `This required deployment starts only inside a maintenance window of ${collection}. ${plan.reason}`,
        hint,
      });
      return;
    }
    const when =
      typeof d.deadline?.value === 'number' && d.deadline.value === plan.requested
        ? `the deadline (${describeLocalDateTime(plan.requested)})`
        : `${describeLocalDateTime(plan.requested)}, when it becomes available`;
    if (plan.at === undefined) {
      ctx.report({
        start: at.span.start,
        end: at.span.end,
        severity: 'warning',
        message: `This required deployment will never start: no maintenance window of ${collection} that applies to task sequences is open at ${when}, and ${lower(plan.reason)}`,
        hint: `Add or extend a window, or move the deadline. ${hint}`,
      });
      return;
    }
    ctx.report({
      start: at.span.start,
      end: at.span.end,
      message: `No maintenance window of ${collection} that applies to task sequences is open at ${when}. ${plan.reason}`,
      hint,
    });
  },
};

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
