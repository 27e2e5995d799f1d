// `tsq import`: turns a sequence XML file, a ConfigMgr export .zip or a .tsqpkg into the files of
// a tsq workspace — one *.tsq.yaml per sequence (children referenced by path), a catalog of
// everything referenced, and, for exports, the ConfigMgr objects kept under configmgr/ so a
// later export loses nothing — and writes them all-or-nothing. Nothing here throws for bad
// input: every refusal comes back as a failed outcome with a message.

import * as path from 'node:path';
import { attemptAsync, InteropError, type Outcome } from '../errors';
import { Report } from '../report';
import { readXml } from '../xml/read';
import { attr, childElements, textOf, type XmlElement } from '../xml/tree';
import { writeXml } from '../xml/write';
import { emitYaml } from '../../model/yaml/emit';
import { readZip, ZIP_LIMITS, type ZipEntry } from '../opc/zip';
import type { ReadLimit } from '../../model/source';
import { parseConfigMgrPackage, type ExportedSequence } from '../opc/configmgr';
import { setPropertyValue } from '../opc/cim';
import { checkManifestPaths, isTsqPackage, MANIFEST_NAME, PACKAGED_FILES, readTsqPackage } from '../tsqpkg/package';
import { checkImportPaths, KEPT_FOLDER, reservedOnWindows, type OutputFile } from '../files';
import { buildImportCatalog } from './catalog';
import { importSequence, importWhileReading, type ImportedSequence } from './sequence';
import type { ChildInfo, StepContext } from '../steps/stepdata';

/** How much of an input file (XML, an export .zip, a .tsqpkg) is read: the largest archive tsq reads. */
export const IMPORT_INPUT_LIMIT: ReadLimit = {
  maxBytes: ZIP_LIMITS.maxArchiveBytes,
  what: 'tsq reads XML files, archives and packages',
  hint: 'Export without content (the _files folder is not needed for tsq).',
};

export interface ImportOptions {
  /** Password of a protected .tsqpkg. */
  password?: string;
  progress?: (message: string, fraction: number) => void;
}

export interface ImportPlan {
  /** Files to write, relative to the output folder. */
  files: OutputFile[];
  report: Report;
  /** The sequences imported: file, name, package ID. */
  sequences: { file: string; name: string; packageId?: string }[];
  kind: 'xml' | 'configmgr-zip' | 'tsqpkg';
}

export { KEPT_FOLDER };

/** A file name for a sequence: its name in lower-case words joined by dashes. */
export function fileNameFor(name: string, taken: Set<string>, suffix?: string): string {
  let base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'sequence';
  // `catalog` is the name of the catalog file an import writes beside the sequences.
  if (reservedOnWindows(base) || base === 'catalog') base = `${base}-sequence`;
  let candidate = `${base}.tsq.yaml`;
  if (taken.has(candidate) && suffix) candidate = `${base}-${suffix.toLowerCase()}.tsq.yaml`;
  for (let i = 2; taken.has(candidate); i++) candidate = `${base}-${i}.tsq.yaml`;
  taken.add(candidate);
  return candidate;
}

function header(source: string): string {
  return `# Imported by tsq from ${path.basename(source)}. Settings tsq does not model are kept under \`xml:\` keys (see docs/interop.md).\n`;
}

function emit(imported: ImportedSequence, source: string): string {
  return header(source) + emitYaml(imported.doc, { block: imported.block, spaceAfter: imported.spaceAfter });
}

const looksLikeZip = (b: Buffer) =>
  b.length >= 4 &&
  b[0] === 0x50 &&
  b[1] === 0x4b &&
  (b[2] === 0x03 || b[2] === 0x05) &&
  (b[3] === 0x04 || b[3] === 0x06);

/**
 * Works out what to write for `bytes` (the content of `source`), without touching the disk. A plan
 * only ever holds paths tsq itself writes (`checkImportPaths`): anything else refuses the input.
 */
export async function planImport(
  bytes: Buffer,
  source: string,
  options: ImportOptions = {},
): Promise<Outcome<ImportPlan>> {
  return attemptAsync(async () => {
    const plan = await planFiles(bytes, source, options);
    checkImportPaths(
      plan.files.map((f) => f.path),
      source,
    );
    return plan;
  });
}

async function planFiles(bytes: Buffer, source: string, options: ImportOptions): Promise<ImportPlan> {
  const report = new Report();
  if (looksLikeZip(bytes)) {
    options.progress?.('Reading the archive', 0.1);
    const entries = await readZip(bytes, source, ZIP_LIMITS, {
      names: (names) => checkArchiveNames(names, source),
      first: { name: MANIFEST_NAME, check: (manifest) => checkManifestPaths(manifest, source) },
    });
    if (isTsqPackage(entries)) {
      const files = readTsqPackage(entries, source, options.password);
      return { files, report, sequences: [], kind: 'tsqpkg' as const };
    }
    return planConfigMgrImport(entries, source, report, options);
  }
  options.progress?.('Reading the XML', 0.1);
  const ctx = { where: path.basename(source), report, steps: noChildren, childPath: () => undefined, consume: true };
  // Steps are imported as the reader completes them, so the whole XML tree is never kept.
  const reading = importWhileReading(ctx);
  const doc = readXml(bytes, { source, closed: reading.closed });
  noteDropped(doc.dropped, source, report);
  const fallbackName = path.basename(source).replace(/\.[^.]*$/, '');
  // Scripts that save the Sequence property often name the file after the package ID.
  const packageId = /^[A-Za-z0-9]{3}[0-9A-Fa-f]{5}$/.test(fallbackName) ? fallbackName.toUpperCase() : undefined;
  const imported = reading.finish(doc.root, { fallbackName, packageId });
  const taken = new Set<string>();
  const file = fileNameFor(String(imported.doc.sequence), taken);
  const files: OutputFile[] = [{ path: file, data: emit(imported, source) }];
  const catalog = buildImportCatalog({
    name: `Objects ${String(imported.doc.sequence)} references`,
    references: imported.references,
    referenceInfo: [],
    appReferenceInfo: [],
    dependencies: [],
    sequences: [],
    bootImages: [],
  });
  if (catalog) files.push({ path: 'catalog.tsq.yaml', data: header(source) + emitYaml(catalog) });
  summarise(report, source, [imported]);
  return { files, report, sequences: [{ file, name: String(imported.doc.sequence), packageId }], kind: 'xml' as const };
}

const noChildren: StepContext = { child: () => undefined };

function noteDropped(dropped: { comments: number; instructions: number }, where: string, report: Report): void {
  if (dropped.comments)
    report.info(
      path.basename(where),
      `${dropped.comments} XML comment(s) are not part of the sequence and were not kept`,
    );
}

function summarise(report: Report, source: string, imported: ImportedSequence[]): void {
  const k = imported.reduce(
    (a, i) => ({
      steps: a.steps + i.kept.steps,
      variables: a.variables + i.kept.variables,
      conditions: a.conditions + i.kept.conditions,
      actions: a.actions + i.kept.actions,
    }),
    { steps: 0, variables: 0, conditions: 0, actions: 0 },
  );
  const parts: string[] = [];
  if (k.steps) parts.push(`${k.steps} step(s) of a kind tsq does not know`);
  if (k.variables) parts.push(`${k.variables} setting(s) tsq does not map`);
  if (k.conditions) parts.push(`${k.conditions} condition(s)`);
  if (k.actions) parts.push(`${k.actions} command line(s) that differ from the step template`);
  if (parts.length) report.info(path.basename(source), `kept verbatim under \`xml:\`: ${parts.join(', ')}`);
}

/** Package IDs a sequence's Run Task Sequence steps name (to import children before parents). */
function childIds(seq: XmlElement): string[] {
  const out: string[] = [];
  const walk = (e: XmlElement) => {
    for (const c of childElements(e)) {
      if (
        c.name === 'subtasksequence' ||
        (c.name === 'step' && (attr(c, 'type') ?? '').toLowerCase() === 'sms_tasksequence_subtasksequence')
      ) {
        for (const list of childElements(c).filter((x) => x.name === 'defaultVarList')) {
          for (const v of childElements(list)) {
            const prop = (attr(v, 'property') ?? '').toLowerCase();
            if (prop === 'tspackageid' || prop === 'subtasksequenceid') out.push(textOf(v).trim().toUpperCase());
          }
        }
      } else walk(c);
    }
  };
  walk(seq);
  return out;
}

/** Entries of an export .zip that tsq rebuilds itself and so does not keep. */
const notKept = (name: string) =>
  ['[content_types].xml', '_rels/.rels'].includes(name.toLowerCase()) || name.endsWith('/');

/**
 * Refuses an archive from its entry names alone, before anything is inflated: the files a plain
 * .tsqpkg carries (`files/<path>`; its manifest is checked again once read, and an encrypted one's
 * once decrypted), or the entries an export .zip import would keep under configmgr/.
 */
function checkArchiveNames(names: string[], source: string): void {
  if (names.includes(MANIFEST_NAME))
    checkImportPaths(
      names.filter((n) => n.startsWith(PACKAGED_FILES)).map((n) => n.slice(PACKAGED_FILES.length)),
      source,
    );
  else
    checkImportPaths(
      names.filter((n) => !notKept(n)).map((n) => `${KEPT_FOLDER}/${n}`),
      source,
    );
}

function planConfigMgrImport(entries: ZipEntry[], source: string, report: Report, options: ImportOptions): ImportPlan {
  const pkg = parseConfigMgrPackage(entries, source);
  const byId = new Map(pkg.sequences.map((s) => [s.id.toUpperCase(), s]));
  const taken = new Set<string>();
  const fileOf = new Map<string, string>();
  for (const s of pkg.sequences) fileOf.set(s.id.toUpperCase(), fileNameFor(s.name ?? s.id, taken, s.id));
  // Children first, so a parent can name them by path and derive what they reference.
  const order: ExportedSequence[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: ExportedSequence) => {
    const key = s.id.toUpperCase();
    if (state.has(key)) return;
    state.set(key, 'visiting');
    for (const c of childIds(s.sequence)) {
      const child = byId.get(c);
      if (child && state.get(c) !== 'visiting') visit(child);
    }
    state.set(key, 'done');
    order.push(s);
  };
  pkg.sequences.forEach(visit);

  const infos = new Map<string, ChildInfo>();
  const steps: StepContext = {
    child(ref) {
      const r = ref.replace(/^\.\//, '');
      for (const [id, file] of fileOf)
        if (file === r || id === ref.toUpperCase())
          return infos.get(id) ?? { packageId: byId.get(id)!.id, name: byId.get(id)!.name };
      return undefined;
    },
  };
  const files: OutputFile[] = [];
  const imported: ImportedSequence[] = [];
  const sequences: ImportPlan['sequences'] = [];
  order.forEach((s, i) => {
    options.progress?.(`Importing ${s.name ?? s.id}`, 0.2 + (0.6 * i) / order.length);
    const file = fileOf.get(s.id.toUpperCase())!;
    const objectPath = `${KEPT_FOLDER}/${s.entryName}`;
    const imp = importSequence(
      s.sequence,
      {
        name: s.name,
        fallbackName: s.id,
        description: s.description,
        packageId: s.id,
        bootImage: s.bootImage,
        configMgr: { object: `./${objectPath}` },
      },
      {
        where: file,
        report,
        steps,
        childPath: (id) => (byId.has(id.toUpperCase()) ? `./${fileOf.get(id.toUpperCase())}` : undefined),
        consume: true,
      },
    );
    infos.set(s.id.toUpperCase(), imp.info);
    imported.push(imp);
    files.push({ path: file, data: emit(imp, source) });
    sequences.push({ file, name: String(imp.doc.sequence), packageId: s.id });
  });
  // Keep every entry tsq does not rebuild, so a later export loses nothing. A sequence's own
  // object.xml is kept without its Sequence value: the YAML is the one source of the steps.
  const sequenceEntries = new Map(pkg.sequences.map((s) => [s.entryName.toLowerCase(), s]));
  for (const e of entries) {
    if (notKept(e.name)) continue;
    const seq = sequenceEntries.get(e.name.toLowerCase());
    if (seq) {
      setPropertyValue(seq.instance, 'Sequence', 'string', 'SMS_TaskSequencePackage', '');
      files.push({ path: `${KEPT_FOLDER}/${e.name}`, data: writeXml(seq.instance) });
    } else files.push({ path: `${KEPT_FOLDER}/${e.name}`, data: e.data });
  }
  const allRefs = imported.flatMap((i) => i.references);
  const catalog = buildImportCatalog({
    name: `Objects of ${path.basename(source)}`,
    siteCode: pkg.sequences[0]?.sourceSite,
    references: allRefs,
    referenceInfo: pkg.sequences.flatMap((s) => s.references),
    appReferenceInfo: pkg.sequences.flatMap((s) => s.appReferences),
    dependencies: pkg.dependencies,
    sequences: pkg.sequences.map((s) => ({ id: s.id, name: s.name, file: `./${fileOf.get(s.id.toUpperCase())}` })),
    bootImages: pkg.sequences.map((s) => s.bootImage).filter((b): b is string => !!b),
  });
  if (catalog) files.push({ path: 'catalog.tsq.yaml', data: header(source) + emitYaml(catalog) });
  if (pkg.dependencies.length)
    report.info(
      path.basename(source),
      `kept ${pkg.dependencies.length} dependency object(s) under ${KEPT_FOLDER}/ for export`,
    );
  summarise(report, source, imported);
  return { files, report, sequences, kind: 'configmgr-zip' };
}

export { InteropError };
