// Fidelity over every shared sample: import then export to XML gives a document `tsq diff` finds
// equal to the original; the YAML import writes reads back with tsq's parser to exactly the values
// that were emitted; exporting and importing again gives the same YAML (DSL → XML → DSL is
// stable); and the imported files lint without errors other than the sample's real mistakes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planImport, type ImportPlan } from '../../server/src/interop/import';
import { sequenceToXml } from '../../server/src/interop/export/sequence-xml';
import { diffSequences } from '../../server/src/interop/diff/diff';
import { readXml } from '../../server/src/interop/xml/read';
import { writeXml } from '../../server/src/interop/xml/write';
import { ExpansionBudget, toJS } from '../../server/src/model/yaml/expand';
import { parseDocument } from '../../server/src/model/document';
import type { SequenceModel } from '../../server/src/model/sequence';
import { importSequence } from '../../server/src/interop/import/sequence';
import { emitYaml } from '../../server/src/model/yaml/emit';
import { Report } from '../../server/src/interop/report';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { CONFIGMGR_SAMPLE, noSamples, sampleFiles, workspaceOf } from './helpers';

async function plan(bytes: Buffer, name: string): Promise<ImportPlan> {
  const r = await planImport(bytes, name);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

function mainSequence(p: ImportPlan) {
  const { ws, docs } = workspaceOf(p.files);
  const doc = docs.get(p.sequences[0].file)!;
  return { ws, doc };
}

describe('round trip over the shared samples', { skip: noSamples }, () => {
  for (const file of sampleFiles()) {
    const name = path.basename(file);

    test(`${name}: import then export to XML is semantically equal to the original`, async () => {
      const original = readXml(fs.readFileSync(file), { source: name }).root;
      const { ws, doc } = mainSequence(await plan(fs.readFileSync(file), name));
      const exported = sequenceToXml(doc, ws).root;
      assert.deepEqual(diffSequences(original, exported), []);
      // The exported text itself reads back to the same thing.
      assert.deepEqual(
        diffSequences(original, readXml(Buffer.from(writeXml(exported)), { source: 'exported' }).root),
        [],
      );
    });

    test(`${name}: the YAML reads back with tsq's parser, without errors, to exactly the emitted values`, async () => {
      const root = readXml(fs.readFileSync(file), { source: name }).root;
      const imported = importSequence(
        root,
        { fallbackName: 'x' },
        { where: name, report: new Report(), steps: { child: () => undefined }, childPath: () => undefined },
      );
      const text = emitYaml(imported.doc, { block: imported.block, spaceAfter: imported.spaceAfter });
      const doc = parseDocument('/virtual/x.tsq.yaml', text);
      assert.deepEqual(doc.yaml.errors, []);
      assert.deepEqual(doc.problems, []);
      assert.deepEqual(toJS(doc.yaml.root, new ExpansionBudget()), JSON.parse(JSON.stringify(imported.doc)));
      const model = doc.model as SequenceModel;
      assert.equal(model.name, imported.doc.sequence);
      assert.equal(model.steps.length, (imported.doc.steps as unknown[]).length);
    });

    test(`${name}: DSL → XML → DSL gives the same YAML`, async () => {
      const first = await plan(fs.readFileSync(file), name);
      const { ws, doc } = mainSequence(first);
      const xml = writeXml(sequenceToXml(doc, ws).root);
      const second = await plan(Buffer.from(xml), name);
      const yaml = (p: ImportPlan) => String(p.files.find((f) => f.path === p.sequences[0].file)!.data);
      assert.equal(yaml(second), yaml(first));
    });

    test(`${name}: the imported files lint without false errors`, async () => {
      const { ws, doc } = mainSequence(await plan(fs.readFileSync(file), name));
      const errors = analyzeDocument(ws, doc).filter((d) => d.severity === 'error');
      // The ConfigMgr sample is a catalogue of every step type in no meaningful order: the steps
      // really run in the wrong environment, and saying so is right. Nothing else may be an error.
      const unexpected = errors.filter((d) => !(file === CONFIGMGR_SAMPLE && d.code === 'run-environment'));
      assert.deepEqual(
        unexpected.map((d) => `${d.code}: ${d.message}`),
        [],
      );
    });
  }

  test("the ConfigMgr sample maps onto the catalog: only an empty required image version, the console's spacing and a pre-2403 Install Package stay verbatim", async () => {
    const p = await plan(fs.readFileSync(CONFIGMGR_SAMPLE), 'sample.xml');
    const yaml = String(p.files[0].data);
    // The console writes three command lines with a trailing space and one with a double space;
    // those are kept as written (with the fingerprint that rebuilds them after an edit).
    assert.equal((yaml.match(/^\s+xml:/gm) ?? []).length, 6);
    assert.equal((yaml.match(/actionCheck:/g) ?? []).length, 4);
    for (const kept of [
      '"OSDPrestartCheck.exe "',
      '"OsdDownloadContent.exe "',
      '"OSDUpgradeOS.exe "',
      'osddriverclient.exe /install:RSC002A2  /unsigned:',
    ]) {
      assert.ok(yaml.includes(`action: ${kept}`), kept);
    }
    assert.match(yaml, /xml:\n\s+variables:\n\s+- \{ name: OSDImageVersion, property: ImageVersion, value: "" \}/);
    // The sample predates ConfigMgr 2403, whose Install Package retries by default (and stores RetryCount).
    assert.match(yaml, /action: InstallPackage\n\s+retryCount: 0\n\s+with: .*\n\s+xml: \{ unset: \[retryCount\] \}/);
    assert.match(yaml, /run: s\n\s+package: RSC001A4/);
    assert.match(yaml, /password: \{ missing: true \}/);
  });

  test('the import writes a catalog of every referenced object, by kind, with image indexes', async () => {
    const p = await plan(fs.readFileSync(CONFIGMGR_SAMPLE), 'sample.xml');
    const catalog = String(p.files.find((f) => f.path === 'catalog.tsq.yaml')!.data);
    assert.match(catalog, /partial: true/);
    assert.match(catalog, /osImages:\n {2}- \{ id: RSC001B7, indexes: \[1\] \}/);
    assert.match(catalog, /driverPackages:\n {2}- \{ id: RSC002A2 \}/);
    assert.match(catalog, /taskSequences:\n {2}- \{ id: RSC00237 \}/);
    assert.equal((catalog.match(/Application_/g) ?? []).length, 17);
  });

  test('a UTF-16 copy of a sample imports to the same YAML as the UTF-8 original', async () => {
    const utf8 = fs.readFileSync(CONFIGMGR_SAMPLE);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8.toString('utf8'), 'utf16le')]);
    const a = await plan(utf8, 'x.xml'),
      b = await plan(utf16, 'x.xml');
    assert.equal(String(b.files[0].data), String(a.files[0].data));
  });
});

describe('what the import keeps under xml:', { skip: noSamples }, () => {
  test('an unknown step type becomes a command line with its type and settings kept, and comes back unchanged', async () => {
    const xml =
      '<sequence version="3.10"><group name="G"><step type="Contoso_CustomAction" name="Custom" description="" runIn="FullOS" successCodeList="0 5" retryCount="1" runFromNet="false" extra="x"><action>contoso.exe /go</action><defaultVarList><variable name="ContosoMode" property="Mode">fast</variable></defaultVarList></step></group></sequence>';
    const p = await plan(Buffer.from(xml), 'custom.xml');
    const yaml = String(p.files[0].data);
    assert.match(yaml, /run: contoso\.exe \/go/);
    assert.match(yaml, /type: Contoso_CustomAction/);
    assert.match(yaml, /ContosoMode/);
    assert.ok(p.report.notes.some((n) => /Contoso_CustomAction.*not a step tsq knows/.test(n.message)));
    const { ws, doc } = mainSequence(p);
    assert.deepEqual(diffSequences(readXml(Buffer.from(xml), { source: 'x' }).root, sequenceToXml(doc, ws).root), []);
  });

  test('a changed setting rebuilds a kept command line instead of exporting a stale one', async () => {
    const xml =
      '<sequence version="3.10"><step type="SMS_TaskSequence_SetVariableAction" name="Set" description="" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><action>tsenv.exe "A=1" /hiddenflag:False /legacy</action><defaultVarList><variable name="VariableName" property="VariableName" hidden="true">A</variable><variable name="VariableValue" property="VariableValue" hidden="true">1</variable></defaultVarList></step></sequence>';
    const p = await plan(Buffer.from(xml), 'set.xml');
    const yaml = String(p.files[0].data);
    assert.match(yaml, /action: tsenv\.exe "A=1" \/hiddenflag:False \/legacy/);
    const unchanged = mainSequence(p);
    assert.match(writeXml(sequenceToXml(unchanged.doc, unchanged.ws).root), /\/legacy/);
    const edited = workspaceOf([{ path: 'set.tsq.yaml', data: yaml.replace('value: "1"', 'value: "2"') }]);
    const doc = edited.docs.get('set.tsq.yaml')!;
    const r = sequenceToXml(doc, edited.ws);
    const out = writeXml(r.root);
    assert.match(out, /<action>tsenv\.exe "A=2"/);
    assert.doesNotMatch(out, /\/legacy/);
    assert.ok(r.report.notes.some((n) => /rebuilt/.test(n.message)));
  });

  test('a condition tsq cannot express is kept verbatim and exported unchanged', async () => {
    const xml =
      '<sequence version="3.10"><group name="G"><condition><expression type="SMS_TaskSequence_VariableConditionExpression" extra="1"><variable name="Variable">A</variable></expression></condition></group></sequence>';
    const p = await plan(Buffer.from(xml), 'c.xml');
    assert.match(
      String(p.files[0].data),
      /condition: <condition><expression type="SMS_TaskSequence_VariableConditionExpression" extra="1">/,
    );
    const { ws, doc } = mainSequence(p);
    assert.deepEqual(diffSequences(readXml(Buffer.from(xml), { source: 'x' }).root, sequenceToXml(doc, ws).root), []);
  });
});
