// A language client for the protocol tests and the benchmark: it starts the built server
// (dist/server.js) as a separate process and talks to it over stdio with
// vscode-languageserver-protocol, as an editor would. It answers the server's requests for
// settings and registrations, keeps every diagnostics notification, and collects the server's
// log so tests can check that nothing failed.

import { fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ConfigurationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import { peakMemoryMB } from '../helpers/memory';

export const repoRoot = join(__dirname, '..', '..', '..');
export const serverPath = join(repoRoot, 'dist', 'server.js');

export const CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    didChangeConfiguration: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: false },
    completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true, insertReplaceSupport: false } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
    rename: { prepareSupport: true },
    semanticTokens: {
      requests: { full: true, range: true },
      tokenTypes: [],
      tokenModifiers: [],
      formats: ['relative'],
    },
  },
};

export interface ClientOptions {
  /** Workspace folder (absolute path), if any. */
  folder?: string;
  /** The `tsq` settings section the client reports. */
  settings?: unknown;
  capabilities?: ClientCapabilities;
  /** Another server to run instead of ours: the script and its arguments (run with this Node). */
  server?: string[];
  /** Another build of our own server (its `dist/server.js`), e.g. the baseline a bench compares with. */
  tsqServer?: string;
  /** Answers for other settings sections (for other servers). */
  sections?: Record<string, unknown>;
  /** The client answers the server's registrations (file watching, settings) only once this settles, as a slow editor may. */
  registrationsAnswered?: Promise<void>;
  /**
   * How our server is talked to: over stdio (the default) or over Node IPC (`--node-ipc`), so
   * that a bench can compare the two.
   */
  transport?: 'stdio' | 'ipc';
}

export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  /** Diagnostics notifications received so far, for all files together. */
  publishedTotal = 0;
  readonly log: string[] = [];
  /** Other notifications the server sent (tsq's own, such as `tsq/workspaceHealth`), by method, in order. */
  readonly notifications = new Map<string, unknown[]>();
  /** What the server registered dynamically (file watchers, settings), in order. */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  private waiters: Array<() => void> = [];
  initializeResult?: InitializeResult;

  private constructor(
    readonly connection: ProtocolConnection,
    readonly process: ChildProcess,
    private settings: unknown,
    private readonly sections: Record<string, unknown>,
  ) {}

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    // TSQ_SERVER_NODE_ARGS passes Node options to our server (e.g. `--cpu-prof` to profile it).
    const nodeArgs = options.server ? [] : (process.env.TSQ_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const overIpc = !options.server && options.transport === 'ipc';
    const child = overIpc
      ? fork(options.tsqServer ?? serverPath, ['--node-ipc'], {
          execArgv: nodeArgs,
          stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
        })
      : spawn(process.execPath, [...nodeArgs, ...(options.server ?? [options.tsqServer ?? serverPath, '--stdio'])], {
          stdio: ['pipe', 'pipe', 'pipe'],
        });
    const connection = overIpc
      ? createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
      : createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(connection, child, options.settings ?? {}, options.sections ?? {});
    child.stderr!.on('data', (b: Buffer) => client.log.push(`stderr: ${b.toString()}`));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const list = client.diagnostics.get(p.uri) ?? [];
      list.push(p);
      client.diagnostics.set(p.uri, list);
      client.publishedTotal++;
      client.wake();
    });
    connection.onUnhandledNotification((n) => {
      const list = client.notifications.get(n.method) ?? [];
      list.push(n.params);
      client.notifications.set(n.method, list);
      client.wake();
    });
    connection.onNotification(LogMessageNotification.method, (p: { message: unknown }) => {
      client.log.push(String(p.message));
    });
    connection.onRequest(
      RegistrationRequest.method,
      async (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
        client.registrations.push(...p.registrations);
        await options.registrationsAnswered;
        return null;
      },
    );
    connection.onRequest(ConfigurationRequest.type, (p) =>
      p.items.map((i) => (i.section === 'tsq' ? client.settings : (client.sections[i.section ?? ''] ?? null))),
    );
    connection.listen();
    const folder = options.folder;
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).href : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'workspace' }] : null,
      capabilities: options.capabilities ?? CLIENT_CAPABILITIES,
      initializationOptions: options.server ? undefined : { settings: options.settings ?? {} },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /**
   * Resolves when `ready()` holds (checked after every notification), or fails after `timeoutMs`.
   * The bound only turns a server that never answers into a failure with a message: it is long
   * because on a shared 2-core machine under load a correct answer can take many seconds, and
   * speed is the benchmark's business, not a test's.
   */
  async until<T>(ready: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = ready();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server log:\n${this.log.join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /**
   * Waits until the server watches files and has read again what was written before it did
   * (it logs that once). Tests that change files on disk wait for it first, so that this one-time
   * catch-up cannot race the changes they make and the events they send.
   */
  async watching(): Promise<void> {
    await this.until(() => this.log.find((l) => l.startsWith('tsq: watching files')), 'the file watcher in place');
  }

  /**
   * The first diagnostics published for `uri` after `after` earlier ones that are for `version`
   * (when given) and satisfy `matching` (when given).
   */
  async diagnosticsFor(
    uri: string,
    options: { after?: number; version?: number; matching?: (list: Diagnostic[]) => boolean; timeoutMs?: number } = {},
  ): Promise<Diagnostic[]> {
    const after = options.after ?? 0;
    const p = await this.until(
      () =>
        (this.diagnostics.get(uri) ?? [])
          .slice(after)
          .find(
            (d) =>
              (options.version === undefined || d.version === options.version) &&
              (!options.matching || options.matching(d.diagnostics)),
          ),
      `diagnostics of ${uri}`,
      options.timeoutMs,
    );
    return p.diagnostics;
  }

  published(uri: string): number {
    return this.diagnostics.get(uri)?.length ?? 0;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'tasksequence', version, text },
    });
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  setSettings(settings: unknown): void {
    this.settings = settings;
  }

  /** The process's peak resident memory in MB (Linux), if it can be read. */
  peakMemoryMB(): number | undefined {
    return peakMemoryMB(this.process.pid);
  }

  /** Lines the server logged as failures. */
  failures(): string[] {
    return this.log.filter((l) => /failed|unexpected error|stderr/i.test(l));
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      /* the process may already be gone */
    }
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.process.kill();
        resolve();
      }, 2000);
      this.process.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

/** A scratch copy of `from` (or an empty folder) with `files` written into it; removed by `dispose`. */
export function workspaceFolder(
  files: Record<string, string> = {},
  from?: string,
): {
  folder: string;
  uri: (relative: string) => string;
  path: (relative: string) => string;
  write: (relative: string, text: string) => void;
  dispose: () => void;
} {
  const folder = mkdtempSync(join(tmpdir(), 'tsq-lsp-'));
  if (from) cpSync(from, folder, { recursive: true });
  const write = (relative: string, text: string) => {
    mkdirSync(dirname(join(folder, relative)), { recursive: true });
    writeFileSync(join(folder, relative), text);
  };
  for (const [relative, text] of Object.entries(files)) write(relative, text);
  return {
    folder,
    uri: (relative) => pathToFileURL(join(folder, relative)).href,
    path: (relative) => join(folder, relative),
    write,
    dispose: () => rmSync(folder, { recursive: true, force: true }),
  };
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Line and character of the first occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`\`${needle}\` is not in the text`);
  const offset = i + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
