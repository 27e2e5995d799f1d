// A sequence together with every child sequence it runs (Run Task Sequence, followed through the
// workspace), and the facts deployment and media rules ask of that whole: the site content it
// uses, whether it installs an OS, and which of its steps may run in Windows PE. Disabled steps
// and everything in disabled groups are left out: they never run.

import type { TsqDocument } from '../model/document';
import type { SeqNode, SequenceModel, StepNode } from '../model/sequence';
import { walk } from '../model/sequence';
import type { Workspace } from './workspace';
import { childGraph } from './child-graph';
import { childCalls, type ChildCall } from './children';
import { siteReferences, isDynamic, type SiteReference } from './references';
import { requiredEnvironment } from './condition-facts';
import { stepDef } from './knowledge';
import { neverRuns } from './disabled-steps';

export interface ClosureMember {
  doc: TsqDocument;
  model: SequenceModel;
}

export interface ClosureReference extends SiteReference {
  doc: TsqDocument;
}

/**
 * `doc` first, then the children it runs (through enabled steps), depth first, each once. Walks the
 * workspace's child graph with a stack of its own, so long chains cannot overflow the call stack.
 */
export function sequenceClosure(ws: Workspace, doc: TsqDocument): ClosureMember[] {
  if (doc.kind !== 'sequence' || !doc.model) return [];
  const graph = childGraph(ws);
  const out: ClosureMember[] = [];
  const seen = new Uint8Array(graph.docs.length);
  const stack: number[] = [];
  const pushChildren = (calls: readonly ChildCall[], targetOf: (i: number) => number | undefined) => {
    for (let i = calls.length - 1; i >= 0; i--) {
      graph.work++;
      const child = targetOf(i);
      if (child !== undefined && child >= 0 && !seen[child] && !isSkipped(calls[i].step)) stack.push(child);
    }
  };
  const start = graph.nodeOf(doc);
  if (start !== undefined && graph.docs[start] === doc) {
    stack.push(start);
  } else {
    // A document the workspace does not hold as it is (a file checked on its own): its calls lead into the graph.
    out.push({ doc, model: doc.model as SequenceModel });
    if (start !== undefined) seen[start] = 1;
    const calls = childCalls(ws, doc.id, doc.model as SequenceModel);
    pushChildren(calls, (i) => (calls[i].target.doc ? graph.nodeOf(calls[i].target.doc!) : undefined));
  }
  while (stack.length) {
    const node = stack.pop()!;
    if (seen[node]) continue;
    seen[node] = 1;
    const d = graph.docs[node];
    out.push({ doc: d, model: d.model as SequenceModel });
    pushChildren(graph.calls[node], (i) => graph.targetOf(node, i));
  }
  return out;
}

/**
 * The sequence and, transitively, every child sequence it calls that the workspace holds, each
 * once, with no depth limit and through disabled steps too: what must be checked (or scanned for
 * content) before a run, rather than what the run reaches, which `sequenceClosure` gives.
 */
export function reachableSequenceDocs(ws: Workspace, root: TsqDocument): TsqDocument[] {
  const out = [root];
  const seen = new Set([root.id]);
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    if (d.kind !== 'sequence' || !d.model) continue;
    for (const call of childCalls(ws, d.id, d.model as SequenceModel)) {
      const c = call.target.doc;
      if (c && !seen.has(c.id)) {
        seen.add(c.id);
        out.push(c);
      }
    }
  }
  return out;
}

/** True when the node or a group around it is disabled. */
export const isSkipped: (node: SeqNode) => boolean = neverRuns;

/** Site references of the whole closure (boot images of children included), without disabled steps or `%Var%` IDs. */
export function closureReferences(members: readonly ClosureMember[]): ClosureReference[] {
  const out: ClosureReference[] = [];
  for (const m of members) {
    for (const r of siteReferences(m.model)) {
      if ((r.step && isSkipped(r.step)) || isDynamic(r.id)) continue;
      out.push({ ...r, doc: m.doc });
    }
  }
  return out;
}

/** Enabled steps of the closure, each with its document. */
export function* closureSteps(members: readonly ClosureMember[]): Generator<{ step: StepNode; doc: TsqDocument }> {
  for (const m of members) {
    for (const n of walk(m.model.steps)) if (n.kind === 'step' && !isSkipped(n)) yield { step: n, doc: m.doc };
  }
}

/** Steps that install an operating system: ConfigMgr counts such sequences as OS deployments. */
const OS_INSTALLING_ACTIONS = new Set([
  'ApplyOperatingSystemImage',
  'UpgradeOperatingSystem',
  'InstallOperatingSystem',
]);

/** The first enabled step of the closure that installs an OS, if any. */
export function osInstallingStep(members: readonly ClosureMember[]): { step: StepNode; doc: TsqDocument } | undefined {
  for (const s of closureSteps(members)) if (OS_INSTALLING_ACTIONS.has(s.step.action)) return s;
  return undefined;
}

/**
 * True when the step may run in Windows PE: the step itself only runs there, or a condition on it
 * or on a group around it pins `_SMSTSInWinPE == "true"`.
 */
export function mayRunInWinPE(step: StepNode): boolean {
  if (stepDef(step.action)?.runIn === 'WinPE') return true;
  for (let n: SeqNode | null = step; n; n = n.parent) {
    if (n.when && requiredEnvironment(n.when.text) === 'WinPE') return true;
  }
  return false;
}
