// The `when:` lexer: the tokens the editor gets (kind, offsets, text, decoded values and the
// problems of invalid tokens), keywords in any case, and the parser's token list, which reuses one
// scratch across conditions (server/src/conditions/lexer.ts): long conditions that outgrow it and
// conditions read one after another must come out whole.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition, tokenize, variableReferences } from '../../server/src/conditions';
import { closingQuote, scanString } from '../../server/src/conditions/literals';

describe('tokens for the editor', () => {
  it('gives each token its kind, offsets and text, and strings their decoded value', () => {
    const text = 'Ring == "a\\"b" and (exists(X), 1.5)';
    assert.deepEqual(
      tokenize(text).map((t) => [t.kind, t.start, t.end, t.text, t.value]),
      [
        ['word', 0, 4, 'Ring', undefined],
        ['op', 5, 7, '==', undefined],
        ['string', 8, 14, '"a\\"b"', 'a"b'],
        ['word', 15, 18, 'and', undefined],
        ['lparen', 19, 20, '(', undefined],
        ['word', 20, 26, 'exists', undefined],
        ['lparen', 26, 27, '(', undefined],
        ['word', 27, 28, 'X', undefined],
        ['rparen', 28, 29, ')', undefined],
        ['comma', 29, 30, ',', undefined],
        ['word', 31, 34, '1.5', undefined],
        ['rparen', 34, 35, ')', undefined],
        ['eof', 35, 35, '', undefined],
      ],
    );
  });

  it('says what is wrong with each invalid token', () => {
    const invalid = tokenize("%OSDisk% && 'x' <> \"open").filter((t) => t.kind === 'invalid');
    assert.deepEqual(
      invalid.map((t) => [t.text, t.percentName, t.message]),
      [
        ['%OSDisk%', 'OSDisk', undefined],
        ['&&', undefined, 'Use `and` instead of `&&`'],
        ["'x'", undefined, 'Use double quotes for text'],
        ['<>', undefined, 'Use `!=` for "not equal"'],
        ['"open', undefined, 'This text has no closing `"`'],
      ],
    );
  });

  it('reads the longest operator, and a foreign one only when it is longer', () => {
    assert.deepEqual(
      tokenize('a<=b=>c===d!=e!').map((t) => [t.kind, t.text]),
      [
        ['word', 'a'],
        ['op', '<='],
        ['word', 'b'],
        ['invalid', '=>'],
        ['word', 'c'],
        ['invalid', '==='],
        ['word', 'd'],
        ['op', '!='],
        ['word', 'e'],
        ['invalid', '!'],
        ['eof', ''],
      ],
    );
  });
});

describe('keywords', () => {
  it('are read in any case', () => {
    const root = parseCondition('NOT A == "1" AnD B LIKE "x%" oR exists(C)').ast;
    assert.ok(root);
    assert.equal(root.children[0].kind, 'or');
  });

  it('include letters outside ASCII that lower-case to them, as the language lower-cases (the Kelvin sign is a k)', () => {
    const root = parseCondition('A li\u212Ae "x%"').ast;
    assert.ok(root);
    const check = root.children[0];
    assert.equal(check.kind === 'compare' && check.operator, 'like');
  });
});

describe("the parser's token list", () => {
  it('holds a condition longer than its first scratch', () => {
    const clauses = Array.from({ length: 300 }, (_, i) => `(Var${i} == "${i}" or notExists(Other${i}))`);
    const text = clauses.join(' and ');
    const root = parseCondition(text).ast;
    assert.ok(root);
    const names = variableReferences(root);
    assert.equal(names.length, 600);
    const last = names[599];
    assert.equal(last.name, 'Other299');
    assert.equal(text.slice(last.start, last.end), 'Other299');
  });

  it('reads each condition on its own when one follows another, the error of one included', () => {
    const long = Array.from({ length: 100 }, (_, i) => `V${i} == "${i}"`).join(' and ');
    assert.ok(parseCondition(long).ast);
    assert.deepEqual(parseCondition('A == "1" and'), {
      errors: [
        {
          start: 12,
          end: 12,
          message: 'Expected a check after `and`',
          hint: 'A check is e.g. `Var == "x"`, `exists(Var)` or `fileExists("C:\\path")`',
        },
      ],
    });
    const short = parseCondition('B != "2"').ast;
    assert.ok(short);
    assert.deepEqual(
      variableReferences(short).map((v) => [v.name, v.start, v.end]),
      [['B', 0, 1]],
    );
  });
});

describe('string literals', () => {
  it('close where the value they read ends', () => {
    for (const text of ['"plain"', '"a\\"b"', '"C:\\Temp\\\\"', '"C:\\Temp\\"', '"\\\\\\""', '"open', '"', '"x\\']) {
      const scanned = scanString(text, 0);
      const close = closingQuote(text, 0);
      assert.equal(close >= 0, scanned.terminated, text);
      if (close >= 0) assert.equal(close + 1, scanned.end, text);
    }
  });

  it('copy the text between escapes as it is', () => {
    assert.equal(scanString('"a\\\\b\\"c\\d"', 0).value, 'a\\b"c\\d');
    assert.equal(scanString('"unclosed \\" run', 0).value, 'unclosed " run');
  });
});
