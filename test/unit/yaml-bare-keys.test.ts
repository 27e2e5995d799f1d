// A mapping keeps a bare key (plain, single-line, no anchor, tag or quotes) as its text and start
// instead of a scalar node (`PairList` in server/src/model/yaml/nodes.ts). These pin down, for every
// way a key can be written, whether it is kept bare, the text and span the helpers give for it, and
// that the node made on demand is the node a key has always been. Offsets are UTF-16 units, the
// unit of JavaScript strings and of LSP positions.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/model/yaml/parser';
import { applyEdit, updateYaml } from '../../server/src/model/yaml/incremental';
import {
  isBareKeyAt,
  isMergeKeyAt,
  keyNodeAt,
  keySpanAt,
  keyTextAt,
  pairCount,
  pairStartAt,
  valueAt,
  type PairList,
  type YMap,
  type YNode,
  type YScalar,
} from '../../server/src/model/yaml/nodes';

/** What the helpers say of each pair of `pairs`: key text, the key's own text in `src`, pair start, bare or not. */
function keysOf(src: string, pairs: PairList): [string | undefined, string, number, boolean][] {
  const out: [string | undefined, string, number, boolean][] = [];
  for (let k = 0; k < pairCount(pairs); k++) {
    const span = keySpanAt(pairs, k);
    out.push([keyTextAt(pairs, k), src.slice(span.start, span.end), pairStartAt(pairs, k), isBareKeyAt(pairs, k)]);
  }
  return out;
}

function rootPairs(src: string): PairList {
  return (parseYaml(src).root as YMap).pairs;
}

describe('which keys are kept bare, with their text and span', () => {
  test('plain block keys are bare; their span is their text', () => {
    const src = 'name: Install\naction: RunCommandLine\ncontinueOnError: true\n';
    assert.deepEqual(keysOf(src, rootPairs(src)), [
      ['name', 'name', 0, true],
      ['action', 'action', 14, true],
      ['continueOnError', 'continueOnError', 37, true],
    ]);
  });

  test('quoted keys stay nodes, spanning their quotes', () => {
    const src = '"a b": 1\n\'c\': 2\n"e\\tf": 3\n';
    assert.deepEqual(keysOf(src, rootPairs(src)), [
      ['a b', '"a b"', 0, false],
      ['c', "'c'", 9, false],
      ['e\tf', '"e\\tf"', 16, false],
    ]);
  });

  test('anchored and tagged keys stay nodes; the pair starts at the property', () => {
    const src = '&k a: 1\n!!str b: 2\n&x !!str c: 3\n';
    assert.deepEqual(keysOf(src, rootPairs(src)), [
      ['a', 'a', 0, false],
      ['b', 'b', 8, false],
      ['c', 'c', 19, false],
    ]);
  });

  test('flow mapping keys: bare when plain on one line, with or without a value', () => {
    const src = 'm: { a: 1, b, "q": 2, c : 3, d e: 4, x:y: 5 }\n';
    const m = valueAt(rootPairs(src), 0) as YMap;
    assert.deepEqual(keysOf(src, m.pairs), [
      ['a', 'a', 5, true],
      ['b', 'b', 11, true],
      ['q', '"q"', 14, false],
      ['c', 'c', 22, true],
      ['d e', 'd e', 29, true],
      ['x:y', 'x:y', 37, true],
    ]);
    assert.equal((valueAt(m.pairs, 1) as YScalar).implicit, true, '`b` alone is a key with an empty value');
  });

  test('a flow key written over two lines stays a node, its text folded', () => {
    const src = 'm: { a\n  b: 1 }\n';
    const m = valueAt(rootPairs(src), 0) as YMap;
    assert.deepEqual(keysOf(src, m.pairs), [['a b', 'a\n  b', 5, false]]);
  });

  test('a single pair in a flow list keeps its key as a node', () => {
    const src = 'k: [a: 1, b]\n';
    const item = (valueAt(rootPairs(src), 0) as { items: YNode[] }).items[0] as YMap;
    assert.deepEqual(keysOf(src, item.pairs), [['a', 'a', 4, false]]);
  });

  test('a merge key `<<` is bare and still a merge key; a quoted one is neither', () => {
    const src = 'base: &b { x: 1 }\nm:\n  <<: *b\n  "<<": 2\n';
    const m = valueAt(rootPairs(src), 1) as YMap;
    assert.deepEqual(keysOf(src, m.pairs), [
      ['<<', '<<', 23, true],
      ['<<', '"<<"', 32, false],
    ]);
    assert.deepEqual([isMergeKeyAt(m.pairs, 0), isMergeKeyAt(m.pairs, 1)], [true, false]);
    assert.equal(m.merges, true);
  });

  test('duplicated bare keys are both kept and the second is reported at its span', () => {
    const src = 'a: 1\nb: 2\na: 3\n';
    const doc = parseYaml(src);
    assert.deepEqual(keysOf(src, (doc.root as YMap).pairs), [
      ['a', 'a', 0, true],
      ['b', 'b', 5, true],
      ['a', 'a', 10, true],
    ]);
    assert.deepEqual(
      doc.errors.map((e) => [e.start, e.end, e.message]),
      [[10, 11, 'The key `a` appears more than once in this mapping; the last one wins.']],
    );
    const many = Array.from({ length: 10 }, (_, i) => `k${i}: ${i}\n`).join('') + 'k3: again\n';
    const at = many.lastIndexOf('k3');
    assert.deepEqual(
      parseYaml(many).errors.map((e) => [e.start, e.end]),
      [[at, at + 2]],
      'a large mapping (looked up by a set) reports the same span',
    );
  });

  test('spaces before the colon, and a comment after it, are not part of the key', () => {
    const src = 'key   : v\nother: # note\nlast:v: w # c\n';
    assert.deepEqual(keysOf(src, rootPairs(src)), [
      ['key', 'key', 0, true],
      ['other', 'other', 10, true],
      ['last:v', 'last:v', 24, true],
    ]);
  });

  test('CRLF files: offsets count both characters of every line break', () => {
    const src = 'a: 1\r\nb:\r\n  c: 2\r\n';
    const pairs = rootPairs(src);
    assert.deepEqual(keysOf(src, pairs), [
      ['a', 'a', 0, true],
      ['b', 'b', 6, true],
    ]);
    assert.deepEqual(keysOf(src, (valueAt(pairs, 1) as YMap).pairs), [['c', 'c', 12, true]]);
  });

  test('non-ASCII and astral characters: a key ends its length in UTF-16 units after its start', () => {
    const src = 'Ünïcode: 1\n😀key: 2\nnested:\n  𝔘𝔫: 3\n';
    const pairs = rootPairs(src);
    assert.deepEqual(keysOf(src, pairs), [
      ['Ünïcode', 'Ünïcode', 0, true],
      ['😀key', '😀key', 11, true],
      ['nested', 'nested', 20, true],
    ]);
    assert.deepEqual(keySpanAt(pairs, 1), { start: 11, end: 16 }, 'the emoji is two units');
    assert.deepEqual(keysOf(src, (valueAt(pairs, 2) as YMap).pairs), [['𝔘𝔫', '𝔘𝔫', 30, true]]);
  });

  test('an empty key stays a node', () => {
    const pairs = rootPairs(': v\n');
    assert.deepEqual([isBareKeyAt(pairs, 0), keyTextAt(pairs, 0)], [false, '']);
  });
});

describe('a bare key as a node, made when asked for', () => {
  test('the node is what a plain key node holds, its value resolved as YAML 1.2 resolves it', () => {
    const src = 'name: a\n3: b\ntrue: c\n~: d\n';
    const pairs = rootPairs(src);
    assert.deepEqual(
      [0, 1, 2, 3].map((k) => keyNodeAt(pairs, k)),
      [
        { kind: 'scalar', start: 0, end: 4, text: 'name', value: 'name' },
        { kind: 'scalar', start: 8, end: 9, text: '3', value: 3 },
        { kind: 'scalar', start: 13, end: 17, text: 'true', value: true },
        { kind: 'scalar', start: 21, end: 22, text: '~', value: null },
      ],
    );
  });

  test('each call makes a new node: pairs are compared by their starts', () => {
    const pairs = rootPairs('a: 1\n');
    assert.notEqual(keyNodeAt(pairs, 0), keyNodeAt(pairs, 0));
    assert.deepEqual(keyNodeAt(pairs, 0), keyNodeAt(pairs, 0));
  });

  test('a key kept as a node is that node', () => {
    const pairs = rootPairs('"a": 1\n');
    assert.equal(keyNodeAt(pairs, 0), keyNodeAt(pairs, 0));
  });
});

describe('an edit read in place moves bare keys with the rest', () => {
  test('the starts after the edit move by its length; the text read again is the same', () => {
    const text = 'steps:\n  - name: A\n    run: a\n  - name: B\n    with: { x: 1, "y": 2 }\n';
    const at = text.indexOf('run: a') + 5;
    const edit = { start: at, end: at + 1, text: 'longer' };
    const newText = applyEdit(text, edit);
    const updated = updateYaml(parseYaml(text), edit, newText);
    assert.ok(updated, 'read in place');
    const full = parseYaml(newText);
    const shape = (root: YNode | null) => {
      const out: unknown[] = [];
      const visit = (n: YNode) => {
        if (n.kind === 'map')
          for (let k = 0; k < pairCount(n.pairs); k++) {
            out.push(keysOf(newText, n.pairs)[k]);
            visit(valueAt(n.pairs, k));
          }
        else if (n.kind === 'seq') n.items.forEach(visit);
      };
      if (root) visit(root);
      return out;
    };
    assert.deepEqual(shape(updated.yaml.root), shape(full.root));
    assert.deepEqual(updated.yaml.root, full.root);
  });

  test('a file with merge keys is read in full on an edit', () => {
    const text = 'steps:\n  - name: A\n    <<: { run: a }\n  - name: B\n';
    const at = text.indexOf('name: B') + 6;
    const edit = { start: at, end: at + 1, text: 'C' };
    assert.equal(parseYaml(text).merged, true);
    assert.equal(updateYaml(parseYaml(text), edit, applyEdit(text, edit)), undefined);
  });
});
