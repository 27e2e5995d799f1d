// Variable references (for lint, completion and rename) and the vocabulary the editor offers.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  conditionFunctions,
  functionNames,
  keywords,
  parseCondition,
  printCondition,
  sameCondition,
  variableOperators,
  variableReferences,
  walkCondition,
} from '../../server/src/conditions';

describe('variableReferences', () => {
  it('lists every variable read, in text order, with the range of its name', () => {
    const text =
      'A == "1" and (exists(B) or not C-2 like "x%") and osVersion(platform("P", D != "0")) and fileExists("%E%")';
    const refs = variableReferences(parseCondition(text).ast!);
    assert.deepEqual(
      refs.map((r) => r.name),
      ['A', 'B', 'C-2', 'D'],
    );
    for (const r of refs) assert.equal(text.slice(r.start, r.end), r.name);
  });

  it('finds nothing in checks that read no variables', () => {
    assert.deepEqual(variableReferences(parseCondition('wmi("SELECT 1") and registryExists("HKLM\\X")').ast!), []);
  });
});

describe('walkCondition', () => {
  it('visits nodes in text order without recursion, even for a long chain', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `V${i} == "1"`).join(' and ');
    let count = 0;
    walkCondition(parseCondition(text).ast!, () => count++);
    assert.equal(count, 20_001);
  });
});

describe('vocabulary', () => {
  it('has a summary and a signature for every function, and the signature names the function', () => {
    for (const f of conditionFunctions) {
      assert.ok(f.summary.length > 10, f.name);
      assert.ok(f.signature.startsWith(`${f.name}(`), f.name);
    }
    assert.equal(new Set(functionNames.map((n) => n.toLowerCase())).size, functionNames.length);
  });

  it('lists operators and keywords with summaries', () => {
    assert.deepEqual(
      variableOperators.map((o) => o.symbol),
      ['==', '!=', '<', '<=', '>', '>=', 'like'],
    );
    assert.deepEqual(
      keywords.map((k) => k.word),
      ['and', 'or', 'not', 'like'],
    );
    for (const o of [...variableOperators, ...keywords]) assert.ok(o.summary.length > 10);
  });

  it('gives signatures that parse, so completion inserts valid text', () => {
    for (const f of conditionFunctions.filter((f) => f.name !== 'platform')) {
      const sample = f.signature
        .replace('check, ...', 'A == "1"')
        .replace(/, \.\.\./, '')
        .replace('(Variable)', '(OSDisk)');
      const result = parseCondition(sample);
      assert.deepEqual(result.errors, [], sample);
      assert.ok(sameCondition(parseCondition(printCondition(result.ast!)).ast, result.ast), sample);
    }
  });
});

describe('docs/conditions.md', () => {
  it('shows only examples that parse (every line of its untagged code blocks)', () => {
    const lines = readFileSync(join(__dirname, '../../../docs/conditions.md'), 'utf8').split('\n');
    let fence: string | undefined;
    let checked = 0;
    for (const line of lines) {
      if (line.startsWith('```')) {
        fence = fence === undefined ? line.slice(3) : undefined;
        continue;
      }
      if (fence !== '') continue;
      // Example lines may carry a comment after two or more spaces; `{...}` stands for any code.
      const example = line
        .replace(/\s{2,}.*$/, '')
        .trim()
        .replace('{...}', '{X}');
      if (!example) continue;
      assert.deepEqual(parseCondition(example).errors, [], example);
      checked++;
    }
    assert.ok(checked >= 25, `only ${checked} examples found`);
  });
});
