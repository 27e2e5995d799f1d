// A raw DAP client for attack tests and the fuzz run: it starts the bundled debug adapter
// (dist/debug.js) as its own process and writes any bytes to it — well-framed requests, or
// garbage — and reads its answers with the adapter's own frame reader. Unlike the test-support
// DebugClient it never validates what it sends.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FrameReader } from '../../server/src/debug/framing';
import { peakMemoryMB } from '../helpers/memory';

export const ADAPTER = join(__dirname, '..', '..', '..', 'dist', 'debug.js');

/** `Content-Length` framing of a body, as DAP clients send it. */
export function frame(body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]);
}

export class RawAdapter {
  readonly responses = new Map<number, DebugProtocol.Response>();
  readonly events: DebugProtocol.Event[] = [];
  /** What the adapter wrote to stderr, line by line. */
  readonly log: string[] = [];
  /** Frames from the adapter that were not JSON (must stay empty: the adapter writes well). */
  readonly unreadable: string[] = [];
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  private seq = 1_000_000;
  private waiters: Array<() => void> = [];
  private stderrRest = '';

  private constructor(readonly process: ChildProcess) {
    const reader = new FrameReader({
      message: (m) => {
        const message = m as DebugProtocol.ProtocolMessage;
        if (message.type === 'response') this.responses.set((message as DebugProtocol.Response).request_seq, message as DebugProtocol.Response);
        else if (message.type === 'event') this.events.push(message as DebugProtocol.Event);
        this.wake();
      },
      problem: (line) => this.unreadable.push(line),
    });
    process.stdout!.on('data', (b: Buffer) => reader.push(b));
    process.stderr!.on('data', (b: Buffer) => {
      const lines = (this.stderrRest + b.toString()).split('\n');
      this.stderrRest = lines.pop() ?? '';
      this.log.push(...lines);
    });
    process.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.wake();
    });
    // Writing to an adapter that has gone is reported by `exit`, not by a crash of the test.
    process.stdin!.on('error', () => undefined);
  }

  static start(): RawAdapter {
    return new RawAdapter(spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Writes bytes as they are. */
  write(bytes: string | Buffer): void {
    if (this.alive) this.process.stdin!.write(bytes);
  }

  /** Sends a well-framed request with a fresh `seq`; returns the seq. */
  send(command: string, args?: unknown, extra: Record<string, unknown> = {}): number {
    const seq = this.seq++;
    this.write(frame(JSON.stringify({ seq, type: 'request', command, arguments: args, ...extra })));
    return seq;
  }

  /** Sends a request and waits for its response (or the adapter's end, or the timeout). */
  async request(command: string, args?: unknown, timeoutMs = 10_000): Promise<DebugProtocol.Response> {
    const seq = this.send(command, args);
    return this.response(seq, timeoutMs);
  }

  async response(seq: number, timeoutMs = 10_000): Promise<DebugProtocol.Response> {
    const r = await this.until(() => this.responses.get(seq), timeoutMs);
    if (!r) throw new Error(`no response to request ${seq} within ${timeoutMs} ms${this.alive ? '' : ` (the adapter exited: ${JSON.stringify(this.exit)})`}; log:\n${this.log.join('\n')}`);
    return r;
  }

  /** Resolves with `ready()`'s value once it has one, or undefined when the adapter exits or time runs out. */
  async until<T>(ready: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = ready();
      if (v !== undefined) return v;
      if (!this.alive || Date.now() > deadline) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The process's peak resident memory in MB (Linux), if it can be read. */
  peakMemoryMB(): number | undefined {
    return peakMemoryMB(this.process.pid);
  }


  async stop(): Promise<void> {
    if (!this.alive) return;
    this.process.stdin!.end();
    const gone = await this.until(() => (this.alive ? undefined : true), 2000);
    if (!gone) this.process.kill();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
