// Where task sequence variables are written and read in a file, with exact source positions.
// Writes: the sequence's `variables:`, Set Task Sequence Variable, Set Dynamic Variables rules,
// output variables of Run Command Line / Run PowerShell Script, drive-letter variables of Format
// and Partition Disk, Download Package Content's base variable; machine and collection variables.
// Reads: `%Name%` inside step options and conditions. Rules (read-only and undefined variables)
// and editor features (completion, go to definition, references, rename) use the same lists.

import type { TsqDocument } from '../model/document';
import type { SequenceModel, SeqNode, StepNode, StepOption } from '../model/sequence';
import { option } from '../model/sequence';
import type { MachineModel } from '../model/machine';
import type { SiteCatalogModel } from '../model/site-catalog';
import { firstValueOf, keyEndAt, keyStartAt, keyTextAt, pairCount, valueAt, type YNode } from '../model/yaml/nodes';
import { effectivePairs, resolve } from '../model/yaml/expand';
import { scalarOffsets, scalarSpan, scalarSpans, type ScalarSpans } from '../model/yaml/sourcemap';
import { eachConditionVariable } from './condition-facts';
import { internVariableName } from './variable-names';
import { keepsFactsPerNode, moveSpan, perNode, perNodeValue } from './node-cache';
import { movePackedReads, packReads, unpackReads, type PackedReads, type VariableRead } from './packed-reads';
import { sequenceNodes } from './sequence-nodes';

export type WriteKind =
  | 'sequence-variables'
  | 'set-step'
  | 'dynamic-rule'
  | 'output'
  | 'drive-letter'
  | 'download-base'
  | 'machine'
  | 'collection';

export interface VariableWrite {
  name: string;
  /** Span of the name as written. */
  start: number;
  end: number;
  kind: WriteKind;
  /** Offset from which the variable holds its value: later steps may read it. */
  effectiveFrom: number;
  step?: StepNode;
  /** For `download-base`: the variable is a prefix (`BASE01`, `BASE02`, ...). */
  prefix?: boolean;
}

export type { VariableRead };

const VAR_REF = /%([A-Za-z0-9_-]+)%/g;

/** Every write of a variable in `doc`, in document order. */
export function variableWrites(doc: TsqDocument): VariableWrite[] {
  const out: VariableWrite[] = [];
  eachVariableWrite(doc, (w) => out.push(w));
  return out;
}

/** Calls `visit` with every write of a variable in `doc`, in document order, without listing them all first. */
export function eachVariableWrite(doc: TsqDocument, visit: (w: VariableWrite) => void): void {
  if (doc.kind === 'sequence' && doc.model) {
    const model = doc.model as SequenceModel;
    for (const v of model.variables)
      visit({
        name: v.name,
        start: v.nameSpan.start,
        end: v.nameSpan.end,
        kind: 'sequence-variables',
        effectiveFrom: 0,
      });
    const nodes = sequenceNodes(model);
    const keep = keepsFactsPerNode(model);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (node.kind !== 'step') continue;
      const writes = keep ? stepVariableWrites(doc, node) : stepWrites(doc, node);
      for (let w = 0; w < writes.length; w++) visit(writes[w]);
    }
  } else if (doc.kind === 'machine' && doc.model) {
    for (const v of (doc.model as MachineModel).variables)
      visit({ name: v.name, start: v.span.start, end: v.span.end, kind: 'machine', effectiveFrom: 0 });
  } else if (doc.kind === 'catalog' && doc.model) {
    for (const c of (doc.model as SiteCatalogModel).collections) {
      const m = resolve(firstValueOf(effectivePairs(c.node, doc.budget), 'variables'), doc.budget);
      if (m && m.kind === 'map') {
        const pairs = effectivePairs(m, doc.budget);
        for (let i = 0, n = pairCount(pairs); i < n; i++) {
          const name = keyTextAt(pairs, i);
          if (name !== undefined)
            visit({
              name,
              start: keyStartAt(pairs, i),
              end: keyEndAt(pairs, i),
              kind: 'collection',
              effectiveFrom: 0,
            });
        }
      }
    }
  }
}

/** The variables one step writes (memoised per step; do not modify or keep the result). */
export function stepVariableWrites(doc: TsqDocument, step: StepNode): readonly VariableWrite[] {
  return writesOfStep(step, () => stepWrites(doc, step));
}

const writesOfStep = perNode<VariableWrite>((w, delta) => {
  moveSpan(w, delta);
  w.effectiveFrom += delta;
});

/** What a step that writes no variable gives (never added to: a step with writes gets a list of its own). */
const NO_WRITES: VariableWrite[] = [];

/**
 * The variables one step writes (each from the end of the step on). Asked of every step of a file
 * by the check before a run, and four in five steps write nothing: the list and the step's span
 * (a new object, read from its YAML mapping, a node the other readers of the step do not touch)
 * are made only for a step that writes (docs/performance.md, "The check's reads of each step").
 */
function stepWrites(doc: TsqDocument, node: StepNode): VariableWrite[] {
  let out = NO_WRITES;
  const add = (w: VariableWrite) => {
    if (out === NO_WRITES) out = [];
    out.push(w);
  };
  if (node.action === 'SetTaskSequenceVariable') {
    const o = literal(node, 'variable');
    if (o)
      add({
        name: String(o.value).trim(),
        start: o.node.start,
        end: o.node.end,
        kind: 'set-step',
        effectiveFrom: node.span.end,
        step: node,
      });
  }
  const outVar = literal(node, 'outputVariable');
  if (outVar)
    add({
      name: String(outVar.value).trim(),
      start: outVar.node.start,
      end: outVar.node.end,
      kind: 'output',
      effectiveFrom: node.span.end,
      step: node,
    });
  if (node.action === 'DownloadPackageContent') {
    const o = literal(node, 'destinationVariable');
    if (o)
      add({
        name: String(o.value).trim(),
        start: o.node.start,
        end: o.node.end,
        kind: 'download-base',
        effectiveFrom: node.span.end,
        step: node,
        prefix: true,
      });
  }
  if (node.action === 'FormatAndPartitionDisk') {
    const parts = option(node, 'partitions');
    const list = parts && resolve(parts.node, doc.budget);
    if (list && list.kind === 'seq') {
      for (const item of list.items) {
        const m = resolve(item, doc.budget);
        if (!m || m.kind !== 'map') continue;
        const v = resolve(firstValueOf(effectivePairs(m, doc.budget), 'volumeLetterVariable'), doc.budget);
        if (v && v.kind === 'scalar' && v.value !== null && v.text.trim())
          add({
            name: v.text.trim(),
            start: v.start,
            end: v.end,
            kind: 'drive-letter',
            effectiveFrom: node.span.end,
            step: node,
          });
      }
    }
  }
  if (node.action === 'SetDynamicVariables') {
    const rules = option(node, 'rules');
    if (rules)
      for (const w of namesInRules(doc, rules.node))
        add({ ...w, kind: 'dynamic-rule', effectiveFrom: node.span.end, step: node });
  }
  return out;
}

/** The option `name` of a step when it names a variable as it is (text, without `%`). */
function literal(node: StepNode, name: string): StepOption | undefined {
  const o = option(node, name);
  return o && typeof o.value === 'string' && o.value.trim() && o.value.indexOf('%') < 0 ? o : undefined;
}

/**
 * Variable names a Set Dynamic Variables `rules:` value assigns: the keys of each rule's
 * `variables:` in the list form; the `Name` of each `<Variable>` in the XML text form.
 */
function namesInRules(doc: TsqDocument, root: YNode): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  const node = resolve(root, doc.budget);
  if (node?.kind === 'scalar' && typeof node.value === 'string') {
    let offsets: number[] | undefined;
    for (const m of node.text.matchAll(XML_VARIABLE_NAME)) {
      const from = m.index! + m[0].length - m[2].length - 1;
      offsets ??= scalarOffsets(doc.text, node);
      out.push({ name: m[2], ...scalarSpan(doc.text, node, from, from + m[2].length, offsets) });
    }
    return out;
  }
  if (node?.kind !== 'seq') return out;
  for (const item of node.items) {
    const rule = resolve(item, doc.budget);
    if (rule?.kind !== 'map') continue;
    const map = resolve(firstValueOf(effectivePairs(rule, doc.budget), 'variables'), doc.budget);
    if (map?.kind !== 'map') continue;
    const pairs = effectivePairs(map, doc.budget);
    for (let i = 0, n = pairCount(pairs); i < n; i++) {
      const name = keyTextAt(pairs, i);
      if (name !== undefined) out.push({ name, start: keyStartAt(pairs, i), end: keyEndAt(pairs, i) });
    }
  }
  return out;
}

/** `<Variable ... Name="X"` in the XML form of the rules (names with entities are left out). */
const XML_VARIABLE_NAME = /<Variable\b[^>]*?\bName\s*=\s*(["'])([A-Za-z0-9_-]+)\1/g;

/** Every `%Name%` read in step options and every variable a condition tests, in document order. */
export function variableReads(doc: TsqDocument): VariableRead[] {
  if (doc.kind !== 'sequence' || !doc.model) return [];
  const out: VariableRead[] = [];
  const nodes = sequenceNodes(doc.model as SequenceModel);
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n];
    for (const r of nodeVariableReads(doc, node)) out.push(r);
  }
  return out;
}

/**
 * What one group or step reads. Kept per node, packed (packed-reads.ts), once its model has been
 * edited in place (node-cache.ts's `keepsFactsPerNode`); made anew for a model never edited.
 */
export function nodeVariableReads(doc: TsqDocument, node: SeqNode): readonly VariableRead[] {
  const model = doc.model as SequenceModel | undefined;
  if (!model || !keepsFactsPerNode(model)) return nodeReads(doc, node);
  const packed = readsOfNode(node, () => packReads(nodeReads(doc, node)));
  return packed ? unpackReads(packed, node) : NO_READS;
}

const readsOfNode = perNodeValue<PackedReads | undefined>(
  (packed, delta) => movePackedReads(packed!, delta),
  (packed) => packed === undefined,
);
const NO_READS: readonly VariableRead[] = Object.freeze([]);

/** What one group or step reads: its condition's variables, then `%Name%` in its options. */
function nodeReads(doc: TsqDocument, node: SeqNode): VariableRead[] {
  const out: VariableRead[] = [];
  if (node.when) {
    // One map from the condition's text to the file for all its variables (a long condition names many).
    let spans: ScalarSpans | undefined;
    const when = node.when;
    eachConditionVariable(when.text, (name, start, end) => {
      spans ??= scalarSpans(doc.text, when.node);
      const span = spans(start, end);
      out.push({ name, start: span.start, end: span.end, inCondition: true, node });
    });
  }
  if (node.kind === 'step') for (const opt of node.options) collectPercentRefs(doc, opt.node, node, out, 0);
  return out;
}

function collectPercentRefs(doc: TsqDocument, n: YNode, step: SeqNode, out: VariableRead[], depth: number): void {
  const node = resolve(n, doc.budget);
  if (!node || depth > 50) return;
  if (node.kind === 'seq') for (const it of node.items) collectPercentRefs(doc, it, step, out, depth + 1);
  else if (node.kind === 'map') {
    const pairs = effectivePairs(node, doc.budget);
    for (let i = 0, n = pairCount(pairs); i < n; i++) collectPercentRefs(doc, valueAt(pairs, i), step, out, depth + 1);
  } else if (node.kind === 'scalar' && typeof node.value === 'string' && node.text.includes('%')) {
    let spans: ScalarSpans | undefined;
    VAR_REF.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = VAR_REF.exec(node.text))) {
      spans ??= scalarSpans(doc.text, node);
      const span = spans(m.index, m.index + m[0].length);
      out.push({ name: internVariableName(m[1]), start: span.start, end: span.end, inCondition: false, node: step });
    }
  }
}
