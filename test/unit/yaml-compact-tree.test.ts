// The YAML reader keeps a 10,000-step tree small (docs/performance.md, "Parser, model and memory"):
// repeated short plain scalars share one string (model/yaml/interner.ts), every list is made at its
// exact length (model/yaml/entry-stack.ts), quoted text without escapes is sliced whole, and the
// whole-text checks of model/source.ts skip the characters that cannot matter. None of that may
// change what is read: these tests pin the results where each shortcut could go wrong.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/model/yaml/parser';
import { PlainScalarInterner } from '../../server/src/model/yaml/interner';
import { EntryStack } from '../../server/src/model/yaml/entry-stack';
import { toJS, ExpansionBudget } from '../../server/src/model/yaml/expand';
import type { YMap, YScalar, YSeq } from '../../server/src/model/yaml/nodes';
import { controlCharacters, utf8Length } from '../../server/src/model/source';

const plain = (src: string) => toJS(parseYaml(src).root, new ExpansionBudget());

describe('repeated plain scalars', () => {
  test('every occurrence of a repeated key or short value reads the same text and resolved value', () => {
    const doc = parseYaml('steps:\n  - name: a\n    on: true\n  - name: b\n    on: true\n');
    const items = ((doc.root as YMap).items[0].value as YSeq).items as YMap[];
    const [first, second] = items.map((m) => m.items);
    assert.ok(Object.is((first[0].key as YScalar).text, (second[0].key as YScalar).text));
    assert.equal((first[1].value as YScalar).value, true);
    assert.equal((second[1].value as YScalar).value, true);
  });

  test('texts that collide in the table still read as written, with their own types', () => {
    const src = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? String(i) : `k${i}`)).join(' ');
    const reader = new PlainScalarInterner(src, 0); // the smallest table: many collisions
    let at = 0;
    for (const word of src.split(' ')) {
      const text = reader.text(at, at + word.length);
      assert.equal(text, word);
      assert.equal(reader.value, /^\d+$/.test(word) ? Number(word) : word);
      at += word.length + 1;
    }
  });

  test('core-schema values keep their types when repeated: numbers, booleans, nulls, .nan', () => {
    const src = 'a: [1, 1, true, true, ~, ~, .nan, .nan, 0x1F, 0x1F]\nb: 1\nc: true\nd: ~\ne: .nan\n';
    assert.deepEqual(plain(src), {
      a: [1, 1, true, true, null, null, NaN, NaN, 31, 31],
      b: 1,
      c: true,
      d: null,
      e: NaN,
    });
  });

  test('long scalars (past the shared length) read as written', () => {
    const long = 'x'.repeat(40);
    assert.deepEqual(plain(`a: ${long}\nb: ${long}\n`), { a: long, b: long });
  });
});

describe('lists made at their exact length', () => {
  test('nested block and flow collections each get only their own entries', () => {
    const src = 'a:\n  - b: [1, [2, 3], {c: 4}]\n    d: {e: [5]}\n  - 6\nf: [7, 8]\n';
    assert.deepEqual(plain(src), { a: [{ b: [1, [2, 3], { c: 4 }], d: { e: [5] } }, 6], f: [7, 8] });
  });

  test('the stack hands out what was pushed since the mark, innermost first', () => {
    const stack = new EntryStack();
    const outer = stack.mark();
    stack.push('a');
    const inner = stack.mark();
    stack.push('b');
    stack.push('c');
    assert.equal(stack.count(inner), 2);
    assert.deepEqual(stack.take(inner), ['b', 'c']);
    stack.push('d');
    assert.deepEqual(stack.take(outer), ['a', 'd']);
    assert.deepEqual(stack.take(stack.mark()), []);
  });
});

describe('quoted text', () => {
  test('quoted text without escapes is the text between the quotes; with escapes or breaks it is decoded', () => {
    assert.deepEqual(
      plain(
        'a: "plain text, long enough to be sliced"\nb: \'it\'\'s\'\nc: "tab\\tand \\u00e9"\nd: "folded\n  line"\ne: \'x\'\n',
      ),
      { a: 'plain text, long enough to be sliced', b: "it's", c: 'tab\tand é', d: 'folded line', e: 'x' },
    );
  });
});

describe('whole-text checks', () => {
  test('UTF-8 length counts every character after a long ASCII start', () => {
    assert.equal(utf8Length('a'.repeat(1000)), 1000);
    assert.equal(utf8Length(`${'a'.repeat(1000)}é€😀`), 1000 + 2 + 3 + 4);
    assert.equal(utf8Length('😀a'), 5);
  });

  test('control characters are counted and the first one located, wherever they start', () => {
    assert.equal(controlCharacters('a: b\n\tc: d\r\n'), undefined);
    const found = controlCharacters(`${'a'.repeat(500)}\x01b\x7fc\uffff`);
    assert.equal(found?.offset, 500);
    assert.match(found?.message ?? '', /3 control characters/);
  });
});
