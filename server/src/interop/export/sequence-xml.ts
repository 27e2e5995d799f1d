// Export of a `sequence:` file to the `<sequence>` document ConfigMgr reads: groups and steps in
// order, each step through the shared step writer, conditions through the condition model,
// `variables:` as `<globalVarList>`, and a `<referenceList>` rebuilt from the steps. Passwords are
// never written; what export had to leave out or rebuild is reported.

import type { TsqDocument } from '../../model/document';
import type { GroupNode, SequenceModel, SeqNode } from '../../model/sequence';
import { pathOf, walk } from '../../model/sequence';
import { parseCondition, toConfigMgr } from '../../conditions';
import type { Workspace } from '../../semantics/workspace';
import { childGraph } from '../../semantics/child-graph';
import { looksLikePath } from '../../util/paths';
import { InteropError } from '../errors';
import { conditionToXml, whenFingerprint } from '../condition-xml';
import { CONFIGMGR_SEQUENCE_VERSION, GROUP_STYLE, globalVariableProperty, referenceKey } from '../sequence-format';
import { Report } from '../report';
import { element, text, type XmlElement } from '../xml/tree';
import { ChildStream, type WriteXmlOptions } from '../xml/write';
import { readNodeXml, readSequenceXml, type SequenceXml } from './nodexml';
import { stepData, withStyle } from './step-data';
import { refuseUnexportable } from '../exportable';
import type { ChildInfo, NodeXml, StepContext } from '../steps/stepdata';
import { ReferenceCollector, type ReferenceEntry } from '../steps/references';
import { rawElement, withAttributes, writeGroup, writeStep } from '../steps/write-step';
import { applyLayout, stepsTokenCount, variableNames } from '../steps/layout';
import { actionFingerprint } from '../steps/settings';
import { writeXml } from '../xml/write';

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
        throw new InteropError(
          `${doc.id}: the child sequence \`${ref}\` cannot be read: ${why.message.replace(/^This( file)? /, 'it ')}`,
          why.hint,
        );
      }
      const model = target.doc?.kind === 'sequence' ? (target.doc.model as SequenceModel | undefined) : undefined;
      if (model) {
        const refs = childReferences(ws, target.doc!);
        info = {
          packageId: model.packageId?.value,
          name: model.name,
          applications: refs?.applications,
          packages: refs?.packages,
        };
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
  if (!memo || memo.generation !== ws.generation)
    referenceMemo.set(ws, (memo = { generation: ws.generation, byDoc: new Map() }));
  const known = memo.byDoc;
  if (known.has(child.id)) return known.get(child.id);
  // Children first, without recursion (a chain of thousands of files is a deep stack).
  const stack: { node: number; expanded: boolean }[] = [{ node: start, expanded: false }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const d = graph.docs[top.node];
    if (known.has(d.id)) {
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      graph.calls[top.node].forEach((_, i) => {
        const next = graph.targetOf(top.node, i);
        graph.work++;
        if (next >= 0 && !graph.inLoop(next) && !known.has(graph.docs[next].id))
          stack.push({ node: next, expanded: false });
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
  const applications: string[] = [],
    packages: string[] = [];
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
  return {
    root: {
      kind: 'element',
      name: 'sequence',
      attrs: parts.attrs,
      children: [...parts.before, ...body, ...parts.after],
    },
    report,
    references: parts.references,
  };
}

/**
 * The XML of a parsed sequence file as bytes: what `writeXmlBytes(sequenceToXml(...).root)`
 * gives, with the same refusals, but each top-level group is written as soon as it is built and
 * then let go, so the element tree of a long sequence never exists whole.
 */
export function sequenceXmlBytes(
  doc: TsqDocument,
  ws: Workspace,
  options: WriteXmlOptions = {},
  report = new Report(),
): { bytes: Buffer; report: Report; references: ReferenceEntry[] } {
  const body = new ChildStream(options);
  const parts = sequenceParts(doc, ws, report, (e) => body.add(e));
  return {
    bytes: body.finish('sequence', parts.attrs, parts.before, parts.after),
    report,
    references: parts.references,
  };
}

/**
 * The parts of `<sequence>`: its attributes, the elements before the steps (reference list,
 * sequence variables, rebuilt from the steps), the kept elements after them, and the steps,
 * handed to `body` one top-level group or step at a time.
 */
function sequenceParts(
  doc: TsqDocument,
  ws: Workspace,
  report: Report,
  body: (e: XmlElement) => void,
): { attrs: Record<string, string>; before: XmlElement[]; after: XmlElement[]; references: ReferenceEntry[] } {
  const model = doc.model as SequenceModel | undefined;
  if (doc.kind !== 'sequence' || !model)
    throw new InteropError(`${doc.id} is not a sequence file.`, 'Export a file that starts with `sequence:`.');
  // What lint reports as errors, export refuses, in the same words (../exportable.ts).
  refuseUnexportable(ws, doc);
  const where = doc.id;
  const problems: string[] = [];
  const seqXml = readSequenceXml(model.configMgr, problems);
  for (const p of problems) report.warn(where, p);
  const ctx = workspaceContext(ws, doc);
  const refs = new ReferenceCollector();
  const missingChildFile = (ref: string): string | undefined => {
    if (!looksLikePath(ref)) return undefined;
    const target = ws.resolveChild(doc.id, ref);
    return target.doc ? undefined : target.path;
  };
  const scope: ExportScope = { ctx, refs, report, file: where, styles: seqXml.styles ?? {}, missingChildFile };
  const globals = model.variables.length ? globalVarList(model, seqXml) : undefined;
  const kept = (seqXml.elements ?? []).map((e, i) => rawElement(e, `Kept element ${i + 1} of the sequence`));
  // The order of <sequence>'s children: tsq's (references, sequence variables, steps, kept
  // elements), or the imported file's. The reference list is known only once every step is
  // written, so it can only come first or last; the rest is placed as the steps stream by.
  const order = seqXml.children ?? [];
  const before: XmlElement[] = [];
  const after: XmlElement[] = [];
  let referencesAt: 'before' | 'after' = 'before';
  if (order.length === 0) {
    if (globals) before.push(globals);
    for (const n of model.steps) body(nodeToXml(n, scope));
    after.push(...kept);
  } else {
    const placed = new Set<XmlElement>();
    const take = (name: string): XmlElement | undefined => {
      const e = name === 'globalVarList' ? globals : kept.find((k) => k.name === name && !placed.has(k));
      if (e && !placed.has(e)) placed.add(e);
      else return undefined;
      return e;
    };
    let next = 0;
    for (const token of order) {
      const count = stepsTokenCount(token);
      if (count !== undefined) {
        for (let k = 0; k < count && next < model.steps.length; k++) body(nodeToXml(model.steps[next++], scope));
      } else if (token === 'referenceList') referencesAt = next === 0 ? 'before' : 'after';
      else {
        const e = take(token);
        if (e && next === 0) before.push(e);
        else if (e) body(e);
      }
    }
    while (next < model.steps.length) body(nodeToXml(model.steps[next++], scope));
    if (globals && !placed.has(globals)) before.push(globals);
    for (const k of kept) if (!placed.has(k)) after.push(k);
  }
  for (const r of seqXml.references ?? []) refs.add(r);

  const notListed = new Set(
    (seqXml.notListed ?? []).map((r) =>
      r.application !== undefined ? `a:${r.application.toLowerCase()}` : `p:${(r.package ?? '').toUpperCase()}`,
    ),
  );
  const listed = inReferenceOrder(
    refs.entries.filter(
      (r) =>
        !notListed.has(
          r.application !== undefined ? `a:${r.application.toLowerCase()}` : `p:${(r.package ?? '').toUpperCase()}`,
        ),
    ),
    seqXml.referenceOrder,
  );
  if (listed.length) {
    const list = element(
      'referenceList',
      {},
      listed.map((r) =>
        element(
          'reference',
          r.application !== undefined ? { application: r.application } : { package: r.package, program: r.program },
        ),
      ),
    );
    if (referencesAt === 'before') before.unshift(list);
    else after.push(list);
  }
  const attrs = withAttributes(
    [
      ['version', seqXml.version ?? CONFIGMGR_SEQUENCE_VERSION],
      ['name', seqXml.nameOnRoot ? model.name : undefined],
      ['description', seqXml.nameOnRoot ? (model.description ?? '') : undefined],
    ],
    seqXml.attributes,
  );
  return { attrs, before, after, references: listed };
}

/** References in the imported file's order (`referenceOrder`); the ones it did not list follow, as rebuilt. */
function inReferenceOrder(refs: ReferenceEntry[], order: string[] | undefined): ReferenceEntry[] {
  if (!order) return refs;
  const rank = new Map<string, number>();
  order.forEach((k, i) => {
    if (!rank.has(k.toUpperCase())) rank.set(k.toUpperCase(), i);
  });
  return refs
    .map((r, i) => ({ r, i, k: rank.get(referenceKey(r).toUpperCase()) ?? Infinity }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.r);
}

/**
 * `<globalVarList>` from `variables:`, each with the WMI property tsq (or the imported file)
 * gives it, in the imported file's order when there is one (a name it listed twice is written
 * twice, with the one value `variables:` holds).
 */
function globalVarList(model: SequenceModel, seqXml: SequenceXml): XmlElement {
  const props = seqXml.variableProperties ?? {};
  const propertyOf = (name: string) =>
    Object.prototype.hasOwnProperty.call(props, name) ? (props[name] ?? undefined) : globalVariableProperty(name);
  const byName = new Map(model.variables.map((v) => [v.name, v]));
  const ordered: typeof model.variables = [];
  const written = new Set<string>();
  for (const name of seqXml.variableOrder ?? []) {
    const v = byName.get(name);
    if (v) {
      ordered.push(v);
      written.add(name);
    }
  }
  for (const v of model.variables) if (!written.has(v.name)) ordered.push(v);
  return element(
    'globalVarList',
    {},
    ordered.map((v) =>
      element('variable', { name: v.name, property: propertyOf(v.name) }, v.value === '' ? [] : [text(v.value)]),
    ),
  );
}

/**
 * The `<condition>` of a group or step: its `when:` (as the original spelled it while the `when:`
 * is the one imported), else a condition kept verbatim in its `xml:`.
 */
function conditionOf(node: SeqNode, xml: NodeXml, where: () => string): XmlElement | undefined {
  if (node.when) {
    const parsed = parseCondition(node.when.text);
    if (!parsed.ast) {
      const e = parsed.errors[0];
      throw new InteropError(
        `${where()}: the \`when:\` condition has an error: ${e?.message ?? 'unreadable'}.`,
        'Fix it (tsq lint shows where), then export again.',
      );
    }
    if (xml.condition !== undefined && xml.whenCheck !== undefined && xml.whenCheck === whenFingerprint(node.when.text))
      return rawElement(xml.condition, `The kept condition of ${where()}`);
    return conditionToXml(toConfigMgr(parsed.ast));
  }
  if (xml.condition !== undefined) return rawElement(xml.condition, `The kept condition of ${where()}`);
  return undefined;
}

/** What every node of one sequence's export shares. */
interface ExportScope {
  ctx: StepContext;
  refs: ReferenceCollector;
  report: Report;
  file: string;
  /** `configMgr.xml.styles`: the `xml:` details most nodes of one type share, by style key. */
  styles: Record<string, NodeXml>;
  /** The file a child-sequence path names when no file is there (undefined for a package ID or a file that exists). */
  missingChildFile: (ref: string) => string | undefined;
}

function nodeToXml(node: SeqNode, scope: ExportScope): XmlElement {
  const { ctx, refs, report, file } = scope;
  // The node's place as text (`file › group › step`), made only when a message needs it.
  let place: string | undefined;
  const where = () => (place ??= `${file} › ${pathOf(node).replace(/\//g, ' › ')}`);
  if (node.kind === 'group') return groupToXml(node, scope, where());
  const problems: string[] = [];
  const data = stepData(node, problems, scope.styles);
  for (const p of problems) report.warn(where(), p);
  if (!data.def && !(node.shorthand && data.xml.type !== undefined)) {
    throw new InteropError(
      `${where()}: \`${node.action || '(no action)'}\` is not a built-in step, so tsq cannot write it.`,
      'Fix the action name (tsq lint suggests the closest), or use `run:` for a command line.',
    );
  }
  const written = writeStep(data, conditionOf(node, data.xml, where), ctx, where);
  for (const p of written.problems) {
    const childRef = data.options.get('sequence');
    const missing =
      /no packageId/.test(p.message) && typeof childRef === 'string' && scope.missingChildFile(childRef.trim());
    if (missing)
      // Not a child without a package ID: no child at all, which the user fixes elsewhere.
      throw new InteropError(
        `${where()}: the child sequence \`${childRef.trim()}\` is not there (no file ${missing}).`,
        'Fix the path (it is relative to this file) or put the child sequence there: ConfigMgr keeps the package ID of a child, not its path, so tsq reads it from the child file.',
      );
    if (/no packageId/.test(p.message))
      throw new InteropError(
        `${where()}: ${p.message}.`,
        'Add `packageId:` to the child sequence file (its ConfigMgr package ID), or name the child by package ID.',
      );
    report.warn(where(), `${p.message}; it was left out`);
  }
  if (written.actionRebuilt)
    report.info(
      where(),
      'the settings changed since import, so the command line (<action>) was rebuilt from the step template',
    );
  data.options.forEach((value, name) => {
    // Only a secret reference (a mapping) can be a secret to mention; look the setting up only then.
    if (typeof value !== 'object' || value === null || 'missing' in value) return;
    if (data.def?.properties.find((x) => x.name === name)?.secret) {
      report.info(where(), `\`${name}\` is a secret and is never exported; set it in ConfigMgr after import`);
    }
  });
  refs.addStep(data, written.variables, ctx);
  const xml = data.xml;
  if (xml.verbatim !== undefined && xml.verbatimCheck === actionFingerprint(writeXml(written.element, { indent: '' })))
    return rawElement(xml.verbatim, `The kept step ${where()}`);
  if (xml.layout) applyLayout(written.element, xml.layout, written.derived, variableNames(data.def));
  return written.element;
}

function groupToXml(node: GroupNode, scope: ExportScope, where: string): XmlElement {
  const problems: string[] = [];
  const xml = withStyle(readNodeXml(node.xml, problems), scope.styles[GROUP_STYLE]);
  for (const p of problems) scope.report.warn(where, p);
  const derived = new Set<string>();
  const children = node.steps.map((c) => nodeToXml(c, scope));
  const group = writeGroup(
    {
      name: node.name,
      description: node.description,
      disabled: node.disabled,
      continueOnError: node.continueOnError,
      xml,
    },
    conditionOf(node, xml, () => where),
    children,
    where,
    derived,
  );
  if (xml.layout) applyLayout(group, xml.layout, derived);
  return group;
}
