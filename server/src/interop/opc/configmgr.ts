// The ConfigMgr export package (Export Task Sequence wizard, Export-CMTaskSequence): an Open
// Packaging Conventions zip with `[Content_Types].xml`, `_rels/.rels`, core properties,
// `Manifest.xml`, and per exported object `<Class>/<ID>/object.xml` (a WMI instance); a task
// sequence's folder also holds ReferencesInfo.xml and AppReferencesInfo.xml. This module reads
// such a package into plain values and writes one from them. Microsoft documents the wizard
// (https://learn.microsoft.com/mem/configmgr/osd/deploy-use/export-import-task-sequences), not the
// layout inside the zip: that is as real exports write it (docs/interop.md).

import { createHash, randomUUID } from 'node:crypto';
import { InteropError } from '../errors';
import { parseXmlText, readXml } from '../xml/read';
import { attr, childElements, element, text, textOf, type XmlElement } from '../xml/tree';
import { writeXml, writeXmlBytes } from '../xml/write';
import {
  embeddedInstance,
  instanceClass,
  objectArrayProperty,
  propertyValue,
  replaceProperty,
  scalarProperty,
  setPropertyValue,
} from './cim';
import { readZip, type ZipEntry } from './zip';

export const TS_CLASS = 'SMS_TaskSequencePackage';
const OBJECT_PATH = /^([^/]+)\/([^/]+)\/object\.xml$/i;

export interface ReferenceInfo {
  packageId: string;
  packageType?: number;
  name?: string;
  version?: string;
  description?: string;
  program?: string;
}

export interface AppReferenceInfo {
  modelName: string;
  packageId?: string;
  ciId?: string;
}

export interface ExportedObject {
  className: string;
  id: string;
  /** The zip entry holding it (`SMS_Package/CM100010/object.xml`). */
  entryName: string;
  instance: XmlElement;
  name?: string;
  version?: string;
  description?: string;
}

export interface ExportedSequence extends ExportedObject {
  bootImage?: string;
  sourceSite?: string;
  sequence: XmlElement;
  references: ReferenceInfo[];
  appReferences: AppReferenceInfo[];
}

export interface ConfigMgrPackage {
  sequences: ExportedSequence[];
  dependencies: ExportedObject[];
  /** Every entry of the archive, as read. */
  entries: ZipEntry[];
  authoringScope?: string;
  comment?: string;
}

/** Instances serialised inside ReferencesInfo.xml / AppReferencesInfo.xml (`<ArrayOfString><string>`). */
function embeddedInstances(entry: ZipEntry, source: string): XmlElement[] {
  const doc = readXml(entry.data, { source: `${source} › ${entry.name}` }).root;
  const out: XmlElement[] = [];
  childElements(doc).forEach((s, i) => {
    if (s.name !== 'string') return;
    out.push(parseXmlText(textOf(s), { source: `${source} › ${entry.name} (instance ${i + 1})` }).root);
  });
  return out;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

/** Whether archive bytes look like a ConfigMgr export (it has object.xml entries for task sequences). */
export function isConfigMgrPackage(entries: ZipEntry[]): boolean {
  return entries.some((e) => {
    const m = OBJECT_PATH.exec(e.name);
    return !!m && m[1].toLowerCase() === TS_CLASS.toLowerCase();
  });
}

export function parseConfigMgrPackage(entries: ZipEntry[], source: string): ConfigMgrPackage {
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const sequences: ExportedSequence[] = [];
  const dependencies: ExportedObject[] = [];
  for (const e of entries) {
    const m = OBJECT_PATH.exec(e.name);
    if (!m) continue;
    const instance = readXml(e.data, { source: `${source} › ${e.name}` }).root;
    if (instance.name !== 'INSTANCE')
      throw new InteropError(`${source} › ${e.name} is not a WMI instance (its root is <${instance.name}>).`);
    const className = instanceClass(instance) ?? m[1];
    const id =
      nonEmpty(propertyValue(instance, 'PackageID')) ?? nonEmpty(propertyValue(instance, 'CI_UniqueID')) ?? m[2];
    const obj: ExportedObject = {
      className,
      id,
      entryName: e.name,
      instance,
      name: nonEmpty(propertyValue(instance, 'Name')) ?? nonEmpty(propertyValue(instance, 'LocalizedDisplayName')),
      version: nonEmpty(propertyValue(instance, 'Version')) ?? nonEmpty(propertyValue(instance, 'SoftwareVersion')),
      description:
        nonEmpty(propertyValue(instance, 'Description')) ?? nonEmpty(propertyValue(instance, 'LocalizedDescription')),
    };
    if (className.toLowerCase() !== TS_CLASS.toLowerCase()) {
      dependencies.push(obj);
      continue;
    }
    const seqText = propertyValue(instance, 'Sequence');
    if (seqText === undefined || seqText.trim() === '')
      throw new InteropError(`${source} › ${e.name} has no Sequence property; it holds no task sequence.`);
    const sequence = parseXmlText(seqText, { source: `${source} › ${e.name} (Sequence)` }).root;
    const folder = e.name.slice(0, e.name.length - 'object.xml'.length);
    const refEntry = byName.get(`${folder}ReferencesInfo.xml`.toLowerCase());
    const appEntry = byName.get(`${folder}AppReferencesInfo.xml`.toLowerCase());
    const references: ReferenceInfo[] = [];
    for (const inst of refEntry ? embeddedInstances(refEntry, source) : []) {
      const packageId = nonEmpty(propertyValue(inst, 'ReferencePackageID'));
      if (!packageId) continue;
      const type = Number(propertyValue(inst, 'ReferencePackageType'));
      references.push({
        packageId,
        packageType: Number.isInteger(type) ? type : undefined,
        name: nonEmpty(propertyValue(inst, 'ReferenceName')),
        version: nonEmpty(propertyValue(inst, 'ReferenceVersion')),
        description: nonEmpty(propertyValue(inst, 'ReferenceDescription')),
        program: nonEmpty(propertyValue(inst, 'ReferenceProgramName')),
      });
    }
    const appReferences: AppReferenceInfo[] = [];
    for (const inst of appEntry ? embeddedInstances(appEntry, source) : []) {
      const modelName = nonEmpty(propertyValue(inst, 'RefAppModelName'));
      if (modelName)
        appReferences.push({
          modelName,
          packageId: nonEmpty(propertyValue(inst, 'RefAppPackageID')),
          ciId: nonEmpty(propertyValue(inst, 'RefAppCI_ID')),
        });
    }
    sequences.push({
      ...obj,
      bootImage: nonEmpty(propertyValue(instance, 'BootImageID')),
      sourceSite: nonEmpty(propertyValue(instance, 'SourceSite')),
      sequence,
      references,
      appReferences,
    });
  }
  if (sequences.length === 0)
    throw new InteropError(
      `${source} holds no task sequence (no SMS_TaskSequencePackage/<ID>/object.xml).`,
      'Export the task sequence from the console (Export Task Sequence), then import that .zip.',
    );
  const manifest = byName.get('manifest.xml');
  let authoringScope: string | undefined;
  if (manifest) {
    const root = readXml(manifest.data, { source: `${source} › Manifest.xml` }).root;
    for (const props of childElements(root).filter((c) => c.name === 'Properties')) {
      for (const p of childElements(props))
        if (attr(p, 'Name') === 'AUTHORING_SCOPE') authoringScope = attr(p, 'Value');
    }
  }
  let comment: string | undefined;
  const core = entries.find((e) => /\.psmdcp$/i.test(e.name));
  if (core) {
    const root = readXml(core.data, { source: `${source} › ${core.name}` }).root;
    const d = childElements(root).find((c) => c.name === 'dc:description');
    comment = d ? nonEmpty(textOf(d)) : undefined;
  }
  return { sequences, dependencies, entries, authoringScope, comment };
}

export async function readConfigMgrPackage(bytes: Buffer, source: string): Promise<ConfigMgrPackage> {
  return parseConfigMgrPackage(await readZip(bytes, source), source);
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface PackageSequenceOut {
  packageId: string;
  name: string;
  description?: string;
  bootImage?: string;
  /** The `<sequence>` document. */
  sequenceXml: string;
  /** The object.xml kept from an import; tsq's properties are replaced in it, the rest stays. */
  keptInstance?: XmlElement;
  /** referenceList entries (packages and applications). */
  references: { package?: string; program?: string; application?: string }[];
  referenceInfo: ReferenceInfo[];
  appReferenceInfo: AppReferenceInfo[];
}

export interface PackageObjectOut {
  className: string;
  id: string;
  /**
   * The object.xml kept from an import, written unchanged. A dependency is never made up from an
   * ID and a name: the Import Task Sequence wizard would create the object from it.
   */
  keptInstance: XmlElement;
}

export interface PackageOut {
  sequences: PackageSequenceOut[];
  dependencies: PackageObjectOut[];
  /** Entries kept verbatim from an earlier import (other than those tsq writes itself). */
  extraEntries: ZipEntry[];
  authoringScope?: string;
  comment?: string;
  /** Name of the core properties part to write (the imported export's own), else a new one. */
  coreProperties?: string;
}

const xmlBytes = (root: XmlElement, declaration = false, indent = '  ') => writeXmlBytes(root, { declaration, indent });

function sequenceInstance(s: PackageSequenceOut): XmlElement {
  const inst =
    s.keptInstance ??
    element('INSTANCE', { CLASSNAME: TS_CLASS }, [
      scalarProperty('PackageType', 'uint32', 'SMS_PackageBaseclass', '4'),
      scalarProperty('Type', 'uint32', TS_CLASS, '2'),
    ]);
  setPropertyValue(inst, 'PackageID', 'string', 'SMS_PackageBaseclass', s.packageId);
  setPropertyValue(inst, 'Name', 'string', 'SMS_PackageBaseclass', s.name);
  setPropertyValue(inst, 'Description', 'string', 'SMS_PackageBaseclass', s.description ?? '');
  setPropertyValue(inst, 'BootImageID', 'string', TS_CLASS, s.bootImage ?? '');
  setPropertyValue(inst, 'Sequence', 'string', TS_CLASS, s.sequenceXml, true);
  const refs = s.references.map((r) =>
    embeddedInstance('SMS_TaskSequence_Reference', [
      { name: 'Package', type: 'string', value: r.application ?? r.package ?? '' },
      { name: 'Program', type: 'string', value: r.application !== undefined ? '' : (r.program ?? '*') },
      { name: 'Type', type: 'uint32', value: r.application !== undefined ? '1' : '0' },
    ]),
  );
  replaceProperty(inst, objectArrayProperty('References', TS_CLASS, 'SMS_TaskSequence_Reference', refs));
  setPropertyValue(inst, 'ReferencesCount', 'uint32', TS_CLASS, String(s.references.length));
  return inst;
}

function arrayOfString(instances: XmlElement[]): XmlElement {
  return element(
    'ArrayOfString',
    { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema' },
    instances.map((i) => element('string', {}, [text(writeXml(i, { indent: '  ' }).trimEnd())])),
  );
}

function referencesInfo(s: PackageSequenceOut): XmlElement {
  return arrayOfString(
    s.referenceInfo.map((r) =>
      element('INSTANCE', { CLASSNAME: 'SMS_TaskSequenceReferencesInfo' }, [
        element('PROPERTY', { TYPE: 'string', NAME: '__RELPATH' }, [element('VALUE')]),
        cimValue('PackageID', 'string', s.packageId),
        cimValue('ProgramName', 'string', '*'),
        cimValue('ReferenceDescription', 'string', r.description ?? ''),
        cimValue('ReferenceName', 'string', r.name ?? ''),
        cimValue('ReferencePackageID', 'string', r.packageId),
        cimValue('ReferencePackageType', 'uint32', String(r.packageType ?? 0)),
        cimValue('ReferenceProgramName', 'string', r.program ?? '*'),
        cimValue('ReferenceVersion', 'string', r.version ?? ''),
      ]),
    ),
  );
}

function appReferencesInfo(s: PackageSequenceOut): XmlElement {
  return arrayOfString(
    s.appReferenceInfo.map((a) =>
      element('INSTANCE', { CLASSNAME: 'SMS_TaskSequenceAppReferencesInfo' }, [
        element('PROPERTY', { TYPE: 'string', NAME: '__RELPATH' }, [element('VALUE')]),
        cimValue('PackageID', 'string', s.packageId),
        cimValue('RefAppCI_ID', 'sint32', a.ciId ?? ''),
        cimValue('RefAppModelName', 'string', a.modelName),
        cimValue('RefAppPackageID', 'string', a.packageId ?? ''),
      ]),
    ),
  );
}

function cimValue(name: string, type: string, value: string): XmlElement {
  return element('PROPERTY', { NAME: name, TYPE: type }, [element('VALUE', {}, value === '' ? [] : [text(value)])]);
}

/** Folder name of an object inside the package (application model names hold a slash). */
export function objectFolder(className: string, id: string): string {
  return `${className}/${id.replace(/[\\/:*?"<>|]/g, '_')}`;
}

const relId = (target: string) => createHash('sha256').update(target).digest('hex').toUpperCase();

/** The entries of an export package, in the order the console writes them. */
export function buildConfigMgrPackage(pkg: PackageOut): ZipEntry[] {
  const entries: ZipEntry[] = [];
  const objects: { className: string; id: string; target: string }[] = [];
  for (const s of pkg.sequences) {
    const folder = objectFolder(TS_CLASS, s.packageId);
    entries.push({ name: `${folder}/object.xml`, data: xmlBytes(sequenceInstance(s)) });
    entries.push({ name: `${folder}/ReferencesInfo.xml`, data: xmlBytes(referencesInfo(s)) });
    entries.push({ name: `${folder}/AppReferencesInfo.xml`, data: xmlBytes(appReferencesInfo(s)) });
    objects.push({ className: TS_CLASS, id: s.packageId, target: `/${folder}/object.xml` });
  }
  for (const o of pkg.dependencies) {
    const folder = objectFolder(o.className, o.id);
    entries.push({ name: `${folder}/object.xml`, data: xmlBytes(o.keptInstance) });
    objects.push({ className: o.className, id: o.id, target: `/${folder}/object.xml` });
  }
  const taken = new Set(entries.map((e) => e.name.toLowerCase()));
  for (const e of pkg.extraEntries) if (!taken.has(e.name.toLowerCase())) entries.push(e);

  const core =
    pkg.coreProperties &&
    /^package\/services\/metadata\/core-properties\/[A-Za-z0-9]+\.psmdcp$/.test(pkg.coreProperties)
      ? pkg.coreProperties
      : `package/services/metadata/core-properties/${randomUUID().replace(/-/g, '')}.psmdcp`;
  entries.push({
    name: core,
    data: xmlBytes(
      element(
        'coreProperties',
        {
          'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
          'xmlns:dcterms': 'http://purl.org/dc/terms/',
          'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
          xmlns: 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties',
        },
        [element('dc:description', {}, pkg.comment ? [text(pkg.comment)] : [])],
      ),
      true,
      '',
    ),
  });
  entries.push({
    name: 'Manifest.xml',
    data: xmlBytes(
      element(
        'LibraryDocument',
        { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema' },
        [
          element(
            'Properties',
            {},
            pkg.authoringScope ? [element('Property', { Name: 'AUTHORING_SCOPE', Value: pkg.authoringScope })] : [],
          ),
          element('Contents'),
          element(
            'EntryObjects',
            {},
            objects.map((o) =>
              element('Object', {
                Path:
                  o.className === 'SMS_Application'
                    ? `${o.className}.CI_UniqueID='${o.id}'`
                    : `${o.className}.PackageID='${o.id}'`,
                Type: o.className,
              }),
            ),
          ),
        ],
      ),
    ),
  });
  entries.push({
    name: '_rels/.rels',
    data: xmlBytes(
      element('Relationships', { xmlns: 'http://schemas.openxmlformats.org/package/2006/relationships' }, [
        ...objects.map((o) =>
          element('Relationship', {
            Type: o.className,
            Target: o.target,
            TargetMode: 'External',
            Id: `${o.className}-${relId(o.target)}`,
          }),
        ),
        element('Relationship', {
          Type: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
          Target: `/${core}`,
          Id: `R${relId(core).slice(0, 16).toLowerCase()}`,
        }),
      ]),
      true,
      '',
    ),
  });
  entries.push({
    name: '[Content_Types].xml',
    data: xmlBytes(
      element('Types', { xmlns: 'http://schemas.openxmlformats.org/package/2006/content-types' }, [
        element('Default', { Extension: 'xml', ContentType: 'text/xml' }),
        element('Default', {
          Extension: 'rels',
          ContentType: 'application/vnd.openxmlformats-package.relationships+xml',
        }),
        element('Default', {
          Extension: 'psmdcp',
          ContentType: 'application/vnd.openxmlformats-package.core-properties+xml',
        }),
      ]),
      true,
      '',
    ),
  });
  return entries;
}

/** Whether a kept archive entry is one tsq writes itself (and so must not copy back). */
export function isGeneratedEntry(name: string): boolean {
  const n = name.toLowerCase();
  return (
    n === '[content_types].xml' ||
    n === '_rels/.rels' ||
    n === 'manifest.xml' ||
    n.endsWith('.psmdcp') ||
    /\/(object|referencesinfo|appreferencesinfo)\.xml$/.test(n)
  );
}
