// Breakpoint lines (debug/breakpoints.ts): the index compares a line with a node through the
// offsets where lines start instead of working out every node's first and last line up front.
// Every line of every example, simulator fixture and generated shape, in LF and CRLF, with
// anchors and aliases, comments between steps and lines past the end, must land on the very node,
// and list the very breakpoint locations, that the line of every node worked out up front gave.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { walk, type SequenceModel, type SeqNode } from '../../server/src/model/sequence';
import { NodeLineIndex } from '../../server/src/debug/breakpoints';
import { BENCH_SHAPES, generateShape } from '../../bench/generate';
import { ROOT, FIXTURES } from '../simulator/helpers';

/** The index as it was: every node's first and last line worked out when it is made. */
function linesUpFront(doc: TsqDocument) {
  const nodes: { node: SeqNode; first: number; last: number }[] = [];
  const lm = doc.lineMap;
  for (const node of walk((doc.model as SequenceModel).steps)) {
    const first = lm.positionAt(node.span.start).line;
    const last = lm.positionAt(Math.max(node.span.start, node.span.end - 1)).line;
    nodes.push({ node, first, last });
  }
  const lineOf = (node: SeqNode) => lm.positionAt(node.span.start).line;
  return {
    nodeAt(line: number): SeqNode | undefined {
      let inner: (typeof nodes)[number] | undefined;
      for (const n of nodes) {
        if (n.first > line) break;
        if (n.last >= line) inner = n;
      }
      const next = () => nodes.find((n) => n.first > line)?.node;
      if (!inner) return next();
      if (inner.node.kind === 'step') return inner.node;
      const firstChild = inner.node.steps[0];
      if (!firstChild || line < lineOf(firstChild)) return inner.node;
      return next();
    },
    linesBetween: (from: number, to: number) =>
      nodes.filter((n) => n.first >= from && n.first <= to).map((n) => n.first),
  };
}

const ANCHORS = `version: 1
name: Anchors
steps:
  # a comment before the first step
  - &install
    name: Install
    run: setup.exe /q

  - group: Twice
    steps:
      - *install
      - name: After
        run: after.cmd
      # a comment at the end of a group

  - group: Empty
    steps: []
# a comment at the end
`;

function sequences(): { name: string; text: string }[] {
  const files = [
    ...fs.readdirSync(path.join(ROOT, 'examples')).map((f) => path.join(ROOT, 'examples', f)),
    ...fs.readdirSync(FIXTURES).map((f) => path.join(FIXTURES, f)),
  ].filter((f) => f.endsWith('.tsq.yaml'));
  const texts = [
    ...files.map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') })),
    ...BENCH_SHAPES.map((shape) => ({ name: shape, text: generateShape(shape, 120).sequence })),
    { name: 'anchors', text: ANCHORS },
  ];
  return [...texts, ...texts.map(({ name, text }) => ({ name: `${name} (CRLF)`, text: text.replace(/\n/g, '\r\n') }))];
}

describe('breakpoint lines', () => {
  it('land on the node, and list the locations, that every node’s lines worked out up front gave', () => {
    let compared = 0;
    for (const { name, text } of sequences()) {
      const doc = parseDocument(`/x/${name.replace(/\W/g, '_')}.tsq.yaml`, text);
      if (doc.kind !== 'sequence' || !doc.model) continue;
      const index = new NodeLineIndex(doc);
      const before = linesUpFront(doc);
      const lines = doc.lineMap.lineCount;
      for (let line = -2; line <= lines + 2; line++) {
        assert.equal(index.nodeAt(line), before.nodeAt(line), `${name}, line ${line}`);
        assert.deepEqual(index.linesBetween(line, line + 3), before.linesBetween(line, line + 3), `${name}, ${line}+3`);
      }
      assert.deepEqual(index.linesBetween(-1, lines + 1), before.linesBetween(-1, lines + 1), name);
      compared++;
    }
    assert.ok(compared > 20, `${compared} sequences compared`);
  });
});
