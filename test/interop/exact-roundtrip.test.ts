// An unchanged round trip gives the original XML back: every shared sample (the console export
// and the MDT task sequences) is imported, exported without an edit, and compared with the
// original element by element — names, attributes with their values in their order, text
// (whitespace inside values counts), child elements in order, empty elements. Only whitespace
// between elements and passwords (which tsq never copies) may differ. A difference fails with
// its path. An edited step is still written the way its dialect writes it. The samples live
// beside the checkout (test/helpers/outside-samples.ts): CI fails without them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planImport, type ImportPlan } from '../../server/src/interop/import';
import { sequenceToXml } from '../../server/src/interop/export/sequence-xml';
import { readXml } from '../../server/src/interop/xml/read';
import { writeXml } from '../../server/src/interop/xml/write';
import type { XmlElement, XmlNode } from '../../server/src/interop/xml/tree';
import { sameXml, xmlDifferences } from '../../server/src/interop/xml/compare';
import { stepByXmlType } from '../../server/src/catalog';
import { propertyForXmlVariableElement } from '../../server/src/catalog/steps';
import { CONFIGMGR_SAMPLE, noSamples, sampleFiles, workspaceOf } from './helpers';
import { differences } from '../helpers/xml-differences';

/** The original with the values of password settings emptied: tsq never copies those. */
function withoutPasswords(
  e: XmlElement,
  def = e.name === 'step' ? stepByXmlType(e.attrs.type ?? '') : undefined,
): XmlElement {
  const children = e.children.map((c): XmlNode => {
    if (c.kind !== 'element') return c;
    if (def && c.name === 'variable') {
      const match = propertyForXmlVariableElement(def, { name: c.attrs.name, property: c.attrs.property });
      if ((match?.item ?? match?.property)?.secret) return { ...c, children: [] };
    }
    return withoutPasswords(c, c.name === 'defaultVarList' ? def : undefined);
  });
  return { ...e, children };
}

async function imported(bytes: Buffer, name: string): Promise<ImportPlan> {
  const r = await planImport(bytes, name);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

/** The sequence an import wrote, exported again as text and read back as a tree. */
function exportedAgain(p: ImportPlan, edit: (yaml: string) => string = (y) => y): XmlElement {
  const file = p.sequences[0].file;
  const files = p.files.map((f) => (f.path === file ? { ...f, data: edit(String(f.data)) } : f));
  const { ws, docs } = workspaceOf(files);
  const xml = writeXml(sequenceToXml(docs.get(file)!, ws).root);
  return readXml(Buffer.from(xml), { source: 'exported' }).root;
}

const original = (file: string) => readXml(fs.readFileSync(file), { source: path.basename(file) }).root;

describe('an unchanged round trip gives the original XML back', { skip: noSamples }, () => {
  const files = sampleFiles();

  test('the samples cover both dialects: the console export and MDT task sequences', () => {
    assert.ok(files.includes(CONFIGMGR_SAMPLE), `${CONFIGMGR_SAMPLE} is missing`);
    const mdt = files.filter((f) => original(f).attrs.version === '3.00');
    assert.ok(mdt.length >= 4, `expected the MDT samples, found ${mdt.length}`);
  });

  for (const file of files) {
    test(`${path.basename(file)}: same elements, attributes, order and text`, async () => {
      const p = await imported(fs.readFileSync(file), path.basename(file));
      const diff = differences(withoutPasswords(original(file)), exportedAgain(p));
      assert.deepEqual(diff.slice(0, 1), [], `first of ${diff.length} difference(s)`);
    });
  }

  test('passwords in the original stay out of the imported files', async () => {
    const p = await imported(fs.readFileSync(CONFIGMGR_SAMPLE), 'sample.xml');
    const yaml = String(p.files.find((f) => f.path === p.sequences[0].file)!.data);
    // The Configure ADDS step's safe mode password in the sample is "asdf".
    assert.doesNotMatch(yaml, /SafeModeAdminPassword">asdf/);
    assert.doesNotMatch(yaml, /verbatim:/);
  });
});

describe('an edited step is written the way its dialect writes it', { skip: noSamples }, () => {
  const mdtSample = () => sampleFiles().find((f) => path.basename(f).includes('CONVERT'))!;

  test('an MDT step keeps its attribute order, its variable list before its action, and only the edit changes', async () => {
    const file = mdtSample();
    const p = await imported(fs.readFileSync(file), path.basename(file));
    const edited = exportedAgain(p, (yaml) => {
      const out = yaml.replace(
        'with: { message: "", messageTimeout: 60 }',
        'with: { message: "", messageTimeout: 120 }',
      );
      assert.notEqual(out, yaml, 'the Reboot to Windows PE step is where the test expects it');
      return out;
    });
    assert.deepEqual(differences(original(file), edited), [
      'sequence/group[1]/step[2]/defaultVarList[1]/variable[2]: text "60" came back as "120"',
    ]);
  });

  test('a changed condition is written from the new `when:`, the others as they were', async () => {
    const file = mdtSample();
    const p = await imported(fs.readFileSync(file), path.basename(file));
    const edited = exportedAgain(p, (yaml) => yaml.replace('when: IsUEFI != "True"', 'when: IsUEFI != "False"'));
    const diff = differences(original(file), edited);
    assert.equal(diff.length, 1, diff.join('\n'));
    assert.match(
      diff[0],
      /^sequence\/group\[1\]\/condition\[1\]\/expression\[1\]\/variable\[3\]: text "True" came back as "False"$/,
    );
  });
});

describe('layouts many steps share are said once', () => {
  const setVariable = (name: string, mdtOrder: boolean) => {
    const vars = `<defaultVarList><variable name="VariableName" property="VariableName">${name}</variable><variable name="VariableValue" property="VariableValue">1</variable></defaultVarList>`;
    const action = `<action>tsenv.exe "${name}=1" /hiddenflag:False</action>`;
    return mdtOrder
      ? `<step type="SMS_TaskSequence_SetVariableAction" name="Set ${name}" description="" disable="false" continueOnError="false" successCodeList="0 3010">${vars}${action}</step>`
      : `<step type="SMS_TaskSequence_SetVariableAction" name="Set ${name}" description="" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false">${action}${vars}</step>`;
  };

  test('steps of one type laid out alike share a style; one laid out otherwise says so', async () => {
    const xml = `<sequence version="3.10">${setVariable('A', true)}${setVariable('B', true)}${setVariable('C', true)}${setVariable('D', false)}</sequence>`;
    const p = await imported(Buffer.from(xml), 'styles.xml');
    const yaml = String(p.files[0].data);
    assert.match(yaml, /styles:\n\s+SMS_TaskSequence_SetVariableAction:\n\s+layout:/);
    assert.equal((yaml.match(/layout:/g) ?? []).length, 2, "the style and the step laid out the console's way");
    assert.match(yaml, /layout: \{\}/);
    assert.deepEqual(differences(readXml(Buffer.from(xml), { source: 'x' }).root, exportedAgain(p)), []);
  });
});

describe('the comparison import relies on', () => {
  const tree = (xml: string) => readXml(Buffer.from(xml), { source: 'x' }).root;

  test('names the first difference by its path, and counts indentation as nothing', () => {
    const a = tree(
      '<sequence><group name="G"><step name="A"/><step name="B"><action>x  y</action></step></group></sequence>',
    );
    const b = tree(
      '<sequence>\n  <group name="G">\n    <step name="A"/>\n    <step name="B"><action>x y</action></step>\n  </group>\n</sequence>',
    );
    assert.deepEqual(xmlDifferences(a, b), ['sequence/group[1]/step[2]/action[1]: text "x  y" became "x y"']);
    assert.deepEqual(xmlDifferences(a, tree(writeXml(a))), []);
  });

  test('the quick check agrees with the listing', () => {
    const base =
      '<step a="1" b="2"><action>x</action><defaultVarList><variable name="V">1</variable></defaultVarList></step>';
    const others = [
      base,
      '<step a="1" b="2">\n  <action>x</action>\n  <defaultVarList><variable name="V">1</variable></defaultVarList>\n</step>',
      '<step b="2" a="1"><action>x</action><defaultVarList><variable name="V">1</variable></defaultVarList></step>',
      '<step a="1" b="2"><action>x </action><defaultVarList><variable name="V">1</variable></defaultVarList></step>',
      '<step a="1" b="2"><defaultVarList><variable name="V">1</variable></defaultVarList><action>x</action></step>',
      '<step a="1" b="2"><action>x</action><defaultVarList><variable name="V">2</variable></defaultVarList></step>',
      '<step a="1" b="2"><action>x</action><defaultVarList><variable name="V">1</variable></defaultVarList>loose</step>',
      '<step a="1" b="2"><action>x</action></step>',
    ];
    for (const other of others)
      assert.equal(sameXml(tree(base), tree(other)), xmlDifferences(tree(base), tree(other)).length === 0, other);
    assert.equal(others.filter((o) => sameXml(tree(base), tree(o))).length, 2);
  });

  test('attribute order and empty elements count', () => {
    const a = tree('<step a="1" b="2"><action/></step>');
    assert.deepEqual(xmlDifferences(a, tree('<step b="2" a="1"><action/></step>')), [
      'step: attributes <step a="1" b="2"> became <step b="2" a="1">',
    ]);
    assert.deepEqual(xmlDifferences(a, tree('<step a="1" b="2"/>')), ['step: children [action] became []']);
  });
});
