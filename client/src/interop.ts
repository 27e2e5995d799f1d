// VS Code commands for moving sequences in and out of ConfigMgr: "Import Task Sequence" (a file
// picker, a folder picker, progress, a password prompt for protected packages, then the list of
// files the import will write and replace, with a modal question before anything is written) and
// "Export Task Sequence" (XML, a ConfigMgr export .zip or a .tsqpkg, with an optional password).
// The work, the dry run included, is done by files/interop.ts over the engine; this file only asks
// and shows. Notes go to an output channel so nothing an import kept verbatim goes unnoticed.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  describeImportPreview,
  exportToFile,
  previewImport,
  readImportInput,
  writeImport,
  type ExportFormat,
} from '../../server/src/files/interop';
import { refusalOf } from '../../server/src/files/read';
import { formatNotes, type Note } from '../../server/src/interop/report';
import { loadPaths } from '../../server/src/frontend/load-paths';
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
  const again = await vscode.window.showInputBox({
    prompt: 'Enter the password again',
    password: true,
    ignoreFocusOut: true,
  });
  if (again !== pw) {
    void vscode.window.showErrorMessage('The passwords differ; nothing was exported.');
    return undefined;
  }
  return pw;
}

/** Arguments that skip the pickers (for keybindings and tasks); the question before writing is always asked. */
export interface ImportArgs {
  out?: string;
  /** false: refuse rather than replace existing files. */
  overwrite?: boolean;
  password?: string;
}

export interface ExportArgs {
  format?: ExportFormat;
  out?: string;
  password?: string;
  /** An export .zip that carries the referenced objects too (`tsq export --with-dependencies`). */
  withDependencies?: boolean;
}

async function importCommand(fileArg?: vscode.Uri, args: ImportArgs = {}): Promise<string[] | undefined> {
  const picked = fileArg
    ? [fileArg]
    : await vscode.window.showOpenDialog({
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
    out = await vscode.window.showInputBox({
      prompt: 'Write the files into this folder (created when missing; all or nothing)',
      value: suggested,
      ignoreFocusOut: true,
    });
    if (!out) return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = readImportInput(source);
  } catch (e) {
    const refusal = refusalOf(source, e);
    void vscode.window.showErrorMessage(`Import refused: ${refusal.message}${refusal.hint ? ` ${refusal.hint}` : ''}`);
    return undefined;
  }
  let password = args.password;
  // A dry run first: what would be written, or why the file is refused. Nothing touches the disk.
  let preview;
  for (;;) {
    preview = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${path.basename(source)}`, cancellable: false },
      async (progress) => {
        let last = 0;
        return previewImport(bytes, source, out!, {
          password,
          progress: (message, fraction) => {
            progress.report({ message, increment: Math.max(0, (fraction - last) * 100) });
            last = fraction;
          },
        });
      },
    );
    if (preview.ok) break;
    const message = preview.error.message;
    if (/protected by a password|password is wrong/.test(message) && args.password === undefined) {
      password = await askPassword(
        /wrong/.test(message) ? 'The password is wrong; try again' : `Password of ${path.basename(source)}`,
      );
      if (password === undefined) return undefined;
      continue;
    }
    void vscode.window.showErrorMessage(
      `Import refused: ${message}${preview.error.hint ? ` ${preview.error.hint}` : ''}`,
    );
    return undefined;
  }
  const { plan, folder } = preview.value;
  if (folder.replace.length && args.overwrite === false) {
    void vscode.window.showErrorMessage(
      `Import refused: ${folder.replace.length} file(s) already exist in ${out} (first: ${folder.replace[0]}); nothing was written.`,
    );
    return undefined;
  }
  const total = folder.create.length + folder.replace.length;
  const answer = await vscode.window.showWarningMessage(
    `Import ${path.basename(source)} into ${out}?`,
    {
      modal: true,
      detail: `It will write ${total} file(s)${folder.replace.length ? `, replacing ${folder.replace.length} that exist` : ''}:\n\n${describeImportPreview(folder).join('\n')}`,
    },
    folder.replace.length ? 'Replace and Import' : 'Import',
  );
  if (!answer) return undefined;
  const result = writeImport(plan, source, out, { overwrite: folder.replace.length > 0 });
  if (!result.ok) {
    void vscode.window.showErrorMessage(
      `Import refused: ${result.error.message}${result.error.hint ? ` ${result.error.hint}` : ''}`,
    );
    return undefined;
  }
  const { written, cleaned } = result.value;
  showNotes(`Imported ${source} into ${out}`, plan.report.notes);
  for (const c of cleaned) output().appendLine(c);
  const main = plan.sequences[0]?.file ?? written.find((w) => isTsqFileName(w) && !/catalog/i.test(path.basename(w)));
  if (main) await vscode.window.showTextDocument(vscode.Uri.file(path.isAbsolute(main) ? main : path.join(out, main)));
  const kept = plan.report.notes.length;
  void vscode.window
    .showInformationMessage(
      `Imported ${written.length} file(s) into ${path.basename(out)}.${kept ? ` ${kept} note(s) about settings kept verbatim or passwords left out.` : ''}`,
      ...(kept ? ['Show notes'] : []),
    )
    .then((choice) => {
      if (choice === 'Show notes') output().show(true);
    });
  return written;
}

const FORMATS: {
  label: string;
  format: ExportFormat;
  extension: string;
  description: string;
  withDependencies?: boolean;
}[] = [
  {
    label: 'ConfigMgr sequence XML',
    format: 'xml',
    extension: 'xml',
    description: 'the <sequence> document (Import-CMTaskSequence)',
  },
  {
    label: 'ConfigMgr export package (.zip)',
    format: 'zip',
    extension: 'zip',
    description: 'for the console’s Import Task Sequence wizard',
  },
  {
    label: 'ConfigMgr export package with dependencies (.zip)',
    format: 'zip',
    extension: 'zip',
    withDependencies: true,
    description:
      'also carries the objects the sequence uses (each must have been imported with its full ConfigMgr object)',
  },
  {
    label: 'tsq package (.tsqpkg)',
    format: 'tsqpkg',
    extension: 'tsqpkg',
    description: 'sequences, catalog and machines; optionally with a password',
  },
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
  const known = args.format
    ? FORMATS.find((f) => f.format === args.format && !!f.withDependencies === !!args.withDependencies)
    : undefined;
  const choice = known
    ? { f: known }
    : await vscode.window.showQuickPick(
        FORMATS.map((f) => ({ label: f.label, description: f.description, f })),
        { title: 'Export as' },
      );
  if (!choice) return undefined;
  const { format, extension, withDependencies } = choice.f;
  let password = args.password;
  if (format === 'tsqpkg' && password === undefined && !args.out) {
    password = await askPassword('Password to protect the package (leave empty for none)', true);
    if (password === undefined) return undefined;
  }
  if (password === '') password = undefined;
  const target = args.out
    ? vscode.Uri.file(args.out)
    : await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(uri.fsPath.replace(/\.tsq\.ya?ml$/i, `.${extension}`)),
        filters: { [choice.f.label]: [extension] },
        title: 'Export task sequence',
      });
  if (!target) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(uri.fsPath)}` },
    async () => {
      const { ws } = loadPaths([uri.fsPath]);
      const doc = ws.get(normalisePath(uri.fsPath));
      if (!doc || doc.kind !== 'sequence') return undefined;
      return exportToFile(ws, doc, target.fsPath, { format, password, withDependencies });
    },
  );
  if (!result) {
    void vscode.window.showErrorMessage(`${path.basename(uri.fsPath)} is not a sequence file.`);
    return undefined;
  }
  if (!result.ok) {
    void vscode.window.showErrorMessage(
      `Export failed, nothing was written: ${result.error.message}${result.error.hint ? ` ${result.error.hint}` : ''}`,
    );
    return undefined;
  }
  showNotes(`Exported ${uri.fsPath} to ${target.fsPath}`, result.value.report.notes);
  const notes = result.value.report.notes.length;
  void vscode.window
    .showInformationMessage(
      `Exported to ${path.basename(target.fsPath)}${password ? ' (encrypted)' : ''}.${notes ? ` ${notes} note(s).` : ''}`,
      ...(notes ? ['Show notes'] : []),
    )
    .then((pick) => {
      if (pick === 'Show notes') output().show(true);
    });
  return target.fsPath;
}

/** Registers the import and export commands (called from the extension's `activate`). */
export function registerInterop(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    // From the Explorer the second argument is the list of selected files, not options.
    vscode.commands.registerCommand('tsq.importTaskSequence', (uri?: vscode.Uri, args?: ImportArgs | vscode.Uri[]) =>
      importCommand(uri, Array.isArray(args) ? {} : args),
    ),
    vscode.commands.registerCommand('tsq.exportTaskSequence', (uri?: vscode.Uri, args?: ExportArgs | vscode.Uri[]) =>
      exportCommand(uri, Array.isArray(args) ? {} : args),
    ),
    { dispose: () => channel?.dispose() },
  );
}
