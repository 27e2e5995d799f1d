// Every reference a sequence makes to site objects: its boot image and, per step, the options
// whose catalog type is a reference (packages, applications, OS images, upgrade and driver
// packages), with the program or image index that goes with them. Rules (broken references,
// architecture), the simulator's content check and the editor's navigation all read this list.

import type { SequenceModel, StepNode } from '../model/sequence';
import { option } from '../model/sequence';
import type { ReferenceKind, StepReference } from '../catalog/types';
import type { Span } from '../model/text';
import { stepDef } from './knowledge';
import { keepsFactsPerNode, moveSpan, perNode } from './node-cache';
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
  // Most IDs have no `%` at all: the pattern runs only on those that do.
  return value.indexOf('%') >= 0 && /%[^%\s]+%/.test(value);
}

const INDEX_OPTION: Partial<Record<ReferenceKind, string>> = { osImage: 'index', osUpgradePackage: 'editionIndex' };

/**
 * The list per model revision: the reference checks, the architecture checks and the editor's
 * other readers all ask for it on every analysis, and it is the same until the model changes (an
 * update in place bumps `revision`, as for `sequenceNodes`).
 */
const knownReferences = new WeakMap<SequenceModel, { revision: number; refs: readonly SiteReference[] }>();

/** Every reference of `model`, the boot image first, then each step's in document order (do not modify the list). */
export function siteReferences(model: SequenceModel): readonly SiteReference[] {
  const seen = knownReferences.get(model);
  if (seen && seen.revision === model.revision) return seen.refs;
  const refs = collectReferences(model);
  knownReferences.set(model, { revision: model.revision, refs });
  return refs;
}

function collectReferences(model: SequenceModel): SiteReference[] {
  const out: SiteReference[] = [];
  if (model.bootImage && model.bootImage.value.trim())
    out.push({
      kind: 'bootImage',
      id: model.bootImage.value.trim(),
      span: model.bootImage.span,
      property: 'bootImage',
    });
  const nodes = sequenceNodes(model);
  const keep = keepsFactsPerNode(model);
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n];
    if (node.kind !== 'step') continue;
    const refs = keep ? stepSiteReferences(node) : stepReferences(node);
    for (let r = 0; r < refs.length; r++) out.push(refs[r]);
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
  const def = stepDef(node.action);
  if (!def || def.references.length === 0) return NO_REFERENCES;
  let out: SiteReference[] = NO_REFERENCES;
  for (let k = 0; k < def.references.length; k++) {
    const ref = def.references[k];
    if (ref.kind === 'childSequence') continue;
    const opt = option(node, ref.property);
    if (!opt) continue;
    const v = opt.value;
    if (typeof v === 'string' || typeof v === 'number') {
      out = withReference(out, node, ref, String(v).trim(), opt.node);
    } else if (Array.isArray(v) && opt.node.kind === 'seq') {
      const items = opt.node.items;
      for (let i = 0; i < items.length; i++) {
        const item: unknown = v[i];
        if (typeof item === 'string' || typeof item === 'number')
          out = withReference(out, node, ref, String(item).trim(), items[i]);
      }
    }
  }
  return out;
}

/** What a step without references gives (never added to: `withReference` starts a list of its own). */
const NO_REFERENCES: SiteReference[] = [];

/** `out` with the reference to `id` written at `at` (a new list in place of NO_REFERENCES). */
function withReference(
  out: SiteReference[],
  node: StepNode,
  ref: StepReference,
  id: string,
  at: Span,
): SiteReference[] {
  if (!id) return out;
  const r: SiteReference = {
    kind: ref.kind,
    id,
    span: { start: at.start, end: at.end },
    step: node,
    property: ref.property,
  };
  if (ref.anyPackageClass) r.anyPackageClass = true;
  if (ref.kind === 'package') {
    const prog = option(node, 'program');
    if (prog && (typeof prog.value === 'string' || typeof prog.value === 'number') && String(prog.value).trim())
      r.program = { name: String(prog.value).trim(), span: { start: prog.node.start, end: prog.node.end } };
  }
  const idxName = INDEX_OPTION[ref.kind];
  const idx = idxName ? option(node, idxName) : undefined;
  if (idx && typeof idx.value === 'number')
    r.index = { value: idx.value, span: { start: idx.node.start, end: idx.node.end } };
  if (out === NO_REFERENCES) return [r];
  out.push(r);
  return out;
}
