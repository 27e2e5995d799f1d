// Threat: a folder or a package that makes tsq read something that is not a task sequence file —
// a device that never ends (/dev/zero, /dev/urandom), a named pipe that blocks, a folder, a file
// far over any real sequence's size, a file it may not read — named on the command line, lying
// beside a named sequence, found by a folder search, or named as a child sequence. Each must end
// in seconds with one clear message naming the path, and the other files must still be checked.
// The command runs as a separate process: were a read to block, the process is killed after
// HANG_LIMIT_MS and the test fails, instead of the test run hanging.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fsModule = require('node:fs');
import * as os from 'node:os';
import * as path from 'node:path';
import { finished, findings, hostileFolder, parentOf, runTsq, SEQUENCE, type Folder } from './helpers';
import { readFileBounded, readFileStart, FileRefusal } from '../../server/src/files/read';

describe('devices as tsq files: refused by what they are, never read', () => {
  let f: Folder;
  before(() => {
    f = hostileFolder();
    f.write('main.tsq.yaml', SEQUENCE);
    f.link('zero.tsq.yaml', '/dev/zero');
    f.link('random.tsq.yaml', '/dev/urandom');
    f.write('zero-child.tsq.yaml', parentOf('/dev/zero'));
    f.write('random-child.tsq.yaml', parentOf('./random.tsq.yaml'));
  });
  after(() => f.dispose());

  for (const device of ['/dev/zero', '/dev/urandom']) {
    test(`tsq lint ${device}: one finding saying it is a character device`, () => {
      const r = finished(runTsq(['lint', '--format', 'json', device]));
      assert.equal(r.code, 1);
      assert.deepEqual(
        findings(r).map((x) => [x.file, x.line, x.message]),
        [[device, 1, 'This is a character device, not a file.']],
      );
    });
  }

  test('links to /dev/zero and /dev/urandom beside a named sequence: the sequence is checked as usual', () => {
    const r = finished(runTsq(['lint', '--format', 'json', 'main.tsq.yaml'], { cwd: f.dir }));
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(findings(r), []);
  });

  test('links to devices in a searched folder: one finding each, naming the link and its target', () => {
    const r = finished(runTsq(['lint', '--format', 'json', '.'], { cwd: f.dir }));
    const byFile = new Map(
      findings(r)
        .filter((x) => x.line === 1 && x.column === 1)
        .map((x) => [x.file, x.message]),
    );
    assert.equal(byFile.get('zero.tsq.yaml'), 'This is a link to /dev/zero, which is a character device, not a file.');
    assert.equal(
      byFile.get('random.tsq.yaml'),
      'This is a link to /dev/urandom, which is a character device, not a file.',
    );
    assert.ok(!findings(r).some((x) => x.file === 'main.tsq.yaml'), 'the real sequence is read and clean');
  });

  test('a child sequence path of /dev/zero (or a link to /dev/urandom): the Run Task Sequence step says it cannot be read', () => {
    for (const [file, ref] of [
      ['zero-child.tsq.yaml', '/dev/zero'],
      ['random-child.tsq.yaml', './random.tsq.yaml'],
    ]) {
      const r = finished(runTsq(['lint', '--format', 'json', file], { cwd: f.dir }));
      assert.equal(r.code, 1);
      const child = findings(r).find((x) => x.code === 'broken-reference');
      assert.ok(child, r.out);
      assert.match(
        child.message,
        new RegExp(
          `The child sequence file \`${ref.replace(/[./]/g, '\\$&')}\` cannot be read: it is (a link to /dev/urandom, which is )?a character device, not a file\\.`,
        ),
      );
    }
  });

  test('tsq simulate with a /dev/zero child, or of /dev/zero itself: refused with the reason', () => {
    const child = finished(runTsq(['simulate', 'zero-child.tsq.yaml'], { cwd: f.dir }));
    assert.equal(child.code, 2);
    assert.match(child.err + child.out, /cannot be read: it is a character device, not a file/);
    const itself = finished(runTsq(['simulate', '/dev/zero'], { cwd: f.dir }));
    assert.equal(itself.code, 2);
    assert.match(itself.err, /tsq simulate: \/dev\/zero is a character device, not a file\./);
  });

  test('tsq export of /dev/urandom, or of a sequence with a /dev/zero child: refused, nothing written', () => {
    const out = f.path('out.xml');
    const itself = finished(runTsq(['export', '/dev/urandom', '--format', 'xml', '--out', out], { cwd: f.dir }));
    assert.equal(itself.code, 2);
    assert.match(itself.err, /\/dev\/urandom is a character device, not a file\./);
    const child = finished(runTsq(['export', 'zero-child.tsq.yaml', '--format', 'xml', '--out', out], { cwd: f.dir }));
    assert.equal(child.code, 1);
    assert.match(child.err, /the child sequence `\/dev\/zero` cannot be read: it is a character device, not a file\./);
    assert.ok(!fs.existsSync(out));
  });

  test('tsq diff against /dev/zero, and of a sequence whose child is /dev/zero: refused with the reason', () => {
    const device = finished(runTsq(['diff', 'main.tsq.yaml', '/dev/zero'], { cwd: f.dir }));
    assert.equal(device.code, 2);
    assert.match(device.err, /\/dev\/zero is a character device, not a file\./);
    const child = finished(runTsq(['diff', 'zero-child.tsq.yaml', 'main.tsq.yaml'], { cwd: f.dir }));
    assert.equal(child.code, 2);
    assert.match(child.err, /the child sequence `\/dev\/zero` cannot be read: it is a character device, not a file\./);
  });

  test('tsq import of /dev/zero: refused before anything is read', () => {
    const r = finished(runTsq(['import', '/dev/zero', '--out', f.path('imported')], { cwd: f.dir }));
    assert.equal(r.code, 2);
    assert.match(r.err, /\/dev\/zero is a character device, not a file\./);
    assert.ok(!fs.existsSync(f.path('imported')));
  });
});

describe('a named pipe (FIFO) named *.tsq.yaml: refused without waiting for a writer', () => {
  let f: Folder;
  before(() => {
    f = hostileFolder();
    f.write('main.tsq.yaml', SEQUENCE);
    f.fifo('pipe.tsq.yaml');
    f.write('pipe-child.tsq.yaml', parentOf('./pipe.tsq.yaml'));
    f.fifo('kept.xml');
  });
  after(() => f.dispose());

  test('tsq lint of the pipe, of a folder holding it, of a file beside it', () => {
    const named = finished(runTsq(['lint', '--format', 'json', 'pipe.tsq.yaml'], { cwd: f.dir }));
    assert.deepEqual(
      findings(named).map((x) => x.message),
      ['This is a named pipe (FIFO), not a file.'],
    );
    const folder = finished(runTsq(['lint', '--format', 'json', '.'], { cwd: f.dir }));
    assert.ok(
      findings(folder).some(
        (x) => x.file === 'pipe.tsq.yaml' && x.message === 'This is a named pipe (FIFO), not a file.',
      ),
    );
    const beside = finished(runTsq(['lint', 'main.tsq.yaml'], { cwd: f.dir }));
    assert.equal(beside.code, 0, beside.out);
  });

  test('the pipe as a child sequence: lint and simulate say so', () => {
    const lint = finished(runTsq(['lint', '--format', 'json', 'pipe-child.tsq.yaml'], { cwd: f.dir }));
    assert.ok(
      findings(lint).some((x) =>
        /`\.\/pipe\.tsq\.yaml` cannot be read: it is a named pipe \(FIFO\), not a file\./.test(x.message),
      ),
    );
    const sim = finished(runTsq(['simulate', 'pipe-child.tsq.yaml'], { cwd: f.dir }));
    assert.equal(sim.code, 2);
  });

  test('tsq simulate --machine of a pipe, tsq import and tsq diff of a pipe: usage errors that say what it is', () => {
    for (const args of [
      ['simulate', 'main.tsq.yaml', '--machine', 'pipe.tsq.yaml'],
      ['import', 'kept.xml', '--out', 'x'],
      ['diff', 'kept.xml', 'main.tsq.yaml'],
    ]) {
      const r = finished(runTsq(args, { cwd: f.dir }));
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /is a named pipe \(FIFO\), not a file\./, args.join(' '));
    }
    // `tsq diff <(git show HEAD~1:x.tsq.yaml) x.tsq.yaml` is how a shell hands over a pipe.
    const diff = finished(runTsq(['diff', 'pipe.tsq.yaml', 'main.tsq.yaml'], { cwd: f.dir }));
    assert.match(diff.err, /save what the pipe gives to a file first/);
  });
});

describe('a folder where a file is expected: one finding, the rest still checked', () => {
  let f: Folder;
  before(() => {
    f = hostileFolder();
    f.write('main.tsq.yaml', SEQUENCE);
    f.folder('looks-like.tsq.yaml');
    f.write('looks-like.tsq.yaml/inside.tsq.yaml', SEQUENCE);
    f.write('folder-child.tsq.yaml', parentOf('./looks-like.tsq.yaml'));
  });
  after(() => f.dispose());

  test('beside a named file: tsq lint no longer stops with EISDIR', () => {
    const r = finished(runTsq(['lint', 'main.tsq.yaml'], { cwd: f.dir }));
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /EISDIR/);
  });

  test('in a searched folder: one finding for the folder, the files inside it and beside it checked', () => {
    const r = finished(runTsq(['lint', '--format', 'json', '.'], { cwd: f.dir }));
    const folderFindings = findings(r).filter((x) => x.file === 'looks-like.tsq.yaml');
    assert.deepEqual(
      folderFindings.map((x) => x.message),
      ['This is a folder, not a file.'],
    );
    const checked = /(\d+) files checked/.exec(runTsq(['lint', '.'], { cwd: f.dir }).out);
    assert.equal(checked?.[1], '4', 'main, folder-child, the folder and the file inside it');
  });

  test('as a child sequence path: the step says the path is a folder', () => {
    const r = finished(runTsq(['lint', '--format', 'json', 'folder-child.tsq.yaml'], { cwd: f.dir }));
    assert.ok(
      findings(r).some(
        (x) =>
          x.message === 'The child sequence file `./looks-like.tsq.yaml` cannot be read: it is a folder, not a file.',
      ),
    );
  });

  test('tsq simulate / export / import / diff of a folder: "is a folder, not a file"', () => {
    for (const args of [
      ['simulate', 'looks-like.tsq.yaml'],
      ['export', 'looks-like.tsq.yaml', '--format', 'xml', '--out', 'x.xml'],
      ['import', 'looks-like.tsq.yaml', '--out', 'x'],
      ['diff', 'looks-like.tsq.yaml', 'main.tsq.yaml'],
    ]) {
      const r = finished(runTsq(args, { cwd: f.dir }));
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /looks-like\.tsq\.yaml is a folder, not a file\./, args.join(' '));
    }
  });
});

describe('a file tsq may not read (EACCES): one finding, not an abort', () => {
  test('in a searched folder and beside a named file', () => {
    const f = hostileFolder();
    try {
      f.write('main.tsq.yaml', SEQUENCE);
      f.write('secret.tsq.yaml', SEQUENCE);
      fs.chmodSync(f.path('secret.tsq.yaml'), 0o000);
      fs.chmodSync(f.dir, 0o755);
      // root reads everything: run as nobody to meet the permission check.
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const folder = finished(runTsq(['lint', '--format', 'json', '.'], { cwd: f.dir, ...asUser }));
      assert.deepEqual(
        findings(folder).map((x) => [x.file, x.message]),
        [['secret.tsq.yaml', 'This file cannot be read: permission denied.']],
      );
      const beside = finished(runTsq(['lint', 'main.tsq.yaml'], { cwd: f.dir, ...asUser }));
      assert.equal(beside.code, 0, beside.err);
    } finally {
      f.dispose();
    }
  });
});

describe('the size cap: a clear message with the size and how to raise it', () => {
  let f: Folder;
  const line = '  - { name: Step, run: cmd.exe /c echo padding padding padding padding padding }\n';
  before(() => {
    f = hostileFolder();
    f.write('big.tsq.yaml', 'sequence: Big\nsteps:\n' + line.repeat(Math.ceil((1.5 * 1048576) / line.length)));
    f.write('big-child.tsq.yaml', parentOf('./big.tsq.yaml'));
  });
  after(() => f.dispose());

  test('over the cap set by TSQ_MAX_FILE_MB: refused with its size, the cap and the setting that raises it', () => {
    const r = finished(
      runTsq(['lint', '--format', 'json', 'big.tsq.yaml'], { cwd: f.dir, env: { TSQ_MAX_FILE_MB: '1' } }),
    );
    assert.equal(r.code, 1);
    assert.deepEqual(
      findings(r).map((x) => x.message),
      ['This file is 1.5 MB; tsq reads files up to 1 MB.'],
    );
    const text = finished(runTsq(['lint', 'big.tsq.yaml'], { cwd: f.dir, env: { TSQ_MAX_FILE_MB: '1' } }));
    assert.match(text.out, /--max-file-mb N` or TSQ_MAX_FILE_MB=N .*`tsq\.files\.maxSizeMB`/);
  });

  test('a 5 GB file (sparse): refused from its size, nothing of it read, with the default cap', () => {
    const huge = f.path('huge.tsq.yaml');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 5 * 1024 ** 3);
    try {
      const r = finished(runTsq(['lint', '--format', 'json', 'huge.tsq.yaml'], { cwd: f.dir }));
      assert.deepEqual(
        findings(r).map((x) => x.message),
        ['This file is 5.0 GB; tsq reads files up to 32 MB.'],
      );
    } finally {
      fs.rmSync(huge);
    }
  });

  test('--max-file-mb raises it again (and wins over the variable)', () => {
    const r = finished(
      runTsq(['lint', '--max-file-mb', '2', '--format', 'json', 'big.tsq.yaml'], {
        cwd: f.dir,
        env: { TSQ_MAX_FILE_MB: '1' },
      }),
    );
    assert.ok(!findings(r).some((x) => /tsq reads files up to/.test(x.message)), r.out.slice(0, 500));
  });

  test('an oversize child sequence and an oversize sequence to simulate', () => {
    const lint = finished(
      runTsq(['lint', '--format', 'json', 'big-child.tsq.yaml'], { cwd: f.dir, env: { TSQ_MAX_FILE_MB: '1' } }),
    );
    assert.ok(
      findings(lint).some(
        (x) =>
          x.message ===
          'The child sequence file `./big.tsq.yaml` cannot be read: it is 1.5 MB; tsq reads files up to 1 MB.',
      ),
    );
    const sim = finished(runTsq(['simulate', 'big.tsq.yaml', '--max-file-mb=1'], { cwd: f.dir }));
    assert.equal(sim.code, 2);
    assert.match(sim.out + sim.err, /is 1\.5 MB; tsq reads files up to 1 MB/);
  });

  test('a cap that is not a size is a usage error', () => {
    for (const [args, env] of [[['lint', '--max-file-mb', 'lots', 'x']], [['lint', 'x'], { TSQ_MAX_FILE_MB: '0' }]] as [
      string[],
      NodeJS.ProcessEnv?,
    ][]) {
      const r = finished(runTsq(args, { cwd: f.dir, env }));
      assert.equal(r.code, 2);
      assert.match(r.err, /takes a size in MB from 1 to 1024/);
    }
  });
});

describe('the bounded reader', () => {
  test('a file that says it is empty but is not (/proc): never more than the cap plus one byte is read', () => {
    // /proc/kallsyms reports size 0 and holds megabytes: the size on disk cannot be trusted.
    const file = '/proc/kallsyms';
    assert.equal(fs.statSync(file).size, 0);
    // Count what the reader gets from the system (it calls the module's readSync, patched here).
    const realReadSync = fsModule.readSync;
    let read = 0;
    fsModule.readSync = ((...args: Parameters<typeof fs.readSync>) => {
      const n = realReadSync(...args);
      read += n;
      return n;
    }) as typeof fs.readSync;
    try {
      assert.throws(
        () => readFileBounded(file, { maxBytes: 64 * 1024, what: 'this test reads files' }),
        (e: unknown) =>
          e instanceof FileRefusal &&
          e.kind === 'too-large' &&
          /is larger than 64 KB; this test reads files up to 64 KB\./.test(e.message),
      );
    } finally {
      fsModule.readSync = realReadSync;
    }
    assert.ok(read > 0 && read <= 64 * 1024 + 1, `read ${read} bytes`);
  });

  test('reading the start of a file reads no more than asked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-start-'));
    try {
      const file = path.join(dir, 'm.tsq.yaml');
      fs.writeFileSync(file, 'machine: Lab\n' + 'x'.repeat(100_000));
      assert.equal(readFileStart(file, 4096).length, 4096);
      assert.throws(() => readFileStart('/dev/zero', 4096), /character device, not a file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
