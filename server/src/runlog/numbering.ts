// ConfigMgr's numbering of a task sequence, the one tsq uses wherever it shows step numbers (the
// run-log reader matching smsts.log's pointers, the editor showing them beside each step). The
// engine compiles a sequence into one table of instructions, "Instruction at 0, 1, 2 …": groups
// and steps in document order, a group before the nodes it holds, disabled ones included, and a
// child sequence's nodes right after its Run Task Sequence step, numbered on from there — parent
// and child "are effectively combined into a single policy"
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence).
// Whether the table also holds an "end of group" slot after each group is not documented; the
// variant with such slots is offered so that a log can decide (match.ts keeps the one that agrees).

import type { TsqDocument } from '../model/document';
import type { SeqNode, SequenceModel, StepNode } from '../model/sequence';
import type { Workspace } from '../semantics/workspace';
import { childCalls, RUN_TASK_SEQUENCE } from '../semantics/children';
import { stepByKey } from '../catalog';
import type { InstructionEntry } from './types';

export interface NumberingOptions {
  /** Count one more instruction after the nodes of each group (ConfigMgr's possible "end group" slot). */
  groupEndSlots?: boolean;
  /** Stop after this many entries (a guard against runaway child nesting). */
  maxEntries?: number;
}

export interface NumberedNode extends InstructionEntry {
  node: SeqNode;
  /** The file the node is written in (a child sequence's own file for its nodes). */
  docId: string;
  /** A Run Task Sequence step whose child could not be read: the pointers after it are unknown. */
  childUnresolved?: boolean;
}

const DEFAULT_MAX_ENTRIES = 200_000;

/** The ConfigMgr class of a step, as smsts.log names it on "Start executing an instruction". */
export function configMgrType(step: StepNode): string | undefined {
  return stepByKey(step.action)?.xmlType;
}

/**
 * The instructions of `doc`'s sequence in ConfigMgr's order with their pointers, child sequences
 * (found through `ws`) inlined under their Run Task Sequence step.
 */
export function numberSequence(ws: Workspace, doc: TsqDocument, options: NumberingOptions = {}): NumberedNode[] {
  const out: NumberedNode[] = [];
  if (doc.kind !== 'sequence' || !doc.model) return out;
  const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  let pointer: number | undefined = 0;
  const next = () => {
    const p = pointer;
    if (pointer !== undefined) pointer++;
    return p;
  };

  const visit = (
    nodes: readonly SeqNode[],
    docId: string,
    model: SequenceModel,
    parent: number,
    depth: number,
    prefix: string,
    chain: readonly string[],
  ) => {
    const calls = new Map<StepNode, ReturnType<typeof childCalls>[number]>();
    for (const c of childCalls(ws, docId, model)) calls.set(c.step, c);
    for (const node of nodes) {
      if (out.length >= max) return;
      const index = out.length;
      const path = prefix ? `${prefix}/${node.name}` : node.name;
      const entry: NumberedNode = {
        pointer: next(),
        name: node.name,
        kind: node.kind,
        type: node.kind === 'group' ? '' : configMgrType(node),
        parent,
        end: index + 1,
        depth,
        path,
        disabled: node.disabled,
        node,
        docId,
      };
      out.push(entry);
      if (node.kind === 'group') {
        visit(node.steps, docId, model, index, depth + 1, path, chain);
        if (options.groupEndSlots) next();
      } else if (node.action === RUN_TASK_SEQUENCE) {
        const call = calls.get(node);
        const child = call?.target.doc;
        const childModel = child?.kind === 'sequence' ? (child.model as SequenceModel | undefined) : undefined;
        if (child && childModel && !chain.includes(child.id)) {
          entry.container = true;
          visit(childModel.steps, child.id, childModel, index, depth + 1, path, [...chain, child.id]);
        } else {
          // The child's size is unknown, so every number after this step is too.
          entry.childUnresolved = true;
          pointer = undefined;
        }
      }
      entry.end = out.length;
    }
  };
  visit((doc.model as SequenceModel).steps, doc.id, doc.model as SequenceModel, -1, 0, '', [doc.id]);
  return out;
}
