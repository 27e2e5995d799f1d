// The typed model of a `catalog:` file: what a ConfigMgr site holds (packages with their programs,
// applications, OS images with their indexes, upgrade packages, driver packages, boot images, task
// sequences known only by package ID, collections with their maintenance windows, the site's
// settings). Sequences' references are checked against the union of every catalog in the workspace.

import type { YMap, YNode } from './yaml/nodes';
import { ExpansionBudget, resolve, toJS } from './yaml/expand';
import { MapReader, spanOf, type Located } from './fields';
import type { Span } from './text';
import type { ReferenceKind } from '../catalog/types';
import { buildMaintenanceWindow, type MaintenanceWindow } from './maintenance-window';
import { buildSiteSettings, type SiteSettings } from './site-settings';
import { normaliseArchitecture, type Architecture } from './architecture';

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
  /** For OS images: the package may be sent by multicast (which needs the network access account). */
  multicast?: boolean;
  span: Span;
  node: YMap;
  /** Every field as written, for features that need more than the fields above. */
  raw: Record<string, unknown>;
}

export type CollectionType = 'device' | 'user';

export interface CollectionEntry {
  id: string;
  idSpan: Span;
  name?: string;
  /** Device or user collection; undefined when not stated. */
  type?: CollectionType;
  members?: number;
  /** Members that are servers (`true` in the file counts as 1: some, number unknown). */
  servers?: number;
  /** Members that hold a site system role (`true` counts as 1). */
  siteSystems?: number;
  /** A collection ConfigMgr ships (All Systems, All Unknown Computers, ...): stated, or an `SMS` ID. */
  builtIn: boolean;
  /** Members are Windows Embedded devices with a write filter. */
  windowsEmbedded?: boolean;
  /** Members are in a domain or forest the site's servers do not trust. */
  untrustedDomain?: boolean;
  maintenanceWindows: MaintenanceWindow[];
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
  /** Site settings (`site:`), typed. */
  siteSettings?: SiteSettings;
  root: YMap;
}

export function buildSiteCatalog(root: YMap, budget: ExpansionBudget): SiteCatalogModel {
  const r = new MapReader(root, budget);
  const name = r.string('catalog');
  const siteMap = r.map('site');
  const model: SiteCatalogModel = {
    kind: 'catalog',
    name: name?.value ?? '',
    nameSpan: name?.span ?? spanOf(root),
    siteCode: r.string('siteCode'),
    partial: r.bool('partial')?.value ?? false,
    entries: [],
    collections: [],
    site: r.map('site') ? (r.js('site') as Record<string, unknown>) : undefined,
    siteSettings: siteMap ? buildSiteSettings(siteMap, budget) : undefined,
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
    const c = buildCollection(item, budget);
    if (c) model.collections.push(c);
  }
  return model;
}

/** All Unknown Computers: the one built-in collection a high-risk deployment may target. */
export const ALL_UNKNOWN_COMPUTERS_ID = 'SMS000US';

function buildCollection(item: YMap, budget: ExpansionBudget): CollectionEntry | undefined {
  const er = new MapReader(item, budget);
  const id = er.string('id');
  if (!id) return undefined;
  const type = er.string('type')?.value;
  const count = (key: string): number | undefined => {
    const v = er.scalar(key)?.value;
    if (typeof v === 'boolean') return v ? 1 : 0;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
  };
  const windows: MaintenanceWindow[] = [];
  for (const w of er.list('maintenanceWindows')) {
    const mw = w.kind === 'map' ? buildMaintenanceWindow(w, budget) : undefined;
    if (mw) windows.push(mw);
  }
  return {
    id: id.value,
    idSpan: id.span,
    name: er.string('name')?.value,
    type: type === 'device' || type === 'user' ? type : undefined,
    members: count('members'),
    servers: count('servers'),
    siteSystems: count('siteSystems'),
    // Built-in collection IDs start with SMS; a site code may not be SMS, so custom ones never do.
    builtIn: er.bool('builtIn')?.value ?? /^SMS/i.test(id.value.trim()),
    windowsEmbedded: er.bool('windowsEmbedded')?.value,
    untrustedDomain: er.bool('untrustedDomain')?.value,
    maintenanceWindows: windows,
    span: spanOf(item),
    node: item,
    raw: toJS(item, budget) as Record<string, unknown>,
  };
}

function buildEntry(
  item: YMap,
  kind: ReferenceKind,
  listKey: string,
  budget: ExpansionBudget,
): CatalogEntry | undefined {
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
    multicast: er.bool('multicast')?.value,
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
    return [
      {
        index: index.value,
        name: r.string('name')?.value,
        architecture: arch ? normaliseArchitecture(arch.value) : undefined,
      },
    ];
  }
  return [];
}
