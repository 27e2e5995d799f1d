// A throwaway code-server (real VS Code 1.100 server and workbench) for one test: its own port on
// 127.0.0.1, its own user-data, extensions, config and XDG folders under a run folder, extensions
// installed from .vsix files, and a stop() that ends its whole process group.
import { mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runOwned, startOwned, stopOwned, type OwnedProcess } from './processes';
import { e2eTools } from './tools';

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Settings that keep a fresh workbench quiet: no welcome page, tips, telemetry or update checks. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
};

export interface CodeServerDirs {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
}

function codeServerDirs(root: string): CodeServerDirs {
  const dirs = {
    root,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    configFile: join(root, 'code-server.yaml'),
  };
  mkdirSync(join(dirs.userDataDir, 'User'), { recursive: true });
  mkdirSync(dirs.extensionsDir, { recursive: true });
  // An explicit config file stops code-server from writing one (with a password) into ~/.config.
  writeFileSync(dirs.configFile, 'auth: none\ncert: false\n');
  return dirs;
}

/**
 * The environment code-server runs in: XDG folders inside the run folder (so nothing lands in the
 * home folder), and none of the VSCODE_* variables that would make its CLI talk to an editor the
 * test happens to run inside.
 */
function codeServerEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VSCODE_') && !key.startsWith('CODE_SERVER_') && key !== 'PORT') env[key] = value;
  }
  return {
    ...env,
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
    XDG_CACHE_HOME: join(root, 'xdg-cache'),
  };
}

const dirArgs = (dirs: CodeServerDirs) => [
  '--config',
  dirs.configFile,
  '--user-data-dir',
  dirs.userDataDir,
  '--extensions-dir',
  dirs.extensionsDir,
];

/** Installs .vsix files into the run's extensions folder with `code-server --install-extension`. */
export async function installExtensions(dirs: CodeServerDirs, vsixFiles: readonly string[]): Promise<void> {
  for (const vsix of vsixFiles) {
    const output = await runOwned(
      process.execPath,
      [e2eTools().codeServerEntry, ...dirArgs(dirs), '--install-extension', vsix, '--force'],
      {
        env: codeServerEnv(dirs.root),
        timeoutMs: 120_000,
      },
    );
    if (!/successfully installed/i.test(output)) throw new Error(`installing ${vsix} printed no success:\n${output}`);
  }
}

export interface CodeServerOptions {
  /** Folder (created by the caller) holding everything of this run; removed by the caller. */
  root: string;
  /** The folder opened as the workspace. */
  workspace: string;
  vsixFiles?: readonly string[];
  /** User settings on top of QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  logFile?: string;
  startTimeoutMs?: number;
  /** Aborting it gives up the start: code-server is stopped and the start rejects at once. */
  signal?: AbortSignal;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly workspace: string;
  readonly dirs: CodeServerDirs;
  readonly process: OwnedProcess;
  /** Ends code-server and everything it started (extension hosts, watchers). */
  stop(): Promise<void>;
}

function isHealthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(`${url}/healthz`, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => request.destroy());
  });
}

async function waitUntilServing(
  url: string,
  owned: OwnedProcess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: number | string | undefined;
  void owned.exited.then((code) => {
    ended = code;
  });
  while (Date.now() < deadline) {
    if (ended !== undefined)
      throw new Error(`code-server exited (${ended}) before serving:\n${owned.output().slice(-4000)}`);
    signal?.throwIfAborted();
    if (await isHealthy(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not serve ${url} within ${timeoutMs} ms:\n${owned.output().slice(-4000)}`);
}

/** Starts code-server on a free port with the given workspace and extensions; resolves once it serves. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const dirs = codeServerDirs(options.root);
  writeFileSync(
    join(dirs.userDataDir, 'User', 'settings.json'),
    `${JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2)}\n`,
  );
  await installExtensions(dirs, options.vsixFiles ?? []);
  options.signal?.throwIfAborted();
  // Another program may take the port between our probe and code-server's bind; try a few ports.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = [
      e2eTools().codeServerEntry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-workspace-trust',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...dirArgs(dirs),
      options.workspace,
    ];
    const owned = startOwned(process.execPath, args, {
      env: codeServerEnv(dirs.root),
      ...(options.logFile ? { logFile: options.logFile } : {}),
    });
    try {
      await waitUntilServing(url, owned, options.startTimeoutMs ?? 60_000, options.signal);
      return { url, port, workspace: options.workspace, dirs, process: owned, stop: () => stopOwned(owned) };
    } catch (err) {
      await stopOwned(owned);
      if (attempt >= 3 || options.signal?.aborted || !owned.output().includes('EADDRINUSE')) throw err;
    }
  }
}
