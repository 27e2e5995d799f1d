// The VS Code side of the task sequence debugger: F5 on a *.tsq.yaml file without launch.json,
// initial launch configurations, and the `tsq.pickMachine` command that chooses a machine
// profile. The adapter itself (dist/debug.js) is declared in package.json.

import * as vscode from 'vscode';
import {
  DEBUG_TYPE,
  initialConfigurations,
  isMachineProfile,
  resolveConfiguration,
  type LaunchConfiguration,
} from './debug-config';
import { readFileStart } from '../../server/src/files/read';

/** The language server reported an error in the file (known for the files it checked: see `tsq.diagnostics.scope`). */
function hasErrors(uri: vscode.Uri): boolean {
  return vscode.languages.getDiagnostics(uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error);
}

async function machineProfiles(): Promise<string[]> {
  const files = await vscode.workspace.findFiles('**/*.tsq.{yaml,yml}', '**/node_modules/**', 500);
  const out: string[] = [];
  for (const uri of files) {
    // Only the start tells a machine profile, and a file named *.tsq.yaml may be anything (/dev/zero).
    let start: Buffer;
    try {
      start = readFileStart(uri.fsPath, 4096);
    } catch {
      continue;
    }
    if (isMachineProfile(start.toString('utf8')) && !hasErrors(uri)) out.push(uri.fsPath);
  }
  return out.sort();
}

async function pickMachine(candidates?: string[]): Promise<string | undefined> {
  const files = candidates ?? (await machineProfiles());
  const none = 'Default machine (x64, UEFI, starts in Windows PE, empty disk)';
  const items = [
    ...files.map((f) => ({ label: vscode.workspace.asRelativePath(f), file: f as string | undefined })),
    { label: none, file: undefined },
  ];
  const choice = await vscode.window.showQuickPick(items, { placeHolder: 'Machine profile to simulate on' });
  if (!choice) return undefined;
  return choice.file ?? '';
}

/** The `tsq.files.maxSizeMB` setting goes to the debugger with the configuration (it reads the files). */
function withFileLimit(config: vscode.DebugConfiguration): vscode.DebugConfiguration {
  if (config.maxFileSizeMB !== undefined) return config;
  const mb = vscode.workspace.getConfiguration('tsq').get<number>('files.maxSizeMB');
  return typeof mb === 'number' ? { ...config, maxFileSizeMB: mb } : config;
}

class TaskSequenceConfigurations implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return initialConfigurations();
  }

  async resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const editor = vscode.window.activeTextEditor;
    const result = resolveConfiguration(
      config as Partial<LaunchConfiguration>,
      editor?.document.fileName,
      editor?.document.languageId,
      await machineProfiles(),
    );
    if ('problem' in result) {
      void vscode.window.showInformationMessage(result.problem);
      return undefined;
    }
    if ('pickMachine' in result) {
      const machine = await pickMachine(result.pickMachine);
      if (machine === undefined) return undefined;
      return withFileLimit({ ...result.config, machine: machine || undefined });
    }
    return withFileLimit(result.config);
  }
}

export function registerDebugging(context: vscode.ExtensionContext): void {
  const provider = new TaskSequenceConfigurations();
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: () => initialConfigurations() },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.commands.registerCommand('tsq.pickMachine', async () => (await pickMachine()) || undefined),
  );
}
