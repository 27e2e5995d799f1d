// The debug adapter over DAP, started as its own process (dist/debug.js) and driven by
// @vscode/debugadapter-testsupport's DebugClient: launching and refusing bad input, breakpoints
// (moved to a node's first line, conditions, hit counts, log messages), stepping (over, in, out,
// back, reverse continue, goto), variables and setVariable, evaluate, exception breakpoints,
// termination with a summary — and Microsoft's continue-on-error example (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSGroups).

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FIXTURES, ROOT } from '../simulator/helpers';
import { collectOutput, launch, lineOf, nextEvent, startClient, topLine } from './helpers';

const DEPLOY = path.join(ROOT, 'examples', 'deploy-windows-11.tsq.yaml');
const APPS = path.join(ROOT, 'examples', 'install-apps.tsq.yaml');
const LAB = path.join(ROOT, 'examples', 'lab-vm.tsq.yaml');
const TABLE = path.join(FIXTURES, 'continue-on-error-table.tsq.yaml');
const line = (text: string, file = DEPLOY) => lineOf(file, text);

let dc: DebugClient;
beforeEach(async () => {
  dc = await startClient();
});
afterEach(async () => {
  await dc.stop();
});

describe('launching', () => {
  it('stops on entry at the first node, with the top sequence as the outer frame', async () => {
    const stopped = await (await launch(dc, { program: DEPLOY, machine: LAB, stopOnEntry: true })).stopped;
    assert.equal(stopped.body.reason, 'entry');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(
      st.body.stackFrames.map((f) => [f.name, f.line]),
      [
        ['group Prepare the disk', line('- group: Prepare the disk')],
        ['Deploy Windows 11', line('sequence: Deploy Windows 11')],
      ],
    );
    assert.equal(st.body.stackFrames[0].source?.path, DEPLOY);
  });

  it('refuses a sequence with lint errors and shows them', async () => {
    const out = collectOutput(dc);
    await dc.initializeRequest();
    await assert.rejects(
      dc.launchRequest({
        program: path.join(ROOT, 'examples', 'broken', 'deploy.tsq.yaml'),
      } as DebugProtocol.LaunchRequestArguments),
      /cannot simulate deploy\.tsq\.yaml: the input has \d+ errors/,
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.match(out(), /\[broken-reference\]/);
  });

  it('refuses a sequence with lint errors before any stop, also when asked to stop on entry', async () => {
    // The input check finishes before the first stop is shown (docs/simulator.md says why it is not deferred).
    const shown: string[] = [];
    dc.on('stopped', () => shown.push('stopped'));
    dc.on('initialized', () => shown.push('initialized'));
    await dc.initializeRequest();
    await assert.rejects(
      dc.launchRequest({
        program: path.join(ROOT, 'examples', 'broken', 'deploy.tsq.yaml'),
        stopOnEntry: true,
      } as DebugProtocol.LaunchRequestArguments),
      /cannot simulate deploy\.tsq\.yaml: the input has \d+ errors/,
    );
    await dc.configurationDoneRequest();
    // A request answered after the refusal: any event the launch made came before it.
    await dc.threadsRequest();
    assert.deepEqual(shown, []);
  });

  it('refuses a missing program with a message', async () => {
    await dc.initializeRequest();
    await assert.rejects(
      dc.launchRequest({
        program: path.join(FIXTURES, 'nothing-here.tsq.yaml'),
      } as DebugProtocol.LaunchRequestArguments),
      /No such file/,
    );
  });

  it('runs to the end without breakpoints, printing the log and a summary, then terminates', async () => {
    const out = collectOutput(dc);
    await (
      await launch(dc, { program: DEPLOY, machine: LAB })
    ).terminated;
    assert.match(out(), /TSManager +Running "Apply Windows 11 Enterprise"/);
    assert.match(out(), /✔ Succeeded in 39 min 34 s of simulated time/);
  });
});

describe('breakpoints', () => {
  it('verifies a breakpoint on an inner line of a step at the step’s first line, and one between nodes at the next node', async () => {
    const {
      breakpoints: [resp],
      stopped: first,
    } = await launch(dc, { program: DEPLOY, machine: LAB }, [
      {
        file: DEPLOY,
        lines: [line('action: ApplyOperatingSystemImage'), line('- group: Install Windows') - 1, 10_000],
      },
    ]);
    const [inner, between, beyond] = resp.body.breakpoints;
    assert.deepEqual([inner.verified, inner.line], [true, line('- name: Apply Windows 11 Enterprise')]);
    assert.deepEqual([between.verified, between.line], [true, line('- group: Install Windows')]);
    assert.equal(beyond.verified, false);
    assert.match(beyond.message ?? '', /no step or group/);
    const stopped = await first;
    assert.equal(stopped.body.reason, 'breakpoint');
    assert.equal(await topLine(dc), line('- group: Install Windows'));
    await Promise.all([dc.waitForEvent('stopped'), dc.continueRequest({ threadId: 1 })]);
    assert.equal(await topLine(dc), line('- name: Apply Windows 11 Enterprise'));
  });

  it('stops only where its when-language condition holds', async () => {
    const launched = await launch(dc, { program: DEPLOY, machine: LAB }, [
      {
        file: DEPLOY,
        lines: [
          { line: line('- name: Apply Windows settings'), condition: 'OSDisk == "D:"' },
          {
            line: line('- name: Run setup script'),
            condition: '_SMSTSInWinPE == "false" and ContosoDeployedRing == "pilot"',
          },
        ],
      },
    ]);
    await launched.stopped;
    assert.equal(await topLine(dc), line('- name: Run setup script'));
  });

  it('reports a condition it cannot read as unverified', async () => {
    const {
      breakpoints: [resp],
    } = await launch(dc, { program: DEPLOY, machine: LAB, stopOnEntry: true }, [
      { file: DEPLOY, lines: [{ line: line('- name: Run setup script'), condition: 'Ring = "x"' }] },
    ]);
    assert.equal(resp.body.breakpoints[0].verified, false);
    assert.match(resp.body.breakpoints[0].message ?? '', /condition cannot be read/);
  });

  it('counts hits and stops at the one the hit condition names', async () => {
    const file = path.join(FIXTURES, 'loop.tsq.yaml');
    await (
      await launch(dc, { program: file, machine: path.join(FIXTURES, 'loop-machine.tsq.yaml') }, [
        { file, lines: [{ line: lineOf(file, '- name: Again'), hitCondition: '3' }] },
      ])
    ).stopped;
    const v = await dc.evaluateRequest({ expression: 'Round', context: 'repl' });
    assert.equal(v.body.result, '"3"', 'stopped at the third arrival');
  });

  it('writes a log message instead of stopping, with {expressions} and %Var% filled in', async () => {
    const out = collectOutput(dc);
    await (
      await launch(dc, { program: DEPLOY, machine: LAB, showLog: false }, [
        {
          file: DEPLOY,
          lines: [
            {
              line: line('- name: Run setup script'),
              logMessage: 'ring {ContosoDeployedRing} on %OSDComputerName%, in PE: {_SMSTSInWinPE == "true"}',
            },
          ],
        },
      ])
    ).terminated;
    assert.match(out(), /ring pilot on LAB-PC01, in PE: false — _SMSTSInWinPE is "false", not "true"/);
  });

  it('stops in a child sequence file', async () => {
    await (
      await launch(dc, { program: DEPLOY, machine: LAB }, [{ file: APPS, lines: [lineOf(APPS, '- name: Tools')] }])
    ).stopped;
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(
      st.body.stackFrames.map((f) => [f.name, path.basename(f.source!.path!)]),
      [
        ['Tools', 'install-apps.tsq.yaml'],
        ['group Standard applications', 'install-apps.tsq.yaml'],
        ['Applications → "Install standard applications"', 'deploy-windows-11.tsq.yaml'],
        ['group Configure', 'deploy-windows-11.tsq.yaml'],
        ['Deploy Windows 11', 'deploy-windows-11.tsq.yaml'],
      ],
    );
  });

  it('lists the lines where breakpoints can go', async () => {
    await (
      await launch(dc, { program: DEPLOY, machine: LAB, stopOnEntry: true })
    ).stopped;
    const r = (await dc.customRequest('breakpointLocations', {
      source: { path: DEPLOY },
      line: 25,
      endLine: 35,
    })) as DebugProtocol.BreakpointLocationsResponse;
    assert.deepEqual(
      r.body.breakpoints.map((b) => b.line),
      [
        line('- group: Install Windows'),
        line('- name: Apply Windows 11 Enterprise'),
        line('- name: Apply Windows settings'),
      ],
    );
  });
});

describe('stepping', () => {
  async function at(): Promise<string> {
    return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].name;
  }
  async function step(kind: 'next' | 'stepIn' | 'stepOut' | 'stepBack'): Promise<string> {
    const stopped = dc.waitForEvent('stopped');
    if (kind === 'next') await dc.nextRequest({ threadId: 1 });
    else if (kind === 'stepIn') await dc.stepInRequest({ threadId: 1 });
    else if (kind === 'stepOut') await dc.stepOutRequest({ threadId: 1 });
    else await dc.stepBackRequest({ threadId: 1 });
    await stopped;
    return at();
  }

  it('steps over a group, into a group, out of it, and into a child sequence', async () => {
    await (
      await launch(dc, { program: DEPLOY, machine: LAB, stopOnEntry: true })
    ).stopped;
    assert.equal(await at(), 'group Prepare the disk');
    assert.equal(await step('next'), 'group Install Windows');
    assert.equal(await step('stepIn'), 'Apply Windows 11 Enterprise');
    assert.equal(await step('next'), 'Apply Windows settings');
    assert.equal(await step('stepOut'), 'group Configure');
    assert.equal(await step('stepIn'), 'Record the deployment ring');
    assert.equal(await step('next'), 'Run setup script');
    assert.equal(await step('next'), 'Install Contoso branding');
    assert.equal(await step('next'), 'Applications');
    assert.equal(await step('stepIn'), 'group Standard applications');
  });

  it('steps back over what "next" did, to the same state', async () => {
    await (
      await launch(dc, { program: DEPLOY, machine: LAB, stopOnEntry: true })
    ).stopped;
    assert.equal(await step('next'), 'group Install Windows');
    const inPe = await dc.evaluateRequest({ expression: '_SMSTSInWinPE', context: 'repl' });
    assert.equal(await step('next'), 'group Configure');
    assert.equal((await dc.evaluateRequest({ expression: '_SMSTSInWinPE', context: 'repl' })).body.result, '"false"');
    assert.equal(await step('stepBack'), 'group Install Windows');
    assert.equal(
      (await dc.evaluateRequest({ expression: '_SMSTSInWinPE', context: 'repl' })).body.result,
      inPe.body.result,
    );
    assert.equal(await step('stepBack'), 'group Prepare the disk');
  });

  it('continues backwards to the previous breakpoint', async () => {
    const bps = [line('- name: Apply Windows 11 Enterprise'), line('- name: Run setup script')];
    await (
      await launch(dc, { program: DEPLOY, machine: LAB }, [{ file: DEPLOY, lines: bps }])
    ).stopped;
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(await topLine(dc), bps[1]);
    await Promise.all([dc.reverseContinueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(await topLine(dc), bps[0]);
    assert.equal((await dc.evaluateRequest({ expression: 'OSDisk', context: 'repl' })).body.result, '"C:"');
    await Promise.all([dc.reverseContinueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(await topLine(dc), line('- group: Prepare the disk'), 'no earlier breakpoint: back at the start');
  });

  it('moves the next step with goto, and the run continues from there', async () => {
    await (
      await launch(dc, {
        program: DEPLOY,
        machine: path.join(ROOT, 'examples', 'refresh-desktop.tsq.yaml'),
        stopOnEntry: true,
      })
    ).stopped;
    const targets = await dc.gotoTargetsRequest({
      source: { path: DEPLOY },
      line: line('- name: Install Contoso branding') + 1,
    });
    assert.equal(targets.body.targets.length, 1);
    assert.equal(targets.body.targets[0].line, line('- name: Install Contoso branding'));
    const stopped = dc.waitForEvent('stopped');
    await dc.gotoRequest({ threadId: 1, targetId: targets.body.targets[0].id });
    assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'goto');
    assert.deepEqual(
      (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => f.name),
      ['Install Contoso branding', 'group Configure', 'Deploy Windows 11'],
    );
    assert.equal(await step('next'), 'Applications');
  });

  it('pauses a long run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-dap-'));
    try {
      const file = path.join(dir, 'long.tsq.yaml');
      const lines = ['sequence: Long', 'steps:'];
      for (let i = 0; i < 60_000; i++)
        lines.push(
          `  - { name: Step ${i}, action: SetTaskSequenceVariable, with: { variable: Counter, value: "${i}" } }`,
        );
      fs.writeFileSync(file, lines.join('\n') + '\n');
      await (
        await launch(dc, { program: file, stopOnEntry: true, showLog: false })
      ).stopped;
      // Pause is sent right behind continue, without waiting for continue's answer: the adapter
      // reads it between two slices of the run, so the run cannot end first however fast it is.
      const stopped = dc.waitForEvent('stopped');
      await Promise.all([dc.continueRequest({ threadId: 1 }), dc.pauseRequest({ threadId: 1 })]);
      assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'pause');
      const counter = Number(
        JSON.parse((await dc.evaluateRequest({ expression: 'Counter', context: 'repl' })).body.result),
      );
      assert.ok(counter > 0 && counter < 59_999, `paused part-way (at ${counter})`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restarts from the beginning, keeping the breakpoints', async () => {
    const bp = line('- name: Apply Windows settings');
    const launched = await launch(dc, { program: DEPLOY, machine: LAB }, [{ file: DEPLOY, lines: [bp] }]);
    const id = launched.breakpoints[0].body.breakpoints[0].id;
    assert.deepEqual((await launched.stopped).body.hitBreakpointIds, [id]);
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.restartRequest({});
    assert.deepEqual((await stopped).body.hitBreakpointIds, [id], 'the client knows the breakpoint by the same ID');
    assert.equal(await topLine(dc), bp);
    assert.equal(
      (await dc.evaluateRequest({ expression: '_SMSTSCurrentActionName', context: 'repl' })).body.result,
      '"Apply Windows 11 Enterprise"',
    );
  });
});

describe('variables and evaluation', () => {
  async function scope(name: RegExp): Promise<DebugProtocol.Variable[]> {
    const scopes = await dc.scopesRequest({ frameId: 0 });
    const s = scopes.body.scopes.find((x) => name.test(x.name));
    assert.ok(s, `a scope matching ${name}`);
    return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
  }

  it('shows task sequence variables, read-only built-in variables and the machine', async () => {
    await (
      await launch(dc, { program: DEPLOY, machine: LAB }, [
        { file: DEPLOY, lines: [line('- name: Apply Windows settings')] },
      ])
    ).stopped;
    const custom = await scope(/^Task sequence variables/);
    assert.equal(custom.find((v) => v.name === 'OSDisk')?.value, 'C:');
    assert.ok(!custom.some((v) => v.name.startsWith('_')));
    const builtIn = await scope(/^Built-in variables/);
    assert.equal(builtIn.find((v) => v.name === '_SMSTSLastActionName')?.value, 'Apply Windows 11 Enterprise');
    const machine = await scope(/^Machine/);
    assert.equal(machine.find((v) => v.name === 'Environment')?.value, 'Windows PE');
    assert.equal(machine.find((v) => v.name === 'Windows on the disk')?.value, 'applied, not yet set up');
    const facts = machine.find((v) => v.name === 'Facts')!;
    const factList = (await dc.variablesRequest({ variablesReference: facts.variablesReference })).body.variables;
    assert.deepEqual(
      factList.map((v) => v.name),
      ['wmi'],
    );
  });

  it('sets a variable, which the run then uses, and refuses a read-only one with the reason', async () => {
    await (
      await launch(dc, { program: DEPLOY, machine: LAB }, [{ file: DEPLOY, lines: [line('- name: Run setup script')] }])
    ).stopped;
    const scopes = await dc.scopesRequest({ frameId: 0 });
    const [custom, builtIn] = scopes.body.scopes;
    const set = await dc.setVariableRequest({
      variablesReference: custom.variablesReference,
      name: 'OSDComputerName',
      value: '"LAB-PC99"',
    });
    assert.equal(set.body.value, 'LAB-PC99');
    await assert.rejects(
      dc.setVariableRequest({ variablesReference: builtIn.variablesReference, name: '_SMSTSInWinPE', value: 'true' }),
      /read-only/,
    );
    await assert.rejects(
      dc.setVariableRequest({ variablesReference: custom.variablesReference, name: '_SMSTSInWinPE', value: 'true' }),
      /read-only/,
    );
    const out = collectOutput(dc);
    await Promise.all([dc.nextRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.match(out(), /cmd\.exe \/c setup\.cmd LAB-PC99 pilot/);
  });

  it('evaluates %Var% text, variable names and conditions in the console, and variables on hover', async () => {
    await (
      await launch(dc, { program: DEPLOY, machine: LAB, stopOnEntry: true })
    ).stopped;
    const ev = async (expression: string, context = 'repl') =>
      (await dc.evaluateRequest({ expression, context })).body.result;
    assert.equal(await ev('%OSDComputerName%'), '"LAB-PC01"');
    assert.equal(await ev('name is %OSDComputerName% in %ContosoRing%'), 'name is LAB-PC01 in pilot');
    assert.equal(await ev('ContosoRing'), '"pilot"');
    assert.equal(await ev('NotSet'), 'NotSet is not set');
    assert.equal(
      await ev('ContosoRing == "pilot" and _SMSTSInWinPE == "true"'),
      'true — ContosoRing is "pilot" and _SMSTSInWinPE is "true"',
    );
    assert.equal(await ev('ContosoRing', 'hover'), '"pilot"');
    await assert.rejects(dc.evaluateRequest({ expression: 'steps', context: 'hover' }));
    await assert.rejects(dc.evaluateRequest({ expression: 'Ring = "x"', context: 'repl' }), /==/);
  });
});

describe('exception breakpoints', () => {
  it('"Step failed" stops after a failed step, even one that continues on error, and explains it', async () => {
    const launched = await launch(
      dc,
      { program: TABLE, machine: path.join(FIXTURES, 'step1-fails.tsq.yaml') },
      [],
      ['stepFailed'],
    );
    const stopped = await launched.stopped;
    assert.equal(stopped.body.reason, 'exception');
    assert.equal(await topLine(dc), lineOf(TABLE, '- name: Task sequence step 1'));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'stepFailed');
    assert.match(info.body.description ?? '', /exit code 1 is not a success code.*continue on error/);
    await dc.continueRequest({ threadId: 1 });
    await launched.terminated;
  });

  it('"Sequence failed" stops before the run ends, then continuing ends it', async () => {
    const out = collectOutput(dc);
    const launched = await launch(
      dc,
      { program: TABLE, machine: path.join(FIXTURES, 'step4-fails.tsq.yaml') },
      [],
      ['sequenceFailed'],
    );
    const stopped = await launched.stopped;
    assert.equal(stopped.body.reason, 'exception');
    assert.equal((await dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'sequenceFailed');
    assert.deepEqual(
      (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => f.name),
      ['Task sequence step 4', 'group Task sequence group 2', "Continue on error (Microsoft's example)"],
    );
    await dc.continueRequest({ threadId: 1 });
    await launched.terminated;
    assert.match(out(), /✘ Failed at "Task sequence group 2\/Task sequence step 4"/);
  });

  it('does not stop for failures when no filter is set', async () => {
    await (
      await launch(dc, { program: TABLE, machine: path.join(FIXTURES, 'step4-fails.tsq.yaml') }, [], [])
    ).terminated;
  });
});

describe("Microsoft's continue-on-error example through the debugger", () => {
  /** The steps the run reaches, found with a breakpoint on each step. */
  async function reached(machine: string): Promise<{ steps: number[]; output: string }> {
    const out = collectOutput(dc);
    const stepLines = [1, 2, 3, 4, 5, 6].map((n) => lineOf(TABLE, `- name: Task sequence step ${n}`));
    const launched = await launch(
      dc,
      { program: TABLE, machine: path.join(FIXTURES, machine), showLog: false },
      [{ file: TABLE, lines: stepLines }],
      [],
    );
    const steps: number[] = [];
    const terminated = launched.terminated.then(() => 'terminated');
    let stopped: Promise<unknown> = launched.stopped;
    for (;;) {
      if ((await Promise.race([stopped.then(() => 'stopped'), terminated])) === 'terminated') break;
      steps.push(stepLines.indexOf(await topLine(dc)) + 1);
      stopped = nextEvent(dc, 'stopped');
      await dc.continueRequest({ threadId: 1 });
    }
    return { steps, output: out() };
  }

  it('step 1 fails: the run continues with step 2', async () => {
    const { steps, output } = await reached('step1-fails.tsq.yaml');
    assert.deepEqual(steps, [1, 2, 3, 4, 5, 6]);
    assert.match(output, /✔ Succeeded/);
  });

  it('step 2 fails: step 3 does not run; group 1 continues on error and step 4 runs next', async () => {
    const { steps, output } = await reached('step2-fails.tsq.yaml');
    assert.deepEqual(steps, [1, 2, 4, 5, 6]);
    assert.match(output, /✔ Succeeded/);
  });

  it('step 4 fails: no more steps run and the sequence fails', async () => {
    const { steps, output } = await reached('step4-fails.tsq.yaml');
    assert.deepEqual(steps, [1, 2, 3, 4]);
    assert.match(output, /✘ Failed at "Task sequence group 2\/Task sequence step 4"/);
  });
});
