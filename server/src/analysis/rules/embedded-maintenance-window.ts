// embedded-maintenance-window: a deployment to a collection of Windows Embedded devices that has
// no maintenance window for task sequences. As
// https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSDeploy
// notes: with a window, the admin controls
// when the write filter is turned off and the devices restart; without one, a download outside a
// window lands in the overlay, is lost at the restart, and the sequence is downloaded twice.

import type { Rule } from '../rule';
import type { DeploymentModel } from '../../model/deployment';
import { targetCollection } from '../../semantics/deployment-targets';
import { taskSequenceWindows } from '../../schedule/maintenance-windows';

export const embeddedMaintenanceWindow: Rule = {
  code: 'embedded-maintenance-window',
  defaultSeverity: 'warning',
  mostSevere: 'warning',
  title: 'Windows Embedded devices are targeted without a maintenance window',
  description:
    'Collections of Windows Embedded devices (`windowsEmbedded: true` in the catalog) should have a maintenance window that applies to task sequences: it decides when the write filter is turned off and the devices restart. Without one, content downloaded outside a window goes to the overlay, is lost at the restart and is downloaded a second time.',
  kinds: ['deployment'],
  incremental: 'whole-file',
  check(ctx) {
    const d = ctx.doc.model as DeploymentModel;
    const c = targetCollection(ctx.ws, d);
    if (!c?.windowsEmbedded || !d.collection || taskSequenceWindows(c.maintenanceWindows).length > 0) return;
    ctx.report({
      start: d.collection.span.start,
      end: d.collection.span.end,
      message: `${c.id}${c.name ? ` (${c.name})` : ''} holds Windows Embedded devices but has no maintenance window that applies to task sequences.`,
      hint: 'Add a maintenance window (all deployments or task sequences) to the collection, so write filter changes and restarts happen when you choose.',
      related: [
        {
          docId: ctx.ws.catalog.catalogs.find((x) => x.model.collections.includes(c))?.doc.id ?? ctx.doc.id,
          start: c.span.start,
          end: c.span.end,
          message: 'The collection is defined here.',
        },
      ],
    });
  },
};
