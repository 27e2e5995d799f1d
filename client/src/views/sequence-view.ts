// The Task Sequence view (its own container in the Activity Bar): the active *.tsq.yaml as the
// console shows it — groups and steps in order, an icon for a step with problems, a disabled one,
// one with a condition or one that continues on error, the problems on hover, child sequences
// expanded in place. The tree comes from the language server (`tsq/sequenceTree`), so it is the
// server's own model; every change made here (add, rename, disable, delete, move, drag and drop,
// conditions) is asked of the server (`tsq/sequenceEdit`) and applied as one workspace edit, so
// undo works and the checks follow as for typing.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  SEQUENCE_EDIT_REQUEST,
  SEQUENCE_TREE_REQUEST,
  STEP_CHOICES_REQUEST,
  type SequenceEditOperation,
  type SequenceEditResult,
  type SequenceTreeNode,
  type SequenceTreeResult,
  type StepChoice,
  type TreePlacement,
} from '../../../server/src/frontend/sequence-tree-protocol';
import { runConditionBuilder } from './condition-builder';

const VIEW_ID = 'tsq.sequenceView';
const DRAG_TYPE = 'application/vnd.code.tree.tsq.sequenceview';
/** Typing pauses shorter than this are one change for the view (the server answers in a few ms). */
const REFRESH_PAUSE_MS = 60;

function isSequenceEditor(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return !!editor && editor.document.languageId === 'tasksequence';
}

const sameUri = (a: string, b: string) => vscode.Uri.parse(a).toString() === vscode.Uri.parse(b).toString();

/** Whether two trees have the same rows (the same ids, in the same places): only their details may differ. */
function sameRows(a: SequenceTreeNode[] | undefined, b: SequenceTreeNode[] | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  return a.every(
    (n, i) =>
      n.uri === b[i].uri &&
      n.path.join('.') === b[i].path.join('.') &&
      n.kind === b[i].kind &&
      !n.child === !b[i].child &&
      sameRows(n.children, b[i].children),
  );
}

/** Copies each row's details from `next` into `shown` (trees of the same rows), listing the rows that changed. */
function updateRows(next: SequenceTreeNode[], shown: SequenceTreeNode[], changed: SequenceTreeNode[]): void {
  next.forEach((n, i) => {
    const row = shown[i];
    const { children: nextChildren, ...details } = n;
    const { children: shownChildren, ...was } = row;
    if (JSON.stringify(details) !== JSON.stringify(was)) {
      for (const key of Object.keys(was)) delete (row as unknown as Record<string, unknown>)[key];
      Object.assign(row, details);
      changed.push(row);
    }
    if (nextChildren && shownChildren) updateRows(nextChildren, shownChildren, changed);
  });
}

export class SequenceView
  implements
    vscode.TreeDataProvider<SequenceTreeNode>,
    vscode.TreeDragAndDropController<SequenceTreeNode>,
    vscode.Disposable
{
  readonly dragMimeTypes = [DRAG_TYPE];
  readonly dropMimeTypes = [DRAG_TYPE];
  private readonly changed = new vscode.EventEmitter<SequenceTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<SequenceTreeNode>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private uri: string | undefined;
  private tree: SequenceTreeResult = null;
  private parents = new Map<SequenceTreeNode, SequenceTreeNode | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  private choices: StepChoice[] | undefined;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.view = vscode.window.createTreeView(VIEW_ID, {
      treeDataProvider: this,
      dragAndDropController: this,
      showCollapseAll: true,
      canSelectMany: false,
    });
    // The view's title buttons act where the selection is; a row's own menu acts on the row VS Code hands over.
    const command = (name: string, run: (node?: SequenceTreeNode) => unknown) =>
      vscode.commands.registerCommand(name, (node?: SequenceTreeNode) =>
        this.guard(() => run(node ?? this.view.selection[0])),
      );
    // VS Code hands a row's menu command the clicked row, looked up by its handle when the command runs; if the tree was
    // refreshed meanwhile the lookup finds nothing. Guessing from the selection or the cursor would then edit another step.
    const rowCommand = (name: string, run: (node: SequenceTreeNode) => unknown) =>
      vscode.commands.registerCommand(name, (node?: SequenceTreeNode) =>
        this.guard(() => {
          if (node) return run(node);
          void vscode.window.showWarningMessage(
            'Task Sequence view: the sequence changed while its menu was open, so nothing was done. Right-click the row again.',
          );
        }),
      );
    this.subscriptions.push(
      this.view,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (isSequenceEditor(e)) this.follow(e.document.uri.toString());
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.shows(e.document.uri)) this.schedule();
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => this.shows(u))) this.schedule();
      }),
      command('tsq.view.refresh', () => this.refresh()),
      command('tsq.view.addStep', (n) => this.addStep(n)),
      command('tsq.view.addGroup', (n) => this.addGroup(n)),
      rowCommand('tsq.view.rename', (n) => this.rename(n)),
      rowCommand('tsq.view.disable', (n) =>
        this.edit(n.uri, { op: 'setDisabled', path: n.path, disabled: true }, n.path),
      ),
      rowCommand('tsq.view.enable', (n) =>
        this.edit(n.uri, { op: 'setDisabled', path: n.path, disabled: false }, n.path),
      ),
      rowCommand('tsq.view.delete', (n) => this.edit(n.uri, { op: 'delete', path: n.path })),
      rowCommand('tsq.view.moveUp', (n) => this.edit(n.uri, { op: 'moveBy', path: n.path, delta: -1 })),
      rowCommand('tsq.view.moveDown', (n) => this.edit(n.uri, { op: 'moveBy', path: n.path, delta: 1 })),
      rowCommand('tsq.view.reveal', (n) => this.reveal(n)),
      rowCommand('tsq.view.buildCondition', (n) => this.buildCondition(n)),
      vscode.commands.registerCommand('tsq.buildCondition', (n?: SequenceTreeNode) =>
        this.guard(() => this.buildCondition(n)),
      ),
    );
    if (isSequenceEditor(vscode.window.activeTextEditor))
      this.follow(vscode.window.activeTextEditor.document.uri.toString());
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }

  /** The tree as last shown (for tests and the condition builder). */
  current(): SequenceTreeResult {
    return this.tree;
  }

  private async guard(run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (e) {
      void vscode.window.showErrorMessage(`Task Sequence view: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private shows(uri: vscode.Uri): boolean {
    if (!this.uri) return false;
    const s = uri.toString();
    if (sameUri(s, this.uri)) return true;
    // A child sequence shown in place.
    const inTree = (nodes: SequenceTreeNode[] | undefined): boolean =>
      !!nodes?.some((n) => (n.child && sameUri(n.child.uri, s)) || inTree(n.children));
    return inTree(this.tree?.nodes);
  }

  private follow(uri: string): void {
    if (this.uri && sameUri(this.uri, uri)) return;
    this.uri = uri;
    void this.refresh();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_PAUSE_MS);
  }

  /** Asks the server for the tree of the followed file and shows it. */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    const client = this.client();
    const uri = this.uri;
    if (!client || !uri) return;
    const loading = (async () => {
      let tree: SequenceTreeResult;
      try {
        tree = await client.sendRequest<SequenceTreeResult>(SEQUENCE_TREE_REQUEST, { textDocument: { uri } });
      } catch {
        // eslint-disable-next-line no-restricted-syntax -- the server is starting or restarting; it is asked again when the file changes or the server is ready
        return;
      }
      if (uri !== this.uri) return;
      // Redrawing an unchanged tree would only forget the rows' handles (see rowCommand) while a menu may be open.
      if (tree && JSON.stringify(tree) === JSON.stringify(this.tree)) return;
      if (tree && this.tree && sameUri(tree.uri, this.tree.uri) && sameRows(tree.nodes, this.tree.nodes)) {
        // The same rows with new details (problem counts, marks): updated in place and redrawn one by one. Redrawing
        // the whole tree makes VS Code forget every row's handle, and a group's children asked for just before (by the
        // old handle) then fail: the group stayed open and empty until the next change.
        const redraw: SequenceTreeNode[] = [];
        updateRows(tree.nodes, this.tree.nodes, redraw);
        this.tree = { ...tree, nodes: this.tree.nodes };
        this.view.description = tree.name;
        for (const row of redraw) this.changed.fire(row);
        return;
      }
      this.tree = tree;
      this.parents = new Map();
      const link = (nodes: SequenceTreeNode[] | undefined, parent: SequenceTreeNode | undefined) =>
        nodes?.forEach((n) => {
          this.parents.set(n, parent);
          link(n.children, n);
        });
      link(tree?.nodes, undefined);
      this.view.description = tree ? tree.name : undefined;
      this.view.message = tree
        ? tree.nodes.length === 0
          ? 'The sequence has no steps yet: add one with +.'
          : undefined
        : 'Open a task sequence (*.tsq.yaml) to see its groups and steps.';
      this.changed.fire(undefined);
    })();
    this.loading = loading;
    await loading;
  }

  getTreeItem(node: SequenceTreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.name || (node.kind === 'group' ? '(unnamed group)' : '(unnamed step)'));
    item.id = `${node.uri}#${node.path.join('.')}`;
    item.collapsibleState = node.children
      ? node.child
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.None;
    const marks: string[] = [];
    if (node.kind === 'step') marks.push(node.child ? `${node.action}: ${node.child.name}` : node.action);
    if (node.condition !== undefined) marks.push('if …');
    if (node.continueOnError) marks.push('continue on error');
    if (node.disabled) marks.push('disabled');
    item.description = marks.join(' · ');
    item.iconPath = iconOf(node);
    item.tooltip = tooltipOf(node);
    const inChild = this.tree && !sameUri(node.uri, this.tree.uri);
    item.contextValue = `tsq.${node.kind}${node.disabled ? '.disabled' : '.enabled'}${inChild ? '.child' : ''}`;
    item.accessibilityInformation = {
      label: `${node.kind} ${node.name}${node.disabled ? ', disabled' : ''}${node.problemCount ? `, ${node.problemCount} problems` : ''}`,
    };
    item.command = { command: 'tsq.view.reveal', title: 'Reveal in Editor', arguments: [node] };
    return item;
  }

  getChildren(node?: SequenceTreeNode): SequenceTreeNode[] {
    return node ? (node.children ?? []) : (this.tree?.nodes ?? []);
  }

  getParent(node: SequenceTreeNode): SequenceTreeNode | undefined {
    return this.parents.get(node);
  }

  handleDrag(source: readonly SequenceTreeNode[], data: vscode.DataTransfer): void {
    if (source.length) data.set(DRAG_TYPE, new vscode.DataTransferItem({ uri: source[0].uri, path: source[0].path }));
  }

  /** Dropped on a group: its last step; on a step: before it; on the empty space: the end of the sequence. */
  async handleDrop(target: SequenceTreeNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const dragged = data.get(DRAG_TYPE)?.value as { uri: string; path: number[] } | undefined;
    if (!dragged || !this.tree) return;
    const uri = target?.uri ?? this.tree.uri;
    if (!sameUri(uri, dragged.uri)) {
      void vscode.window.showWarningMessage(
        'A step moves within its own file; copy it to move it to another sequence.',
      );
      return;
    }
    const to: TreePlacement = !target
      ? { parent: [], index: this.tree.nodes.length }
      : target.kind === 'group'
        ? { parent: target.path, index: target.children?.length ?? 0 }
        : { parent: target.path.slice(0, -1), index: target.path[target.path.length - 1] };
    await this.guard(() => this.edit(uri, { op: 'move', path: dragged.path, to }));
  }

  /** After the selected node (inside it, when it is a group), or at the end of the sequence. */
  private placementAfter(node: SequenceTreeNode | undefined): { uri: string; at: TreePlacement } | undefined {
    if (!this.tree) return undefined;
    if (!node) return { uri: this.tree.uri, at: { parent: [], index: this.tree.nodes.length } };
    if (node.kind === 'group') return { uri: node.uri, at: { parent: node.path, index: node.children?.length ?? 0 } };
    return { uri: node.uri, at: { parent: node.path.slice(0, -1), index: node.path[node.path.length - 1] + 1 } };
  }

  private async stepChoices(): Promise<StepChoice[]> {
    this.choices ??= await this.client()?.sendRequest<StepChoice[]>(STEP_CHOICES_REQUEST, {});
    return this.choices ?? [];
  }

  private async addStep(node: SequenceTreeNode | undefined): Promise<void> {
    const where = this.placementAfter(node);
    if (!where) return;
    const choices = [...(await this.stepChoices())].sort(
      (a, b) => a.category.localeCompare(b.category) || a.displayName.localeCompare(b.displayName),
    );
    type Item = vscode.QuickPickItem & { key?: string };
    const items: Item[] = [];
    let category = '';
    for (const c of choices) {
      const heading = c.source === 'mdt' ? 'MDT' : c.category;
      if (heading !== category) {
        category = heading;
        items.push({ label: heading, kind: vscode.QuickPickItemKind.Separator });
      }
      items.push({ label: c.displayName, description: c.key, detail: c.summary, key: c.key });
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Add Step',
      placeHolder: 'Built-in step to add (type to filter)',
      matchOnDescription: true,
      matchOnDetail: false,
    });
    if (!picked?.key) return;
    await this.edit(where.uri, { op: 'addStep', action: picked.key, at: where.at }, undefined, true);
  }

  private async addGroup(node: SequenceTreeNode | undefined): Promise<void> {
    const where = this.placementAfter(node);
    if (!where) return;
    const name = await vscode.window.showInputBox({
      title: 'Add Group',
      prompt: 'Name of the new group',
      value: 'New Group',
      validateInput: (v) => (v.trim() ? undefined : 'A group needs a name.'),
    });
    if (!name) return;
    await this.edit(where.uri, { op: 'addGroup', name, at: where.at }, undefined, true);
  }

  private async rename(node: SequenceTreeNode | undefined): Promise<void> {
    if (!node) return;
    const name = await vscode.window.showInputBox({
      title: `Rename ${node.kind}`,
      value: node.name,
      validateInput: (v) => (v.trim() ? undefined : 'A name cannot be empty.'),
    });
    if (name === undefined || name === node.name) return;
    await this.edit(node.uri, { op: 'rename', path: node.path, name }, node.path);
  }

  private async buildCondition(node: SequenceTreeNode | undefined): Promise<void> {
    const target = node ?? (await this.nodeAtCursor());
    if (!target) {
      void vscode.window.showErrorMessage(
        'Select a group or step in the Task Sequence view, or put the cursor on one in the editor, then build its condition.',
      );
      return;
    }
    const asked = await runConditionBuilder(target);
    if (asked)
      await this.edit(
        target.uri,
        { op: 'buildCondition', path: target.path, choice: asked.choice, keep: asked.keep },
        target.path,
      );
  }

  /** The group or step the editor's cursor is in: the last one, in file order, that starts on or above its line. */
  private async nodeAtCursor(): Promise<SequenceTreeNode | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!isSequenceEditor(editor)) return undefined;
    this.follow(editor.document.uri.toString());
    await this.refresh();
    const line = editor.selection.active.line;
    let found: SequenceTreeNode | undefined;
    const visit = (nodes: SequenceTreeNode[] | undefined) =>
      nodes?.forEach((n) => {
        if (!sameUri(n.uri, editor.document.uri.toString())) return;
        if (n.range.start.line <= line) found = n;
        visit(n.children);
      });
    visit(this.tree?.nodes);
    return found;
  }

  /** Has the server compute a change, applies it as one workspace edit, shows the new tree and selects the node. */
  private async edit(uri: string, edit: SequenceEditOperation, select?: number[], reveal = false): Promise<void> {
    const client = this.client();
    if (!client) throw new Error('the Task Sequence language server is not running');
    await this.loading;
    const result = await client.sendRequest<SequenceEditResult>(SEQUENCE_EDIT_REQUEST, { textDocument: { uri }, edit });
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.message);
      return;
    }
    if (result.edits.length) {
      const change = new vscode.WorkspaceEdit();
      const target = vscode.Uri.parse(result.uri);
      for (const e of result.edits)
        change.replace(
          target,
          new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character),
          e.newText,
        );
      if (!(await vscode.workspace.applyEdit(change)))
        throw new Error('VS Code did not apply the change (is the file read-only?)');
    }
    await this.refresh();
    const path = result.path ?? select;
    const landed = path && this.find(result.uri, path);
    if (landed) {
      await this.view.reveal(landed, { select: true, focus: true, expand: false });
      if (reveal) await this.reveal(landed, true);
    }
  }

  private find(uri: string, path: number[]): SequenceTreeNode | undefined {
    let list = this.tree?.nodes;
    const inFile = (nodes: SequenceTreeNode[] | undefined): SequenceTreeNode[] | undefined => {
      if (!nodes?.length || sameUri(nodes[0].uri, uri)) return nodes;
      for (const n of nodes) {
        const found = inFile(n.children);
        if (found) return found;
      }
      return undefined;
    };
    list = inFile(list);
    let node: SequenceTreeNode | undefined;
    for (const i of path) {
      node = list?.[i];
      list = node?.child ? undefined : node?.children;
    }
    return node;
  }

  private async reveal(node: SequenceTreeNode, preserveFocus = true): Promise<void> {
    const range = new vscode.Range(
      node.range.start.line,
      node.range.start.character,
      node.range.end.line,
      node.range.end.character,
    );
    await vscode.window.showTextDocument(vscode.Uri.parse(node.uri), {
      selection: range,
      preserveFocus,
      preview: false,
    });
  }
}

function iconOf(node: SequenceTreeNode): vscode.ThemeIcon {
  const worst = node.problems[0]?.severity;
  if (worst === 1) return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  if (worst === 2) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  if (node.disabled) return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  if (node.condition !== undefined) return new vscode.ThemeIcon('filter');
  if (node.continueOnError) return new vscode.ThemeIcon('debug-step-over');
  if (node.child) return new vscode.ThemeIcon('references');
  return new vscode.ThemeIcon(node.kind === 'group' ? 'folder' : 'symbol-event');
}

function tooltipOf(node: SequenceTreeNode): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**`)
    .appendText(node.name || '(unnamed)')
    .appendMarkdown(`** — ${node.kind === 'group' ? 'group' : ''}`)
    .appendText(node.action);
  if (node.child) md.appendMarkdown('\n\nRuns the child sequence ').appendText(`“${node.child.name}”`);
  if (node.condition !== undefined)
    md.appendMarkdown('\n\nRuns only when: ')
      .appendMarkdown('`')
      .appendText(node.condition.replace(/`/g, "'"))
      .appendMarkdown('`');
  if (node.continueOnError) md.appendMarkdown('\n\nContinues on error.');
  if (node.disabled) md.appendMarkdown('\n\nDisabled: the run skips it.');
  for (const p of node.problems)
    md.appendMarkdown(`\n\n${p.severity === 1 ? '$(error)' : p.severity === 2 ? '$(warning)' : '$(info)'} `).appendText(
      p.message.split('\n')[0],
    );
  if (node.problemCount > node.problems.length)
    md.appendMarkdown(`\n\n…and ${node.problemCount - node.problems.length} more in the Problems panel.`);
  return md;
}

export function registerSequenceView(
  context: vscode.ExtensionContext,
  client: () => LanguageClient | undefined,
): SequenceView {
  const view = new SequenceView(client);
  context.subscriptions.push(view);
  return view;
}
