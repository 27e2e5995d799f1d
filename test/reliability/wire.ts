// Raw protocol clients for attack tests and the fuzz run: each starts a bundled server as its own
// process — the debug adapter (dist/debug.js) or the language server (dist/server.js --stdio) —
// writes any bytes to it (well-framed messages, or garbage) and reads its answers with the
// adapter's own frame reader (DAP and LSP share the Content-Length framing). Unlike the
// test-support clients they never check or reshape what they send.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FrameReader } from '../../server/src/debug/framing';
import { peakMemoryMB } from '../helpers/memory';

const DIST = join(__dirname, '..', '..', '..', 'dist');
export const ADAPTER = join(DIST, 'debug.js');
export const LANGUAGE_SERVER = join(DIST, 'server.js');

/** `Content-Length` framing of a body, as DAP and LSP clients send it. */
export function frame(body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]);
}

/** A server process on the other end of a pipe: bytes in, framed JSON out, stderr kept by line. */
abstract class RawPeer {
  /** What the server wrote to stderr, line by line. */
  readonly stderr: string[] = [];
  /** Frames from the server that could not be read (must stay empty: the servers write well). */
  readonly unreadable: string[] = [];
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  private waiters: Array<() => void> = [];
  private stderrRest = '';

  protected constructor(readonly process: ChildProcess) {
    const reader = new FrameReader({
      message: (m) => {
        this.received(m);
        this.wake();
      },
      problem: (line) => this.unreadable.push(line),
    });
    process.stdout!.on('data', (b: Buffer) => reader.push(b));
    process.stderr!.on('data', (b: Buffer) => {
      const lines = (this.stderrRest + b.toString()).split('\n');
      this.stderrRest = lines.pop() ?? '';
      this.stderr.push(...lines);
    });
    process.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.wake();
    });
    // Writing to a server that has gone is reported by `exit`, not by a crash of the caller.
    process.stdin!.on('error', () => undefined);
  }

  protected abstract received(message: unknown): void;

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Writes bytes as they are. */
  write(bytes: string | Buffer): void {
    if (this.alive) this.process.stdin!.write(bytes);
  }

  /** Resolves with `ready()`'s value once it has one, or undefined when the server exits or time runs out. */
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

  /** The server's peak resident memory in MB (Linux), if it can be read. */
  peakMemoryMB(): number | undefined {
    return peakMemoryMB(this.process.pid);
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.process.stdin!.end();
    const gone = await this.until(() => (this.alive ? undefined : true), 2000);
    if (!gone) this.process.kill();
  }

  protected describeEnd(): string {
    return this.alive ? '' : ` (the server exited: ${JSON.stringify(this.exit)})`;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export class RawAdapter extends RawPeer {
  readonly responses = new Map<number, DebugProtocol.Response>();
  readonly events: DebugProtocol.Event[] = [];
  private seq = 1_000_000;

  static start(): RawAdapter {
    return new RawAdapter(spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** The adapter's log: one line per thing it skipped or refused. */
  get log(): string[] {
    return this.stderr;
  }

  protected received(m: unknown): void {
    const message = m as DebugProtocol.ProtocolMessage;
    if (message.type === 'response')
      this.responses.set((message as DebugProtocol.Response).request_seq, message as DebugProtocol.Response);
    else if (message.type === 'event') this.events.push(message as DebugProtocol.Event);
  }

  /** Sends a well-framed request with a fresh `seq`; returns the seq. */
  send(command: string, args?: unknown, extra: Record<string, unknown> = {}): number {
    const seq = this.seq++;
    this.write(frame(JSON.stringify({ seq, type: 'request', command, arguments: args, ...extra })));
    return seq;
  }

  /** Sends a request and waits for its response. */
  async request(command: string, args?: unknown, timeoutMs = 10_000): Promise<DebugProtocol.Response> {
    return this.response(this.send(command, args), timeoutMs);
  }

  async response(seq: number, timeoutMs = 10_000): Promise<DebugProtocol.Response> {
    const r = await this.until(() => this.responses.get(seq), timeoutMs);
    if (!r)
      throw new Error(
        `no response to request ${seq} within ${timeoutMs} ms${this.describeEnd()}; log:\n${this.log.join('\n')}`,
      );
    return r;
  }
}

export interface JsonRpcResponse {
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

export class RawLanguageServer extends RawPeer {
  readonly responses = new Map<number | string, JsonRpcResponse>();
  /** The server's window/logMessage texts. */
  readonly log: string[] = [];
  readonly diagnostics = new Map<string, Array<{ version?: number; diagnostics: unknown[] }>>();
  private id = 1_000_000;

  /** Starts the server process (not yet initialized). */
  static spawn(): RawLanguageServer {
    return new RawLanguageServer(
      spawn(process.execPath, [LANGUAGE_SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
  }

  /** Starts the server and initializes it (with `folderUri` as its workspace folder, if given). */
  static async start(folderUri?: string, capabilities: unknown = {}): Promise<RawLanguageServer> {
    const server = RawLanguageServer.spawn();
    await server.initialize(folderUri, capabilities);
    return server;
  }

  async initialize(folderUri?: string, capabilities: unknown = {}, timeoutMs = 10_000): Promise<void> {
    const folders = folderUri ? [{ uri: folderUri, name: 'workspace' }] : null;
    await this.request(
      'initialize',
      { processId: process.pid, rootUri: folderUri ?? null, workspaceFolders: folders, capabilities },
      timeoutMs,
    );
    this.notify('initialized', {});
  }

  protected received(m: unknown): void {
    const message = m as {
      id?: number | string;
      method?: string;
      params?: { message?: string; uri?: string; version?: number; diagnostics?: unknown[] };
    };
    if (message.method === 'window/logMessage') this.log.push(String(message.params?.message));
    else if (message.method === 'textDocument/publishDiagnostics' && message.params?.uri) {
      const list = this.diagnostics.get(message.params.uri) ?? [];
      list.push({ version: message.params.version, diagnostics: message.params.diagnostics ?? [] });
      this.diagnostics.set(message.params.uri, list);
    } else if (message.method !== undefined && message.id !== undefined) {
      // The server asks for settings or registers watchers: an answer that means "nothing".
      this.write(frame(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: null })));
    } else if (message.id !== undefined) this.responses.set(message.id, message as JsonRpcResponse);
  }

  /** Sends a request with any params (left out when undefined); returns its id. */
  send(method: string, params?: unknown): number {
    const id = this.id++;
    this.write(frame(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
    return id;
  }

  notify(method: string, params?: unknown): void {
    this.write(frame(JSON.stringify({ jsonrpc: '2.0', method, params })));
  }

  async request(method: string, params?: unknown, timeoutMs = 10_000): Promise<JsonRpcResponse> {
    return this.response(this.send(method, params), timeoutMs);
  }

  async response(id: number, timeoutMs = 10_000): Promise<JsonRpcResponse> {
    const r = await this.until(() => this.responses.get(id), timeoutMs);
    if (!r)
      throw new Error(
        `no response to request ${id} within ${timeoutMs} ms${this.describeEnd()}; log:\n${this.log.join('\n')}`,
      );
    return r;
  }

  async shutdown(): Promise<void> {
    if (this.alive) {
      await this.request('shutdown', undefined, 5000).catch(() => undefined);
      this.notify('exit');
    }
    await this.stop();
  }
}
