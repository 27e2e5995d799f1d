// child-cycle: a sequence that (through Run Task Sequence steps, across files) ends up running
// itself can never finish; ConfigMgr refuses the direct case and the deployment fails for longer
// loops. Also warns when children nest deeper than a sensible limit (no limit is documented).
// Files are the same file when their real paths are (a link, or another spelling of the path):
// the front ends that load files say which, so a sequence cannot hide a loop behind a link.
// Each call is answered from the workspace's child graph (semantics/child-graph.ts) in time that
// does not grow with the size of the loop.

import type { Rule } from '../rule';
import type { TsqDocument } from '../../model/document';
import type { SequenceModel } from '../../model/sequence';
import { childGraph, type LoopExplanation } from '../../semantics/child-graph';
import { childCalls } from '../../semantics/children';
import { relativeFrom } from '../../util/paths';

/** Child nesting deeper than this is reported as a warning. */
export const MAX_CHILD_DEPTH = 8;

export const childCycle: Rule = {
  code: 'child-cycle',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A sequence runs itself through child sequences',
  description:
    'Follows Run Task Sequence steps across files (a link to a file, or another spelling of its path, is the same file) and reports a step whose child (or grandchild, ...) runs the parent again; also warns when children nest deeper than 8 levels.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const { ws, doc } = ctx;
    // The document's own calls: in the editor it may be a view of just the step that changed.
    const calls = childCalls(ws, doc.id, doc.model as SequenceModel);
    if (calls.length === 0) return;
    const graph = childGraph(ws);
    const node = graph.nodeOf(doc);
    if (node === undefined) return;
    for (const call of calls) {
      const child = call.target.doc ? graph.nodeOf(call.target.doc) : undefined;
      if (child === undefined) continue;
      const loop = graph.explainLoop(node, child);
      if (loop) {
        ctx.report({
          start: call.refStart,
          end: call.refEnd,
          message: loopMessage(doc, call.ref, !!call.target.viaAlias, loop),
          hint: 'Remove the Run Task Sequence step that closes the loop, or move the shared steps into a third sequence that both run.',
        });
        continue;
      }
      const levels = graph.depth(child) + 1;
      if (levels > MAX_CHILD_DEPTH) {
        ctx.report({
          start: call.refStart,
          end: call.refEnd,
          severity: 'warning',
          message: `Child sequences nest ${levels} levels deep from here.`,
          hint: `Keep nesting to ${MAX_CHILD_DEPTH} levels or fewer: deep chains are hard to follow in smsts.log and slow to start.`,
        });
      }
    }
  },
};

function loopMessage(doc: TsqDocument, ref: string, viaLink: boolean, loop: LoopExplanation): string {
  const [, first] = loop.chain;
  // By id: the editor checks a view of the step that changed, not the workspace's document.
  if (loop.chain.length === 2 && first?.id === doc.id) {
    // A link to this file, or another spelling of its own path: say so, in the user's words.
    return sameSpelling(ref, relativeFrom(doc.id, doc.id))
      ? 'A sequence cannot run itself as a child.'
      : `A sequence cannot run itself as a child: \`${ref}\` is this file.`;
  }
  const names = loop.chain.map((d) => (d ? relativeFrom(doc.id, d.id) : '…'));
  // The child as the step names it, when that is a link to the file found.
  if (viaLink) names[1] = `${ref.trim()} (${names[1]})`;
  const chain = names.join(' → ');
  if (loop.chain.includes(undefined))
    return `This child sequence runs this sequence again, through a loop of ${loop.size.toLocaleString('en-US')} sequences: ${chain}.`;
  return `This child sequence runs this sequence again: ${chain}.`;
}

function sameSpelling(ref: string, relative: string): boolean {
  const clean = (p: string) => p.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  return clean(ref) === clean(relative);
}
