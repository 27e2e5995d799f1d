// A catalog edit checks again only the sequences that read what it changed, and only their rules
// that read catalogs (semantics/catalog-dependants.ts, `readsCatalog` on rules, and
// IncrementalAnalysis.catalogChanged): after removing, renaming, adding and changing entries, what
// the editor keeps for every sequence equals a full check of the new workspace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodePath from 'node:path';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import type { SiteCatalogModel } from '../../server/src/model/site-catalog';
import { analyzeDocument, runRules } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis, type FirstCheck } from '../../server/src/analysis/incremental';
import { ALL_RULES } from '../../server/src/analysis/rules';
import { catalogChange, readsCatalogChange } from '../../server/src/semantics/catalog-dependants';
import { loadPaths } from '../../server/src/frontend/load-paths';
import type { Workspace } from '../../server/src/semantics/workspace';
import { EVERY_STEP_CATALOG, everyStepSequence } from '../helpers/every-step';
import { workspaceOf, ROOT } from '../helpers/lint';

const EXAMPLES = nodePath.join(__dirname, '../../../examples');

const CATALOG = `catalog: Site
siteCode: AAA
packages:
  - { id: AAA00001, name: Tools, programs: [Install] }
  - { id: AAA00002, name: Agent, programs: [Install] }
bootImages:
  - { id: AAA00005, name: Boot x64, architecture: x64 }
osImages:
  - { id: AAA00042, name: Windows 11, architecture: x64, indexes: [1, 3] }
`;

const install = (id: string) =>
  `  - name: Install ${id}\n    action: InstallPackage\n    with: { package: ${id}, program: Install }\n`;

const FILES: Record<string, string> = {
  'catalog.tsq.yaml': CATALOG,
  'tools.tsq.yaml': `sequence: Tools\nsteps:\n${install('AAA00001')}`,
  'agent.tsq.yaml': `sequence: Agent\nsteps:\n${install('AAA00002')}`,
  'missing.tsq.yaml': `sequence: Not there yet\nsteps:\n${install('AAA00003')}`,
  'plain.tsq.yaml': `sequence: Plain\nsteps:\n  - name: Note\n    action: SetTaskSequenceVariable\n    with: { variable: Ring, value: "1" }\n`,
  'windows.tsq.yaml': `sequence: Windows\nbootImage: AAA00005\nsteps:\n  - name: Apply\n    action: ApplyOperatingSystemImage\n    with: { image: AAA00042, index: 3 }\n`,
  'every-step-catalog.tsq.yaml': EVERY_STEP_CATALOG,
  'every-step.tsq.yaml': everyStepSequence(),
};

interface Edited {
  /** Sequences checked again (by file name). */
  touched: string[];
}

/** Both ways an incremental analysis works out what it does not know: the editor's and that of files not open. */
const FIRST_CHECKS: readonly FirstCheck[] = ['per-entry', 'whole-file'];

/**
 * Analyses every sequence incrementally (each both ways), edits the catalog as `edit` says, lets
 * the dependants forget what the edit changed, and checks that each sequence's findings equal a
 * full check.
 */
function editCatalog(ws: Workspace, catalogId: string, edit: (text: string) => string): Edited {
  const sequences = [...ws.all()].filter((d) => d.kind === 'sequence');
  const analyses = sequences.flatMap((d) =>
    FIRST_CHECKS.map((firstCheck) => ({ doc: d, analysis: new IncrementalAnalysis(), firstCheck })),
  );
  for (const { doc, analysis, firstCheck } of analyses) analysis.analyze(ws, doc, {}, undefined, firstCheck);
  const before = ws.get(catalogId)!;
  const after = parseDocument(catalogId, edit(before.text), 2);
  assert.notEqual(after.text, before.text, 'the edit changes the catalog');
  ws.upsert(after);
  const change = catalogChange(before.model as SiteCatalogModel, after.model as SiteCatalogModel);
  assert.equal(change.everything, false, 'an entry edit is not a change to everything');
  const touched = new Set<string>();
  for (const { doc, analysis, firstCheck } of analyses) {
    if (readsCatalogChange(ws, doc, change)) {
      analysis.catalogChanged();
      touched.add(nodePath.posix.basename(doc.id));
    }
    assert.deepEqual(
      analysis.analyze(ws, doc, {}, undefined, firstCheck),
      analyzeDocument(ws, doc),
      `${doc.id} after the catalog edit (${firstCheck})`,
    );
  }
  return { touched: [...touched].sort() };
}

test('removing an entry checks again exactly the sequences that reference it (and those with unresolved references)', () => {
  const ws = workspaceOf(FILES);
  const { touched } = editCatalog(ws, `${ROOT}/catalog.tsq.yaml`, (t) =>
    t.replace('  - { id: AAA00001, name: Tools, programs: [Install] }\n', ''),
  );
  assert.deepEqual(touched, ['missing.tsq.yaml', 'tools.tsq.yaml']);
  const tools = analyzeDocument(ws, ws.get(`${ROOT}/tools.tsq.yaml`)!);
  assert.ok(tools.some((d) => d.code === 'broken-reference' && d.message.includes('AAA00001')));
});

test('renaming an entry breaks its old referrers and satisfies its new ones', () => {
  const ws = workspaceOf(FILES);
  const { touched } = editCatalog(ws, `${ROOT}/catalog.tsq.yaml`, (t) => t.replace('AAA00002', 'AAA00003'));
  assert.deepEqual(touched, ['agent.tsq.yaml', 'missing.tsq.yaml']);
  const codes = (file: string) => analyzeDocument(ws, ws.get(`${ROOT}/${file}`)!).map((d) => d.code);
  assert.ok(codes('agent.tsq.yaml').includes('broken-reference'));
  assert.ok(!codes('missing.tsq.yaml').includes('broken-reference'));
});

test('a new entry clears the errors of the sequences that named it', () => {
  const ws = workspaceOf(FILES);
  const missing = ws.get(`${ROOT}/missing.tsq.yaml`)!;
  assert.ok(analyzeDocument(ws, missing).some((d) => d.code === 'broken-reference'));
  const { touched } = editCatalog(ws, `${ROOT}/catalog.tsq.yaml`, (t) =>
    t.replace('bootImages:', '  - { id: AAA00003, name: Later, programs: [Install] }\nbootImages:'),
  );
  assert.deepEqual(touched, ['missing.tsq.yaml']);
  assert.deepEqual(analyzeDocument(ws, ws.get(`${ROOT}/missing.tsq.yaml`)!), []);
});

test('changing what an entry says (architecture, programs, indexes) checks its referrers again', () => {
  const ws = workspaceOf(FILES);
  const boot = editCatalog(ws, `${ROOT}/catalog.tsq.yaml`, (t) =>
    t.replace('name: Boot x64, architecture: x64', 'name: Boot x86, architecture: x86'),
  );
  // Every sequence with a boot image: the architecture-mismatch fix offers the boot images that match.
  assert.deepEqual(boot.touched, ['every-step.tsq.yaml', 'windows.tsq.yaml']);
  const image = editCatalog(ws, `${ROOT}/catalog.tsq.yaml`, (t) => t.replace('indexes: [1, 3]', 'indexes: [1]'));
  assert.deepEqual(image.touched, ['windows.tsq.yaml']);
  const program = editCatalog(ws, `${ROOT}/catalog.tsq.yaml`, (t) =>
    t.replace('name: Tools, programs: [Install]', 'name: Tools, programs: [Setup]'),
  );
  assert.deepEqual(program.touched, ['missing.tsq.yaml', 'tools.tsq.yaml']);
});

test('edits to every kind of entry of a catalog that every step type references keep findings equal to a full check', () => {
  const ws = workspaceOf(FILES);
  const id = `${ROOT}/every-step-catalog.tsq.yaml`;
  const original = ws.get(id)!.text;
  const lines = original.split('\n');
  const entries = lines.slice(0, lines.indexOf('taskSequences:')).filter((l) => l.startsWith('  - { id: '));
  assert.ok(entries.length >= 10);
  // Each entry in turn: removed, then given another ID (the original put back after each).
  for (const line of entries) {
    editCatalog(ws, id, (t) => t.replace(`${line}\n`, ''));
    ws.upsert(parseDocument(id, original));
    editCatalog(ws, id, (t) => t.replace(line, line.replace('{ id: ', '{ id: X')));
    ws.upsert(parseDocument(id, original));
  }
});

test('a change to anything but the entries (name, site, partial, collections, child sequences) checks everything', () => {
  const ws = workspaceOf(FILES);
  const model = (text: string) => parseDocument(`${ROOT}/c.tsq.yaml`, text).model as SiteCatalogModel;
  const base = model(CATALOG);
  for (const changed of [
    CATALOG.replace('catalog: Site', 'catalog: Other site'),
    CATALOG.replace('siteCode: AAA', 'siteCode: BBB'),
    CATALOG.replace('siteCode: AAA', 'siteCode: AAA\npartial: true'),
    `${CATALOG}collections:\n  - { id: AAA00100, name: Lab, type: device }\n`,
    `${CATALOG}taskSequences:\n  - { id: AAA00200 }\n`,
  ])
    assert.equal(catalogChange(base, model(changed)).everything, true, changed);
  assert.equal(catalogChange(base, undefined).everything, true, 'a catalog that went');
  const plain = ws.get(`${ROOT}/plain.tsq.yaml`)!;
  assert.equal(readsCatalogChange(ws, plain, catalogChange(base, model(CATALOG.replace('Tools', 'Tools 2')))), false);
});

test('every rule that reads the catalogs on a sequence says so, and every rule that says so reads them', () => {
  const readers = new Set<string>();
  const check = (ws: Workspace, docs: TsqDocument[]) => {
    for (const doc of docs)
      for (const rule of ALL_RULES) {
        if (!rule.kinds.includes('sequence')) continue;
        const before = ws.catalogReads;
        runRules(ws, doc, [rule]);
        if (ws.catalogReads > before) readers.add(rule.code);
      }
  };
  const fixture = workspaceOf(FILES);
  check(
    fixture,
    [...fixture.all()].filter((d) => d.kind === 'sequence'),
  );
  const { ws, targets } = loadPaths([EXAMPLES]);
  check(
    ws,
    targets.map((t) => ws.get(t)!).filter((d) => d.kind === 'sequence'),
  );
  const declared = ALL_RULES.filter((r) => r.readsCatalog).map((r) => r.code);
  assert.deepEqual(
    [...readers].filter((c) => !declared.includes(c)),
    [],
    'rules that read catalogs without `readsCatalog`',
  );
  assert.deepEqual(
    declared.filter((c) => !readers.has(c)),
    [],
    'rules with `readsCatalog` that never read one',
  );
});
