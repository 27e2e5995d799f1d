// user-collection: a task sequence deployed to a user collection. ConfigMgr deploys task sequences
// to device collections only (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSDeploy);
// the quick fix offers the catalog's device collections, closest name first.

import type { Rule } from '../rule';
import type { DeploymentModel } from '../../model/deployment';
import { targetCollection } from '../../semantics/deployment-targets';
import { suggest } from '../../util/suggest';

export const userCollection: Rule = {
  code: 'user-collection',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A task sequence is deployed to a user collection',
  description:
    'Task sequences can only be deployed to device collections: ConfigMgr does not offer user collections for them. Deploy to a device collection that holds the users’ computers instead.',
  kinds: ['deployment'],
  incremental: 'whole-file',
  check(ctx) {
    const d = ctx.doc.model as DeploymentModel;
    const c = targetCollection(ctx.ws, d);
    if (!c || c.type !== 'user' || !d.collection) return;
    const devices = ctx.ws.catalog.collections().filter((x) => x.type === 'device');
    const close = c.name
      ? suggest(
          c.name,
          devices.filter((x) => x.name).map((x) => x.name!),
          { limit: 5 },
        )
      : [];
    const ordered = [
      ...close.map((n) => devices.find((x) => x.name === n)!),
      ...devices.filter((x) => !close.includes(x.name ?? '')),
    ];
    ctx.report({
      start: d.collection.span.start,
      end: d.collection.span.end,
      message: `${c.id}${c.name ? ` (${c.name})` : ''} is a user collection; task sequences can only be deployed to device collections.`,
      hint: devices.length
        ? `Deploy to a device collection, e.g. ${ordered
            .slice(0, 3)
            .map((x) => (x.name ? `${x.id} (${x.name})` : x.id))
            .join(', ')}.`
        : 'Deploy to a device collection that holds the users’ computers.',
      data: devices.length ? { fix: 'replace', candidates: ordered.slice(0, 5).map((x) => x.id) } : undefined,
    });
  },
};
