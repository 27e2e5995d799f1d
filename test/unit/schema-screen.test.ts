// The schema check's screen (server/src/schema/screen.ts) passes an entry of `steps:`, or a step's
// `with:`, without Ajv only where Ajv finds no error: the issues with the screen are exactly the
// issues without it, on every rule fixture, the examples, generated invalid files, values at the
// edges of what the screen decides, and every bench shape. And the screen does pass what it should
// (a test that held only because the screen never passed anything would say nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allSteps } from '../../server/src/catalog';
import { parseDocument } from '../../server/src/model/document';
import { toJS } from '../../server/src/model/yaml/expand';
import { keyTextAt, pairCount, valueAt, type YNode } from '../../server/src/model/yaml/nodes';
import { SchemaValidator } from '../../server/src/schema/validate';
import { entrySchema } from '../../server/src/schema/validators';
import { entryScreens, screenEntry } from '../../server/src/schema/screen';
import { precompiledValidators } from '../../server/src/schema/precompiled';
import { pathsOf, ruleFixtureFiles, validFiles } from '../helpers/schema-inputs';
import { everyStepSequence } from '../helpers/every-step';
import { random } from '../helpers/seeded-random';
import { BENCH_SHAPES, generateShape } from '../../bench/generate';

const root = path.join(__dirname, '../../..');
const screened = new SchemaValidator(allSteps(), precompiledValidators);
const unscreened = new SchemaValidator(allSteps(), precompiledValidators, { screen: false });

/** Checks one file with and without the screen, both scopes; returns how many issues they agreed on. */
function sameIssues(name: string, text: string, what: string): number {
  const doc = parseDocument(name, text);
  const expected = unscreened.validate(doc);
  assert.deepEqual(screened.validate(parseDocument(name, text)), expected, what);
  assert.deepEqual(
    screened.validate(parseDocument(name, text), 'entries'),
    unscreened.validate(parseDocument(name, text), 'entries'),
    `${what} (entries)`,
  );
  return expected.length;
}

/** How many entries of `steps:` (at any depth) pass the entry screen, of how many. */
function screenedEntries(text: string): { passed: number; entries: number } {
  const doc = parseDocument('count.tsq.yaml', text);
  const screens = entryScreens(entrySchema(allSteps()))!;
  let passed = 0;
  let entries = 0;
  const visit = (list: YNode | undefined) => {
    if (list?.kind !== 'seq') return;
    for (const item of list.items) {
      entries++;
      if (
        screenEntry(item, screens, doc.budget, { group: false, steps: undefined, action: undefined, with: undefined })
      )
        passed++;
      if (item.kind === 'map')
        for (let i = 0; i < pairCount(item.pairs); i++)
          if (keyTextAt(item.pairs, i) === 'steps') visit(valueAt(item.pairs, i));
    }
  };
  const top = doc.yaml.root;
  if (top?.kind === 'map')
    for (let i = 0; i < pairCount(top.pairs); i++)
      if (keyTextAt(top.pairs, i) === 'steps') visit(valueAt(top.pairs, i));
  return { passed, entries };
}

test('the screen gives the same issues as Ajv alone on every rule fixture', () => {
  let files = 0;
  let issues = 0;
  for (const f of ruleFixtureFiles(root)) {
    issues += sameIssues(f.name, f.text, f.what);
    files++;
  }
  assert.ok(files > 100, `only ${files} fixture files`);
  assert.ok(issues >= 10, `the fixtures gave only ${issues} schema issues`);
});

test('the screen gives the same issues as Ajv alone on the examples and every bench shape', () => {
  for (const dir of ['examples', 'examples/broken']) {
    for (const f of fs.readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.tsq.yaml')))
      sameIssues(f, fs.readFileSync(path.join(root, dir, f), 'utf8'), `${dir}/${f}`);
  }
  for (const shape of BENCH_SHAPES) {
    const { sequence } = generateShape(shape, 300);
    sameIssues(`${shape}.tsq.yaml`, sequence, shape);
    const { passed, entries } = screenedEntries(sequence);
    assert.ok(entries > 0, `${shape} has entries`);
    // `all-steps` writes secrets and lists of mappings, which the screen leaves to Ajv; every
    // other shape's entries are all plain.
    if (shape !== 'all-steps') assert.equal(passed, entries, `${shape}: every entry passes the screen`);
  }
});

/** `value` with the value at `where` replaced (or, for `undefined`, the key removed). */
function mutated(value: unknown, where: (string | number)[], by: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of where.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = where[where.length - 1];
  if (by === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = by;
  return copy;
}

test('the screen gives the same issues as Ajv alone on generated invalid files', () => {
  const sources = validFiles(root);
  // Values at the edges of what the screen decides: types, integers, limits, lengths in code
  // points (an emoji is two UTF-16 units), patterns, enums, empty values.
  const wrongValues: unknown[] = [
    undefined,
    [],
    {},
    'x',
    '',
    -1,
    0,
    1.5,
    5,
    6,
    2 ** 40,
    true,
    null,
    'a'.repeat(100),
    'a'.repeat(101),
    '😀'.repeat(100),
    '😀'.repeat(51),
    'a'.repeat(256),
    'a'.repeat(257),
    'hd',
    'winpe',
    '%Var%',
    '%Var',
    '90s',
    '1.5 h',
    [1, 2],
    [1, 'x'],
    [1.5],
    { env: 'X' },
    { env: 1 },
    'InstallPackage',
    'installpackage',
  ];
  const pick = random(18);
  let files = 0;
  let issues = 0;
  for (const [name, text] of sources) {
    const doc = parseDocument(name, text);
    const value = toJS(doc.yaml.root, doc.budget);
    for (const where of pathsOf(value)) {
      // JSON is YAML: the changed value is written back as a flow mapping.
      const by = wrongValues[Math.floor(pick() * wrongValues.length)];
      issues += sameIssues(name, JSON.stringify(mutated(value, where, by)), `${name} with ${where.join('.')} changed`);
      files++;
    }
  }
  assert.ok(files > 1000, `only ${files} invalid files`);
  assert.ok(issues > files / 3, `only ${issues} issues in ${files} invalid files`);
});

test('the screen leaves to Ajv what only the YAML shows: aliases, merge keys, odd keys, special numbers', () => {
  const texts = [
    'sequence: S\nsteps:\n  - &a { name: A, run: x }\n  - *a\n  - { name: B, run: *r }\n  - { name: &r C, run: y }\n',
    'sequence: S\nsteps:\n  - &base { name: A, action: RestartComputer, with: { target: hd } }\n  - <<: *base\n    name: B\n  - name: C\n    <<: *base\n    with: { <<: { target: winpe }, extra: 1 }\n',
    'sequence: S\nsteps:\n  - { name: A, run: x, name: "" }\n  - { name: A, run: x, run: "" }\n  - { ? [a]: 1, name: A, run: x }\n  - { __proto__: 1, name: A, run: x }\n',
    'sequence: S\nsteps:\n  - { name: A, run: x, timeout: .inf }\n  - { name: A, run: x, timeout: .nan }\n  - { name: A, run: x, retryCount: .inf }\n  - { name: A, run: x, timeout: -.inf }\n  - { name: A, run: x, successCodes: [.inf, 0x10, 1e3] }\n',
    'sequence: S\nsteps:\n  - { name: A, run: x, package: ~ }\n  - { name: A, action: InstallPackage, package: P }\n  - { name: A, action: InstallPackage }\n  - { name: A, action: InstallPackage, with: }\n  - { name: A, action: InstallPackage, with: { package: P } }\n  - { name: A, action: InstallPackage, with: { baseVariableName: B } }\n  - { name: A, action: InstallPackage, with: { program: Install } }\n',
    'sequence: S\nsteps:\n  - group: G\n    steps: []\n  - group: G\n    steps: ~\n  - group: G\n    name: N\n  - group: ""\n  - { group: G, action: RestartComputer }\n  - { group: 1 }\n  - group: G\n    steps:\n      - { name: "😀😀", run: x, id: "a b" }\n      - { name: N, run: x, id: a.b-c_1 }\n',
    'sequence: S\nsteps:\n  - { name: A, action: RunPowerShellScript, with: { executionPolicy: bypass, runAsUser: "%X%", successCodes: [0, x] } }\n  - { name: A, action: RunPowerShellScript, with: { executionPolicy: Bypass } }\n  - { name: A, action: RunPowerShellScript, with: { userPassword: secret } }\n  - { name: A, action: RunPowerShellScript, with: { userPassword: { env: PW } } }\n',
  ];
  for (const text of texts) sameIssues('edges.tsq.yaml', text, text);
});

test('the screen passes plain entries and leaves the rest to Ajv', () => {
  const { passed, entries } = screenedEntries(everyStepSequence());
  assert.ok(passed > entries / 2, `only ${passed} of ${entries} entries of every-step pass the screen`);
  assert.deepEqual(
    screenedEntries('sequence: S\nsteps:\n  - { name: A, run: x }\n  - { name: A, run: x, bogus: 1 }\n'),
    { passed: 1, entries: 2 },
  );
});
