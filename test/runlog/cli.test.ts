// `tsq log` as the CLI contract says: JSON `{result, steps: [{name, path, status, exitCode, start,
// end, line, message}]}` with the status words of `tsq simulate`, exit 0 when the run succeeded,
// 1 when it failed (or the logs do not show its end), 2 for logs that cannot be used — with the
// file, the line and a hint. Logs come from the places ConfigMgr writes them
// (https://learn.microsoft.com/mem/configmgr/core/plan-design/hierarchy/about-log-files#task-sequence-log-locations),
// several files or their folder. --machine-out writes a machine profile that lints clean and with
// which `tsq simulate` goes the way the logged run went, and it never writes over an input.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inTempDir, tsq } from '../helpers/cli';
import { SAMPLES, expected, sampleDir, sampleLogPaths } from './helpers';
import type { JsonLogRun } from '../../server/src/runlog/report';

const seq = (sample: (typeof SAMPLES)[number]) => path.join(sampleDir(sample), 'sequence.tsq.yaml');

async function json(...args: string[]): Promise<{ code: number; run: JsonLogRun; err: string }> {
  const r = await tsq('log', '--format', 'json', ...args);
  return { code: r.code, run: JSON.parse(r.out) as JsonLogRun, err: r.err };
}

describe('tsq log: the JSON of the CLI contract', () => {
  it('gives every step name, path, status, exitCode, start, end, line and message', async () => {
    const { code, run } = await json('--sequence', seq('02-nested-failure'), ...sampleLogPaths('02-nested-failure'));
    assert.equal(code, 1);
    assert.equal(run.result, 'failed');
    for (const step of run.steps) {
      for (const key of ['name', 'path', 'status', 'exitCode', 'start', 'end', 'line', 'message'])
        assert.ok(key in step, `${step.path} has ${key}`);
      assert.ok(['succeeded', 'failed', 'failed-continued', 'skipped', 'disabled'].includes(step.status));
    }
    const failing = run.steps.find((s) => s.path === 'Configure/Security baseline/BitLocker/Enable BitLocker')!;
    assert.deepEqual(
      {
        status: failing.status,
        exitCode: failing.exitCode,
        line: failing.line,
        message: failing.message,
        start: failing.start,
        end: failing.end,
      },
      {
        status: 'failed',
        exitCode: -2147024891,
        line: 92,
        message: 'Access is denied. (Error: 80070005; Source: Windows)',
        start: '2026-11-17T09:40:21.440+01:00',
        end: '2026-11-17T09:40:25.585+01:00',
      },
    );
    assert.equal(failing.match!.confidence, 'exact');
    assert.equal(failing.match!.line, 22);
    assert.deepEqual(
      run.unreached!.map((u) => u.path),
      expected('02-nested-failure').notReached,
    );
    assert.equal(run.failure!.path, failing.path);
    assert.equal(run.failure!.match!.line, 22);
  });

  it('gives a group null for exitCode and message when it succeeded', async () => {
    const { code, run } = await json(...sampleLogPaths('01-simple-success'));
    assert.equal(code, 0);
    const group = run.steps.find((s) => s.path === 'Prepare')!;
    assert.deepEqual([group.kind, group.status, group.exitCode, group.message], ['group', 'succeeded', null, null]);
    assert.equal(run.unreached, undefined, 'without --sequence nothing can be said about steps the log never names');
  });

  it('reads a folder of logs as its smsts*.log files', async () => {
    const { code, run } = await json(sampleDir('03-restart-rollover'));
    assert.equal(code, 0);
    assert.deepEqual(
      run.files.map((f) => path.basename(f.name)),
      ['smsts-20261201-101500.log', 'smsts.log'],
    );
    assert.deepEqual(
      run.restarts.map((r) => [r.after, r.target]),
      [
        ['Prepare/Restart in Windows PE', 'WinPE'],
        ['Offline work/Restart into Windows', 'HD'],
      ],
    );
  });
});

describe('tsq log: the text tree', () => {
  it('shows each step with its mark and log line, and lands on the failing step in the sequence', async () => {
    const r = await tsq('log', '--sequence', seq('04-child-failure'), ...sampleLogPaths('04-child-failure'));
    assert.equal(r.code, 1);
    assert.match(r.out, /^✔ Prepare {2}smsts\.log:14$/m);
    assert.match(
      r.out,
      /^ {2}✘ Check free space — failed, continued on error: Access is denied\. \(Error: 00000005; Source: Windows\) \(exit code 5\)/m,
    );
    assert.match(r.out, /^✘ Failed at "Applications\/Standard applications\/Line-of-business app" \(smsts\.log:104\)/m);
    assert.match(r.out, /In the sequence: .*child\.tsq\.yaml:10$/m);
    assert.match(r.out, /Not reached \(3\):/);
  });
});

describe('tsq log: exit codes', () => {
  it('0 when the run succeeded, 1 when it failed', async () => {
    for (const sample of SAMPLES) {
      const r = await tsq('log', ...sampleLogPaths(sample));
      assert.equal(r.code, expected(sample).result === 'succeeded' ? 0 : 1, sample);
    }
  });

  it('1 when the logs do not show the end of the run (they stop at a restart)', async () => {
    const { code, run } = await json(sampleLogPaths('03-restart-rollover')[0]);
    assert.equal(code, 1);
    assert.equal(run.result, 'incomplete');
    assert.match(run.incomplete!, /restart/);
    assert.deepEqual(
      run.unfinished.map((u) => u.path),
      ['Offline work', 'Offline work/Convert disk to GPT'],
      'the group and the step the rolled file ends in',
    );
  });

  it('2 for a file that is not a log, naming the file and line, with a hint', async () => {
    await inTempDir(async (dir) => {
      const cases: [string, Buffer | string, RegExp][] = [
        [
          'binary.log',
          Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]),
          /binary\.log:1: this file is a binary file/,
        ],
        ['notes.log', 'just some text\nno entries here\n', /notes\.log:1: this file holds no CMTrace log entry/],
        [
          'cut.log',
          "<![LOG[Start executing an instruction. Instruction name: 'A'.  Pointer: 0.\n<![LOG[more",
          /cut\.log:1: this file has entries that start with `<!\[LOG\[` but none that ends/,
        ],
        ['empty.log', '', /empty\.log:1: this file is empty/],
        [
          'ccmexec.log',
          '<![LOG[CCMEXEC service is now running.]LOG]!><time="10:00:00.000+000" date="01-15-2026" component="CcmExec" context="" type="1" thread="1" file="">\r\n',
          /no task sequence instruction starts in it/,
        ],
      ];
      for (const [name, content, message] of cases) {
        const file = path.join(dir, name);
        fs.writeFileSync(file, content);
        const r = await tsq('log', file);
        assert.equal(r.code, 2, name);
        assert.match(r.err, message, name);
        assert.match(r.err, /\n {2}\S/, `${name}: a hint`);
        assert.equal(r.out, '');
      }
    });
  });

  it('2 for a file that claims 2 GB, before reading it', async () => {
    await inTempDir(async (dir) => {
      const file = path.join(dir, 'smsts.log');
      const fd = fs.openSync(file, 'w');
      fs.ftruncateSync(fd, 2 * 1024 * 1024 * 1024);
      fs.closeSync(fd);
      const r = await tsq('log', file);
      assert.equal(r.code, 2);
      assert.match(r.err, /smsts\.log: this file is 2\.0 GB; tsq reads log files up to 64 MB\./);
    });
  });

  it('2 for a device, a missing file, a folder without logs and a usage mistake', async () => {
    await inTempDir(async (dir) => {
      assert.match(
        (await tsq('log', '/dev/zero')).err,
        /\/dev\/zero: this file is a character device, not a file\.\n  tsq log reads regular files only/,
      );
      assert.equal((await tsq('log', path.join(dir, 'missing.log'))).code, 2);
      const r = await tsq('log', dir);
      assert.equal(r.code, 2);
      assert.match(r.err, /folder that holds no smsts\*\.log file/);
      assert.equal((await tsq('log')).code, 2);
      assert.equal((await tsq('log', '--format', 'xml', sampleLogPaths('01-simple-success')[0])).code, 2);
      const notSequence = await tsq(
        'log',
        '--sequence',
        sampleLogPaths('01-simple-success')[0],
        sampleLogPaths('01-simple-success')[0],
      );
      assert.equal(notSequence.code, 2);
      assert.match(notSequence.err, /not a sequence/);
    });
  });
});

describe('tsq log --machine-out: replay the run in the simulator', () => {
  for (const sample of SAMPLES) {
    it(`${sample}: the profile lints clean and tsq simulate gives every logged step the logged status`, async () => {
      await inTempDir(async (dir) => {
        const out = path.join(dir, 'replay.tsq.yaml');
        const logged = await json('--sequence', seq(sample), '--machine-out', out, ...sampleLogPaths(sample));
        assert.equal(logged.err, '');
        const lint = await tsq('lint', out);
        assert.equal(lint.code, 0, lint.out + lint.err);
        assert.doesNotMatch(lint.out, /warning|error/);
        const sim = await tsq('simulate', '--format', 'json', '--machine', out, seq(sample));
        assert.equal(sim.err, '');
        assert.equal(sim.code, logged.code, 'the same exit code');
        const simulated = JSON.parse(sim.out) as {
          result: string;
          steps: { path: string; status: string; exitCode?: number }[];
        };
        assert.equal(simulated.result, logged.run.result);
        const byPath = new Map(simulated.steps.map((s) => [s.path, s]));
        for (const step of logged.run.steps) {
          assert.equal(byPath.get(step.path)?.status, step.status, `${step.path}: simulated like the log`);
          if (step.kind === 'step' && step.exitCode !== null)
            assert.equal(byPath.get(step.path)?.exitCode ?? 0, step.exitCode, `${step.path}: exit code`);
        }
        for (const u of logged.run.unreached ?? [])
          assert.ok(!byPath.has(u.path), `${u.path} is not reached in the replay either`);
      });
    });
  }

  it("writes the start, the hardware and the variables the log shows, and a step's runs in order", async () => {
    await inTempDir(async (dir) => {
      const log = path.join(dir, 'smsts.log');
      const line = (message: string, s: number, component = 'TSManager') =>
        `<![LOG[${message}]LOG]!><time="08:00:${String(s).padStart(2, '0')}.000+000" date="01-15-2026" component="${component}" context="" type="1" thread="1" file="">\r\n`;
      fs.writeFileSync(
        log,
        [
          line('Set a global environment variable _SMSTSInWinPE=true', 0),
          line('Set a global environment variable _SMSTSBootUEFI=false', 1),
          line('Set a global environment variable _SMSTSModel=Latitude 7440', 2),
          line('Set a global environment variable OSDComputerName=LAB-PC01', 3),
          line(
            "Start executing an instruction. Instruction name: 'Flaky'.  Pointer: 0. Type: 'SMS_TaskSequence_RunCommandLineAction'. Disabled: 0",
            4,
          ),
          line('Set a global environment variable SMSTSRetryRequested=true', 5),
          line('Successfully completed the action (Flaky) with the exit win32 code 3010', 9),
          line(
            "Start executing an instruction. Instruction name: 'Flaky'.  Pointer: 0. Type: 'SMS_TaskSequence_RunCommandLineAction'. Disabled: 0",
            10,
          ),
          line('Successfully completed the action (Flaky) with the exit win32 code 0', 12),
          line('Process completed with exit code 0', 13, 'TSMBootstrap'),
        ].join(''),
      );
      const out = path.join(dir, 'replay.tsq.yaml');
      const r = await tsq('log', '--machine-out', out, log);
      assert.equal(r.code, 0, r.err);
      const text = fs.readFileSync(out, 'utf8');
      assert.match(text, /^firmware: bios$/m);
      assert.match(text, /^startsIn: winpe$/m);
      assert.match(text, /^hardware: \{ model: Latitude 7440 \}$/m);
      assert.match(text, /^variables: \{ OSDComputerName: LAB-PC01 \}$/m);
      assert.match(
        text,
        /^ {2}Flaky:\n {4}runs:\n {6}- \{ exitCode: 3010, duration: 5, variables: \{ SMSTSRetryRequested: "true" \} \}\n {6}- \{ exitCode: 0, duration: 2 \}$/m,
      );
      assert.doesNotMatch(text, /_SMSTS/, 'read-only variables are never written');
      assert.equal((await tsq('lint', out)).code, 0);
    });
  });

  it("tells a start in Windows PE from the log folder when _SMSTSInWinPE is not in the log (X: is Windows PE's RAM drive)", async () => {
    // "In Windows PE before Format and Partition Disk step: X:\\Windows\\temp\\smstslog\\smsts.log (X is the Windows PE RAM drive)",
    // https://learn.microsoft.com/mem/configmgr/core/plan-design/hierarchy/about-log-files#task-sequence-log-locations
    await inTempDir(async (dir) => {
      const log = path.join(dir, 'smsts.log');
      const line = (message: string, component = 'TSManager') =>
        `<![LOG[${message}]LOG]!><time="08:00:00.000+000" date="01-15-2026" component="${component}" context="" type="1" thread="1" file="">\r\n`;
      fs.writeFileSync(
        log,
        [
          line('Set a global environment variable _SMSTSLogPath=X:\\WINDOWS\\TEMP\\SMSTSLog'),
          line(
            "Start executing an instruction. Instruction name: 'Partition'.  Pointer: 0. Type: 'SMS_TaskSequence_PartitionDiskAction'. Disabled: 0",
          ),
          line('Successfully completed the action (Partition) with the exit win32 code 0'),
          line('Process completed with exit code 0', 'TSMBootstrap'),
        ].join(''),
      );
      const out = path.join(dir, 'replay.tsq.yaml');
      assert.equal((await tsq('log', '--machine-out', out, log)).code, 0);
      assert.match(fs.readFileSync(out, 'utf8'), /^startsIn: winpe$/m);
    });
  });

  it('never writes over an input or through a link, and leaves the input as it was', async () => {
    await inTempDir(async (dir) => {
      const log = path.join(dir, 'smsts.log');
      fs.copyFileSync(sampleLogPaths('01-simple-success')[0], log);
      const before = fs.readFileSync(log);
      const over = await tsq('log', '--machine-out', log, log);
      assert.equal(over.code, 2);
      assert.match(over.err, /never writes an output over its input/);
      assert.deepEqual(fs.readFileSync(log), before);
      const link = path.join(dir, 'link.tsq.yaml');
      fs.symlinkSync(path.join(dir, 'elsewhere.tsq.yaml'), link);
      const through = await tsq('log', '--machine-out', link, log);
      assert.equal(through.code, 2);
      assert.match(through.err, /symbolic link/);
      assert.equal(fs.existsSync(path.join(dir, 'elsewhere.tsq.yaml')), false);
    });
  });
});
