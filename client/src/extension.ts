// The VS Code extension for tsq: starts the language server (dist/server.js, over node IPC) for
// task sequence files, and adds the commands. Everything a file gets — diagnostics, completion,
// hover, quick fixes, navigation, run logs, the Task Sequence view's tree and edits, the
// documentation — comes from the server; the extension stays thin. The debugger, import/export,
// run logs, the Task Sequence view, the documentation and run reports and the workspace's health in
// the status bar register themselves from their own modules (one import and one call here).

import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { newFromTemplate, type ReferenceChoices } from './templates';
import { registerDebugging } from './debug';
import { registerInterop } from './interop';
import { registerRunLog } from './run-log';
import { registerReports } from './reports';
import { registerSequenceView, type SequenceView } from './views/sequence-view';
import { registerWorkspaceHealth } from './workspace-health';

let client: LanguageClient | undefined;

/** What the extension offers to other extensions and to its tests. */
export interface TsqExtensionApi {
  client(): LanguageClient | undefined;
  /** The Task Sequence view (its tree as last shown). */
  sequenceView(): SequenceView | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<TsqExtensionApi> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'tasksequence', scheme: 'file' },
      { language: 'tasksequence', scheme: 'untitled' },
    ],
    outputChannelName: 'Task Sequence',
    // The settings as they are at start-up, so that the first checks already follow them.
    initializationOptions: { settings: vscode.workspace.getConfiguration('tsq') },
  };
  client = new LanguageClient('tsq', 'Task Sequence', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand(
      'tsq.newFromTemplate',
      (prefix?: string, target?: vscode.Uri | string, choices?: ReferenceChoices) =>
        newFromTemplate(client, prefix, target, choices),
    ),
    vscode.commands.registerCommand('tsq.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('tsq.showServerOutput', () => client?.outputChannel.show(true)),
    { dispose: () => void client?.stop() },
  );
  registerDebugging(context, () => client);
  registerInterop(context);
  registerRunLog(context, () => client);
  registerReports(context, () => client);
  const sequenceView = registerSequenceView(context, () => client);
  registerWorkspaceHealth(context, client);

  await client.start();
  void sequenceView.refresh();
  return { client: () => client, sequenceView: () => sequenceView };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
