// The two shortcuts of server/src/interop/exportable.ts, which lint runs on every step of a file:
// characters XML cannot hold are looked for only in the parts of the source that have a suspect
// character, and a step's settings are checked (`settingProblems`) without building the variables
// export writes (`canonicalSettings`). Pinned here: the first finds exactly what a walk of every
// scalar finds, on the fixtures, the examples, generated files and files with odd characters put in
// at random; the second reports exactly the written settings `canonicalSettings` leaves out, and
// the screen that spares lint the StepData of a step (`mayHaveSettingProblems`) lets through every
// step where there is one.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TsqDocument } from '../../server/src/model/document';
import { parseDocument } from '../../server/src/model/document';
import { walk, type SequenceModel, type StepNode } from '../../server/src/model/sequence';
import { pairsOf, type YNode } from '../../server/src/model/yaml/nodes';
import { scalarOffsets } from '../../server/src/model/yaml/sourcemap';
import { Workspace } from '../../server/src/semantics/workspace';
import { exportProblems } from '../../server/src/interop/exportable';
import { unwritableCharacterIndex } from '../../server/src/interop/xml/characters';
import { stepData } from '../../server/src/interop/export/step-data';
import {
  canonicalSettings,
  mayHaveSettingProblems,
  settingProblems,
  variableNameOf,
} from '../../server/src/interop/steps/settings';
import { NO_CHILDREN } from '../../server/src/interop/steps/stepdata';
import { commandLineCarriesValue } from '../../server/src/catalog/steps';
import { random } from '../helpers/seeded-random';
import { exampleAndShapeWorkspaces, fixtureWorkspaces } from '../helpers/analysis-corpus';

const CANNOT_HOLD = /which XML cannot hold\.$/;

/** Where every scalar of the tree (keys too, aliases not followed) has its first character XML cannot hold. */
function unwritableByWalk(doc: TsqDocument): number[] {
  const found: number[] = [];
  const stack: YNode[] = doc.yaml.root ? [doc.yaml.root] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'map') stack.push(...pairsOf(n.pairs).flatMap((p) => [p.key, p.value]));
    else if (n.kind === 'seq') stack.push(...n.items);
    else if (n.kind === 'scalar') {
      const i = unwritableCharacterIndex(n.text);
      if (i >= 0) found.push(scalarOffsets(doc.text, n)[i]);
    }
  }
  return found.sort((a, b) => a - b);
}

function unwritableFound(ws: Workspace, doc: TsqDocument): number[] {
  return exportProblems(ws, doc)
    .filter((p) => CANNOT_HOLD.test(p.message))
    .map((p) => p.start)
    .sort((a, b) => a - b);
}

function sequences(ws: Workspace): TsqDocument[] {
  return [...ws.all()].filter((d) => d.kind === 'sequence' && d.model);
}

/** Odd characters, raw or as the escapes of double-quoted scalars, that a file may hold. */
const ODD = [
  '\u0001',
  '\\x01',
  '\\u0007',
  '\\uFFFE',
  '\\ud800',
  '\\uD83D\\uDE00',
  '😀',
  '\\t',
  '\\\\',
  '\ufffe',
  '\u000b',
];

/** `text` with odd characters put in at random places, half of them inside new double-quoted values. */
function withOddCharacters(text: string, next: () => number): string {
  let out = text;
  for (let k = 0; k < 6; k++) {
    const at = Math.floor(next() * (out.length + 1));
    const odd = ODD[Math.floor(next() * ODD.length)];
    const put = next() < 0.5 ? odd : `"${odd}"`;
    out = out.slice(0, at) + put + out.slice(at);
  }
  return out;
}

describe('characters XML cannot hold', () => {
  test('are found where a walk of every scalar finds them, on the fixtures, the examples and generated files', () => {
    let files = 0;
    for (const { where, ws } of [...fixtureWorkspaces(), ...exampleAndShapeWorkspaces(200)])
      for (const doc of sequences(ws)) {
        assert.deepEqual(unwritableFound(ws, doc), unwritableByWalk(doc), `${where} ${doc.id}`);
        files++;
      }
    assert.ok(files > 100, `there are files to compare (${files})`);
  });

  test('are found where a walk of every scalar finds them, in files with odd characters put in at random', () => {
    const next = random(18);
    const sources = exampleAndShapeWorkspaces(30).flatMap(({ ws }) => sequences(ws));
    let found = 0;
    for (let round = 0; round < 4; round++)
      for (const source of sources) {
        const doc = parseDocument(source.id, withOddCharacters(source.text, next));
        if (doc.kind !== 'sequence' || !doc.model) continue;
        const ws = new Workspace();
        ws.upsert(doc);
        const expected = unwritableByWalk(doc);
        assert.deepEqual(unwritableFound(ws, doc), expected, `${source.id}, round ${round}:\n${doc.text}`);
        found += expected.length;
      }
    assert.ok(found > 20, `odd characters were found (${found})`);
  });

  test('in a value written with escapes, in a key, and in a file with nothing else odd', () => {
    const doc = parseDocument(
      '/ws/odd.tsq.yaml',
      [
        'sequence: Odd',
        'steps:',
        '  - name: "Bell \\a here"',
        '    run: cmd.exe /c C:\\tools\\setup.cmd',
        '    with: { "key\\x01": 1 }',
        '  - name: Plain',
        '    run: cmd.exe /c "\\uFFFE"',
        '',
      ].join('\n'),
    );
    const ws = new Workspace();
    ws.upsert(doc);
    const found = unwritableFound(ws, doc);
    assert.deepEqual(found, unwritableByWalk(doc));
    assert.equal(found.length, 2, 'the bell and the key (the command line is plain text: `\\uFFFE` is written as is)');
  });
});

/** The option paths a step writes: each option, and each field of each entry of a list option. */
function writtenPaths(data: ReturnType<typeof stepData>): { path: string; leftOut: boolean }[] {
  const def = data.def!;
  const canonical = new Set(canonicalSettings(data, NO_CHILDREN).variables.map((v) => v.path));
  const out: { path: string; leftOut: boolean }[] = [];
  for (const p of def.properties) {
    if (!data.options.has(p.name)) continue;
    const value = data.options.get(p.name);
    if (p.type === 'objectList') {
      if (!Array.isArray(value)) continue;
      value.forEach((entry: unknown, i) => {
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
          return out.push({ path: `${p.name}[${i}]`, leftOut: true });
        for (const item of p.items ?? []) {
          if ((entry as Record<string, unknown>)[item.name] === undefined || !item.xmlVariable) continue;
          const path = `${p.name}[${i}].${item.name}`;
          out.push({ path, leftOut: !canonical.has(path) });
        }
      });
    } else if (!variableNameOf(p)) out.push({ path: p.name, leftOut: !commandLineCarriesValue(def, p) });
    else out.push({ path: p.name, leftOut: !canonical.has(p.name) });
  }
  return out;
}

/** Every step of a built-in action in the corpus (rule fixtures, examples, bench shapes), with its export data. */
function* corpusSteps(): Generator<{ step: StepNode; data: ReturnType<typeof stepData>; where: string }> {
  for (const { where, ws } of [...fixtureWorkspaces(), ...exampleAndShapeWorkspaces(200)])
    for (const doc of sequences(ws))
      for (const node of walk((doc.model as SequenceModel).steps)) {
        if (node.kind !== 'step') continue;
        const data = stepData(node, []);
        if (data.def) yield { step: node, data, where: `${where} ${doc.id}` };
      }
}

describe('the settings export would leave out', () => {
  test('are the written settings the variables export writes leave out, on every step of the corpus', () => {
    let steps = 0,
      leftOut = 0;
    for (const { step, data, where } of corpusSteps()) {
      const expected = writtenPaths(data)
        .filter((w) => w.leftOut)
        .map((w) => w.path);
      assert.deepEqual(
        settingProblems(data, NO_CHILDREN).map((p) => p.path),
        expected,
        `${where}, step “${step.name}”`,
      );
      steps++;
      leftOut += expected.length;
    }
    assert.ok(steps > 1000 && leftOut > 3, `there are steps and left-out settings to compare (${steps}, ${leftOut})`);
  });

  test('are never behind a step the screen lets pass, on every step of the corpus', () => {
    let passed = 0,
      stopped = 0;
    for (const { step, data, where } of corpusSteps()) {
      const found = settingProblems(data, NO_CHILDREN).length > 0;
      const screened = mayHaveSettingProblems(data.def!, step.options, NO_CHILDREN);
      if (found) assert.ok(screened, `${where}, step “${step.name}”: a problem the screen lets pass`);
      if (found) stopped++;
      else if (!screened) passed++;
    }
    assert.ok(stopped > 3 && passed > 1000, `steps with and without problems were screened (${stopped}, ${passed})`);
  });
});
