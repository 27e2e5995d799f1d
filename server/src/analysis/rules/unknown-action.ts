// unknown-action: `action:` names no built-in step. Suggests the closest step names; a name that
// differs only in case is reported too, because action names are exact in the DSL and in exports.

import type { Rule } from '../rule';
import type { StepNode } from '../../model/sequence';
import { allStepDefs, stepDef } from '../../semantics/knowledge';
import { suggest } from '../../util/suggest';
import { nodesFor, nodeTest } from '../node-walk';

/** The steps whose `action:` is not a built-in step's key as written (found in the shared walk, analysis/node-walk.ts). */
const NOT_BUILT_IN = nodeTest((node) => {
  if (node.kind !== 'step' || node.shorthand || !node.action) return false;
  const def = stepDef(node.action);
  return !(def && def.key === node.action);
});

export const unknownAction: Rule = {
  code: 'unknown-action',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'The action is not a built-in step',
  description:
    'Every `action:` must name a built-in ConfigMgr or MDT step by its DSL name (the display name in PascalCase, e.g. `ApplyOperatingSystemImage`). Suggests the closest names.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const keys = allStepDefs().map((s) => s.key);
    const nodes = nodesFor(ctx, NOT_BUILT_IN) as readonly StepNode[];
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      const def = stepDef(node.action);
      // The span is read from the action's node when asked (a new object each time): only here.
      const span = node.actionSpan;
      if (!span) continue;
      const candidates = def ? [def.key] : suggest(node.action, keys);
      ctx.report({
        start: span.start,
        end: span.end,
        message: def
          ? `Action names are case-sensitive: write \`${def.key}\`.`
          : `\`${node.action}\` is not a built-in step.`,
        hint: def
          ? undefined
          : candidates.length
            ? `Did you mean \`${candidates[0]}\`?`
            : 'See docs/steps.md for the list of built-in steps, or use `run:` for a command line.',
        data: candidates.length ? { fix: 'replace', candidates } : undefined,
      });
    }
  },
};
