// tsq packages: export packs the sequence, the children it runs, the catalog entries they use and
// the machine profiles beside them, with a SHA-256 for every file; with a password everything is
// encrypted (file names included); import verifies and gives the same files back.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportSequence } from '../../server/src/interop/export';
import { keptFilesOnDisk } from '../../server/src/files/kept-files';
import { importFile } from '../../server/src/files/interop';
import { readZip } from '../../server/src/interop/opc/zip';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { normalisePath } from '../../server/src/util/paths';
import { tempDir } from './helpers';

const FILES: Record<string, string> = {
  'deploy.tsq.yaml':
    'sequence: Deploy\npackageId: LAB00010\nsteps:\n  - name: Setup\n    run: cmd /c setup.cmd\n    package: LAB0001A\n  - name: Apps\n    action: RunTaskSequence\n    with: { sequence: ./apps/apps.tsq.yaml }\n',
  'apps/apps.tsq.yaml':
    'sequence: Apps\npackageId: LAB00011\nsteps:\n  - name: Office\n    action: InstallApplication\n    with: { applications: [Office365] }\n',
  'catalog.tsq.yaml':
    'catalog: Lab\npackages:\n  - { id: LAB0001A, name: Scripts }\n  - { id: LAB0009Z, name: Unused }\napplications:\n  - { id: Office365, name: Office }\n',
  'lab-vm.tsq.yaml': 'machine: Lab VM\narchitecture: x64\n',
};

describe('tsq packages', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
    for (const [f, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, 'src', f)), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src', f), text);
    }
  });

  async function pack(password?: string) {
    const file = path.join(dir, 'src/deploy.tsq.yaml');
    const { ws } = loadPaths([file]);
    const r = await exportSequence(ws, ws.get(normalisePath(file))!, {
      format: 'tsqpkg',
      kept: keptFilesOnDisk,
      password,
    });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.value;
  }

  test('holds the sequence, its child, the catalog entries they use and the machine profiles', async () => {
    const r = await pack();
    assert.deepEqual(
      r.contents.sort(),
      ['apps/apps.tsq.yaml', 'catalog.tsq.yaml', 'deploy.tsq.yaml', 'lab-vm.tsq.yaml'].sort(),
    );
    const entries = await readZip(r.bytes, 'p.tsqpkg');
    const manifest = JSON.parse(entries.find((e) => e.name === 'tsqpkg.json')!.data.toString('utf8'));
    assert.equal(manifest.root, 'deploy.tsq.yaml');
    assert.ok(manifest.entries.every((e: { sha256: string }) => /^[0-9a-f]{64}$/.test(e.sha256)));
    const catalog = entries.find((e) => e.name === 'files/catalog.tsq.yaml')!.data.toString('utf8');
    assert.match(catalog, /LAB0001A/);
    assert.match(catalog, /Office365/);
    assert.doesNotMatch(catalog, /LAB0009Z/, 'only what the sequences use');
  });

  test('a password encrypts every file and their names; import with it gives the files back', async () => {
    const r = await pack('s3cret pass');
    const entries = await readZip(r.bytes, 'p.tsqpkg');
    assert.deepEqual(entries.map((e) => e.name).sort(), ['data/0', 'data/1', 'data/2', 'data/3', 'tsqpkg.json']);
    for (const e of entries)
      assert.doesNotMatch(e.data.toString('latin1'), /sequence: Deploy|LAB0001A|deploy\.tsq\.yaml/);
    const out = path.join(dir, 'unpacked');
    const imported = await importFile(r.bytes, 'p.tsqpkg', out, { password: 's3cret pass' });
    assert.ok(imported.ok, imported.ok ? '' : imported.error.message);
    assert.equal(fs.readFileSync(path.join(out, 'deploy.tsq.yaml'), 'utf8'), FILES['deploy.tsq.yaml']);
    assert.equal(fs.readFileSync(path.join(out, 'apps/apps.tsq.yaml'), 'utf8'), FILES['apps/apps.tsq.yaml']);
    assert.equal(fs.readFileSync(path.join(out, 'lab-vm.tsq.yaml'), 'utf8'), FILES['lab-vm.tsq.yaml']);
  });

  test('two packages of the same files differ (random salt and nonces) yet both open', async () => {
    const a = await pack('pw'),
      b = await pack('pw');
    assert.notDeepEqual(a.bytes, b.bytes);
  });
});
