// Every reference a sequence makes to site objects: its boot image and, per step, the options
// whose catalog type is a reference (packages, applications, OS images, upgrade and driver
// packages), with the program or image index that goes with them. Rules (broken references,
// architecture), the simulator's content check and the editor's navigation all read this list.

import type { SequenceModel, StepNode, StepOption } from '../model/sequence';
import { option } from '../model/sequence';
import type { ReferenceKind } from '../catalog/types';
import type { Span } from '../model/text';
import { stepDef } from './knowledge';
import { moveSpan, perNode } from './node-cache';
import { sequenceNodes } from './sequence-nodes';

export interface SiteReference {
  kind: ReferenceKind;
  id: string;
  span: Span;
  /** The step making the reference (absent for the sequence's boot image). */
  step?: StepNode;
  /** DSL option name (`image`, `package`, ...), or `bootImage`. */
  property: string;
  /** For packages used with a program (Install Package): the program named. */
  program?: { name: string; span: Span };
  /** For OS images and upgrade packages: the image or edition index chosen. */
  index?: { value: number; span: Span };
  /** The step takes content of any package class (Download Package Content), not only `kind`. */
  anyPackageClass?: boolean;
}

/** The package classes a step that takes any package may name (one object is of one class). */
const PACKAGE_CLASSES: readonly ReferenceKind[] = [
  'package',
  'driverPackage',
  'osImage',
  'osUpgradePackage',
  'bootImage',
];

/**
 * The catalog entry a reference names: of its own kind, or — for a step that takes any package
 * class — of whichever package class the catalog lists the ID under.
 */
export function findReferenced<E>(
  catalog: { lookup(kind: ReferenceKind, id: string): E | undefined },
  ref: Pick<SiteReference, 'kind' | 'id' | 'anyPackageClass'>,
): E | undefined {
  const own = catalog.lookup(ref.kind, ref.id);
  if (own !== undefined || !ref.anyPackageClass) return own;
  for (const kind of PACKAGE_CLASSES) {
    const e = catalog.lookup(kind, ref.id);
    if (e !== undefined) return e;
  }
  return undefined;
}

/** True for values resolved at run time (`%Var%` anywhere in them): they cannot be checked statically. */
export function isDynamic(value: string): boolean {
  return /%[^%\s]+%/.test(value);
}

function scalarValues(opt: StepOption): { value: string; span: Span }[] {
  if (typeof opt.value === 'string' || typeof opt.value === 'number')
    return [{ value: String(opt.value).trim(), span: { start: opt.span.start, end: opt.span.end } }];
  if (Array.isArray(opt.value) && opt.node.kind === 'seq') {
    const out: { value: string; span: Span }[] = [];
    opt.node.items.forEach((n, i) => {
      const v = (opt.value as unknown[])[i];
      if (typeof v === 'string' || typeof v === 'number')
        out.push({ value: String(v).trim(), span: { start: n.start, end: n.end } });
    });
    return out;
  }
  return [];
}

const INDEX_OPTION: Partial<Record<ReferenceKind, string>> = { osImage: 'index', osUpgradePackage: 'editionIndex' };

export function siteReferences(model: SequenceModel): SiteReference[] {
  const out: SiteReference[] = [];
  if (model.bootImage && model.bootImage.value.trim())
    out.push({
      kind: 'bootImage',
      id: model.bootImage.value.trim(),
      span: model.bootImage.span,
      property: 'bootImage',
    });
  for (const node of sequenceNodes(model)) {
    if (node.kind === 'step') for (const r of stepSiteReferences(node)) out.push(r);
  }
  return out;
}

/** The references one step makes (memoised per step; do not modify or keep the result). */
export function stepSiteReferences(step: StepNode): readonly SiteReference[] {
  return referencesOfStep(step, () => stepReferences(step));
}

const referencesOfStep = perNode<SiteReference>((r, delta) => {
  moveSpan(r.span, delta);
  if (r.program) moveSpan(r.program.span, delta);
  if (r.index) moveSpan(r.index.span, delta);
});

/** The references one step makes (spans are copies: the cache moves them on its own). */
function stepReferences(node: StepNode): SiteReference[] {
  const out: SiteReference[] = [];
  const def = stepDef(node.action);
  if (!def) return out;
  for (const ref of def.references) {
    if (ref.kind === 'childSequence') continue;
    const opt = option(node, ref.property);
    if (!opt) continue;
    for (const { value, span } of scalarValues(opt)) {
      if (!value) continue;
      const r: SiteReference = { kind: ref.kind, id: value, span, step: node, property: ref.property };
      if (ref.anyPackageClass) r.anyPackageClass = true;
      if (ref.kind === 'package') {
        const prog = option(node, 'program');
        if (prog && (typeof prog.value === 'string' || typeof prog.value === 'number') && String(prog.value).trim())
          r.program = { name: String(prog.value).trim(), span: { start: prog.span.start, end: prog.span.end } };
      }
      const idxName = INDEX_OPTION[ref.kind];
      const idx = idxName ? option(node, idxName) : undefined;
      if (idx && typeof idx.value === 'number')
        r.index = { value: idx.value, span: { start: idx.span.start, end: idx.span.end } };
      out.push(r);
    }
  }
  return out;
}
