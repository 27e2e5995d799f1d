// Threat: an output that lands somewhere else than the user meant. A symbolic link already inside
// `--out` (a linked configmgr/ folder, a linked file) would carry an import outside the target;
// `tsq export --out` or `simulate --log-file` naming one of the run's own inputs would destroy it;
// an export over a device, FIFO, socket or link would replace it with a regular file (as root it
// replaced /dev/full); a write error would name an internal temporary file; a kill during import
// would leave a hidden staging folder, and files half moved in, for ever. Every case is refused by
// name with nothing written, or cleaned up by the next import. Devices are imitated with FIFOs,
// sockets and links in a temporary folder: a test must never be able to touch a real /dev node.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeFileSafely, writeFolderSafely, cleanStaleStaging } from '../../server/src/files/write';
import { tsq, inTempDir } from '../helpers/cli';
import { listTree } from '../interop/helpers';
import { buildTsqPackage } from '../../server/src/interop/tsqpkg/package';
import { writeZip } from '../../server/src/interop/opc/zip';

const SEQUENCE = 'sequence: Deploy\npackageId: LAB00010\nsteps:\n  - name: Setup\n    run: cmd /c setup.cmd\n';
const isWindows = process.platform === 'win32';

async function writePackage(file: string, files: { path: string; data: string }[]): Promise<void> {
  fs.writeFileSync(file, await writeZip(buildTsqPackage(files, files[0].path)));
}

/** The place a linked folder points to: outside the import's --out. */
function outside(dir: string): string {
  const o = path.join(dir, 'outside');
  fs.mkdirSync(o, { recursive: true });
  return o;
}

describe(
  'imports never write through a symbolic link',
  { skip: isWindows && 'symbolic links need privileges on Windows' },
  () => {
    test('a linked configmgr/ folder inside --out is refused by name; nothing lands where it points', async () => {
      await inTempDir(async (dir) => {
        const out = path.join(dir, 'ws');
        fs.mkdirSync(out);
        fs.symlinkSync(outside(dir), path.join(out, 'configmgr'), 'dir');
        await writePackage(path.join(dir, 'p.tsqpkg'), [
          { path: 'deploy.tsq.yaml', data: SEQUENCE },
          { path: 'configmgr/Manifest.xml', data: '<LibraryDocument/>' },
        ]);
        const r = await tsq('import', path.join(dir, 'p.tsqpkg'), '--out', out, '--force');
        assert.equal(r.code, 1);
        assert.match(
          r.err,
          /ws\/configmgr \(inside --out .*ws\) is a symbolic link \(to .*outside\); tsq never writes through links/,
        );
        assert.deepEqual(listTree(outside(dir)), []);
        assert.deepEqual(fs.readdirSync(out), ['configmgr'], 'not even the sequence is written');
        assert.deepEqual(fs.readdirSync(dir).sort(), ['outside', 'p.tsqpkg', 'ws'], 'no staging folder is left');
      });
    });

    test('a linked file inside --out is not replaced, even with --force', async () => {
      await inTempDir(async (dir) => {
        const out = path.join(dir, 'ws');
        fs.mkdirSync(out);
        const victim = path.join(outside(dir), 'victim.txt');
        fs.writeFileSync(victim, 'precious');
        fs.symlinkSync(victim, path.join(out, 'deploy.tsq.yaml'));
        await writePackage(path.join(dir, 'p.tsqpkg'), [{ path: 'deploy.tsq.yaml', data: SEQUENCE }]);
        const r = await tsq('import', path.join(dir, 'p.tsqpkg'), '--out', out, '--force');
        assert.equal(r.code, 1);
        assert.match(r.err, /deploy\.tsq\.yaml \(inside --out .*\) is a symbolic link/);
        assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
        assert.ok(fs.lstatSync(path.join(out, 'deploy.tsq.yaml')).isSymbolicLink(), 'the link itself stays');
      });
    });

    test('--out itself a link is refused', async () => {
      await inTempDir(async (dir) => {
        fs.symlinkSync(outside(dir), path.join(dir, 'ws'), 'dir');
        await writePackage(path.join(dir, 'p.tsqpkg'), [{ path: 'deploy.tsq.yaml', data: SEQUENCE }]);
        const r = await tsq('import', path.join(dir, 'p.tsqpkg'), '--out', path.join(dir, 'ws'));
        assert.equal(r.code, 1);
        assert.match(r.err, /--out .*ws is a symbolic link/);
        assert.deepEqual(listTree(outside(dir)), []);
      });
    });

    test('a folder deeper inside --out that is a link is refused too', async () => {
      await inTempDir(async (dir) => {
        const out = path.join(dir, 'ws');
        fs.mkdirSync(path.join(out, 'apps'), { recursive: true });
        fs.symlinkSync(outside(dir), path.join(out, 'apps', 'office'), 'dir');
        assert.throws(
          () =>
            writeFolderSafely(out, [{ path: 'apps/office/office.tsq.yaml', data: SEQUENCE }], {
              label: '--out ws',
              shown: 'ws',
            }),
          /ws\/apps\/office \(inside --out ws\) is a symbolic link/,
        );
        assert.deepEqual(listTree(outside(dir)), []);
      });
    });
  },
);

describe('outputs never over an input of the same run', () => {
  test('export --out naming the sequence it reads is refused; the sequence is unchanged', async () => {
    await inTempDir(async (dir) => {
      const seq = path.join(dir, 'deploy.tsq.yaml');
      fs.writeFileSync(seq, SEQUENCE);
      for (const out of [
        seq,
        path.join(dir, 'sub', '..', 'deploy.tsq.yaml'),
        `${dir}${path.sep}.${path.sep}deploy.tsq.yaml`,
      ]) {
        fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
        const r = await tsq('export', seq, '--format', 'xml', '--out', out);
        assert.equal(r.code, 1, r.err);
        assert.match(r.err, /is a file this command reads; tsq never writes an output over its input/);
        assert.ok(r.err.includes(`--out ${out}`), 'the message names --out as given');
      }
      assert.equal(fs.readFileSync(seq, 'utf8'), SEQUENCE);
    });
  });

  test('a hard link to the sequence is the same file (compared by inode)', async () => {
    await inTempDir(async (dir) => {
      const seq = path.join(dir, 'deploy.tsq.yaml');
      fs.writeFileSync(seq, SEQUENCE);
      fs.linkSync(seq, path.join(dir, 'same.xml'));
      const r = await tsq('export', seq, '--format', 'xml', '--out', path.join(dir, 'same.xml'));
      assert.equal(r.code, 1);
      assert.match(r.err, /same\.xml is the same file as .*deploy\.tsq\.yaml, a file this command reads/);
      assert.equal(fs.readFileSync(seq, 'utf8'), SEQUENCE);
    });
  });

  test('export over a child sequence or a catalog it read is refused', async () => {
    await inTempDir(async (dir) => {
      const child = 'sequence: Apps\npackageId: LAB00011\nsteps: []\n';
      const catalog = 'catalog: Lab\npackages:\n  - { id: LAB0001A, name: Scripts }\n';
      fs.mkdirSync(path.join(dir, 'apps'));
      fs.writeFileSync(path.join(dir, 'apps/apps.tsq.yaml'), child);
      fs.writeFileSync(path.join(dir, 'catalog.tsq.yaml'), catalog);
      fs.writeFileSync(
        path.join(dir, 'deploy.tsq.yaml'),
        `${SEQUENCE}  - name: Apps\n    action: RunTaskSequence\n    with: { sequence: ./apps/apps.tsq.yaml }\n`,
      );
      for (const [format, out] of [
        ['tsqpkg', 'apps/apps.tsq.yaml'],
        ['zip', 'catalog.tsq.yaml'],
      ]) {
        const r = await tsq(
          'export',
          path.join(dir, 'deploy.tsq.yaml'),
          '--format',
          format,
          '--out',
          path.join(dir, out),
        );
        assert.equal(r.code, 1, `${format} over ${out}: ${r.err}`);
        assert.match(r.err, /a file this command reads/);
      }
      assert.equal(fs.readFileSync(path.join(dir, 'apps/apps.tsq.yaml'), 'utf8'), child);
      assert.equal(fs.readFileSync(path.join(dir, 'catalog.tsq.yaml'), 'utf8'), catalog);
    });
  });

  test('export .zip over a kept ConfigMgr file it read is refused', async () => {
    await inTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'deploy.tsq.yaml'), SEQUENCE);
      fs.mkdirSync(path.join(dir, 'configmgr'));
      const manifest =
        '<LibraryDocument><Properties><Property Name="AUTHORING_SCOPE" Value="ScopeId_1"/></Properties></LibraryDocument>';
      fs.writeFileSync(path.join(dir, 'configmgr/Manifest.xml'), manifest);
      const r = await tsq(
        'export',
        path.join(dir, 'deploy.tsq.yaml'),
        '--format',
        'zip',
        '--out',
        path.join(dir, 'configmgr/Manifest.xml'),
      );
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /Manifest\.xml is a file this command reads/);
      assert.equal(fs.readFileSync(path.join(dir, 'configmgr/Manifest.xml'), 'utf8'), manifest);
    });
  });

  test('simulate --log-file naming the sequence or the machine it reads is refused before the run (exit 2)', async () => {
    await inTempDir(async (dir) => {
      const seq = path.join(dir, 'deploy.tsq.yaml');
      const machine = path.join(dir, 'vm.tsq.yaml');
      fs.writeFileSync(seq, SEQUENCE);
      fs.writeFileSync(machine, 'machine: VM\narchitecture: x64\n');
      for (const target of [seq, machine]) {
        const r = await tsq('simulate', seq, '--machine', machine, '--log-file', target);
        assert.equal(r.code, 2, r.err);
        assert.ok(r.err.includes(`--log-file ${target} is a file this command reads`), r.err);
        assert.equal(r.out, '', 'the run does not start');
      }
      assert.equal(fs.readFileSync(seq, 'utf8'), SEQUENCE);
      const ok = await tsq('simulate', seq, '--machine', machine, '--log-file', path.join(dir, 'run.log'));
      assert.equal(ok.code, 0, ok.err);
      assert.match(fs.readFileSync(path.join(dir, 'run.log'), 'utf8'), /<!\[LOG\[/);
    });
  });

  test('an import does not replace the file it imports', async () => {
    await inTempDir(async (dir) => {
      // A package file named like the sequence it holds, imported into its own folder.
      const pkg = path.join(dir, 'deploy.tsq.yaml');
      await writePackage(pkg, [{ path: 'deploy.tsq.yaml', data: SEQUENCE }]);
      const before = fs.readFileSync(pkg);
      const r = await tsq('import', pkg, '--out', dir, '--force');
      assert.equal(r.code, 1);
      assert.match(r.err, /deploy\.tsq\.yaml \(inside --out .*\) is a file this command reads/);
      assert.deepEqual(fs.readFileSync(pkg), before);
    });
  });
});

describe(
  'only regular files are replaced (devices, FIFOs, sockets, links, folders are refused)',
  { skip: isWindows && 'FIFOs and Unix sockets are POSIX' },
  () => {
    async function exportTo(dir: string, out: string) {
      const seq = path.join(dir, 'deploy.tsq.yaml');
      fs.writeFileSync(seq, SEQUENCE);
      return tsq('export', seq, '--format', 'xml', '--out', out);
    }

    test('a FIFO stays a FIFO', async () => {
      await inTempDir(async (dir) => {
        const fifo = path.join(dir, 'out.xml');
        const made = spawnSync('mkfifo', [fifo]);
        assert.equal(made.status, 0, 'mkfifo is needed to imitate a device');
        const r = await exportTo(dir, fifo);
        assert.equal(r.code, 1);
        assert.match(r.err, /out\.xml is a named pipe \(FIFO\), not a regular file/);
        assert.ok(fs.lstatSync(fifo).isFIFO());
      });
    });

    test('a socket stays a socket', async () => {
      await inTempDir(async (dir) => {
        const sock = path.join(dir, 's.xml');
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(sock, resolve));
        try {
          const r = await exportTo(dir, sock);
          assert.equal(r.code, 1);
          assert.match(r.err, /s\.xml is a socket, not a regular file/);
          assert.ok(fs.lstatSync(sock).isSocket());
        } finally {
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      });
    });

    test('a link to a device (as /dev/full would be) is not replaced and not written through', async () => {
      await inTempDir(async (dir) => {
        // The link points at a FIFO standing in for the device: writing through it would block.
        const device = path.join(dir, 'device');
        assert.equal(spawnSync('mkfifo', [device]).status, 0);
        fs.symlinkSync(device, path.join(dir, 'full.xml'));
        const r = await exportTo(dir, path.join(dir, 'full.xml'));
        assert.equal(r.code, 1);
        assert.match(r.err, /full\.xml is a symbolic link \(to .*device\); tsq never writes through links/);
        assert.ok(fs.lstatSync(path.join(dir, 'full.xml')).isSymbolicLink());
        assert.ok(fs.lstatSync(device).isFIFO());
      });
    });

    test('simulate --log-file on a FIFO is refused', async () => {
      await inTempDir(async (dir) => {
        const seq = path.join(dir, 'deploy.tsq.yaml');
        fs.writeFileSync(seq, SEQUENCE);
        assert.equal(spawnSync('mkfifo', [path.join(dir, 'run.log')]).status, 0);
        const r = await tsq('simulate', seq, '--log-file', path.join(dir, 'run.log'));
        assert.equal(r.code, 2);
        assert.match(r.err, /run\.log is a named pipe \(FIFO\)/);
      });
    });

    test('a folder at --out is refused', async () => {
      await inTempDir(async (dir) => {
        fs.mkdirSync(path.join(dir, 'out.xml'));
        const r = await exportTo(dir, path.join(dir, 'out.xml'));
        assert.equal(r.code, 1);
        assert.match(r.err, /out\.xml is a folder, not a regular file/);
      });
    });
  },
);

describe('write errors name what the user gave', () => {
  test('a missing folder: the message names --out, never a temporary file', async () => {
    await inTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'deploy.tsq.yaml'), SEQUENCE);
      fs.writeFileSync(path.join(dir, 'afile'), '');
      for (const out of [path.join(dir, 'missing', 'x.xml'), path.join(dir, 'afile', 'x.xml')]) {
        const r = await tsq('export', path.join(dir, 'deploy.tsq.yaml'), '--format', 'xml', '--out', out);
        assert.equal(r.code, 1);
        assert.ok(r.err.includes(`--out ${out}`), r.err);
        assert.doesNotMatch(r.err, /\.tmp|tsq-[0-9a-f]{12}/);
      }
      assert.deepEqual(fs.readdirSync(dir).sort(), ['afile', 'deploy.tsq.yaml']);
    });
  });

  test('a path the system cannot hold: the message names --out, and nothing is left behind', async () => {
    await inTempDir(async (dir) => {
      const tooLong = path.join(dir, ...Array.from({ length: 40 }, () => 'y'.repeat(200)), 'x.xml');
      assert.throws(
        () => writeFileSafely(tooLong, 'x', { label: '--out deep.xml' }),
        (e: Error) =>
          /^cannot write --out deep\.xml: the path is too long \(ENAMETOOLONG\)/.test(e.message) &&
          !/\.tmp/.test(e.message),
      );
      assert.deepEqual(fs.readdirSync(dir), []);
    });
  });

  test('a 250-byte file name works: the temporary name beside it is shortened', async () => {
    await inTempDir(async (dir) => {
      const target = path.join(dir, `${'x'.repeat(246)}.xml`);
      writeFileSafely(target, 'one', { label: '--out long.xml' });
      writeFileSafely(target, 'two', { label: '--out long.xml' });
      assert.equal(fs.readFileSync(target, 'utf8'), 'two');
      assert.deepEqual(fs.readdirSync(dir), [path.basename(target)]);
    });
  });
});

describe('a folder import that fails half-way', () => {
  test('puts back every file it replaced, removes the ones it added and leaves no staging folder', async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, 'ws');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'a.tsq.yaml'), 'old a');
      fs.writeFileSync(path.join(out, 'mine.txt'), 'not tsq');
      const files = [
        { path: 'a.tsq.yaml', data: 'new a' },
        { path: 'apps/b.tsq.yaml', data: 'new b' },
        { path: 'c.tsq.yaml', data: 'new c' },
      ];
      assert.throws(() =>
        writeFolderSafely(out, files, {
          overwrite: true,
          progress: ({ phase, done }) => {
            if (phase === 'moving' && done === 2) throw new Error('disk gone');
          },
        }),
      );
      assert.deepEqual(listTree(out), ['a.tsq.yaml', 'mine.txt']);
      assert.equal(fs.readFileSync(path.join(out, 'a.tsq.yaml'), 'utf8'), 'old a');
      assert.deepEqual(fs.readdirSync(dir), ['ws']);
    });
  });
});

describe('a staging folder left by a killed import', () => {
  const writer = path.join(__dirname, '../../server/src/files/write.js');

  /** Runs an import into `out` in another process that SIGKILLs itself at `phase` after `after` files. */
  function importKilled(
    out: string,
    files: { path: string; data: string }[],
    phase: 'staging' | 'moving',
    after: number,
  ): void {
    const script = `
      const { writeFolderSafely } = require(${JSON.stringify(writer)});
      writeFolderSafely(${JSON.stringify(out)}, ${JSON.stringify(files)}, {
        overwrite: true,
        progress: ({ phase, done }) => { if (phase === ${JSON.stringify(phase)} && done === ${after}) process.kill(process.pid, 'SIGKILL'); },
      });`;
    const r = spawnSync(process.execPath, ['-e', script]);
    assert.equal(r.signal, 'SIGKILL', `the import should have been killed: ${r.stderr.toString()}`);
  }

  const staging = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.tsq-staging-'));

  test('killed while staging: the next import removes the folder and says so', async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, 'ws');
      fs.mkdirSync(out);
      importKilled(
        out,
        [
          { path: 'a.tsq.yaml', data: 'a' },
          { path: 'b.tsq.yaml', data: 'b' },
        ],
        'staging',
        1,
      );
      assert.equal(staging(dir).length, 1, 'the kill left a staging folder');
      assert.deepEqual(listTree(out), [], 'nothing reached --out');
      await writePackage(path.join(dir, 'p.tsqpkg'), [{ path: 'deploy.tsq.yaml', data: SEQUENCE }]);
      const r = await tsq('import', path.join(dir, 'p.tsqpkg'), '--out', out);
      assert.equal(r.code, 0, r.err);
      assert.match(
        r.err,
        /removed \.ws\.tsq-staging-\d+-\w+, a staging folder left by an import into ws that was interrupted \(process \d+\)/,
      );
      assert.deepEqual(staging(dir), []);
      assert.deepEqual(listTree(out), ['deploy.tsq.yaml']);
    });
  });

  test('killed while moving files in: the next import first rolls the half import back', async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, 'ws');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'a.tsq.yaml'), 'old a');
      importKilled(
        out,
        [
          { path: 'a.tsq.yaml', data: 'new a' },
          { path: 'apps/b.tsq.yaml', data: 'new b' },
          { path: 'c.tsq.yaml', data: 'new c' },
        ],
        'moving',
        2,
      );
      assert.equal(fs.readFileSync(path.join(out, 'a.tsq.yaml'), 'utf8'), 'new a', 'the kill came half-way');
      assert.ok(fs.existsSync(path.join(out, 'apps/b.tsq.yaml')));
      const notes = cleanStaleStaging(out);
      assert.equal(notes.length, 1);
      assert.match(
        notes[0],
        /rolled back an import into ws that was interrupted \(process \d+\) while moving files in/,
      );
      assert.equal(fs.readFileSync(path.join(out, 'a.tsq.yaml'), 'utf8'), 'old a');
      assert.deepEqual(listTree(out), ['a.tsq.yaml']);
      assert.ok(!fs.existsSync(path.join(out, 'apps')), 'the folder it created is gone');
      assert.deepEqual(staging(dir), []);
    });
  });

  test('a file changed after the kill is not rolled back; its old version stays in the staging folder', async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, 'ws');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'a.tsq.yaml'), 'old a');
      importKilled(
        out,
        [
          { path: 'a.tsq.yaml', data: 'new a' },
          { path: 'b.tsq.yaml', data: 'new b' },
        ],
        'moving',
        1,
      );
      fs.writeFileSync(path.join(out, 'a.tsq.yaml'), 'edited after the kill');
      const notes = cleanStaleStaging(out);
      assert.match(notes[0], /replaced a\.tsq\.yaml, which changed since; the old versions are in .*\/old/);
      assert.equal(fs.readFileSync(path.join(out, 'a.tsq.yaml'), 'utf8'), 'edited after the kill');
      const [left] = staging(dir);
      assert.equal(fs.readFileSync(path.join(dir, left, 'old', '0'), 'utf8'), 'old a');
    });
  });

  test('a staging folder of a running import, or one that is not ours, is left alone', async () => {
    await inTempDir(async (dir) => {
      const out = path.join(dir, 'ws');
      fs.mkdirSync(out);
      const running = path.join(dir, `.ws.tsq-staging-${process.pid}-abcdef`);
      fs.mkdirSync(path.join(running, 'new'), { recursive: true });
      fs.writeFileSync(
        path.join(running, 'tsq-staging.json'),
        JSON.stringify({
          tool: 'tsq',
          purpose: 'import staging',
          pid: process.pid,
          host: os.hostname(),
          started: new Date().toISOString(),
          out: 'ws',
          phase: 'staging',
        }),
      );
      const young = path.join(dir, '.ws.tsq-staging-999999999-ghijkl');
      fs.mkdirSync(young);
      const linked = path.join(dir, '.ws.tsq-staging-1-linked');
      fs.symlinkSync(out, linked, 'dir');
      assert.deepEqual(cleanStaleStaging(out), []);
      assert.ok(fs.existsSync(running) && fs.existsSync(young) && fs.lstatSync(linked).isSymbolicLink());
    });
  });
});
