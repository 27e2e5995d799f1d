// VS Code commands for moving sequences in and out of ConfigMgr: "Import Task Sequence" (a file
// picker, a folder picker, progress, a password prompt for protected packages) and "Export Task
// Sequence" (XML, a ConfigMgr export .zip or a .tsqpkg, with an optional password). The work is
// done by the engine's interop module; this file only asks and shows. Notes go to an output
// channel so nothing an import kept verbatim goes unnoticed.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { IMPORT_INPUT_LIMIT, importFile } from '../../server/src/interop/import';
import { readFileBounded, refusalOf } from '../../server/src/files/read';
import { exportToFile, type ExportFormat } from '../../server/src/interop/export';
import { formatNotes, type Note } from '../../server/src/interop/report';
import { loadPaths } from '../../server/src/cli/files';
import { isTsqFileName } from '../../server/src/model/kinds';
import { normalisePath } from '../../server/src/util/paths';

let channel: vscode.OutputChannel | undefined;

function output(): vscode.OutputChannel {
  return (channel ??= vscode.window.createOutputChannel('tsq import/export'));
}

function showNotes(title: string, notes: readonly Note[]): void {
  const ch = output();
  ch.appendLine(`── ${title}`);
  if (notes.length) ch.appendLine(formatNotes(notes));
  else ch.appendLine('(nothing to report)');
}

async function askPassword(prompt: string, confirm = false): Promise<string | undefined> {
  const pw = await vscode.window.showInputBox({ prompt, password: true, ignoreFocusOut: true });
  if (pw === undefined || !confirm || pw === '') return pw;
  const again = await vscode.window.showInputBox({ prompt: 'Enter the password again', password: true, ignoreFocusOut: true });
  if (again !== pw) {
    void vscode.window.showErrorMessage('The passwords differ; nothing was exported.');
    return undefined;
  }
  return pw;
}

/** Arguments that skip the dialogs (for keybindings, tasks and tests). */
export interface ImportArgs {
  out?: string;
  overwrite?: boolean;
  password?: string;
}

export interface ExportArgs {
  format?: ExportFormat;
  out?: string;
  password?: string;
}

async function importCommand(fileArg?: vscode.Uri, args: ImportArgs = {}): Promise<string[] | undefined> {
  const picked = fileArg ? [fileArg] : await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Import',
    title: 'Import a task sequence',
    filters: { 'Task sequences': ['xml', 'zip', 'tsqpkg'], 'All files': ['*'] },
  });
  if (!picked?.length) return undefined;
  const source = picked[0].fsPath;
  let out = args.out;
  if (!out) {
    const folder = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Import here',
      title: 'Folder for the imported *.tsq.yaml files',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!folder?.length) return undefined;
    const suggested = path.join(folder[0].fsPath, path.basename(source).replace(/\.[^.]+$/, ''));
    out = await vscode.window.showInputBox({ prompt: 'Write the files into this folder (created when missing; all or nothing)', value: suggested, ignoreFocusOut: true });
    if (!out) return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = readFileBounded(source, IMPORT_INPUT_LIMIT);
  } catch (e) {
    const refusal = refusalOf(source, e);
    void vscode.window.showErrorMessage(`Import refused: ${refusal.message}${refusal.hint ? ` ${refusal.hint}` : ''}`);
    return undefined;
  }
  let password = args.password;
  let overwrite = args.overwrite ?? false;
  for (;;) {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Importing ${path.basename(source)}`, cancellable: false },
      async (progress) => {
        let last = 0;
        return importFile(bytes, source, out!, {
          password,
          overwrite,
          progress: (message, fraction) => {
            progress.report({ message, increment: Math.max(0, (fraction - last) * 100) });
            last = fraction;
          },
        });
      },
    );
    if (result.ok) {
      const { plan, written } = result.value;
      showNotes(`Imported ${source} into ${out}`, plan.report.notes);
      const main = plan.sequences[0]?.file ?? written.find((w) => isTsqFileName(w) && !/catalog/i.test(path.basename(w)));
      if (main) await vscode.window.showTextDocument(vscode.Uri.file(path.isAbsolute(main) ? main : path.join(out, main)));
      const kept = plan.report.notes.length;
      void vscode.window.showInformationMessage(`Imported ${written.length} file(s) into ${path.basename(out)}.${kept ? ` ${kept} note(s) about settings kept verbatim or passwords left out.` : ''}`, ...(kept ? ['Show notes'] : [])).then((choice) => {
        if (choice === 'Show notes') output().show(true);
      });
      return written;
    }
    const message = result.error.message;
    if (/protected by a password|password is wrong/.test(message) && args.password === undefined) {
      password = await askPassword(/wrong/.test(message) ? 'The password is wrong; try again' : `Password of ${path.basename(source)}`);
      if (password === undefined) return undefined;
      continue;
    }
    if (/already exist/.test(message) && !overwrite && args.overwrite === undefined) {
      const replace = await vscode.window.showWarningMessage(`${message} Replace them?`, { modal: true }, 'Replace');
      if (replace !== 'Replace') return undefined;
      overwrite = true;
      continue;
    }
    void vscode.window.showErrorMessage(`Import refused: ${message}${result.error.hint ? ` ${result.error.hint}` : ''}`);
    return undefined;
  }
}

const FORMATS: { label: string; format: ExportFormat; extension: string; description: string }[] = [
  { label: 'ConfigMgr sequence XML', format: 'xml', extension: 'xml', description: 'the <sequence> document (Import-CMTaskSequence)' },
  { label: 'ConfigMgr export package (.zip)', format: 'zip', extension: 'zip', description: 'for the console’s Import Task Sequence wizard' },
  { label: 'tsq package (.tsqpkg)', format: 'tsqpkg', extension: 'tsqpkg', description: 'sequences, catalog and machines; optionally with a password' },
];

async function exportCommand(fileArg?: vscode.Uri, args: ExportArgs = {}): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const uri = fileArg ?? editor?.document.uri;
  if (!uri || uri.scheme !== 'file' || !isTsqFileName(uri.fsPath)) {
    void vscode.window.showErrorMessage('Open a *.tsq.yaml sequence (or pick one in the Explorer) to export it.');
    return undefined;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const known = args.format ? FORMATS.find((f) => f.format === args.format) : undefined;
  const choice = known ? { f: known } : await vscode.window.showQuickPick(FORMATS.map((f) => ({ label: f.label, description: f.description, f })), { title: 'Export as' });
  if (!choice) return undefined;
  const { format, extension } = choice.f;
  let password = args.password;
  if (format === 'tsqpkg' && password === undefined && !args.out) {
    password = await askPassword('Password to protect the package (leave empty for none)', true);
    if (password === undefined) return undefined;
  }
  if (password === '') password = undefined;
  const target = args.out ? vscode.Uri.file(args.out) : await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(uri.fsPath.replace(/\.tsq\.ya?ml$/i, `.${extension}`)),
    filters: { [choice.f.label]: [extension] },
    title: 'Export task sequence',
  });
  if (!target) return undefined;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(uri.fsPath)}` }, async () => {
    const { ws } = loadPaths([uri.fsPath]);
    const doc = ws.get(normalisePath(uri.fsPath));
    if (!doc || doc.kind !== 'sequence') return undefined;
    return exportToFile(ws, doc, target.fsPath, { format, password });
  });
  if (!result) {
    void vscode.window.showErrorMessage(`${path.basename(uri.fsPath)} is not a sequence file.`);
    return undefined;
  }
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Export failed, nothing was written: ${result.error.message}${result.error.hint ? ` ${result.error.hint}` : ''}`);
    return undefined;
  }
  showNotes(`Exported ${uri.fsPath} to ${target.fsPath}`, result.value.report.notes);
  const notes = result.value.report.notes.length;
  void vscode.window.showInformationMessage(`Exported to ${path.basename(target.fsPath)}${password ? ' (encrypted)' : ''}.${notes ? ` ${notes} note(s).` : ''}`, ...(notes ? ['Show notes'] : [])).then((pick) => {
    if (pick === 'Show notes') output().show(true);
  });
  return target.fsPath;
}

/** Registers the import and export commands (called from the extension's `activate`). */
export function registerInterop(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    // From the Explorer the second argument is the list of selected files, not options.
    vscode.commands.registerCommand('tsq.importTaskSequence', (uri?: vscode.Uri, args?: ImportArgs | vscode.Uri[]) => importCommand(uri, Array.isArray(args) ? {} : args)),
    vscode.commands.registerCommand('tsq.exportTaskSequence', (uri?: vscode.Uri, args?: ExportArgs | vscode.Uri[]) => exportCommand(uri, Array.isArray(args) ? {} : args)),
    { dispose: () => channel?.dispose() },
  );
}
