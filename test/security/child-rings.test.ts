// Threat: a hostile workspace whose sequences run each other in rings, long chains, wide fans or
// lattices of thousands of files (or that hides a loop behind a link) — the checks used to take
// minutes and gigabytes (a ring of 3,000: 50 s and 1.9 GB for `tsq lint`, a lattice never
// finished) and the language server stopped answering. Pinned here: every loop is found, also
// through links and other spellings of a path; messages stay short; the work done grows in
// proportion to files and calls (counted, not timed: speed belongs to `npm run bench`).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { childGraph } from '../../server/src/semantics/child-graph';
import { sequenceClosure } from '../../server/src/semantics/sequence-closure';
import { exportSequence, type KeptFiles } from '../../server/src/interop/export';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { normalisePath } from '../../server/src/util/paths';
import { inTempDir, tsq } from '../helpers/cli';
import { childShapeFiles } from '../helpers/child-shapes';
import { workspaceOf } from '../helpers/lint';

/** The lattice lives in memory: no import kept ConfigMgr files beside it. */
const NOTHING_KEPT: KeptFiles = { read: () => ({ missing: true }), list: () => [] };

/** Lints every file with every rule, as `tsq lint FOLDER` does, and says how much child work that took. */
function lintAll(files: Record<string, string>): {
  ws: Workspace;
  findings: Map<string, ReturnType<typeof analyzeDocument>>;
  work: number;
} {
  const ws = workspaceOf(files);
  const findings = new Map<string, ReturnType<typeof analyzeDocument>>();
  for (const doc of ws.all()) findings.set(doc.id, analyzeDocument(ws, doc));
  return { ws, findings, work: ws.childResolutions + childGraph(ws).work };
}

describe('a ring of 3,000 child sequences', () => {
  test('every call is reported once as closing the loop, in a message of bounded length', { timeout: 120_000 }, () => {
    const { findings } = lintAll(childShapeFiles('ring', 3000));
    assert.equal(findings.size, 3000);
    for (const [id, list] of findings) {
      const loops = list.filter((d) => d.code === 'child-cycle');
      assert.equal(loops.length, 1, `${id}: ${loops.map((d) => d.message).join(' | ')}`);
      assert.equal(loops[0].severity, 'error');
      assert.match(
        loops[0].message,
        /runs this sequence again, through a loop of 3,000 sequences: \.\/s\d{5}\.tsq\.yaml → .* → … → \.\/s\d{5}\.tsq\.yaml\.$/,
      );
      assert.ok(loops[0].message.length < 300, `${id}: a message of ${loops[0].message.length} characters`);
      // Each file reads the variable its parent sets before running it: no false undefined-variable.
      assert.deepEqual(
        list.filter((d) => d.code === 'undefined-variable'),
        [],
        id,
      );
    }
  });

  test('a small loop is still shown whole, along its shortest way', () => {
    const files = childShapeFiles('ring', 3);
    const { findings } = lintAll(files);
    const [loop] = findings.get('/ws/s00000.tsq.yaml')!.filter((d) => d.code === 'child-cycle');
    assert.equal(
      loop.message,
      'This child sequence runs this sequence again: ./s00000.tsq.yaml → ./s00001.tsq.yaml → ./s00002.tsq.yaml → ./s00000.tsq.yaml.',
    );
  });
});

describe('the work of checking grows in proportion to files and calls', () => {
  // Doubling the workspace may double the work (plus a little), never square it. The old checks
  // resolved every call again from every call that could reach it: four times the work and more.
  for (const shape of ['ring', 'chain', 'fan', 'lattice'] as const) {
    test(
      `${shape}: twice the files, at most 2.2 times the child resolutions and graph steps`,
      { timeout: 120_000 },
      () => {
        const small = lintAll(childShapeFiles(shape, 300)).work;
        const large = lintAll(childShapeFiles(shape, 600)).work;
        assert.ok(large <= 2.2 * small, `${shape}: ${small} units of work for 300 files, ${large} for 600`);
      },
    );
  }

  test('a chain of 3,000: nesting warnings at every call, and the deepest says how deep', { timeout: 120_000 }, () => {
    const { findings } = lintAll(childShapeFiles('chain', 3000));
    const [first] = findings.get('/ws/s00000.tsq.yaml')!.filter((d) => d.code === 'child-cycle');
    assert.equal(first.severity, 'warning');
    assert.equal(first.message, 'Child sequences nest 3000 levels deep from here.');
    assert.deepEqual(
      findings.get('/ws/s02999.tsq.yaml')!.filter((d) => d.code === 'child-cycle'),
      [],
    );
  });

  test(
    'the closure of a lattice of 3,000 (what deployments and media carry) holds each file once',
    { timeout: 120_000 },
    () => {
      const ws = workspaceOf(childShapeFiles('lattice', 3000));
      const members = sequenceClosure(ws, ws.get('/ws/s00000.tsq.yaml')!);
      assert.equal(members.length, 3000);
      assert.equal(new Set(members.map((m) => m.doc.id)).size, 3000);
    },
  );

  test(
    'exporting the top of a lattice of 400 works out each child’s references once',
    { timeout: 120_000 },
    async () => {
      const count = async (n: number) => {
        const ws = workspaceOf(childShapeFiles('lattice', n));
        const r = await exportSequence(ws, ws.get('/ws/s00000.tsq.yaml')!, { format: 'xml', kept: NOTHING_KEPT });
        assert.ok(r.ok, r.ok ? '' : r.error.message);
        return ws.childResolutions;
      };
      // Following every path of the lattice again took time that doubled with every two files.
      const small = await count(200);
      const large = await count(400);
      assert.ok(large <= 2.2 * small, `${small} resolutions for 200 files, ${large} for 400`);
    },
  );
});

describe('a loop through a link or another spelling of a path is a loop', () => {
  const run = (name: string, ref: string) =>
    [
      `sequence: ${name}`,
      `packageId: CM${name.toUpperCase().padEnd(6, '0')}`,
      'steps:',
      `  - name: Run ${ref}`,
      '    action: RunTaskSequence',
      `    with: { sequence: ${JSON.stringify(ref)} }`,
      '',
    ].join('\n');

  test('a sequence that runs itself through a symbolic link to its own file', async () => {
    await inTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'main.tsq.yaml'), run('main', './again.tsq.yaml'));
      fs.symlinkSync('main.tsq.yaml', path.join(dir, 'again.tsq.yaml'));
      const r = await tsq('lint', '--format', 'json', path.join(dir, 'main.tsq.yaml'));
      assert.equal(r.code, 1, r.out + r.err);
      const found = JSON.parse(r.out) as { file: string; line: number; code: string; message: string }[];
      assert.deepEqual(
        found.map((d) => [path.basename(d.file), d.line, d.code, d.message]),
        [
          [
            'main.tsq.yaml',
            6,
            'child-cycle',
            'A sequence cannot run itself as a child: `./again.tsq.yaml` is this file.',
          ],
        ],
      );
    });
  });

  test('a ring closed through a linked folder, backslashes, `..` and another case', async () => {
    await inTempDir(async (dir) => {
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.symlinkSync('sub', path.join(dir, 'linked'));
      fs.writeFileSync(
        path.join(dir, 'a.tsq.yaml'),
        run('a', '.\\sub\\..\\sub\\b.tsq.yaml') + run('a', './sub/c.tsq.yaml').replace(/^[\s\S]*?steps:\n/, ''),
      );
      fs.writeFileSync(path.join(dir, 'sub', 'b.tsq.yaml'), run('b', '../linked/C.tsq.yaml'));
      fs.writeFileSync(path.join(dir, 'sub', 'c.tsq.yaml'), run('c', '../a.tsq.yaml'));
      const { ws } = loadPaths([path.join(dir, 'a.tsq.yaml')]);
      const a = ws.get(normalisePath(path.join(dir, 'a.tsq.yaml')))!;
      const loops = analyzeDocument(ws, a)
        .filter((d) => d.code === 'child-cycle')
        .map((d) => d.message);
      assert.deepEqual(loops, [
        'This child sequence runs this sequence again: ./a.tsq.yaml → ./sub/b.tsq.yaml → ./sub/c.tsq.yaml → ./a.tsq.yaml.',
        'This child sequence runs this sequence again: ./a.tsq.yaml → ./sub/c.tsq.yaml → ./a.tsq.yaml.',
      ]);
      // c.tsq.yaml, reached as sub/c and through the linked folder, was read once: one file, one document.
      assert.equal([...ws.all()].filter((d) => /c\.tsq\.yaml$/i.test(d.id)).length, 1);
    });
  });

  test('a hard link to the same file is the same file', async () => {
    await inTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'one.tsq.yaml'), run('one', './two.tsq.yaml'));
      fs.linkSync(path.join(dir, 'one.tsq.yaml'), path.join(dir, 'two.tsq.yaml'));
      const r = await tsq('lint', '--format', 'json', dir);
      const found = JSON.parse(r.out) as { file: string; code: string; message: string }[];
      assert.deepEqual(
        found.map((d) => [path.basename(d.file), d.code, d.message]),
        [['one.tsq.yaml', 'child-cycle', 'A sequence cannot run itself as a child: `./two.tsq.yaml` is this file.']],
      );
    });
  });
});
