// ConfigMgr export packages: an export .zip with a parent and its child sequence, reference info,
// a dependency object, unknown object.xml properties and site files imports into YAML (the child
// referenced by path, a catalog named from ReferencesInfo, the ConfigMgr files kept under
// configmgr/), and exporting that workspace as a .zip gives the same sequences back with every
// kept property, file and reference in place.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importFile } from '../../server/src/files/interop';
import { exportSequence, type KeptFiles } from '../../server/src/interop/export';
import { keptFilesOnDisk } from '../../server/src/files/kept-files';
import {
  buildConfigMgrPackage,
  parseConfigMgrPackage,
  type ConfigMgrPackage,
} from '../../server/src/interop/opc/configmgr';
import { propertyValue, scalarProperty } from '../../server/src/interop/opc/cim';
import { readZip, writeZip } from '../../server/src/interop/opc/zip';
import { diffSequences } from '../../server/src/interop/diff/diff';
import { readXml } from '../../server/src/interop/xml/read';
import { element } from '../../server/src/interop/xml/tree';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { normalisePath } from '../../server/src/util/paths';
import { parseDocument } from '../../server/src/model/document';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import type { SiteCatalogModel } from '../../server/src/model/site-catalog';
import { CONFIGMGR_SAMPLE, noSamples, tempDir } from './helpers';

const CHILD =
  '<sequence version="3.10"><group name="Apps" description=""><step type="SMS_TaskSequence_InstallApplicationAction" name="Office" description="" runIn="FullOS" successCodeList="0" retryCount="2" runFromNet="false"><action>smsappinstall.exe /app:ScopeId_X/Application_1 /basevar: /continueOnError:False</action><defaultVarList><variable name="ApplicationName" property="ApplicationName" hidden="true">ScopeId_X/Application_1</variable><variable name="BaseVariableName" property="BaseVariableName" hidden="true"></variable><variable name="OSDAppClearCache" property="ClearCache">false</variable><variable name="ContinueOnInstallError" property="ContinueOnInstallError" hidden="true">false</variable><variable name="RetryCount" property="RetryCount" hidden="true">2</variable></defaultVarList></step></group></sequence>';

async function fixture(): Promise<Buffer> {
  const parentXml = fs.readFileSync(CONFIGMGR_SAMPLE, 'utf8');
  const kept = element('INSTANCE', { CLASSNAME: 'SMS_TaskSequencePackage' }, [
    scalarProperty('Duration', 'uint32', 'SMS_TaskSequencePackage', '360'),
    scalarProperty('SourceSite', 'string', 'SMS_PackageBaseclass', 'RSC'),
    scalarProperty('ContosoTag', 'string', 'SMS_TaskSequencePackage', 'keep me'),
  ]);
  const entries = buildConfigMgrPackage({
    sequences: [
      {
        packageId: 'RSC002A6',
        name: 'Task Sequence 1',
        description: 'Kitchen sink',
        bootImage: 'RSC00005',
        sequenceXml: parentXml,
        keptInstance: kept,
        references: [{ package: 'RSC001A4' }, { package: 'RSC00237', program: '*' }],
        referenceInfo: [
          { packageId: 'RSC001B7', packageType: 257, name: 'REF-W10-LTSB-15-001', version: '001' },
          { packageId: 'RSC001A4', packageType: 0, name: 'Loaner Laptop Local Acct' },
          { packageId: 'RSC00237', packageType: 4, name: 'Install Default Applications' },
          { packageId: 'RSC002A2', packageType: 3, name: 'Dell WinPE10-A18' },
        ],
        appReferenceInfo: [
          {
            modelName: 'ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED/Application_00e2caa8-80d2-4ade-a3f8-ebfdb5bb3465',
            packageId: 'RSC00074',
            ciId: '16876815',
          },
        ],
      },
      {
        packageId: 'RSC00237',
        name: 'Install Default Applications',
        sequenceXml: CHILD,
        references: [],
        referenceInfo: [],
        appReferenceInfo: [],
      },
    ],
    dependencies: [
      {
        className: 'SMS_Package',
        id: 'RSC001A4',
        keptInstance: element('INSTANCE', { CLASSNAME: 'SMS_Package' }, [
          scalarProperty('PackageID', 'string', 'SMS_Package', 'RSC001A4'),
          scalarProperty('PkgSourcePath', 'string', 'SMS_Package', '\\\\fs\\src\\loaner'),
        ]),
      },
    ],
    extraEntries: [
      {
        name: 'SMS_TaskSequencePackage/USERSTATE_MIGRATION_PACKAGE.xml',
        data: Buffer.from('<string>RSC00001</string>'),
      },
    ],
    authoringScope: 'ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED',
    comment: 'Exported for the lab',
  });
  return writeZip(entries);
}

describe('ConfigMgr export packages', { skip: noSamples }, () => {
  let dir: string;
  let original: ConfigMgrPackage;
  let imported: string[];

  /** The imported parent sequence exported again as a .zip, and that package read back. */
  async function exportImported() {
    const file = path.join(dir, 'ws/task-sequence-1.tsq.yaml');
    const { ws } = loadPaths([file]);
    const r = await exportSequence(ws, ws.get(normalisePath(file))!, { format: 'zip', kept: keptFilesOnDisk });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return { r: r.value, back: parseConfigMgrPackage(await readZip(r.value.bytes, 'back.zip'), 'back.zip') };
  }

  before(async () => {
    dir = tempDir();
    const zip = await fixture();
    original = parseConfigMgrPackage(await readZip(zip, 'export.zip'), 'export.zip');
    const r = await importFile(zip, 'export.zip', path.join(dir, 'ws'));
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    imported = r.value.written.map((w) => path.relative(path.join(dir, 'ws'), w).replace(/\\/g, '/')).sort();
  });

  test('import writes one file per sequence, a catalog and the kept ConfigMgr files', () => {
    assert.deepEqual(
      imported.filter((f) => !f.startsWith('configmgr/')),
      ['catalog.tsq.yaml', 'install-default-applications.tsq.yaml', 'task-sequence-1.tsq.yaml'],
    );
    for (const f of [
      'configmgr/SMS_TaskSequencePackage/RSC002A6/object.xml',
      'configmgr/SMS_Package/RSC001A4/object.xml',
      'configmgr/SMS_TaskSequencePackage/USERSTATE_MIGRATION_PACKAGE.xml',
      'configmgr/Manifest.xml',
    ]) {
      assert.ok(imported.includes(f), `${f} is kept`);
    }
  });

  test('the parent runs the child by path, and names, package ID and boot image come from object.xml', () => {
    const parent = fs.readFileSync(path.join(dir, 'ws/task-sequence-1.tsq.yaml'), 'utf8');
    assert.match(parent, /^sequence: Task Sequence 1$/m);
    assert.match(parent, /^description: Kitchen sink$/m);
    assert.match(parent, /^packageId: RSC002A6$/m);
    assert.match(parent, /^bootImage: RSC00005$/m);
    assert.match(parent, /sequence: \.\/install-default-applications\.tsq\.yaml/);
    assert.match(parent, /object: \.\/configmgr\/SMS_TaskSequencePackage\/RSC002A6\/object\.xml/);
  });

  test('the kept object.xml holds no copy of the steps', () => {
    const kept = readXml(fs.readFileSync(path.join(dir, 'ws/configmgr/SMS_TaskSequencePackage/RSC002A6/object.xml')), {
      source: 'kept',
    }).root;
    assert.equal(propertyValue(kept, 'Sequence'), '');
    assert.equal(propertyValue(kept, 'ContosoTag'), 'keep me');
  });

  test('the catalog takes kinds, names and versions from the reference info', () => {
    const doc = parseDocument('/ws/catalog.tsq.yaml', fs.readFileSync(path.join(dir, 'ws/catalog.tsq.yaml'), 'utf8'));
    const model = doc.model as SiteCatalogModel;
    const find = (kind: string, id: string) => model.entries.find((e) => e.kind === kind && e.id === id);
    assert.equal(model.siteCode?.value, 'RSC');
    assert.equal(model.partial, true);
    assert.deepEqual(
      [find('osImage', 'RSC001B7')?.name, find('osImage', 'RSC001B7')?.version, find('osImage', 'RSC001B7')?.indexes],
      ['REF-W10-LTSB-15-001', '001', [{ index: 1 }]],
    );
    assert.equal(find('driverPackage', 'RSC002A2')?.name, 'Dell WinPE10-A18');
    assert.ok(find('bootImage', 'RSC00005'));
    assert.deepEqual(
      [find('childSequence', 'RSC00237')?.name, find('childSequence', 'RSC00237')?.file],
      ['Install Default Applications', './install-default-applications.tsq.yaml'],
    );
    assert.ok(find('application', 'ScopeId_X/Application_1'));
  });

  test('the imported workspace lints without errors other than the sample’s real ones', async () => {
    const { ws, targets } = loadPaths([path.join(dir, 'ws')]);
    const errors = targets
      .flatMap((t) => analyzeDocument(ws, ws.get(t)!))
      .filter((d) => d.severity === 'error' && d.code !== 'run-environment');
    assert.deepEqual(
      errors.map((d) => `${d.code}: ${d.message}`),
      [],
    );
  });

  test('export as a zip gives back both sequences, every kept property, file and reference', async () => {
    const { back } = await exportImported();
    assert.deepEqual(back.sequences.map((s) => s.id).sort(), ['RSC00237', 'RSC002A6']);
    for (const s of back.sequences) {
      const before = original.sequences.find((o) => o.id === s.id)!;
      assert.deepEqual(diffSequences(before.sequence, s.sequence), [], `sequence ${s.id}`);
    }
    const parent = back.sequences.find((s) => s.id === 'RSC002A6')!;
    assert.equal(propertyValue(parent.instance, 'ContosoTag'), 'keep me');
    assert.equal(propertyValue(parent.instance, 'Duration'), '360');
    assert.equal(propertyValue(parent.instance, 'Name'), 'Task Sequence 1');
    assert.equal(propertyValue(parent.instance, 'BootImageID'), 'RSC00005');
    assert.equal(Number(propertyValue(parent.instance, 'ReferencesCount')), 26);
    assert.equal(parent.references.find((x) => x.packageId === 'RSC001B7')?.name, 'REF-W10-LTSB-15-001');
    assert.equal(
      parent.appReferences.find((a) => a.modelName.endsWith('00e2caa8-80d2-4ade-a3f8-ebfdb5bb3465'))?.ciId,
      '16876815',
    );
    const dep = back.dependencies.find((d) => d.id === 'RSC001A4')!;
    assert.equal(propertyValue(dep.instance, 'PkgSourcePath'), '\\\\fs\\src\\loaner');
    assert.equal(back.authoringScope, 'ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED');
    assert.equal(back.comment, 'Exported for the lab');
  });

  test('an unchanged export .zip has exactly the parts of the original: no object is made up', async () => {
    const { r, back } = await exportImported();
    const names = (p: ConfigMgrPackage) => p.entries.map((e) => e.name).sort();
    assert.deepEqual(names(back), names(original));
    // Only the dependency the original carried, with its full properties; no stub for the boot
    // image, the OS image, the driver package or the 17 applications the steps name.
    assert.deepEqual(
      back.dependencies.map((d) => `${d.className}/${d.id}`),
      ['SMS_Package/RSC001A4'],
    );
    const manifest = (p: ConfigMgrPackage) =>
      String(p.entries.find((e) => e.name === 'Manifest.xml')!.data)
        .match(/<Object [^>]*>/g)!
        .sort();
    assert.deepEqual(manifest(back), manifest(original));
    assert.ok(
      r.report.notes.some((n) => /does not carry, as the console's export without dependencies does/.test(n.message)),
    );
  });

  test('a driver package that a Download Package Content step also names is one object: a driver package (type 3)', async () => {
    const catalog = fs.readFileSync(path.join(dir, 'ws/catalog.tsq.yaml'), 'utf8');
    assert.equal((catalog.match(/id: RSC002A2/g) ?? []).length, 1);
    const { back } = await exportImported();
    const parent = back.sequences.find((s) => s.id === 'RSC002A6')!;
    assert.equal(parent.references.find((x) => x.packageId === 'RSC002A2')?.packageType, 3);
  });

  test('--with-dependencies refuses, naming every object whose full ConfigMgr object tsq does not hold', async () => {
    const file = path.join(dir, 'ws/task-sequence-1.tsq.yaml');
    const { ws } = loadPaths([file]);
    const r = await exportSequence(ws, ws.get(normalisePath(file))!, {
      format: 'zip',
      kept: keptFilesOnDisk,
      withDependencies: true,
    });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.error.message, /--with-dependencies needs the full ConfigMgr object/);
    assert.match(r.error.message, /driver package RSC002A2 \(Dell WinPE10-A18\)/);
    assert.match(r.error.message, /boot image RSC00005/);
    assert.doesNotMatch(r.error.message, /RSC001A4/, 'the package kept from the import is carried');
    assert.match(r.error.hint ?? '', /Export without --with-dependencies/);
  });

  test('--with-dependencies carries each referenced object from its kept ConfigMgr object', async () => {
    const ws2 = path.join(dir, 'deps');
    fs.mkdirSync(path.join(ws2, 'configmgr/SMS_Package/RSC001A4'), { recursive: true });
    fs.copyFileSync(
      path.join(dir, 'ws/configmgr/SMS_Package/RSC001A4/object.xml'),
      path.join(ws2, 'configmgr/SMS_Package/RSC001A4/object.xml'),
    );
    const file = path.join(ws2, 'tools.tsq.yaml');
    fs.writeFileSync(
      file,
      'sequence: Tools\npackageId: RSC00300\nsteps:\n  - name: Copy tools\n    run: xcopy . C:\\Tools /s\n    package: RSC001A4\n',
    );
    const { ws } = loadPaths([file]);
    const r = await exportSequence(ws, ws.get(normalisePath(file))!, {
      format: 'zip',
      kept: keptFilesOnDisk,
      withDependencies: true,
    });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    const back = parseConfigMgrPackage(await readZip(r.value.bytes, 'back.zip'), 'back.zip');
    assert.deepEqual(
      back.dependencies.map((d) => `${d.className}/${d.id}`),
      ['SMS_Package/RSC001A4'],
    );
    assert.equal(propertyValue(back.dependencies[0].instance, 'PkgSourcePath'), '\\\\fs\\src\\loaner');
    assert.match(
      String(back.entries.find((e) => e.name === 'Manifest.xml')!.data),
      /SMS_Package\.PackageID='RSC001A4'/,
    );
  });

  test('the export reads kept ConfigMgr files only through the reader it is given', async () => {
    const file = path.join(dir, 'ws/task-sequence-1.tsq.yaml');
    const { ws } = loadPaths([file]);
    const asked: string[] = [];
    const nothingKept: KeptFiles = {
      read: (f) => (asked.push(f), { missing: true }),
      list: () => [],
    };
    const r = await exportSequence(ws, ws.get(normalisePath(file))!, { format: 'zip', kept: nothingKept });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    const back = parseConfigMgrPackage(await readZip(r.value.bytes, 'back.zip'), 'back.zip');
    const parent = back.sequences.find((s) => s.id === 'RSC002A6')!;
    assert.equal(propertyValue(parent.instance, 'ContosoTag'), undefined, 'the kept object.xml on disk was not read');
    assert.ok(asked.some((f) => f.endsWith(path.join('RSC002A6', 'object.xml'))));
    assert.deepEqual(
      r.value.read.sort(),
      [...new Set(asked)].sort(),
      'every kept file asked for is an input the writer must spare',
    );
  });

  test('a kept reference list that cannot be used is reported, and the export describes the references afresh', async () => {
    const file = path.join(dir, 'ws/task-sequence-1.tsq.yaml');
    const { ws } = loadPaths([file]);
    const broken: KeptFiles = {
      read: (f, limit) => {
        if (f.endsWith('AppReferencesInfo.xml'))
          return { refused: `${f} is larger than 1 KB; this test reads files up to 1 KB.` };
        if (f.endsWith('ReferencesInfo.xml'))
          return { bytes: Buffer.from('<ArrayOfString><string>&lt;unclosed</string>') };
        return keptFilesOnDisk.read(f, limit);
      },
      list: (d) => keptFilesOnDisk.list(d),
    };
    const r = await exportSequence(ws, ws.get(normalisePath(file))!, { format: 'zip', kept: broken });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    const warnings = r.value.report.notes.filter((n) => n.level === 'warning').map((n) => n.message);
    assert.ok(
      warnings.some((m) =>
        /ReferencesInfo\.xml cannot be read .*; the package describes those references from the catalogs alone/.test(m),
      ),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((m) =>
        /AppReferencesInfo\.xml is larger than 1 KB.*; the package describes those references from the catalogs alone/.test(
          m,
        ),
      ),
      warnings.join('\n'),
    );
    const parent = parseConfigMgrPackage(await readZip(r.value.bytes, 'back.zip'), 'back.zip').sequences.find(
      (s) => s.id === 'RSC002A6',
    )!;
    assert.equal(propertyValue(parent.instance, 'ContosoTag'), 'keep me', 'the other kept files are still used');
  });

  test('a sequence without a package ID cannot go into an export package, and says why', async () => {
    const file = path.join(dir, 'ws/new.tsq.yaml');
    fs.writeFileSync(file, 'sequence: New\nsteps:\n  - name: Hello\n    run: cmd /c echo hi\n');
    const { ws } = loadPaths([file]);
    const r = await exportSequence(ws, ws.get(normalisePath(file))!, { format: 'zip', kept: keptFilesOnDisk });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error.message, /has no packageId/);
    fs.rmSync(file);
  });
});
