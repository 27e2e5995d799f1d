// The shapes of the Task Sequence view's requests (lsp/sequence-tree.ts answers them), with no code
// behind them, so that the VS Code client can share them without taking in the server:
// `tsq/sequenceTree` (the groups and steps of a sequence as the console shows them),
// `tsq/sequenceEdit` (a change to that tree, answered with the text edits that make it) and
// `tsq/stepChoices` (the built-in steps by category, for "Add Step").

export const SEQUENCE_TREE_REQUEST = 'tsq/sequenceTree';
export const SEQUENCE_EDIT_REQUEST = 'tsq/sequenceEdit';
export const STEP_CHOICES_REQUEST = 'tsq/stepChoices';

export interface TreeRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface TreeProblem {
  /** 1 error, 2 warning, 3 information, 4 hint (as LSP counts). */
  severity: 1 | 2 | 3 | 4;
  message: string;
}

export interface SequenceTreeNode {
  /** The file the node is written in (a child sequence's nodes are in the child's file). */
  uri: string;
  /** Index in the sequence's `steps:`, then in each group's, down to the node (tree-edits NodePath). */
  path: number[];
  kind: 'group' | 'step';
  name: string;
  /** The step's action as the console names it ("Apply Operating System Image"); empty for groups. */
  action: string;
  disabled: boolean;
  continueOnError: boolean;
  /** The `when:` text, when the node has one. */
  condition?: string;
  /** The problems in the node's own lines (not its children's), worst first, at most a few. */
  problems: TreeProblem[];
  /** How many problems the node has in all (problems holds the first of them). */
  problemCount: number;
  /** The node's name in its file (for "Reveal in Editor"). */
  range: TreeRange;
  children?: SequenceTreeNode[];
  /** For a Run Task Sequence step: the child sequence, whose steps are its children. */
  child?: { uri: string; name: string };
}

export interface SequenceTreeParams {
  textDocument: { uri: string };
}

export type SequenceTreeResult = {
  uri: string;
  name: string;
  version: number | null;
  nodes: SequenceTreeNode[];
} | null;

export interface TreePlacement {
  /** Path of the group ([] for the sequence's own list). */
  parent: number[];
  /** Before the node at this index; the list's length appends. */
  index: number;
}

export type SequenceEditOperation =
  | { op: 'addStep'; action: string; name?: string; at: TreePlacement }
  | { op: 'addGroup'; name: string; at: TreePlacement }
  | { op: 'delete'; path: number[] }
  | { op: 'rename'; path: number[]; name: string }
  | { op: 'setDisabled'; path: number[]; disabled: boolean }
  | { op: 'move'; path: number[]; to: TreePlacement }
  | { op: 'moveBy'; path: number[]; delta: -1 | 1 }
  | { op: 'setCondition'; path: number[]; condition: string }
  /** The condition builder's choices (conditions/builder.ts); `keep` joins them to the node's condition with `and`. */
  | { op: 'buildCondition'; path: number[]; choice: ConditionChoiceShape; keep: boolean };

type Comparison = 'equals' | 'notEquals' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';

/** conditions/builder.ts's ConditionChoice, repeated here so that the client needs nothing of the engine. */
export interface ConditionChoiceShape {
  join: 'all' | 'any' | 'none';
  checks: Array<
    | { kind: 'variable'; variable: string; operator: Comparison | 'like' | 'exists' | 'notExists'; value?: string }
    | { kind: 'osVersion'; platforms: string[] }
    | {
        kind: 'file';
        path: string;
        version?: { operator: Comparison; value: string };
        date?: { operator: Comparison; value: string };
      }
    | { kind: 'folder'; path: string; date?: { operator: Comparison; value: string } }
    | {
        kind: 'registry';
        key: string;
        valueName: string;
        operator: Comparison | 'exists' | 'notExists';
        data?: string;
        type?: string;
      }
    | { kind: 'wmi'; query: string; namespace?: string }
    | { kind: 'software'; match: 'thisVersion' | 'anyVersion'; code: string; name?: string }
  >;
}

export interface SequenceEditParams {
  textDocument: { uri: string };
  edit: SequenceEditOperation;
}

export interface TreeTextEdit {
  range: TreeRange;
  newText: string;
}

export type SequenceEditResult =
  | { ok: true; uri: string; edits: TreeTextEdit[]; /** Where the node ends up. */ path?: number[] }
  | { ok: false; message: string };

export interface StepChoice {
  key: string;
  displayName: string;
  category: string;
  summary: string;
  /** 'mdt' for the Microsoft Deployment Toolkit's steps. */
  source: string;
}
