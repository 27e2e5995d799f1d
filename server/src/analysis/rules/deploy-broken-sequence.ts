// deploy-broken-sequence: a deployment of a sequence that has broken references. ConfigMgr greys
// out Deploy until every reference resolves (https://learn.microsoft.com/mem/configmgr/osd/deploy-use/deploy-a-task-sequence
// and https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSEdit), so such a deployment
// cannot be created. The sequence and the children it runs are checked with the broken-reference
// rule's checks (analysis/reference-checks.ts); their errors are listed as related information.

import { RuleContext, type Rule } from '../rule';
import type { DeploymentModel } from '../../model/deployment';
import type { Diagnostic } from '../diagnostic';
import { targetSequence } from '../../semantics/deployment-targets';
import { sequenceClosure } from '../../semantics/sequence-closure';
import { checkReferences } from '../reference-checks';
import { relativeFrom } from '../../util/paths';

/** Related entries shown at most (the sequence file lists them all). */
const MAX_RELATED = 10;

export const deployBrokenSequence: Rule = {
  code: 'deploy-broken-sequence',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'The deployed sequence has broken references',
  description:
    'A sequence (or a child sequence it runs) that refers to packages, images, applications or files the site does not have cannot be deployed: ConfigMgr disables Deploy until every reference is fixed. Fix the references reported in the sequence files first.',
  kinds: ['deployment'],
  incremental: 'whole-file',
  check(ctx) {
    const d = ctx.doc.model as DeploymentModel;
    const seq = targetSequence(ctx.ws, ctx.doc, d.sequence);
    if (!seq || !d.sequence) return;
    const broken: Diagnostic[] = [];
    for (const m of sequenceClosure(ctx.ws, seq)) {
      // Read here, never reported: both rules default to errors, so the findings' severities are broken-reference's.
      const inner = new RuleContext(ctx.ws, m.doc, deployBrokenSequence);
      checkReferences(inner);
      broken.push(...inner.findings.filter((f) => f.severity === 'error'));
    }
    if (broken.length === 0) return;
    const first = broken[0];
    const where = (f: Diagnostic) =>
      `${relativeFrom(ctx.doc.id, f.docId)}:${(ctx.ws.get(f.docId)?.lineMap.positionAt(f.start).line ?? 0) + 1}`;
    ctx.report({
      start: d.sequence.span.start,
      end: d.sequence.span.end,
      message: `This sequence cannot be deployed: it has ${broken.length} broken reference${broken.length > 1 ? 's' : ''} (first at ${where(first)}: ${first.message})`,
      hint: 'ConfigMgr greys out Deploy until every reference resolves. Fix them in the sequence file, or correct the catalog.',
      related: broken
        .slice(0, MAX_RELATED)
        .map((f) => ({ docId: f.docId, start: f.start, end: f.end, message: f.message })),
    });
  },
};
