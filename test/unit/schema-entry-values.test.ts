// The schema check builds the plain value of one entry of `steps:` at a time
// (server/src/schema/validate.ts, `entryValue`) instead of the whole file's value at once. Pinned
// here: on every rule fixture, the examples, generated files of every bench shape and files with
// anchors, merge keys, aliased lists and odd keys, each entry's value is the whole-file value of
// that entry (`toJS`) with its `steps:` list's entries left empty, so the one-level schemas see
// exactly what they saw in the whole value and report the same findings.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { entryValue } from '../../server/src/schema/validate';
import { resolve, toJS } from '../../server/src/model/yaml/expand';
import { pairsOf, type YNode } from '../../server/src/model/yaml/nodes';
import type { TsqDocument } from '../../server/src/model/document';
import type { Workspace } from '../../server/src/semantics/workspace';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { BENCH_SHAPES, generateShape } from '../../bench/generate';
import { fixtureCaseFiles } from '../rules/fixture';
import { workspaceOf } from '../helpers/lint';

// From out/test/unit, three levels up is the repository.
const REPO = path.join(__dirname, '../../..');
const FIXTURES = path.join(REPO, 'test/rules');

/** The whole-file value of an entry with the entries of its own `steps:` list emptied. */
function oneLevel(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const steps = (value as Record<string, unknown>).steps;
  if (!Array.isArray(steps)) return value;
  const copy = { ...(value as Record<string, unknown>) };
  Object.defineProperty(copy, 'steps', {
    value: steps.map(() => null),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** Compares every entry of every `steps:` list of `doc` (and its top level); returns how many. */
function compareEntries(doc: TsqDocument, where: string): number {
  const root = doc.yaml.root;
  if (doc.kind !== 'sequence' || !root) return 0;
  let compared = 0;
  const visit = (node: YNode, depth: number): void => {
    assert.deepStrictEqual(entryValue(node, doc.budget), oneLevel(toJS(node, doc.budget)), `${where} at ${node.start}`);
    compared++;
    const map = resolve(node, doc.budget);
    if (map?.kind !== 'map' || depth > 50) return;
    for (const p of pairsOf(map.pairs)) {
      if (p.key.kind !== 'scalar' || p.key.text !== 'steps') continue;
      const list = resolve(p.value, doc.budget);
      if (list?.kind === 'seq') for (const item of list.items) visit(item, depth + 1);
    }
  };
  visit(root, 0);
  return compared;
}

function compareWorkspace(ws: Workspace, where: string): number {
  let compared = 0;
  for (const doc of ws.all()) compared += compareEntries(doc, `${where} ${doc.id}`);
  return compared;
}

describe('the schema check’s values of one entry at a time', () => {
  test('are the whole file’s values on every case of every rule fixture', () => {
    let compared = 0;
    for (const { where, files } of fixtureCaseFiles(FIXTURES)) compared += compareWorkspace(workspaceOf(files), where);
    assert.ok(compared > 500, `the fixtures have entries to compare (${compared})`);
  });

  test('are the whole file’s values on the examples and on generated files of every shape', () => {
    for (const folder of ['examples', 'examples/broken']) {
      assert.ok(compareWorkspace(loadPaths([path.join(REPO, folder)]).ws, folder) > 10, folder);
    }
    for (const shape of BENCH_SHAPES) {
      const { sequence, files } = generateShape(shape, 300);
      assert.ok(compareWorkspace(workspaceOf({ ...files, 'seq.tsq.yaml': sequence }), shape) >= 300, shape);
    }
  });

  test('are the whole file’s values with anchors, merge keys, aliased lists and odd keys', () => {
    const text = [
      'sequence: Anchored',
      'steps:',
      '  - &base',
      '    name: Base',
      '    run: cmd /c exit 0',
      '    timeout: 5',
      '  - <<: *base',
      '    name: Merged',
      '  - *base',
      '  - group: &inner Inner',
      '    steps: &list',
      '      - name: One',
      '        run: cmd /c one',
      '      - group: Deeper',
      '        steps: []',
      '  - group: Again',
      '    steps: *list',
      '  - group: Twice',
      '    steps: [ { name: Lost, run: x } ]',
      '    steps: { not: a list }',
      '  - name: Step with steps',
      '    run: cmd /c x',
      '    steps: [1, 2]',
      '  - __proto__: { polluted: true }',
      '    name: Proto',
      '  - ? [complex, key]',
      '    : value',
      '    *inner : aliased key',
      '  - just text',
      '  - [a, list]',
      '',
    ].join('\n');
    assert.ok(compareWorkspace(workspaceOf({ 'anchored.tsq.yaml': text }), 'anchored') >= 12);
  });
});
