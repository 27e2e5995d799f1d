// A mapping keeps its keys and values in one list, alternating (`YMap.pairs`, see
// server/src/model/yaml/nodes.ts), instead of a pair object per pair. A pair's offsets are read from
// its key and value: from the key (with the `&anchor` or `!tag` written before it) to the end of the
// value. These pin down that those offsets are the pair's text in every way the reader makes pairs,
// and what the helpers that read the list answer.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/model/yaml/parser';
import { ExpansionBudget, effectivePairs } from '../../server/src/model/yaml/expand';
import {
  findPair,
  firstValueOf,
  keyNodeAt,
  lastPairAtOrBefore,
  pairCount,
  pairIndexOf,
  pairsOf,
  valueOf,
  type YMap,
  type YNode,
  type YScalar,
  type YSeq,
} from '../../server/src/model/yaml/nodes';

/** Every pair of every mapping in `src`, as the text it spans. */
function pairTexts(src: string): string[] {
  const out: string[] = [];
  const visit = (n: YNode | undefined): void => {
    if (!n) return;
    if (n.kind === 'map')
      for (const p of pairsOf(n.pairs)) {
        out.push(src.slice(p.start, p.end));
        visit(p.key);
        visit(p.value);
      }
    else if (n.kind === 'seq') n.items.forEach(visit);
  };
  visit(parseYaml(src).root ?? undefined);
  return out;
}

describe('a pair spans its key and its value', () => {
  test('block pairs, with a value on the line, on the next lines, or none', () => {
    const src = 'a: 1\nb:\n  c: x\nd:\ne: |\n  text\nf: # note\n';
    assert.deepEqual(pairTexts(src), ['a: 1', 'b:\n  c: x', 'c: x', 'd:', 'e: |\n  text', 'f:']);
  });

  test('properties before a key belong to the pair, properties before a value too', () => {
    const src = '&k a: 1\n!!str b: 2\n& c: 3\nd: &v 4\ne: !!str\n';
    assert.deepEqual(pairTexts(src), ['&k a: 1', '!!str b: 2', '& c: 3', 'd: &v 4', 'e: !!str']);
    assert.ok(
      parseYaml(src).errors.some((e) => e.message.startsWith('An anchor needs a name')),
      'the nameless anchor is still reported',
    );
  });

  test('flow pairs, a key without a value, and a single pair in a list', () => {
    const src = 'm: {a: 1, b, &x c: [d: 2, e], f: }\n';
    assert.deepEqual(pairTexts(src), [
      'm: {a: 1, b, &x c: [d: 2, e], f: }',
      'a: 1',
      'b',
      '&x c: [d: 2, e]',
      'd: 2',
      'f:',
    ]);
  });

  test('a key without `:` is a pair with an empty value, after the error', () => {
    const src = 'a: 1\nb\nc: 2\n';
    const doc = parseYaml(src);
    assert.ok(doc.errors.length > 0);
    const root = doc.root as YMap;
    for (const p of pairsOf(root.pairs)) assert.ok(p.start <= p.end && p.end <= src.length);
    assert.equal((findPair(root, 'c')!.value as YScalar).value, 2);
  });
});

describe('reading a pair list', () => {
  const root = parseYaml('a: 1\nb: 2\na: 3\nc: [x]\n').root as YMap;

  test('keys and values in text order', () => {
    assert.equal(pairCount(root.pairs), 4);
    assert.deepEqual(
      pairsOf(root.pairs).flatMap((p) => [p.key, p.value].map((n) => (n.kind === 'scalar' ? n.text : n.kind))),
      ['a', '1', 'b', '2', 'a', '3', 'c', 'seq'],
    );
  });

  test('the last of duplicated keys wins, except where the first is asked for', () => {
    assert.equal(pairIndexOf(root.pairs, 'a'), 2);
    assert.equal((valueOf(root.pairs, 'a') as YScalar).value, 3);
    assert.equal((firstValueOf(root.pairs, 'a') as YScalar).value, 1);
    assert.equal((findPair(root, 'a')!.value as YScalar).value, 3);
    assert.equal(pairIndexOf(root.pairs, 'z'), -1);
    assert.equal(valueOf(root.pairs, 'z'), undefined);
    assert.equal(((valueOf(root.pairs, 'c') as YSeq).items[0] as YScalar).text, 'x');
  });

  test('the pair at or before an offset is found by its start', () => {
    const src = 'a: 1\nb: 2\n&k c: 3\n';
    const m = parseYaml(src).root as YMap;
    assert.equal(lastPairAtOrBefore(m.pairs, 0), 0);
    assert.equal(lastPairAtOrBefore(m.pairs, src.indexOf('b') - 1), 0);
    assert.equal(lastPairAtOrBefore(m.pairs, src.indexOf('b')), 1);
    assert.equal(lastPairAtOrBefore(m.pairs, src.indexOf('&k')), 2, 'the anchor starts the pair');
    assert.equal(lastPairAtOrBefore([], 3), -1);
    assert.equal((keyNodeAt(m.pairs, 2) as YScalar).text, 'c');
  });

  test('merged pairs come first, in the same layout, and the mapping’s own keys win', () => {
    const m = valueOf((parseYaml('base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n').root as YMap).pairs, 'm') as YMap;
    const pairs = effectivePairs(m, new ExpansionBudget());
    assert.deepEqual(
      pairsOf(pairs).map((p) => [(p.key as YScalar).text, (p.value as YScalar).value]),
      [
        ['x', 1],
        ['y', 3],
      ],
    );
  });
});
