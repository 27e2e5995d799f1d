// The four sample runs, written in the real format from the engine's messages, rebuilt as
// test/fixtures/runlog/*/expected.json says: a plain successful run (disabled step, a condition
// skip, exit 3010), a failure three groups deep after a continue-on-error group swallowed another
// (the rules of https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks:
// "By default, a task sequence group fails when any step or embedded group within the group
// fails"), a run with two restarts spread over a rolled-over UTF-16 file and smsts.log (the engine
// keeps "a log file history by appending a date and time stamp to the log file name",
// https://learn.microsoft.com/mem/configmgr/core/plan-design/hierarchy/about-log-files), and a
// failure inside a child sequence, whose steps are part of the parent's run ("The parent and child
// task sequences are effectively combined into a single policy",
// https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence).
// The reader must reach the same run with every line whose wording no source shows taken out.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLES, expected, readOk, sampleInputs, sampleSequence, withoutEntries, type Sample } from './helpers';
import type { RunLog } from '../../server/src/runlog/read';

/** The wordings no public source shows (docs/run-logs.md marks them "inferred"). */
const INFERRED: RegExp[] = [
  /^The (action|group) \(.*\) has been skipped because the condition/s,
  /^The condition for the (action|group) \(.*\) is evaluated to be false/s,
  /^The group \(.*\) ignored/s,
  /^The execution engine ignored/s,
  /^Let the parent group/s,
  /^Adding instruction at/,
  /^Execution engine result code: Success/,
  /^Task Sequence Manager returned code 0x00000000/,
  /^Start executing the child task sequence/,
];
/** How the Run Task Sequence step reports a failure climbing through it is an assumption too. */
const INFERRED_04 = [...INFERRED, /^The execution of the group \(Applications\)/s];

function statuses(log: RunLog) {
  return log.run.executions.map((e) => ({ path: e.path, status: e.status, exitCode: e.exitCode ?? null }));
}

function expectedStatuses(sample: Sample) {
  return expected(sample).steps.map((s) => ({ path: s.path, status: s.status, exitCode: s.exitCode }));
}

function fileName(log: RunLog, index: number): string {
  return log.files[index].name;
}

describe('the four sample runs, with their sequence', () => {
  for (const sample of SAMPLES) {
    it(`${sample}: the result, every step's status, exit code, times and deciding line`, () => {
      const want = expected(sample);
      const log = readOk(sampleInputs(sample), sampleSequence(sample));
      assert.equal(log.run.result, want.result);
      assert.deepEqual(statuses(log), expectedStatuses(sample));
      log.run.executions.forEach((e, i) => {
        const w = want.steps[i];
        assert.equal(e.pointer, w.pointer, `${w.path}: pointer`);
        assert.equal(e.startTime?.iso, w.start, `${w.path}: start`);
        assert.equal(e.endTime?.iso, w.end, `${w.path}: end`);
        assert.deepEqual(
          { file: fileName(log, e.start!.file), line: e.start!.line },
          w.startLine,
          `${w.path}: start line`,
        );
        assert.deepEqual(
          { file: fileName(log, e.decideRef!.file), line: e.decideRef!.line },
          w.line,
          `${w.path}: deciding line`,
        );
        if (w.message !== undefined) assert.equal(e.message, w.message, `${w.path}: message`);
        assert.equal(e.confidence, 'exact', `${w.path}: matched by pointer, name and class`);
      });
      assert.deepEqual(
        log.match!.unreached.map((n) => n.path),
        want.notReached,
      );
      assert.deepEqual(
        log.run.scan.restarts.map((r) => ({
          after: r.after.path,
          target: r.target,
          line: { file: fileName(log, r.ref.file), line: r.ref.line },
          at: r.time?.iso,
        })),
        want.restarts,
      );
      assert.deepEqual(
        log.order.map((i) => log.files[i].name),
        want.files,
        'the files in the order of the run',
      );
      for (const f of log.files) assert.equal(f.encoding, want.encodings[f.name]);
    });
  }
});

describe('the four sample runs, from the log alone', () => {
  for (const sample of SAMPLES) {
    it(`${sample}: the same statuses and paths without the sequence file`, () => {
      const log = readOk(sampleInputs(sample));
      assert.deepEqual(statuses(log), expectedStatuses(sample));
      assert.equal(log.run.result, expected(sample).result);
    });
  }

  it('01: takes the nesting from the instruction table the engine logs when it compiles the sequence', () => {
    const log = readOk(sampleInputs('01-simple-success'));
    assert.equal(log.run.structure, 'log');
    assert.equal(log.run.executions.find((e) => e.name === 'Write completion marker')!.path, 'Write completion marker');
  });

  it('02: the failure chain names the groups a failure climbed through, so their nesting is known', () => {
    const log = readOk(sampleInputs('02-nested-failure'));
    assert.equal(log.run.structure, 'inferred');
    assert.equal(log.run.failure!.step!.path, 'Configure/Security baseline/BitLocker/Enable BitLocker');
    assert.equal(log.run.failure!.message, 'Access is denied. (Error: 80070005; Source: Windows)');
    assert.equal(log.run.failure!.exitCode, -2147024891);
  });
});

describe('lines whose wording is only inferred are not needed', () => {
  for (const sample of SAMPLES) {
    it(`${sample}: the same run with every inferred line taken out`, () => {
      const patterns = sample === '04-child-failure' ? INFERRED_04 : INFERRED;
      const inputs = sampleInputs(sample);
      const stripped = inputs.map((i) => withoutEntries(i, patterns));
      const removed = inputs.reduce((n, i) => n + i.bytes.length, 0) - stripped.reduce((n, i) => n + i.bytes.length, 0);
      if (sample !== '03-restart-rollover') assert.ok(removed > 0, 'the sample had inferred lines to take out');
      for (const sequence of [sampleSequence(sample), undefined]) {
        const log = readOk(stripped, sequence);
        assert.equal(log.run.result, expected(sample).result);
        assert.deepEqual(statuses(log), expectedStatuses(sample));
      }
    });
  }
});

describe('rolled-over files', () => {
  it('orders the files by the pointers in them, not by the order given or the clock', () => {
    const inputs = sampleInputs('03-restart-rollover').reverse();
    assert.equal(inputs[0].name, 'smsts.log');
    const log = readOk(inputs);
    assert.deepEqual(
      log.order.map((i) => log.files[i].name),
      ['smsts-20261201-101500.log', 'smsts.log'],
    );
    assert.deepEqual(statuses(log), expectedStatuses('03-restart-rollover'));
  });

  it('orders by pointers even when the names say otherwise', () => {
    const [rolled, live] = sampleInputs('03-restart-rollover');
    const log = readOk([
      { name: 'smsts.log', bytes: rolled.bytes },
      { name: 'smsts-20261201-101500.log', bytes: live.bytes },
    ]);
    assert.deepEqual(
      log.order.map((i) => log.files[i].name),
      ['smsts.log', 'smsts-20261201-101500.log'],
    );
    assert.ok(log.notes.some((n) => /order of the instructions/.test(n)));
    assert.equal(log.run.result, 'succeeded');
  });

  it('reads an entry copied into two files once (a Windows PE log copied to the disk)', () => {
    const inputs = sampleInputs('01-simple-success');
    const log = readOk([inputs[0], { name: 'copy/smsts.log', bytes: inputs[0].bytes }]);
    assert.deepEqual(statuses(log), expectedStatuses('01-simple-success'));
  });

  it('shows a run whose beginning rolled away: the groups it started in come from the sequence', () => {
    const live = sampleInputs('03-restart-rollover').find((i) => i.name === 'smsts.log')!;
    const log = readOk([live], sampleSequence('03-restart-rollover'));
    const convert = log.run.executions.find((e) => e.name === 'Convert disk to GPT')!;
    assert.equal(convert.path, 'Offline work/Convert disk to GPT');
    assert.equal(convert.status, 'succeeded');
    assert.equal(convert.pointer, 5, 'the pointer the engine saved after it');
    assert.equal(convert.parent!.synthetic, true);
    assert.deepEqual(log.match!.unreached, [], 'the steps before the logs are not "not reached"');
    assert.equal(log.match!.beforeLogs, 4, 'pointers 0 to 3; the group it ran in started before the logs');
    assert.equal(log.run.result, 'succeeded');
  });
});
