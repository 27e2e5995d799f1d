// The YAML reader reads each line once: the indentation a plain value's look for a continuation
// line has skipped is not read again, and letters are let through its scans by one comparison
// (server/src/model/yaml/parser.ts, `skipFrom` and the scans). These pin down that the shortcuts
// read exactly what the long way reads: offsets, errors and comments around them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/model/yaml/parser';
import {
  keyTextAt,
  pairsOf as pairObjects,
  valueAt,
  type YMap,
  type YScalar,
  type YSeq,
} from '../../server/src/model/yaml/nodes';

function pairsOf(src: string): Array<[string, unknown, number, number]> {
  const root = parseYaml(src).root as YMap;
  return pairObjects(root.pairs).map((p) => {
    const v = p.value as YScalar;
    return [(p.key as YScalar).text, v.value, v.start, v.end];
  });
}

describe('a plain value and the lines after it', () => {
  test('blank lines, lines of spaces and CRLF before the next key', () => {
    const src = 'a: one two\n\n   \r\n  \nb: x:y#z\r\nc: 3\n';
    const at = (text: string) => src.indexOf(text);
    assert.deepEqual(pairsOf(src), [
      ['a', 'one two', at('one'), at('one') + 7],
      ['b', 'x:y#z', at('x:y'), at('x:y') + 5],
      ['c', 3, at('3'), at('3') + 1],
    ]);
    assert.deepEqual(parseYaml(src).errors, []);
  });

  test('a comment line after a value is kept as a comment', () => {
    const src = 'a: v\n  # note\nb: w\n';
    const doc = parseYaml(src);
    assert.deepEqual(doc.comments, [{ start: 7, end: 13 }]);
    assert.deepEqual(pairsOf(src), [
      ['a', 'v', 3, 4],
      ['b', 'w', 17, 18],
    ]);
  });

  test('a tab in the next line’s indentation is reported once, where it is', () => {
    const src = 'm:\n  a: v\n \tb: w\n';
    const tabs = parseYaml(src).errors.filter((e) => e.message.startsWith('Tabs'));
    assert.deepEqual(
      tabs.map((e) => [e.start, e.end]),
      [[11, 12]],
    );
  });

  test('a more-indented line continues the value; a key line at the parent’s column ends it', () => {
    const src = 'k:\n  a: one\n    two\n\n    three\n  b: end\n';
    const m = valueAt((parseYaml(src).root as YMap).pairs, 0) as YMap;
    const a = valueAt(m.pairs, 0) as YScalar;
    assert.equal(a.text, 'one two\nthree');
    assert.deepEqual([a.start, a.end], [8, 30]);
    assert.equal((valueAt(m.pairs, 1) as YScalar).text, 'end');
  });

  test('list entries after plain values, at the end of the text without a line break', () => {
    const src = '- a b\n\n- Ünïcode: ok\n- c';
    const seq = parseYaml(src).root as YSeq;
    assert.equal(seq.items.length, 3);
    assert.equal((seq.items[0] as YScalar).text, 'a b');
    assert.equal(keyTextAt((seq.items[1] as YMap).pairs, 0), 'Ünïcode');
    assert.deepEqual([(seq.items[2] as YScalar).start, (seq.items[2] as YScalar).end], [src.length - 1, src.length]);
  });
});

describe('flow entries read by the short path', () => {
  test('letters, brackets, colons and comments end an entry where they should', () => {
    const root = parseYaml('f: { a: xyz, b: [p:q, r], c: "s" } # t\n').root as YMap;
    const flow = valueAt(root.pairs, 0) as YMap;
    assert.deepEqual(
      pairObjects(flow.pairs).map((p) => (p.key as YScalar).text),
      ['a', 'b', 'c'],
    );
    const list = valueAt(flow.pairs, 1) as YSeq;
    assert.deepEqual(
      list.items.map((n) => [(n as YScalar).text, n.start, n.end]),
      [
        ['p:q', 17, 20],
        ['r', 22, 23],
      ],
    );
  });
});
