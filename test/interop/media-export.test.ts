// `tsq export --format tsqpkg --media M --out F`: the media's content set — its sequence and the
// children it runs, the catalog entries they use plus the media's boot image, the machine profiles
// it names and the media file — in a package always protected by the media's password, taken
// from the environment variable it names or asked for; never written in clear anywhere.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readZip } from '../../server/src/interop/opc/zip';
import { importFile } from '../../server/src/files/interop';
import { readTsqPackage } from '../../server/src/interop/tsqpkg/package';
import { ROOT } from '../simulator/helpers';
import { tsq } from '../helpers/cli';
import { listTree, tempDir } from './helpers';

const PASSWORD = 'correct horse battery staple';
const ENV = 'TSQ_TEST_MEDIA_PASSWORD';

const FILES: Record<string, string> = {
  'build.tsq.yaml':
    'sequence: Build\npackageId: LAB00010\nbootImage: LAB00005\nsteps:\n  - { name: Apply, action: ApplyOperatingSystemImage, with: { image: LAB00042, index: 1 } }\n  - { name: Apps, action: RunTaskSequence, with: { sequence: ./apps/apps.tsq.yaml } }\n',
  'apps/apps.tsq.yaml':
    'sequence: Apps\npackageId: LAB00011\nsteps:\n  - { name: Office, action: InstallApplication, with: { applications: [Office365] } }\n',
  'catalog.tsq.yaml':
    'catalog: Lab\nosImages:\n  - { id: LAB00042, name: Windows 11, architecture: x64, indexes: [1] }\nbootImages:\n  - { id: LAB00005, name: Boot x64, architecture: x64 }\n  - { id: LAB00006, name: Boot x64 with drivers, architecture: x64 }\n  - { id: LAB00007, name: Unused boot image, architecture: x64 }\napplications:\n  - { id: Office365, name: Office }\n',
  'targets/branch-pc.tsq.yaml': 'machine: Branch PC\narchitecture: x64\n',
  'other-vm.tsq.yaml': 'machine: Not for this media\n',
  'offline.tsq.yaml': `media: Offline\ntype: prestaged\nsequence: ./build.tsq.yaml\nbootImage: LAB00006\npassword: { env: ${ENV} }\nmachine: ./targets/branch-pc.tsq.yaml\n`,
  'asked.tsq.yaml': 'media: Asked\ntype: standalone\nsequence: ./build.tsq.yaml\npassword: { prompt: true }\n',
  'open.tsq.yaml': 'media: Open\ntype: standalone\nsequence: ./build.tsq.yaml\n',
  'rescue.tsq.yaml': `media: Rescue\ntype: bootable\nbootImage: LAB00005\npassword: { env: ${ENV} }\n`,
};

describe('tsq export --media', () => {
  let dir: string;
  const src = (f: string) => path.join(dir, 'src', f);
  before(() => {
    dir = tempDir();
    for (const [f, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(src(f)), { recursive: true });
      fs.writeFileSync(src(f), text);
    }
  });

  async function exportWith(password: string | undefined, ...args: string[]) {
    const before = process.env[ENV];
    if (password === undefined) delete process.env[ENV];
    else process.env[ENV] = password;
    try {
      return await tsq('export', '--format', 'tsqpkg', ...args);
    } finally {
      if (before === undefined) delete process.env[ENV];
      else process.env[ENV] = before;
    }
  }

  test('packs the media’s content set, encrypted with the password from the variable it names', async () => {
    const out = path.join(dir, 'offline.tsqpkg');
    const r = await exportWith(PASSWORD, '--media', src('offline.tsq.yaml'), '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /tsqpkg, encrypted/);
    assert.doesNotMatch(r.out + r.err, new RegExp(PASSWORD));
    const bytes = fs.readFileSync(out);
    assert.doesNotMatch(
      bytes.toString('latin1'),
      /sequence: Build|LAB00006|Branch PC/,
      'names and contents are encrypted',
    );
    const files = readTsqPackage(await readZip(bytes, 'offline.tsqpkg'), 'offline.tsqpkg', PASSWORD);
    assert.deepEqual(files.map((f) => f.path).sort(), [
      'apps/apps.tsq.yaml',
      'build.tsq.yaml',
      'catalog.tsq.yaml',
      'offline.tsq.yaml',
      'targets/branch-pc.tsq.yaml',
    ]);
    const catalog = files.find((f) => f.path === 'catalog.tsq.yaml')!.data.toString('utf8');
    assert.match(catalog, /LAB00006/, 'the media’s own boot image');
    assert.match(catalog, /LAB00042/);
    assert.doesNotMatch(catalog, /LAB00007/, 'nothing the media does not use');
    assert.throws(() => readTsqPackage([], 'x', 'wrong'));
  });

  test('imports back into the same files with the password, and refuses a wrong one', async () => {
    const out = path.join(dir, 'offline.tsqpkg');
    const target = path.join(dir, 'unpacked');
    const imported = await importFile(fs.readFileSync(out), 'offline.tsqpkg', target, { password: PASSWORD });
    assert.ok(imported.ok, imported.ok ? '' : imported.error.message);
    assert.deepEqual(listTree(target), [
      'apps/apps.tsq.yaml',
      'build.tsq.yaml',
      'catalog.tsq.yaml',
      'offline.tsq.yaml',
      'targets/branch-pc.tsq.yaml',
    ]);
    const wrong = await importFile(fs.readFileSync(out), 'offline.tsqpkg', path.join(dir, 'wrong'), {
      password: 'guess',
    });
    assert.ok(!wrong.ok && /password is wrong/.test(wrong.error.message));
  });

  test('asks for the password the media wants prompted (standard input when it is not a terminal)', () => {
    const out = path.join(dir, 'asked.tsqpkg');
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'tsq.js'),
        'export',
        '--format',
        'tsqpkg',
        '--media',
        src('asked.tsq.yaml'),
        '--out',
        out,
      ],
      { input: `${PASSWORD}\n`, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(PASSWORD));
    assert.ok(fs.existsSync(out));
  });

  test('refuses, writing nothing, when the password or a sequence is missing (exit 1 or 2)', async () => {
    const out = path.join(dir, 'refused.tsqpkg');
    const unset = await exportWith(undefined, '--media', src('offline.tsq.yaml'), '--out', out);
    assert.equal(unset.code, 2);
    assert.match(unset.err, new RegExp(`environment variable ${ENV}, which is not set`));
    const open = await exportWith(PASSWORD, '--media', src('open.tsq.yaml'), '--out', out);
    assert.equal(open.code, 1);
    assert.match(open.err, /names no password, and a media package is always protected/);
    const bootable = await exportWith(PASSWORD, '--media', src('rescue.tsq.yaml'), '--out', out);
    assert.equal(bootable.code, 1);
    assert.match(bootable.err, /bootable media, which carry no task sequence/);
    assert.ok(!fs.existsSync(out));
  });

  test('takes the password only from the media file, and only for a tsqpkg (exit 2)', async () => {
    const out = path.join(dir, 'usage.tsqpkg');
    assert.match(
      (await exportWith(PASSWORD, '--media', src('offline.tsq.yaml'), '--out', out, '--password-env', ENV)).err,
      /media file names where its password comes from/,
    );
    assert.equal((await tsq('export', '--format', 'zip', '--media', src('offline.tsq.yaml'), '--out', out)).code, 2);
    assert.equal(
      (await exportWith(PASSWORD, '--media', src('offline.tsq.yaml'), src('build.tsq.yaml'), '--out', out)).code,
      2,
    );
  });

  test('packs the bundled offline media', async () => {
    const out = path.join(dir, 'examples.tsqpkg');
    const before = process.env.TSQ_MEDIA_PASSWORD;
    process.env.TSQ_MEDIA_PASSWORD = PASSWORD;
    try {
      const r = await tsq(
        'export',
        '--format',
        'tsqpkg',
        '--media',
        path.join(ROOT, 'examples', 'offline-media.tsq.yaml'),
        '--out',
        out,
      );
      assert.equal(r.code, 0, r.err);
    } finally {
      if (before === undefined) delete process.env.TSQ_MEDIA_PASSWORD;
      else process.env.TSQ_MEDIA_PASSWORD = before;
    }
    const files = readTsqPackage(await readZip(fs.readFileSync(out), 'examples.tsqpkg'), 'examples.tsqpkg', PASSWORD);
    assert.deepEqual(files.map((f) => f.path).sort(), [
      'catalog.tsq.yaml',
      'deploy-windows-11.tsq.yaml',
      'install-apps.tsq.yaml',
      'lab-vm.tsq.yaml',
      'offline-media.tsq.yaml',
    ]);
  });
});
