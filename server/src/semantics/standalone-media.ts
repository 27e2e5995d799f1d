// What keeps a sequence from running on stand-alone media: steps that need the network (from
// data/standalone-media.json), dynamic install lists, the pre-production client, user device
// affinity. Computed over a sequence and its children; steps skipped on stand-alone media by
// their conditions (`_SMSTSMediaType != "FullMedia"`) do not count. Read by the standalone-media
// rule and by the simulator's run from media.

import type { SequenceModel, StepNode } from '../model/sequence';
import { option } from '../model/sequence';
import type { TsqDocument } from '../model/document';
import type { Span } from '../model/text';
import { closureSteps, type ClosureMember } from './sequence-closure';
import { skippedOnStandaloneMedia } from './media-conditions';
import { stepDef } from './knowledge';
import data from './data/standalone-media.json';

/** An error stops the run from media; a warning means a step needs a network the media may not have. */
export type ProblemSeverity = 'error' | 'warning';

export interface StandaloneProblem {
  doc: TsqDocument;
  /** The step, when the problem is a step's (absent for the sequence's own `variables:`). */
  step?: StepNode;
  span: Span;
  severity: ProblemSeverity;
  /** Why, completing "this step cannot run from stand-alone media because ...". */
  reason: string;
}

interface Entry {
  severity: string;
  reason: string;
}
const BY_ACTION = new Map<string, Entry>(data.steps.map((s) => [s.action, s]));
const BY_OPTION = new Map<string, (Entry & { property: string })[]>();
for (const o of data.options) {
  const list = BY_OPTION.get(o.action) ?? [];
  list.push(o);
  BY_OPTION.set(o.action, list);
}
const BY_VARIABLE = new Map<string, Entry>(data.variables.map((v) => [v.name.toLowerCase(), v]));

function severityOf(e: Entry): ProblemSeverity {
  return e.severity === 'warning' ? 'warning' : 'error';
}

export function standaloneProblems(members: readonly ClosureMember[]): StandaloneProblem[] {
  const out: StandaloneProblem[] = [];
  for (const { step, doc } of closureSteps(members)) {
    if (skippedOnStandaloneMedia(step)) continue;
    const at = step.actionSpan ?? step.nameSpan;
    const byAction = BY_ACTION.get(step.action);
    if (byAction) out.push({ doc, step, span: at, severity: severityOf(byAction), reason: byAction.reason });
    for (const o of BY_OPTION.get(step.action) ?? []) {
      const opt = option(step, o.property);
      if (opt && opt.value !== '' && opt.value !== null)
        out.push({ doc, step, span: opt.span, severity: severityOf(o), reason: o.reason });
    }
    if (step.action === 'SetTaskSequenceVariable') {
      const name = option(step, 'variable');
      const v = typeof name?.value === 'string' ? BY_VARIABLE.get(name.value.toLowerCase()) : undefined;
      if (v && name) out.push({ doc, step, span: name.span, severity: severityOf(v), reason: v.reason });
    }
  }
  for (const { doc, model } of members) {
    for (const decl of model.variables) {
      const v = BY_VARIABLE.get(decl.name.toLowerCase());
      if (v) out.push({ doc, span: decl.nameSpan, severity: severityOf(v), reason: v.reason });
    }
  }
  return out;
}

/** The sequence has a boot image: stand-alone media can only carry such sequences. */
export function hasBootImage(model: SequenceModel): boolean {
  return !!model.bootImage?.value.trim();
}

/** Display name of a step's action, for messages. */
export function actionName(step: StepNode): string {
  return stepDef(step.action)?.displayName ?? step.action;
}
