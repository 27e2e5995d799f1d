// What a whole-file rule reads from one group or step (with everything inside it), written out as
// text, for rules whose `incremental` says so (rule.ts). After an edit, incremental analysis
// (./incremental.ts) compares these inputs of the rebuilt node before and after, with old offsets
// carried through the edit; when they are equal, the rule sees the same facts at the same places
// as before, so its findings are the previous ones moved through the edit, and it need not run.
//
// A rule keeps its reads beside its `check`: when the check starts reading more of a node, its
// reads must say so too. test/unit/incremental-analysis.test.ts compares incremental and full
// analysis on random edits.

import type { TsqDocument } from '../model/document';
import { walk, type SeqNode, type StepNode } from '../model/sequence';
import { stepSiteReferences } from '../semantics/references';

/** An offset as the inputs spell it: old offsets are carried through the edit first. */
export type Place = (offset: number) => string;

export type NodeInputs = (doc: TsqDocument, node: SeqNode, at: Place) => string;

/**
 * What a whole-file rule reads from a node: `inputs` decide its findings; `cited` are words it
 * only quotes in messages (so a change to them matters only where a finding quotes them).
 */
export interface NodeReads {
  inputs: NodeInputs;
  cited?: (node: SeqNode) => string[];
}

/** Each node inside `node` (itself first), in order, with its kind and number of children. */
export function eachNode(node: SeqNode, describe: (n: SeqNode) => string): string {
  const parts: string[] = [];
  for (const n of walk([node])) parts.push(`${n.kind === 'group' ? `g${n.steps.length}` : 's'}{${describe(n)}}`);
  return parts.join(';');
}

/** `describe` for steps, nothing for groups. */
export function stepOnly(describe: (s: StepNode) => string): (n: SeqNode) => string {
  return (n) => (n.kind === 'step' ? describe(n) : '');
}

/** An option's value as the inputs spell it: text and numbers as they are, anything else by its type. */
export function valueText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : typeof value;
}

/** A step's references to site content (kind, ID, image index) and where they are. */
export const siteReferencesAt = (at: Place) =>
  stepOnly((s) =>
    stepSiteReferences(s)
      .map((r) => `${r.kind}:${r.id}:${r.index?.value ?? ''}@${at(r.span.start)}-${at(r.span.end)}`)
      .join(','),
  );
