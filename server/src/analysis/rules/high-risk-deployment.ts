// high-risk-deployment: a required deployment of a sequence that installs an OS is what ConfigMgr
// calls high-risk. The site's deployment verification then limits the target collection: over
// the maximum size it cannot be chosen, over the default size it is hidden by default, site
// system servers are blocked or need confirmation, servers need confirmation, and only custom
// collections (plus All Unknown Computers) are offered. One finding per reason, at the collection.
// https://learn.microsoft.com/mem/configmgr/core/servers/manage/settings-to-manage-high-risk-deployments

import type { Rule } from '../rule';
import type { Severity } from '../diagnostic';
import { purposeOf, type DeploymentModel } from '../../model/deployment';
import { ALL_UNKNOWN_COMPUTERS_ID, type CollectionEntry } from '../../model/site-catalog';
import { HIGH_RISK_DEFAULTS } from '../../model/site-settings';
import { siteSettings, targetCollection, targetSequence } from '../../semantics/deployment-targets';
import { osInstallingStep, sequenceClosure } from '../../semantics/sequence-closure';

function label(c: CollectionEntry): string {
  return c.name ? `${c.id} (${c.name})` : c.id;
}

function isAllUnknownComputers(c: CollectionEntry): boolean {
  return (
    c.id.trim().toUpperCase() === ALL_UNKNOWN_COMPUTERS_ID || c.name?.trim().toLowerCase() === 'all unknown computers'
  );
}

export const highRiskDeployment: Rule = {
  code: 'high-risk-deployment',
  defaultSeverity: 'warning',
  mostSevere: 'error',
  title: 'A high-risk deployment targets a collection the site’s verification settings flag',
  description:
    'A required deployment of a sequence that installs an OS can wipe every computer it reaches. Following the site’s deployment verification settings (catalog `site.highRisk`, ConfigMgr’s defaults otherwise), tsq reports target collections over the maximum size or built in (other than All Unknown Computers) as errors, collections with site system servers as errors when the site blocks them, and collections over the default size, with site systems or with servers as warnings.',
  kinds: ['deployment'],
  incremental: 'whole-file',
  check(ctx) {
    const d = ctx.doc.model as DeploymentModel;
    if (purposeOf(d) !== 'required' || !d.collection) return;
    const c = targetCollection(ctx.ws, d);
    const seq = targetSequence(ctx.ws, ctx.doc, d.sequence);
    if (!c || !seq) return;
    const os = osInstallingStep(sequenceClosure(ctx.ws, seq));
    if (!os) return;
    const settings = siteSettings(ctx.ws).highRisk;
    const defaultSize = settings.defaultSize ?? HIGH_RISK_DEFAULTS.defaultSize;
    const maximumSize = settings.maximumSize ?? HIGH_RISK_DEFAULTS.maximumSize;
    const siteSystems = settings.siteSystems ?? HIGH_RISK_DEFAULTS.siteSystems;
    const why = `a required deployment of a sequence that installs an OS (step “${os.step.name}”) is high-risk`;
    const report = (severity: Severity, message: string, hint: string) =>
      ctx.report({
        start: d.collection!.span.start,
        end: d.collection!.span.end,
        severity,
        message,
        hint,
        related: [
          { docId: os.doc.id, start: os.step.span.start, end: os.step.span.end, message: 'This step installs an OS.' },
        ],
      });

    if (c.builtIn && !isAllUnknownComputers(c)) {
      report(
        'error',
        `${label(c)} is a built-in collection; ${why}, and ConfigMgr offers only custom collections (and All Unknown Computers) for it.`,
        'Create a custom collection with just the computers to reinstall, and deploy to it.',
      );
    }
    if (c.members !== undefined && maximumSize > 0 && c.members > maximumSize) {
      report(
        'error',
        `${label(c)} has ${c.members} members, more than the site’s maximum of ${maximumSize} for high-risk deployments; ${why}.`,
        'Deploy to a smaller collection, or deploy in waves.',
      );
    } else if (c.members !== undefined && defaultSize > 0 && c.members > defaultSize) {
      report(
        'warning',
        `${label(c)} has ${c.members} members, more than the site’s default size of ${defaultSize} for high-risk deployments; ${why}.`,
        'Check that every member should be reinstalled, or deploy in smaller waves.',
      );
    }
    if ((c.siteSystems ?? 0) > 0) {
      const blocked = siteSystems === 'block';
      report(
        blocked ? 'error' : 'warning',
        `${label(c)} contains site system servers; ${why}${blocked ? ', and the site blocks such deployments' : ', and the site asks for confirmation'}.`,
        'Exclude site systems from the collection; reinstalling one takes down part of the site.',
      );
    }
    if ((c.servers ?? 0) > 0) {
      report(
        'warning',
        `${label(c)} contains servers; ${why}, and the site asks for confirmation.`,
        'Check that the servers should be reinstalled, or exclude them from the collection.',
      );
    }
  },
};
