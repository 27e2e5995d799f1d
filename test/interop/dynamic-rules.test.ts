// Set Dynamic Variables rules between ConfigMgr's XML and the DSL: import turns the text ConfigMgr
// stores in OSDSetDynamicVariablesRules into the YAML list when writing the list back gives the
// same text, and export writes it back exactly; any other text stays a string and goes back as it
// came. Hidden values ("Do not display this value") are never copied: ConfigMgr removes them on
// export and import itself (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { planImport, type ImportPlan } from '../../server/src/interop/import';
import { sequenceToXml } from '../../server/src/interop/export/sequence-xml';
import { readXml, walkXml } from '../../server/src/interop/xml/read';
import type { XmlElement } from '../../server/src/interop/xml/tree';
import { writeXml } from '../../server/src/interop/xml/write';
import { CONFIGMGR_SAMPLE, workspaceOf } from './helpers';

async function imported(bytes: Buffer): Promise<ImportPlan> {
  const r = await planImport(bytes, 'sample.xml');
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

/** The text of every OSDSetDynamicVariablesRules variable in a sequence XML tree. */
function rulesTexts(root: XmlElement): string[] {
  const out: string[] = [];
  for (const n of walkXml(root)) {
    if (n.kind === 'element' && n.name === 'variable' && n.attrs.name === 'OSDSetDynamicVariablesRules')
      out.push(n.children.map((c) => (c.kind === 'text' ? c.text : '')).join(''));
  }
  return out;
}

function exported(p: ImportPlan): XmlElement {
  const { ws, docs } = workspaceOf(p.files);
  const root = sequenceToXml(docs.get(p.sequences[0].file)!, ws).root;
  // Through the written text, as a file on disk carries it.
  return readXml(Buffer.from(writeXml(root)), { source: 'exported' }).root;
}

const sequenceXml = (rules: string) =>
  `<sequence version="3.10"><step type="SMS_TaskSequence_SetDynamicVariablesAction" name="Pick" description="" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><action>OSDSetDynamicVariables.exe</action><defaultVarList><variable name="OSDSetDynamicVariablesRules" property="Rules">${rules.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</variable></defaultVarList></step></sequence>`;

describe('Set Dynamic Variables rules on import and export', () => {
  test('the ConfigMgr sample’s rules become the YAML list, and export writes the stored text back exactly', async () => {
    // A missing sample fails here (it is read, not skipped).
    const bytes = fs.readFileSync(CONFIGMGR_SAMPLE);
    const original = rulesTexts(readXml(bytes, { source: 'sample' }).root);
    assert.equal(original.length, 1);
    const plan = await imported(bytes);
    const yaml = String(plan.files.find((f) => f.path === plan.sequences[0].file)!.data);
    assert.match(yaml, /rules:\n\s+- \{ computer: \{ assetTag: s \}, variables: \{ s: "" \} \}/);
    assert.deepEqual(rulesTexts(exported(plan)), original);
  });

  test('every kind of rule, and hidden values, go through the list; the hidden value itself is dropped', async () => {
    const rules =
      '<Rules>' +
      '<Rule><condition><expression type="SMS_TaskSequence_LocationConditionExpression"><variable name="DefaultGateway">10.0.0.1</variable></expression></condition><Variables><Variable Name="Site" IsSecret="false">HQ</Variable></Variables></Rule>' +
      '<Rule><condition><expression type="SMS_TaskSequence_MakeModelConditionExpression"><variable name="Make">Dell*</variable><variable name="Model">Latitude 74??</variable></expression></condition><Variables><Variable Name="Drivers" IsSecret="false">dell</Variable></Variables></Rule>' +
      '<Rule><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">Ring</variable><variable name="Operator">equals</variable><variable name="Value">pilot</variable></expression></condition><Variables><Variable Name="Join" IsSecret="true">s3cret</Variable></Variables></Rule>' +
      '<Rule><Variables><Variable Name="Always" IsSecret="false">a &amp; b</Variable></Variables></Rule>' +
      '</Rules>\n';
    const plan = await imported(Buffer.from(sequenceXml(rules)));
    const yaml = String(plan.files.find((f) => f.path === plan.sequences[0].file)!.data);
    assert.match(yaml, /location: \{ defaultGateway: "10\.0\.0\.1" \}/);
    assert.match(yaml, /makeAndModel: \{ make: Dell\*, model: Latitude 74\?\? \}/);
    assert.match(yaml, /taskSequenceVariable: \{ name: Ring, operator: equals, value: pilot \}/);
    assert.match(yaml, /Join: \{ missing: true \}/);
    assert.doesNotMatch(yaml, /s3cret/);
    assert.deepEqual(rulesTexts(exported(plan)), [rules.replace('s3cret', '')]);
  });

  test('text the list would not write back byte for byte stays a string, and goes back unchanged', async () => {
    const rules = '<Rules><Rule><Variables><Variable Name="A" IsSecret="false">1</Variable></Variables></Rule></Rules>';
    const plan = await imported(Buffer.from(sequenceXml(rules)));
    const yaml = String(plan.files.find((f) => f.path === plan.sequences[0].file)!.data);
    assert.match(yaml, /rules: <Rules><Rule>/);
    assert.deepEqual(rulesTexts(exported(plan)), [rules]);
  });
});
