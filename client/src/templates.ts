// "Task Sequence: New from Template": asks which template (the four of ConfigMgr's Create Task
// Sequence Wizard, a catalog, a machine) and where, writes the file and opens it with the
// template inserted as a snippet, so its placeholders can be filled in with Tab. The templates
// are the file templates of snippets/tasksequence.json, so the command and "Snippets: Fill File
// with Snippet" offer the same ones. Tests and other extensions may pass the template's prefix
// and the target URI to skip the questions.

import * as vscode from 'vscode';
import snippets from '../../snippets/tasksequence.json';

interface Template {
  name: string;
  prefix: string;
  description: string;
  body: string;
  /** Suggested file name. */
  file: string;
}

const FILE_NAMES: Record<string, string> = {
  'tsq-template-install-image': 'install-windows.tsq.yaml',
  'tsq-template-build-capture': 'build-and-capture.tsq.yaml',
  'tsq-template-upgrade': 'upgrade-windows.tsq.yaml',
  'tsq-template-custom': 'custom.tsq.yaml',
  'tsq-template-catalog': 'catalog.tsq.yaml',
  'tsq-template-machine': 'lab-vm.tsq.yaml',
};

export function templates(): Template[] {
  return Object.entries(
    snippets as Record<string, { prefix: string; description: string; body: string[]; isFileTemplate?: boolean }>,
  )
    .filter(([, s]) => s.isFileTemplate)
    .map(([name, s]) => ({
      name,
      prefix: s.prefix,
      description: s.description,
      body: s.body.join('\n'),
      file: FILE_NAMES[s.prefix] ?? 'new.tsq.yaml',
    }));
}

function withTsqExtension(name: string): string {
  return /\.tsq\.ya?ml$/i.test(name) ? name : `${name.replace(/\.ya?ml$/i, '')}.tsq.yaml`;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- a stat that fails means there is nothing there to overwrite
    return false;
  }
}

/** Where to write the new file: asked for in the first workspace folder, or with a save dialog. */
async function askTarget(template: Template): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    return vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(template.file),
      filters: { 'Task sequence files': ['tsq.yaml', 'tsq.yml'] },
      title: 'Save the new task sequence file',
    });
  }
  const name = await vscode.window.showInputBox({
    title: `New ${template.name.toLowerCase()}`,
    prompt: `File name, relative to ${folder.name}`,
    value: template.file,
    valueSelection: [0, template.file.indexOf('.tsq')],
    validateInput: async (value) => {
      const v = value.trim();
      if (!v) return 'Give the file a name.';
      if (/[<>:"|?*]/.test(v)) return 'A file name cannot contain < > : " | ? *';
      return (await exists(vscode.Uri.joinPath(folder.uri, withTsqExtension(v))))
        ? 'A file with this name exists; choose another.'
        : undefined;
    },
  });
  return name ? vscode.Uri.joinPath(folder.uri, withTsqExtension(name.trim())) : undefined;
}

export async function newFromTemplate(prefix?: string, target?: vscode.Uri | string): Promise<vscode.Uri | undefined> {
  const all = templates();
  let template = prefix ? all.find((t) => t.prefix === prefix || t.prefix === `tsq-template-${prefix}`) : undefined;
  if (prefix && !template) {
    void vscode.window.showErrorMessage(`There is no task sequence template called ${prefix}.`);
    return undefined;
  }
  if (!template) {
    const picked = await vscode.window.showQuickPick(
      all.map((t) => ({ label: t.name, detail: t.description, template: t })),
      { title: 'New task sequence file from a template', placeHolder: 'Which kind of file?', matchOnDetail: true },
    );
    template = picked?.template;
  }
  if (!template) return undefined;
  const uri = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? (await askTarget(template)));
  if (!uri) return undefined;
  if (await exists(uri)) {
    void vscode.window.showErrorMessage(`${uri.fsPath} exists already; tsq does not overwrite files.`);
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new Uint8Array());
  const editor = await vscode.window.showTextDocument(uri);
  await editor.insertSnippet(new vscode.SnippetString(`${template.body}\n`), new vscode.Position(0, 0));
  await editor.document.save();
  return uri;
}
