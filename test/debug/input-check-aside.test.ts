// The debug adapter with its input checked in a worker (frontend/input-check.ts; on its own a
// large file on a machine with idle cores, here every file: TSQ_CHECK_ASIDE=always): the first
// stop is prepared while the check runs but shown only once it has cleared, so a refused sequence
// shows no stop, even with `stopOnEntry`, and a sound one stops on its first step as before.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, launch, startClient } from './helpers';

/** A sequence of `count` Run Command Line steps; `broken` makes the last one's action unknown. */
function largeSequence(count: number, broken: boolean): string {
  const lines = ['sequence: Large', 'steps:'];
  for (let i = 1; i <= count; i++) {
    const action = broken && i === count ? 'NoSuchStep' : 'RunCommandLine';
    lines.push(
      `  - name: Step ${i}`,
      `    action: ${action}`,
      `    with: { commandLine: 'cmd /c echo step ${i} of a sequence large enough to be checked beside the run' }`,
    );
  }
  return lines.join('\n') + '\n';
}

let dc: DebugClient;
let dir: string;
beforeEach(async () => {
  // The adapter started next inherits it.
  process.env.TSQ_CHECK_ASIDE = 'always';
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-dap-aside-'));
  dc = await startClient();
});
afterEach(async () => {
  await dc.stop();
  delete process.env.TSQ_CHECK_ASIDE;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a sequence checked beside the first stop', () => {
  it('refused: no stop and no initialized event, the errors shown, also with stopOnEntry', async () => {
    const program = path.join(dir, 'large.tsq.yaml');
    fs.writeFileSync(program, largeSequence(200, true));
    const shown: string[] = [];
    dc.on('stopped', () => shown.push('stopped'));
    dc.on('initialized', () => shown.push('initialized'));
    const out = collectOutput(dc);
    await dc.initializeRequest();
    await assert.rejects(
      dc.launchRequest({ program, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments),
      /cannot simulate large\.tsq\.yaml: the input has 1 error/,
    );
    await dc.configurationDoneRequest();
    // A request answered after the refusal: any event the launch made came before it.
    await dc.threadsRequest();
    assert.deepEqual(shown, []);
    assert.match(out(), /NoSuchStep/);
  });

  it('sound: stops on entry at the first step', async () => {
    const program = path.join(dir, 'large.tsq.yaml');
    fs.writeFileSync(program, largeSequence(200, false));
    const stopped = await (await launch(dc, { program, stopOnEntry: true })).stopped;
    assert.equal(stopped.body.reason, 'entry');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0].name, 'Step 1');
    assert.equal(st.body.stackFrames[0].line, 3);
  });
});
