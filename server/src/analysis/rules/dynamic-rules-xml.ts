// dynamic-rules-xml: Set Dynamic Variables rules written as the XML text ConfigMgr stores. The text
// still works (imports and older files have it), but reads badly and is checked by nothing; the
// editor's quick fix rewrites it as the YAML list when every rule in it has a YAML form. Text that
// holds no rule at all is a warning: the step would set no variable from it.

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import { option } from '../../model/sequence';
import { readRulesXml, rulesXmlAsYaml } from '../../semantics/dynamic-rules';
import { sequenceNodes } from '../../semantics/sequence-nodes';

export const dynamicRulesXml: Rule = {
  code: 'dynamic-rules-xml',
  defaultSeverity: 'information',
  mostSevere: 'warning',
  title: 'Set Dynamic Variables rules are written as XML',
  description:
    'The rules of Set Dynamic Variables may be the XML text ConfigMgr stores, as imports of rules without a YAML form keep them; the YAML list (docs/steps.md, “Set Dynamic Variables rules”) reads like the console’s dialog and is checked and completed in the editor. A quick fix converts the text when every rule in it has a YAML form. Text that holds no `<Rules>` is a warning.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const nodes = sequenceNodes(ctx.doc.model as SequenceModel);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (node.kind !== 'step' || node.action !== 'SetDynamicVariables') continue;
      const rules = option(node, 'rules');
      if (!rules || typeof rules.value !== 'string') continue;
      const read = readRulesXml(rules.value);
      if (!read.readable) {
        ctx.report({
          ...rules.span,
          severity: 'warning',
          message: 'These rules are not XML that Set Dynamic Variables can read: the step sets no variable from them.',
          hint: 'Write the rules as a list (docs/steps.md, “Set Dynamic Variables rules”).',
        });
        continue;
      }
      const convertible = rulesXmlAsYaml(rules.value) !== undefined;
      ctx.report({
        ...rules.span,
        message: `The rules are written as the XML ConfigMgr stores (${read.rules.length} rule${read.rules.length === 1 ? '' : 's'}).`,
        hint: convertible
          ? 'The quick fix writes them as a YAML list, which the editor completes and checks.'
          : 'A rule combines conditions the YAML list cannot express, so the text stays as it is.',
        data: convertible ? { fix: 'convert-rules' } : undefined,
      });
    }
  },
};
