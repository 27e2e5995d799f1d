// Extension tests of the VS Code client, written for @vscode/test-electron (runTest.ts) and run
// here in code-server through the e2e harness (test/e2e/client.e2e.test.ts). They run inside the
// extension host against a workspace holding a copy of examples/, and check what an admin gets:
// the language, diagnostics from the server, completion, hover, navigation, quick fixes,
// semantic tokens, the template command and the contributed settings.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export interface ExtensionTest {
  name: string;
  run(): Promise<void>;
}

function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension tests need a workspace folder with a copy of examples/');
  return vscode.Uri.joinPath(folder.uri, relative);
}

async function open(relative: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relative));
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function until<T>(
  what: string,
  get: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  if (i < 0) throw new Error(`\`${needle}\` is not in ${doc.uri.path}`);
  return doc.positionAt(i + delta);
}

async function diagnostics(
  doc: vscode.TextDocument,
  enough: (d: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return until(`diagnostics of ${doc.uri.path}`, () => {
    const list = vscode.languages.getDiagnostics(doc.uri);
    return enough(list) ? list : undefined;
  });
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

export const TESTS: ExtensionTest[] = [
  {
    name: 'a *.tsq.yaml file opens as Task Sequence and activates the extension',
    async run() {
      const doc = await open('deploy-windows-11.tsq.yaml');
      assert.equal(doc.languageId, 'tasksequence');
      const ext = vscode.extensions.getExtension('tsq.tsq');
      assert.ok(ext, 'the extension is installed');
      await until('activation', () => (ext.isActive ? true : undefined));
    },
  },
  {
    // For *.yaml names VS Code's YAML language wins over a first line; docs/editor-features.md
    // shows `files.associations` for those.
    name: 'a file with another name that says `# tsq: sequence` on its first line is a task sequence too',
    async run() {
      const uri = workspaceUri('Sequence');
      await vscode.workspace.fs.writeFile(uri, Buffer.from('# tsq: sequence\nsequence: Plain name\nsteps: []\n'));
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.equal(doc.languageId, 'tasksequence');
    },
  },
  {
    name: 'problems of a broken file appear, from every rule, marked as tsq',
    async run() {
      const doc = await open('broken/deploy.tsq.yaml');
      const list = await diagnostics(doc, (l) => l.length >= 8);
      assert.ok(list.every((d) => d.source === 'tsq'));
      const codes = new Set(list.map(codeOf));
      for (const code of [
        'broken-reference',
        'unknown-action',
        'undefined-variable',
        'invalid-value',
        'missing-property',
        'duplicate-id',
      ])
        assert.ok(codes.has(code), `${code} is reported`);
    },
  },
  {
    name: 'typing a mistake reports it, and undoing it clears it',
    async run() {
      const doc = await open('install-apps.tsq.yaml');
      await diagnostics(doc, (l) => l.length === 0);
      const editor = vscode.window.activeTextEditor!;
      const at = positionOf(doc, 'action: InstallApplication', 'action: Install'.length);
      await editor.edit((e) => e.insert(at, 'x'));
      const list = await diagnostics(doc, (l) => l.some((d) => codeOf(d) === 'unknown-action'));
      assert.match(list[0].message, /InstallxApplication/);
      await vscode.commands.executeCommand('undo');
      await diagnostics(doc, (l) => l.length === 0);
      await doc.save();
    },
  },
  {
    name: "completion offers the built-in actions and the catalog's packages",
    async run() {
      const doc = await open('deploy-windows-11.tsq.yaml');
      const actions = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        positionOf(doc, 'action: InstallPackage', 'action: '.length),
      );
      const labels = actions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('InstallPackage') && labels.includes('ApplyOperatingSystemImage'));
      const packages = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        positionOf(doc, 'package: CM100077', 'package: '.length),
      );
      assert.ok(packages.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'CM100078'));
    },
  },
  {
    name: 'hover explains steps and variables',
    async run() {
      const doc = await open('deploy-windows-11.tsq.yaml');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        positionOf(doc, 'SetupWindowsAndConfigMgr', 3),
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /Setup Windows and ConfigMgr/);
      const variable = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        positionOf(doc, '%OSDComputerName%', 3),
      );
      assert.match(
        variable.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n'),
        /built-in task sequence variable/,
      );
    },
  },
  {
    name: 'the outline shows groups and steps, and a reference leads to the catalog',
    async run() {
      const doc = await open('deploy-windows-11.tsq.yaml');
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        doc.uri,
      );
      assert.deepEqual(
        symbols.map((s) => s.name),
        ['variables', 'Prepare the disk', 'Install Windows', 'Configure'],
      );
      const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        doc.uri,
        positionOf(doc, 'CM100077', 2),
      );
      const target = locations.map((l) => ('targetUri' in l ? l.targetUri : l.uri).path);
      assert.ok(target.some((p) => p.endsWith('/catalog.tsq.yaml')));
    },
  },
  {
    name: 'the Task Sequence view keeps its rows when only their details change',
    async run() {
      // Rows redrawn whole lose their handles in VS Code: a group's children asked for across such a redraw came back
      // as an error, and the group stayed open and empty. Details (marks, problem counts) are updated in place.
      const api = (await vscode.extensions.getExtension('tsq.tsq')!.activate()) as {
        sequenceView(): { current(): { nodes: { name: string; continueOnError: boolean }[] } | null } | undefined;
      };
      const doc = await open('deploy-windows-11.tsq.yaml');
      const view = api.sequenceView()!;
      const first = await until('the view showing the file', () =>
        view.current()?.nodes[0]?.name === 'Prepare the disk' ? view.current()!.nodes[0] : undefined,
      );
      const line = positionOf(doc, '- group: Prepare the disk').line;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(line + 1, 0), '    continueOnError: true\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      try {
        await until('the group marked as continuing on error', () =>
          view.current()?.nodes[0]?.continueOnError ? true : undefined,
        );
        assert.equal(view.current()!.nodes[0], first, 'the same row object, updated in place');
      } finally {
        await vscode.commands.executeCommand('undo');
        await doc.save();
      }
    },
  },
  {
    name: 'a broken reference offers to correct it, delete the step or disable it',
    async run() {
      const doc = await open('broken/deploy.tsq.yaml');
      const list = await diagnostics(doc, (l) => l.some((d) => d.message.includes('CM100099')));
      const broken = list.find((d) => d.message.includes('CM100099'))!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        broken.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const titles = actions.map((a) => a.title);
      assert.ok(
        titles.some((t) => t.startsWith('Change to `CM1000')),
        titles.join(' | '),
      );
      assert.ok(titles.includes('Delete step “Run setup script”'));
      assert.ok(titles.includes('Disable step “Run setup script”'));
    },
  },
  {
    name: 'semantic tokens mark variables inside strings',
    async run() {
      const doc = await open('deploy-windows-11.tsq.yaml');
      const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>(
        'vscode.provideDocumentSemanticTokensLegend',
        doc.uri,
      );
      assert.ok(legend.tokenTypes.includes('variable'));
      const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>(
        'vscode.provideDocumentSemanticTokens',
        doc.uri,
      );
      assert.ok(tokens.data.length > 20);
    },
  },
  {
    name: '"Task Sequence: New from Template" writes a file from a template',
    async run() {
      const target = workspaceUri('new/upgrade.tsq.yaml');
      const written = await vscode.commands.executeCommand<vscode.Uri>(
        'tsq.newFromTemplate',
        'upgrade',
        target.toString(),
      );
      assert.equal(written?.toString(), target.toString());
      const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
      assert.match(text, /^sequence: Upgrade to Windows 11\n/);
      assert.match(text, /action: UpgradeOperatingSystem/);
      assert.ok(!text.includes('${'), 'no snippet placeholders are left');
      // The examples' catalog lists no OS upgrade package: a named placeholder, never an example's ID.
      assert.match(text, /upgradePackage: OS_UPGRADE_PACKAGE_ID,/);
      assert.match(text, /# OS_UPGRADE_PACKAGE_ID: the workspace's catalogs list no OS upgrade package\./);
      const doc = await vscode.workspace.openTextDocument(target);
      assert.equal(doc.languageId, 'tasksequence');
    },
  },
  {
    name: 'the settings are contributed with their defaults, and the extension works in untrusted workspaces',
    async run() {
      const config = vscode.workspace.getConfiguration('tsq');
      assert.equal(config.get('diagnostics.run'), 'onType');
      assert.equal(config.get('diagnostics.scope'), 'openFiles');
      assert.deepEqual(config.get('diagnostics.severity'), {});
      const manifest = vscode.extensions.getExtension('tsq.tsq')!.packageJSON as {
        capabilities?: { untrustedWorkspaces?: { supported?: boolean } };
      };
      assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, true);
    },
  },
];
