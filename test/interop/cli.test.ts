// The import, export and diff commands as a terminal or CI sees them: exit codes (0 done,
// 1 refused or different, 2 usage or I/O), what they print, that a refused import writes
// nothing, and that a failed export leaves the previous good file untouched.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { CONFIGMGR_SAMPLE, listTree, noSamples, tempDir } from './helpers';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const io: CliIO = {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    color: false,
    version: 'test',
  };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('tsq import / export / diff', { skip: noSamples }, () => {
  let dir: string;
  before(() => {
    dir = tempDir();
  });

  test('import writes the sequence and its catalog, lists them and exits 0', async () => {
    const r = await run('import', CONFIGMGR_SAMPLE, '--out', path.join(dir, 'ws'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /forevanyeung-tasksequences-rsc002a6-sequence\.tsq\.yaml/);
    assert.deepEqual(listTree(path.join(dir, 'ws')), [
      'catalog.tsq.yaml',
      'forevanyeung-tasksequences-rsc002a6-sequence.tsq.yaml',
    ]);
  });

  test('import refuses to replace existing files without --force, and writes nothing', async () => {
    const before = fs.readFileSync(path.join(dir, 'ws/catalog.tsq.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'ws/catalog.tsq.yaml'), 'catalog: Mine\n');
    const r = await run('import', CONFIGMGR_SAMPLE, '--out', path.join(dir, 'ws'));
    assert.equal(r.code, 1);
    assert.match(r.err, /already exist.*--force/s);
    assert.equal(fs.readFileSync(path.join(dir, 'ws/catalog.tsq.yaml'), 'utf8'), 'catalog: Mine\n');
    assert.equal((await run('import', CONFIGMGR_SAMPLE, '--out', path.join(dir, 'ws'), '--force')).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'ws/catalog.tsq.yaml'), 'utf8'), before);
  });

  test('import of a hostile file exits 1 with the reason and creates no folder', async () => {
    const bad = path.join(dir, 'bad.xml');
    fs.writeFileSync(bad, '<!DOCTYPE x [<!ENTITY a "b">]><sequence/>');
    const r = await run('import', bad, '--out', path.join(dir, 'never'));
    assert.equal(r.code, 1);
    assert.match(r.err, /DOCTYPE/);
    assert.equal(fs.existsSync(path.join(dir, 'never')), false);
  });

  test('export to XML then diff against the original: exit 0 and "the same"', async () => {
    const seq = path.join(dir, 'ws/forevanyeung-tasksequences-rsc002a6-sequence.tsq.yaml');
    const out = path.join(dir, 'out.xml');
    const e = await run('export', seq, '--format', 'xml', '--out', out);
    assert.equal(e.code, 0, e.err);
    const d = await run('diff', CONFIGMGR_SAMPLE, out);
    assert.equal(d.code, 0, d.out);
    assert.match(d.out, /the same/);
    // A *.tsq.yaml compares with the XML directly, too.
    assert.equal((await run('diff', seq, CONFIGMGR_SAMPLE)).code, 0);
  });

  test('diff lists what changed and exits 1', async () => {
    const changed = path.join(dir, 'changed.xml');
    fs.writeFileSync(
      changed,
      fs
        .readFileSync(CONFIGMGR_SAMPLE, 'utf8')
        .replace(
          '<variable name="OSDDiskIndex" property="DiskIndex">0</variable>',
          '<variable name="OSDDiskIndex" property="DiskIndex">1</variable>',
        ),
    );
    const d = await run('diff', CONFIGMGR_SAMPLE, changed);
    assert.equal(d.code, 1);
    assert.match(d.out, /1 difference/);
    assert.match(d.out, /Disks › Format and Partition Disk: setting OSDDiskIndex: "0" → "1"/);
    const json = await run('diff', '--format', 'json', CONFIGMGR_SAMPLE, changed);
    assert.deepEqual(JSON.parse(json.out), [
      { path: 'Disks › Format and Partition Disk', message: 'setting OSDDiskIndex: "0" → "1"' },
    ]);
  });

  test('a failed export leaves the previous file untouched and no temporary file behind', async () => {
    const out = path.join(dir, 'keep.xml');
    fs.writeFileSync(out, 'previous good export');
    const broken = path.join(dir, 'broken.tsq.yaml');
    fs.writeFileSync(
      broken,
      'sequence: Broken\nsteps:\n  - name: Bad condition\n    run: cmd /c x\n    when: Var ==\n',
    );
    const r = await run('export', broken, '--format', 'xml', '--out', out);
    assert.equal(r.code, 1);
    assert.match(r.err, /condition has an error.*Nothing was written/s);
    assert.equal(fs.readFileSync(out, 'utf8'), 'previous good export');
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes('.tsq-')),
      [],
    );
  });

  test('export refuses a file with YAML errors, and a password for anything but tsqpkg', async () => {
    const bad = path.join(dir, 'yaml-error.tsq.yaml');
    fs.writeFileSync(bad, 'sequence: X\nsteps: [\n');
    assert.equal((await run('export', bad, '--format', 'xml', '--out', path.join(dir, 'x.xml'))).code, 1);
    process.env.TSQ_TEST_PW = 'pw';
    const seq = path.join(dir, 'ws/forevanyeung-tasksequences-rsc002a6-sequence.tsq.yaml');
    const r = await run(
      'export',
      seq,
      '--format',
      'xml',
      '--out',
      path.join(dir, 'x.xml'),
      '--password-env',
      'TSQ_TEST_PW',
    );
    assert.equal(r.code, 2);
    assert.match(r.err, /Only a tsqpkg takes a password/);
  });

  test('a protected tsqpkg round trip through the CLI, with the password from the environment', async () => {
    process.env.TSQ_TEST_PW = 'correct horse battery staple';
    const seq = path.join(dir, 'ws/forevanyeung-tasksequences-rsc002a6-sequence.tsq.yaml');
    const pkg = path.join(dir, 'ts.tsqpkg');
    assert.equal(
      (await run('export', seq, '--format', 'tsqpkg', '--out', pkg, '--password-env', 'TSQ_TEST_PW')).code,
      0,
    );
    const wrong = await run('import', pkg, '--out', path.join(dir, 'unpacked'));
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /protected by a password/);
    const ok = await run('import', pkg, '--out', path.join(dir, 'unpacked'), '--password-env', 'TSQ_TEST_PW');
    assert.equal(ok.code, 0, ok.err);
    assert.equal(
      fs.readFileSync(path.join(dir, 'unpacked/forevanyeung-tasksequences-rsc002a6-sequence.tsq.yaml'), 'utf8'),
      fs.readFileSync(seq, 'utf8'),
    );
  });

  test('usage problems exit 2 with the usage text', async () => {
    const r = await run('export', 'x.tsq.yaml', '--format', 'pdf', '--out', 'x');
    assert.equal(r.code, 2);
    assert.match(r.err, /Usage: tsq export/);
    assert.equal((await run('import', CONFIGMGR_SAMPLE)).code, 2);
    assert.equal((await run('diff', CONFIGMGR_SAMPLE)).code, 2);
  });
});
