// Rebuilding a run from what the engine writes, beyond the four samples: logs that stop at a
// restart or in the middle of a step, several runs in one smsts.log (it keeps growing in the
// client's log folder after the run, https://learn.microsoft.com/mem/configmgr/core/plan-design/hierarchy/about-log-files#task-sequence-log-locations),
// the older wording of the instruction line quoted in
// https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/troubleshoot-install-application-step,
// "Task Sequence environment not found" after a restart the engine did not control
// (https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/task-sequence-fails-multiple-restarts),
// a step run again, names that hold quotes and brackets, and lines of other processes
// interleaved with the engine's.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RUN_COMMAND_LINE, entriesOf, entry, expected, logOf, readOk, sampleInputs, startLine } from './helpers';
import { readRunLogs } from '../../server/src/runlog/read';
import { MAX_INSTRUCTIONS } from '../../server/src/runlog/scan';

const ok = (name: string, code = 0) => `Successfully completed the action (${name}) with the exit win32 code ${code}`;
const engineDone = (code: number): [string, { component: string }] => [
  `Process completed with exit code ${code}`,
  { component: 'TSMBootstrap' },
];

describe('logs that do not show the end of the run', () => {
  it('a log that stops where the computer restarted is incomplete, and says the next log is missing', () => {
    const log = readOk([
      logOf([
        startLine('Restart in Windows PE', 0, 'SMS_TaskSequence_RebootAction'),
        'Set command line: smsboot.exe /target:WinPE',
        ok('Restart in Windows PE'),
        'The action (Restart in Windows PE) initiated a reboot request',
        ['Execution engine result code: Reboot (2)', { type: 2 }],
        engineDone(2147945410),
      ]),
    ]);
    assert.equal(log.run.result, 'incomplete');
    assert.match(log.run.incompleteReason!, /restarted/);
    assert.deepEqual(
      log.run.scan.restarts.map((r) => [r.after.name, r.target]),
      [['Restart in Windows PE', 'WinPE']],
    );
  });

  it('a log cut in the middle of a step is incomplete, and that step has no status', () => {
    const log = readOk([
      logOf([
        startLine('Copy files', 0, RUN_COMMAND_LINE),
        ok('Copy files'),
        startLine('Apply image', 1, 'SMS_TaskSequence_ApplyOperatingSystemAction'),
        'Executing command line: OSDApplyOS.exe /image:CM100042,3',
      ]),
    ]);
    assert.equal(log.run.result, 'incomplete');
    assert.deepEqual(
      log.run.executions.map((e) => [e.name, e.status]),
      [
        ['Copy files', 'succeeded'],
        ['Apply image', undefined],
      ],
    );
  });

  it('"Task Sequence environment not found" fails the run', () => {
    const log = readOk([
      logOf([startLine('A', 0, RUN_COMMAND_LINE), ok('A'), ['Task Sequence environment not found.', { type: 3 }]]),
    ]);
    assert.equal(log.run.result, 'failed');
  });
});

describe('what the engine writes in other shapes', () => {
  it('reads the older instruction line ("Instructionname: X. Instruction pointer: N")', () => {
    const log = readOk([
      logOf([
        'Start executing an instruction. Instructionname: Install Application. Instruction pointer: 32',
        ok('Install Application'),
        engineDone(0),
      ]),
    ]);
    assert.deepEqual(
      log.run.executions.map((e) => [e.name, e.pointer, e.status]),
      [['Install Application', 32, 'succeeded']],
    );
    assert.equal(log.run.result, 'succeeded');
  });

  it('reads names that hold quotes, brackets and periods', () => {
    const name = `Set TS Var "Finish" (v2.0). It's done`;
    const log = readOk([logOf([startLine(name, 0, 'SMS_TaskSequence_SetVariableAction'), ok(name, 0), engineDone(0)])]);
    assert.equal(log.run.executions[0].name, name);
    assert.equal(log.run.executions[0].status, 'succeeded');
  });

  it('a failure named in the "Failed to run the action" line is the current step even when its name holds ". "', () => {
    const name = 'Run script No. 5';
    const log = readOk([
      logOf([
        startLine(name, 0, RUN_COMMAND_LINE),
        `Failed to run the action: ${name}.\nIncorrect function. (Error: 00000001; Source: Windows)`,
        startLine('Next', 1, RUN_COMMAND_LINE),
        ok('Next'),
        engineDone(0),
      ]),
    ]);
    assert.deepEqual(
      log.run.executions.map((e) => [e.name, e.status, e.exitCode]),
      [
        [name, 'failed-continued', 1],
        ['Next', 'succeeded', 0],
      ],
    );
  });

  it('a disabled group and a group passed over without a word are told apart from the groups that ran', () => {
    const log = readOk([
      logOf([
        startLine('Old tools', 0, '', true),
        startLine('Pilot only', 1, ''),
        // Its one step (pointer 2) never starts: the engine goes on after the group.
        startLine('Ran', 3, ''),
        'The group (Ran) has been successfully started',
        startLine('Step', 4, RUN_COMMAND_LINE),
        ok('Step'),
        engineDone(0),
      ]),
    ]);
    assert.deepEqual(
      log.run.executions.map((e) => [e.path, e.status]),
      [
        ['Old tools', 'disabled'],
        ['Pilot only', 'skipped'],
        ['Ran', 'succeeded'],
        ['Ran/Step', 'succeeded'],
      ],
    );
  });

  it('a step run again (a retry after a restart) appears twice, each time with its own outcome', () => {
    const log = readOk([
      logOf([
        startLine('Install updates', 0, 'SMS_TaskSequence_InstallUpdateAction'),
        ok('Install updates', 3010),
        'The action (Install updates) initiated a reboot request',
        engineDone(2147945410),
        '==============================[ TSMBootStrap.exe ]==============================',
        'Set a global environment variable _SMSTSInWinPE=false',
        startLine('Install updates', 0, 'SMS_TaskSequence_InstallUpdateAction'),
        ok('Install updates', 0),
        engineDone(0),
      ]),
    ]);
    assert.deepEqual(
      log.run.executions.map((e) => [e.name, e.status, e.exitCode]),
      [
        ['Install updates', 'succeeded', 3010],
        ['Install updates', 'succeeded', 0],
      ],
    );
    assert.deepEqual(
      log.run.scan.restarts.map((r) => r.target),
      ['HD'],
    );
    assert.equal(log.run.result, 'succeeded');
  });

  it('keeps the last of several runs in one log, and says so', () => {
    const one = [
      startLine('Only step', 0, RUN_COMMAND_LINE),
      'Failed to run the action: Only step.\nAccess is denied. (Error: 00000005; Source: Windows)',
      'Failed to run the last action: Only step. Execution of task sequence failed.\nAccess is denied. (Error: 00000005; Source: Windows)',
    ];
    const two = [
      '==============================[ TSMBootStrap.exe ]==============================',
      startLine('Only step', 0, RUN_COMMAND_LINE),
      ok('Only step'),
      engineDone(0),
    ];
    const log = readOk([logOf([...one, ...two])]);
    assert.equal(log.run.result, 'succeeded');
    assert.deepEqual(
      log.run.executions.map((e) => e.status),
      ['succeeded'],
    );
    assert.ok(log.notes.some((n) => /1 earlier run/.test(n)));
  });
});

describe('interleaved and cut lines', () => {
  it("gives sample 02 the same run with other processes' lines, cut entries and fragments woven in", () => {
    const input = sampleInputs('02-nested-failure')[0];
    const entries = entriesOf(input.bytes);
    // A fixed pseudo-random weave, so the test is the same every time.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const woven: string[] = [];
    for (const e of entries) {
      woven.push(e);
      const r = next();
      if (r < 0.15)
        woven.push(
          '<![LOG[Progress UI refreshed]LOG]!><time="09:40:10.000-60" date="11-17-2026" component="TSProgressUI" context="" type="1" thread="777" file="progressui.cpp:1">\r\n',
        );
      else if (r < 0.25)
        woven.push(
          '4.001-60" date="11-17-2026" component="TSProgressUI" context="" type="1" thread="777" file="">\r\n',
        );
      else if (r < 0.3) woven.push('<![LOG[Updating the progress bar to step ');
    }
    const log = readOk([{ name: 'smsts.log', bytes: Buffer.from(woven.join(''), 'utf8') }]);
    const want = expected('02-nested-failure');
    assert.deepEqual(
      log.run.executions.map((e) => [e.path, e.status, e.exitCode ?? null]),
      want.steps.map((s) => [s.path, s.status, s.exitCode]),
    );
    assert.ok(log.files[0].truncatedEntries > 0 && log.files[0].strayLines > 0, 'the damage was there to read past');
    assert.ok(log.notes.some((n) => /cut off/.test(n)));
  });

  it('makes good a lost outcome line from the variables the engine set after the step', () => {
    const log = readOk([
      logOf([
        startLine('Script', 0, RUN_COMMAND_LINE),
        'Executing command line: smsswd.exe /run: cmd /c exit 4',
        'Set a global environment variable _SMSTSLastActionRetCode=4',
        'Set a global environment variable _SMSTSLastActionSucceeded=false',
        startLine('Next', 1, RUN_COMMAND_LINE),
        ok('Next'),
        engineDone(0),
      ]),
    ]);
    assert.deepEqual(
      log.run.executions.map((e) => [e.name, e.status, e.exitCode]),
      [
        ['Script', 'failed-continued', 4],
        ['Next', 'succeeded', 0],
      ],
    );
  });
});

describe('hostile logs stay bounded', () => {
  it('refuses a log that starts more instructions than any run has, naming the file', () => {
    const text = entry(startLine('Again', 0, RUN_COMMAND_LINE)).repeat(MAX_INSTRUCTIONS + 1);
    const r = readRunLogs([{ name: 'smsts.log', bytes: Buffer.from(text) }]);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.problem.file, 'smsts.log');
      assert.match(r.problem.message, /more than 200,000 instructions/);
    }
  });
});
