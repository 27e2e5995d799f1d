// What each whole-file rule reads from one group or step (with everything inside it), written out
// as text. After an edit, incremental analysis (./incremental.ts) compares these inputs of the
// rebuilt node before and after, with old offsets carried through the edit; when they are equal,
// the rule sees the same facts at the same places as before, so its findings are the previous
// ones moved through the edit, and it need not run. Rules not listed here always run.
//
// Keep each entry in step with its rule: when a rule starts reading more of a node, add it here.
// test/unit/incremental-analysis.test.ts compares incremental and full analysis on random edits.

import type { TsqDocument } from '../model/document';
import { option, walk, type SeqNode, type StepNode } from '../model/sequence';
import { nodeVariableReads, stepVariableWrites } from '../semantics/variable-flow';
import { stepSiteReferences } from '../semantics/references';
import { mdtDependency } from '../migrate/detect';
import { osConditionArchitectures, requiredEnvironment } from '../semantics/condition-facts';

/** An offset as the inputs spell it: old offsets are carried through the edit first. */
export type Place = (offset: number) => string;

export type UnitInputs = (doc: TsqDocument, node: SeqNode, at: Place) => string;

/** Each node inside `node` (itself first), in order, with its kind and number of children. */
function eachNode(node: SeqNode, describe: (n: SeqNode) => string): string {
  const parts: string[] = [];
  for (const n of walk([node])) parts.push(`${n.kind === 'group' ? `g${n.steps.length}` : 's'}{${describe(n)}}`);
  return parts.join(';');
}

function stepOnly(describe: (s: StepNode) => string): (n: SeqNode) => string {
  return (n) => (n.kind === 'step' ? describe(n) : '');
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : typeof value;
}

const references = (at: Place) => stepOnly((s) => stepSiteReferences(s).map((r) => `${r.kind}:${r.id}:${r.index?.value ?? ''}@${at(r.span.start)}-${at(r.span.end)}`).join(','));

/**
 * What a whole-file rule reads from a node: `inputs` decide its findings; `cited` are words it
 * only quotes in messages (so a change to them matters only where a finding quotes them).
 */
export interface RuleReads {
  inputs: UnitInputs;
  cited?: (node: SeqNode) => string[];
}

export const RULE_INPUTS: Readonly<Record<string, RuleReads>> = {
  'duplicate-id': { inputs: (_doc, node, at) => eachNode(node, (n) => (n.id ? `${n.id.value}@${at(n.id.span.start)}-${at(n.id.span.end)}` : '')) },

  'undefined-variable': {
    inputs: (doc, node, at) => eachNode(node, (n) => {
      const reads = nodeVariableReads(doc, n).map((r) => `r:${r.name}:${r.inCondition}@${at(r.start)}-${at(r.end)}`);
      if (n.kind !== 'step') return reads.join(',');
      const writes = stepVariableWrites(doc, n).map((w) => `w:${w.name}:${w.kind}:${w.prefix ?? ''}@${at(w.start)}-${at(w.end)}>${at(w.effectiveFrom)}`);
      const mdt = mdtDependency(doc, n);
      return [...reads, ...writes, n.action === 'Gather' ? `gather@${at(n.span.start)}` : '', mdt && mdt.use.kind !== 'form' ? 'mdt' : ''].join(',');
    }),
  },

  'architecture-mismatch': {
    inputs: (_doc, node, at) => eachNode(node, (n) => {
      if (n.kind !== 'step') return '';
      return `${n.action}|${n.when ? osConditionArchitectures(n.when.text).join('/') : ''}|${references(at)(n)}`;
    }),
  },

  'unchecked-references': { inputs: (_doc, node, at) => eachNode(node, references(at)) },

  'run-environment': {
    inputs: (_doc, node, at) => eachNode(node, (n) => {
      const own = `${n.disabled}|${n.continueOnError}|${n.when ? `when:${requiredEnvironment(n.when.text) ?? ''}` : ''}`;
      if (n.kind !== 'step') return own;
      const where = n.actionSpan ?? n.nameSpan;
      const target = n.action === 'RestartComputer' ? text(option(n, 'target')?.value) : '';
      const child = n.action === 'RunTaskSequence' ? option(n, 'sequence') : undefined;
      return `${own}|${n.action}@${at(where.start)}-${at(where.end)}|${target}|${child ? `${text(child.value)}@${at(child.span.start)}-${at(child.span.end)}` : ''}`;
    }),
    // The names of steps that move the sequence between Windows PE and the full OS appear in
    // messages about later steps ("since “Restart into Windows PE”").
    cited: (node) => [...walk([node])].filter((n): n is StepNode => n.kind === 'step' && (n.action === 'RestartComputer' || n.action === 'SetupWindowsAndConfigMgr')).map((n) => n.name),
  },
};
