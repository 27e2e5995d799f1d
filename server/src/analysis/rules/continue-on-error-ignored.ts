// continue-on-error-ignored: `continueOnError: true` on a step whose failure fails the task
// sequence anyway. Setup Windows and ConfigMgr: "Don't enable Continue on error on the Options tab.
// If there's an error during this step, the task sequence fails whether or not you enable this
// setting." (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr)

import { pairsOf } from '../../model/yaml/nodes';
import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import { stepDef } from '../../semantics/knowledge';
import { sequenceNodes } from '../../semantics/sequence-nodes';

export const continueOnErrorIgnored: Rule = {
  code: 'continue-on-error-ignored',
  defaultSeverity: 'warning',
  mostSevere: 'warning',
  title: 'Continue on error has no effect on this step',
  description:
    'Some steps fail the task sequence whatever continue on error says; the documentation asks not to set it on them (Setup Windows and ConfigMgr). The simulator fails the run there too. Source: https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr. The quick fix removes the key.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const nodes = sequenceNodes(ctx.doc.model as SequenceModel);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (node.kind !== 'step' || !node.continueOnError) continue;
      const def = stepDef(node.action);
      if (!def?.failureFailsSequence) continue;
      const pair = pairsOf(node.node.pairs).find((p) => p.key.kind === 'scalar' && p.key.text === 'continueOnError');
      if (!pair) continue;
      ctx.report({
        start: pair.key.start,
        end: pair.value.end,
        message: `${def.displayName} fails the task sequence when it fails, whatever continue on error says.`,
        hint: 'Remove `continueOnError`: the documentation asks not to set it on this step.',
        data: { fix: 'remove-key' },
        tags: ['unnecessary'],
      });
    }
  },
};
