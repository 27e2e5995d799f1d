// `tsq export`: a sequence file (with its children, resolved through the workspace) written as the
// `<sequence>` XML ConfigMgr reads, as a ConfigMgr export package (.zip) for the Import Task
// Sequence wizard, or as a .tsqpkg. Objects kept from an import (configmgr/ beside the sequence)
// are reused so unknown ConfigMgr properties survive; the front end hands over a reader for them
// (`KeptFiles`), so the export itself touches no disk. The result lists every kept file read, so the
// front end that writes it can refuse to write over an input.

import * as path from 'node:path';
import type { TsqDocument } from '../../model/document';
import type { SequenceModel } from '../../model/sequence';
import type { CatalogEntry } from '../../model/site-catalog';
import { CATALOG_LISTS } from '../../model/site-catalog';
import type { Workspace } from '../../semantics/workspace';
import { childCalls } from '../../semantics/children';
import { findReferenced, siteReferences } from '../../semantics/references';
import { allReferenceKinds, referenceKindInfo } from '../../catalog';
import type { ReferenceKind } from '../../catalog/types';
import { attemptAsync, InteropError, type Outcome } from '../errors';
import { Report } from '../report';
import type { ReadLimit } from '../../model/source';
import { readXml } from '../xml/read';
import { attr, childElements, textOf, type XmlElement } from '../xml/tree';
import { writeXml } from '../xml/write';
import { emitYaml } from '../../model/yaml/emit';
import { writeZip, ZIP_LIMITS, type ZipEntry } from '../opc/zip';
import {
  buildConfigMgrPackage,
  isGeneratedEntry,
  objectFolder,
  TS_CLASS,
  type AppReferenceInfo,
  type PackageObjectOut,
  type PackageSequenceOut,
  type ReferenceInfo,
} from '../opc/configmgr';
import { propertyValue } from '../opc/cim';
import { buildTsqPackage } from '../tsqpkg/package';
import { clashingPaths, importRefuses, IMPORT_PATHS_HINT, KEPT_FOLDER, printable, type OutputFile } from '../files';
import { sequenceToXml, sequenceXmlBytes } from './sequence-xml';
import { toSlashes } from '../../util/paths';

/** A kept ConfigMgr file becomes one entry of the package, so it may be as large as one entry. */
const KEPT_FILE_LIMIT: ReadLimit = { maxBytes: ZIP_LIMITS.maxEntryBytes, what: 'an entry of an export package holds' };

export type ExportFormat = 'xml' | 'zip' | 'tsqpkg';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['xml', 'zip', 'tsqpkg'];

/** What reading a kept file gave: its bytes, nothing (there is no such file), or why it was not read. */
export type KeptRead = { bytes: Buffer } | { missing: true } | { refused: string };

/** The files an earlier import kept beside a sequence (its `configmgr/` folder), as the front end reads them. */
export interface KeptFiles {
  /** The bytes of `file`, at most `limit`; `refused` is a sentence that names the file. */
  read(file: string, limit: ReadLimit): KeptRead;
  /** Every regular file below `dir`, sorted by name, depth first; empty when there is no such folder. */
  list(dir: string): string[];
}

export interface ExportOptions {
  format: ExportFormat;
  /** Where the kept ConfigMgr files come from (files/kept-files.ts reads them from disk). */
  kept: KeptFiles;
  /** Protects a .tsqpkg (AES-256-GCM, key from scrypt). */
  password?: string;
  /** What a .tsqpkg holds besides the sequences (media export: the media's own set). */
  contents?: PackageContents;
  /**
   * An export .zip also carries every object the sequences reference (the console's "Export all
   * task sequence dependencies"). Only objects whose full ConfigMgr properties tsq holds (kept from
   * an imported export) can be carried; any other stops the export, naming it.
   */
  withDependencies?: boolean;
}

/** A .tsqpkg's files beyond the sequence and its children. */
export interface PackageContents {
  /** Machine profiles to pack; default every profile below the main sequence's folder. */
  machines?: TsqDocument[];
  /** Further tsq files to pack as they are (a media file). */
  extraDocs?: TsqDocument[];
  /** Further catalog objects the packed catalog must describe (a media's boot image). */
  extraReferences?: { kind: ReferenceKind; id: string }[];
}

export interface ExportResult {
  bytes: Buffer;
  report: Report;
  /** What went into the package (zip entries or tsqpkg files). */
  contents: string[];
  /** Kept ConfigMgr files asked for (read or not there): inputs besides the workspace's documents. */
  read: string[];
}

/** The kept files one export reads, and the ones it asked for: inputs its output must not replace. */
class KeptInputs {
  readonly asked = new Set<string>();
  constructor(private readonly files: KeptFiles) {}

  read(file: string): KeptRead {
    this.asked.add(file);
    return this.files.read(file, KEPT_FILE_LIMIT);
  }

  list(dir: string): string[] {
    return this.files.list(dir);
  }
}

/** A kept file read as an input; undefined (with a warning) when it cannot be read. */
function readKeptBytes(
  file: string,
  report: Report,
  where: string,
  instead: string,
  kept: KeptInputs,
): Buffer | undefined {
  const got = kept.read(file);
  if ('refused' in got) report.warn(where, `the kept ConfigMgr file ${got.refused.replace(/\.$/, '')}; ${instead}`);
  return 'bytes' in got ? got.bytes : undefined;
}

/** Kept ConfigMgr files below `folder` that an import would deliver again; others are noted and left out. */
function keptFiles(folder: string, report: Report, where: string, kept: KeptInputs): string[] {
  return kept.list(folder).filter((file) => {
    const rel = `${KEPT_FOLDER}/${toSlashes(path.relative(folder, file))}`;
    const why = importRefuses(rel);
    if (why) report.info(where, `${printable(rel)} is not exported: it ${why}`);
    return !why;
  });
}

function sequenceModel(doc: TsqDocument): SequenceModel {
  if (doc.kind !== 'sequence' || !doc.model)
    throw new InteropError(`${doc.id} is not a sequence file.`, 'Export a file that starts with `sequence:`.');
  return doc.model as SequenceModel;
}

/** The sequence and every child it runs (transitively) that the workspace holds, parent first. */
export function sequenceTree(ws: Workspace, doc: TsqDocument, report: Report): TsqDocument[] {
  const out: TsqDocument[] = [];
  const seen = new Set<string>();
  // Depth first with a stack of its own: a chain of thousands of children would overflow the call stack.
  const stack = [doc];
  while (stack.length) {
    const d = stack.pop()!;
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    out.push(d);
    const calls = childCalls(ws, d.id, sequenceModel(d));
    for (const c of calls) {
      if (c.target.doc?.kind !== 'sequence' && !c.target.byPackageId)
        report.warn(d.id, `the child sequence ${c.ref} was not found; it is not part of the export`);
    }
    for (let i = calls.length - 1; i >= 0; i--) {
      const child = calls[i].target.doc;
      if (child?.kind === 'sequence' && !seen.has(child.id)) stack.push(child);
    }
  }
  return out;
}

function readKept(file: string, report: Report, where: string, kept: KeptInputs): XmlElement | undefined {
  const bytes = readKeptBytes(file, report, where, 'tsq writes a fresh one', kept);
  if (!bytes) return undefined;
  try {
    return readXml(bytes, { source: file }).root;
  } catch (e) {
    if (e instanceof InteropError) {
      report.warn(where, `the kept ConfigMgr file ${file} cannot be read (${e.message}); tsq writes a fresh one`);
      return undefined;
    }
    throw e;
  }
}

function lookupAnyKind(
  ws: Workspace,
  id: string,
  preferred?: ReferenceKind,
): { kind: ReferenceKind; entry?: CatalogEntry } {
  if (preferred) {
    const e = ws.catalog.lookup(preferred, id);
    if (e || preferred !== 'package') return { kind: preferred, entry: e };
  }
  for (const k of allReferenceKinds()) {
    const e = ws.catalog.lookup(k.kind, id);
    if (e) return { kind: k.kind, entry: e };
  }
  return { kind: preferred ?? 'package' };
}

/**
 * Entries of an old ReferencesInfo.xml / AppReferencesInfo.xml kept beside an object; none (with a
 * warning when the file is there but unusable) when there is no such file.
 */
function keptInfo(folder: string, name: string, report: Report, where: string, kept: KeptInputs): XmlElement[] {
  const file = path.join(folder, name);
  const instead = 'the package describes those references from the catalogs alone';
  const bytes = readKeptBytes(file, report, where, instead, kept);
  if (!bytes) return [];
  try {
    const root = readXml(bytes, { source: file }).root;
    return childElements(root)
      .filter((s) => s.name === 'string')
      .map((s) => readXml(Buffer.from(textOf(s), 'utf8'), { source: file }).root);
  } catch (e) {
    if (!(e instanceof InteropError)) throw e;
    report.warn(where, `the kept ConfigMgr file ${file} cannot be read (${e.message}); ${instead}`);
    return [];
  }
}

/** The kept object.xml of a dependency: in its class's folder, else in any class's (a catalog may not know the class). */
function keptDependency(
  keptDirs: Set<string>,
  className: string,
  id: string,
  report: Report,
  where: string,
  kept: KeptInputs,
): { className: string; instance: XmlElement } | undefined {
  const classes = [
    className,
    ...allReferenceKinds()
      .map((k) => k.wmiClass)
      .filter((c): c is string => !!c && c !== className),
  ];
  for (const c of classes) {
    for (const dir of keptDirs) {
      const instance = readKept(path.join(dir, objectFolder(c, id), 'object.xml'), report, where, kept);
      if (instance) return { className: c, instance };
    }
  }
  return undefined;
}

async function buildZip(
  ws: Workspace,
  doc: TsqDocument,
  report: Report,
  kept: KeptInputs,
  withDependencies = false,
): Promise<{ entries: ZipEntry[] }> {
  const tree = sequenceTree(ws, doc, report);
  const exported = new Set<string>();
  const sequences: PackageSequenceOut[] = [];
  const deps = new Map<string, { kind: ReferenceKind; id: string }>();
  const keptDirs = new Set<string>();
  for (const d of tree) {
    const model = sequenceModel(d);
    const packageId = model.packageId?.value.trim();
    if (!packageId)
      throw new InteropError(
        `${d.id} has no packageId; a ConfigMgr export package names every sequence by its package ID.`,
        'Add `packageId:` (the ID ConfigMgr gave the task sequence), or export to XML instead.',
      );
    exported.add(packageId.toUpperCase());
    const xml = sequenceToXml(d, ws, report);
    const dir = path.dirname(d.id);
    keptDirs.add(path.join(dir, KEPT_FOLDER));
    const objectRef = (model.configMgr as { object?: unknown } | undefined)?.object;
    const objectFile =
      typeof objectRef === 'string'
        ? path.resolve(dir, objectRef)
        : path.join(dir, KEPT_FOLDER, objectFolder(TS_CLASS, packageId), 'object.xml');
    const keptInstance = readKept(objectFile, report, d.id, kept);
    if (typeof objectRef === 'string' && !keptInstance)
      report.warn(d.id, `configMgr.object names ${objectRef}, which is missing; tsq writes a fresh object.xml`);
    const keptRefs = keptInfo(path.dirname(objectFile), 'ReferencesInfo.xml', report, d.id, kept);
    const keptApps = keptInfo(path.dirname(objectFile), 'AppReferencesInfo.xml', report, d.id, kept);
    const referenceInfo: ReferenceInfo[] = [];
    const appReferenceInfo: AppReferenceInfo[] = [];
    for (const r of xml.references) {
      if (r.application !== undefined) {
        const kept = keptApps.find((k) => propertyValue(k, 'RefAppModelName') === r.application);
        appReferenceInfo.push({
          modelName: r.application,
          ciId: kept ? propertyValue(kept, 'RefAppCI_ID') : undefined,
          packageId: kept ? propertyValue(kept, 'RefAppPackageID') : undefined,
        });
        deps.set(`a:${r.application}`, { kind: 'application', id: r.application });
        continue;
      }
      if (!r.package) continue;
      const { kind, entry } = lookupAnyKind(ws, r.package, r.kind);
      const kept = keptRefs.find(
        (k) => (propertyValue(k, 'ReferencePackageID') ?? '').toUpperCase() === r.package!.toUpperCase(),
      );
      const keptType = kept ? Number(propertyValue(kept, 'ReferencePackageType')) : NaN;
      referenceInfo.push({
        packageId: r.package,
        packageType: referenceKindInfo(kind).packageType ?? (Number.isInteger(keptType) ? keptType : 0),
        // A child sequence exported with its parent is named as its own file names it, as the
        // catalog an import of this package writes names it (so a second export is the same).
        name:
          entry?.name ?? (kept ? propertyValue(kept, 'ReferenceName') : undefined) ?? childSequenceName(ws, r.package),
        version: entry?.version ?? (kept ? propertyValue(kept, 'ReferenceVersion') : undefined),
        description:
          (entry?.raw.description as string | undefined) ??
          (kept ? propertyValue(kept, 'ReferenceDescription') : undefined),
        program: r.program ?? '*',
      });
      deps.set(`p:${r.package.toUpperCase()}`, { kind, id: r.package });
    }
    if (model.bootImage?.value.trim())
      deps.set(`p:${model.bootImage.value.trim().toUpperCase()}`, {
        kind: 'bootImage',
        id: model.bootImage.value.trim(),
      });
    sequences.push({
      packageId,
      name: model.name,
      description: model.description,
      bootImage: model.bootImage?.value.trim() || undefined,
      sequenceXml: writeXml(xml.root, { indent: '' }),
      keptInstance,
      references: xml.references.map((r) =>
        r.application !== undefined ? { application: r.application } : { package: r.package, program: r.program },
      ),
      referenceInfo,
      appReferenceInfo,
    });
  }
  // Dependency objects: those the imported export carried (kept under configmgr/, with every
  // property ConfigMgr gave them) go back as they were. Nothing is made up from a catalog entry,
  // which holds an ID and a name but not what the Import Task Sequence wizard would create the
  // object from (its source path, programs, content settings).
  const dependencies: PackageObjectOut[] = [];
  const lacking: string[] = [];
  let notCarried = 0;
  for (const { kind, id } of deps.values()) {
    if (exported.has(id.toUpperCase())) continue;
    const info = referenceKindInfo(kind);
    if (kind === 'childSequence') {
      report.warn(
        doc.id,
        `the child sequence ${id} is not in the workspace; the package refers to it but does not carry it`,
      );
      lacking.push(`${info.label} ${id}`);
      continue;
    }
    const carried = keptDependency(keptDirs, info.wmiClass, id, report, doc.id, kept);
    if (carried) dependencies.push({ className: carried.className, id, keptInstance: carried.instance });
    else {
      notCarried++;
      const name = ws.catalog.lookup(kind, id)?.name;
      lacking.push(`${info.label} ${id}${name ? ` (${name})` : ''}`);
    }
  }
  if (withDependencies && lacking.length) {
    // Applications last: their model names are long, and packages are what admins look for first.
    const shown = [
      ...lacking.filter((l) => !l.startsWith('application ')),
      ...lacking.filter((l) => l.startsWith('application ')),
    ].join(', ');
    throw new InteropError(
      `--with-dependencies needs the full ConfigMgr object of every object the sequence uses, and tsq holds none for ${lacking.length === 1 ? 'this one' : `these ${lacking.length}`}: ${shown}.`,
      'tsq keeps full objects only from an imported export .zip made with "Export all task sequence dependencies" (under configmgr/). Export without --with-dependencies: the Import Task Sequence wizard then links the references to the objects of the same IDs on the site.',
    );
  }
  if (notCarried)
    report.info(
      doc.id,
      `the package refers to ${notCarried} object(s) it does not carry, as the console's export without dependencies does; the Import Task Sequence wizard links them to the site's objects of the same IDs`,
    );
  // Entries kept from an import that tsq does not write itself (for instance the site's USMT package note).
  const extraEntries: ZipEntry[] = [];
  let authoringScope: string | undefined, comment: string | undefined, coreProperties: string | undefined;
  for (const dir of keptDirs) {
    for (const file of keptFiles(dir, report, doc.id, kept)) {
      const name = toSlashes(path.relative(dir, file));
      if (name.toLowerCase() === 'manifest.xml') {
        const root = readKept(file, report, doc.id, kept);
        for (const props of root ? childElements(root).filter((c) => c.name === 'Properties') : []) {
          for (const p of childElements(props))
            if (attr(p, 'Name') === 'AUTHORING_SCOPE') authoringScope ??= attr(p, 'Value');
        }
        continue;
      }
      if (name.toLowerCase().endsWith('.psmdcp')) {
        coreProperties ??= name;
        const root = readKept(file, report, doc.id, kept);
        const d = root && childElements(root).find((c) => c.name === 'dc:description');
        if (d && textOf(d).trim()) comment ??= textOf(d);
        continue;
      }
      if (isGeneratedEntry(name)) continue;
      const data = readKeptBytes(file, report, doc.id, 'it is left out of the package', kept);
      if (data) extraEntries.push({ name, data });
    }
  }
  return {
    entries: buildConfigMgrPackage({ sequences, dependencies, extraEntries, authoringScope, comment, coreProperties }),
  };
}

/** The files of a .tsqpkg: the sequences, a catalog of what they use, machine profiles, kept ConfigMgr files. */
function tsqpkgFiles(
  ws: Workspace,
  doc: TsqDocument,
  report: Report,
  kept: KeptInputs,
  contents: PackageContents = {},
): { files: OutputFile[]; root: string } {
  const tree = sequenceTree(ws, doc, report);
  const base = path.dirname(doc.id);
  const rel = (p: string) => {
    const r = toSlashes(path.relative(base, p));
    if (r.startsWith('../') || path.isAbsolute(r))
      throw new InteropError(
        `${p} is outside the folder of ${path.basename(doc.id)}; a package holds files below the main sequence's folder.`,
        'Move the child sequence next to (or below) the main sequence.',
      );
    return r;
  };
  const files: OutputFile[] = [];
  const used = new Map<string, CatalogEntry>();
  for (const d of tree) {
    files.push({ path: rel(d.id), data: d.text });
    const model = sequenceModel(d);
    for (const r of siteReferences(model)) {
      const e = findReferenced(ws.catalog, r);
      if (e) used.set(`${e.listKey}:${e.id.toUpperCase()}`, e);
    }
    for (const c of childCalls(ws, d.id, model)) {
      const e = c.target.byPackageId ? ws.catalog.lookup('childSequence', c.ref) : undefined;
      if (e) used.set(`${e.listKey}:${e.id.toUpperCase()}`, e);
    }
    sequenceToXml(d, ws, report); // fails early on what export cannot write
  }
  for (const r of contents.extraReferences ?? []) {
    const e = ws.catalog.lookup(r.kind, r.id);
    if (e) used.set(`${e.listKey}:${e.id.toUpperCase()}`, e);
  }
  if (used.size) {
    const catalog: Record<string, unknown> = { catalog: `Objects ${sequenceModel(doc).name} uses`, partial: true };
    for (const { key } of CATALOG_LISTS) {
      const list = [...used.values()].filter((e) => e.listKey === key).map((e) => e.raw);
      if (list.length) catalog[key] = list;
    }
    let name = 'catalog.tsq.yaml';
    for (let i = 2; files.some((f) => f.path === name); i++) name = `catalog-${i}.tsq.yaml`;
    files.push({
      path: name,
      data: `# The catalog entries ${path.basename(doc.id)} uses, packed by tsq export.\n` + emitYaml(catalog),
    });
  }
  if (contents.machines) for (const d of contents.machines) files.push({ path: rel(d.id), data: d.text });
  else
    for (const d of ws.all()) {
      if (d.kind !== 'machine') continue;
      const r = toSlashes(path.relative(base, d.id));
      if (!r.startsWith('../') && !path.isAbsolute(r)) files.push({ path: r, data: d.text });
    }
  for (const d of contents.extraDocs ?? []) files.push({ path: rel(d.id), data: d.text });
  for (const f of keptFiles(path.join(base, KEPT_FOLDER), report, doc.id, kept)) {
    const data = readKeptBytes(f, report, doc.id, 'it is left out of the package', kept);
    if (data) files.push({ path: rel(f), data });
  }
  refuseWhatImportRefuses(
    files.map((f) => f.path),
    doc,
  );
  return { files, root: rel(doc.id) };
}

/** A package tsq would refuse to import is not made: the export says which file and why. */
function refuseWhatImportRefuses(paths: string[], doc: TsqDocument): void {
  for (const p of paths) {
    const why = importRefuses(p);
    if (why)
      throw new InteropError(
        `${printable(p)} cannot go into a package: it ${why}.`,
        `${IMPORT_PATHS_HINT.split(' Nothing was written')[0]} Rename or move it, then export ${path.basename(doc.id)} again.`,
      );
  }
  const clash = clashingPaths(paths);
  if (clash)
    throw new InteropError(
      `The package cannot hold these files: ${printable(clash)}.`,
      'Rename one of them, then export again.',
    );
}

/** Builds the export's bytes in memory. */
export async function exportSequence(
  ws: Workspace,
  doc: TsqDocument,
  options: ExportOptions,
): Promise<Outcome<ExportResult>> {
  return attemptAsync(async () => {
    const report = new Report();
    const kept = new KeptInputs(options.kept);
    switch (options.format) {
      case 'xml': {
        return { bytes: sequenceXmlBytes(doc, ws, {}, report).bytes, report, contents: [], read: [] };
      }
      case 'zip': {
        const { entries } = await buildZip(ws, doc, report, kept, options.withDependencies);
        return { bytes: await writeZip(entries), report, contents: entries.map((e) => e.name), read: [...kept.asked] };
      }
      case 'tsqpkg': {
        const { files, root } = tsqpkgFiles(ws, doc, report, kept, options.contents);
        const entries = buildTsqPackage(files, root, options.password);
        return { bytes: await writeZip(entries), report, contents: files.map((f) => f.path), read: [...kept.asked] };
      }
    }
  });
}

/** The name of the workspace's sequence whose package ID is `packageId`, if there is one. */
function childSequenceName(ws: Workspace, packageId: string): string | undefined {
  const doc = ws.sequenceByPackageId(packageId);
  return doc?.kind === 'sequence' ? (doc.model as SequenceModel | undefined)?.name : undefined;
}
