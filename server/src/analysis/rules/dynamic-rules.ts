// dynamic-rules: Set Dynamic Variables rules that cannot mean what they say — a rule with two kinds
// of condition, a computer or location rule with nothing to compare, an empty make or model, a
// value an `exists` test does not use, wildcards where the documentation knows none, a rule that
// sets nothing. The shape itself (keys, types, operators) is the schema's; the meaning is read by
// semantics/dynamic-rules.ts, the same reader the simulator and export use.
// Documentation: https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables

import type { Rule } from '../rule';
import type { StepNode } from '../../model/sequence';
import { option } from '../../model/sequence';
import { keySpanAt, pairCount, pairsOf, type YNode } from '../../model/yaml/nodes';
import { effectivePairs, resolve } from '../../model/yaml/expand';
import type { ExpansionBudget } from '../../model/yaml/expand';
import { readRulesYaml } from '../../semantics/dynamic-rules';
import { nodesFor, nodeTest } from '../node-walk';

/** The span a problem path points at: a key for a key, the first key of a rule for the rule. */
function spanAt(
  root: YNode,
  path: readonly (string | number)[],
  budget: ExpansionBudget,
): { start: number; end: number } {
  let node = resolve(root, budget);
  let span = { start: root.start, end: root.end };
  for (const seg of path) {
    if (!node) break;
    if (typeof seg === 'number' && node.kind === 'seq') {
      node = resolve(node.items[seg], budget);
      if (node?.kind === 'map' && pairCount(node.pairs)) span = keySpanAt(node.pairs, 0);
      else if (node) span = { start: node.start, end: node.end };
    } else if (typeof seg === 'string' && node.kind === 'map') {
      const pair = pairsOf(effectivePairs(node, budget)).find((p) => p.key.kind === 'scalar' && p.key.text === seg);
      if (!pair) break;
      span = { start: pair.key.start, end: pair.key.end };
      node = resolve(pair.value, budget);
    } else break;
  }
  return span;
}

/** The Set Dynamic Variables steps (found in the shared walk, analysis/node-walk.ts). */
const SETS_DYNAMIC_VARIABLES = nodeTest((node) => node.kind === 'step' && node.action === 'SetDynamicVariables');

export const dynamicRules: Rule = {
  code: 'dynamic-rules',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A Set Dynamic Variables rule cannot work as written',
  description:
    'Checks the meaning of each rule of Set Dynamic Variables: one kind of condition per rule (computer, location, make and model, or a task sequence variable), a value to compare, a make and a model that are not empty, no value for `exists`/`notExists`, wildcards only in make and model (the only place the documentation has them; a warning elsewhere), and at least one variable to set (a warning). Source: https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const nodes = nodesFor(ctx, SETS_DYNAMIC_VARIABLES) as readonly StepNode[];
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      const rules = option(node, 'rules');
      if (!rules || !Array.isArray(rules.value)) continue;
      for (const p of readRulesYaml(rules.value).problems) {
        ctx.report({
          ...spanAt(rules.node, p.path, ctx.doc.budget),
          message: p.message,
          hint: p.hint,
          severity: p.severity,
        });
      }
    }
  },
};
