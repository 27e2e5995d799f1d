// Run Task Sequence carries the child's applications as ConfigMgr writes them: one comma-separated
// value (`OSDSubTasksequenceTsReferenceApplications`). In YAML they are a list, one application per
// line; export joins them back with commas, so an unchanged sequence round-trips to the same text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planImport } from '../../server/src/interop/import';
import { sequenceToXml } from '../../server/src/interop/export/sequence-xml';
import { writeXml } from '../../server/src/interop/xml/write';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { stepByKey } from '../../server/src/catalog';
import { workspaceOf } from './helpers';

const APPS = [
  'ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED/Application_00e2caa8',
  'ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED/Application_0ce8ffaf',
];
const xml = (apps: string) =>
  `<sequence version="3.10"><subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run Task Sequence" description="" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><action>SubTasksequence.exe</action><defaultVarList><variable name="OSDSubTasksequenceTsName" property="TsName">RSC00237, Install Apps</variable><variable name="OSDSubTasksequencePackageID" property="TsPackageID">RSC00237</variable><variable name="OSDSubTasksequenceTsReferenceApplications" property="TsReferenceApplications">${apps}</variable><variable name="OSDSubTasksequenceTsReferencePackages" property="TsReferencePackages"></variable></defaultVarList></subtasksequence></sequence>`;

async function imported(apps: string) {
  const r = await planImport(Buffer.from(xml(apps)), 'parent.xml');
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  const { ws, docs } = workspaceOf(r.value.files);
  const file = r.value.sequences[0].file;
  return { yaml: String(r.value.files.find((f) => f.path === file)!.data), ws, doc: docs.get(file)! };
}

describe('referencedApplications of Run Task Sequence', () => {
  test('imports as a list, one application per line', async () => {
    const { yaml } = await imported(APPS.join(','));
    assert.match(yaml, new RegExp(`referencedApplications:\\n\\s+- ${APPS[0]}\\n\\s+- ${APPS[1]}\\n`));
  });

  test('exports back to the comma-separated value ConfigMgr wrote', async () => {
    const { ws, doc } = await imported(APPS.join(','));
    const out = writeXml(sequenceToXml(doc, ws).root);
    assert.match(out, new RegExp(`property="TsReferenceApplications">${APPS.join(',')}</variable>`));
  });

  test('an empty value imports as an empty list and exports empty again', async () => {
    const { yaml, ws, doc } = await imported('');
    assert.match(yaml, /referencedApplications: \[\]/);
    assert.match(
      writeXml(sequenceToXml(doc, ws).root),
      /property="TsReferenceApplications"><\/variable>|property="TsReferenceApplications" *\/>/,
    );
  });

  test('the imported list lints clean, and the catalog types the option as a list', async () => {
    const { ws, doc } = await imported(APPS.join(','));
    assert.deepEqual(
      analyzeDocument(ws, doc).filter(
        (d) => d.severity === 'error' || d.code === 'schema' || d.code === 'invalid-value',
      ),
      [],
    );
    const p = stepByKey('RunTaskSequence')!.properties.find((x) => x.name === 'referencedApplications')!;
    assert.deepEqual([p.type, p.listSeparator], ['stringList', ',']);
  });
});
