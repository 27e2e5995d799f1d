// Entry point of the end-to-end harness: one call gives a test a real VS Code (code-server) with our
// extension installed, a workspace, and Chromium on its workbench, and takes all of it down again —
// on success, on error and on timeout. The pieces are exported for tests that need them separately.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startCodeServer, type CodeServer } from './harness/codeServer';
import { removeOnExit, untilNoProcessMentions } from './harness/processes';
import { repoRoot } from './harness/tools';
import { Workbench } from './harness/workbench';

export {
  freePort,
  installExtensions,
  startCodeServer,
  QUIET_SETTINGS,
  type CodeServer,
  type CodeServerOptions,
} from './harness/codeServer';
export { runExtensionTests, type ExtensionTestOptions, type ExtensionTestResult } from './harness/extensionTests';
export { runNeovimHeadless, type NeovimRun } from './harness/neovim';
export {
  killAllOwnedProcesses,
  processesInGroup,
  processesMentioning,
  removeOnExit,
  runOwned,
  startOwned,
  stopOwned,
  type OwnedProcess,
} from './harness/processes';
export {
  e2eSkipReason,
  e2eTools,
  missingE2eTools,
  repoRoot,
  CODE_SERVER_VERSION,
  type E2eTools,
} from './harness/tools';
export { packageExtensionUnderTest, packageVsix, type PackagedExtension } from './harness/vsix';
export {
  CHROMIUM_FLAGS,
  launchChromium,
  remoteUri,
  until,
  Workbench,
  workbenchUrl,
  type WorkbenchOptions,
} from './harness/workbench';

/**
 * The folder a test's screenshots and logs go to: test-results/e2e/<name>/, emptied first. When the
 * run before failed, its folder is kept as <name>.last-failure/ instead: a check that fails once
 * and passes when run again leaves what it saw behind, not only the passing run's pictures.
 */
export function artifactFolder(name: string): string {
  const dir = join(repoRoot, 'test-results', 'e2e', name);
  if (holdsFailure(dir)) {
    const kept = `${dir}.last-failure`;
    rmSync(kept, { recursive: true, force: true });
    renameSync(dir, kept);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Whether a run's artifact folder holds a failure screenshot (`NN-failure.png`, in it or a check's folder). */
function holdsFailure(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((file) => /(^|\/)\d+-failure\.png$/.test(file));
}

/** The prefix of every scratch folder named `name` (each is `<tmpdir>/tsq-e2e-<name>-XXXXXX`). */
export function scratchPrefix(name: string): string {
  return join(tmpdir(), `tsq-e2e-${name}-`);
}

/** A throwaway folder under the system temp folder; remove it when done (it also goes at exit). */
export function scratchFolder(name: string): string {
  const dir = mkdtempSync(scratchPrefix(name));
  removeOnExit(dir);
  return dir;
}

export interface EditorSessionOptions {
  /** Names the artifact folder (test-results/e2e/<name>) and the scratch folder. */
  name: string;
  /** A folder copied as the workspace, e.g. join(repoRoot, 'examples'). */
  workspaceFrom?: string;
  /** Files written into the workspace (relative path -> content), after the copy. */
  files?: Record<string, string | Uint8Array>;
  vsixFiles?: readonly string[];
  settings?: Record<string, unknown>;
  /** The whole session, start-up included, is ended after this long. */
  timeoutMs?: number;
}

export interface EditorSession {
  server: CodeServer;
  workbench: Workbench;
  /** Absolute path of the workspace folder on disk. */
  workspace: string;
  /** Screenshots and code-server.log land here. */
  artifacts: string;
  /** The scratch folder of this session (removed afterwards); code-server's and Chromium's folders are in it. */
  root: string;
}

/**
 * Runs `body` against a fresh editor and always cleans up: the browser is closed, code-server's
 * process group is ended and the scratch folder removed, whether `body` returns, throws, or the
 * session outlives `timeoutMs` (then the session fails with a timeout error).
 */
export async function withEditor<T>(
  options: EditorSessionOptions,
  body: (session: EditorSession) => Promise<T>,
): Promise<T> {
  const root = scratchFolder(options.name);
  const artifacts = artifactFolder(options.name);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  if (options.workspaceFrom) cpSync(options.workspaceFrom, workspace, { recursive: true });
  for (const [relative, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(workspace, relative)), { recursive: true });
    writeFileSync(join(workspace, relative), content);
  }

  const cleanups: Array<() => Promise<void>> = [];
  let lastWorkbench: Workbench | undefined;
  // Aborted when the session ends: a start-up still under way gives up at once instead of
  // finishing first (code-server stops waiting to serve, Chromium is closed mid-load).
  const ended = new AbortController();
  // Registers something to undo; if the session already ended (timeout), undoes it at once.
  const own = async (undo: () => Promise<void>) => {
    if (ended.signal.aborted) {
      await undo();
      throw new Error(`editor session "${options.name}" had already ended`);
    }
    cleanups.push(undo);
  };
  const undoAll = async () => {
    ended.abort(new Error(`editor session "${options.name}" ended while starting`));
    for (const undo of cleanups.reverse()) await undo().catch(() => undefined);
    cleanups.length = 0;
  };

  const run = async () => {
    const server = await startCodeServer({
      root: join(root, 'code-server'),
      workspace,
      vsixFiles: options.vsixFiles ?? [],
      settings: options.settings ?? {},
      logFile: join(artifacts, 'code-server.log'),
      signal: ended.signal,
    });
    await own(() => server.stop());
    const workbench = await Workbench.open({
      server,
      profileDir: join(root, 'chromium'),
      screenshotDir: artifacts,
      signal: ended.signal,
    });
    await own(() => workbench.close());
    lastWorkbench = workbench;
    return body({ server, workbench, workspace, artifacts, root });
  };

  const timeoutMs = options.timeoutMs ?? 180_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`editor session "${options.name}" took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const work = run();
  work.catch(() => undefined); // After a timeout its rejection is expected and not interesting.
  try {
    return await Promise.race([work, timeout]);
  } catch (err) {
    // What the editor showed when things went wrong is the first thing anyone will want to see.
    await lastWorkbench?.screenshot('failure', 5000).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
    await undoAll();
    // After a timeout the start-up may still be running; it notices the abort within moments and
    // stops what it started (see own). Wait for that, within reason; exit cleanup is the backstop.
    await Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
    // code-server starts some helpers in process groups of their own, so ending its group does not
    // wait for them; under load one can outlive the session by seconds. Anything that still names
    // the session's scratch folder is waited for, then killed.
    await untilNoProcessMentions(root);
    keepExtensionHostLogs(join(root, 'code-server', 'user-data', 'logs'), join(artifacts, 'extension-host'));
    await removeFolder(root, 15_000);
  }
}

/**
 * Copies what the extensions logged (the tsq language server's "Task Sequence" output among them,
 * with its message trace when the session turned `tsq.trace.server` on) out of the scratch folder
 * before it goes: a check that failed once under load can then be read afterwards, not guessed at.
 */
function keepExtensionHostLogs(logs: string, into: string): void {
  if (!existsSync(logs)) return;
  try {
    for (const session of readdirSync(logs))
      for (const host of readdirSync(join(logs, session)).filter((name) => name.startsWith('exthost')))
        cpSync(join(logs, session, host), join(into, host), { recursive: true });
  } catch {
    // A log is only evidence: the session's own outcome stands without it.
  }
}

/**
 * Removes `dir` and waits until it is really gone: a code-server child that is still ending can
 * write a log file into it just after one removal (seen as a leftover folder now and then), so
 * remove again until the folder stays gone or `withinMs` passes; removeOnExit (registered by
 * scratchFolder) is the backstop after that.
 */
async function removeFolder(dir: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    } catch {
      // Still being written to: try again below.
    }
    if (Date.now() > deadline) return;
    if (!existsSync(dir)) {
      // Gone; gone for good once a moment passes without anything writing it back.
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (!existsSync(dir)) return;
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
