// The YAML reader keeps a 10,000-step tree small (docs/performance.md, "Parser, model and memory"):
// repeated short plain scalars share one string (model/yaml/interner.ts), every list is made at its
// exact length (model/yaml/entry-stack.ts), quoted text without escapes is sliced whole, and the
// whole-text checks of model/source.ts skip the characters that cannot matter, a file's UTF-8 size
// comes from its bytes, every mapping says whether it has a merge key (`YMap.merges`), and the
// model's lists of options and steps are made at their exact length. None of that may
// change what is read: these tests pin the results where each shortcut could go wrong.
import { test, describe } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/model/yaml/parser';
import { PlainScalarInterner } from '../../server/src/model/yaml/interner';
import { EntryStack } from '../../server/src/model/yaml/entry-stack';
import { toJS, ExpansionBudget, effectivePairs } from '../../server/src/model/yaml/expand';
import { pairsOf, valueAt, type YMap, type YScalar, type YSeq } from '../../server/src/model/yaml/nodes';
import { controlCharacters, decodeSource, utf8Length } from '../../server/src/model/source';
import { parseDocument } from '../../server/src/model/document';
import { walk, type SequenceModel } from '../../server/src/model/sequence';

const plain = (src: string) => toJS(parseYaml(src).root, new ExpansionBudget());

describe('repeated plain scalars', () => {
  test('every occurrence of a repeated key or short value reads the same text and resolved value', () => {
    const doc = parseYaml('steps:\n  - name: a\n    on: true\n  - name: b\n    on: true\n');
    const items = (valueAt((doc.root as YMap).pairs, 0) as YSeq).items as YMap[];
    const [first, second] = items.map((m) => pairsOf(m.pairs));
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

  test('what the stack handed out is not kept alive by it', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const stack = new EntryStack();
    const handedOut = (() => {
      const mark = stack.mark();
      for (let i = 0; i < 20; i++) stack.push({ i });
      const list = stack.take<object>(mark);
      return list.map((e) => new WeakRef(e));
    })();
    stack.push('still used'); // the stack itself lives on
    // A weak reference holds its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    assert.deepEqual(
      handedOut.map((r) => r.deref()),
      handedOut.map(() => undefined),
    );
    assert.equal(stack.count(0), 1);
  });

  test('lists of every length, below and above the ones made by literals, hold exactly their entries', () => {
    const stack = new EntryStack();
    stack.push('below');
    for (let n = 0; n <= 12; n++) {
      const mark = stack.mark();
      const entries = Array.from({ length: n }, (_, i) => ({ i }));
      for (const e of entries) stack.push(e);
      const list = stack.take<{ i: number }>(mark);
      assert.equal(list.length, n);
      list.forEach((e, i) => assert.ok(e === entries[i]));
      assert.equal(stack.count(mark), 0);
    }
    assert.deepEqual(stack.take(0), ['below']);
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

describe("a UTF-8 file's size from its bytes", () => {
  test('the size decoding gives is what the text weighs saved, byte order marks left out', () => {
    const text = 'sequence: Grüße € 😀\n';
    const utf8 = Buffer.from(text, 'utf8');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    for (const bytes of [utf8, Buffer.concat([bom, utf8]), Buffer.concat([bom, bom, utf8])]) {
      const decoded = decodeSource(bytes);
      assert.equal(decoded.text, text);
      assert.equal(decoded.utf8Size, utf8Length(text));
    }
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    assert.equal(decodeSource(utf16).utf8Size, undefined, 'not UTF-8: measured from the text');
  });
});

describe('merge keys', () => {
  const mapAt = (src: string, ...keys: string[]) => {
    let node = parseYaml(src).root as YMap;
    for (const k of keys) node = pairsOf(node.pairs).find((p) => (p.key as YScalar).text === k)!.value as YMap;
    return node;
  };

  test('every mapping the parser reads says whether it has a merge key, in block and flow style', () => {
    const src = 'base: &b {x: 1}\nblock:\n  <<: *b\n  y: 2\nflow: {<<: *b, y: 2}\nquoted:\n  "<<": *b\nplain: {y: 2}\n';
    assert.equal(mapAt(src).merges, false);
    assert.equal(mapAt(src, 'block').merges, true);
    assert.equal(mapAt(src, 'flow').merges, true);
    assert.equal(mapAt(src, 'quoted').merges, false, 'a quoted `<<` is a key like any other');
    assert.equal(mapAt(src, 'plain').merges, false);
    const single = valueAt((parseYaml('a: [<<: {x: 1}, y: 2]\n').root as YMap).pairs, 0) as YSeq;
    assert.deepEqual(
      single.items.map((m) => (m as YMap).merges),
      [true, false],
    );
    const read = plain(src) as Record<string, unknown>;
    assert.deepEqual(read.block, { x: 1, y: 2 });
    assert.deepEqual(read.flow, { x: 1, y: 2 });
  });

  test('a mapping made without the parser has its keys looked at', () => {
    const parsed = mapAt('base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n', 'm');
    const handMade: YMap = { kind: 'map', start: parsed.start, end: parsed.end, pairs: parsed.pairs, flow: false };
    assert.deepEqual(
      pairsOf(effectivePairs(handMade, new ExpansionBudget())).map((p) => (p.key as YScalar).text),
      ['x', 'y'],
    );
  });
});

describe("the model's lists", () => {
  test('options and steps are exactly those written, in order, with their indexes', () => {
    const src = [
      'sequence: S',
      'steps:',
      '  - group: G',
      '    steps:',
      '      - name: A',
      '        run: a.cmd',
      '        package: P1',
      '        with: { timeout: 5 }',
      '      - name: B',
      '        action: RestartComputer',
      '  - name: C',
      '    action: SetTaskSequenceVariable',
      '    with:',
      '      variable: V',
      '      value: x',
      '',
    ].join('\n');
    const model = parseDocument('s', src).model as SequenceModel;
    const nodes = [...walk(model.steps)];
    assert.deepEqual(
      nodes.map((n) => [
        n.name,
        n.index,
        n.kind === 'step' ? n.options.map((o) => `${o.name}=${String(o.value)}`) : [],
      ]),
      [
        ['G', 0, []],
        ['A', 0, ['commandLine=a.cmd', 'package=P1', 'timeout=5']],
        ['B', 1, []],
        ['C', 1, ['variable=V', 'value=x']],
      ],
    );
    assert.equal(model.steps.length, 2);
  });
});
