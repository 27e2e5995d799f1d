// Export of a `sequence:` file to the `<sequence>` document ConfigMgr reads: groups and steps in
// order, each step through the shared step writer, conditions through the condition model,
// `variables:` as `<globalVarList>`, and a `<referenceList>` rebuilt from the steps. Passwords are
// never written; what export had to leave out or rebuild is reported.

import type { TsqDocument } from '../../model/document';
import type { GroupNode, SequenceModel, SeqNode } from '../../model/sequence';
import { pathOf, walk } from '../../model/sequence';
import { allSteps } from '../../catalog';
import type { StepProperty } from '../../catalog/types';
import { parseCondition, toConfigMgr } from '../../conditions';
import type { Workspace } from '../../semantics/workspace';
import { childGraph } from '../../semantics/child-graph';
import { InteropError } from '../errors';
import { conditionToXml } from '../condition-xml';
import { Report } from '../report';
import { element, text, type XmlElement } from '../xml/tree';
import { ChildStream, type WriteXmlOptions } from '../xml/write';
import { readNodeXml, readSequenceXml } from './nodexml';
import { stepData } from './step-data';
import { refuseUnexportable } from '../exportable';
import type { ChildInfo, NodeXml, StepContext } from '../steps/stepdata';
import { ReferenceCollector, type ReferenceEntry } from '../steps/references';
import { rawElement, withAttributes, writeStep } from '../steps/write-step';

export const CONFIGMGR_SEQUENCE_VERSION = '3.10';

/** The WMI property a sequence variable maps to: the step setting that reads it, else its own name. */
let propertyByVariable: Map<string, string> | undefined;
export function globalVariableProperty(name: string): string {
  if (!propertyByVariable) {
    const m = new Map<string, string>();
    const seen = new Map<string, Set<string>>();
    const note = (v: string | undefined, p: StepProperty) => {
      if (!v || v.includes('{n}')) return;
      const k = v.toLowerCase();
      if (!seen.has(k)) seen.set(k, new Set());
      seen.get(k)!.add(p.xmlProperty);
    };
    for (const s of allSteps()) for (const p of s.properties) note(p.xmlVariable, p);
    // Only unambiguous names: a variable two steps read under different WMI names keeps its own name.
    for (const [k, props] of seen) if (props.size === 1) m.set(k, [...props][0]);
    propertyByVariable = m;
  }
  return propertyByVariable.get(name.toLowerCase()) ?? name;
}

/** Resolves child sequences through the workspace, for Run Task Sequence steps. */
export function workspaceContext(ws: Workspace, doc: TsqDocument): StepContext {
  const cache = new Map<string, ChildInfo | undefined>();
  return {
    child(ref) {
      if (cache.has(ref)) return cache.get(ref);
      let info: ChildInfo | undefined;
      const target = ws.resolveChild(doc.id, ref);
      if (target.doc?.refused) {
        const why = target.doc.problems[0];
        throw new InteropError(`${doc.id}: the child sequence \`${ref}\` cannot be read: ${why.message.replace(/^This( file)? /, 'it ')}`, why.hint);
      }
      const model = target.doc?.kind === 'sequence' ? (target.doc.model as SequenceModel | undefined) : undefined;
      if (model) {
        const refs = childReferences(ws, target.doc!);
        info = { packageId: model.packageId?.value, name: model.name, applications: refs?.applications, packages: refs?.packages };
      } else if (target.byPackageId) {
        info = { packageId: ref, name: ws.catalog.lookup('childSequence', ref)?.name };
      }
      cache.set(ref, info);
      return info;
    },
  };
}

interface ChildReferences {
  applications: string[];
  packages: string[];
}

const referenceMemo = new WeakMap<Workspace, { generation: number; byDoc: Map<string, ChildReferences> }>();

/**
 * The objects a child sequence references, its own children's included (what ConfigMgr lists in
 * TsReferenceApplications / TsReferencePackages), or undefined for a child in a loop (A runs B runs
 * A: lint reports it; here it only means the references are unknown). Each sequence's list is made
 * once per workspace revision, children before parents, so a chain or a lattice of thousands of
 * children costs one pass rather than one pass per path through it.
 */
function childReferences(ws: Workspace, child: TsqDocument): ChildReferences | undefined {
  const graph = childGraph(ws);
  const start = graph.nodeOf(child);
  if (start === undefined || graph.docs[start] !== child || graph.inLoop(start)) return undefined;
  let memo = referenceMemo.get(ws);
  if (!memo || memo.generation !== ws.generation) referenceMemo.set(ws, (memo = { generation: ws.generation, byDoc: new Map() }));
  const known = memo.byDoc;
  if (known.has(child.id)) return known.get(child.id);
  // Children first, without recursion (a chain of thousands of files is a deep stack).
  const stack: { node: number; expanded: boolean }[] = [{ node: start, expanded: false }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const d = graph.docs[top.node];
    if (known.has(d.id)) { stack.pop(); continue; }
    if (!top.expanded) {
      top.expanded = true;
      graph.calls[top.node].forEach((_, i) => {
        const next = graph.targetOf(top.node, i);
        graph.work++;
        if (next >= 0 && !graph.inLoop(next) && !known.has(graph.docs[next].id)) stack.push({ node: next, expanded: false });
      });
      continue;
    }
    stack.pop();
    known.set(d.id, ownReferences(ws, d, d.model as SequenceModel));
  }
  return known.get(child.id);
}

/** The references of one sequence's steps, its children's lists (already known) included. */
function ownReferences(ws: Workspace, doc: TsqDocument, model: SequenceModel): ChildReferences {
  const ctx = workspaceContext(ws, doc);
  const collector = new ReferenceCollector();
  for (const node of walk(model.steps)) {
    if (node.kind !== 'step') continue;
    const data = stepData(node, []);
    if (!data.def) continue;
    const written = writeStep(data, undefined, ctx, node.name);
    collector.addStep(data, written.variables, ctx);
  }
  const applications: string[] = [], packages: string[] = [];
  for (const e of collector.entries) {
    if (e.application !== undefined) applications.push(e.application);
    else if (e.package) packages.push(e.package);
  }
  return { applications, packages };
}

export interface SequenceXmlResult {
  root: XmlElement;
  report: Report;
  /** The rebuilt referenceList (with the kind each step gives). */
  references: ReferenceEntry[];
}

/** Builds the `<sequence>` element of a parsed sequence file. Throws InteropError when it cannot. */
export function sequenceToXml(doc: TsqDocument, ws: Workspace, report = new Report()): SequenceXmlResult {
  const body: XmlElement[] = [];
  const parts = sequenceParts(doc, ws, report, (e) => body.push(e));
  return { root: { kind: 'element', name: 'sequence', attrs: parts.attrs, children: [...parts.before, ...body, ...parts.after] }, report, references: parts.references };
}

/**
 * The XML of a parsed sequence file as bytes: what `writeXmlBytes(sequenceToXml(...).root)`
 * gives, with the same refusals, but each top-level group is written as soon as it is built and
 * then let go, so the element tree of a long sequence never exists whole.
 */
export function sequenceXmlBytes(doc: TsqDocument, ws: Workspace, options: WriteXmlOptions = {}, report = new Report()): { bytes: Buffer; report: Report; references: ReferenceEntry[] } {
  const body = new ChildStream(options);
  const parts = sequenceParts(doc, ws, report, (e) => body.add(e));
  return { bytes: body.finish('sequence', parts.attrs, parts.before, parts.after), report, references: parts.references };
}

/**
 * The parts of `<sequence>`: its attributes, the elements before the steps (reference list,
 * sequence variables, rebuilt from the steps), the kept elements after them, and the steps,
 * handed to `body` one top-level group or step at a time.
 */
function sequenceParts(doc: TsqDocument, ws: Workspace, report: Report, body: (e: XmlElement) => void): { attrs: Record<string, string>; before: XmlElement[]; after: XmlElement[]; references: ReferenceEntry[] } {
  const model = doc.model as SequenceModel | undefined;
  if (doc.kind !== 'sequence' || !model) throw new InteropError(`${doc.id} is not a sequence file.`, 'Export a file that starts with `sequence:`.');
  // What lint reports as errors, export refuses, in the same words (../exportable.ts).
  refuseUnexportable(ws, doc);
  const where = doc.id;
  const problems: string[] = [];
  const seqXml = readSequenceXml(model.configMgr, problems);
  for (const p of problems) report.warn(where, p);
  const ctx = workspaceContext(ws, doc);
  const refs = new ReferenceCollector();
  for (const n of model.steps) body(nodeToXml(n, ctx, refs, report, where));
  for (const r of seqXml.references ?? []) refs.add(r);

  const notListed = new Set((seqXml.notListed ?? []).map((r) => (r.application !== undefined ? `a:${r.application.toLowerCase()}` : `p:${(r.package ?? '').toUpperCase()}`)));
  const listed = refs.entries.filter((r) => !notListed.has(r.application !== undefined ? `a:${r.application.toLowerCase()}` : `p:${(r.package ?? '').toUpperCase()}`));
  const before: XmlElement[] = [];
  if (listed.length) {
    before.push(element('referenceList', {}, listed.map((r) => element('reference', r.application !== undefined ? { application: r.application } : { package: r.package, program: r.program }))));
  }
  if (model.variables.length) {
    const props = seqXml.variableProperties ?? {};
    const propertyOf = (name: string) => (Object.prototype.hasOwnProperty.call(props, name) ? props[name] ?? undefined : globalVariableProperty(name));
    before.push(element('globalVarList', {}, model.variables.map((v) => element('variable', { name: v.name, property: propertyOf(v.name) }, v.value === '' ? [] : [text(v.value)]))));
  }
  const after: XmlElement[] = [];
  for (const [i, e] of (seqXml.elements ?? []).entries()) after.push(rawElement(e, `Kept element ${i + 1} of the sequence`));
  const attrs = withAttributes([
    ['version', seqXml.version ?? CONFIGMGR_SEQUENCE_VERSION],
    ['name', seqXml.nameOnRoot ? model.name : undefined],
    ['description', seqXml.nameOnRoot ? model.description ?? '' : undefined],
  ], seqXml.attributes);
  return { attrs, before, after, references: listed };
}

/** The `<condition>` of a group or step: its `when:`, else a condition kept verbatim in its `xml:`. */
function conditionOf(node: SeqNode, xml: NodeXml, where: () => string): XmlElement | undefined {
  if (node.when) {
    const parsed = parseCondition(node.when.text);
    if (!parsed.ast) {
      const e = parsed.errors[0];
      throw new InteropError(`${where()}: the \`when:\` condition has an error: ${e?.message ?? 'unreadable'}.`, 'Fix it (tsq lint shows where), then export again.');
    }
    return conditionToXml(toConfigMgr(parsed.ast));
  }
  if (xml.condition !== undefined) return rawElement(xml.condition, `The kept condition of ${where()}`);
  return undefined;
}

function nodeToXml(node: SeqNode, ctx: StepContext, refs: ReferenceCollector, report: Report, file: string): XmlElement {
  // The node's place as text (`file › group › step`), made only when a message needs it.
  let place: string | undefined;
  const where = () => (place ??= `${file} › ${pathOf(node).replace(/\//g, ' › ')}`);
  if (node.kind === 'group') return groupToXml(node, ctx, refs, report, file, where());
  const problems: string[] = [];
  const data = stepData(node, problems);
  for (const p of problems) report.warn(where(), p);
  if (!data.def && !(node.shorthand && data.xml.type !== undefined)) {
    throw new InteropError(`${where()}: \`${node.action || '(no action)'}\` is not a built-in step, so tsq cannot write it.`, 'Fix the action name (tsq lint suggests the closest), or use `run:` for a command line.');
  }
  const written = writeStep(data, conditionOf(node, data.xml, where), ctx, where);
  for (const p of written.problems) {
    if (/no packageId/.test(p.message)) throw new InteropError(`${where()}: ${p.message}.`, 'Add `packageId:` to the child sequence file (its ConfigMgr package ID), or name the child by package ID.');
    report.warn(where(), `${p.message}; it was left out`);
  }
  if (written.actionRebuilt) report.info(where(), 'the settings changed since import, so the command line (<action>) was rebuilt from the step template');
  data.options.forEach((value, name) => {
    // Only a secret reference (a mapping) can be a secret to mention; look the setting up only then.
    if (typeof value !== 'object' || value === null || 'missing' in value) return;
    if (data.def?.properties.find((x) => x.name === name)?.secret) {
      report.info(where(), `\`${name}\` is a secret and is never exported; set it in ConfigMgr after import`);
    }
  });
  refs.addStep(data, written.variables, ctx);
  return written.element;
}

function groupToXml(node: GroupNode, ctx: StepContext, refs: ReferenceCollector, report: Report, file: string, where: string): XmlElement {
  const problems: string[] = [];
  const xml = readNodeXml(node.xml, problems);
  for (const p of problems) report.warn(where, p);
  const attrs = withAttributes([
    ['name', node.name],
    ['description', node.description ?? ''],
    ['disable', node.disabled ? 'true' : undefined],
    ['continueOnError', node.continueOnError ? 'true' : undefined],
  ], xml.attributes);
  const children: XmlElement[] = [];
  const cond = conditionOf(node, xml, () => where);
  if (cond) children.push(cond);
  if (xml.action !== undefined) children.push(element('action', {}, xml.action === '' ? [] : [text(xml.action)]));
  for (const [i, e] of (xml.elements ?? []).entries()) children.push(rawElement(e, `Kept element ${i + 1} of ${where}`));
  for (const c of node.steps) children.push(nodeToXml(c, ctx, refs, report, file));
  return { kind: 'element', name: 'group', attrs, children };
}
