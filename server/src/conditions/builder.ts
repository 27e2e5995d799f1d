// The condition builder: what an admin picks step by step, as on the Options tab of ConfigMgr's
// task sequence editor (https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-editor#conditions),
// turned into `when:` text. The checks become the condition tree and are printed by print.ts, so the
// text is what the parser reads back and what export turns into the same ConfigMgr condition.

import type {
  ComparisonOperator,
  ConditionExpr,
  ConditionRoot,
  InstalledSoftware,
  Literal,
  PropertyTest,
  VariableOperator,
} from './ast';
import { parseCondition } from './parse';
import { printCondition } from './print';
import { expandHive, isRegistryType, isVariableName, registryKeyProblem } from './validate';

export type Existence = 'exists' | 'notExists';

export type CheckChoice =
  | { kind: 'variable'; variable: string; operator: VariableOperator | Existence; value?: string }
  | { kind: 'osVersion'; platforms: string[] }
  | {
      kind: 'file';
      path: string;
      version?: { operator: ComparisonOperator; value: string };
      date?: { operator: ComparisonOperator; value: string };
    }
  | { kind: 'folder'; path: string; date?: { operator: ComparisonOperator; value: string } }
  | {
      kind: 'registry';
      key: string;
      valueName: string;
      operator: ComparisonOperator | Existence;
      data?: string;
      type?: string;
    }
  | { kind: 'wmi'; query: string; namespace?: string }
  | { kind: 'software'; match: 'thisVersion' | 'anyVersion'; code: string; name?: string };

/** The console's "If statement": all, any or none of the checks must be true. */
export interface ConditionChoice {
  join: 'all' | 'any' | 'none';
  checks: CheckChoice[];
}

export type BuiltCondition = { ok: true; text: string } | { ok: false; message: string };

/** Architectures ConfigMgr names its supported platforms by. */
export const PLATFORM_ARCHITECTURES = ['x64', 'x86', 'ARM64'] as const;
export const PLATFORM_WINDOWS = ['Windows 11', 'Windows 10', 'Windows Server 2022', 'Windows Server 2019'] as const;

/** The platform name the console lists for "all versions from this one up" on one architecture. */
export function platformName(architecture: string, windows: string): string {
  return `All ${architecture} ${windows} and higher`;
}

const lit = (value: string): Literal => ({ value, start: 0, end: 0 });
const at = { start: 0, end: 0 };
const test = (t: { operator: ComparisonOperator; value: string } | undefined): PropertyTest | undefined =>
  t ? { operator: t.operator, value: lit(t.value), ...at } : undefined;
const GUID = /^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$/;
/** ConfigMgr stores file and folder times as WMI datetimes (yyyymmddHHMMSS.mmmmmmsUUU). */
const WMI_DATETIME = /^\d{14}\.\d{6}[+-]\d{3}$/;

function check(c: CheckChoice): ConditionExpr | string {
  switch (c.kind) {
    case 'variable': {
      const name = c.variable.trim();
      if (!isVariableName(name))
        return `“${c.variable}” is not a task sequence variable name (letters, digits, _ and - only).`;
      if (c.operator === 'exists' || c.operator === 'notExists')
        return { kind: 'exists', variable: { name, ...at }, negated: c.operator === 'notExists', ...at };
      return { kind: 'compare', variable: { name, ...at }, operator: c.operator, value: lit(c.value ?? ''), ...at };
    }
    case 'osVersion': {
      const names = c.platforms.map((p) => p.trim()).filter(Boolean);
      if (names.length === 0) return 'Choose at least one platform.';
      return { kind: 'osVersion', platforms: names.map((n) => ({ name: lit(n), tests: [], ...at })), ...at };
    }
    case 'file':
    case 'folder': {
      const path = c.path.trim();
      if (path === '') return `The ${c.kind} path is empty.`;
      if (c.date && !WMI_DATETIME.test(c.date.value))
        return `The date “${c.date.value}” is not written as ConfigMgr stores it (yyyymmddHHMMSS.000000+000).`;
      return c.kind === 'file'
        ? { kind: 'file', path: lit(path), version: test(c.version), date: test(c.date), ...at }
        : { kind: 'folder', path: lit(path), date: test(c.date), ...at };
    }
    case 'registry': {
      const key = expandHive(c.key.trim());
      const problem = registryKeyProblem(key);
      if (problem) return `${problem.message}. ${problem.hint}.`;
      if (!/^HKEY_[A-Z_]+(\\|$)/.test(key))
        return `“${c.key}” does not start with a registry hive (HKEY_LOCAL_MACHINE\\… or HKLM\\…).`;
      const type = c.type?.trim() ? lit(c.type.trim()) : undefined;
      if (type && !isRegistryType(type.value)) return `“${type.value}” is not a registry type (REG_SZ, REG_DWORD, …).`;
      if (c.operator === 'exists' || c.operator === 'notExists') {
        return {
          kind: 'registryExists',
          key: lit(key),
          valueName: lit(c.valueName),
          type,
          negated: c.operator === 'notExists',
          ...at,
        };
      }
      return {
        kind: 'registry',
        key: lit(key),
        valueName: lit(c.valueName),
        type,
        operator: c.operator,
        data: lit(c.data ?? ''),
        ...at,
      };
    }
    case 'wmi': {
      const query = c.query.trim();
      if (!/^select\s/i.test(query))
        return 'A WMI query starts with SELECT (for example SELECT * FROM Win32_ComputerSystem WHERE Model LIKE "%Latitude%").';
      return {
        kind: 'wmi',
        query: lit(query),
        namespace: c.namespace?.trim() ? lit(c.namespace.trim()) : undefined,
        ...at,
      };
    }
    case 'software': {
      const code = c.code.trim().toUpperCase();
      const what = c.match === 'thisVersion' ? 'product code' : 'upgrade code';
      if (!GUID.test(code))
        return `The ${what} “${c.code}” is not a GUID in braces ({XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}), as Windows Installer writes it.`;
      const node: InstalledSoftware = {
        kind: 'installed',
        match: c.match,
        productName: c.name?.trim() ? lit(c.name.trim()) : undefined,
        ...at,
      };
      if (c.match === 'thisVersion') node.productCode = lit(code);
      else node.upgradeCode = lit(code);
      return node;
    }
  }
}

/** The `when:` text of the checks joined as chosen; an existing condition, when given, stays and must also be true. */
export function buildCondition(choice: ConditionChoice, existing?: string): BuiltCondition {
  if (choice.checks.length === 0) return { ok: false, message: 'Add at least one check.' };
  const checks: ConditionExpr[] = [];
  for (const c of choice.checks) {
    const built = check(c);
    if (typeof built === 'string') return { ok: false, message: built };
    checks.push(built);
  }
  let children: ConditionExpr[];
  if (choice.join === 'all') children = checks;
  else if (choice.join === 'any')
    children = [checks.length === 1 ? checks[0] : { kind: 'or', children: checks, ...at }];
  else children = [{ kind: 'not', children: checks, ...at }];
  const root: ConditionRoot = { kind: 'condition', children, ...at };
  let text = printCondition(root);
  if (existing?.trim()) {
    const before = parseCondition(existing);
    if (before.errors.length)
      return {
        ok: false,
        message: `The step's condition does not read as a condition (${before.errors[0].message}); fix it or replace it.`,
      };
    text = `(${existing.trim()}) and ${children.length > 1 ? `(${text})` : text}`;
  }
  const back = parseCondition(text);
  if (back.errors.length)
    return { ok: false, message: `tsq could not write that condition: ${back.errors[0].message}` };
  return { ok: true, text };
}
