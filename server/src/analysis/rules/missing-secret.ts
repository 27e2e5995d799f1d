// missing-secret: a password the sequence needs is marked `{ missing: true }` — typically after an
// import, because ConfigMgr exports never carry passwords. A reminder to set it in the console
// after importing the sequence back; passwords a step does not use (a run-as password while the
// step does not run as another user) are not mentioned.
// https://learn.microsoft.com/mem/configmgr/osd/deploy-use/export-import-task-sequences

import { pairsOf } from '../../model/yaml/nodes';
import type { Rule, RuleContext } from '../rule';
import type { SequenceModel, StepNode } from '../../model/sequence';
import { effectivePairs, resolve, toJS } from '../../model/yaml/expand';
import { option } from '../../model/sequence';
import { stepDef } from '../../semantics/knowledge';
import { sequenceNodes } from '../../semantics/sequence-nodes';

function isMissingMarker(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { missing?: unknown }).missing === true;
}

export const missingSecret: Rule = {
  code: 'missing-secret',
  defaultSeverity: 'information',
  mostSevere: 'information',
  title: 'A password is not set',
  description:
    'Reports passwords marked `{ missing: true }` that the step uses, and Set Dynamic Variables values marked so. Exports never carry passwords, so an imported sequence has them marked missing; set them in the ConfigMgr console after importing the sequence there.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const nodes = sequenceNodes(ctx.doc.model as SequenceModel);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (node.kind !== 'step') continue;
      const def = stepDef(node.action);
      if (!def) continue;
      if (node.action === 'SetDynamicVariables') hiddenRuleValues(ctx, node);
      for (const p of def.properties) {
        if (!p.secret || !/password|pin/i.test(p.name)) continue;
        const o = option(node, p.name);
        if (!o || !isMissingMarker(o.value)) continue;
        if (p.name === 'userPassword' && option(node, 'runAsUser')?.value !== true) continue;
        ctx.report({
          start: o.span.start,
          end: o.span.end,
          message: `\`${p.name}\` of ${def.displayName} is not set: exports never carry passwords.`,
          hint: 'Set it in the ConfigMgr console after importing the sequence there (tsq never writes passwords into exports).',
        });
      }
    }
  },
};

/** Set Dynamic Variables values marked `{ missing: true }`: hidden values ("Do not display this value") an import could not copy. */
function hiddenRuleValues(ctx: RuleContext, step: StepNode): void {
  const rules = option(step, 'rules');
  const list = rules && resolve(rules.node, ctx.doc.budget);
  if (!list || list.kind !== 'seq') return;
  for (const item of list.items) {
    const rule = resolve(item, ctx.doc.budget);
    const vars =
      rule?.kind === 'map'
        ? pairsOf(effectivePairs(rule, ctx.doc.budget)).find(
            (p) => p.key.kind === 'scalar' && p.key.text === 'variables',
          )
        : undefined;
    const map = vars && resolve(vars.value, ctx.doc.budget);
    if (map?.kind !== 'map') continue;
    for (const p of pairsOf(effectivePairs(map, ctx.doc.budget))) {
      if (p.key.kind !== 'scalar' || !isMissingMarker(toJS(p.value, ctx.doc.budget))) continue;
      ctx.report({
        start: p.value.start,
        end: p.value.end,
        message: `The value of \`${p.key.text}\` is not set: ConfigMgr removes values marked “Do not display this value” when it exports or imports a sequence.`,
        hint: 'Enter it in the ConfigMgr console after importing the sequence there (tsq never writes hidden values into exports); `{ env: NAME }` gives the simulator a value.',
      });
    }
  }
}
