// The workspace's health in the status bar: the language server checks every task sequence file
// of the workspace folders in the background and sends a summary (`tsq/workspaceHealth`); this
// shows it ("$(error) 12 $(warning) 4 in 9 files", a spinner while checking, a tick when clean)
// and "Task Sequence: Show Workspace Problems" (also the item's click) lists the files with
// problems and opens the chosen one at its first problem. Under the default `openFiles` scope the
// Problems panel stays about the open files; this is how a broken repository shows all the same
// (docs/editor-features.md, "Workspace health").

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  WORKSPACE_HEALTH_NOTIFICATION,
  type FileHealth,
  type WorkspaceHealth,
} from '../../server/src/frontend/workspace-health-protocol';

export const SHOW_WORKSPACE_PROBLEMS = 'tsq.showWorkspaceProblems';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 errors, 1 warning" (the kinds a file or the workspace has). */
function counts(h: { errors: number; warnings: number; information?: number }): string {
  const parts = [plural(h.errors, 'error'), plural(h.warnings, 'warning')];
  if (h.information) parts.push(plural(h.information, 'note'));
  return parts.join(', ');
}

/** The status bar text, its plain-words label (screen readers, tests) and its tooltip. */
export function describeHealth(h: WorkspaceHealth): { text: string; label: string; tooltip: string } {
  const spin = h.checking ? '$(sync~spin) ' : '';
  const files = plural(h.filesWithProblems, 'file');
  let text: string;
  let label: string;
  if (h.errors + h.warnings > 0) {
    text = `${spin}$(error) ${h.errors} $(warning) ${h.warnings} in ${files}`;
    label = `Task sequences: ${plural(h.errors, 'error')}, ${plural(h.warnings, 'warning')} in ${files}`;
  } else if (h.checking) {
    text = `${spin}Checking task sequences…`;
    label = 'Checking task sequences';
  } else {
    text = '$(check) Task sequences clean';
    label = 'Task sequences clean';
  }
  if (h.checking) label += ' (still checking)';
  const where =
    h.scope === 'openFiles'
      ? 'The Problems panel shows the problems of open files (`tsq.diagnostics.scope` is `openFiles`); tsq checks the other task sequence files of the workspace in the background and counts them here.'
      : 'The Problems panel shows the problems of every task sequence file of the workspace (`tsq.diagnostics.scope` is `workspace`).';
  const tooltip = [
    `**Task sequences of the workspace:** ${counts(h)} in ${plural(h.filesWithProblems, 'file')} of ${plural(h.checked, 'file')} checked${h.checking ? ' so far (still checking)' : ''}.`,
    where,
    'Click to list the files with problems.',
  ].join('\n\n');
  return { text, label, tooltip };
}

interface ProblemPick extends vscode.QuickPickItem {
  file?: FileHealth;
  run?: () => Thenable<unknown>;
}

export function registerWorkspaceHealth(context: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('tsq.workspaceHealth', vscode.StatusBarAlignment.Left, 0);
  item.name = 'Task Sequence Workspace Health';
  item.command = SHOW_WORKSPACE_PROBLEMS;
  let last: WorkspaceHealth | undefined;
  const enabled = () => vscode.workspace.getConfiguration('tsq').get<boolean>('diagnostics.workspaceHealth', true);

  const show = () => {
    if (!last || !enabled()) {
      item.hide();
      return;
    }
    const { text, label, tooltip } = describeHealth(last);
    item.text = text;
    item.accessibilityInformation = { label };
    const md = new vscode.MarkdownString(tooltip);
    md.supportThemeIcons = true;
    item.tooltip = md;
    item.show();
  };

  context.subscriptions.push(
    item,
    client.onNotification(WORKSPACE_HEALTH_NOTIFICATION, (h: WorkspaceHealth) => {
      last = h;
      show();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('tsq.diagnostics.workspaceHealth')) return;
      // Turned on again, the server sends a fresh summary; until then the old one would mislead.
      last = undefined;
      show();
    }),
    vscode.commands.registerCommand(SHOW_WORKSPACE_PROBLEMS, () => showWorkspaceProblems(last, enabled())),
  );
}

async function showWorkspaceProblems(health: WorkspaceHealth | undefined, enabled: boolean): Promise<void> {
  if (!enabled) {
    const turnOn = 'Turn It On';
    const answer = await vscode.window.showInformationMessage(
      'The background check of the workspace is off (`tsq.diagnostics.workspaceHealth`).',
      turnOn,
    );
    if (answer === turnOn) await updateSetting('diagnostics.workspaceHealth', true);
    return;
  }
  if (!health) {
    void vscode.window.showInformationMessage(
      'The task sequence files of the workspace have not been checked yet. Open a folder that holds *.tsq.yaml files.',
    );
    return;
  }
  const picks: ProblemPick[] = health.files.map((f) => ({
    label: `$(${f.errors ? 'error' : 'warning'}) ${vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri))}`,
    description: counts(f),
    detail: `Ln ${f.first.line + 1}: ${f.first.message}`,
    file: f,
  }));
  const more = health.filesWithProblems - health.files.length;
  picks.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  if (health.scope === 'openFiles') {
    picks.push({
      label: '$(list-flat) Show the problems of every file in the Problems panel',
      description: more > 0 ? `${plural(more, 'more file')} with problems` : undefined,
      detail: 'Sets `tsq.diagnostics.scope` to `workspace` for this workspace.',
      run: async () => {
        await updateSetting('diagnostics.scope', 'workspace');
        await vscode.commands.executeCommand('workbench.actions.view.problems');
      },
    });
  } else {
    picks.push({
      label: '$(list-flat) Open the Problems panel',
      description: more > 0 ? `${plural(more, 'more file')} with problems` : undefined,
      run: () => vscode.commands.executeCommand('workbench.actions.view.problems'),
    });
  }
  const chosen = await vscode.window.showQuickPick(picks, {
    title: `Task Sequence: ${counts(health)} in ${plural(health.filesWithProblems, 'file')}${health.checking ? ' (still checking)' : ''}`,
    placeHolder:
      health.files.length > 0
        ? 'Open a file at its first problem'
        : 'No task sequence file of the workspace has errors or warnings',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (chosen?.file) {
    const at = new vscode.Position(chosen.file.first.line, chosen.file.first.character);
    await vscode.window.showTextDocument(vscode.Uri.parse(chosen.file.uri), { selection: new vscode.Range(at, at) });
  } else if (chosen?.run) await chosen.run();
}

/** Changes a `tsq` setting where the admin would: for the workspace when one is open, else for the user. */
async function updateSetting(key: string, value: unknown): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('tsq').update(key, value, target);
}
