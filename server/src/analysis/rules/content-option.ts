// content-option: the deployment's content option does not fit the rest of it. "Download all
// content locally before starting" is not offered when boot media or PXE can start the sequence
// (Windows PE has no client cache to fill). "Access content directly from a distribution point"
// needs a package share for every package the sequence uses
// (https://learn.microsoft.com/mem/configmgr/osd/deploy-use/deploy-a-task-sequence#bkmk_deploy-options);
// the network access account it also needs is checked by `network-access-account`.

import type { Rule } from '../rule';
import type { CatalogEntry } from '../../model/site-catalog';
import { contentOptionOf, reachesMediaAndPxe, type DeploymentModel } from '../../model/deployment';
import type { ReferenceKind } from '../../catalog/types';
import { targetSequence } from '../../semantics/deployment-targets';
import { closureReferences, sequenceClosure, type ClosureReference } from '../../semantics/sequence-closure';
import { referenceKindInfo } from '../../catalog';
import { findReferenced } from '../../semantics/references';

/** Content that can be used from a package share (applications and boot images cannot). */
const SHARED_KINDS: ReadonlySet<ReferenceKind> = new Set(['package', 'osImage', 'osUpgradePackage', 'driverPackage']);

const MAX_LISTED = 5;

export const contentOption: Rule = {
  code: 'content-option',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'The content option does not fit the deployment',
  description:
    '`content: downloadAll` cannot be combined with availability to boot media and PXE (the wizard does not offer it). `content: runFromDistributionPoint` needs every package, image and driver package the sequence uses to have a package share (`share: true` in the catalog).',
  kinds: ['deployment'],
  incremental: 'whole-file',
  check(ctx) {
    const d = ctx.doc.model as DeploymentModel;
    const option = contentOptionOf(d);
    if (option === 'downloadAll' && reachesMediaAndPxe(d) && d.content) {
      ctx.report({
        start: d.content.span.start,
        end: d.content.span.end,
        message: `Content cannot all be downloaded before the start when boot media or PXE start the sequence (makeAvailableTo: ${d.makeAvailableTo?.value}).`,
        hint: 'Use `downloadWhenNeeded`, or make the deployment available to ConfigMgr clients only.',
        data: { fix: 'replace', candidates: ['downloadWhenNeeded'] },
      });
    }
    if (option !== 'runFromDistributionPoint' || !d.content || !ctx.ws.catalog.present) return;
    const seq = targetSequence(ctx.ws, ctx.doc, d.sequence);
    if (!seq) return;
    const noShare: { ref: ClosureReference; entry: CatalogEntry }[] = [];
    const unknown: { ref: ClosureReference; entry: CatalogEntry }[] = [];
    const seen = new Set<CatalogEntry>();
    for (const ref of closureReferences(sequenceClosure(ctx.ws, seq))) {
      if (!SHARED_KINDS.has(ref.kind)) continue;
      const entry = findReferenced(ctx.ws.catalog, ref);
      if (!entry || seen.has(entry)) continue;
      seen.add(entry);
      if (entry.share === false) noShare.push({ ref, entry });
      else if (entry.share === undefined) unknown.push({ ref, entry });
    }
    const name = (e: CatalogEntry, kind: ReferenceKind) =>
      `${referenceKindInfo(kind).label} ${e.id}${e.name ? ` (${e.name})` : ''}`;
    for (const { ref, entry } of noShare) {
      ctx.report({
        start: d.content.span.start,
        end: d.content.span.end,
        message: `Running from the distribution point needs a package share, and ${name(entry, ref.kind)} has none.`,
        hint: 'Enable “Copy the content in this package to a package share on distribution points” for it (then set `share: true` in the catalog), or use `downloadWhenNeeded`.',
        related: [
          {
            docId: ref.doc.id,
            start: ref.span.start,
            end: ref.span.end,
            message: `${name(entry, ref.kind)} is used here.`,
          },
        ],
      });
    }
    if (unknown.length) {
      const listed = unknown
        .slice(0, MAX_LISTED)
        .map(({ ref, entry }) => name(entry, ref.kind))
        .join(', ');
      ctx.report({
        start: d.content.span.start,
        end: d.content.span.end,
        severity: 'warning',
        message: `Running from the distribution point needs a package share for all content; the catalog does not say whether these have one: ${listed}${unknown.length > MAX_LISTED ? `, and ${unknown.length - MAX_LISTED} more` : ''}.`,
        hint: 'Add `share: true` (or `false`) to their catalog entries.',
        related: unknown.map(({ ref, entry }) => ({
          docId: ref.doc.id,
          start: ref.span.start,
          end: ref.span.end,
          message: `${name(entry, ref.kind)} is used here.`,
        })),
      });
    }
  },
};
