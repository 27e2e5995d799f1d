// Entry point of the debug adapter (bundled to dist/debug.js): speaks DAP over stdin/stdout.
// VS Code starts it for `type: tasksequence`; any DAP client can run `node dist/debug.js`.
// Input is read by our own frame reader (framing.ts), which survives any bytes; responses and
// events are written by @vscode/debugadapter.

import { PassThrough } from 'node:stream';
import { TsqDebugSession } from './session';
import { FrameReader } from './framing';
import { failureLine } from '../util/failure';
import { tuneForOneRun } from '../frontend/one-shot-tuning';

// A debug session reads, checks and runs one sequence (its restarts reuse what the first run made).
tuneForOneRun();

const session = new TsqDebugSession();
// The library reads nothing: it gets an input that never delivers, and only writes to stdout.
session.start(new PassThrough(), process.stdout);

const reader = new FrameReader({
  message: (value) => {
    try {
      session.receive(value);
    } catch (e) {
      session.log(`a message could not be handled: ${failureLine(e)}`);
    }
  },
  problem: (line) => session.log(line),
});
process.stdin.on('data', (chunk: Buffer) => reader.push(chunk));
// The client went away: nothing more will come.
process.stdin.on('end', () => session.shutdown());
process.stdin.on('error', (e) => {
  session.log(`cannot read the client's messages: ${e.message}`);
  session.shutdown();
});
process.on('SIGTERM', () => session.shutdown());

// Nothing a client sends may end the session: what escapes a handler is logged in one line.
process.on('uncaughtException', (e) => session.log(`unexpected error: ${failureLine(e)}`));
process.on('unhandledRejection', (e) => session.log(`unexpected error: ${failureLine(e)}`));
