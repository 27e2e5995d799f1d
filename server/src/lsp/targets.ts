// What the thing under the cursor is, for hover, go to definition, find references and rename:
// a variable (read as `%Name%` or in a condition, or written), a reference to site content, a
// catalog entry, a child sequence, an action, a step option, a step id, a machine outcome, a word
// of the condition language, or a key with a schema description.

import type { TsqDocument } from '../model/document';
import { option, type SeqNode, type SequenceModel, type StepNode } from '../model/sequence';
import type { CatalogEntry, CollectionEntry, SiteCatalogModel } from '../model/site-catalog';
import type { MachineModel } from '../model/machine';
import type { DeploymentModel } from '../model/deployment';
import type { MediaModel } from '../model/media';
import type { YMap } from '../model/yaml/nodes';
import type { Span } from '../model/text';
import { findStep, type ReferenceKind, type StepDefinition, type StepProperty } from '../catalog';
import {
  argumentAt,
  conditionFunctions,
  comparisonOperators,
  keywords,
  tokenize,
  type ArgumentSpot,
} from '../conditions';
import { nodeVariableReads, stepVariableWrites, variableWrites } from '../semantics/variable-flow';
import { stepSiteReferences } from '../semantics/references';
import { RUN_TASK_SEQUENCE } from '../semantics/children';
import type { ResolvedFile } from '../semantics/workspace';
import { scalarOffsets } from '../model/yaml/sourcemap';
import { decodedIndex, locate, seqNodeAt } from './context';
import { descriptionOf, expand, schemaOf, schemasIn, type Schema } from './schema-nav';
import type { FileEntry } from './projects';

export type Target = Span &
  (
    | { kind: 'variable'; name: string; /** The name itself, without `%`. */ nameSpan: Span; write: boolean }
    | { kind: 'reference'; ref: ReferenceKind; id: string }
    | { kind: 'catalog-entry'; entry: CatalogEntry }
    | { kind: 'collection'; collection: CollectionEntry }
    | { kind: 'collection-ref'; id: string }
    | { kind: 'child'; ref: string; target: ResolvedFile & { byPackageId?: boolean } }
    | { kind: 'action'; def?: StepDefinition; name: string }
    | { kind: 'option'; def: StepDefinition; prop: StepProperty }
    | { kind: 'option-value'; def: StepDefinition; prop: StepProperty; value: string }
    | { kind: 'step-id'; node: SeqNode; id: string }
    | { kind: 'outcome'; name: string }
    | { kind: 'condition-word'; word: string; summary: string; signature?: string }
    | { kind: 'condition-argument'; spot: ArgumentSpot }
    | { kind: 'key'; name: string; description?: string }
  );

const within = (s: Span | undefined, offset: number): s is Span => !!s && s.start <= offset && offset <= s.end;

export function targetAt(entry: FileEntry, offset: number): Target | undefined {
  const doc = entry.doc;
  switch (doc.kind) {
    case 'sequence':
      return inSequence(entry, offset) ?? keyTarget(doc, offset);
    case 'catalog':
      return inCatalog(doc, offset) ?? keyTarget(doc, offset);
    case 'machine':
      return inMachine(doc, offset) ?? keyTarget(doc, offset);
    case 'deployment':
    case 'media':
      return inDeploymentOrMedia(entry, offset) ?? keyTarget(doc, offset);
    default:
      return undefined;
  }
}

function variableTarget(name: string, span: Span, write: boolean, doc: TsqDocument): Target {
  const text = doc.text.slice(span.start, span.end);
  let nameSpan = span;
  const at = text.indexOf(name);
  if (at >= 0) nameSpan = { start: span.start + at, end: span.start + at + name.length };
  return { kind: 'variable', name, nameSpan, write, start: span.start, end: span.end };
}

function inSequence(entry: FileEntry, offset: number): Target | undefined {
  const doc = entry.doc;
  const model = doc.model as SequenceModel | undefined;
  if (!model) return undefined;
  for (const v of model.variables) if (within(v.nameSpan, offset)) return variableTarget(v.name, v.nameSpan, true, doc);
  if (model.bootImage && within(model.bootImage.span, offset))
    return { kind: 'reference', ref: 'bootImage', id: model.bootImage.value.trim(), ...model.bootImage.span };
  const node = seqNodeAt(doc, offset);
  if (!node) return undefined;
  for (const r of nodeVariableReads(doc, node)) if (within(r, offset)) return variableTarget(r.name, r, false, doc);
  if (node.id && within(node.id.span, offset)) return { kind: 'step-id', node, id: node.id.value, ...node.id.span };
  if (node.when && within(node.when.span, offset)) {
    const word = conditionWord(doc, node.when.node, offset);
    if (word) return word;
  }
  if (node.kind !== 'step') return undefined;
  for (const w of stepVariableWrites(doc, node)) if (within(w, offset)) return variableTarget(w.name, w, true, doc);
  for (const r of stepSiteReferences(node))
    if (within(r.span, offset))
      return { kind: 'reference', ref: r.kind, id: r.id, start: r.span.start, end: r.span.end };
  if (node.action === RUN_TASK_SEQUENCE) {
    const o = option(node, 'sequence');
    if (o && within(o.span, offset) && (typeof o.value === 'string' || typeof o.value === 'number')) {
      const ref = String(o.value).trim();
      return { kind: 'child', ref, target: entry.project.ws.resolveChild(doc.id, ref), ...o.span };
    }
  }
  const def = findStep(node.action);
  if (!node.shorthand && node.actionSpan && within(node.actionSpan, offset))
    return { kind: 'action', def, name: node.action, ...node.actionSpan };
  if (def) {
    for (const o of node.options) {
      const prop = def.properties.find((p) => p.name === o.name);
      if (!prop) continue;
      if (!o.fromShorthand && within(o.keySpan, offset)) return { kind: 'option', def, prop, ...o.keySpan };
      if (within(o.span, offset) && prop.enum && typeof o.value === 'string')
        return { kind: 'option-value', def, prop, value: o.value, ...o.span };
    }
  }
  return undefined;
}

/** A function, operator or keyword of the condition under the cursor (variables are reads). */
function conditionWord(
  doc: TsqDocument,
  scalar: NonNullable<SeqNode['when']>['node'],
  offset: number,
): Target | undefined {
  const i = decodedIndex(doc, scalar, offset);
  const tokens = tokenize(scalar.text);
  const t = tokens.find((x) => x.kind !== 'eof' && x.start <= i && i <= x.end);
  if (!t) return undefined;
  const offsets = scalarOffsets(doc.text, scalar);
  const span = {
    start: offsets[Math.min(t.start, offsets.length - 1)],
    end: offsets[Math.min(t.end, offsets.length - 1)],
  };
  if (t.kind === 'word') {
    const next = tokens[tokens.indexOf(t) + 1];
    const fn = conditionFunctions.find((f) => f.name.toLowerCase() === t.text.toLowerCase());
    if (fn && next?.kind === 'lparen')
      return {
        kind: 'condition-word',
        word: fn.name,
        summary: `${fn.summary} (ConfigMgr: ${fn.configMgr})`,
        signature: fn.signature,
        ...span,
      };
    const kw = keywords.find((k) => k.word === t.text.toLowerCase());
    if (kw) return { kind: 'condition-word', word: kw.word, summary: kw.summary, ...span };
  }
  if (t.kind === 'op') {
    const op = comparisonOperators.find((o) => o.symbol === t.text);
    if (op) return { kind: 'condition-word', word: op.symbol, summary: op.summary, ...span };
  }
  if (t.kind === 'string' || t.kind === 'word') {
    const spot = argumentAt(tokens, t.end);
    if (spot && (spot.help || spot.option)) return { kind: 'condition-argument', spot, ...span };
  }
  return undefined;
}

function inCatalog(doc: TsqDocument, offset: number): Target | undefined {
  const model = doc.model as SiteCatalogModel | undefined;
  if (!model) return undefined;
  for (const e of model.entries) if (within(e.idSpan, offset)) return { kind: 'catalog-entry', entry: e, ...e.idSpan };
  for (const c of model.collections)
    if (within(c.idSpan, offset)) return { kind: 'collection', collection: c, ...c.idSpan };
  for (const w of variableWrites(doc)) if (within(w, offset)) return variableTarget(w.name, w, true, doc);
  return undefined;
}

function inMachine(doc: TsqDocument, offset: number): Target | undefined {
  const model = doc.model as MachineModel | undefined;
  if (!model) return undefined;
  for (const v of model.variables) if (within(v.span, offset)) return variableTarget(v.name, v.span, true, doc);
  for (const o of model.outcomes)
    if (within(o.targetSpan, offset)) return { kind: 'outcome', name: o.target, ...o.targetSpan };
  return undefined;
}

function inDeploymentOrMedia(entry: FileEntry, offset: number): Target | undefined {
  const doc = entry.doc;
  const model = doc.model as DeploymentModel | MediaModel | undefined;
  if (!model) return undefined;
  if (model.sequence && within(model.sequence.span, offset)) {
    const ref = model.sequence.value.trim();
    return { kind: 'child', ref, target: entry.project.ws.resolveChild(doc.id, ref), ...model.sequence.span };
  }
  if (model.kind === 'deployment' && model.collection && within(model.collection.span, offset))
    return { kind: 'collection-ref', id: model.collection.value.trim(), ...model.collection.span };
  if (model.kind === 'media' && model.bootImage && within(model.bootImage.span, offset))
    return { kind: 'reference', ref: 'bootImage', id: model.bootImage.value.trim(), ...model.bootImage.span };
  return undefined;
}

/** A key, described by its file kind's schema (groups and steps by their own definitions). */
function keyTarget(doc: TsqDocument, offset: number): Target | undefined {
  const loc = locate(doc, offset);
  const pair = loc.onKey;
  if (!pair || pair.key.kind !== 'scalar' || !doc.kind) return undefined;
  const schema = schemaOf(doc.kind);
  if (!schema) return undefined;
  const name = pair.key.text;
  const map = loc.chain[loc.chain.length - 1].node as YMap;
  let schemas: Schema[];
  const node = doc.kind === 'sequence' ? seqNodeAt(doc, offset) : undefined;
  if (node && node.node === map) {
    const defs = schema.definitions as Record<string, Schema>;
    const def = node.kind === 'group' ? defs.group : defs.step;
    schemas = expand(schema, (def.properties as Record<string, unknown>)[name]);
  } else {
    schemas = schemasIn(doc, loc.chain, [name]);
  }
  return { kind: 'key', name, description: descriptionOf(schemas), start: pair.key.start, end: pair.key.end };
}

/** Step nodes of a sequence whose `id` or name is `name` (machine outcomes address steps so). */
export function stepsNamed(doc: TsqDocument, name: string): StepNode[] | SeqNode[] {
  const model = doc.model as SequenceModel | undefined;
  if (!model) return [];
  const out: SeqNode[] = [];
  const visit = (list: SeqNode[]) => {
    for (const n of list) {
      if (n.id?.value === name || n.name === name) out.push(n);
      if (n.kind === 'group') visit(n.steps);
    }
  };
  visit(model.steps);
  return out;
}
