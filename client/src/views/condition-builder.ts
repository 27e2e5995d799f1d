// "Task Sequence: Build Condition…": the Options tab of ConfigMgr's task sequence editor
// (https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-editor#conditions)
// as a walk through quick picks and input boxes — If all / any / none, then checks on a variable,
// the OS version and architecture, a file, a folder, a registry value, a WMI query or installed
// software. It only asks; the language server writes the `when:` text (conditions/builder.ts)
// and the edit.

import * as vscode from 'vscode';
import type { ConditionChoiceShape, SequenceTreeNode } from '../../../server/src/frontend/sequence-tree-protocol';

type Check = ConditionChoiceShape['checks'][number];
type Comparison = 'equals' | 'notEquals' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';

const COMPARISONS: { label: string; operator: Comparison }[] = [
  { label: 'equals', operator: 'equals' },
  { label: 'not equal to', operator: 'notEquals' },
  { label: 'greater than', operator: 'greater' },
  { label: 'greater than or equal to', operator: 'greaterEqual' },
  { label: 'less than', operator: 'less' },
  { label: 'less than or equal to', operator: 'lessEqual' },
];
const ARCHITECTURES = ['x64', 'x86', 'ARM64'];
const WINDOWS = ['Windows 11', 'Windows 10', 'Windows Server 2022', 'Windows Server 2019'];
const REGISTRY_TYPES = ['REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ', 'REG_DWORD', 'REG_QWORD', 'REG_BINARY'];

/** Thrown when the admin closes a picker: the whole walk ends without writing anything. */
class Cancelled extends Error {}

async function pick<T extends vscode.QuickPickItem>(title: string, items: T[], placeHolder?: string): Promise<T> {
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
  if (!picked) throw new Cancelled();
  return picked;
}

async function ask(
  title: string,
  prompt: string,
  options: { value?: string; optional?: boolean; check?: (v: string) => string | undefined } = {},
): Promise<string> {
  const value = await vscode.window.showInputBox({
    title,
    prompt,
    value: options.value,
    ignoreFocusOut: true,
    validateInput: (v) => (!options.optional && v.trim() === '' ? 'This cannot be empty.' : options.check?.(v)),
  });
  if (value === undefined) throw new Cancelled();
  return value.trim();
}

async function comparison(title: string, extra: { label: string; operator: string }[] = []): Promise<string> {
  return (
    await pick(
      title,
      [...COMPARISONS, ...extra].map((c) => ({ label: c.label, operator: c.operator })),
    )
  ).operator;
}

const CHECKS: { label: string; detail: string; ask: () => Promise<Check> }[] = [
  {
    label: 'Task Sequence Variable',
    detail: 'Compare a variable with a value, or test that it exists',
    ask: async () => {
      const title = 'Task Sequence Variable';
      const variable = await ask(title, 'Variable name (without %)', {
        check: (v) => (/^[A-Za-z0-9_-]+$/.test(v.trim()) ? undefined : 'Letters, digits, _ and - only.'),
      });
      const operator = await comparison(`${title}: ${variable}`, [
        { label: 'like (% any run, _ one character)', operator: 'like' },
        { label: 'exists', operator: 'exists' },
        { label: 'does not exist', operator: 'notExists' },
      ]);
      if (operator === 'exists' || operator === 'notExists') return { kind: 'variable', variable, operator };
      return {
        kind: 'variable',
        variable,
        operator: operator as Comparison | 'like',
        value: await ask(`${title}: ${variable}`, 'Value', { optional: true }),
      };
    },
  },
  {
    label: 'Operating System Version',
    detail: 'Windows version and architecture (x64, x86, ARM64)',
    ask: async () => {
      const architecture = (
        await pick(
          'Operating System Version: architecture',
          ARCHITECTURES.map((label) => ({ label })),
        )
      ).label;
      const windows = (
        await pick(
          `Operating System Version: ${architecture}`,
          WINDOWS.map((label) => ({ label, description: `All ${architecture} ${label} and higher` })),
        )
      ).label;
      return { kind: 'osVersion', platforms: [`All ${architecture} ${windows} and higher`] };
    },
  },
  {
    label: 'File Properties',
    detail: 'A file exists, optionally with a version',
    ask: async () => {
      const path = await ask('File Properties', 'Full path of the file, e.g. C:\\Windows\\System32\\notepad.exe');
      const test = await pick('File Properties: version', [
        { label: 'Any version', test: false },
        { label: 'Compare the version…', test: true },
      ]);
      if (!test.test) return { kind: 'file', path };
      const operator = (await comparison('File Properties: version')) as Comparison;
      return {
        kind: 'file',
        path,
        version: { operator, value: await ask('File Properties: version', 'Version, e.g. 10.0.19041.1') },
      };
    },
  },
  {
    label: 'Folder Properties',
    detail: 'A folder exists',
    ask: async () => ({
      kind: 'folder',
      path: await ask('Folder Properties', 'Full path of the folder, e.g. C:\\Program Files\\Contoso'),
    }),
  },
  {
    label: 'Registry Setting',
    detail: 'A registry value exists, or its data compares with a value',
    ask: async () => {
      const title = 'Registry Setting';
      const key = await ask(title, 'Key, starting with its hive', { value: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\' });
      const valueName = await ask(title, 'Value name (empty for the default value)', { optional: true });
      const operator = await comparison(`${title}: ${valueName || '(default)'}`, [
        { label: 'exists', operator: 'exists' },
        { label: 'does not exist', operator: 'notExists' },
      ]);
      const type = (
        await pick(
          `${title}: type`,
          REGISTRY_TYPES.map((label) => ({ label })),
        )
      ).label;
      if (operator === 'exists' || operator === 'notExists')
        return { kind: 'registry', key, valueName, operator, type };
      return {
        kind: 'registry',
        key,
        valueName,
        operator: operator as Comparison,
        type,
        data: await ask(title, 'Data to compare with', { optional: true }),
      };
    },
  },
  {
    label: 'Query WMI',
    detail: 'A WQL query that returns at least one instance',
    ask: async () => {
      const query = await ask('Query WMI', 'WQL query', {
        value: "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%%'",
      });
      const namespace = await ask('Query WMI', 'Namespace (empty for root\\cimv2)', { optional: true });
      return namespace ? { kind: 'wmi', query, namespace } : { kind: 'wmi', query };
    },
  },
  {
    label: 'Installed Software',
    detail: 'An MSI product (by product code) or any version of it (by upgrade code)',
    ask: async () => {
      const match = await pick('Installed Software', [
        { label: 'Match this specific product', description: 'product code', match: 'thisVersion' as const },
        { label: 'Match any version of this product', description: 'upgrade code', match: 'anyVersion' as const },
      ]);
      const code = await ask(
        'Installed Software',
        `${match.description === 'product code' ? 'Product' : 'Upgrade'} code, {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`,
      );
      const name = await ask('Installed Software', 'Product name (optional, for readers)', { optional: true });
      return name
        ? { kind: 'software', match: match.match, code, name }
        : { kind: 'software', match: match.match, code };
    },
  },
];

/** Walks the admin through the checks; undefined when they cancelled. */
export async function runConditionBuilder(
  node: SequenceTreeNode,
): Promise<{ choice: ConditionChoiceShape; keep: boolean } | undefined> {
  try {
    let keep = false;
    if (node.condition !== undefined) {
      keep = (
        await pick(`Condition of “${node.name}”`, [
          { label: 'Add checks to the condition', detail: `Keeps: ${node.condition}`, keep: true },
          { label: 'Replace the condition', detail: `Replaces: ${node.condition}`, keep: false },
        ])
      ).keep;
    }
    const join = (
      await pick(
        `Condition of “${node.name}”: If statement`,
        [
          { label: 'All conditions are true', join: 'all' as const },
          { label: 'Any condition is true', join: 'any' as const },
          { label: 'None of the conditions is true', join: 'none' as const },
        ],
        'Run the step when',
      )
    ).join;
    const checks: Check[] = [];
    for (;;) {
      const kind = await pick(
        `Condition of “${node.name}”: check ${checks.length + 1}`,
        CHECKS.map((c) => ({ label: c.label, detail: c.detail, ask: c.ask })),
      );
      checks.push(await kind.ask());
      const next = await pick(`Condition of “${node.name}”: ${checks.length} check${checks.length === 1 ? '' : 's'}`, [
        { label: 'Write the condition', more: false },
        { label: 'Add another check…', more: true },
      ]);
      if (!next.more) break;
    }
    return { choice: { join, checks }, keep };
  } catch (e) {
    if (e instanceof Cancelled) return undefined;
    throw e;
  }
}
