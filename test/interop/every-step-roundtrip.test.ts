// Every built-in step type, every option set to a value other than its default, survives the
// trip to ConfigMgr's sequence XML and back: the XML tsq writes, imported and exported again
// without an edit, is the same XML element for element (names, attributes in their order, text,
// empty elements), and the YAML the import writes says the same as the YAML it came from. The
// shared samples prove this for the steps real sequences use; this covers the rest of the
// catalog, so a step type no sample happens to hold cannot lose an option unnoticed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { planImport, type ImportPlan } from '../../server/src/interop/import';
import { sequenceToXml } from '../../server/src/interop/export/sequence-xml';
import { readXml } from '../../server/src/interop/xml/read';
import { writeXml } from '../../server/src/interop/xml/write';
import type { XmlElement } from '../../server/src/interop/xml/tree';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { allSteps } from '../../server/src/catalog';
import { EVERY_STEP_CATALOG, everyStepSequence, reachesXml } from '../helpers/every-step';
import { refuseUnexportable } from '../../server/src/interop/exportable';
import { differences } from '../helpers/xml-differences';
import { workspaceOf } from './helpers';

function exportOf(yaml: string, catalog = EVERY_STEP_CATALOG): string {
  const ws = new Workspace();
  ws.upsert(parseDocument('/cover/catalog.tsq.yaml', catalog));
  const doc = parseDocument('/cover/every-step.tsq.yaml', yaml);
  ws.upsert(doc);
  return writeXml(sequenceToXml(doc, ws).root);
}

async function importOf(xml: string): Promise<ImportPlan> {
  const r = await planImport(Buffer.from(xml), 'every-step.xml');
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

const tree = (xml: string): XmlElement => readXml(Buffer.from(xml), { source: 'x' }).root;

describe('every step type with every option makes the round trip', () => {
  const yaml = everyStepSequence();

  test('the sequence holds one step of each built-in type and checks clean against its catalog', () => {
    const ws = new Workspace();
    ws.upsert(parseDocument('/cover/catalog.tsq.yaml', EVERY_STEP_CATALOG));
    const doc = parseDocument('/cover/every-step.tsq.yaml', yaml);
    ws.upsert(doc);
    assert.equal((yaml.match(/^ {4}action: /gm) ?? []).length, allSteps().length);
    // Only checks that speak of the order or the place of steps may fire: one of every step in a
    // row runs Windows PE steps after full-OS ones. An option the schema or a rule refuses would
    // mean the generator, not the round trip, is wrong.
    const optionFindings = analyzeDocument(ws, doc).filter(
      (d) =>
        d.severity === 'error' &&
        ['schema', 'invalid-value', 'unknown-option', 'broken-reference', 'missing-option'].includes(String(d.code)),
    );
    assert.deepEqual(
      optionFindings.map((d) => `${d.code} at ${JSON.stringify(yaml.slice(d.start, d.end))}: ${d.message}`),
      [],
    );
  });

  test('XML written by tsq, imported and exported again, is the same XML', async () => {
    const first = exportOf(yaml);
    const plan = await importOf(first);
    const { ws, docs } = workspaceOf(plan.files);
    const again = writeXml(sequenceToXml(docs.get(plan.sequences[0].file)!, ws).root);
    const diff = differences(tree(first), tree(again));
    assert.deepEqual(diff.slice(0, 3), [], `${diff.length} difference(s)`);
  });

  test('the import understands every option: nothing is kept as raw XML beside the YAML', async () => {
    // The importer keeps what it cannot map under `xml:` so that export can still write it back;
    // for XML tsq wrote itself, every value must map onto an option instead.
    const plan = await importOf(exportOf(yaml));
    const imported = String(plan.files.find((f) => f.path === plan.sequences[0].file)!.data);
    const kept = imported.split('\n').filter((line) => /^\s+xml:/.test(line));
    assert.deepEqual(kept, []);
    assert.doesNotMatch(imported, /verbatim:|unmapped/);
  });

  test('each step is written as its own type, with a value for every option it was given', () => {
    const steps = tree(exportOf(yaml)).children.filter(
      (c): c is XmlElement => c.kind === 'element' && (c.name === 'step' || c.name === 'subtasksequence'),
    );
    assert.deepEqual(
      steps.map((s) => s.attrs.type),
      allSteps().map((d) => d.xmlType),
    );
    for (const [i, def] of allSteps().entries()) {
      const vars = steps[i].children.find((c): c is XmlElement => c.kind === 'element' && c.name === 'defaultVarList');
      const written = new Set<string | undefined>(
        (vars?.children ?? []).flatMap((c) => (c.kind === 'element' ? [c.attrs.property, c.attrs.name] : [])),
      );
      const given = def.properties.filter(
        (p) => !p.secret && !p.countOf && p.type !== 'objectList' && p.xmlVariable !== undefined,
      );
      const missing = given.filter((p) => !written.has(p.xmlProperty) && !written.has(p.xmlVariable));
      assert.deepEqual(
        missing.map((p) => p.name),
        [],
        `${def.key}: options given but not written`,
      );
    }
  });
});

describe("an option ConfigMgr's XML has no place for is refused, never dropped", () => {
  const homeless = allSteps().flatMap((def) =>
    def.properties.filter((p) => !p.secret && !p.countOf && !reachesXml(def, p)).map((p) => ({ def, p })),
  );

  test('the catalog still has such options (Apply Network Settings domainName among them)', () => {
    assert.ok(homeless.some(({ def, p }) => def.key === 'ApplyNetworkSettings' && p.name === 'domainName'));
  });

  for (const { def, p } of homeless) {
    test(`${def.key} ${p.name}: lint reports it at the option and export refuses the file`, () => {
      const yaml = `sequence: S\npackageId: CVR00098\nsteps:\n  - name: Step\n    action: ${def.key}\n    with:\n      ${p.name}: "x"\n`;
      const ws = new Workspace();
      ws.upsert(parseDocument('/cover/catalog.tsq.yaml', EVERY_STEP_CATALOG));
      const doc = parseDocument('/cover/one.tsq.yaml', yaml);
      ws.upsert(doc);
      const found = analyzeDocument(ws, doc).filter(
        (d) => d.code === 'invalid-value' && d.message.includes('export would leave it out'),
      );
      assert.equal(found.length, 1, `no finding for ${p.name}`);
      assert.ok(
        yaml.slice(found[0].start, found[0].end).includes(p.name) || yaml.slice(found[0].start, found[0].end) === '"x"',
      );
      assert.throws(() => refuseUnexportable(ws, doc), new RegExp(`${p.name}\` has no place`));
    });
  }
});
