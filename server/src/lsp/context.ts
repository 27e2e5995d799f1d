// Where a position is in a tsq file, as the editor features need to know it: the chain of YAML
// nodes from the root to the deepest one holding the offset (with the keys and list indexes on
// the way), the group or step around it, and, for lines still being typed (which the parser
// cannot read yet), the mapping or list a new key or entry on that line would belong to.

import type { TsqDocument } from '../model/document';
import {
  lastPairAtOrBefore as lastPairNumberAtOrBefore,
  pairAt,
  type YMap,
  type YNode,
  type YPair,
  type YScalar,
  type YSeq,
} from '../model/yaml/nodes';
import type { SeqNode, SequenceModel } from '../model/sequence';
import { scalarOffsets } from '../model/yaml/sourcemap';
import { lastStartingAtOrBefore } from '../util/search';
import { columnOf } from '../model/step-edits';

export interface PathStep {
  node: YNode;
  /** How this node is reached from its parent: a mapping key or a list index. */
  key?: string;
  index?: number;
  pair?: YPair;
}

export interface Location {
  /** From the root down to the deepest node holding the offset. */
  chain: PathStep[];
  /** Set when the offset is on a key: the pair of that key. */
  onKey?: YPair;
}

/** The nodes holding `offset` (ends count as inside, so a cursor right after a value is on it). */
export function locate(doc: TsqDocument, offset: number): Location {
  const chain: PathStep[] = [];
  let node: YNode | null = doc.yaml.root;
  let step: PathStep | undefined = node ? { node } : undefined;
  while (node && step) {
    chain.push(step);
    step = undefined;
    if (node.kind === 'map') {
      const pair = lastPairAtOrBefore(node, offset);
      if (!pair) break;
      if (offset >= pair.key.start && offset <= pair.key.end && pair.key.kind === 'scalar')
        return { chain, onKey: pair };
      if (offset >= pair.value.start && offset <= pair.value.end) {
        step = { node: pair.value, key: pair.key.kind === 'scalar' ? pair.key.text : undefined, pair };
        node = pair.value;
      }
    } else if (node.kind === 'seq') {
      const i = lastStartingAtOrBefore(node.items, offset);
      const item = i >= 0 ? node.items[i] : undefined;
      if (item && offset <= item.end) {
        step = { node: item, index: i };
        node = item;
      }
    }
  }
  return { chain };
}

/** The last pair of `map` that starts at or before `offset`. */
function lastPairAtOrBefore(map: YMap, offset: number): YPair | undefined {
  const i = lastPairNumberAtOrBefore(map.pairs, offset);
  return i >= 0 ? pairAt(map.pairs, i) : undefined;
}

/** The keys and indexes from the root to the last node of `chain` (for schema lookups). */
export function pathOf(chain: readonly PathStep[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const s of chain.slice(1)) out.push(s.key ?? s.index ?? '');
  return out;
}

/** The deepest scalar holding the offset (a value, or the key when on a key). */
export function scalarAt(loc: Location): YScalar | undefined {
  if (loc.onKey) return loc.onKey.key.kind === 'scalar' ? loc.onKey.key : undefined;
  const last = loc.chain[loc.chain.length - 1]?.node;
  return last?.kind === 'scalar' ? last : undefined;
}

/** The innermost group or step whose mapping holds `offset`. */
export function seqNodeAt(doc: TsqDocument, offset: number): SeqNode | undefined {
  if (doc.kind !== 'sequence' || !doc.model) return undefined;
  let list = (doc.model as SequenceModel).steps;
  let found: SeqNode | undefined;
  for (;;) {
    let lo = 0,
      hi = list.length - 1,
      i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].span.start <= offset) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const n = i >= 0 ? list[i] : undefined;
    if (!n || offset > n.span.end) return found;
    found = n;
    if (n.kind !== 'group') return found;
    list = n.steps;
  }
}

export { columnOf };

/** Index into the decoded text of `scalar` for a file offset (the nearest character at or before it). */
export function decodedIndex(doc: TsqDocument, scalar: YScalar, offset: number): number {
  const offsets = scalarOffsets(doc.text, scalar);
  let i = 0;
  while (i + 1 < offsets.length && offsets[i + 1] <= offset) i++;
  return offset >= offsets[offsets.length - 1] ? offsets.length - 1 : i;
}

// ---------------------------------------------------------------- lines being typed

export interface TypingLine {
  /** Offset where the line starts. */
  lineStart: number;
  /** Text of the line before the cursor. */
  before: string;
  /** Column where the line's key (or list entry's content) starts. */
  column: number;
  /** The line starts with `- ` (a new list entry). */
  dash: boolean;
  /** The word typed so far at a key position, when the line holds only that. */
  partialKey?: string;
  /** For `key: value` lines: the key and where the value starts. */
  key?: string;
  valueStart?: number;
}

/** Reads the line the cursor is on, as far as the cursor. */
export function typingLine(text: string, offset: number): TypingLine {
  let lineStart = offset;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  const before = text.slice(lineStart, offset);
  // `s`: the line may hold U+2028 or U+2029, which editors do not break lines at but `.` stops at.
  const m = /^(\s*)(-\s+)?(.*)$/s.exec(before)!;
  const column = m[1].length + (m[2]?.length ?? 0);
  const rest = m[3];
  const out: TypingLine = { lineStart, before, column, dash: !!m[2] };
  const kv = /^("[^"]*"|'[^']*'|[^\s#:][^:#]*?)\s*:(\s+|$)/.exec(rest);
  if (kv && kv[2] !== '') {
    out.key = kv[1].replace(/^["']|["']$/g, '');
    out.valueStart = lineStart + column + kv[0].length;
  } else if (/^[A-Za-z_][\w-]*$|^$/.test(rest)) {
    out.partialKey = rest;
  }
  return out;
}

/**
 * The block mapping a key typed at `column` on the cursor's line belongs to: the deepest mapping
 * at that column among the nodes that start before the line. With `dash`, the list at the dash's
 * column instead (a new entry of it).
 */
export function containerAt(
  doc: TsqDocument,
  lineStart: number,
  column: number,
  dash: boolean,
  dashColumn: number,
): { node: YMap | YSeq | undefined; chain: PathStep[] } {
  const chain: PathStep[] = [];
  let node: YNode | null = doc.yaml.root;
  let step: PathStep | undefined = node ? { node } : undefined;
  let best: { node: YMap | YSeq; chain: PathStep[] } | undefined;
  const col = (n: YNode) => columnOf(doc.text, n.start);
  while (node && step) {
    chain.push(step);
    step = undefined;
    if (node.kind === 'map' && !node.flow) {
      if (!dash && col(node) === column) best = { node, chain: [...chain] };
      const pair = lastPairAtOrBefore(node, lineStart - 1);
      if (
        pair &&
        (pair.value.kind === 'map' || pair.value.kind === 'seq') &&
        !pair.value.flow &&
        pair.value.start < lineStart
      ) {
        step = { node: pair.value, key: pair.key.kind === 'scalar' ? pair.key.text : undefined, pair };
        node = pair.value;
      }
    } else if (node.kind === 'seq' && !node.flow) {
      if (dash && col(node) === dashColumn) best = { node, chain: [...chain] };
      const i = lastStartingAtOrBefore(node.items, lineStart - 1);
      const item = i >= 0 ? node.items[i] : undefined;
      if (item && (item.kind === 'map' || item.kind === 'seq') && !item.flow) {
        step = { node: item, index: i };
        node = item;
      }
    }
  }
  return best ?? { node: undefined, chain: [] };
}
