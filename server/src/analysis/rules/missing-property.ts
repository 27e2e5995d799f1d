// missing-property: a step lacks an option its action needs (ConfigMgr would not save it), either
// always or because of another option (e.g. an image index once an image is chosen), or leaves it
// empty. Options with a default are never missing; checkboxes (booleans) default to off.

import { pairsOf } from '../../model/yaml/nodes';
import type { Rule } from '../rule';
import type { SequenceModel, StepNode } from '../../model/sequence';
import { option } from '../../model/sequence';
import type { StepDefinition, StepProperty } from '../../catalog/types';
import { stepDef } from '../../semantics/knowledge';
import { exampleValue, mustBeWritten } from '../../catalog';
import { schemaIssues } from '../schema-issues';
import { sequenceNodes } from '../../semantics/sequence-nodes';

function isSet(step: StepNode, name: string): boolean {
  const o = option(step, name);
  return !!o && o.value !== null && o.value !== '' && !(Array.isArray(o.value) && o.value.length === 0);
}

/** An imported setting tsq kept verbatim under the step's `xml.variables` is present, just not checked. */
function keptVerbatim(step: StepNode, p: StepProperty): boolean {
  const kept = (step.xml as { variables?: unknown } | undefined)?.variables;
  if (!Array.isArray(kept)) return false;
  const names = [p.xmlVariable, ...(p.mdtXmlVariables ?? [])]
    .filter((n): n is string => !!n)
    .map((n) => n.toLowerCase());
  return kept.some((v) => {
    const k = v as { name?: unknown; property?: unknown };
    return (
      (typeof k.property === 'string' && k.property.toLowerCase() === p.xmlProperty.toLowerCase()) ||
      (typeof k.name === 'string' && names.includes(k.name.toLowerCase()))
    );
  });
}

/**
 * The properties of a step that can be missing: required, always or because of another option,
 * and with no value ConfigMgr supplies. The others are never reported, so each step is asked about
 * these alone (worked out once per definition; a step type has tens of properties).
 */
const mayBeMissing = new WeakMap<StepDefinition, readonly StepProperty[]>();

function propertiesThatMayBeMissing(def: StepDefinition): readonly StepProperty[] {
  let list = mayBeMissing.get(def);
  if (!list)
    mayBeMissing.set(def, (list = def.properties.filter((p) => (p.required || p.requiredIf) && mustBeWritten(p))));
  return list;
}

/** Where a missing option is reported: the step's `with:` key, or its action (or name) when it has none. */
function missingAt(node: StepNode): { start: number; end: number } {
  const at = node.withSpan
    ? pairsOf(node.node.pairs).find((p) => p.key.kind === 'scalar' && p.key.text === 'with')?.key
    : undefined;
  return at ? { start: at.start, end: at.end } : (node.actionSpan ?? node.nameSpan);
}

export const missingProperty: Rule = {
  code: 'missing-property',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A step lacks a required option',
  description:
    'Reports options an action needs under `with:` — always, or once another option is set or left empty (for example `index` once `image` is chosen) — and entries of option lists that lack a required field.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const nodes = sequenceNodes(ctx.doc.model as SequenceModel);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (node.kind !== 'step') continue;
      const def = stepDef(node.action);
      if (!def || def.key !== node.action) continue;
      const properties = propertiesThatMayBeMissing(def);
      if (properties.length === 0) continue;
      for (let k = 0; k < properties.length; k++) {
        const p = properties[k];
        if (isSet(node, p.name) || keptVerbatim(node, p)) continue;
        let why: string | undefined;
        if (p.required && mustBeWritten(p)) why = '';
        else if (p.requiredIf && mustBeWritten(p)) {
          const other = isSet(node, p.requiredIf.property);
          if ((p.requiredIf.is === 'set') === other)
            why =
              p.requiredIf.is === 'set'
                ? ` when \`${p.requiredIf.property}\` is set`
                : ` when \`${p.requiredIf.property}\` is not set`;
        }
        if (why === undefined) continue;
        // Written but empty: say so where it is; adding the option again would write the key twice.
        const written = option(node, p.name);
        if (written) {
          const place = written.span.end > written.span.start ? written.span : written.keySpan;
          ctx.report({
            start: place.start,
            end: place.end,
            message: `\`${p.name}\` is empty: ${def.displayName} needs ${Array.isArray(written.value) ? 'at least one entry' : 'a value'} here${why}.`,
            hint: `\`${p.name}\`: ${p.summary}`,
          });
          continue;
        }
        const span = missingAt(node);
        ctx.report({
          start: span.start,
          end: span.end,
          message: `${def.displayName} needs \`${p.name}\`${why}.`,
          hint: `\`${p.name}\`: ${p.summary}`,
          data: {
            fix: 'add-property',
            property: p.name,
            example: exampleValue(p),
            stepStart: node.span.start,
            stepEnd: node.span.end,
          },
        });
      }
    }
    // Entries of option lists (partitions, adapters, ...) missing a required field.
    for (const i of schemaIssues(ctx)) {
      if (i.keyword !== 'required' || !i.withOption) continue;
      if (i.path[i.path.length - 1] === 'with') continue;
      ctx.report({ start: i.start, end: i.end, message: i.message, hint: i.hint });
    }
  },
};
