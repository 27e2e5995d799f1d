// Breakpoints on steps and groups: a line is moved to the first line of the node it belongs to
// (or of the next node, when it sits between nodes: a blank line, a comment, the end of a
// group), and each breakpoint may carry a condition in the `when:` language, a hit count and a
// log message. Lines here are 0-based; the session converts to the client's convention.

import type { TsqDocument } from '../model/document';
import type { SequenceModel, SeqNode } from '../model/sequence';
import { walk } from '../model/sequence';
import { parseCondition, type ConditionNode } from '../conditions';

/**
 * Nodes of a sequence file in document order, and the lines they span. A line is compared with a
 * node through the offsets where lines start, so that making the index reads no position: on a
 * 100,000-step file, working out the first and last line of all 105,000 nodes up front took about
 * 50 ms, which a breakpoint set in that file added to the debugger's first stop.
 */
export class NodeLineIndex {
  private readonly nodes: SeqNode[] = [];

  constructor(readonly doc: TsqDocument) {
    const model = doc.model as SequenceModel | undefined;
    if (doc.kind !== 'sequence' || !model) return;
    for (const node of walk(model.steps)) this.nodes.push(node);
  }

  /** The first line of a node. */
  lineOf(node: SeqNode): number {
    return this.doc.lineMap.positionAt(node.span.start).line;
  }

  /** The offset where `line` starts: a node whose last offset is there or later reaches the line. */
  private startOf(line: number): number {
    const lm = this.doc.lineMap;
    return line >= lm.lineCount ? Infinity : lm.lineStart(line);
  }

  /** The offset where the line after `line` starts: a node that starts before it starts on or before the line. */
  private endOf(line: number): number {
    return this.startOf(line + 1);
  }

  /** The node a breakpoint on `line` belongs to, or undefined when no node starts at or after it. */
  nodeAt(line: number): SeqNode | undefined {
    const from = this.startOf(line),
      till = this.endOf(line);
    let inner: SeqNode | undefined;
    for (const n of this.nodes) {
      if (n.span.start >= till) break;
      // Later (deeper) nodes that still reach the line win.
      if (Math.max(n.span.start, n.span.end - 1) >= from) inner = n;
    }
    const next = () => this.nodes.find((n) => n.span.start >= till);
    if (!inner) return next();
    if (inner.kind === 'step') return inner;
    const firstChild = inner.steps[0];
    // The group's own lines (name, condition, options) run up to its first child.
    if (!firstChild || line < this.lineOf(firstChild)) return inner;
    return next();
  }

  /** First lines of the nodes that start within [from, to]. */
  linesBetween(from: number, to: number): number[] {
    const start = this.startOf(from),
      till = this.endOf(to);
    return this.nodes.filter((n) => n.span.start >= start && n.span.start < till).map((n) => this.lineOf(n));
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
