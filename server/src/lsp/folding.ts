// Folding: every mapping or list that spans lines folds at its key (a group, a step, `with:`,
// `steps:`), block strings fold, and runs of comment lines fold as comments.

import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import { keyStartAt, pairCount, pairsOf, valueAt, type YNode } from '../model/yaml/nodes';
import type { FileEntry, FileIndex } from './projects';

export function foldingRanges(index: FileIndex, entry: FileEntry): FoldingRange[] {
  const at = index.positions(entry);
  const out: FoldingRange[] = [];
  const line = (offset: number) => at.positionAt(offset).line;
  const add = (from: number, to: number, kind?: FoldingRangeKind) => {
    const a = line(from),
      b = line(to);
    if (b > a) out.push({ startLine: a, endLine: b, ...(kind ? { kind } : {}) });
  };
  const visit = (node: YNode, foldFrom: number, depth: number) => {
    if (depth > 200) return;
    if (node.kind === 'map') {
      if (!node.flow || line(node.end) > line(foldFrom)) add(foldFrom, node.end);
      const pairs = node.pairs;
      for (let i = 0, n = pairCount(pairs); i < n; i++) visit(valueAt(pairs, i), keyStartAt(pairs, i), depth + 1);
    } else if (node.kind === 'seq') {
      add(foldFrom, node.end);
      for (const item of node.items) visit(item, item.start, depth + 1);
    } else if (node.kind === 'scalar' && node.block) {
      add(foldFrom, node.end);
    }
  };
  const root = entry.doc.yaml.root;
  if (root)
    for (const child of root.kind === 'map'
      ? pairsOf(root.pairs).map((p) => ({ node: p.value, from: p.key.start }))
      : [{ node: root, from: root.start }])
      visit(child.node, child.from, 0);
  // Runs of comment lines.
  let runStart = -1,
    runEnd = -1;
  for (const c of entry.doc.yaml.comments) {
    const l = line(c.start);
    if (runStart >= 0 && l === runEnd + 1) runEnd = l;
    else {
      if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
      runStart = runEnd = l;
    }
  }
  if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
  return out;
}
