// The check before a simulated run, made in a worker beside the run (workers/input-check.ts):
// `tsq simulate` prints byte for byte what it prints when the check runs in its own thread —
// runs, refusals, warnings, the log file and the report — a refused input prints nothing of its
// run, and the worker's findings are used only for the very texts the caller read. The debug
// adapter's side is in test/debug/input-check-aside.test.ts.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { setCheckAside, startInputCheck, worthAside, type AsideMode } from '../../server/src/workers/input-check';
import { loadSimulationFiles, validateInput } from '../../server/src/frontend/simulation-input';
import { FIXTURES, ROOT } from '../simulator/helpers';

const example = (name: string) => path.join(ROOT, 'examples', name);
const TABLE = path.join(FIXTURES, 'continue-on-error-table.tsq.yaml');

interface Printed {
  code: number;
  out: string;
  err: string;
  files: Record<string, string>;
}

let dir: string;
let usual: AsideMode;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-aside-'));
  usual = setCheckAside('never');
});
afterEach(() => {
  setCheckAside(usual);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `tsq simulate ARGS` with the check in this thread or aside; `outputs` are files the run writes, read back and removed. */
async function simulate(aside: boolean, args: string[], outputs: string[] = []): Promise<Printed> {
  setCheckAside(aside ? 'always' : 'never');
  let out = '',
    err = '';
  const io: CliIO = { out: (s) => void (out += s), err: (s) => void (err += s), color: false, version: '0.0.0-test' };
  const code = await main(['simulate', ...args], io);
  const files: Record<string, string> = {};
  for (const f of outputs) {
    files[path.basename(f)] = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '(not written)';
    fs.rmSync(f, { force: true });
  }
  return { code, out, err, files };
}

/** Prints the same both ways; gives what was printed. */
async function sameBothWays(args: string[], outputs: string[] = []): Promise<Printed> {
  const here = await simulate(false, args, outputs);
  const aside = await simulate(true, args, outputs);
  assert.deepEqual(aside, here);
  return aside;
}

describe('tsq simulate with the input checked in a worker', () => {
  it('prints the same run, text and JSON, with and without the log', async () => {
    for (const n of [1, 2, 4]) {
      const machine = path.join(FIXTURES, `step${n}-fails.tsq.yaml`);
      const text = await sameBothWays(['--machine', machine, TABLE]);
      assert.match(text.out, /Task sequence step 1/);
      await sameBothWays(['--machine', machine, '--log', TABLE]);
      await sameBothWays(['--format', 'json', '--machine', machine, TABLE]);
    }
  });

  it('writes the same log file and report', async () => {
    const log = path.join(dir, 'run.log');
    const report = path.join(dir, 'run.html');
    const printed = await sameBothWays(
      [
        '--machine',
        example('lab-vm.tsq.yaml'),
        '--log-file',
        log,
        '--report',
        report,
        example('deploy-windows-11.tsq.yaml'),
      ],
      [log, report],
    );
    assert.notEqual(printed.files['run.log'], '(not written)');
    assert.notEqual(printed.files['run.html'], '(not written)');
  });

  it('prints the same runs a deployment and media start', async () => {
    const sequence = example('deploy-windows-11.tsq.yaml');
    await sameBothWays([
      '--deployment',
      example('pilot-deployment.tsq.yaml'),
      '--machine',
      example('pilot-laptop.tsq.yaml'),
      sequence,
    ]);
    await sameBothWays(['--media', example('offline-media.tsq.yaml'), sequence]);
  });

  it('refuses a sequence with errors as before: its findings on stderr, nothing on stdout, exit 2', async () => {
    const printed = await sameBothWays([example('broken/deploy.tsq.yaml')]);
    assert.equal(printed.code, 2);
    assert.equal(printed.out, '');
    assert.match(printed.err, /\[broken-reference\]/);
  });

  it('refuses a sequence that runs itself through a child without printing a run', async () => {
    const printed = await sameBothWays([example('broken/loop-a.tsq.yaml')]);
    assert.equal(printed.code, 2);
    assert.equal(printed.out, '');
    assert.match(printed.err, /\[child-cycle\]/);
  });

  it('refuses a machine profile with an error, and a bad --log-file after a refused input, as before', async () => {
    const machine = path.join(dir, 'm.tsq.yaml');
    fs.writeFileSync(machine, 'machine: Typo\nstartIn: fullos\n');
    const printed = await sameBothWays(['--machine', machine, TABLE]);
    assert.equal(printed.code, 2);
    assert.equal(printed.out, '');
    const refusedTwice = await sameBothWays(['--log-file', dir, example('broken/deploy.tsq.yaml')]);
    assert.match(refusedTwice.err, /fix them first/);
  });

  it('shows the warnings about the machine before the run', async () => {
    const machine = path.join(dir, 'm.tsq.yaml');
    fs.writeFileSync(machine, 'machine: Stale\noutcomes:\n  step9: { exitCode: 1 }\n');
    const printed = await sameBothWays(['--machine', machine, TABLE]);
    assert.equal(printed.code, 0);
    assert.match(printed.err, /warning No step of the sequence has the id or name `step9`/);
  });
});

describe('the worker answers for the texts it read', () => {
  it('its findings are the ones checked in the thread, and come from the worker', async () => {
    setCheckAside('always');
    for (const sequence of [example('broken/deploy.tsq.yaml'), example('deploy-windows-11.tsq.yaml')]) {
      const files = { sequence, machine: example('lab-vm.tsq.yaml') };
      const check = startInputCheck(files);
      assert.equal(check.aside, true);
      const input = loadSimulationFiles(files);
      const found = await check.result(input);
      assert.equal(found.checkedAside, true);
      assert.deepEqual({ errors: found.errors, warnings: found.warnings }, validateInput(input));
    }
  });

  it('a file saved between the two reads is checked as the caller read it', async () => {
    setCheckAside('always');
    const sequence = path.join(dir, 'seq.tsq.yaml');
    const good =
      'sequence: Saved\nsteps:\n  - name: Say hello\n    action: RunCommandLine\n    with: { commandLine: cmd /c echo hello }\n';
    fs.writeFileSync(sequence, good);
    const check = startInputCheck({ sequence });
    // Whichever text the worker read, the answer must be about this one.
    fs.writeFileSync(sequence, good.replace('action: RunCommandLine', 'action: NoSuchStep'));
    const input = loadSimulationFiles({ sequence });
    const found = await check.result(input);
    assert.ok(found.errors.length > 0, 'the saved text has an unknown action');
    assert.deepEqual({ errors: found.errors, warnings: found.warnings }, validateInput(input));
  });

  it('a large sequence goes aside only on a spare core beyond the two a check in one thread keeps busy', () => {
    // Measured on a 2-core machine with nothing else running: 100,000 steps took 2.29–2.35 s aside
    // against 1.98–2.04 s in the thread (docs/performance.md, "Where issue 18 stands").
    setCheckAside('auto');
    const large = path.join(dir, 'large.tsq.yaml');
    fs.writeFileSync(large, `sequence: Large\nsteps:\n${'  - name: Step\n    run: cmd /c exit 0\n'.repeat(40_000)}`);
    assert.ok(fs.statSync(large).size >= 1 << 20, 'the file is large enough to go aside');
    assert.equal(worthAside({ sequence: large }, 2, 0), false, 'two idle cores');
    assert.equal(worthAside({ sequence: large }, 4, 1.8), false, 'four cores, two busy');
    assert.equal(worthAside({ sequence: large }, 4, 0.4), true, 'four cores, one spare');
    assert.equal(worthAside({ sequence: TABLE }, 8, 0), false, 'a small file, whatever the machine');
  });

  it('small files are checked in the caller’s thread, whatever the machine', async () => {
    setCheckAside('auto');
    const check = startInputCheck({ sequence: TABLE });
    assert.equal(check.aside, false);
    assert.equal((await check.result(loadSimulationFiles({ sequence: TABLE }))).checkedAside, false);
  });

  it('a worker that fails or stays silent leaves the check to the caller’s thread', async () => {
    setCheckAside('always');
    const files = { sequence: example('broken/deploy.tsq.yaml') };
    const crash = path.join(dir, 'crash.js');
    fs.writeFileSync(crash, "throw new Error('worker crashed on start');\n");
    const hang = path.join(dir, 'hang.js');
    fs.writeFileSync(hang, 'for (;;) {}\n');
    for (const script of [crash, hang]) {
      const check = startInputCheck(files, { script, stallLimitMs: 300 });
      assert.equal(check.aside, true);
      const input = loadSimulationFiles(files);
      const found = await check.result(input);
      assert.equal(found.checkedAside, false, path.basename(script));
      assert.deepEqual({ errors: found.errors, warnings: found.warnings }, validateInput(input));
      assert.ok(found.errors.length > 0, 'the broken sequence is refused');
    }
  });
});
