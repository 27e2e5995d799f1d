// The set of tsq files that rules, simulator, export and the editor see at once: every sequence,
// catalog, machine, deployment and media file of a folder (or an editor's workspace folders). It
// answers the cross-file questions — which catalog objects exist, which file a child-sequence path
// names, who runs whom — from indexes rebuilt lazily after a change. It never touches the disk:
// front ends load files into it.

import type { TsqDocument } from '../model/document';
import type { StepsChange } from '../model/incremental';
import type { SequenceModel } from '../model/sequence';
import type { CatalogEntry, CollectionEntry, SiteCatalogModel } from '../model/site-catalog';
import type { ReferenceKind } from '../catalog/types';
import { looksLikePath, normalisePath, pathKey, resolveRelative } from '../util/paths';
import { scopeOf, speaksFor, type CatalogScope, type ScopedKind } from './catalog-scope';
import { keepsLinks } from './link-fingerprint';

export interface CatalogIndex {
  /** At least one catalog file is in the workspace. */
  present: boolean;
  /**
   * Some catalog is marked `partial: true` (it lists only part of its site). Whether a missing
   * reference is softened depends on the reference: see `partialCovering`.
   */
  partial: boolean;
  catalogs: { doc: TsqDocument; model: SiteCatalogModel }[];
  /**
   * The first catalog marked partial that could list `id` (its site or application scope is the
   * ID's: catalog-scope.ts), with what it covers; undefined when no partial catalog speaks for it.
   */
  partialCovering(kind: ScopedKind, id: string): PartialCatalog | undefined;
  /** Every catalog marked partial, with what it covers. */
  partials: readonly PartialCatalog[];
  lookup(kind: ReferenceKind, id: string): CatalogEntry | undefined;
  entries(kind: ReferenceKind): CatalogEntry[];
  /** Where an entry was defined. */
  docOf(entry: CatalogEntry): TsqDocument | undefined;
  collection(id: string): CollectionEntry | undefined;
  collections(): CollectionEntry[];
}

export interface PartialCatalog {
  doc: TsqDocument;
  model: SiteCatalogModel;
  scope: CatalogScope;
}

export interface ResolvedFile {
  /** Normalised absolute path the reference names. */
  path: string;
  doc?: TsqDocument;
  /** The file exists, but the reference spells its path with a different case. */
  caseMismatch: boolean;
  /** The path is another name of `doc`'s file (a link to it), which was read under its own path. */
  viaAlias?: boolean;
}

export class Workspace {
  private readonly docs = new Map<string, TsqDocument>();
  private readonly byKey = new Map<string, string>();
  /**
   * Which file each document was read from, as the front end that read it identifies files (see
   * files/identity.ts): two paths of the same file — a link, a linked folder — are one document.
   */
  private readonly identityOf = new Map<string, string>();
  private readonly idByIdentity = new Map<string, string>();
  /** Other paths of files read under another path → the id of their document. */
  private readonly aliases = new Map<string, string>();
  private readonly aliasByKey = new Map<string, string>();
  private readonly aliasesOf = new Map<string, Set<string>>();
  private catalogIndex?: CatalogIndex;
  private sequencesByPackageId?: Map<string, TsqDocument>;
  /** Increases on every change; caches elsewhere compare it to know when to recompute. */
  generation = 0;
  /**
   * Increases on every change that may make a file path, a package ID or a child-sequence
   * reference resolve differently: a file added, removed or aliased, a kind or package ID changed,
   * a catalog changed. Resolved references are kept between such changes (`resolveChild`).
   */
  resolutionRevision = 0;
  /**
   * Increases on every change but an edit of a sequence that kept its Run Task Sequence references
   * and variable writes as they were (link-fingerprint.ts): the child graph and the index of
   * inherited variable names are kept between such changes.
   */
  linksRevision = 0;
  /** Child-sequence references resolved at `resolutionRevision`, by the file they are written in and the reference. */
  private resolved = new Map<string, ResolvedFile & { byPackageId?: boolean }>();
  /** Child-sequence references resolved so far (tests check that checking a workspace resolves each call a bounded number of times). */
  childResolutions = 0;

  /**
   * Puts `doc` in place of the document of the same id (or adds it). `edit`, when `doc` was made
   * from the document held now by rebuilding one node of its steps, lets the workspace keep what
   * that edit leaves as it was: resolved references always, the links between sequences when the
   * rebuilt node's references and writes are unchanged.
   */
  upsert(doc: TsqDocument, edit?: { previous: TsqDocument; change?: StepsChange }): void {
    const prev = this.docs.get(doc.id);
    const change = edit && prev && edit.previous === prev && doc.kind === 'sequence' ? edit.change : undefined;
    // A steps-only edit leaves kind and package ID alone; otherwise they are compared (a model
    // updated in place, shared by both documents, cannot tell).
    const resolvesAlike =
      !!prev &&
      prev.kind === doc.kind &&
      doc.kind !== 'catalog' &&
      (!!change || (prev.model !== doc.model && packageIdOf(prev) === packageIdOf(doc)));
    if (!resolvesAlike) this.resolutionChanged();
    if (!change || !resolvesAlike || !keepsLinks(prev!, doc, change)) this.linksRevision++;
    this.docs.set(doc.id, doc);
    this.byKey.set(keyOf(doc.id), doc.id);
    // A document in its own right (an editor's) is no longer another name of some file.
    this.dropAlias(doc.id);
    if (prev?.kind === 'catalog' || doc.kind === 'catalog') this.catalogIndex = undefined;
    // Only sequences with a package ID are in that index (a model updated in place may have lost its ID).
    if (prev === doc || packageIdOf(prev) !== undefined || packageIdOf(doc) !== undefined)
      this.sequencesByPackageId = undefined;
    this.generation++;
  }

  remove(id: string): void {
    const prev = this.docs.get(id);
    if (!prev) return;
    this.docs.delete(id);
    this.byKey.delete(keyOf(id));
    const identity = this.identityOf.get(id);
    if (identity !== undefined) {
      this.identityOf.delete(id);
      if (this.idByIdentity.get(identity) === id) this.idByIdentity.delete(identity);
    }
    for (const alias of this.aliasesOf.get(id) ?? []) {
      this.aliases.delete(alias);
      if (this.aliasByKey.get(keyOf(alias)) === id) this.aliasByKey.delete(keyOf(alias));
    }
    this.aliasesOf.delete(id);
    this.catalogIndex = undefined;
    this.sequencesByPackageId = undefined;
    this.resolutionChanged();
    this.generation++;
  }

  private resolutionChanged(): void {
    this.resolutionRevision++;
    this.linksRevision++;
    if (this.resolved.size) this.resolved = new Map();
  }

  /**
   * Records the file the document `id` was read from (an identity only front ends can tell: the
   * engine reads no files). Returns the id of the document already read from that same file under
   * another path, if there is one; the caller then makes its path an alias instead of a document.
   */
  identify(id: string, identity: string): string | undefined {
    const known = this.idByIdentity.get(identity);
    if (known !== undefined && known !== id && this.docs.has(known)) return known;
    this.idByIdentity.set(identity, id);
    this.identityOf.set(id, identity);
    return undefined;
  }

  /** The document read from the file with this identity, if any. */
  byIdentity(identity: string): TsqDocument | undefined {
    const id = this.idByIdentity.get(identity);
    return id === undefined ? undefined : this.docs.get(id);
  }

  /** Makes `path` another name of the document `id` (a link to its file, another path to it). */
  alias(path: string, id: string): void {
    const norm = normalisePath(path);
    if (norm === id || this.docs.has(norm) || this.aliases.get(norm) === id) return;
    this.dropAlias(norm);
    this.aliases.set(norm, id);
    this.aliasByKey.set(keyOf(norm), id);
    let set = this.aliasesOf.get(id);
    if (!set) this.aliasesOf.set(id, (set = new Set()));
    set.add(norm);
    this.resolutionChanged();
    this.generation++;
  }

  private dropAlias(path: string): void {
    const target = this.aliases.get(path);
    if (target === undefined) return;
    this.aliases.delete(path);
    if (this.aliasByKey.get(keyOf(path)) === target) this.aliasByKey.delete(keyOf(path));
    this.aliasesOf.get(target)?.delete(path);
    this.resolutionChanged();
    this.generation++;
  }

  get(id: string): TsqDocument | undefined {
    return this.docs.get(id);
  }

  all(): IterableIterator<TsqDocument> {
    return this.docs.values();
  }

  get size(): number {
    return this.docs.size;
  }

  /** The document at `path`, matched case-insensitively when no exact match exists. */
  findFile(path: string): ResolvedFile {
    const norm = isUri(path) ? path : normalisePath(path);
    const exact = this.docs.get(norm);
    if (exact) return { path: norm, doc: exact, caseMismatch: false };
    const aliased = this.aliases.get(norm);
    if (aliased !== undefined) return { path: norm, doc: this.docs.get(aliased), caseMismatch: false, viaAlias: true };
    const id = this.byKey.get(keyOf(norm)) ?? this.aliasByKey.get(keyOf(norm));
    if (id) return { path: norm, doc: this.docs.get(id), caseMismatch: true };
    return { path: norm, caseMismatch: false };
  }

  /** Resolves a child-sequence path written in `fromId` (slashes either way, any case). */
  resolvePath(fromId: string, ref: string): ResolvedFile {
    return this.findFile(resolveRelative(fromId, ref));
  }

  /**
   * The sequence a Run Task Sequence step names: a path to a *.tsq.yaml file, or a package ID that
   * a workspace sequence declares with `packageId:` (or a catalog lists with a `file:`).
   */
  resolveChild(fromId: string, ref: string): ResolvedFile & { byPackageId?: boolean } {
    // A file of thousands of steps runs a few children many times: each reference is resolved
    // once per resolution revision, its document looked up again when that file was edited since.
    const key = `${fromId}\u0000${ref}`;
    const known = this.resolved.get(key);
    if (known) {
      const now = known.doc && this.docs.get(known.doc.id);
      if (now === known.doc) return known;
      if (now) {
        const fresh = { ...known, doc: now };
        this.resolved.set(key, fresh);
        return fresh;
      }
    }
    const found = this.resolveChildNow(fromId, ref);
    this.resolved.set(key, found);
    return found;
  }

  private resolveChildNow(fromId: string, ref: string): ResolvedFile & { byPackageId?: boolean } {
    this.childResolutions++;
    if (looksLikePath(ref)) return this.resolvePath(fromId, ref);
    const doc = this.sequenceByPackageId(ref);
    if (doc) return { path: doc.id, doc, caseMismatch: false, byPackageId: true };
    // Not counted in `catalogReads`: a change to these entries is a change to everything (catalog-dependants.ts).
    const catalog = this.catalogIndexNow();
    const entry = catalog.lookup('childSequence', ref);
    if (entry?.file) {
      const owner = catalog.docOf(entry);
      const r = owner ? this.resolvePath(owner.id, entry.file) : undefined;
      if (r?.doc) return { ...r, byPackageId: true };
    }
    return { path: ref, caseMismatch: false, byPackageId: true };
  }

  sequenceByPackageId(id: string): TsqDocument | undefined {
    if (!this.sequencesByPackageId) {
      const m = new Map<string, TsqDocument>();
      for (const d of this.docs.values()) {
        const model = d.model as SequenceModel | undefined;
        if (d.kind === 'sequence' && model?.packageId) m.set(model.packageId.value.toUpperCase(), d);
      }
      this.sequencesByPackageId = m;
    }
    return this.sequencesByPackageId.get(id.toUpperCase());
  }

  /** How often rules and others asked for the catalog index (tests find rules that read catalogs). */
  catalogReads = 0;

  get catalog(): CatalogIndex {
    this.catalogReads++;
    return this.catalogIndexNow();
  }

  private catalogIndexNow(): CatalogIndex {
    return (this.catalogIndex ??= buildCatalogIndex([...this.docs.values()]));
  }
}

/** The package ID a sequence declares (`packageId:`); undefined for other files. */
export function packageIdOf(doc: TsqDocument | undefined): string | undefined {
  return doc?.kind === 'sequence' ? (doc.model as SequenceModel | undefined)?.packageId?.value : undefined;
}

function isUri(id: string): boolean {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(id) || id.startsWith('untitled:');
}

function keyOf(id: string): string {
  return isUri(id) ? id.toLowerCase() : pathKey(id);
}

function buildCatalogIndex(docs: TsqDocument[]): CatalogIndex {
  const catalogs: { doc: TsqDocument; model: SiteCatalogModel }[] = [];
  for (const d of docs)
    if (d.kind === 'catalog' && d.model) catalogs.push({ doc: d, model: d.model as SiteCatalogModel });
  catalogs.sort((a, b) => (a.doc.id < b.doc.id ? -1 : 1));
  const byKind = new Map<ReferenceKind, Map<string, CatalogEntry>>();
  const lists = new Map<ReferenceKind, CatalogEntry[]>();
  const owner = new Map<CatalogEntry, TsqDocument>();
  const collections = new Map<string, CollectionEntry>();
  for (const { doc, model } of catalogs) {
    for (const e of model.entries) {
      owner.set(e, doc);
      let m = byKind.get(e.kind);
      if (!m) byKind.set(e.kind, (m = new Map<string, CatalogEntry>()));
      const key = e.id.toUpperCase();
      if (!m.has(key)) m.set(key, e);
      let l = lists.get(e.kind);
      if (!l) lists.set(e.kind, (l = []));
      l.push(e);
    }
    for (const c of model.collections) if (!collections.has(c.id.toUpperCase())) collections.set(c.id.toUpperCase(), c);
  }
  const partials: PartialCatalog[] = catalogs
    .filter((c) => c.model.partial)
    .map((c) => ({ ...c, scope: scopeOf(c.model) }));
  return {
    present: catalogs.length > 0,
    partial: partials.length > 0,
    catalogs,
    partials,
    partialCovering: (kind, id) => partials.find((p) => speaksFor(p.scope, kind, id)),
    lookup: (kind, id) => byKind.get(kind)?.get(id.trim().toUpperCase()),
    entries: (kind) => lists.get(kind) ?? [],
    docOf: (e) => owner.get(e),
    collection: (id) => collections.get(id.trim().toUpperCase()),
    collections: () => [...collections.values()],
  };
}
