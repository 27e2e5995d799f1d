// Hostile input: every import below is refused with a clear message and leaves nothing on disk —
// zip entries that leave the output folder (`../`, absolute paths, drive letters, links), zip
// bombs (entry count, per-entry and total size, compression ratio, a size the header lies
// about), XML with DOCTYPE or entity declarations, deep nesting, non-XML and non-UTF files, and
// tsq packages with a wrong password, an altered entry, a missing entry or an added one.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importFile } from '../../server/src/files/interop';
import { readZip, ZIP_LIMITS } from '../../server/src/interop/opc/zip';
import { buildTsqPackage, MANIFEST_NAME } from '../../server/src/interop/tsqpkg/package';
import { writeZip } from '../../server/src/interop/opc/zip';
import { listTree, makeZip, renameInZip, tempDir } from './helpers';

const SEQUENCE =
  '<sequence version="3.10"><group name="G"><step type="SMS_TaskSequence_RunCommandLineAction" name="S"><action>smsswd.exe /run: x</action><defaultVarList><variable name="CommandLine" property="CommandLine" hidden="true">x</variable></defaultVarList></step></group></sequence>';

/** Imports `bytes` into a fresh folder and expects a refusal matching `pattern` with nothing written. */
async function refusedImport(bytes: Buffer, name: string, pattern: RegExp, password?: string): Promise<void> {
  const dir = tempDir();
  const out = path.join(dir, 'out');
  const r = await importFile(bytes, name, out, { password });
  assert.equal(r.ok, false, `${name} should have been refused`);
  if (!r.ok) assert.match(r.error.message, pattern);
  assert.deepEqual(listTree(dir), [], 'nothing may be written');
  fs.rmSync(dir, { recursive: true, force: true });
}

describe('hostile zip archives', () => {
  test('an entry climbing out of the folder with ../ is refused', async () => {
    const zip = renameInZip(
      await makeZip([
        { name: 'xx/evil.xml', data: SEQUENCE },
        { name: 'SMS_TaskSequencePackage/A/object.xml', data: '<INSTANCE/>' },
      ]),
      'xx/evil.xml',
      '../evil.xml',
    );
    await refusedImport(zip, 'climb.zip', /leaves the output folder|climbs out/);
  });

  test('an absolute entry name is refused', async () => {
    const zip = renameInZip(await makeZip([{ name: 'xetc/passwd', data: 'x' }]), 'xetc/passwd', '/etc/passwd');
    await refusedImport(zip, 'absolute.zip', /absolute|leaves the output folder/);
  });

  test('a drive-letter entry name is refused', async () => {
    const zip = renameInZip(await makeZip([{ name: 'xx/evil.txt', data: 'x' }]), 'xx/evil.txt', 'C:/evil.txt');
    await refusedImport(zip, 'drive.zip', /drive letter|leaves the output folder/);
  });

  test('a symbolic link entry is refused', async () => {
    const zip = await makeZip([{ name: 'link', data: '/etc/passwd', mode: 0o120777 }]);
    await refusedImport(zip, 'link.zip', /symbolic link/);
  });

  test('duplicate entry names are refused', async () => {
    const zip = renameInZip(
      await makeZip([
        { name: 'a.xml', data: 'x' },
        { name: 'b.xml', data: 'y' },
      ]),
      'b.xml',
      'a.xml',
    );
    await refusedImport(zip, 'dupe.zip', /appears twice/);
  });

  test('an entry that expands beyond the per-entry limit is refused before inflating', async () => {
    const zip = await makeZip([{ name: 'big.xml', data: Buffer.alloc(ZIP_LIMITS.maxEntryBytes + 1) }]);
    await refusedImport(zip, 'big.zip', /expands to \d+ MB/);
  });

  test('a highly compressed entry (zip bomb) is refused by its ratio', async () => {
    const zip = await makeZip([{ name: 'bomb.xml', data: Buffer.alloc(8 * 1024 * 1024) }]);
    await refusedImport(zip, 'bomb.zip', /compressed \d+ to 1/);
  });

  test('too much data in total is refused', async () => {
    const limits = { ...ZIP_LIMITS, maxTotalBytes: 1000, maxRatio: 1e9 };
    const zip = await makeZip([
      { name: 'a', data: Buffer.alloc(600) },
      { name: 'b', data: Buffer.alloc(600) },
    ]);
    await assert.rejects(readZip(zip, 'total.zip', limits), /more than 0 MB|expands to more than/);
  });

  test('too many entries are refused', async () => {
    const zip = await makeZip(Array.from({ length: 30 }, (_, i) => ({ name: `e${i}`, data: 'x' })));
    await assert.rejects(
      readZip(zip, 'many.zip', { ...ZIP_LIMITS, maxEntries: 20 }),
      /30 entries; tsq reads at most 20/,
    );
  });

  test('an entry whose header understates its size is stopped while inflating', async () => {
    const data = Buffer.alloc(4096, 0x41);
    const zip = await makeZip([{ name: 'liar.xml', data }]);
    // Lower the declared uncompressed size (in the local and central headers) from 4096 to 16.
    const patched = Buffer.from(zip);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(4096);
    for (let i = patched.indexOf(size); i >= 0; i = patched.indexOf(size, i + 4)) patched.writeUInt32LE(16, i);
    await refusedImport(patched, 'liar.zip', /cannot be read|expands beyond|too many|size/i);
  });

  test('a file that is neither XML nor zip is refused', async () => {
    await refusedImport(Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04]), 'binary.bin', /neither UTF-8 nor UTF-16|not XML/);
    await refusedImport(Buffer.from('PK\u0003\u0004garbage'), 'broken.zip', /not a zip|cannot be read/);
  });
});

describe('hostile XML', () => {
  test('a DOCTYPE with entities is refused on import', async () => {
    await refusedImport(
      Buffer.from('<!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><sequence version="3.10">&b;</sequence>'),
      'lol.xml',
      /DOCTYPE/,
    );
  });

  test('deep nesting is refused on import', async () => {
    await refusedImport(
      Buffer.from('<sequence>' + '<group name="g">'.repeat(400) + '</group>'.repeat(400) + '</sequence>'),
      'deep.xml',
      /levels deep/,
    );
  });

  test('XML that is not a task sequence is refused', async () => {
    await refusedImport(Buffer.from('<html><body/></html>'), 'page.xml', /not a task sequence/);
  });

  test('an export package whose object.xml hides a DOCTYPE is refused', async () => {
    const zip = await makeZip([
      {
        name: 'SMS_TaskSequencePackage/PS100001/object.xml',
        data: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><INSTANCE CLASSNAME="SMS_TaskSequencePackage"/>',
      },
    ]);
    await refusedImport(zip, 'export.zip', /DOCTYPE/);
  });
});

describe('hostile tsq packages', () => {
  const files = [
    { path: 'deploy.tsq.yaml', data: 'sequence: Deploy\nsteps: []\n' },
    { path: 'catalog.tsq.yaml', data: 'catalog: Site\n' },
  ];

  async function pkg(password?: string) {
    return buildTsqPackage(files, 'deploy.tsq.yaml', password);
  }

  test('a wrong password is refused', async () => {
    await refusedImport(await writeZip(await pkg('correct horse')), 'p.tsqpkg', /password is wrong/, 'battery staple');
  });

  test('a protected package without a password is refused', async () => {
    await refusedImport(await writeZip(await pkg('correct horse')), 'p.tsqpkg', /protected by a password/);
  });

  test('an altered entry is refused (encrypted and plain)', async () => {
    const enc = await pkg('pw');
    const data = enc.find((e) => e.name === 'data/0')!;
    data.data = Buffer.from(data.data);
    data.data[20] ^= 1;
    await refusedImport(await writeZip(enc), 'p.tsqpkg', /deploy\.tsq\.yaml was altered/, 'pw');
    const plain = await pkg();
    plain.find((e) => e.name === 'files/deploy.tsq.yaml')!.data = Buffer.from('sequence: Evil\nsteps: []\n');
    await refusedImport(await writeZip(plain), 'p.tsqpkg', /does not match its SHA-256/);
  });

  test('a missing entry is refused (encrypted and plain)', async () => {
    await refusedImport(
      await writeZip((await pkg('pw')).filter((e) => e.name !== 'data/1')),
      'p.tsqpkg',
      /catalog\.tsq\.yaml is listed in the manifest but missing/,
      'pw',
    );
    await refusedImport(
      await writeZip((await pkg()).filter((e) => e.name !== 'files/catalog.tsq.yaml')),
      'p.tsqpkg',
      /missing from the package/,
    );
  });

  test('an entry added after packing is refused', async () => {
    const p = await pkg();
    p.push({ name: 'files/extra.tsq.yaml', data: Buffer.from('sequence: Extra\n') });
    await refusedImport(await writeZip(p), 'p.tsqpkg', /does not list/);
  });

  test('a manifest listing a path outside the folder is refused', async () => {
    const p = await pkg();
    const m = p.find((e) => e.name === MANIFEST_NAME)!;
    m.data = Buffer.from(m.data.toString('utf8').replace('"catalog.tsq.yaml"', '"../catalog.tsq.yaml"'));
    await refusedImport(await writeZip(p), 'p.tsqpkg', /climbs out/);
  });

  test('swapping two encrypted entries is detected', async () => {
    const p = await pkg('pw');
    const a = p.find((e) => e.name === 'data/0')!,
      b = p.find((e) => e.name === 'data/1')!;
    [a.data, b.data] = [b.data, a.data];
    await refusedImport(await writeZip(p), 'p.tsqpkg', /was altered/, 'pw');
  });
});
