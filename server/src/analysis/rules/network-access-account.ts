// network-access-account: the site has no network access account (catalog `site:
// networkAccessAccount: false`) but something needs one to reach content. The cases of
// https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSNetworkAccessAccount
// (and https://learn.microsoft.com/mem/configmgr/core/plan-design/hierarchy/accounts#network-access-account):
// Windows PE reading distribution point content (boot media, PXE, or a sequence
// from Software Center that restarts into Windows PE) unless Enhanced HTTP is on; the deployment
// option to run from the distribution point; Apply OS Image with direct access; Request State
// Store falling back to the account; members in an untrusted domain or forest; "Run another
// program first"; multicast. Nothing is reported while the catalog does not say.

import { pairsOf } from '../../model/yaml/nodes';
import type { Rule, RuleContext } from '../rule';
import type { SequenceModel, StepNode } from '../../model/sequence';
import { option, walk } from '../../model/sequence';
import { MapReader } from '../../model/fields';
import { contentOptionOf, reachesClients, reachesMediaAndPxe, type DeploymentModel } from '../../model/deployment';
import { siteSettings, targetCollection, targetSequence } from '../../semantics/deployment-targets';
import { closureReferences, isSkipped, mayRunInWinPE, sequenceClosure } from '../../semantics/sequence-closure';
import { siteReferences } from '../../semantics/references';

const NO_NAA = 'the site has no network access account';
const HINT =
  'Configure a network access account for the site (then set `networkAccessAccount: true` in the catalog), or remove what needs it.';

export const networkAccessAccount: Rule = {
  code: 'network-access-account',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'Content is reached in a way that needs the network access account, and the site has none',
  description:
    'Task sequences run as Local System; to reach content where the computer account cannot, ConfigMgr uses the network access account. With `networkAccessAccount: false` in the catalog’s `site:`, tsq reports each case that needs it: Windows PE (boot media, PXE, or a restart into Windows PE) reading distribution point content without Enhanced HTTP, `content: runFromDistributionPoint`, Apply OS Image run from the distribution point, Request State Store falling back to the account, collections in untrusted domains, “Run another program first”, and multicast images.',
  kinds: ['sequence', 'deployment'],
  incremental: 'whole-file',
  readsCatalog: true,
  check(ctx) {
    const site = siteSettings(ctx.ws);
    if (site.networkAccessAccount !== false) return;
    if (ctx.doc.kind === 'deployment') checkDeployment(ctx, site.enhancedHttp === true);
    else checkSequence(ctx);
  },
};

function checkDeployment(ctx: RuleContext, enhancedHttp: boolean): void {
  const d = ctx.doc.model as DeploymentModel;
  const seq = targetSequence(ctx.ws, ctx.doc, d.sequence);
  if (!seq) return;
  const refs = closureReferences(sequenceClosure(ctx.ws, seq)).filter((r) => r.kind !== 'bootImage');
  if (refs.length === 0) return;
  const first = refs[0];
  const usedHere = {
    docId: first.doc.id,
    start: first.span.start,
    end: first.span.end,
    message: 'Content is used here.',
  };
  if (!enhancedHttp) {
    if (reachesMediaAndPxe(d) && d.makeAvailableTo) {
      ctx.report({
        start: d.makeAvailableTo.span.start,
        end: d.makeAvailableTo.span.end,
        message: `Boot media and PXE start this sequence in Windows PE, which reaches distribution points only with the network access account or Enhanced HTTP; ${NO_NAA} and Enhanced HTTP is off.`,
        hint: `${HINT} Enhanced HTTP also solves this case.`,
        related: [usedHere],
      });
    } else if (reachesClients(d) && d.sequence) {
      const pe = refs.find((r) => r.step && mayRunInWinPE(r.step));
      if (pe)
        ctx.report({
          start: d.sequence.span.start,
          end: d.sequence.span.end,
          message: `This sequence reads content in Windows PE, which reaches distribution points only with the network access account or Enhanced HTTP; ${NO_NAA} and Enhanced HTTP is off.`,
          hint: `${HINT} Enhanced HTTP also solves this case.`,
          related: [
            {
              docId: pe.doc.id,
              start: pe.span.start,
              end: pe.span.end,
              message: 'This step reads content in Windows PE.',
            },
          ],
        });
    }
  }
  if (contentOptionOf(d) === 'runFromDistributionPoint' && d.content) {
    ctx.report({
      start: d.content.span.start,
      end: d.content.span.end,
      message: `Running content from the distribution point uses the network access account, and ${NO_NAA}.`,
      hint: `${HINT} Or use \`downloadWhenNeeded\`.`,
      data: { fix: 'replace', candidates: ['downloadWhenNeeded'] },
    });
  }
  const c = targetCollection(ctx.ws, d);
  if (c?.untrustedDomain && d.collection) {
    ctx.report({
      start: d.collection.span.start,
      end: d.collection.span.end,
      message: `The members of ${c.id} are in a domain the site does not trust; they reach content only with the network access account, and ${NO_NAA}.`,
      hint: HINT,
      related: [usedHere],
    });
  }
}

function checkSequence(ctx: RuleContext): void {
  const model = ctx.doc.model as SequenceModel;
  const report = (span: { start: number; end: number }, message: string) =>
    ctx.report({ start: span.start, end: span.end, message: `${message}, and ${NO_NAA}.`, hint: HINT });
  for (const n of walk(model.steps)) {
    if (n.kind !== 'step' || isSkipped(n)) continue;
    const direct = directAccess(n);
    if (direct)
      report(
        direct,
        'This step uses its content straight from the distribution point, which needs the network access account',
      );
    const fallback = option(n, 'fallbackToNaa');
    if (n.action === 'RequestStateStore' && fallback?.value === true)
      report(fallback.span, 'This step falls back to the network access account when the computer account is refused');
  }
  if (ctx.ws.catalog.present) {
    for (const ref of siteReferences(model)) {
      if (ref.kind !== 'osImage' || !ref.step || isSkipped(ref.step)) continue;
      if (ctx.ws.catalog.lookup('osImage', ref.id)?.multicast)
        report(ref.span, `OS image ${ref.id} may be sent by multicast, which uses the network access account`);
    }
  }
  const first = runAnotherProgramFirst(ctx);
  if (first)
    report(
      first,
      'The sequence runs another program first (ConfigMgr’s DependentProgram), which reaches that program’s content with the network access account',
    );
}

function directAccess(step: StepNode): { start: number; end: number } | undefined {
  if (step.runFromNet?.value === true) return step.runFromNet.span;
  const opt = step.action === 'ApplyOperatingSystemImage' ? option(step, 'runFromNet') : undefined;
  return opt?.value === true ? opt.span : undefined;
}

/** The `DependentProgram` ConfigMgr property kept under `configMgr:`, when it names a program. */
function runAnotherProgramFirst(ctx: RuleContext): { start: number; end: number } | undefined {
  const model = ctx.doc.model as SequenceModel;
  const cm = new MapReader(model.root, ctx.doc.budget).map('configMgr');
  if (!cm) return undefined;
  const r = new MapReader(cm, ctx.doc.budget);
  const pair = pairsOf(r.pairs).find((p) => p.key.kind === 'scalar' && p.key.text.toLowerCase() === 'dependentprogram');
  const v = pair && r.string(pair.key.kind === 'scalar' ? pair.key.text : '');
  return v && v.value.trim() ? v.span : undefined;
}
