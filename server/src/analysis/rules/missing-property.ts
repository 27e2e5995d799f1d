// missing-property: a step lacks an option its action needs (ConfigMgr would not save it), either
// always or because of another option (e.g. an image index once an image is chosen), or leaves it
// empty. Options with a default are never missing; checkboxes (booleans) default to off.

import { pairsOf } from '../../model/yaml/nodes';
import type { Rule } from '../rule';
import type { StepNode } from '../../model/sequence';
import { option } from '../../model/sequence';
import type { StepDefinition, StepProperty } from '../../catalog/types';
import { stepDef } from '../../semantics/knowledge';
import { exampleValue, mustBeWritten } from '../../catalog';
import { schemaIssues } from '../schema-issues';
import { nodesFor, nodeTest } from '../node-walk';

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

/**
 * The steps of a built-in action that lack a property (found in the shared walk, analysis/node-walk.ts): the
 * rule looks at these alone.
 */
const LACKING = nodeTest((node) => {
  if (node.kind !== 'step') return false;
  const def = stepDef(node.action);
  if (!def || def.key !== node.action) return false;
  const properties = propertiesThatMayBeMissing(def);
  for (let k = 0; k < properties.length; k++) if (whyMissing(node, properties[k]) !== undefined) return true;
  return false;
});

/**
 * Why `step` lacks the property `p` (after "needs `p`": '' when it always must be there, or the
 * option it depends on), or undefined when it does not.
 */
function whyMissing(step: StepNode, p: StepProperty): string | undefined {
  if (isSet(step, p.name) || keptVerbatim(step, p)) return undefined;
  if (p.required && mustBeWritten(p)) return '';
  if (p.requiredIf && mustBeWritten(p) && (p.requiredIf.is === 'set') === isSet(step, p.requiredIf.property))
    return p.requiredIf.is === 'set'
      ? ` when \`${p.requiredIf.property}\` is set`
      : ` when \`${p.requiredIf.property}\` is not set`;
  return undefined;
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
    const nodes = nodesFor(ctx, LACKING) as readonly StepNode[];
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      const def = stepDef(node.action)!;
      const properties = propertiesThatMayBeMissing(def);
      for (let k = 0; k < properties.length; k++) {
        const p = properties[k];
        const why = whyMissing(node, p);
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
