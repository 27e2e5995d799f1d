// The schema check's validators are compiled at build time (validators.generated.ts, written by
// `npm run gen:schemas`). They must stay what the catalog generates, give exactly the findings a
// run-time compile of the same schemas gives, and be what the bundles use: no bundle carries
// Ajv's compiler, so no start-up of the CLI, language server or debugger compiles a schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VALIDATORS_FILE, validatorModule } from '../../scripts/gen-schemas';
import { allSteps } from '../../server/src/catalog';
import { parseDocument } from '../../server/src/model/document';
import { toJS } from '../../server/src/model/yaml/expand';
import { SchemaValidator } from '../../server/src/schema/validate';
import { compiledAtRunTime } from '../../server/src/schema/compile';
import { precompiledValidators } from '../../server/src/schema/precompiled';
import { pathsOf, ruleFixtureFiles, validFiles } from '../helpers/schema-inputs';

const root = path.join(__dirname, '../../..');
const precompiled = new SchemaValidator(allSteps(), precompiledValidators);
const atRunTime = new SchemaValidator(allSteps(), compiledAtRunTime(allSteps()));

/** Checks one file both ways; returns how many findings they agreed on. */
function sameFindings(name: string, text: string, what: string): number {
  const expected = atRunTime.validate(parseDocument(name, text));
  assert.deepEqual(precompiled.validate(parseDocument(name, text)), expected, what);
  return expected.length;
}

test(`${VALIDATORS_FILE} matches what the catalog generates (run \`npm run gen:schemas\` after changing it)`, () => {
  assert.equal(fs.readFileSync(path.join(root, VALIDATORS_FILE), 'utf8'), validatorModule());
});

test('precompiled and run-time compiled validators give the same findings on every rule fixture', () => {
  let files = 0;
  let findings = 0;
  for (const f of ruleFixtureFiles(root)) {
    findings += sameFindings(f.name, f.text, f.what);
    files++;
  }
  assert.ok(files > 100, `only ${files} fixture files`);
  assert.ok(findings >= 10, `the fixtures gave only ${findings} schema findings`);
});

/** `value` with the value at `where` replaced (or, for `undefined`, a misspelled key added beside it). */
function mutated(value: unknown, where: (string | number)[], by: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of where.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = where[where.length - 1];
  if (by === undefined && !Array.isArray(parent)) parent[`${String(last)}x`] = parent[last];
  else parent[last] = by;
  return copy;
}

test('precompiled and run-time compiled validators give the same findings on generated invalid files', () => {
  const sources = validFiles(root);
  const wrongValues: unknown[] = [undefined, [], {}, 'x', -1, 1.5, true, null, 'a'.repeat(300), { env: 1 }];
  let files = 0;
  let findings = 0;
  for (const [name, text] of sources) {
    const doc = parseDocument(name, text);
    assert.ok(doc.kind, `${name} has a kind`);
    const value = toJS(doc.yaml.root, doc.budget);
    pathsOf(value).forEach((where, i) => {
      // JSON is YAML: the changed value is written back as a flow mapping.
      const wrong = JSON.stringify(mutated(value, where, wrongValues[i % wrongValues.length]));
      findings += sameFindings(name, wrong, `${name} with ${where.join('.')} changed`);
      files++;
    });
  }
  assert.ok(files > 1000, `only ${files} invalid files`);
  assert.ok(findings > files / 2, `only ${findings} findings in ${files} invalid files`);
});

test("the bundles carry the precompiled validators, not Ajv's compiler", () => {
  for (const bundle of ['dist/cli.js', 'dist/server.js', 'dist/debug.js']) {
    const text = fs.readFileSync(path.join(root, bundle), 'utf8');
    assert.ok(text.includes('validators.generated.ts'), `${bundle} holds the precompiled validators`);
    assert.ok(!text.includes('node_modules/ajv/dist/core.js'), `${bundle} holds Ajv's compiler`);
  }
});
