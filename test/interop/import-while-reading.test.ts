// Importing a plain sequence XML maps each group and step as soon as the reader has it complete,
// so the whole XML tree is never kept. These tests pin that this changes nothing an admin can
// see: the same documents, the same notes in the same order, and the same refusal when a file
// has several problems.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readXml } from '../../server/src/interop/xml/read';
import { importSequence, importWhileReading, type ImportContext } from '../../server/src/interop/import/sequence';
import { planImport } from '../../server/src/interop/import';
import { Report } from '../../server/src/interop/report';
import { emitYaml } from '../../server/src/model/yaml/emit';
import { noSamples, sampleFiles } from './helpers';

function context(report: Report, consume: boolean): ImportContext {
  return { where: 'test.xml', report, steps: { child: () => undefined }, childPath: () => undefined, consume };
}

/** The import of `text` both ways: mapped while reading, and from the whole tree afterwards. */
function bothWays(text: string) {
  const outcome = (run: (report: Report) => Record<string, unknown>) => {
    const report = new Report();
    try {
      return { value: run(report), notes: report.notes };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  const bytes = Buffer.from(text, 'utf8');
  const whileReading = outcome((report) => {
    const reading = importWhileReading(context(report, true));
    const root = readXml(bytes, { source: 'test.xml', closed: reading.closed }).root;
    return reading.finish(root, { fallbackName: 'test' }).doc;
  });
  const wholeTree = outcome(
    (report) =>
      importSequence(readXml(bytes, { source: 'test.xml' }).root, { fallbackName: 'test' }, context(report, false)).doc,
  );
  return { whileReading, wholeTree };
}

const step = (name: string, inner = '') =>
  `<step type="SMS_TaskSequence_RebootAction" name="${name}"><action>smsboot.exe /target:HD</action><defaultVarList><variable name="SMSRebootTarget" property="Target" hidden="true">HD</variable></defaultVarList>${inner}</step>`;

/** Reads `text` with the import's hook, counting the parts it replaced by a placeholder. */
function readCountingPlaceholders(reading: ReturnType<typeof importWhileReading>, text: string) {
  let replaced = 0;
  const root = readXml(Buffer.from(text), {
    source: 'test.xml',
    closed: (e, ancestors) => {
      const r = reading.closed(e, ancestors);
      if (r) replaced++;
      return r;
    },
  }).root;
  return { root, replaced };
}

describe('import while reading', () => {
  test('every sample imports to the same documents and notes as from the whole tree', { skip: noSamples }, () => {
    for (const file of sampleFiles()) {
      const { whileReading, wholeTree } = bothWays(fs.readFileSync(file, 'utf8'));
      assert.ok(!('error' in whileReading), `${path.basename(file)} imports`);
      assert.deepEqual(whileReading, wholeTree, path.basename(file));
    }
  });

  test('notes keep document order: a group before its steps, sequence variables before both', () => {
    const text = `<sequence version="3.10"><group name="G"><odd/>${step('S', '<extra/>')}</group><globalVarList><variable name="A" property="A">1</variable><variable name="A" property="A">2</variable></globalVarList></sequence>`;
    const { whileReading, wholeTree } = bothWays(text);
    assert.deepEqual(whileReading, wholeTree);
    const where = (whileReading as { notes: { where: string }[] }).notes.map((n) => n.where);
    assert.deepEqual(where, ['test.xml', 'test.xml › G', 'test.xml › G › S']);
  });

  test('with several problems, the refusal is the one the whole-tree import gives', () => {
    const cases = {
      'a group with stray text wins over its step with stray text': `<sequence><group name="G">${step('S', 'oops')} text</group></sequence>`,
      'the first bad step wins over a later one': `<sequence><group name="G">${step('A', 'one')}${step('B', 'two')}</group></sequence>`,
      'stray text in <sequence> wins over a bad step': `<sequence>${step('A', 'one')} loose</sequence>`,
      'a root that is not <sequence> wins over everything': `<other>${step('A', 'one')}</other>`,
      'XML that is not well-formed wins over a bad step': `<sequence>${step('A', 'one')}<group>`,
    };
    for (const [what, text] of Object.entries(cases)) {
      const { whileReading, wholeTree } = bothWays(text);
      assert.ok('error' in wholeTree, `${what}: the whole-tree import refuses`);
      assert.deepEqual(whileReading, wholeTree, what);
    }
  });

  test('the CLI path (planImport) maps while reading and writes what the whole-tree import gives', async () => {
    const text = `<sequence version="3.10"><group name="G">${step('S')}<group name="H">${step('T')}</group></group>${step('U')}</sequence>`;
    const planned = await planImport(Buffer.from(text), 'test.xml');
    assert.ok(planned.ok);
    const whole = importSequence(
      readXml(Buffer.from(text), { source: 'test.xml' }).root,
      { fallbackName: 'test' },
      context(new Report(), false),
    );
    const yaml = String(planned.value.files[0].data);
    assert.ok(yaml.startsWith('# Imported by tsq'));
    assert.equal(
      yaml.slice(yaml.indexOf('\n') + 1),
      emitYaml(whole.doc, { block: whole.block, spaceAfter: whole.spaceAfter }),
    );
  });

  test('groups and steps really are mapped as they close, leaving placeholders in the tree', () => {
    const reading = importWhileReading(context(new Report(), true));
    const { root, replaced } = readCountingPlaceholders(
      reading,
      `<sequence><group name="G">${step('S')}</group>${step('U')}</sequence>`,
    );
    assert.equal(replaced, 3, 'S, G and U');
    assert.ok(root.children.every((c) => c.kind === 'element' && c.name !== 'group' && c.name !== 'step'));
    const doc = reading.finish(root, { fallbackName: 'test' }).doc as { steps: { group?: string; name?: string }[] };
    assert.deepEqual(
      doc.steps.map((s) => s.group ?? s.name),
      ['G', 'U'],
    );
  });

  test('a part that cannot be imported is let go too: its refusal comes when the import reaches it, after the notes before it', () => {
    const report = new Report();
    const reading = importWhileReading(context(report, true));
    const { root, replaced } = readCountingPlaceholders(
      reading,
      `<sequence><group name="G"><odd/>${step('S', 'oops')}</group></sequence>`,
    );
    assert.equal(replaced, 2, 'the bad step S and its group G are both out of the tree');
    assert.throws(
      () => reading.finish(root, { fallbackName: 'test' }),
      /test\.xml › G › S: the step holds text outside its elements/,
    );
    assert.deepEqual(
      report.notes.map((n) => n.where),
      ['test.xml › G'],
      "the group's note came before the refusal",
    );
  });
});
