// The Task Sequence view's requests, a thin layer over the engine: `tsq/sequenceTree` gives the
// server's own model of a sequence as the console shows it (groups and steps in order, disabled,
// conditions, continue on error, each node's problems, child sequences expanded in place);
// `tsq/sequenceEdit` turns a change the admin made in the view into text edits
// (model/tree-edits.ts), which the client applies as one workspace edit, so undo works and the
// checks follow as for typing; `tsq/stepChoices` lists the built-in steps for "Add Step".

import { ProtocolRequestType } from 'vscode-languageserver';
import type { Diagnostic } from '../analysis/diagnostic';
import { allSteps, findStep } from '../catalog';
import type { SeqNode, SequenceModel } from '../model/sequence';
import { childCalls } from '../semantics/children';
import { buildCondition, type ConditionChoice } from '../conditions';
import {
  addGroup,
  addStep,
  deleteNode,
  moveBy,
  moveNode,
  nodeAt,
  rename,
  setCondition,
  setDisabled,
  type TreeEdit,
} from '../model/tree-edits';
import type { FileEntry, FileIndex } from './projects';
import {
  SEQUENCE_EDIT_REQUEST,
  SEQUENCE_TREE_REQUEST,
  STEP_CHOICES_REQUEST,
  type SequenceEditParams,
  type SequenceEditResult,
  type SequenceTreeNode,
  type SequenceTreeParams,
  type SequenceTreeResult,
  type StepChoice,
  type TreeProblem,
} from '../frontend/sequence-tree-protocol';

export type * from '../frontend/sequence-tree-protocol';

export const SequenceTreeRequest = new ProtocolRequestType<SequenceTreeParams, SequenceTreeResult, never, void, void>(
  SEQUENCE_TREE_REQUEST,
);
export const SequenceEditRequest = new ProtocolRequestType<SequenceEditParams, SequenceEditResult, never, void, void>(
  SEQUENCE_EDIT_REQUEST,
);
export const StepChoicesRequest = new ProtocolRequestType<object | null, StepChoice[], never, void, void>(
  STEP_CHOICES_REQUEST,
);

/** How deep child sequences are expanded (a chain deeper than ConfigMgr runs is shown collapsed). */
const MAX_CHILD_DEPTH = 8;
const PROBLEMS_SHOWN = 3;
const SEVERITY: Record<Diagnostic['severity'], TreeProblem['severity']> = {
  error: 1,
  warning: 2,
  information: 3,
  hint: 4,
};

type DiagnosticsOf = (entry: FileEntry) => Diagnostic[];

export function sequenceTree(index: FileIndex, entry: FileEntry, diagnosticsOf: DiagnosticsOf): SequenceTreeResult {
  const model = entry.doc.kind === 'sequence' ? (entry.doc.model as SequenceModel | undefined) : undefined;
  if (!model) return null;
  return {
    uri: entry.uri,
    name: model.name,
    version: entry.editor?.version ?? null,
    nodes: treeOf(index, entry, model, diagnosticsOf, [entry.id]),
  };
}

function treeOf(
  index: FileIndex,
  entry: FileEntry,
  model: SequenceModel,
  diagnosticsOf: DiagnosticsOf,
  chain: string[],
): SequenceTreeNode[] {
  const at = index.positions(entry);
  const problems = problemsByNode(model, diagnosticsOf(entry));
  const children = new Map<SeqNode, { entry: FileEntry; model: SequenceModel }>();
  if (chain.length <= MAX_CHILD_DEPTH) {
    for (const call of childCalls(entry.project.ws, entry.id, model)) {
      const doc = call.target.doc;
      if (!doc || chain.includes(doc.id)) continue;
      const childEntry = index.get(doc.id);
      const childModel =
        childEntry?.doc.kind === 'sequence' ? (childEntry.doc.model as SequenceModel | undefined) : undefined;
      if (childEntry && childModel) children.set(call.step, { entry: childEntry, model: childModel });
    }
  }
  const path: number[] = [];
  const visit = (node: SeqNode): SequenceTreeNode => {
    path.push(node.index);
    const list = problems.get(node) ?? [];
    list.sort((a, b) => a.severity - b.severity);
    const out: SequenceTreeNode = {
      uri: entry.uri,
      path: [...path],
      kind: node.kind,
      name: node.name,
      action:
        node.kind === 'step'
          ? node.shorthand
            ? 'Run Command Line'
            : (findStep(node.action)?.displayName ?? node.action)
          : '',
      disabled: node.disabled,
      continueOnError: node.continueOnError,
      condition: node.when?.text,
      problems: list.slice(0, PROBLEMS_SHOWN),
      problemCount: list.length,
      range: { start: at.positionAt(node.nameSpan.start), end: at.positionAt(node.nameSpan.end) },
    };
    if (node.kind === 'group') out.children = node.steps.map(visit);
    const child = children.get(node);
    if (child) {
      out.child = { uri: child.entry.uri, name: child.model.name };
      out.children = treeOf(index, child.entry, child.model, diagnosticsOf, [...chain, child.entry.id]);
    }
    path.pop();
    return out;
  };
  return model.steps.map(visit);
}

/** Each diagnostic under the innermost node whose lines hold its start. */
function problemsByNode(model: SequenceModel, diagnostics: readonly Diagnostic[]): Map<SeqNode, TreeProblem[]> {
  const out = new Map<SeqNode, TreeProblem[]>();
  if (diagnostics.length === 0) return out;
  const flat: SeqNode[] = [];
  const collect = (list: SeqNode[]) => {
    for (const n of list) {
      flat.push(n);
      if (n.kind === 'group') collect(n.steps);
    }
  };
  collect(model.steps);
  for (const d of diagnostics) {
    // The last node (in file order) starting at or before the diagnostic, then up to the one that holds it.
    let lo = 0,
      hi = flat.length - 1,
      found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (flat[mid].span.start <= d.start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let node: SeqNode | null = found >= 0 ? flat[found] : null;
    while (node && node.span.end < d.start) node = node.parent;
    if (!node) continue;
    const list = out.get(node) ?? [];
    list.push({ severity: SEVERITY[d.severity], message: d.message });
    out.set(node, list);
  }
  return out;
}

export function sequenceEdit(index: FileIndex, entry: FileEntry, params: SequenceEditParams): SequenceEditResult {
  const model = entry.doc.kind === 'sequence' ? (entry.doc.model as SequenceModel | undefined) : undefined;
  if (!model) return { ok: false, message: 'This file is not a task sequence tsq can read; fix its problems first.' };
  const text = entry.doc.text;
  const e = params.edit;
  const target = 'path' in e ? nodeAt(model, e.path) : undefined;
  if ('path' in e && !target)
    return { ok: false, message: 'That group or step is not there any more; the view was out of date.' };
  let result: TreeEdit;
  switch (e.op) {
    case 'addStep': {
      const def = findStep(e.action);
      if (!def) return { ok: false, message: `\`${e.action}\` is not a built-in step.` };
      result = addStep(text, model, e.at, def, e.name);
      break;
    }
    case 'addGroup':
      result = addGroup(text, model, e.at, e.name);
      break;
    case 'delete':
      result = deleteNode(text, target!);
      break;
    case 'rename':
      result = rename(text, target!, e.name);
      break;
    case 'setDisabled':
      result = setDisabled(text, target!, e.disabled);
      break;
    case 'move':
      result = moveNode(text, model, target!, e.to);
      break;
    case 'moveBy':
      result = moveBy(text, model, target!, e.delta);
      break;
    case 'setCondition':
      result = setCondition(text, target!, e.condition);
      break;
    case 'buildCondition': {
      const built = buildCondition(e.choice as ConditionChoice, e.keep ? target!.when?.text : undefined);
      if (!built.ok) return built;
      result = setCondition(text, target!, built.text);
      break;
    }
  }
  if (!result.ok) return result;
  const at = index.positions(entry);
  return {
    ok: true,
    uri: entry.uri,
    edits: result.changes.map((c) => ({
      range: { start: at.positionAt(c.start), end: at.positionAt(c.end) },
      newText: c.text,
    })),
    path: result.path,
  };
}

export function stepChoices(): StepChoice[] {
  return allSteps().map((s) => ({
    key: s.key,
    displayName: s.displayName,
    category: s.category,
    summary: s.summary,
    source: s.source,
  }));
}
