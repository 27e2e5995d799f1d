// A sequence together with every child sequence it runs (Run Task Sequence, followed through the
// workspace), and the facts deployment and media rules ask of that whole: the site content it
// uses, whether it installs an OS, and which of its steps may run in Windows PE. Disabled steps
// and everything in disabled groups are left out: they never run.

import type { TsqDocument } from '../model/document';
import type { SeqNode, SequenceModel, StepNode } from '../model/sequence';
import { walk } from '../model/sequence';
import type { Workspace } from './workspace';
import { childCalls } from './children';
import { siteReferences, isDynamic, type SiteReference } from './references';
import { requiredEnvironment } from './condition-facts';
import { stepDef } from './knowledge';

/** Children deeper than this are not followed (cycles are the child-cycle rule's business). */
const MAX_DEPTH = 16;

export interface ClosureMember {
  doc: TsqDocument;
  model: SequenceModel;
}

export interface ClosureReference extends SiteReference {
  doc: TsqDocument;
}

/** `doc` first, then the children it runs, depth first, each once. */
export function sequenceClosure(ws: Workspace, doc: TsqDocument): ClosureMember[] {
  const out: ClosureMember[] = [];
  const seen = new Set<string>();
  const visit = (d: TsqDocument, depth: number) => {
    if (d.kind !== 'sequence' || !d.model || seen.has(d.id) || depth > MAX_DEPTH) return;
    seen.add(d.id);
    const model = d.model as SequenceModel;
    out.push({ doc: d, model });
    for (const call of childCalls(ws, d.id, model)) {
      if (!isSkipped(call.step) && call.target.doc) visit(call.target.doc, depth + 1);
    }
  };
  visit(doc, 0);
  return out;
}

/** True when the node or a group around it is disabled. */
export function isSkipped(node: SeqNode): boolean {
  for (let n: SeqNode | null = node; n; n = n.parent) if (n.disabled) return true;
  return false;
}

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
const OS_INSTALLING_ACTIONS = new Set(['ApplyOperatingSystemImage', 'UpgradeOperatingSystem', 'InstallOperatingSystem']);

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
