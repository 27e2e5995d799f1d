// The catalog file an import writes beside the sequences: every object they reference, sorted
// into the catalog's lists by kind (from the export's ReferencesInfo when there is one, else from
// the step that uses it), with names, versions and programs where the export tells them, image
// indexes the steps use, and child sequences with the file that holds them. It is marked
// partial: it lists what these sequences use, not everything the site holds.

import { referenceKindInfo, referenceKindOfPackageType } from '../../catalog';
import type { ReferenceKind } from '../../catalog/types';
import type { AppReferenceInfo, ExportedObject, ReferenceInfo } from '../opc/configmgr';
import type { ReferenceEntry } from '../steps/references';

export interface CatalogInput {
  name: string;
  siteCode?: string;
  references: ReferenceEntry[];
  referenceInfo: ReferenceInfo[];
  appReferenceInfo: AppReferenceInfo[];
  dependencies: ExportedObject[];
  /** Child sequences of the import: package ID → name and file. */
  sequences: { id: string; name?: string; file?: string }[];
  bootImages: string[];
}

interface Entry {
  id: string;
  name?: string;
  version?: string;
  description?: string;
  programs?: string[];
  indexes?: number[];
  file?: string;
}

const LIST_ORDER: ReferenceKind[] = [
  'package',
  'application',
  'osImage',
  'osUpgradePackage',
  'driverPackage',
  'bootImage',
  'childSequence',
];

/** The catalog document (for the YAML emitter), or undefined when nothing is referenced. */
export function buildImportCatalog(input: CatalogInput): Record<string, unknown> | undefined {
  const lists = new Map<ReferenceKind, Map<string, Entry>>();
  const entry = (kind: ReferenceKind, id: string): Entry => {
    let m = lists.get(kind);
    if (!m) lists.set(kind, (m = new Map<string, Entry>()));
    const key = id.toUpperCase();
    let e = m.get(key);
    if (!e) m.set(key, (e = { id }));
    return e;
  };
  const infoById = new Map(input.referenceInfo.map((r) => [r.packageId.toUpperCase(), r]));
  const depById = new Map(input.dependencies.map((d) => [d.id.toUpperCase(), d]));
  const kindOf = (id: string, fallback: ReferenceKind | undefined): ReferenceKind => {
    const t = infoById.get(id.toUpperCase())?.packageType;
    return (t !== undefined ? referenceKindOfPackageType(t) : undefined) ?? fallback ?? 'package';
  };
  const fill = (e: Entry, id: string) => {
    const info = infoById.get(id.toUpperCase());
    const dep = depById.get(id.toUpperCase());
    e.name ??= info?.name ?? dep?.name;
    e.version ??= info?.version ?? dep?.version;
    e.description ??= info?.description ?? dep?.description;
    if (info?.program && info.program !== '*' && !(e.programs ??= []).includes(info.program))
      e.programs.push(info.program);
  };
  for (const r of input.references) {
    if (r.application !== undefined) {
      const e = entry('application', r.application);
      e.name ??= depById.get(r.application.toUpperCase())?.name;
      continue;
    }
    if (!r.package) continue;
    // One object, one class: the export's ReferencesInfo says which; else the steps that take
    // one class only (a Download Package Content step takes any class and says nothing).
    const kind = kindOf(r.package, r.kind);
    const e = entry(kind, r.package);
    fill(e, r.package);
    if (r.program && r.program !== '*' && kind === 'package' && !(e.programs ??= []).includes(r.program))
      e.programs.push(r.program);
    if (kind === 'osImage' || kind === 'osUpgradePackage')
      for (const i of r.indexes ?? []) if (!(e.indexes ??= []).includes(i)) e.indexes.push(i);
  }
  for (const r of input.referenceInfo) fill(entry(kindOf(r.packageId, undefined), r.packageId), r.packageId);
  for (const a of input.appReferenceInfo) entry('application', a.modelName);
  for (const id of input.bootImages) fill(entry('bootImage', id), id);
  for (const s of input.sequences) {
    const e = entry('childSequence', s.id);
    e.name ??= s.name;
    if (s.file) e.file = s.file;
  }
  if (![...lists.values()].some((m) => m.size > 0)) return undefined;
  const doc: Record<string, unknown> = { catalog: input.name };
  if (input.siteCode && /^[A-Za-z0-9]{3}$/.test(input.siteCode)) doc.siteCode = input.siteCode;
  doc.partial = true;
  for (const kind of LIST_ORDER) {
    const m = lists.get(kind);
    if (!m || m.size === 0) continue;
    doc[referenceKindInfo(kind).catalogList] = [...m.values()].map((e) => {
      const out: Record<string, unknown> = { id: e.id };
      if (e.name !== undefined) out.name = e.name;
      if (e.version !== undefined) out.version = e.version;
      if (e.description !== undefined) out.description = e.description;
      if (e.programs?.length) out.programs = e.programs;
      if (e.indexes?.length) out.indexes = [...e.indexes].sort((a, b) => a - b);
      if (e.file !== undefined) out.file = e.file;
      return out;
    });
  }
  return doc;
}
