// `scalarSpans` (server/src/model/yaml/sourcemap.ts) maps decoded offsets of a scalar to the file
// without building the per-character map where the scalar is written verbatim. Pinned here: it
// gives exactly what `scalarSpan` gives, for every span of every scalar of the rule fixtures, the
// examples and a file of every bench shape, and of scalars written in every style on purpose.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/model/yaml/parser';
import { pairsOf, type YNode, type YScalar } from '../../server/src/model/yaml/nodes';
import { scalarSpan, scalarSpans } from '../../server/src/model/yaml/sourcemap';
import { exampleAndShapeWorkspaces, fixtureWorkspaces } from '../helpers/analysis-corpus';

function scalarsOf(node: YNode | null | undefined, out: YScalar[] = []): YScalar[] {
  if (!node) return out;
  if (node.kind === 'scalar') out.push(node);
  else if (node.kind === 'seq') for (const item of node.items) scalarsOf(item, out);
  else if (node.kind === 'map')
    for (const pair of pairsOf(node.pairs)) {
      scalarsOf(pair.key, out);
      scalarsOf(pair.value, out);
    }
  return out;
}

/** Every span of `node` from one before its start to one past its end (a sample of them on long text). */
function assertSameSpans(src: string, node: YScalar, where: string): void {
  const spans = scalarSpans(src, node);
  const length = node.text.length;
  const step = length > 60 ? Math.ceil(length / 30) : 1;
  for (let from = -1; from <= length + 1; from += step)
    for (let to = from - 1; to <= length + 2; to += step)
      assert.deepEqual(
        spans(from, to),
        scalarSpan(src, node, from, to),
        `${where}: [${from}, ${to}) of ${JSON.stringify(node.text.slice(0, 40))} (${node.style})`,
      );
}

describe('scalarSpans maps decoded offsets to the file as scalarSpan does', () => {
  test('on scalars written in every style, with and without escapes and line breaks', () => {
    const src = [
      'plain: cmd.exe /c %Name% run',
      "single: 'say %Name% here'",
      "singleEscaped: 'it''s %Name%'",
      'double: "say %Name% here"',
      'doubleEscaped: "tab\\t%Name%\\" quote"',
      "emptySingle: ''",
      'emptyDouble: ""',
      'multiPlain: first line',
      '  second %Name% line',
      'multiDouble: "first',
      '  second %Name%"',
      'literal: |',
      '  echo %Name%',
      '  done',
      'folded: >',
      '  one %Name%',
      '  two',
      'when: _SMSTSMake == "Dell" and (Ring == "1" or not exists(Skip)) and Count > 3',
      'quotedWhen: "Ring == \'1\' and OSDComputerName != \\"LAB\\""',
      'flow: [a %Name%, "b %Name%", \'c\']',
      '',
    ].join('\n');
    const scalars = scalarsOf(parseYaml(src).root);
    assert.ok(scalars.length > 20);
    for (const node of scalars) assertSameSpans(src, node, 'hand-written');
  });

  test('on every scalar of the rule fixtures, the examples and every bench shape', () => {
    let count = 0;
    for (const { where, ws } of [...fixtureWorkspaces(), ...exampleAndShapeWorkspaces(60)])
      for (const doc of ws.all())
        for (const node of scalarsOf(doc.yaml.root)) {
          assertSameSpans(doc.text, node, `${where} ${doc.id}`);
          count++;
        }
    assert.ok(count > 10_000, `compared ${count} scalars`);
  });
});
