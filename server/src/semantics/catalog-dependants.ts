// Which files a catalog edit can change the findings of, so that an editor checks again only
// those (a catalog is referenced by hundreds of sequences; an edit usually touches one entry).
// The trick, explained once: a catalog edit is reduced to the IDs of the entries it added,
// removed or changed (compared by kind, list and content, not by position), and a sequence
// reads the catalog only through the IDs it references (semantics/references.ts), so a sequence
// whose references name none of those IDs gets the same findings as before. Three things widen
// that on purpose: a sequence with a reference the catalogs do not resolve is checked again on
// any change to that kind's list (its message suggests similar IDs and names what the partial
// catalogs cover), one with a boot image on any change to the boot images (the
// architecture-mismatch fix offers matching ones), and a change to anything but the entries (the
// catalog's name, site code, `partial:`, site settings, collections with their variables, or
// child sequences listed by package ID, which the child graph resolves) counts as a change to
// everything. Files other than sequences (deployments, media, machines, catalogs) are few and
// read collections and site settings: they are always checked again.

import type { TsqDocument } from '../model/document';
import type { SequenceModel } from '../model/sequence';
import type { CatalogEntry, SiteCatalogModel } from '../model/site-catalog';
import type { ReferenceKind } from '../catalog/types';
import { findReferenced, isDynamic, siteReferences } from './references';
import type { Workspace } from './workspace';

/** What a catalog edit changed, as sequences can tell. */
export interface CatalogChange {
  /** Something every file may read changed (or the catalog came or went): check everything. */
  everything: boolean;
  /** IDs (upper case) of the entries added, removed or changed. */
  ids: ReadonlySet<string>;
  /** Kinds whose list changed (an entry added, removed, renamed or moved). */
  kinds: ReadonlySet<ReferenceKind>;
}

const EVERYTHING: CatalogChange = { everything: true, ids: new Set(), kinds: new Set() };

/** The change from one version of a catalog's model to the next (undefined: not a readable catalog). */
export function catalogChange(
  before: SiteCatalogModel | undefined,
  after: SiteCatalogModel | undefined,
): CatalogChange {
  if (!before || !after) return EVERYTHING;
  if (
    before.name !== after.name ||
    before.partial !== after.partial ||
    before.siteCode?.value !== after.siteCode?.value ||
    !sameJson(before.site, after.site) ||
    !sameJson(
      before.collections.map((c) => c.raw),
      after.collections.map((c) => c.raw),
    )
  )
    return EVERYTHING;
  const was = entriesById(before.entries);
  const now = entriesById(after.entries);
  const ids = new Set<string>();
  const kinds = new Set<ReferenceKind>();
  for (const [id, list] of was) if (!sameEntries(list, now.get(id))) ids.add(id);
  for (const id of now.keys()) if (!was.has(id)) ids.add(id);
  for (const id of ids) for (const e of [...(was.get(id) ?? []), ...(now.get(id) ?? [])]) kinds.add(e.kind);
  const order = (entries: readonly CatalogEntry[], kind: ReferenceKind) =>
    entries
      .filter((e) => e.kind === kind)
      .map((e) => e.id)
      .join('\n');
  for (const kind of new Set([...before.entries, ...after.entries].map((e) => e.kind)))
    if (!kinds.has(kind) && order(before.entries, kind) !== order(after.entries, kind)) kinds.add(kind);
  if (kinds.has('childSequence')) return EVERYTHING;
  return { everything: false, ids, kinds };
}

/** Whether `doc`'s findings may differ after `change` (false only when they certainly do not). */
export function readsCatalogChange(ws: Workspace, doc: TsqDocument, change: CatalogChange): boolean {
  if (change.everything || doc.kind !== 'sequence' || !doc.model) return true;
  if (change.ids.size === 0 && change.kinds.size === 0) return false;
  for (const ref of referencesOf(doc.model as SequenceModel)) {
    if (change.ids.has(ref.id)) return true;
    if (!change.kinds.has(ref.kind)) continue;
    if (ref.kind === 'bootImage' || !findReferenced(ws.catalog, ref)) return true;
  }
  return false;
}

interface Reference {
  kind: ReferenceKind;
  /** Upper case, as catalogs are looked up. */
  id: string;
  anyPackageClass?: boolean;
}

/** Each sequence's references, kept per model revision (a model updated in place bumps it). */
const referencesCache = new WeakMap<SequenceModel, { revision: number; refs: Reference[] }>();

function referencesOf(model: SequenceModel): Reference[] {
  const known = referencesCache.get(model);
  if (known && known.revision === model.revision) return known.refs;
  const refs: Reference[] = [];
  for (const r of siteReferences(model)) {
    if (isDynamic(r.id)) continue;
    refs.push({ kind: r.kind, id: r.id.trim().toUpperCase(), anyPackageClass: r.anyPackageClass });
  }
  referencesCache.set(model, { revision: model.revision, refs });
  return refs;
}

function entriesById(entries: readonly CatalogEntry[]): Map<string, CatalogEntry[]> {
  const out = new Map<string, CatalogEntry[]>();
  for (const e of entries) {
    const id = e.id.trim().toUpperCase();
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    list.push(e);
  }
  return out;
}

function sameEntries(a: readonly CatalogEntry[], b: readonly CatalogEntry[] | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  return a.every((e, i) => e.kind === b[i].kind && e.listKey === b[i].listKey && sameJson(e.raw, b[i].raw));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
