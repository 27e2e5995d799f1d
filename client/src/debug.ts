// The VS Code side of the task sequence debugger: F5 on a *.tsq.yaml file without launch.json,
// initial launch configurations, and the `tsq.pickMachine` command that chooses a machine
// profile among those the language server found without errors (`tsq/machineProfiles`). The adapter itself (dist/debug.js) is declared in package.json.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DEBUG_TYPE,
  initialConfigurations,
  machineOffer,
  resolveConfiguration,
  type LaunchConfiguration,
  type MachineOffer,
} from './debug-config';
import {
  MACHINE_PROFILES_REQUEST,
  type MachineProfilesParams,
  type MachineProfilesResult,
} from '../../server/src/frontend/machine-profiles-protocol';

/**
 * The machine profiles of the folder of `file` (of every folder when there is none), as the
 * language server has read and checked them; those with errors are withheld.
 */
async function machineProfiles(
  client: LanguageClient | undefined,
  file: vscode.Uri | undefined,
): Promise<MachineOffer> {
  if (!client) return { offered: [], withheld: [] };
  const params: MachineProfilesParams = file?.scheme === 'file' ? { uri: file.toString() } : {};
  try {
    const answer = await client.sendRequest<MachineProfilesResult>(MACHINE_PROFILES_REQUEST, params);
    return machineOffer(answer.profiles);
  } catch (e) {
    // Without the server's list the simulator's default machine still runs the sequence.
    client.warn(`tsq: could not list the machine profiles: ${String(e)}`);
    return { offered: [], withheld: [] };
  }
}

async function pickMachine(offer: MachineOffer): Promise<string | undefined> {
  const none = 'Default machine (x64, UEFI, starts in Windows PE, empty disk)';
  const items: (vscode.QuickPickItem & { file?: string })[] = [
    ...offer.offered.map((f) => ({ label: vscode.workspace.asRelativePath(f), file: f as string | undefined })),
    { label: none, file: undefined },
  ];
  if (offer.withheld.length)
    items.push(
      { label: 'Not offered: profiles with errors', kind: vscode.QuickPickItemKind.Separator },
      ...offer.withheld.map((w) => ({
        label: `$(error) ${vscode.workspace.asRelativePath(w.path)}`,
        detail: `${w.reason} — fix it to simulate on it`,
        withheld: true,
      })),
    );
  for (;;) {
    const choice = await vscode.window.showQuickPick(items, { placeHolder: 'Machine profile to simulate on' });
    if (!choice) return undefined;
    if ('withheld' in choice) {
      void vscode.window.showWarningMessage(
        `${choice.label.replace('$(error) ', '')} has errors (${choice.detail}); choose another profile.`,
      );
      continue;
    }
    return choice.file ?? '';
  }
}

/** The `tsq.files.maxSizeMB` setting goes to the debugger with the configuration (it reads the files). */
function withFileLimit(config: vscode.DebugConfiguration): vscode.DebugConfiguration {
  if (config.maxFileSizeMB !== undefined) return config;
  const mb = vscode.workspace.getConfiguration('tsq').get<number>('files.maxSizeMB');
  return typeof mb === 'number' ? { ...config, maxFileSizeMB: mb } : config;
}

class TaskSequenceConfigurations implements vscode.DebugConfigurationProvider {
  constructor(private readonly client: () => LanguageClient | undefined) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return initialConfigurations();
  }

  async resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const editor = vscode.window.activeTextEditor;
    const offer = await machineProfiles(this.client(), editor?.document.uri);
    const result = resolveConfiguration(
      config as Partial<LaunchConfiguration>,
      editor?.document.fileName,
      editor?.document.languageId,
      offer.offered,
    );
    if ('problem' in result) {
      void vscode.window.showInformationMessage(result.problem);
      return undefined;
    }
    if ('pickMachine' in result) {
      const machine = await pickMachine({ ...offer, offered: result.pickMachine });
      if (machine === undefined) return undefined;
      return withFileLimit({ ...result.config, machine: machine || undefined });
    }
    return withFileLimit(result.config);
  }
}

export function registerDebugging(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  const provider = new TaskSequenceConfigurations(client);
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: () => initialConfigurations() },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.commands.registerCommand(
      'tsq.pickMachine',
      async () =>
        (await pickMachine(await machineProfiles(client(), vscode.window.activeTextEditor?.document.uri))) || undefined,
    ),
  );
}
