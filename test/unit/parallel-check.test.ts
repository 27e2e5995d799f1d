// Checking on more cores (server/src/workers/parallel-check.ts) gives what checking in one thread
// gives, byte for byte, and loses nothing when a helper crashes, hangs or reads another workspace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tsq, inTempDir } from '../helpers/cli';
import { generateWorkspace } from '../../bench/generate-workspace';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { tsqFileLimit } from '../../server/src/files/read';
import { HELPERS_ENV } from '../../server/src/workers/worker-threads';
import {
  HELPER_THRESHOLD_BYTES,
  HelperTeam,
  checkShared,
  helpersFor,
  type ParallelCheckOptions,
} from '../../server/src/workers/parallel-check';

const ROOT = path.join(__dirname, '../../..');

/** `tsq lint ARGS` with the helper count forced (0: one thread). */
async function lintWith(helpers: number, ...args: string[]) {
  const before = process.env[HELPERS_ENV];
  process.env[HELPERS_ENV] = String(helpers);
  try {
    return await tsq('lint', ...args);
  } finally {
    if (before === undefined) delete process.env[HELPERS_ENV];
    else process.env[HELPERS_ENV] = before;
  }
}

/** A generated repository of sequences, catalogs and child sequences, with some broken references. */
function writeGeneratedWorkspace(dir: string): void {
  const generated = generateWorkspace({
    sequences: 40,
    catalogs: 3,
    minSteps: 10,
    maxSteps: 40,
    hotReferrers: 5,
    seed: 7,
  });
  for (const [rel, text] of Object.entries(generated.files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Every fifth file refers to a package no catalog lists: findings in many files.
    const broken =
      Object.keys(generated.files).indexOf(rel) % 5 === 0 ? text.replace(/S00[0-9A-F]{5}/, 'S00FFFFF') : text;
    fs.writeFileSync(file, broken);
  }
}

for (const format of ['text', 'json', 'sarif']) {
  test(`tsq lint --format ${format} prints the same with helper threads as in one thread (examples, fixtures)`, async () => {
    const folders = [
      path.join(ROOT, 'examples'),
      path.join(ROOT, 'examples/broken'),
      path.join(ROOT, 'test/fixtures/simulator'),
    ];
    const alone = await lintWith(0, '--format', format, ...folders);
    const shared = await lintWith(2, '--format', format, ...folders);
    assert.ok(alone.out.length > 1000, 'the examples have findings to compare');
    assert.equal(shared.out, alone.out);
    assert.equal(shared.err, alone.err);
    assert.equal(shared.code, alone.code);
  });
}

test('tsq lint of a generated repository prints the same with one, two or three helper threads', async () => {
  await inTempDir(async (dir) => {
    writeGeneratedWorkspace(dir);
    const alone = await lintWith(0, '--format', 'json', dir);
    assert.ok(JSON.parse(alone.out).length >= 8, 'the broken references are found');
    for (const helpers of [1, 2, 3]) {
      const shared = await lintWith(helpers, '--format', 'json', dir);
      assert.equal(shared.out, alone.out, `${helpers} helper(s)`);
      assert.equal(shared.code, alone.code);
    }
  });
});

/** The findings of `dir` in one thread, and checked with a team started from `options`. */
async function bothWays(dir: string, options: Partial<ParallelCheckOptions>) {
  const { ws, targets } = loadPaths([dir]);
  const check = (id: string) => analyzeDocument(ws, ws.get(id)!);
  const alone = targets.map(check);
  const team = HelperTeam.start({
    recipe: { kind: 'paths', paths: [dir] },
    maxFileBytes: tsqFileLimit().maxBytes,
    helpers: 1,
    ...options,
  });
  assert.ok(team, 'the helper starts');
  const shared = await checkShared(ws, targets, check, team);
  return { alone, shared };
}

test('a helper that crashes loses no finding: the caller checks what it did not deliver', async () => {
  await inTempDir(async (dir) => {
    writeGeneratedWorkspace(dir);
    const script = path.join(dir, 'crash.js');
    fs.writeFileSync(script, "throw new Error('helper crashed on start');\n");
    const { alone, shared } = await bothWays(dir, { script });
    assert.deepEqual(shared, alone);
  });
});

test('a helper that hangs on a file it took does not hang the check: the caller checks that file after the stall limit', async () => {
  await inTempDir(async (dir) => {
    writeGeneratedWorkspace(dir);
    const script = path.join(dir, 'hang.js');
    // Takes the first file off the shared counter, then never answers.
    fs.writeFileSync(
      script,
      [
        "const { workerData } = require('node:worker_threads');",
        'const slots = new Int32Array(workerData.shared, 0, 2);',
        'Atomics.add(slots, 0, 1);',
        'for (;;) {}',
        '',
      ].join('\n'),
    );
    const { ws, targets } = loadPaths([dir]);
    const checkedHere: string[] = [];
    const check = (id: string) => {
      // The first file takes the caller a second: time for the helper to start and take the next.
      if (checkedHere.length === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      checkedHere.push(id);
      return analyzeDocument(ws, ws.get(id)!);
    };
    const team = HelperTeam.start({
      recipe: { kind: 'paths', paths: [dir] },
      maxFileBytes: tsqFileLimit().maxBytes,
      helpers: 1,
      script,
      stallLimitMs: 300,
    });
    const shared = await checkShared(ws, targets, check, team);
    assert.deepEqual(
      shared,
      targets.map((id) => analyzeDocument(ws, ws.get(id)!)),
    );
    assert.deepEqual(
      [...checkedHere].sort(),
      [...targets].sort(),
      'the caller checked every file once, the hung one too',
    );
  });
});

test('a helper whose workspace is not the caller’s checks nothing (a file changed between the two readings)', async () => {
  await inTempDir(async (dir) => {
    writeGeneratedWorkspace(dir);
    const other = path.join(dir, 'sequences');
    const delivered: number[] = [];
    const { ws, targets } = loadPaths([dir]);
    const team = HelperTeam.start({
      recipe: { kind: 'paths', paths: [other] },
      maxFileBytes: tsqFileLimit().maxBytes,
      helpers: 1,
    });
    assert.ok(team);
    const shared = await checkShared(
      ws,
      targets,
      (id) => {
        delivered.push(targets.indexOf(id));
        return analyzeDocument(ws, ws.get(id)!);
      },
      team,
    );
    assert.equal(delivered.length, targets.length, 'the caller checked every file itself');
    assert.deepEqual(
      shared,
      targets.map((id) => analyzeDocument(ws, ws.get(id)!)),
    );
  });
});

test('a helper takes files off the shared list while the caller is busy with others', async () => {
  await inTempDir(async (dir) => {
    writeGeneratedWorkspace(dir);
    const { ws, targets } = loadPaths([dir]);
    const team = HelperTeam.start({
      recipe: { kind: 'paths', paths: [dir] },
      maxFileBytes: tsqFileLimit().maxBytes,
      helpers: 1,
    });
    const checkedHere: string[] = [];
    const shared = await checkShared(
      ws,
      targets,
      (id) => {
        // A slow caller: a tenth of a second per file leaves the helper time to start and take some.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        checkedHere.push(id);
        return analyzeDocument(ws, ws.get(id)!);
      },
      team,
    );
    assert.deepEqual(
      shared,
      targets.map((id) => analyzeDocument(ws, ws.get(id)!)),
    );
    assert.ok(checkedHere.length < targets.length, `the helper checked ${targets.length - checkedHere.length} file(s)`);
  });
});

test('helpers start only for large inputs, one per idle core beyond the two the caller and V8 take', () => {
  const before = process.env[HELPERS_ENV];
  delete process.env[HELPERS_ENV];
  const large = () => HELPER_THRESHOLD_BYTES;
  try {
    assert.equal(
      helpersFor(() => HELPER_THRESHOLD_BYTES - 1, 8, 0),
      0,
      'small input',
    );
    assert.equal(helpersFor(large, 2, 0), 0, 'two idle cores');
    assert.equal(helpersFor(large, 4, 0.2), 2, 'four idle cores');
    assert.equal(helpersFor(large, 4, 1.8), 0, 'four cores, two busy');
    assert.equal(helpersFor(large, 8, 3), 3, 'eight cores, three busy');
    assert.ok(helpersFor(large, 64, 0) <= 3, 'a few at most: each parses everything again');
    let asked = false;
    helpersFor(() => ((asked = true), HELPER_THRESHOLD_BYTES), 2, 0);
    assert.equal(asked, false, 'the files are not weighed when no core is spare');
  } finally {
    if (before !== undefined) process.env[HELPERS_ENV] = before;
  }
});
