// "Task Sequence: Open Documentation" and "Open Run Report": the documentation of the sequence in
// the editor (the language server writes it, `tsq/documentation`) in a webview beside the editor,
// refreshed as the file is edited; and the report of the last simulated run, which the debug
// adapter sends as the run ends (a custom DAP event), offered in a notification and saved through
// files/write.ts like every output. Both webviews run no script and load nothing: the HTML carries
// the strict Content-Security-Policy of every tsq report (server/src/report/html.ts).

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { writeFileSafely } from '../../server/src/files/write';
import { attempt } from '../../server/src/interop/errors';
import {
  DOCUMENTATION_REQUEST,
  type DocumentationParams,
  type DocumentationResult,
} from '../../server/src/frontend/documentation-protocol';
import { RUN_REPORT_EVENT, type RunReportEventBody } from '../../server/src/frontend/run-report-event';

/** How long the documentation waits after the last keystroke before it is written again. */
const REFRESH_DELAY_MS = 300;
const WEBVIEW_OPTIONS: vscode.WebviewPanelOptions & vscode.WebviewOptions = {
  enableScripts: false,
  enableForms: false,
  enableCommandUris: false,
  localResourceRoots: [],
  enableFindWidget: true,
};

interface DocumentationPanel {
  panel: vscode.WebviewPanel;
  uri: vscode.Uri;
  timer?: NodeJS.Timeout;
}

export function registerReports(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  const docs = new Map<string, DocumentationPanel>();
  let lastReport: (RunReportEventBody & { sequence?: string }) | undefined;
  let reportPanel: vscode.WebviewPanel | undefined;

  const refresh = async (shown: DocumentationPanel) => {
    const c = client();
    if (!c) return;
    const params: DocumentationParams = { textDocument: { uri: shown.uri.toString() } };
    const answer = await c.sendRequest<DocumentationResult>(DOCUMENTATION_REQUEST, params);
    if (!docs.has(shown.uri.toString())) return;
    if (answer.ok) {
      shown.panel.title = `Documentation: ${answer.title}`;
      shown.panel.webview.html = answer.html;
    } else void vscode.window.showWarningMessage(answer.message);
  };

  const openDocumentation = async (uri?: vscode.Uri) => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Open a task sequence (*.tsq.yaml) first.');
      return;
    }
    const key = target.toString();
    const known = docs.get(key);
    if (known) {
      known.panel.reveal(vscode.ViewColumn.Beside, true);
      return refresh(known);
    }
    const panel = vscode.window.createWebviewPanel(
      'tsq.documentation',
      `Documentation: ${path.basename(target.path)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      WEBVIEW_OPTIONS,
    );
    const shown: DocumentationPanel = { panel, uri: target };
    docs.set(key, shown);
    panel.onDidDispose(() => {
      clearTimeout(shown.timer);
      docs.delete(key);
    });
    await refresh(shown);
  };

  const openRunReport = () => {
    if (!lastReport) {
      void vscode.window.showInformationMessage(
        'No simulated run has ended yet: press F5 on a task sequence to run it.',
      );
      return;
    }
    reportPanel ??= (() => {
      const p = vscode.window.createWebviewPanel(
        'tsq.runReport',
        lastReport.title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        WEBVIEW_OPTIONS,
      );
      p.onDidDispose(() => (reportPanel = undefined));
      return p;
    })();
    reportPanel.title = lastReport.title;
    reportPanel.webview.html = lastReport.html;
    reportPanel.reveal(vscode.ViewColumn.Beside);
  };

  const saveRunReport = async () => {
    const report = lastReport;
    if (!report) return openRunReport();
    const folder = report.sequence ? path.dirname(report.sequence) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const target = await vscode.window.showSaveDialog({
      title: 'Save the run report',
      defaultUri: folder ? vscode.Uri.file(path.join(folder, 'run-report.html')) : undefined,
      filters: { 'HTML (one self-contained file)': ['html'], Markdown: ['md'] },
    });
    if (!target) return;
    const markdown = /\.(md|markdown)$/i.test(target.fsPath);
    const inputs = report.sequence ? [report.sequence] : [];
    const written = attempt(() =>
      writeFileSafely(target.fsPath, markdown ? report.markdown : report.html, {
        label: path.basename(target.fsPath),
        inputs,
      }),
    );
    if (!written.ok)
      void vscode.window.showErrorMessage(
        `The run report was not saved: ${written.error.message}${written.error.hint ? ` ${written.error.hint}` : ''}`,
      );
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('tsq.openDocumentation', openDocumentation),
    vscode.commands.registerCommand('tsq.openRunReport', openRunReport),
    vscode.commands.registerCommand('tsq.saveRunReport', saveRunReport),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const shown = docs.get(e.document.uri.toString());
      if (!shown) return;
      clearTimeout(shown.timer);
      shown.timer = setTimeout(() => void refresh(shown), REFRESH_DELAY_MS);
    }),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== 'tasksequence' || e.event !== RUN_REPORT_EVENT) return;
      const body = e.body as RunReportEventBody;
      if (typeof body?.html !== 'string' || typeof body.markdown !== 'string') return;
      const sequence =
        typeof e.session.configuration.program === 'string' ? e.session.configuration.program : undefined;
      lastReport = { ...body, sequence };
      if (reportPanel) openRunReport();
      const words = body.result === 'succeeded' ? 'succeeded' : body.result === 'failed' ? 'failed' : 'did not start';
      void vscode.window
        .showInformationMessage(`The simulated run ${words}. ${body.title}`, 'Open Run Report', 'Save Run Report…')
        .then((choice) => {
          if (choice === 'Open Run Report') openRunReport();
          else if (choice === 'Save Run Report…') void saveRunReport();
        });
    }),
    { dispose: () => docs.forEach((d) => clearTimeout(d.timer)) },
  );
}
