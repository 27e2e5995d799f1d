// The JSON Schemas in schemas/ are generated from the catalog; they must not go stale, each must
// compile, and the published schemas (the ones other editors use) must accept the bundled examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { schemaFiles } from '../../scripts/gen-schemas';
import { parseDocument } from '../../server/src/model/document';
import { toJS } from '../../server/src/model/yaml/expand';

const root = path.join(__dirname, '../../..');

test('schemas/ matches what the catalog generates (run `npm run gen:schemas` after changing the catalog)', () => {
  for (const [name, text] of Object.entries(schemaFiles())) {
    assert.equal(fs.readFileSync(path.join(root, 'schemas', name), 'utf8'), text, `${name} is stale`);
  }
});

test('the published schemas accept every bundled example of their kind', () => {
  const ajv = new Ajv({ strict: false, allowUnionTypes: true, allErrors: true });
  const validators = Object.fromEntries(
    Object.entries(schemaFiles()).map(([name, text]) => [
      name.replace('.schema.json', ''),
      ajv.compile(JSON.parse(text)),
    ]),
  );
  const examples = fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.tsq.yaml'));
  assert.ok(examples.length >= 4);
  for (const f of examples) {
    const doc = parseDocument(f, fs.readFileSync(path.join(root, 'examples', f), 'utf8'));
    const validate = validators[doc.kind!];
    assert.ok(validate(toJS(doc.yaml.root, doc.budget)), `${f}: ${JSON.stringify(validate.errors)}`);
  }
});

test('docs/rules.md lists every rule (run `npm run docs:rules` after changing a rule)', () => {
  const { rulesPage } = require('../../scripts/rules-docs') as typeof import('../../scripts/rules-docs');
  assert.equal(fs.readFileSync(path.join(root, 'docs/rules.md'), 'utf8'), rulesPage());
});
