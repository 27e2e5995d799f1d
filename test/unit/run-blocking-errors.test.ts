// What stops a simulated run is found by the rules that can report an error alone
// (server/src/analysis/run-blocking-errors.ts). Pinned here: on every rule fixture, every file of
// examples/ and examples/broken, generated files of every bench shape and a file with more errors
// than the cap per rule shows, the errors are exactly those full lint reports (same findings, same
// order), and no finding is more severe than its rule's `mostSevere` says it can be.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { ERROR_CAPABLE_RULES, runBlockingErrors } from '../../server/src/analysis/run-blocking-errors';
import { ALL_RULES } from '../../server/src/analysis/rules';
import { SEVERITY_ORDER } from '../../server/src/analysis/diagnostic';
import type { Workspace } from '../../server/src/semantics/workspace';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { validateInput } from '../../server/src/frontend/simulation-input';
import { BENCH_SHAPES, generateShape, timeoutFloodSequence } from '../../bench/generate';
import { fixtureWorkspaces } from '../helpers/analysis-corpus';
import { workspaceOf } from '../helpers/lint';

// From out/test/unit, three levels up is the repository.
const REPO = path.join(__dirname, '../../..');
const MOST_SEVERE = new Map(ALL_RULES.map((r) => [r.code, r.mostSevere]));

/** Every document of `ws`: full lint's errors and the run-blocking ones agree; no finding is more severe than its rule allows. */
function assertSameErrors(ws: Workspace, where: string): number {
  let errors = 0;
  for (const doc of ws.all()) {
    const full = analyzeDocument(ws, doc);
    for (const d of full) {
      const most = MOST_SEVERE.get(d.code);
      if (most === undefined) continue; // internal-error, suppression: not a rule's finding
      assert.ok(
        SEVERITY_ORDER[d.severity] >= SEVERITY_ORDER[most],
        `${where} ${doc.id}: a ${d.severity} of \`${d.code}\`, whose rule says it reports at most ${most}`,
      );
    }
    const expected = full.filter((d) => d.severity === 'error');
    assert.deepEqual(runBlockingErrors(ws, doc), expected, `${where} ${doc.id}`);
    errors += expected.length;
  }
  return errors;
}

describe('the errors that stop a run', () => {
  test('only rules that can report an error are run, and the ones that cannot are left out', () => {
    const codes = ERROR_CAPABLE_RULES.map((r) => r.code);
    assert.ok(codes.includes('schema') && codes.includes('name-length') && codes.includes('architecture-mismatch'));
    assert.ok(!codes.includes('undefined-variable') && !codes.includes('mdt-dependency'));
  });

  test('are the errors full lint reports, on every case of every rule fixture', () => {
    let errors = 0;
    for (const { where, ws } of fixtureWorkspaces()) errors += assertSameErrors(ws, where);
    assert.ok(errors > 50, `the fixtures have errors to compare (${errors})`);
  });

  test('are the errors full lint reports, on the examples and the broken examples', () => {
    for (const folder of ['examples', 'examples/broken', 'examples/broken/without-catalog']) {
      const { ws } = loadPaths([path.join(REPO, folder)]);
      assert.ok([...ws.all()].length > 0, folder);
      assertSameErrors(ws, folder);
    }
    assert.ok(assertSameErrors(loadPaths([path.join(REPO, 'examples/broken')]).ws, 'examples/broken') > 10);
  });

  test('are the errors full lint reports, on generated files of every shape and past the cap per rule', () => {
    for (const shape of BENCH_SHAPES) {
      const { sequence, files } = generateShape(shape, 400);
      assertSameErrors(workspaceOf({ ...files, 'seq.tsq.yaml': sequence }), shape);
    }
    const flood = workspaceOf({ 'flood.tsq.yaml': timeoutFloodSequence(300) });
    assert.ok(assertSameErrors(flood, 'flood') > 100);
  });

  test('refuse a run of each broken example exactly when lint finds an error in it', () => {
    const broken = path.join(REPO, 'examples/broken');
    const { ws } = loadPaths([broken]);
    for (const doc of ws.all()) {
      if (doc.kind !== 'sequence') continue;
      const { errors } = validateInput({ ws, sequence: doc });
      assert.equal(
        errors.length > 0,
        analyzeDocument(ws, doc).some((d) => d.severity === 'error'),
        doc.id,
      );
    }
  });
});
