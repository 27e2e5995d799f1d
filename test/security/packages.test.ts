// Threat: a package that takes over the machine it is imported on. A .tsqpkg (plain or
// password-protected, with hashes that match) or a ConfigMgr export .zip lists `.git/config`
// (core.fsmonitor runs a command on the next `git status`), a git hook, `.vscode/settings.json`,
// a path out of the folder, an absolute or drive path, a backslash, a reserved Windows name or
// two names one file system reads as one. An import may deliver only what tsq itself writes
// (*.tsq.yaml files, ConfigMgr .xml parts under configmgr/); anything else refuses the whole
// package by name, before anything is written. Export does not make packages import would refuse.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describeImportPreview, importFile, previewImport } from '../../server/src/files/interop';
import { exportSequence } from '../../server/src/interop/export';
import { keptFilesOnDisk } from '../../server/src/files/kept-files';
import { buildTsqPackage, MANIFEST_NAME } from '../../server/src/interop/tsqpkg/package';
import { readZip, writeZip } from '../../server/src/interop/opc/zip';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { normalisePath } from '../../server/src/util/paths';
import { tsq, inTempDir } from '../helpers/cli';
import { listTree, makeZip } from '../interop/helpers';

const SEQUENCE = 'sequence: Deploy\npackageId: LAB00010\nsteps:\n  - name: Setup\n    run: cmd /c setup.cmd\n';
const FSMONITOR = '[core]\n\tfsmonitor = "touch pwned"\n';

/**
 * A package of tsq's own format delivering `deploy.tsq.yaml` and `extra`, hashes all correct. A
 * plain package names its files in the manifest; the zip entry keeps a harmless name (tsq's zip
 * writer refuses `..`), which is all an attacker needs since the manifest decides where files go.
 */
async function packageWith(extra: string, password?: string): Promise<Buffer> {
  const files = [
    { path: 'deploy.tsq.yaml', data: SEQUENCE },
    { path: password ? extra : 'placeholder.tsq.yaml', data: FSMONITOR },
  ];
  const entries = buildTsqPackage(files, 'deploy.tsq.yaml', password);
  if (!password) {
    const manifest = entries.find((e) => e.name === MANIFEST_NAME)!;
    const json = JSON.parse(manifest.data.toString('utf8')) as { entries: { path: string }[] };
    json.entries[1].path = extra;
    manifest.data = Buffer.from(JSON.stringify(json));
  }
  return writeZip(entries);
}

async function expectRefused(
  bytes: Buffer,
  name: string,
  offending: string,
  why: RegExp,
  password?: string,
): Promise<void> {
  await inTempDir(async (dir) => {
    const out = path.join(dir, 'out');
    const r = await importFile(bytes, name, out, { password });
    assert.equal(r.ok, false, `a package delivering ${JSON.stringify(offending)} must be refused`);
    if (r.ok) return;
    assert.ok(r.error.message.includes(offending), `the refusal names the entry: ${r.error.message}`);
    assert.match(r.error.message, why);
    assert.match(r.error.hint ?? '', /\*\.tsq\.yaml.*configmgr\/.*Nothing was written/s);
    assert.deepEqual(listTree(dir), [], 'nothing is written');
  });
}

describe('packages that plant files outside what tsq writes', () => {
  const cases: [string, string, RegExp][] = [
    ['git config (core.fsmonitor runs commands)', '.git/config', /hidden/],
    ['git hook', '.git/hooks/post-checkout', /hidden/],
    ['VS Code workspace settings', '.vscode/settings.json', /hidden/],
    ['a hidden tsq file', 'apps/.deploy.tsq.yaml', /hidden/],
    ['a path out of the folder', '../x.tsq.yaml', /climbs out/],
    ['a deeper path out of the folder', 'apps/../../x.tsq.yaml', /climbs out/],
    ['an absolute path', '/etc/cron.d/x.tsq.yaml', /absolute/],
    ['a drive path', 'C:/Windows/x.tsq.yaml', /drive letter/],
    ['a backslash path', 'apps\\..\\..\\x.tsq.yaml', /backslash/],
    ['a file that is not a tsq file', 'run.cmd', /not a file tsq writes/],
    ['an executable among the ConfigMgr parts', 'configmgr/setup.exe', /not a file tsq writes/],
    ['a ConfigMgr part outside configmgr/', 'Manifest.xml', /not a file tsq writes/],
    ['a reserved Windows device name', 'con.tsq.yaml', /device name Windows reserves/],
    ['a Windows short name that can stand for .git', 'GIT~1/x.tsq.yaml', /short name/],
    ['an NTFS alternate data stream', 'deploy2.tsq.yaml:evil', /character Windows does not allow/],
    ['a trailing dot Windows drops', 'apps./x.tsq.yaml', /ends with a dot/],
    ['a NUL character', 'a\u0000.tsq.yaml', /NUL/],
    ['a control character', 'a\u001b[2J.tsq.yaml', /control character/],
    ['a text-direction override that disguises the name', 'x\u202elmay.qst.tsq.yaml', /invisible or text-direction/],
    ['an empty folder name', 'apps//x.tsq.yaml', /empty folder name/],
  ];
  for (const [what, entry, why] of cases) {
    test(`refuses ${what} (${JSON.stringify(entry)}), naming it, before writing anything`, async () => {
      const shown = entry.replace(
        // eslint-disable-next-line no-control-regex -- control characters are shown escaped, as tsq prints them
        /[\u0000-\u001f\u202e]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      await expectRefused(await packageWith(entry), 'colleague.tsqpkg', shown, why);
    });
  }

  test('refuses from the manifest alone, before inflating any file (a refusal costs little)', async () => {
    const entries = buildTsqPackage(
      [
        { path: 'deploy.tsq.yaml', data: SEQUENCE },
        { path: 'placeholder.tsq.yaml', data: 'A'.repeat(4096) },
      ],
      'deploy.tsq.yaml',
    );
    const manifest = entries.shift()!;
    const json = JSON.parse(manifest.data.toString('utf8')) as { entries: { path: string }[] };
    json.entries[1].path = '.git/config';
    manifest.data = Buffer.from(JSON.stringify(json));
    // The manifest goes last in the archive, after an entry whose header lies about its size:
    // inflating that entry first would stop with a different complaint.
    const zip = Buffer.from(await writeZip([...entries, manifest]));
    const size = Buffer.alloc(4);
    size.writeUInt32LE(4096);
    for (let i = zip.indexOf(size); i >= 0; i = zip.indexOf(size, i + 4)) zip.writeUInt32LE(16, i);
    await expectRefused(zip, 'colleague.tsqpkg', '.git/config', /hidden/);
  });

  test('refuses the same inside a password-protected package (file names are checked once decrypted)', async () => {
    await expectRefused(await packageWith('.git/config', 'pw'), 'colleague.tsqpkg', '.git/config', /hidden/, 'pw');
  });

  test('refuses two names that are one file on Windows and macOS (case, Unicode form)', async () => {
    // Encrypted, so the zip entries are data/0 and data/1 and only the manifest names the files.
    const bytes = async (a: string, b: string) =>
      writeZip(
        buildTsqPackage(
          [
            { path: a, data: SEQUENCE },
            { path: b, data: SEQUENCE },
          ],
          a,
          'pw',
        ),
      );
    await expectRefused(
      await bytes('Deploy.tsq.yaml', 'deploy.tsq.yaml'),
      'p.tsqpkg',
      'deploy.tsq.yaml',
      /same file on Windows and macOS/,
      'pw',
    );
    await expectRefused(
      await bytes('caf\u00e9.tsq.yaml', 'cafe\u0301.tsq.yaml'),
      'p.tsqpkg',
      'cafe\u0301.tsq.yaml',
      /Unicode form/,
      'pw',
    );
    await expectRefused(
      await bytes('apps.tsq.yaml', 'apps.tsq.yaml/x.tsq.yaml'),
      'p.tsqpkg',
      'apps.tsq.yaml/x.tsq.yaml',
      /is a file, yet/,
      'pw',
    );
  });

  test('the CLI with --force inside a git repository leaves .git untouched and exits 1', async (t) => {
    let git = true;
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
    } catch {
      git = false;
    }
    await inTempDir(async (dir) => {
      fs.mkdirSync(path.join(dir, '.git/hooks'), { recursive: true });
      if (git) execFileSync('git', ['init', '-q', dir]);
      else t.diagnostic('git is not installed: the repository is imitated by a .git folder');
      const config = fs.readFileSync(path.join(dir, '.git/config'), 'utf8').toString();
      for (const entry of ['.git/config', '.git/hooks/post-checkout']) {
        fs.writeFileSync(path.join(dir, 'p.tsqpkg'), await packageWith(entry));
        const r = await tsq('import', path.join(dir, 'p.tsqpkg'), '--out', dir, '--force');
        assert.equal(r.code, 1);
        assert.match(r.err, new RegExp(`"${entry.replace(/\./g, '\\.')}" is hidden`));
        assert.match(r.err, /Nothing was written/);
      }
      assert.equal(fs.readFileSync(path.join(dir, '.git/config'), 'utf8'), config);
      assert.ok(!fs.existsSync(path.join(dir, '.git/hooks/post-checkout')));
      assert.ok(!fs.existsSync(path.join(dir, 'deploy.tsq.yaml')), 'not even the harmless file is written');
    });
  });
});

describe('ConfigMgr export .zip files go through the same check', () => {
  const OBJECT =
    '<INSTANCE CLASSNAME="SMS_TaskSequencePackage"><PROPERTY NAME="PackageID" TYPE="string"><VALUE>LAB00010</VALUE></PROPERTY><PROPERTY NAME="Sequence" TYPE="string"><VALUE>&lt;sequence version="3.10"/&gt;</VALUE></PROPERTY></INSTANCE>';
  const zipWith = (name: string) =>
    makeZip([
      { name: 'SMS_TaskSequencePackage/LAB00010/object.xml', data: OBJECT },
      { name, data: FSMONITOR },
    ]);

  for (const [entry, why] of [
    ['.git/config', /hidden/],
    ['SMS_TaskSequencePackage/LAB00010/install.ps1', /not a file tsq writes/],
    ['package/services/metadata/x.psmdcp', /not a file tsq writes/],
    ['.vscode/settings.json', /hidden/],
  ] as const) {
    test(`refuses an export .zip holding ${entry} (kept as configmgr/${entry})`, async () => {
      await expectRefused(await zipWith(entry), 'export.zip', `configmgr/${entry}`, why);
    });
  }

  test('keeps every part ConfigMgr and tsq export write (object.xml, reference info, Manifest.xml, core properties, site files)', async () => {
    await inTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'deploy.tsq.yaml'), SEQUENCE);
      fs.writeFileSync(
        path.join(dir, 'catalog.tsq.yaml'),
        'catalog: Lab\npackages:\n  - { id: LAB0001A, name: Scripts }\n',
      );
      const { ws } = loadPaths([path.join(dir, 'deploy.tsq.yaml')]);
      const zip = await exportSequence(ws, ws.get(normalisePath(path.join(dir, 'deploy.tsq.yaml')))!, {
        format: 'zip',
        kept: keptFilesOnDisk,
      });
      assert.ok(zip.ok);
      const entries = await readZip(zip.value.bytes, 'export.zip');
      const real = await makeZip([
        ...entries,
        { name: 'SMS_TaskSequencePackage/USERSTATE_MIGRATION_PACKAGE.xml', data: '<string>LAB00099</string>' },
      ]);
      const preview = await previewImport(real, 'export.zip', path.join(dir, 'imported'));
      assert.ok(preview.ok, preview.ok ? '' : preview.error.message);
      const kept = preview.value.folder.create.filter((p) => p.startsWith('configmgr/')).sort();
      assert.ok(kept.includes('configmgr/Manifest.xml'));
      assert.ok(kept.includes('configmgr/SMS_TaskSequencePackage/LAB00010/object.xml'));
      assert.ok(kept.includes('configmgr/SMS_TaskSequencePackage/LAB00010/ReferencesInfo.xml'));
      assert.ok(kept.includes('configmgr/SMS_TaskSequencePackage/USERSTATE_MIGRATION_PACKAGE.xml'));
      assert.ok(
        kept.some((p) => /^configmgr\/package\/services\/metadata\/core-properties\/[0-9a-f]+\.psmdcp$/.test(p)),
        kept.join('\n'),
      );
    });
  });
});

describe('export makes no package that import would refuse', () => {
  test('files in configmgr/ that import would refuse are left out, with a note', async () => {
    await inTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'deploy.tsq.yaml'), SEQUENCE);
      fs.mkdirSync(path.join(dir, 'configmgr'));
      fs.writeFileSync(path.join(dir, 'configmgr/Manifest.xml'), '<LibraryDocument/>');
      fs.writeFileSync(path.join(dir, 'configmgr/.DS_Store'), 'x');
      fs.writeFileSync(path.join(dir, 'configmgr/desktop.ini'), 'x');
      const { ws } = loadPaths([path.join(dir, 'deploy.tsq.yaml')]);
      const r = await exportSequence(ws, ws.get(normalisePath(path.join(dir, 'deploy.tsq.yaml')))!, {
        format: 'tsqpkg',
        kept: keptFilesOnDisk,
      });
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.deepEqual(r.value.contents.sort(), ['configmgr/Manifest.xml', 'deploy.tsq.yaml']);
      const notes = r.value.report.notes.map((n) => n.message).join('\n');
      assert.match(notes, /configmgr\/\.DS_Store is not exported: it is hidden/);
      assert.match(notes, /configmgr\/desktop\.ini is not exported: it is not a file tsq writes/);
      const back = await importFile(r.value.bytes, 'p.tsqpkg', path.join(dir, 'back'));
      assert.ok(back.ok, back.ok ? '' : back.error.message);
    });
  });

  test('a child sequence in a hidden folder cannot be packed, and the export says which and why', async () => {
    await inTempDir(async (dir) => {
      fs.mkdirSync(path.join(dir, '.drafts'));
      fs.writeFileSync(path.join(dir, '.drafts/child.tsq.yaml'), 'sequence: Child\npackageId: LAB00011\nsteps: []\n');
      fs.writeFileSync(
        path.join(dir, 'deploy.tsq.yaml'),
        `${SEQUENCE}  - name: Child\n    action: RunTaskSequence\n    with: { sequence: ./.drafts/child.tsq.yaml }\n`,
      );
      const { ws } = loadPaths([path.join(dir, 'deploy.tsq.yaml')]);
      const r = await exportSequence(ws, ws.get(normalisePath(path.join(dir, 'deploy.tsq.yaml')))!, {
        format: 'tsqpkg',
        kept: keptFilesOnDisk,
      });
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error.message, /\.drafts\/child\.tsq\.yaml cannot go into a package: it is hidden/);
    });
  });
});

describe('the question VS Code asks before an import writes', () => {
  test('lists every tsq file as new or replacing, counts the kept ConfigMgr parts, and writes nothing', async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, 'ws');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'deploy.tsq.yaml'), 'mine');
      const bytes = await writeZip(
        buildTsqPackage(
          [
            { path: 'deploy.tsq.yaml', data: SEQUENCE },
            { path: 'apps/apps.tsq.yaml', data: 'sequence: Apps\nsteps: []\n' },
            { path: 'configmgr/Manifest.xml', data: '<LibraryDocument/>' },
            { path: 'configmgr/SMS_TaskSequencePackage/LAB00010/object.xml', data: '<INSTANCE/>' },
          ],
          'deploy.tsq.yaml',
        ),
      );
      const preview = await previewImport(bytes, 'p.tsqpkg', out);
      assert.ok(preview.ok, preview.ok ? '' : preview.error.message);
      assert.deepEqual(preview.value.folder.replace, ['deploy.tsq.yaml']);
      assert.deepEqual(describeImportPreview(preview.value.folder), [
        'new  apps/apps.tsq.yaml',
        'replaces  deploy.tsq.yaml',
        'new  2 ConfigMgr files under configmgr/ (kept for export)',
      ]);
      assert.deepEqual(listTree(out), ['deploy.tsq.yaml']);
      assert.equal(fs.readFileSync(path.join(out, 'deploy.tsq.yaml'), 'utf8'), 'mine');
      assert.deepEqual(fs.readdirSync(dir), ['ws'], 'a dry run makes no staging folder either');
    });
  });

  test('a package refused for its paths is refused by the dry run, so the question is never asked', async () => {
    const preview = await previewImport(
      await packageWith('.vscode/settings.json'),
      'p.tsqpkg',
      path.join(os.tmpdir(), 'never-written'),
    );
    assert.equal(preview.ok, false);
    if (!preview.ok) assert.match(preview.error.message, /"\.vscode\/settings\.json" is hidden/);
  });
});
