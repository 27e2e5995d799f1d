// The debugger's `deployment`, `media` and `at` launch options over DAP (dist/debug.js): the
// run starts as the deployment or the media starts it — the Debug Console shows the content
// retries and the maintenance window before the run's log, the clock starts in the window, the
// program defaults to the deployment's or the media's sequence — and a deployment that never
// starts ends the session with the reason.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT } from '../simulator/helpers';
import { collectOutput, launch, lineOf, nextEvent, startClient } from './helpers';

const example = (name: string) => path.join(ROOT, 'examples', name);
const DEPLOY = example('deploy-windows-11.tsq.yaml');
const PILOT = example('pilot-deployment.tsq.yaml');
const LAPTOP = example('pilot-laptop.tsq.yaml');
const OFFLINE = example('offline-media.tsq.yaml');

let dc: DebugClient;
beforeEach(async () => {
  dc = await startClient();
});
afterEach(async () => {
  await dc.stop();
});

async function machineValue(name: string): Promise<string | undefined> {
  const scopes = await dc.scopesRequest({ frameId: 0 });
  const machine = scopes.body.scopes.find((s) => s.name === 'Machine')!;
  const vars = await dc.variablesRequest({ variablesReference: machine.variablesReference });
  return vars.body.variables.find((v) => v.name === name)?.value;
}

describe('launching a deployment', () => {
  it('runs the deployment’s sequence from its start in the maintenance window, after showing the retries', async () => {
    const out = collectOutput(dc);
    const stopped = await (await launch(dc, { deployment: PILOT, machine: LAPTOP, stopOnEntry: true })).stopped;
    assert.equal(stopped.body.reason, 'entry');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0].source?.path, DEPLOY, 'the program is the deployment’s sequence');
    assert.equal(await machineValue('Clock (UTC)'), '2025-03-08 22:30:00');
    const text = out();
    assert.match(text, /2025-03-03 09:00:00 ! LocationServices +Retry 1: content still not found/);
    assert.match(text, /2025-03-03 11:00:00   LocationServices +Retry 3: all content found/);
    assert.match(text, /2025-03-08 22:30:00   ServiceWindowManager “Saturday night”/);
    assert.ok(text.indexOf('Retry 3') < text.indexOf('Task sequence "Deploy Windows 11" starts'));
  });

  it('ends with the summary and the window the run used', async () => {
    const out = collectOutput(dc);
    const { terminated } = await launch(dc, { deployment: PILOT, machine: LAPTOP });
    await terminated;
    assert.match(out(), /✔ Succeeded in .* of simulated time, 22:30:00–22:3\d:\d\d\./);
    assert.match(out(), /Started Saturday 2025-03-08 22:30:00 in the maintenance window “Saturday night”/);
  });

  it('takes `at` as when the client gets the deployment: after the deadline it waits for the next window', async () => {
    await (
      await launch(dc, { deployment: PILOT, machine: LAPTOP, at: '2025-03-10 09:00', stopOnEntry: true })
    ).stopped;
    assert.equal(await machineValue('Clock (UTC)'), '2025-03-15 22:00:00');
  });

  it('refuses an `at` it cannot read', async () => {
    await dc.initializeRequest();
    await assert.rejects(
      dc.launchRequest({ deployment: PILOT, at: 'next Saturday' } as DebugProtocol.LaunchRequestArguments),
      /`at` takes a date and time/,
    );
  });

  it('ends the session with the reason when the deployment never starts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-dap-'));
    try {
      const d = path.join(dir, 'late.tsq.yaml');
      fs.writeFileSync(
        d,
        fs
          .readFileSync(PILOT, 'utf8')
          .replace('deadline: 2025-03-08 22:30', 'deadline: 2025-03-10 09:00')
          .replace('sequence: ./', `sequence: ${path.join(ROOT, 'examples')}/`) + 'expiresAt: 2025-03-12 00:00\n',
      );
      const out = collectOutput(dc);
      const exited = nextEvent<DebugProtocol.ExitedEvent>(dc, 'exited');
      await (
        await launch(dc, { deployment: d, machine: LAPTOP })
      ).terminated;
      assert.equal((await exited).body.exitCode, 1);
      assert.match(out(), /✘ Nothing ran: the deployment expires at Wednesday 2025-03-12 00:00/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('launching from media', () => {
  it('runs the stand-alone media’s sequence on its machine, without a network', async () => {
    const out = collectOutput(dc);
    await (
      await launch(dc, { media: OFFLINE, stopOnEntry: true })
    ).stopped;
    assert.equal(
      (await dc.evaluateRequest({ expression: '_SMSTSMediaType', context: 'repl' })).body.result,
      '"FullMedia"',
    );
    assert.equal(await machineValue('Content'), 'downloadWhenNeeded, standalone media');
    assert.equal(await machineValue('Clock (UTC)'), '2025-03-01 00:00:00', 'the media’s first valid day');
    assert.match(out(), /TSMBootstrap +The computer starts from the stand-alone media "Windows 11 offline"/);
    assert.match(out(), /No network: the sequence and its content come from the media/);
  });

  it('stops at breakpoints in the media’s sequence', async () => {
    const line = lineOf(DEPLOY, '- name: Apply Windows 11 Enterprise');
    const stopped = await (await launch(dc, { media: OFFLINE }, [{ file: DEPLOY, lines: [line] }])).stopped;
    assert.equal(stopped.body.reason, 'breakpoint');
  });

  it('refuses bootable media without a deployment, saying so', async () => {
    await dc.initializeRequest();
    await assert.rejects(
      dc.launchRequest({ media: example('pxe-rescue-media.tsq.yaml') } as DebugProtocol.LaunchRequestArguments),
      /give the deployment too/,
    );
  });
});
