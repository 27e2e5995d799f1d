// The tsq language server: plain LSP over stdio (`tsq-language-server --stdio`), node IPC (the VS
// Code client) or a socket. This file wires the protocol to the file index and the feature
// modules; every feature is guarded, so that a failure is logged and its request answers empty
// instead of taking the server down.

import './memory';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import type { Diagnostic } from '../analysis/diagnostic';
import { analyzeDocument } from '../analysis/analyze';
import { Workspace } from '../analysis/workspace';
import { parseDocument } from '../model/document';
import { allSteps } from '../catalog';
import { FileIndex, type FileEntry, type Project } from './projects';
import { uriToId } from './uri';
import { CheckScheduler, DEPENDENT_PAUSE_MS, toLspDiagnostic } from './diagnostics';
import { BackgroundJobs, type JobHandle } from './background';
import { DEFAULT_SETTINGS, readSettings, type TsqSettings } from './settings';
import { completion, resolveCompletion, COMPLETION_TRIGGERS } from './completion';
import { hover } from './hover';
import { codeActions } from './code-actions';
import { documentSymbols, workspaceSymbols } from './symbols';
import { definition, references, prepareRename, rename } from './navigation';
import { foldingRanges } from './folding';
import { documentLinks } from './links';
import { SEMANTIC_LEGEND, semanticTokens } from './semantic-tokens';
import { version } from '../../../package.json';

const connection = createConnection(ProposedFeatures.all);
const index = new FileIndex();
let settings: TsqSettings = DEFAULT_SETTINGS;
let canPullConfiguration = false;
let canWatchDynamically = false;
let canRegisterConfiguration = false;
let shuttingDown = false;

/** Engine diagnostics of each file as last computed (for the document object they belong to). */
const computed = new Map<string, { doc: object; list: Diagnostic[] }>();

/** Files whose diagnostics the client is showing. */
const shown = new Set<string>();

const scheduler = new CheckScheduler((id) => check(id), (id) => !!index.get(id)?.editor);
const background = new BackgroundJobs((what, e) => connection.console.error(`tsq: ${what} failed: ${e instanceof Error ? e.message : String(e)}`));

function log(message: string): void {
  connection.console.log(`tsq: ${message}`);
}

/** Wraps a request handler: cancelled requests say so; failures are logged and answer `empty`. */
function guard<P, R>(name: string, empty: R, handler: (params: P, token: CancellationToken) => R): (params: P, token: CancellationToken) => R | ResponseError<void> {
  return (params, token) => {
    if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
    try {
      return handler(params, token);
    } catch (e) {
      connection.console.error(`tsq: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return empty;
    }
  };
}

/** Runs a notification handler, logging instead of throwing. */
function safely(name: string, handler: () => void): void {
  try {
    handler();
  } catch (e) {
    connection.console.error(`tsq: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

// ---------------------------------------------------------------- diagnostics

function published(entry: FileEntry): boolean {
  return !!entry.editor || settings.diagnostics.scope === 'workspace';
}

/** The engine diagnostics of `entry`'s current text, computing them if they are not current. */
export function diagnosticsOf(entry: FileEntry): Diagnostic[] {
  const known = computed.get(entry.id);
  if (known && known.doc === entry.doc) return known.list;
  const list = entry.analysis.analyze(entry.project.ws, entry.doc, {
    severity: settings.diagnostics.severity,
    onRuleError: (rule, e) => connection.console.error(`tsq: rule ${rule.code} failed on ${entry.id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  });
  computed.set(entry.id, { doc: entry.doc, list });
  return list;
}

/** Checks that wait for the folder of their file to be read (its catalogs, children, ...). */
const waitingForFolder = new Set<string>();

function check(id: string): void {
  if (shuttingDown) return;
  safely(`checking ${id}`, () => {
    const entry = index.get(id);
    if (!entry || !published(entry)) return;
    if (entry.project.scanning) {
      waitingForFolder.add(id);
      return;
    }
    const list = diagnosticsOf(entry);
    shown.add(entry.id);
    void connection.sendDiagnostics({ uri: entry.uri, version: entry.editor?.version, diagnostics: list.map((d) => toLspDiagnostic(index, entry, d)) });
  });
}

function clear(entry: FileEntry): void {
  scheduler.cancel(entry.id);
  computed.delete(entry.id);
  shown.delete(entry.id);
  void connection.sendDiagnostics({ uri: entry.uri, diagnostics: [] });
}

/** Schedules the files that depend on a changed one (they were told to forget what they knew). */
function recheck(dependents: readonly FileEntry[], now: boolean): void {
  for (const d of dependents) {
    d.analysis.invalidate();
    computed.delete(d.id);
    if (published(d) && (now || settings.diagnostics.run === 'onType')) scheduler.schedule(d.id, settings.diagnostics.delay ?? DEPENDENT_PAUSE_MS);
  }
}

/** After a settings change: what is known stays valid (settings only shape the result). */
function recheckEverything(): void {
  for (const e of index.all()) {
    computed.delete(e.id);
    if (published(e)) scheduler.schedule(e.id, 0);
    else if (shown.has(e.id)) clear(e);
  }
}

// ---------------------------------------------------------------- lifecycle

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  canPullConfiguration = !!caps.workspace?.configuration;
  canWatchDynamically = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canRegisterConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  const init = params.initializationOptions as { settings?: unknown } | undefined;
  if (init?.settings) settings = readSettings(init.settings);
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  pendingFolders.push(...folders.map((f) => f.uri));
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
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'tsq-language-server', version },
  };
});

const pendingFolders: string[] = [];

/**
 * Reads a workspace folder in the background (a few milliseconds at a time, answering requests in
 * between), then checks its files; checks asked for meanwhile wait until the folder is read.
 */
function readFolder(uri: string): void {
  const job = index.addFolder(uri);
  if (!job) return;
  const folder = uriToId(uri);
  background.start(`reading ${folder}`, job, () => {
    const project = index.projects.find((p) => p.folder === folder);
    if (project) {
      log(`read ${project.files.size} task sequence file(s) in ${folder}`);
      for (const e of project.files.values()) if (published(e)) scheduler.schedule(e.id, 0);
    }
    releaseWaitingChecks();
  });
}

/** Folders being read again after a `.tsqignore` change. */
const rereading = new Map<Project, JobHandle>();

function releaseWaitingChecks(): void {
  for (const id of [...waitingForFolder]) {
    const entry = index.get(id);
    if (entry?.project.scanning) continue;
    waitingForFolder.delete(id);
    scheduler.schedule(id, 0);
  }
}

connection.onInitialized(() => {
  safely('start-up', () => {
    for (const uri of pendingFolders.splice(0)) readFolder(uri);
    for (const e of index.all()) if (published(e)) scheduler.schedule(e.id, 0);
  });
  setTimeout(() => safely('warm-up', warmUp), 20);
  const registered = (what: string) => (e: unknown) => log(`could not register ${what}: ${String(e)}`);
  if (canWatchDynamically) {
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{tsq.yaml,tsq.yml}' }, { globPattern: '**/.tsqignore' }] }).catch(registered('file watching'));
  }
  if (canRegisterConfiguration) connection.client.register(DidChangeConfigurationNotification.type, { section: 'tsq' }).catch(registered('settings changes'));
  if (canPullConfiguration) void pullSettings();
  connection.workspace.onDidChangeWorkspaceFolders((e) => safely('workspace folders', () => {
    for (const f of e.removed) for (const gone of index.removeFolder(f.uri)) if (!gone.editor) clear(gone);
    for (const f of e.added) readFolder(f.uri);
  }));
});

/**
 * Checks a small sequence that uses every action once, in the background after start-up, so
 * that the schema validators are compiled and the code is warm before the first file opens.
 */
function warmUp(): void {
  if (shuttingDown) return;
  const text = `sequence: warm-up\nsteps:\n${allSteps().map((s) => `  - name: ${s.key}\n    action: ${s.key}\n    with: {}\n`).join('')}`;
  const ws = new Workspace();
  const doc = parseDocument('untitled:tsq-warm-up', text);
  ws.upsert(doc);
  analyzeDocument(ws, doc);
}

async function pullSettings(): Promise<void> {
  try {
    const [section] = await connection.workspace.getConfiguration([{ section: 'tsq' }]);
    applySettings(readSettings(section));
  } catch (e) {
    log(`could not read the settings: ${String(e)}`);
  }
}

/** Takes new settings; files are checked again only when something changed. */
function applySettings(next: TsqSettings): void {
  if (JSON.stringify(next) === JSON.stringify(settings)) return;
  settings = next;
  recheckEverything();
}

connection.onDidChangeConfiguration((change) => {
  if (canPullConfiguration) void pullSettings();
  else applySettings(readSettings((change.settings as { tsq?: unknown } | undefined)?.tsq));
});

connection.onShutdown(() => {
  shuttingDown = true;
  scheduler.dispose();
  background.dispose();
});

// ---------------------------------------------------------------- documents

connection.onDidOpenTextDocument((p) => safely('open', () => {
  const { entry, dependents } = index.open(p.textDocument.uri, p.textDocument.version, p.textDocument.text);
  computed.delete(entry.id);
  scheduler.schedule(entry.id, 0);
  recheck(dependents, false);
}));

connection.onDidChangeTextDocument((p) => safely('change', () => {
  const result = index.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
  if (!result) return;
  const { entry, dependents } = result;
  if (settings.diagnostics.run === 'onType') scheduler.schedule(entry.id, scheduler.pauseAfterTyping(entry.id, settings.diagnostics.delay));
  else scheduler.cancel(entry.id);
  recheck(dependents, false);
}));

connection.onDidSaveTextDocument((p) => safely('save', () => {
  const entry = index.get(p.textDocument.uri);
  if (!entry) return;
  scheduler.schedule(entry.id, 0);
  if (settings.diagnostics.run === 'onSave') {
    const linked = index.all().filter((e) => e !== entry && e.project === entry.project && published(e));
    recheck(linked, true);
  }
}));

connection.onDidCloseTextDocument((p) => safely('close', () => {
  const result = index.close(p.textDocument.uri);
  if (!result) return;
  if (!published(result.entry) || !index.get(result.entry.id)) clear(result.entry);
  else scheduler.schedule(result.entry.id, 0);
  recheck(result.dependents, false);
}));

connection.onDidChangeWatchedFiles((p) => safely('file watching', () => {
  for (const c of p.changes) {
    if (c.uri.endsWith('.tsqignore')) {
      for (const project of index.projects) {
        if (!project.folder || !project.holds(uriToId(c.uri))) continue;
        // A newer change to the ignore rules makes a reading still under way pointless.
        rereading.get(project)?.cancel();
        rereading.set(project, background.start(`reading ${project.folder} again`, index.rescan(project), (touched) => {
          rereading.delete(project);
          recheck(touched, true);
          releaseWaitingChecks();
        }));
      }
      continue;
    }
    const { entry, dependents } = index.diskChanged(c.uri, c.type === FileChangeType.Deleted);
    if (entry && c.type === FileChangeType.Deleted && !entry.editor) clear(entry);
    else if (entry && published(entry)) scheduler.schedule(entry.id, DEPENDENT_PAUSE_MS);
    recheck(dependents, true);
  }
}));

// ---------------------------------------------------------------- features

function entryOf(uri: string): FileEntry | undefined {
  return index.get(uri);
}

connection.onCompletion(guard('completion', null, (p) => {
  const entry = entryOf(p.textDocument.uri);
  return entry ? completion(index, entry, index.positions(entry).offsetAt(p.position)) : null;
}));
connection.onCompletionResolve((item) => {
  try {
    return resolveCompletion(index, item);
  } catch (e) {
    connection.console.error(`tsq: completion details failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return item;
  }
});
connection.onHover(guard('hover', null, (p) => {
  const entry = entryOf(p.textDocument.uri);
  return entry ? hover(index, entry, index.positions(entry).offsetAt(p.position)) : null;
}));
connection.onDefinition(guard('go to definition', null, (p) => {
  const entry = entryOf(p.textDocument.uri);
  return entry ? definition(index, entry, index.positions(entry).offsetAt(p.position)) : null;
}));
connection.onReferences(guard('find references', null, (p, token) => {
  const entry = entryOf(p.textDocument.uri);
  return entry ? references(index, entry, index.positions(entry).offsetAt(p.position), p.context.includeDeclaration, token) : null;
}));
connection.onPrepareRename(guard('prepare rename', null, (p) => {
  const entry = entryOf(p.textDocument.uri);
  if (!entry) return null;
  const r = prepareRename(index, entry, index.positions(entry).offsetAt(p.position));
  return typeof r === 'string' ? new ResponseError(-32803, r) : r;
}));
connection.onRenameRequest(guard('rename', null, (p) => {
  const entry = entryOf(p.textDocument.uri);
  if (!entry) return null;
  const r = rename(index, entry, index.positions(entry).offsetAt(p.position), p.newName);
  return typeof r === 'string' ? new ResponseError(-32803, r) : r;
}));
connection.onDocumentSymbol(guard('document symbols', [], (p) => {
  const entry = entryOf(p.textDocument.uri);
  return entry ? documentSymbols(index, entry) : [];
}));
connection.onWorkspaceSymbol(guard('workspace symbols', [], (p, token) => workspaceSymbols(index, p.query, token)));
connection.onCodeAction(guard('quick fixes', [], (p) => {
  const entry = entryOf(p.textDocument.uri);
  if (!entry) return [];
  const at = index.positions(entry);
  const asked = p.context.diagnostics.filter((d) => d.source === 'tsq').map((d) => ({ code: d.code, message: typeof d.message === 'string' ? d.message : d.message.value }));
  return codeActions(index, entry, diagnosticsOf(entry), at.offsetAt(p.range.start), at.offsetAt(p.range.end), p.context.only, asked);
}));
connection.onFoldingRanges(guard('folding', [], (p) => {
  const entry = entryOf(p.textDocument.uri);
  return entry ? foldingRanges(index, entry) : [];
}));
connection.onDocumentLinks(guard('document links', [], (p) => {
  const entry = entryOf(p.textDocument.uri);
  return entry ? documentLinks(index, entry) : [];
}));
connection.languages.semanticTokens.on(guard('semantic tokens', { data: [] }, (p) => {
  const entry = entryOf(p.textDocument.uri);
  return entry ? semanticTokens(index, entry) : { data: [] };
}));
connection.languages.semanticTokens.onRange(guard('semantic tokens', { data: [] }, (p) => {
  const entry = entryOf(p.textDocument.uri);
  if (!entry) return { data: [] };
  const at = index.positions(entry);
  return semanticTokens(index, entry, { start: at.offsetAt(p.range.start), end: at.offsetAt(p.range.end) });
}));

process.on('uncaughtException', (e) => connection.console.error(`tsq: unexpected error: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`tsq: unexpected error: ${String(e)}`));

connection.listen();
