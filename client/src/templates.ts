// "Task Sequence: New from Template": asks which template (the four of ConfigMgr's Create Task
// Sequence Wizard, a catalog, a machine) and where, then, for a template that references content,
// which boot image, OS image, OS upgrade package and ConfigMgr client package of the workspace's
// catalogs to use (quick picks from the language server's `tsq/catalogEntries`; a kind the catalogs
// do not list gets a named placeholder and a comment). The language server writes the file
// (`tsq/createFile`: never over anything that exists, never through a link); the editor then opens
// it with the template as a snippet, so its placeholders can be filled in with Tab. The templates
// are the file templates of snippets/tasksequence.json, so the command and "Snippets: Fill File
// with Snippet" offer the same ones. Tests and other extensions may pass the template's prefix,
// the target URI and the catalog IDs to skip the questions.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import snippets from '../../snippets/tasksequence.json';
import { snippetText } from '../../server/src/util/snippet-text';
import {
  CATALOG_ENTRIES_REQUEST,
  CREATE_FILE_REQUEST,
  type CatalogEntriesParams,
  type CatalogEntriesResult,
  type CatalogEntryChoice,
  type CreateFileParams,
  type CreateFileResult,
  type TemplateReferenceKind,
} from '../../server/src/frontend/new-file-protocol';
import {
  KIND_WORDS,
  describeOffer,
  fillReferences,
  imageArchitecture,
  offers,
  referenceSlots,
} from './template-references';

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

/** Catalog IDs given instead of asking (by kind); `null` leaves the placeholder. */
export type ReferenceChoices = Partial<Record<TemplateReferenceKind, string | null>>;

/**
 * Asks for each reference the template makes; undefined when the admin cancels. A kind the
 * catalogs do not list is said once, and left to its placeholder.
 */
async function chooseReferences(
  client: LanguageClient,
  kinds: TemplateReferenceKind[],
  target: vscode.Uri,
  given: ReferenceChoices | undefined,
): Promise<Map<TemplateReferenceKind, CatalogEntryChoice | undefined> | undefined> {
  const params: CatalogEntriesParams = { uri: target.toString(), kinds };
  const known = await client.sendRequest<CatalogEntriesResult>(CATALOG_ENTRIES_REQUEST, params);
  const chosen = new Map<TemplateReferenceKind, CatalogEntryChoice | undefined>();
  const missing: string[] = [];
  for (const kind of kinds) {
    const words = KIND_WORDS[kind];
    const offered = offers(kind, known.entries, imageArchitecture(chosen));
    if (given && kind in given) {
      const id = given[kind];
      chosen.set(kind, id ? offered.find((o) => o.entry.id.toLowerCase() === id.toLowerCase())?.entry : undefined);
      if (id && !chosen.get(kind)) missing.push(`${words.noun} ${id}`);
      continue;
    }
    if (!offered.length) {
      missing.push(words.noun);
      chosen.set(kind, undefined);
      continue;
    }
    const arch = imageArchitecture(chosen);
    const picked = await vscode.window.showQuickPick(
      offered.map((o) => ({
        ...describeOffer(
          o,
          arch,
          o.entry.catalog ? vscode.workspace.asRelativePath(vscode.Uri.parse(o.entry.catalog)) : '',
        ),
        entry: o.entry,
      })),
      {
        title: `New task sequence: the ${words.noun}`,
        placeHolder: `Which ${words.noun} of the catalogs? (ID, name, version, architecture)`,
        matchOnDescription: true,
        matchOnDetail: true,
        ignoreFocusOut: true,
      },
    );
    if (!picked) return undefined;
    chosen.set(kind, picked.entry);
  }
  if (missing.length) {
    const left = kinds.filter((k) => !chosen.get(k)).map((k) => KIND_WORDS[k].placeholder);
    void vscode.window.showWarningMessage(
      `${known.catalogs ? "The workspace's catalogs list" : 'The workspace has no catalog: it lists'} no ${missing.join(', no ')}. ` +
        `The new file has ${left.join(', ')} where the ID goes, with a comment saying how to add one.`,
    );
  }
  return chosen;
}

export async function newFromTemplate(
  client: LanguageClient | undefined,
  prefix?: string,
  target?: vscode.Uri | string,
  given?: ReferenceChoices,
): Promise<vscode.Uri | undefined> {
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
  if (!client) {
    void vscode.window.showErrorMessage(
      'The Task Sequence language server is not running; see the Task Sequence output.',
    );
    return undefined;
  }
  let body = template.body;
  const slots = referenceSlots(body);
  if (slots.length) {
    const chosen = await chooseReferences(
      client,
      slots.map((s) => s.kind),
      uri,
      given,
    );
    if (!chosen) return undefined;
    body = fillReferences(body, slots, chosen);
  }
  const snippet = `${body}\n`;
  const written = await client.sendRequest<CreateFileResult>(CREATE_FILE_REQUEST, {
    uri: uri.toString(),
    text: snippetText(snippet),
  } satisfies CreateFileParams);
  if (!written.ok) {
    void vscode.window.showErrorMessage(written.message);
    return undefined;
  }
  // The file is complete on disk; shown again as a snippet, its placeholders take Tab.
  const editor = await vscode.window.showTextDocument(uri);
  const whole = new vscode.Range(
    new vscode.Position(0, 0),
    editor.document.lineAt(editor.document.lineCount - 1).range.end,
  );
  await editor.insertSnippet(new vscode.SnippetString(snippet), whole);
  await editor.document.save();
  return uri;
}
