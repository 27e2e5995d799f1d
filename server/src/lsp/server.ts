// The tsq language server: plain LSP over stdio (`tsq-language-server --stdio`), node IPC (the VS
// Code client) or a socket. This file wires the protocol to the file index and the feature
// modules; every feature is guarded, so that a failure is logged and its request answers empty
// instead of taking the server down.

import { growFreely, growingFreelyWhenLarge, growsFreely } from './memory';
import { holdYoungGeneration } from './young-generation';
import {
  CodeActionRequest,
  CompletionRequest,
  CompletionResolveRequest,
  createConnection,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidCreateFilesNotification,
  DidDeleteFilesNotification,
  DidRenameFilesNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  ErrorCodes,
  FileChangeType,
  FoldingRangeRequest,
  HoverRequest,
  LSPErrorCodes,
  PrepareRenameRequest,
  ProposedFeatures,
  ReferencesRequest,
  RenameRequest,
  ResponseError,
  SemanticTokensRangeRequest,
  SemanticTokensRequest,
  TextDocumentSyncKind,
  WatchKind,
  WorkspaceSymbolRequest,
  type FileOperationRegistrationOptions,
  type CancellationToken,
  type InitializeParams,
  type InitializeResult,
  type Position,
  type ProtocolNotificationType,
  type ProtocolRequestType,
  type RequestHandler,
} from 'vscode-languageserver/node';
import type { Diagnostic } from '../analysis/diagnostic';
import { FileIndex, type FileEntry, type Project } from './projects';
import { warmUp } from './warm-up';
import { uriToId } from './uri';
import { CheckScheduler, toLspDiagnostic } from './diagnostics';
import { isTsqFileName } from '../model/kinds';
import { BackgroundJobs, type Job, type JobHandle } from './background';
import { DEFAULT_SETTINGS, readSettings, type TsqSettings } from './settings';
import { completion, resolveCompletion, COMPLETION_TRIGGERS } from './completion';
import { hover } from './hover';
import { codeActions } from './code-actions';
import { documentSymbols, workspaceSymbols } from './symbols';
import { perRevision } from './per-revision';
import { keep, stdioConnection, type KeptJson } from './kept-json';
import { definition, references, prepareRename, rename } from './navigation';
import { foldingRanges } from './folding';
import { documentLinks } from './links';
import { SEMANTIC_LEGEND, semanticTokens } from './semantic-tokens';
import { PARAMS } from './params';
import { describe, shapeProblem } from '../util/shape';
import { failureLine } from '../util/failure';
import { RunLogRequest, runLogFor, type RunLogParams, type RunLogResult } from './run-log';
import { DocumentationRequest, documentationFor } from './documentation';
import type { DocumentationParams, DocumentationResult } from '../frontend/documentation-protocol';
import {
  SequenceEditRequest,
  SequenceTreeRequest,
  StepChoicesRequest,
  sequenceEdit,
  sequenceTree,
  stepChoices,
} from './sequence-tree';
import { CatalogEntriesRequest, CreateFileRequest, catalogEntries, createFile } from './new-file';
import { MachineProfilesRequest, machineProfiles } from './machine-profiles';
import { version } from '../../../package.json';
import { formatIgnoreProblem, type IgnoreProblem } from '../files/ignore';
import { MAX_FILE_MB_ENV, parseLimitMB, setTsqFileLimitMB } from '../files/read';
import { WorkspaceHealthTracker } from './workspace-health';
import { SharedFirstCheck } from './shared-first-check';
import { WORKSPACE_HEALTH_NOTIFICATION } from '../frontend/workspace-health-protocol';

holdYoungGeneration();

// On stdio tsq writes the messages itself, so that kept answers go out from their bytes (kept-json.ts).
const connection = process.argv.includes('--stdio')
  ? stdioConnection(() => shuttingDown)
  : createConnection(ProposedFeatures.all);
const index = new FileIndex(reportIgnoreProblem);
let settings: TsqSettings = DEFAULT_SETTINGS;
let canPullConfiguration = false;
let canWatchDynamically = false;
let canRegisterConfiguration = false;
let canFollowFolders = false;
let shuttingDown = false;

/** Engine diagnostics of each file as last computed (for the document object they belong to). */
const computed = new Map<string, { doc: object; list: Diagnostic[] }>();

/** Files whose diagnostics the client is showing. */
const shown = new Set<string>();

const scheduler = new CheckScheduler(
  (id) => check(id),
  (id) => !!index.get(id)?.editor,
);
const background = new BackgroundJobs((what, e) => {
  logFailure(what, e);
  // A folder's reading that failed is over too: what waits for the folders must not wait forever.
  releaseWaitingChecks();
  health.changed();
});
const health = new WorkspaceHealthTracker(
  (summary) => void connection.sendNotification(WORKSPACE_HEALTH_NOTIFICATION, summary),
  () => ({
    enabled: settings.diagnostics.workspaceHealth,
    checking: healthChecking(),
    scope: settings.diagnostics.scope,
  }),
);

function log(message: string): void {
  connection.console.log(`tsq: ${message}`);
}

/** What a .tsqignore held that could not be used: logged, and shown once per .tsqignore file. */
const ignoreFilesShown = new Set<string>();
function reportIgnoreProblem(problem: IgnoreProblem): void {
  const line = formatIgnoreProblem(problem);
  connection.console.warn(`tsq: ${line}`);
  if (ignoreFilesShown.has(problem.file)) return;
  ignoreFilesShown.add(problem.file);
  void connection.window.showWarningMessage(`Task Sequence: ${line}`);
}

/** The size cap for tsq files: the setting, else TSQ_MAX_FILE_MB of the server's environment, else the default. */
function applyFileLimit(next: TsqSettings): void {
  setTsqFileLimitMB(next.files.maxSizeMB ?? parseLimitMB(process.env[MAX_FILE_MB_ENV] ?? ''));
}

/** A failure inside the server, in one line (the error and where it was thrown). */
function logFailure(what: string, e: unknown): void {
  connection.console.error(`tsq: ${what} failed: ${failureLine(e)}`);
}

/** Runs a notification handler, logging instead of throwing. */
function safely(name: string, handler: () => void): void {
  try {
    handler();
  } catch (e) {
    logFailure(name, e);
  }
}

/** What is wrong with a message's parameters (see params.ts), logged in one line; undefined when they fit. */
function malformed(method: string, params: unknown, outcome: string): string | undefined {
  const shape = PARAMS[method];
  const problem = shape && shapeProblem(params, shape);
  if (problem) log(`${method}: ${problem} (${outcome})`);
  return problem;
}

/** A request's answer: the result, the same kept with its JSON (kept-json.ts), or an error. */
type Answer<R, E> = R | KeptJson<R> | ResponseError<E>;

/**
 * Answers a request: malformed parameters get InvalidParams, cancelled requests say so, and a
 * failure is logged and answers `empty`, so that no feature can take the server down.
 */
function onRequest<P, R, PR, E, RO>(
  type: ProtocolRequestType<P, R, PR, E, RO>,
  empty: R,
  handler: (params: P, token: CancellationToken) => Answer<R, E> | Promise<R | ResponseError<E>>,
): void {
  const answer = (params: P, token: CancellationToken): Answer<R, E> | Promise<R | ResponseError<E>> => {
    if (token?.isCancellationRequested)
      return new ResponseError<E>(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
    const problem = malformed(type.method, params, 'answered InvalidParams');
    if (problem) return new ResponseError<E>(ErrorCodes.InvalidParams, `${type.method}: ${problem}`);
    try {
      const result = handler(params, token);
      return result instanceof Promise
        ? result.catch((e: unknown) => {
            logFailure(type.method, e);
            return empty;
          })
        : result;
    } catch (e) {
      logFailure(type.method, e);
      return empty;
    }
  };
  connection.onRequest(type, answer as RequestHandler<P, R, E>);
}

/** A request about one document: a document the server does not have answers `empty` (logged). */
function onDocumentRequest<P extends { textDocument: { uri: string } }, R, PR, E, RO>(
  type: ProtocolRequestType<P, R, PR, E, RO>,
  empty: R,
  handler: (entry: FileEntry, params: P, token: CancellationToken) => Answer<R, E>,
): void {
  onRequest(type, empty, (params, token) => {
    const entry = index.get(params.textDocument.uri);
    if (!entry) {
      log(
        `${type.method}: no task sequence file ${JSON.stringify(params.textDocument.uri.slice(0, 200))} is open or in a workspace folder (answered empty)`,
      );
      return empty;
    }
    return handler(entry, params, token);
  });
}

/**
 * The offset of a position in an entry's current text. A character past the end of its line
 * means the line's end (LSP: "it defaults back to the line length"); a line past the end of the
 * file is a client's mistake, logged and read as the end of the file.
 */
function offsetOf(entry: FileEntry, position: Position, method: string): number {
  const at = index.positions(entry);
  if (position.line >= at.lineCount)
    log(`${method}: line ${position.line} is past the end of ${entry.uri} (${at.lineCount} lines; read as its end)`);
  return at.offsetAt(position);
}

/** Handles a notification: malformed parameters drop it (logged); failures are logged. */
function onNotification<P, RO>(
  type: ProtocolNotificationType<P, RO>,
  name: string,
  handler: (params: P) => void,
): void {
  connection.onNotification(type, (params) => {
    if (malformed(type.method, params, 'ignored')) return;
    safely(name, () => handler(params));
  });
}

// ---------------------------------------------------------------- diagnostics

function published(entry: FileEntry): boolean {
  return !!entry.editor || settings.diagnostics.scope === 'workspace';
}

/** Whether `entry` counts for the workspace's health: the files of the folders, and open files. */
function counted(entry: FileEntry): boolean {
  return settings.diagnostics.workspaceHealth && (!!entry.project.folder || !!entry.editor);
}

/** Whether `entry` is checked at all: its problems are shown, or they count for the workspace's health. */
function checked(entry: FileEntry): boolean {
  return published(entry) || counted(entry);
}

/** Whether files are still being read or checked for the workspace's health (typing in an open file aside). */
function healthChecking(): boolean {
  return (
    readingFolders() ||
    waitingForFolder.size > 0 ||
    (sharedCheck?.pending.size ?? 0) > 0 ||
    scheduler.waiting((id) => {
      const entry = index.get(id);
      return !!entry && !entry.editor && counted(entry);
    })
  );
}

/** The engine diagnostics of `entry`'s current text, computing them if they are not current. */
export function diagnosticsOf(entry: FileEntry): Diagnostic[] {
  const known = computed.get(entry.id);
  if (known && known.doc === entry.doc) return known.list;
  // Files not open are checked as `tsq lint` checks them (analysis/incremental.ts, `FirstCheck`).
  const list = entry.analysis.analyze(
    entry.project.ws,
    entry.doc,
    {
      severity: settings.diagnostics.severity,
      onRuleError: (rule, e) => logFailure(`rule ${rule.code} on ${entry.id}`, e),
    },
    undefined,
    entry.editor ? 'per-entry' : 'whole-file',
  );
  computed.set(entry.id, { doc: entry.doc, list });
  return list;
}

/** Checks that wait for the folder of their file to be read (its catalogs, children, ...). */
const waitingForFolder = new Set<string>();

function check(id: string): void {
  if (shuttingDown) return;
  safely(`checking ${id}`, () => {
    const entry = index.get(id);
    if (!entry || !checked(entry)) return;
    if (entry.project.scanning) {
      waitingForFolder.add(id);
      return;
    }
    if (sharedCheck?.covers(id)) return;
    show(entry, diagnosticsOf(entry));
  });
  // The summary says when the last check is done, also when that check had nothing to record.
  health.changed();
  settleHeapWhenRead();
}

/** Folders are read and their files checked once: the heap is kept near its live size again (memory.ts). */
function settleHeapWhenRead(): void {
  if (!growsFreely() || readingFolders() || waitingForFolder.size || sharedCheck?.pending.size) return;
  if (scheduler.waiting((id) => !index.get(id)?.editor)) return;
  growFreely(false);
}

/** Counts `list` for the workspace's health and shows it in the Problems panel, as `entry`'s settings say. */
function show(entry: FileEntry, list: Diagnostic[]): void {
  // Positions lazily: most files have nothing for the summary to point at, and a line map of each costs time and memory.
  if (counted(entry))
    health.record(entry.id, entry.uri, list, { positionAt: (at) => index.positions(entry).positionAt(at) });
  if (!published(entry)) return;
  shown.add(entry.id);
  void connection.sendDiagnostics({
    uri: entry.uri,
    version: entry.editor?.version,
    diagnostics: list.map((d) => toLspDiagnostic(index, entry, d)),
  });
}

/** The first check of a large folder, shared with helper threads while it lasts (shared-first-check.ts). */
let sharedCheck: SharedFirstCheck | undefined;

function startSharedCheck(project: Project): void {
  if (sharedCheck || shuttingDown) return;
  sharedCheck = SharedFirstCheck.start(project, settings, {
    check,
    checks: (id) => {
      const entry = index.get(id);
      return !!entry && checked(entry);
    },
    documentOf: (id) => index.get(id)?.doc,
    accept: (id, doc, list) =>
      safely(`checking ${id}`, () => {
        const entry = index.get(id);
        if (!entry || entry.doc !== doc || !checked(entry)) return;
        computed.set(id, { doc, list });
        show(entry, list);
        health.changed();
      }),
    schedule: (id) => scheduler.schedule(id, 0),
  });
}

/** The folder of `project` is read: its shared first check begins; false when there is none. */
function beginSharedCheck(project: Project): boolean {
  const pass = sharedCheck;
  if (!pass || pass.project !== project) return false;
  if (!pass.fits(settings)) {
    endSharedCheck();
    return false;
  }
  background.start(`checking ${project.folder}`, pass.begin(), () => {
    void pass.finish().finally(() => {
      log(
        `checked ${pass.files} file(s) in ${project.folder}, ${pass.fromHelpers} of them in ${pass.helpers} helper thread(s)`,
      );
      if (sharedCheck === pass) sharedCheck = undefined;
      health.changed();
      settleHeapWhenRead();
    });
  });
  return true;
}

/** Ends the shared first check at once; the files it had left go to the scheduler. */
function endSharedCheck(): void {
  const pass = sharedCheck;
  sharedCheck = undefined;
  pass?.end();
}

/** A file that is gone from the index: its problems are no longer shown or counted. */
function clear(entry: FileEntry): void {
  scheduler.cancel(entry.id);
  computed.delete(entry.id);
  shown.delete(entry.id);
  health.forget(entry.id);
  void connection.sendDiagnostics({ uri: entry.uri, diagnostics: [] });
}

/** The Problems panel stops showing `entry` (closed under the `openFiles` scope); it may still be counted. */
function unpublish(entry: FileEntry): void {
  if (shown.delete(entry.id)) void connection.sendDiagnostics({ uri: entry.uri, diagnostics: [] });
}

/** Checks `entry` again at once if anything is to know of it; else forgets what was known. */
function checkOrForget(entry: FileEntry): void {
  if (!published(entry)) unpublish(entry);
  if (checked(entry)) {
    scheduler.schedule(entry.id, 0);
    return;
  }
  scheduler.cancel(entry.id);
  computed.delete(entry.id);
  entry.analysis.invalidate();
  health.forget(entry.id);
}

/**
 * Schedules the files that depend on a changed one; they forget what they knew, except
 * `catalogReaders`, which forgot only their catalog rules' findings already.
 */
function recheck(dependents: readonly FileEntry[], now: boolean, catalogReaders?: ReadonlySet<FileEntry>): void {
  const due = dependents.filter((d) => checked(d) && (now || settings.diagnostics.run === 'onType'));
  const pause = scheduler.pauseForDependents(
    due.map((d) => d.id),
    settings.diagnostics.delay,
  );
  for (const d of dependents) {
    if (!catalogReaders?.has(d)) d.analysis.invalidate();
    computed.delete(d.id);
  }
  for (const d of due) scheduler.schedule(d.id, pause);
}

/** After a settings change: what is known stays valid (settings only shape the result). */
function recheckEverything(): void {
  if (!settings.diagnostics.workspaceHealth) health.reset();
  for (const e of index.all()) {
    computed.delete(e.id);
    checkOrForget(e);
  }
}

// ---------------------------------------------------------------- lifecycle

connection.onInitialize((params: InitializeParams): InitializeResult => {
  // Read defensively: a client that leaves parts out (or sends the wrong shape) still gets a server.
  const caps = params?.capabilities ?? {};
  canPullConfiguration = !!caps.workspace?.configuration;
  canWatchDynamically = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canRegisterConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  canFollowFolders = !!caps.workspace?.workspaceFolders;
  const init = params?.initializationOptions as { settings?: unknown } | undefined;
  if (init?.settings) settings = readSettings(init.settings);
  applyFileLimit(settings);
  const folders: unknown = params?.workspaceFolders ?? (params?.rootUri ? [{ uri: params.rootUri }] : []);
  if (!Array.isArray(folders))
    log(`initialize: \`workspaceFolders\` must be a list, not ${describe(folders)} (no folders read)`);
  else
    for (const f of folders as unknown[]) {
      const uri = (f as { uri?: unknown } | null | undefined)?.uri;
      if (typeof uri === 'string') pendingFolders.push(uri);
    }
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: true },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      foldingRangeProvider: true,
      documentLinkProvider: { resolveProvider: false },
      semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: true },
      workspace: {
        workspaceFolders: { supported: true, changeNotifications: true },
        // Files and folders the editor itself creates, renames or deletes (its Explorer, its
        // refactorings) are told at once, before or without its file watcher.
        fileOperations: { didCreate: FILE_OPERATIONS, didRename: FILE_OPERATIONS, didDelete: FILE_OPERATIONS },
      },
    },
    serverInfo: { name: 'tsq-language-server', version },
  };
});

const pendingFolders: string[] = [];

/** The file operations the server hears of: tsq files, `.tsqignore` files, and folders (which hold them). */
const FILE_OPERATIONS: FileOperationRegistrationOptions = {
  filters: [
    { scheme: 'file', pattern: { glob: '**/*.{tsq.yaml,tsq.yml}', matches: 'file' } },
    { scheme: 'file', pattern: { glob: '**/.tsqignore', matches: 'file' } },
    { scheme: 'file', pattern: { glob: '**/*', matches: 'folder' } },
  ],
};

/**
 * What the server watches on disk. Tsq and `.tsqignore` files change in place; anything at all
 * appearing or going matters, because a folder that is created, moved in (an import moves its
 * finished folder into place), renamed or deleted brings or takes tsq files whose own events
 * never come. Each event is asked for once, so that no change arrives twice.
 */
const WATCHERS = [
  { globPattern: '**/*.{tsq.yaml,tsq.yml}', kind: WatchKind.Change },
  { globPattern: '**/.tsqignore', kind: WatchKind.Change },
  { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
];

/** Folder readings under way, so that a newer one (a `.tsqignore` change, a new size cap) can replace them. */
const folderReadings = new Map<Project, JobHandle>();

/**
 * Whether a folder is still being read. A reading counts from the moment it is started, not only
 * once its job has taken its first slice (when its project becomes `scanning`): a request that
 * arrives right after a folder is added must wait for that folder too.
 */
function readingFolders(): boolean {
  for (const reading of folderReadings.values()) if (!reading.done) return true;
  return index.projects.some((p) => p.scanning);
}

/**
 * Reads a workspace folder in the background (a few milliseconds at a time, answering requests in
 * between), then checks its files; checks asked for meanwhile wait until the folder is read.
 */
function readFolder(uri: string): void {
  const job = index.addFolder(uri);
  if (!job) return;
  const folder = uriToId(uri);
  const project = index.projects.find((p) => p.folder === folder);
  if (!project) return;
  startSharedCheck(project);
  folderReadings.set(
    project,
    background.start(
      `reading ${folder}`,
      growingFreelyWhenLarge(job, () => project.files.size),
      () => {
        folderReadings.delete(project);
        if (index.projects.includes(project)) {
          log(`read ${project.files.size} task sequence file(s) in ${folder}`);
          if (!beginSharedCheck(project))
            for (const e of project.files.values()) if (checked(e)) scheduler.schedule(e.id, 0);
        } else if (sharedCheck?.project === project) endSharedCheck();
        releaseWaitingChecks();
        health.changed();
        settleHeapWhenRead();
      },
    ),
  );
  health.changed();
}

/** Reads a folder's files again from disk in the background, then checks what changed. */
function readFolderAgain(project: Project): void {
  // A newer change (to the ignore rules, to the size cap) makes a reading still under way pointless.
  folderReadings.get(project)?.cancel();
  if (sharedCheck?.project === project) endSharedCheck();
  const reading = growingFreelyWhenLarge(index.rescan(project), () => project.files.size);
  folderReadings.set(
    project,
    background.start(`reading ${project.folder} again`, reading, (touched) => {
      folderReadings.delete(project);
      // Files a new `.tsqignore` leaves out (or the new size cap lets go) are gone from the index.
      for (const e of touched) if (!index.get(e.id)) clear(e);
      recheck(touched, true);
      releaseWaitingChecks();
      health.changed();
      settleHeapWhenRead();
    }),
  );
}

function releaseWaitingChecks(): void {
  for (const id of [...waitingForFolder]) {
    const entry = index.get(id);
    if (entry?.project.scanning) continue;
    waitingForFolder.delete(id);
    scheduler.schedule(id, 0);
  }
  if (!readingFolders()) for (const resume of waitingForFolders.splice(0)) resume();
}

/** Requests about a whole folder (its catalogs, its machine profiles) that wait until the folders are read. */
const waitingForFolders: (() => void)[] = [];

function foldersRead(): Promise<void> {
  if (!readingFolders()) return Promise.resolve();
  return new Promise((resume) => waitingForFolders.push(resume));
}

connection.onInitialized(() => {
  safely('start-up', () => {
    for (const uri of pendingFolders.splice(0)) readFolder(uri);
    for (const e of index.all()) if (checked(e)) scheduler.schedule(e.id, 0);
  });
  setTimeout(() => stepByStep('warm-up', warmUp()), 20);
  const registered = (what: string) => (e: unknown) => log(`could not register ${what}: ${String(e)}`);
  if (canWatchDynamically) {
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHERS })
      .then(() => foldersRead())
      .then(() => safely('files written before watching', changedBeforeWatching))
      .catch(registered('file watching'));
  }
  if (canRegisterConfiguration)
    connection.client
      .register(DidChangeConfigurationNotification.type, { section: 'tsq' })
      .catch(registered('settings changes'));
  if (canPullConfiguration) void pullSettings();
  // The library refuses to follow folders for a client that did not say it has them.
  if (canFollowFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) =>
      safely('workspace folders', () => {
        for (const f of e.removed) for (const gone of index.removeFolder(f.uri)) if (!gone.editor) clear(gone);
        if (sharedCheck && !index.projects.includes(sharedCheck.project)) endSharedCheck();
        for (const f of e.added) readFolder(f.uri);
      }),
    );
  }
});

/**
 * Once the file watcher is in place and the folders are read, reads again the files written after
 * they were read but before watching began (a checkout or an unzip still writing when the folder
 * was read): no event will ever tell of those writes. One stat per file read.
 */
function changedBeforeWatching(): void {
  if (shuttingDown) return;
  const written = index.writtenSinceReading();
  for (const e of written) onDisk(e.uri, 'changed');
  log(`watching files${written.length ? `; read again ${written.length} written since the folder was read` : ''}`);
}

/**
 * Runs `job` one step per turn of the event loop until it ends or the server shuts down: messages
 * are read between steps, and the background jobs' slices (a folder's reading) are not shared with it.
 */
function stepByStep(what: string, job: Job<void>): void {
  const step = () => {
    if (shuttingDown) return;
    let done = true;
    safely(what, () => {
      done = !!job.next().done;
    });
    if (!done) setImmediate(step);
  };
  step();
}

async function pullSettings(): Promise<void> {
  try {
    const [section] = (await connection.workspace.getConfiguration([{ section: 'tsq' }])) as unknown[];
    applySettings(readSettings(section));
  } catch (e) {
    log(`could not read the settings: ${String(e)}`);
  }
}

/** Takes new settings; files are checked again only when something changed (and read again for a new size cap). */
function applySettings(next: TsqSettings): void {
  if (JSON.stringify(next) === JSON.stringify(settings)) return;
  const reread = next.files.maxSizeMB !== settings.files.maxSizeMB;
  settings = next;
  if (sharedCheck && (reread || !sharedCheck.fits(next))) endSharedCheck();
  if (reread) {
    applyFileLimit(next);
    for (const gone of index.rereadOpenAndOutside()) if (!index.get(gone.id)) clear(gone);
    for (const project of index.projects) if (project.folder) readFolderAgain(project);
  }
  recheckEverything();
  health.changed();
}

connection.onDidChangeConfiguration((change) => {
  if (canPullConfiguration) void pullSettings();
  else applySettings(readSettings((change.settings as { tsq?: unknown } | undefined)?.tsq));
});

connection.onShutdown(() => {
  shuttingDown = true;
  endSharedCheck();
  scheduler.dispose();
  health.dispose();
  background.dispose();
});

// ---------------------------------------------------------------- documents

onNotification(DidOpenTextDocumentNotification.type, 'open', (p) => {
  const { entry, dependents } = index.open(p.textDocument.uri, p.textDocument.version, p.textDocument.text);
  computed.delete(entry.id);
  scheduler.schedule(entry.id, 0);
  recheck(dependents, false);
});

onNotification(DidChangeTextDocumentNotification.type, 'change', (p) => {
  for (const c of p.contentChanges) {
    if (
      'range' in c &&
      c.range &&
      (c.range.start.line > c.range.end.line ||
        (c.range.start.line === c.range.end.line && c.range.start.character > c.range.end.character))
    ) {
      log(
        `${DidChangeTextDocumentNotification.method}: a change range ends before it starts (applied from its end to its start)`,
      );
    }
  }
  const result = index.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
  if (!result) return;
  const { entry, dependents, catalogReaders } = result;
  if (settings.diagnostics.run === 'onType')
    scheduler.schedule(entry.id, scheduler.pauseAfterTyping(entry.id, settings.diagnostics.delay));
  else scheduler.cancel(entry.id);
  recheck(dependents, false, catalogReaders);
});

onNotification(DidSaveTextDocumentNotification.type, 'save', (p) => {
  const entry = index.get(p.textDocument.uri);
  if (!entry) return;
  scheduler.schedule(entry.id, 0);
  if (settings.diagnostics.run === 'onSave') {
    const linked = index.all().filter((e) => e !== entry && e.project === entry.project && checked(e));
    recheck(linked, true);
  }
});

onNotification(DidCloseTextDocumentNotification.type, 'close', (p) => {
  const result = index.close(p.textDocument.uri);
  if (!result) return;
  if (!index.get(result.entry.id)) clear(result.entry);
  else checkOrForget(result.entry);
  recheck(result.dependents, false);
});

onNotification(DidChangeWatchedFilesNotification.type, 'file watching', (p) => {
  for (const c of p.changes)
    onDisk(
      c.uri,
      c.type === FileChangeType.Deleted ? 'gone' : c.type === FileChangeType.Created ? 'appeared' : 'changed',
    );
});

onNotification(DidCreateFilesNotification.type, 'created files', (p) => {
  for (const f of p.files) onDisk(f.uri, 'appeared');
});
onNotification(DidRenameFilesNotification.type, 'renamed files', (p) => {
  for (const f of p.files) {
    onDisk(f.oldUri, 'gone');
    onDisk(f.newUri, 'appeared');
  }
});
onNotification(DidDeleteFilesNotification.type, 'deleted files', (p) => {
  for (const f of p.files) onDisk(f.uri, 'gone');
});

/**
 * Brings the index up to date with one change on disk, and checks again at once what it touches:
 * a tsq file itself, the tsq files of a folder that appeared or went, or a folder's files after
 * its `.tsqignore` changed. Hearing of the same change twice does no harm.
 */
function onDisk(uri: string, what: 'appeared' | 'changed' | 'gone'): void {
  if (uri.endsWith('/.tsqignore')) {
    for (const project of index.projects) if (project.folder && project.holds(uriToId(uri))) readFolderAgain(project);
    return;
  }
  if (isTsqFileName(uri)) {
    const { entry, dependents } = index.diskChanged(uri, what === 'gone');
    if (entry && !index.get(entry.id)) clear(entry);
    else if (entry && checked(entry)) scheduler.schedule(entry.id, 0);
    recheck(dependents, true);
    return;
  }
  if (what === 'appeared') {
    const { added, dependents } = index.pathAppeared(uri);
    for (const e of added) if (checked(e)) scheduler.schedule(e.id, 0);
    recheck(dependents, true);
  } else if (what === 'gone') {
    const { gone, dependents } = index.pathGone(uri);
    for (const e of gone) clear(e);
    recheck(dependents, true);
  }
}

// ---------------------------------------------------------------- features

onDocumentRequest(CompletionRequest.type, null, (entry, p) =>
  completion(index, entry, offsetOf(entry, p.position, CompletionRequest.method)),
);
onRequest(CompletionResolveRequest.type, null as never, (item) => {
  try {
    return resolveCompletion(index, item);
  } catch (e) {
    // The item as it came is still a completion: the client shows it without details.
    logFailure(CompletionResolveRequest.method, e);
    return item;
  }
});
onDocumentRequest(HoverRequest.type, null, (entry, p) =>
  hover(index, entry, offsetOf(entry, p.position, HoverRequest.method)),
);
onDocumentRequest(DefinitionRequest.type, null, (entry, p) =>
  definition(index, entry, offsetOf(entry, p.position, DefinitionRequest.method)),
);
onDocumentRequest(ReferencesRequest.type, null, (entry, p, token) =>
  references(index, entry, offsetOf(entry, p.position, ReferencesRequest.method), p.context.includeDeclaration, token),
);
onDocumentRequest(PrepareRenameRequest.type, null, (entry, p) => {
  const r = prepareRename(index, entry, offsetOf(entry, p.position, PrepareRenameRequest.method));
  return typeof r === 'string' ? new ResponseError(-32803, r) : r;
});
onDocumentRequest(RenameRequest.type, null, (entry, p) => {
  const r = rename(index, entry, offsetOf(entry, p.position, RenameRequest.method), p.newName);
  return typeof r === 'string' ? new ResponseError(-32803, r) : r;
});
// The outline, breadcrumbs and sticky scroll all ask for it, once per revision each.
// It is megabytes of JSON on a large file, so it is sent from its kept serialisation (kept-json.ts).
const outline = perRevision((entry) => keep(documentSymbols(index, entry)));
onDocumentRequest(DocumentSymbolRequest.type, [], outline);
// Every file of the workspace is searched: a folder added or read again is waited for, not half-listed.
onRequest(WorkspaceSymbolRequest.type, [], async (p, token) => {
  await foldersRead();
  return workspaceSymbols(index, p.query, token);
});
onDocumentRequest(CodeActionRequest.type, [], (entry, p) => {
  const asked = p.context.diagnostics
    .filter((d) => d.source === 'tsq')
    .map((d) => ({ code: d.code, message: typeof d.message === 'string' ? d.message : d.message.value }));
  const start = offsetOf(entry, p.range.start, CodeActionRequest.method);
  const end = offsetOf(entry, p.range.end, CodeActionRequest.method);
  return codeActions(
    index,
    entry,
    diagnosticsOf(entry),
    Math.min(start, end),
    Math.max(start, end),
    p.context.only,
    asked,
  );
});
onDocumentRequest(FoldingRangeRequest.type, [], (entry) => foldingRanges(index, entry));
onDocumentRequest(DocumentLinkRequest.type, [], (entry) => documentLinks(index, entry));
onDocumentRequest(SemanticTokensRequest.type, { data: [] }, (entry) => semanticTokens(index, entry));
onDocumentRequest(SemanticTokensRangeRequest.type, { data: [] }, (entry, p) => {
  const start = offsetOf(entry, p.range.start, SemanticTokensRangeRequest.method);
  const end = offsetOf(entry, p.range.end, SemanticTokensRangeRequest.method);
  return semanticTokens(index, entry, { start: Math.min(start, end), end: Math.max(start, end) });
});

const RUN_LOG_FAILED: RunLogResult = {
  ok: false,
  message: 'tsq could not read the run log; the Task Sequence output has the details.',
};
onRequest(RunLogRequest, RUN_LOG_FAILED, (p: RunLogParams): RunLogResult => {
  const uri = p?.textDocument?.uri;
  const entry = typeof uri === 'string' ? index.get(uri) : undefined;
  return entry
    ? runLogFor(index, entry, p)
    : { ok: false, message: 'Open the task sequence file in the editor first.' };
});

const DOCUMENTATION_FAILED: DocumentationResult = {
  ok: false,
  message: 'tsq could not write the documentation; the Task Sequence output has the details.',
};
onRequest(DocumentationRequest, DOCUMENTATION_FAILED, (p: DocumentationParams): DocumentationResult => {
  const uri = p?.textDocument?.uri;
  const entry = typeof uri === 'string' ? index.get(uri) : undefined;
  return entry
    ? documentationFor(index, entry)
    : { ok: false, message: 'Open the task sequence file in the editor first.' };
});
onDocumentRequest(SequenceTreeRequest, null, (entry) => sequenceTree(index, entry, diagnosticsOf));
onRequest(
  SequenceEditRequest,
  { ok: false, message: 'tsq could not make that change; the Task Sequence output has the details.' },
  (p) => {
    const entry = index.get(p.textDocument.uri);
    return entry
      ? sequenceEdit(index, entry, p)
      : { ok: false, message: 'Open the task sequence file in the editor first.' };
  },
);
onRequest(StepChoicesRequest, [], () => stepChoices());
onRequest(CatalogEntriesRequest, { catalogs: false, entries: [] }, async (p) => {
  await foldersRead();
  return catalogEntries(index, p);
});
onRequest(
  CreateFileRequest,
  { ok: false, message: 'tsq could not write the file; the Task Sequence output has the details.' },
  (p) => createFile(p),
);
onRequest(MachineProfilesRequest, { profiles: [] }, async (p) => {
  await foldersRead();
  return machineProfiles(index, p ?? {}, diagnosticsOf);
});

process.on('uncaughtException', (e) => logFailure('unexpected error', e));
process.on('unhandledRejection', (e) => logFailure('unexpected error', e));

connection.listen();
