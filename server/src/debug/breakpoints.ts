// Breakpoints on steps and groups: a line is moved to the first line of the node it belongs to
// (or of the next node, when it sits between nodes: a blank line, a comment, the end of a
// group), and each breakpoint may carry a condition in the `when:` language, a hit count and a
// log message. Lines here are 0-based; the session converts to the client's convention.

import type { TsqDocument } from '../model/document';
import type { SequenceModel, SeqNode } from '../model/sequence';
import { walk } from '../model/sequence';
import { parseCondition, type ConditionNode } from '../conditions';

interface NodeLines {
  node: SeqNode;
  first: number;
  last: number;
}

/** Nodes of a sequence file with the lines they span, in document order. */
export class NodeLineIndex {
  readonly nodes: NodeLines[] = [];

  constructor(readonly doc: TsqDocument) {
    const model = doc.model as SequenceModel | undefined;
    if (doc.kind !== 'sequence' || !model) return;
    const lm = doc.lineMap;
    for (const node of walk(model.steps)) {
      const first = lm.positionAt(node.span.start).line;
      const last = lm.positionAt(Math.max(node.span.start, node.span.end - 1)).line;
      this.nodes.push({ node, first, last });
    }
  }

  /** The first line of a node. */
  lineOf(node: SeqNode): number {
    return this.doc.lineMap.positionAt(node.span.start).line;
  }

  /** The node a breakpoint on `line` belongs to, or undefined when no node starts at or after it. */
  nodeAt(line: number): SeqNode | undefined {
    let inner: NodeLines | undefined;
    for (const n of this.nodes) {
      if (n.first > line) break;
      if (n.last >= line) inner = n; // later (deeper) nodes that still contain the line win
    }
    const next = () => this.nodes.find((n) => n.first > line)?.node;
    if (!inner) return next();
    if (inner.node.kind === 'step') return inner.node;
    const firstChild = inner.node.steps[0];
    // The group's own lines (name, condition, options) run up to its first child.
    if (!firstChild || line < this.lineOf(firstChild)) return inner.node;
    return next();
  }

  /** First lines of the nodes that start within [from, to]. */
  linesBetween(from: number, to: number): number[] {
    return this.nodes.filter((n) => n.first >= from && n.first <= to).map((n) => n.first);
  }
}

/** `5`, `== 5`, `>= 5`, `> 5`, `% 5`: when a breakpoint reached for the nth time stops. */
export function parseHitCondition(text: string): ((hits: number) => boolean) | string {
  // Trimmed first: the pattern then has one run of spaces, so a long text cannot make it backtrack.
  const m = /^(==|=|>=|>|<=|<|%)?\s*(\d+)$/.exec(text.trim());
  if (!m) return `\`${text}\` is not a hit count; write a number (stop at that hit), or >= N, > N, == N, % N.`;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return (h) => h >= n;
    case '>':
      return (h) => h > n;
    case '<=':
      return (h) => h <= n;
    case '<':
      return (h) => h < n;
    case '%':
      return (h) => n > 0 && h % n === 0;
    default:
      return (h) => h === n;
  }
}

export interface Breakpoint {
  id: number;
  docId: string;
  /** Requested line (0-based). */
  line: number;
  node?: SeqNode;
  /** Why it is not verified. */
  problem?: string;
  condition?: ConditionNode;
  conditionText?: string;
  hit?: (hits: number) => boolean;
  logMessage?: string;
  hits: number;
}

export interface BreakpointRequest {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

let nextId = 1;

/**
 * Makes the breakpoints of one file; a file that is not a sequence of this run gives unverified
 * ones. `ids` keeps the IDs the client already knows (when the same requests are made again).
 */
export function makeBreakpoints(
  docId: string,
  index: NodeLineIndex | undefined,
  requests: BreakpointRequest[],
  ids: number[] = [],
): Breakpoint[] {
  return requests.map((r, i) => {
    const bp: Breakpoint = { id: ids[i] ?? nextId++, docId, line: r.line, hits: 0 };
    if (!index) {
      bp.problem = 'This file is not a task sequence of this run.';
      return bp;
    }
    bp.node = index.nodeAt(r.line);
    if (!bp.node) bp.problem = 'There is no step or group at or after this line.';
    if (r.condition?.trim()) {
      const { ast, errors } = parseCondition(r.condition);
      if (!ast || errors.length) bp.problem = `The condition cannot be read: ${errors[0]?.message ?? 'syntax error'}`;
      else {
        bp.condition = ast;
        bp.conditionText = r.condition;
      }
    }
    if (r.hitCondition?.trim()) {
      const hit = parseHitCondition(r.hitCondition);
      if (typeof hit === 'string') bp.problem = hit;
      else bp.hit = hit;
    }
    if (r.logMessage !== undefined) bp.logMessage = r.logMessage;
    return bp;
  });
}
