// "Task Sequence: Open Run Log…": the admin picks the smsts.log files of a real run, the language
// server reads and matches them (the `tsq/runLog` request, lsp/run-log.ts), and this draws the
// answer on the sequence and its child sequences: ✔ ✘ ↷ in the gutter, ConfigMgr's step number
// after each group and step (the pointer smsts.log shows), the log lines on hover, and the
// failures in the Problems panel under their own source, apart from the lint problems. "Save
// Replay Machine…" writes the machine profile that replays the run under the debugger (through
// files/write.ts, like every output). "Task Sequence: Clear Run Log" takes it all away.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { writeFileSafely } from '../../server/src/files/write';
import { attempt } from '../../server/src/interop/errors';
import {
  RUN_LOG_REQUEST,
  type RunLogDocument,
  type RunLogNodeStatus,
  type RunLogParams,
  type RunLogResult,
} from '../../server/src/frontend/run-log-protocol';

const SOURCE = 'tsq run log';
const ICONS: Record<RunLogNodeStatus, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'failed-continued': 'failed-continued',
  skipped: 'skipped',
  disabled: 'skipped',
  'not-reached': 'not-reached',
  unfinished: 'unfinished',
};

interface Shown {
  /** By file path (URIs of the same file can be spelled differently). */
  documents: Map<string, RunLogDocument>;
  summary: string;
}

function keyOf(uri: vscode.Uri | string): string {
  const u = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
  const p = u.scheme === 'file' ? u.fsPath : u.toString();
  return process.platform === 'win32' ? p.toLowerCase() : p;
}

export class RunLogView implements vscode.Disposable {
  private readonly statusTypes = new Map<RunLogNodeStatus, vscode.TextEditorDecorationType>();
  private readonly numberType: vscode.TextEditorDecorationType;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection(SOURCE);
  private shown: Shown | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
  ) {
    for (const status of Object.keys(ICONS) as RunLogNodeStatus[]) {
      const failed = status === 'failed';
      this.statusTypes.set(
        status,
        vscode.window.createTextEditorDecorationType({
          gutterIconPath: context.asAbsolutePath(`images/run-log/${ICONS[status]}.svg`),
          gutterIconSize: 'contain',
          overviewRulerColor: failed
            ? new vscode.ThemeColor('editorError.foreground')
            : status === 'failed-continued'
              ? new vscode.ThemeColor('editorWarning.foreground')
              : undefined,
          overviewRulerLane: vscode.OverviewRulerLane.Left,
        }),
      );
    }
    this.numberType = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    });
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.draw(e))),
      vscode.commands.registerCommand('tsq.openRunLog', (logs?: vscode.Uri[] | string[]) => this.open(logs)),
      vscode.commands.registerCommand('tsq.clearRunLog', () => this.clear()),
    );
  }

  /** Asks for the logs (unless given), has the server read them, and draws the run. */
  async open(given?: (vscode.Uri | string)[]): Promise<RunLogResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'tasksequence') {
      void vscode.window.showErrorMessage('Open the task sequence (*.tsq.yaml) that ran, then open its run log.');
      return undefined;
    }
    const client = this.client();
    if (!client) {
      void vscode.window.showErrorMessage('The Task Sequence language server is not running.');
      return undefined;
    }
    const picked = given?.length
      ? given
      : await vscode.window.showOpenDialog({
          canSelectMany: true,
          openLabel: 'Open Run Log',
          title: 'smsts.log files of the run (smsts.log and the smsts-*.log files beside it)',
          filters: { 'Task sequence logs': ['log', 'lo_'], 'All files': ['*'] },
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        });
    if (!picked?.length) return undefined;
    const params: RunLogParams = {
      textDocument: { uri: editor.document.uri.toString() },
      logs: picked.map((p) => (typeof p === 'string' ? p : p.toString())),
    };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Reading the run log' },
      () => client.sendRequest<RunLogResult>(RUN_LOG_REQUEST, params),
    );
    if (!result.ok) {
      void vscode.window.showErrorMessage(`Run log not shown: ${result.message}`);
      return result;
    }
    this.show(result);
    const message = `${result.summary}${result.notes.length ? ` (${result.notes.join('; ')})` : ''}`;
    const show =
      result.result === 'succeeded' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(message, 'Save Replay Machine…', 'Clear Run Log').then((choice) => {
      if (choice === 'Clear Run Log') this.clear();
      else if (choice) void this.saveReplay(editor.document.uri, result);
    });
    return result;
  }

  /** Saves the machine profile that replays the run, beside the sequence unless the admin says otherwise. */
  private async saveReplay(sequence: vscode.Uri, result: Extract<RunLogResult, { ok: true }>): Promise<void> {
    const suggested =
      sequence.scheme === 'file'
        ? path.join(
            path.dirname(sequence.fsPath),
            `replay-${path.basename(sequence.fsPath).replace(/\.tsq\.ya?ml$/i, '')}.tsq.yaml`,
          )
        : undefined;
    const target = await vscode.window.showSaveDialog({
      title: 'Machine profile that replays the run',
      defaultUri: suggested ? vscode.Uri.file(suggested) : undefined,
      filters: { 'Machine profile': ['tsq.yaml'] },
    });
    if (!target) return;
    const inputs = [...result.logs, ...(sequence.scheme === 'file' ? [sequence.fsPath] : [])];
    const written = attempt(() =>
      writeFileSafely(target.fsPath, result.machineProfile, { label: path.basename(target.fsPath), inputs }),
    );
    if (!written.ok) {
      void vscode.window.showErrorMessage(
        `The replay machine was not saved: ${written.error.message}${written.error.hint ? ` ${written.error.hint}` : ''}`,
      );
      return;
    }
    await vscode.window.showTextDocument(target);
    void vscode.window.showInformationMessage(
      `Saved ${path.basename(target.fsPath)}. Press F5 on the sequence and pick it to step through the run.`,
    );
  }

  private show(result: Extract<RunLogResult, { ok: true }>): void {
    this.clear();
    this.shown = { documents: new Map(result.documents.map((d) => [keyOf(d.uri), d])), summary: result.summary };
    for (const d of result.documents) {
      const uri = vscode.Uri.parse(d.uri);
      this.diagnostics.set(
        uri,
        d.problems.map((p) => {
          const diagnostic = new vscode.Diagnostic(
            toRange(p.range),
            p.message,
            p.severity === 1 ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
          );
          diagnostic.source = SOURCE;
          return diagnostic;
        }),
      );
    }
    for (const editor of vscode.window.visibleTextEditors) this.draw(editor);
  }

  private draw(editor: vscode.TextEditor): void {
    const doc = this.shown?.documents.get(keyOf(editor.document.uri));
    const byStatus = new Map<RunLogNodeStatus, vscode.DecorationOptions[]>();
    const numbers: vscode.DecorationOptions[] = [];
    for (const node of doc?.nodes ?? []) {
      const range = toRange(node.range);
      if (range.start.line >= editor.document.lineCount) continue;
      const hover = new vscode.MarkdownString(node.hover);
      if (node.status) {
        const list = byStatus.get(node.status) ?? [];
        list.push({ range, hoverMessage: hover });
        byStatus.set(node.status, list);
      }
      const end = editor.document.lineAt(range.start.line).range.end;
      const label = `#${node.pointer ?? '?'}${node.exitCode !== null && node.exitCode !== 0 ? ` · exit ${node.exitCode}` : ''}`;
      numbers.push({
        range: new vscode.Range(end, end),
        renderOptions: { after: { contentText: label } },
        hoverMessage: hover,
      });
    }
    for (const [status, type] of this.statusTypes) editor.setDecorations(type, byStatus.get(status) ?? []);
    editor.setDecorations(this.numberType, numbers);
  }

  clear(): void {
    this.shown = undefined;
    this.diagnostics.clear();
    for (const editor of vscode.window.visibleTextEditors) this.draw(editor);
  }

  dispose(): void {
    this.clear();
    for (const type of this.statusTypes.values()) type.dispose();
    this.numberType.dispose();
    this.diagnostics.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function toRange(r: {
  start: { line: number; character: number };
  end: { line: number; character: number };
}): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Registers the run-log commands (called from the extension's `activate`). */
export function registerRunLog(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(new RunLogView(context, client));
}
