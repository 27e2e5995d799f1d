// The heap a one-shot process starts with (frontend/one-shot-heap.ts): `tsq simulate` and `tsq lint`
// on a large input run in a second Node process started with the old generation sized for it, which prints
// and exits exactly as the first would have (output, exit code, a signal), and the debug adapter is
// declared to VS Code with the same kind of flag. V8 must still take the flag and skip, with it,
// the full collection it makes without it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADAPTER_OLD_SPACE_MB, heapFlagsFor, oldSpaceFlag } from '../../server/src/frontend/one-shot-heap';
import { tsqFileBytesWithin } from '../../server/src/files/load';
import { FIXTURES, ROOT } from '../simulator/helpers';

const LAUNCH = path.join(ROOT, 'dist', 'launch.js');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const MB = 1048576;

/** A folder for one test, removed after it. */
function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-one-shot-heap-'));
}

/**
 * A script that starts `tsq` as bin/tsq.js does, with a second process from any input size on,
 * and a hook that records each process's Node options: the script's path, the hook's record file
 * and the environment that loads the hook.
 */
function relaunching(dir: string, cli = CLI) {
  const script = path.join(dir, 'start.js');
  fs.writeFileSync(
    script,
    `require(${JSON.stringify(LAUNCH)}).startTsq(${JSON.stringify(cli)}, process.argv.slice(2), { relaunchFromMB: 1 });\n`,
  );
  const hook = path.join(dir, 'hook.js');
  const record = path.join(dir, 'options.txt');
  fs.writeFileSync(
    hook,
    `require('fs').appendFileSync(${JSON.stringify(record)}, JSON.stringify(process.execArgv) + '\\n');\n`,
  );
  const env = { ...process.env, NODE_OPTIONS: `--require ${hook}`, NO_COLOR: '1' };
  const options = () =>
    fs
      .readFileSync(record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  return { script, env, options };
}

/**
 * Runs `tsq COMMAND` with each of `cases` alone and through the relaunching `script`, holds the two
 * to the same output, errors and exit code, and gives the exit codes seen (sorted).
 */
function sameAloneAndRelaunched(command: string, cases: string[][], script: string, env: NodeJS.ProcessEnv) {
  const codes = new Set<number | null>();
  for (const args of cases) {
    const alone = spawnSync(process.execPath, [CLI, command, ...args], { encoding: 'utf8', env });
    const relaunched = spawnSync(process.execPath, [script, command, ...args], { encoding: 'utf8', env });
    assert.equal(relaunched.stdout, alone.stdout, `stdout of ${command} ${args.join(' ')}`);
    assert.equal(relaunched.stderr, alone.stderr, `stderr of ${command} ${args.join(' ')}`);
    assert.equal(relaunched.status, alone.status, `exit code of ${command} ${args.join(' ')}`);
    codes.add(alone.status);
  }
  return [...codes].sort();
}

/** Whether the process `pid` still runs. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

describe('the heap of a one-shot process', () => {
  it('is sized from the files a large `tsq simulate` names, and left to V8 otherwise', () => {
    const sizes: Record<string, number> = { 'big.tsq.yaml': 17.1 * MB, 'machine.tsq.yaml': 35, 'small.tsq.yaml': MB };
    const sizeOf = (file: string) => sizes[file] ?? 0;
    assert.deepEqual(heapFlagsFor(['simulate', '--machine', 'machine.tsq.yaml', 'big.tsq.yaml'], sizeOf), [
      oldSpaceFlag(411),
    ]);
    assert.deepEqual(
      heapFlagsFor(['simulate', '--machine=machine.tsq.yaml', '--format', 'json', 'big.tsq.yaml'], sizeOf),
      [oldSpaceFlag(411)],
      'a value given after `=` counts, and a value that is no file weighs nothing',
    );
    assert.deepEqual(
      heapFlagsFor(['simulate', 'small.tsq.yaml'], sizeOf),
      [],
      'a small input stays in V8’s first limit',
    );
    assert.deepEqual(heapFlagsFor(['lint', 'big.tsq.yaml'], sizeOf), [oldSpaceFlag(411)], '`tsq lint` too');
    assert.deepEqual(heapFlagsFor(['export', 'big.tsq.yaml'], sizeOf), [], 'only `tsq simulate` and `tsq lint`');
    assert.deepEqual(heapFlagsFor(['toString', 'big.tsq.yaml'], sizeOf), [], 'a command is not any property');
    assert.deepEqual(heapFlagsFor(['simulate', '--help'], sizeOf), []);
    assert.deepEqual(heapFlagsFor([], sizeOf), []);
  });

  it('weighs a folder given to `tsq lint` by the tsq files the lint will read there', () => {
    const dir = scratch();
    try {
      const inner = path.join(dir, 'site');
      fs.mkdirSync(path.join(dir, 'node_modules'));
      fs.mkdirSync(inner);
      // From 43,691 bytes on, 24 bytes of old generation a byte are more than 1 MB: 2 MB asked for.
      fs.writeFileSync(path.join(inner, 'a.tsq.yaml'), 'x'.repeat(30_000));
      fs.writeFileSync(path.join(dir, 'b.tsq.yml'), 'x'.repeat(13_691));
      fs.writeFileSync(path.join(dir, 'notes.yaml'), 'x'.repeat(4 * MB));
      fs.writeFileSync(path.join(dir, 'node_modules', 'c.tsq.yaml'), 'x'.repeat(4 * MB));
      assert.deepEqual(heapFlagsFor(['lint', dir], undefined, 2), [oldSpaceFlag(2)]);
      assert.deepEqual(heapFlagsFor(['lint', '--format', 'json', inner, path.join(dir, 'b.tsq.yml')], undefined, 2), [
        oldSpaceFlag(2),
      ]);
      fs.writeFileSync(path.join(dir, 'b.tsq.yml'), 'x'.repeat(13_690));
      assert.deepEqual(heapFlagsFor(['lint', dir], undefined, 2), [], 'other YAML and skipped folders weigh nothing');
      assert.equal(tsqFileBytesWithin([dir], 2), 30_000 + 13_690, 'the folder and `site` are two folders');
      assert.equal(tsqFileBytesWithin([dir], 1), undefined, 'a search past its folders gives up');
      for (let i = 0; i < 501; i++) fs.mkdirSync(path.join(inner, `empty-${i}`));
      fs.writeFileSync(path.join(dir, 'b.tsq.yml'), 'x'.repeat(4 * MB));
      assert.deepEqual(
        heapFlagsFor(['lint', dir], undefined, 2),
        [],
        'a tree of more folders than are weighed counts nothing: the lint runs in the first process',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a lint in a second process that prints and exits as the first would have', () => {
    const dir = scratch();
    try {
      const { script, env, options } = relaunching(dir);
      const cases = [
        [path.join(ROOT, 'examples')],
        ['--format', 'json', path.join(ROOT, 'examples', 'broken')],
        [path.join(ROOT, 'examples', 'install-apps.tsq.yaml')],
        ['--format', 'yaml', path.join(ROOT, 'examples')],
      ];
      const codes = sameAloneAndRelaunched('lint', cases, script, env);
      assert.deepEqual(codes, [0, 1, 2], 'clean, errors and refusal were all seen');
      const flagged = options().filter((o) => o.some((flag) => flag.startsWith('--initial-old-space-size=')));
      assert.equal(flagged.length, cases.length, 'each lint ran in a second process with the flag');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a simulation in a second process that prints and exits as the first would have', () => {
    const dir = scratch();
    try {
      const { script, env, options } = relaunching(dir);
      const table = path.join(FIXTURES, 'continue-on-error-table.tsq.yaml');
      const cases = [
        [table],
        ['--machine', path.join(FIXTURES, 'step4-fails.tsq.yaml'), table],
        ['--format', 'json', '--machine', path.join(FIXTURES, 'step2-fails.tsq.yaml'), table],
        ['--format', 'yaml', table],
        [path.join(dir, 'missing.tsq.yaml')],
      ];
      const codes = sameAloneAndRelaunched('simulate', cases, script, env);
      assert.deepEqual(codes, [0, 1, 2], 'success, failure and refusal were all seen');
      const seen = options();
      const flagged = seen.filter((o) => o.some((flag) => flag.startsWith('--initial-old-space-size=')));
      const named = cases.length - 1;
      assert.equal(flagged.length, named, 'each run of files that exist got the flag');
      assert.equal(seen.length, cases.length * 2 + named, 'one process each alone, and two for files that exist');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes a signal on to the second process and ends by it', async () => {
    const dir = scratch();
    const pidFile = path.join(dir, 'pid');
    let first: ReturnType<typeof spawn> | undefined;
    try {
      const cli = path.join(dir, 'waiting-cli.js');
      fs.writeFileSync(
        cli,
        `exports.run = () => { require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000); };\n` +
          `if (require.main === module) exports.run();\n`,
      );
      const { script, env } = relaunching(dir, cli);
      first = spawn(process.execPath, [script, 'simulate', path.join(FIXTURES, 'loop.tsq.yaml')], {
        env,
        stdio: 'ignore',
      });
      const ended = new Promise<NodeJS.Signals | null>((resolve) =>
        first!.on('exit', (_code, signal) => resolve(signal)),
      );
      const started = () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '';
      for (let i = 0; i < 1500 && !started(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(started(), 'the second process started');
      const second = Number(fs.readFileSync(pidFile, 'utf8'));
      assert.notEqual(second, first.pid, 'the work runs in a second process');
      first.kill('SIGTERM');
      assert.equal(await ended, 'SIGTERM', 'the first process ends by the signal');
      const alive = () => isRunning(second);
      for (let i = 0; i < 250 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(alive(), false, 'and so does the second');
    } finally {
      // Whatever failed, neither process outlives the test.
      first?.kill('SIGKILL');
      const second = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
      if (second && isRunning(second)) process.kill(second, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is declared for the debug adapter, which VS Code starts with it', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { debuggers: { runtime?: string; runtimeArgs?: string[] }[] };
    };
    const [adapter] = manifest.contributes.debuggers;
    assert.equal(adapter.runtime, 'node');
    assert.deepEqual(adapter.runtimeArgs, [oldSpaceFlag(ADAPTER_OLD_SPACE_MB)]);
  });

  it('is taken by V8, which then makes no full collection where it made one without', () => {
    // 200 MB of objects that stay alive, as a parsed sequence does.
    const keep = `const keep = []; for (let i = 0; i < 2_000_000; i++) keep.push({ i, list: [i, i] });`;
    const fullCollections = (flags: string[]) => {
      const r = spawnSync(process.execPath, [...flags, '--trace-gc', '-e', keep], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.split('\n').filter((line) => line.includes('Mark-Compact')).length;
    };
    assert.ok(fullCollections([]) > 0, 'V8 alone marks the whole heap at least once');
    assert.equal(fullCollections([oldSpaceFlag(ADAPTER_OLD_SPACE_MB)]), 0, 'started with the flag, never');
  });
});
