// One walk of a sequence's groups and steps for the rules that judge each node by its own fields
// and report few of them (condition-syntax, unknown-action, name-length, missing-property,
// dynamic-rules and invalid-value's variable names and values). Each such rule registers a test
// saying which nodes it must look at (`nodeTest`); the first of them to ask in an analysis
// (`nodesFor`) walks the nodes once and sorts them out for all, and each rule then looks at the
// nodes its test let through, in document order, as it did at every node. Why: each of these rules
// went through all of a file's nodes on its own, and what such a walk costs on a large file is
// mostly reading each node again (the first read of a node's fields in each walk, from a heap of
// hundreds of MB) in code V8 has not optimized yet, in a process that checks once (the check before
// a simulated run). On the 100,000-step `mixed` file the six rules' walks took 70–80 ms of that
// check, the one walk about 45–50 (docs/performance.md, "The check's reads of each step"). A rule
// whose findings depend on other nodes (duplicate-id: every id before) keeps its own walk: in the
// editor it runs on the whole file apart from these, and would walk for all of them each time.

import type { RuleContext } from './rule';
import type { TsqDocument } from '../model/document';
import type { SeqNode, SequenceModel } from '../model/sequence';
import { sequenceNodes } from '../semantics/sequence-nodes';

/** Whether a rule must look at a node: false only where the rule surely reports nothing about it. */
export type NodeTest = (node: SeqNode, doc: TsqDocument) => boolean;

const tests: NodeTest[] = [];

/** Registers a rule's test, when its module loads; the number names the nodes it lets through in `nodesFor`. */
export function nodeTest(test: NodeTest): number {
  tests.push(test);
  return tests.length - 1;
}

/** The nodes of the analysed sequence that test `which` lets through, in document order (do not modify). */
export function nodesFor(ctx: RuleContext, which: number): readonly SeqNode[] {
  return ctx.memo(WALKED, () => walkOnce(ctx.doc))[which];
}

const WALKED = 'rules/node-walk';

function walkOnce(doc: TsqDocument): SeqNode[][] {
  const found: SeqNode[][] = tests.map(() => []);
  const nodes = sequenceNodes(doc.model as SequenceModel);
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n];
    for (let t = 0; t < tests.length; t++) if (tests[t](node, doc)) found[t].push(node);
  }
  return found;
}
