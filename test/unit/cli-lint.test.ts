// `tsq lint` as users and CI run it: the built CLI in a child process, the exit codes and output
// formats of the CLI contract, the bundled examples, and hostile files that must give a clear
// message instead of a crash or a hang.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '../../..');
const bin = path.join(root, 'bin/tsq.js');

function tsq(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

describe('tsq lint on the bundled examples', () => {
  test('examples lint clean: exit 0', () => {
    const r = tsq(['lint', 'examples']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no problems/);
  });

  test('examples/broken: exit 1, and JSON gives each finding its file, line, column and code', () => {
    // Which rules trip where in examples/broken: test/rules/rule-fixtures.test.ts.
    const r = tsq(['lint', '--format', 'json', 'examples/broken']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string }[];
    assert.ok(out.length > 20);
    for (const d of out) {
      assert.ok(fs.existsSync(path.join(root, d.file)), d.file);
      assert.ok(d.line >= 1 && d.column >= 1 && /^[a-z0-9-]+$/.test(d.code), JSON.stringify(d));
    }
  });

  test('json follows the contract: 1-based positions and exactly the documented keys', () => {
    const r = tsq(['lint', '--format', 'json', 'examples/broken/loop-a.tsq.yaml']);
    const [d] = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(d).sort(), [
      'code',
      'column',
      'endColumn',
      'endLine',
      'file',
      'line',
      'message',
      'severity',
    ]);
    assert.deepEqual(
      [d.file, d.line, d.column, d.endLine, d.endColumn, d.severity, d.code],
      [path.join('examples', 'broken', 'loop-a.tsq.yaml'), 6, 23, 6, 40, 'error', 'child-cycle'],
    );
  });

  test('sarif is SARIF 2.1.0 with rules and located results', () => {
    const r = tsq(['lint', '--format', 'sarif', 'examples/broken']);
    assert.equal(r.code, 1);
    const s = JSON.parse(r.stdout);
    assert.equal(s.version, '2.1.0');
    const run = s.runs[0];
    assert.equal(run.tool.driver.name, 'tsq');
    assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'broken-reference'));
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'child-cycle');
    assert.equal(res.level, 'error');
    assert.equal(res.locations[0].physicalLocation.region.startLine, 6);
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'examples/broken/loop-a.tsq.yaml');
  });

  test('text output is file:line:col severity message [code], then a summary', () => {
    const r = tsq(['lint', 'examples/broken/loop-b.tsq.yaml']);
    assert.match(
      r.stdout,
      /^examples\/broken\/loop-b\.tsq\.yaml:6:23 error This child sequence runs this sequence again: .* \[child-cycle\]$/m,
    );
    assert.match(r.stdout, /✖ 1 file checked: 1 error, 0 warnings\./);
  });

  test('notes alone end on a check mark, not a warning sign', () => {
    const r = tsq(['lint', '--severity', 'child-cycle=information', 'examples/broken/loop-b.tsq.yaml']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /\n✔ 1 file checked: no errors or warnings, 1 note\.\n$/);
    assert.doesNotMatch(r.stdout, /⚠/);
  });

  test('usage and I/O problems exit 2 with a message', () => {
    assert.equal(tsq(['lint']).code, 2);
    assert.equal(tsq(['lint', '--format', 'xml', 'examples']).code, 2);
    const missing = tsq(['lint', 'no/such/path']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No such file or folder: no\/such\/path/);
    assert.equal(tsq(['frobnicate']).code, 2);
  });

  test('a folder without a tsq file exits 2, so that a CI job pointed at the wrong folder fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-no-sequences-'));
    try {
      fs.writeFileSync(path.join(dir, 'deploy.xml'), '<sequence version="3.10"/>');
      for (const format of ['text', 'json']) {
        const r = tsq(['lint', '--format', format, dir]);
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.match(r.stderr, /No tsq files to check in .*tsq-no-sequences-.*\*\.tsq\.yaml.*tsq import/s);
        assert.equal(r.stdout, '', 'nothing on stdout for a machine to read as "no findings"');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--severity turns a rule off', () => {
    const r = tsq(['lint', '--severity', 'child-cycle=off', 'examples/broken/loop-a.tsq.yaml']);
    assert.equal(r.code, 0, r.stdout);
  });
});

describe('hostile files give a clear message, never a crash or a hang', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-hostile-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, data: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), data);
    return path.join(dir, name);
  };
  const lintJson = (file: string) => {
    const r = tsq(['lint', '--format', 'json', file]);
    assert.equal(r.signal, null, 'the CLI was killed (hang?)');
    assert.notEqual(r.code, 2, r.stderr);
    return { code: r.code, findings: JSON.parse(r.stdout) as { code: string; message: string; line: number }[] };
  };

  test('an empty file: a warning saying what to write', () => {
    const r = lintJson(write('empty.tsq.yaml', ''));
    assert.equal(r.code, 0);
    assert.match(r.findings[0].message, /This file is empty/);
  });

  test('binary junk: refused as not YAML', () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 256;
    const r = lintJson(write('junk.tsq.yaml', junk));
    assert.equal(r.code, 1);
    assert.equal(r.findings[0].code, 'yaml-syntax');
    assert.match(r.findings[0].message, /binary|not valid UTF-8/);
  });

  test('a file that is not UTF-8 (Latin-1): says where and what to do', () => {
    const r = lintJson(
      write('latin1.tsq.yaml', Buffer.from('sequence: Caf\xe9 d\xe9ploiement\nsteps: []\n', 'latin1')),
    );
    assert.equal(r.code, 1);
    assert.match(r.findings[0].message, /not valid UTF-8: line 1, column 14 holds the byte 0xE9/);
    const text = tsq(['lint', path.join(dir, 'latin1.tsq.yaml')]);
    assert.match(text.stdout, /hint: It was most likely saved in a Windows code page .*Windows-1252.*UTF-8/);
    // On a later line, after characters of more than one byte: the column counts characters.
    const later = lintJson(
      write(
        'latin1-later.tsq.yaml',
        Buffer.concat([Buffer.from('sequence: Déploiement\nsteps:\n  - name: Été '), Buffer.from([0xe9, 0x0a])]),
      ),
    );
    assert.match(later.findings[0].message, /line 3, column 15 holds the byte 0xE9/);
  });

  test('a UTF-16 file with a byte order mark is read', () => {
    const text = 'sequence: Wide\nsteps: []\n';
    const r = lintJson(
      write('utf16.tsq.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
    );
    assert.equal(r.code, 0);
  });

  test('a 50 MB file: refused with its size and a hint', () => {
    const line = '  - { name: Step, run: cmd.exe /c echo padding padding padding padding padding }\n';
    const r = lintJson(
      write('huge.tsq.yaml', 'sequence: Huge\nsteps:\n' + line.repeat(Math.ceil((50 * 1048576) / line.length))),
    );
    assert.equal(r.code, 1);
    assert.match(r.findings[0].message, /This file is 50\.\d MB; tsq reads files up to 32 MB/);
  });

  test('10,000 levels of nesting (block and flow): one error each, the file still read', () => {
    const s =
      'sequence: Deep\nsteps:\n  - name: Deep\n    run: x.cmd\n    xml:\n      block:\n        ' +
      '- '.repeat(10000) +
      'x\n      flow: ' +
      '['.repeat(10000) +
      ']'.repeat(10000) +
      '\n  - name: After\n    run: y.cmd\n';
    const r = lintJson(write('deep.tsq.yaml', s));
    assert.equal(r.code, 1);
    const deep = r.findings.filter((f) => /nested deeper than 500 levels/.test(f.message));
    assert.deepEqual(
      deep.map((f) => f.line),
      [7, 8],
    );
    assert.ok(!r.findings.some((f) => f.line > 8), 'the step after the deep values is read normally');
  });

  test('aliases that expand exponentially: cut off with a message at the alias', () => {
    let s = 'sequence: Bomb\nvariables:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 15; i++)
      s += `  a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    s += 'steps: []\n';
    const r = lintJson(write('bomb.tsq.yaml', s));
    assert.equal(r.code, 1);
    assert.ok(r.findings.some((f) => /expand to more than 200,000 values/.test(f.message)));
  });
});
