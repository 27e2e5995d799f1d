// The typed model of a `catalog:` file: what a ConfigMgr site holds (packages with their programs,
// applications, OS images with their indexes, upgrade packages, driver packages, boot images, task
// sequences known only by package ID, collections). Sequences' references are checked against the
// union of every catalog in the workspace.

import type { YMap, YNode } from './yaml/nodes';
import { ExpansionBudget, resolve, toJS } from './yaml/expand';
import { MapReader, spanOf, type Located } from './fields';
import type { Span } from './text';
import type { ReferenceKind } from '../catalog/types';

export type Architecture = 'x86' | 'x64' | 'arm64';

/** Catalog list key for each kind of referenced object. */
export const CATALOG_LISTS: { key: string; kind: ReferenceKind }[] = [
  { key: 'packages', kind: 'package' },
  { key: 'applications', kind: 'application' },
  { key: 'osImages', kind: 'osImage' },
  { key: 'upgradePackages', kind: 'osUpgradePackage' },
  { key: 'driverPackages', kind: 'driverPackage' },
  { key: 'bootImages', kind: 'bootImage' },
  { key: 'taskSequences', kind: 'childSequence' },
];

export interface ImageIndex {
  index: number;
  name?: string;
  architecture?: Architecture;
}

export interface CatalogEntry {
  kind: ReferenceKind;
  /** The list it was written in (`packages`, `osImages`, ...). */
  listKey: string;
  id: string;
  idSpan: Span;
  name?: string;
  version?: string;
  /** Normalised architectures (`architecture:` or `architectures:`); empty when not stated. */
  architectures: Architecture[];
  /** False when the content is not on any distribution point; undefined when not stated. */
  distributed?: boolean;
  programs: Located<string>[];
  indexes: ImageIndex[];
  /** Content size in MB, when stated (media size checks). */
  sizeMB?: number;
  /** The package has a package share (needed to run from the distribution point). */
  share?: boolean;
  /** For `taskSequences`: the *.tsq.yaml file that holds that sequence, if it is in the workspace. */
  file?: string;
  span: Span;
  node: YMap;
  /** Every field as written, for features that need more than the fields above. */
  raw: Record<string, unknown>;
}

export interface CollectionEntry {
  id: string;
  idSpan: Span;
  name?: string;
  span: Span;
  node: YMap;
  raw: Record<string, unknown>;
}

export interface SiteCatalogModel {
  kind: 'catalog';
  name: string;
  nameSpan: Span;
  siteCode?: Located<string>;
  /** A partial catalog lists only some of the site's objects: missing references are warnings. */
  partial: boolean;
  entries: CatalogEntry[];
  collections: CollectionEntry[];
  /** Site settings (`site:`), as written. */
  site?: Record<string, unknown>;
  root: YMap;
}

export function normaliseArchitecture(s: string): Architecture | undefined {
  const v = s.trim().toLowerCase();
  if (v === 'x64' || v === 'amd64' || v === 'x86_64' || v === '64-bit') return 'x64';
  if (v === 'x86' || v === 'i386' || v === '32-bit') return 'x86';
  if (v === 'arm64' || v === 'aarch64') return 'arm64';
  return undefined;
}

export function buildSiteCatalog(root: YMap, budget: ExpansionBudget): SiteCatalogModel {
  const r = new MapReader(root, budget);
  const name = r.string('catalog');
  const model: SiteCatalogModel = {
    kind: 'catalog',
    name: name?.value ?? '',
    nameSpan: name?.span ?? spanOf(root),
    siteCode: r.string('siteCode'),
    partial: r.bool('partial')?.value ?? false,
    entries: [],
    collections: [],
    site: r.map('site') ? (r.js('site') as Record<string, unknown>) : undefined,
    root,
  };
  for (const { key, kind } of CATALOG_LISTS) {
    for (const item of r.list(key)) {
      if (item.kind !== 'map') continue;
      const e = buildEntry(item, kind, key, budget);
      if (e) model.entries.push(e);
    }
  }
  for (const item of r.list('collections')) {
    if (item.kind !== 'map') continue;
    const er = new MapReader(item, budget);
    const id = er.string('id');
    if (!id) continue;
    model.collections.push({ id: id.value, idSpan: id.span, name: er.string('name')?.value, span: spanOf(item), node: item, raw: toJS(item, budget) as Record<string, unknown> });
  }
  return model;
}

function buildEntry(item: YMap, kind: ReferenceKind, listKey: string, budget: ExpansionBudget): CatalogEntry | undefined {
  const er = new MapReader(item, budget);
  const id = er.string('id');
  if (!id) return undefined;
  const archs: Architecture[] = [];
  for (const a of [...er.strings('architecture'), ...er.strings('architectures')]) {
    const n = normaliseArchitecture(a.value);
    if (n && !archs.includes(n)) archs.push(n);
  }
  const programs: Located<string>[] = [];
  for (const p of er.list('programs')) {
    if (p.kind === 'scalar' && p.value !== null) programs.push({ value: p.text, span: spanOf(p) });
    else if (p.kind === 'map') {
      const pn = new MapReader(p, budget).string('name');
      if (pn) programs.push(pn);
    }
  }
  const indexes: ImageIndex[] = [];
  for (const x of er.list('indexes')) indexes.push(...readIndex(x, budget));
  const size = er.scalar('sizeMB');
  const version = er.string('version');
  return {
    kind,
    listKey,
    id: id.value,
    idSpan: id.span,
    name: er.string('name')?.value,
    version: version?.value,
    architectures: archs,
    distributed: er.bool('distributed')?.value,
    programs,
    indexes,
    sizeMB: size && typeof size.value === 'number' ? size.value : undefined,
    share: er.bool('share')?.value,
    file: er.string('file')?.value,
    span: spanOf(item),
    node: item,
    raw: toJS(item, budget) as Record<string, unknown>,
  };
}

function readIndex(x: YNode, budget: ExpansionBudget): ImageIndex[] {
  const n = resolve(x, budget);
  if (!n) return [];
  if (n.kind === 'scalar' && typeof n.value === 'number' && Number.isInteger(n.value)) return [{ index: n.value }];
  if (n.kind === 'map') {
    const r = new MapReader(n, budget);
    const index = r.integer('index');
    if (!index) return [];
    const arch = r.string('architecture');
    return [{ index: index.value, name: r.string('name')?.value, architecture: arch ? normaliseArchitecture(arch.value) : undefined }];
  }
  return [];
}
