// Parent/child relations between sequences: which Run Task Sequence steps name which sequences,
// resolved through the workspace. Shared by the cycle rule, broken references, the simulator's
// content check and the editor's navigation.

import type { SequenceModel, StepNode } from '../model/sequence';
import type { Workspace, ResolvedFile } from './workspace';
import { sequenceNodes } from './sequence-nodes';
import { childReference } from './child-reference';

export { RUN_TASK_SEQUENCE } from './child-reference';

export interface ChildCall {
  step: StepNode;
  /** The `sequence:` value as written. */
  ref: string;
  refStart: number;
  refEnd: number;
  target: ResolvedFile & { byPackageId?: boolean };
}

type RawCall = Omit<ChildCall, 'target'>;

/** The Run Task Sequence steps of each model and what they name, found once per revision of the model. */
const rawCalls = new WeakMap<SequenceModel, { revision: number; calls: RawCall[] }>();

function runTaskSequenceSteps(model: SequenceModel): RawCall[] {
  const known = rawCalls.get(model);
  if (known && known.revision === model.revision) return known.calls;
  const calls: RawCall[] = [];
  for (const node of sequenceNodes(model)) {
    if (node.kind !== 'step') continue;
    const named = childReference(node);
    if (!named) continue;
    calls.push({
      step: node,
      ref: named.ref,
      refStart: named.option.span.start,
      refEnd: named.option.span.end,
    });
  }
  rawCalls.set(model, { revision: model.revision, calls });
  return calls;
}

/**
 * The calls resolved, per model, for one workspace generation and model revision: the checks of a
 * file ask for them several times each (the three placement rules, broken references, child
 * cycles and boot images), and each resolution normalises a path.
 */
const resolvedCalls = new WeakMap<
  SequenceModel,
  { ws: Workspace; generation: number; revision: number; docId: string; calls: readonly ChildCall[] }
>();

/** Every Run Task Sequence step of `model` with the sequence it names (do not modify the list). */
export function childCalls(ws: Workspace, docId: string, model: SequenceModel): readonly ChildCall[] {
  const known = resolvedCalls.get(model);
  if (
    known &&
    known.ws === ws &&
    known.generation === ws.generation &&
    known.revision === model.revision &&
    known.docId === docId
  )
    return known.calls;
  const calls = runTaskSequenceSteps(model).map((c) => ({ ...c, target: ws.resolveChild(docId, c.ref) }));
  resolvedCalls.set(model, { ws, generation: ws.generation, revision: model.revision, docId, calls });
  return calls;
}
