// The words of the `when:` language: functions with their options, comparison operators and
// keywords, each with a one-line summary. The parser checks calls against this table and
// suggests near misses from it; the editor offers it for completion and hover.

import type { ComparisonOperator, VariableOperator } from './ast';

/** An option written `name=value` (assign) or `name >= value` (compare) inside a call. */
export interface FunctionOption {
  name: string;
  /** `assign`: `name="..."` sets a property; `compare`: `name <op> "..."` adds a test. */
  form: 'assign' | 'compare';
  summary: string;
}

export interface ConditionFunction {
  /** Canonical spelling; calls are matched without regard to case. */
  name: string;
  /** How a call looks, for completion details and error hints. */
  signature: string;
  summary: string;
  /** The ConfigMgr condition it becomes (editor label). */
  configMgr: string;
  options: FunctionOption[];
}

export const conditionFunctions: readonly ConditionFunction[] = [
  {
    name: 'exists',
    signature: 'exists(Variable)',
    summary: 'True when the task sequence variable is set, even to an empty value.',
    configMgr: 'Task Sequence Variable, operator exists',
    options: [],
  },
  {
    name: 'notExists',
    signature: 'notExists(Variable)',
    summary: 'True when the task sequence variable is not set at all.',
    configMgr: 'Task Sequence Variable, operator notExists',
    options: [],
  },
  {
    name: 'fileExists',
    signature: 'fileExists("C:\\path\\file.exe", version >= "1.0", date < "20240101000000.000000+000")',
    summary: 'True when the file exists and passes the optional version and timestamp tests.',
    configMgr: 'File Properties',
    options: [
      { name: 'version', form: 'compare', summary: 'Compare the file version, part by part (10.0.2 < 10.0.10).' },
      { name: 'date', form: 'compare', summary: 'Compare the file timestamp with this date and time.' },
    ],
  },
  {
    name: 'folderExists',
    signature: 'folderExists("C:\\path", date >= "20240101000000.000000+000")',
    summary: 'True when the folder exists and passes the optional timestamp test.',
    configMgr: 'Folder Properties',
    options: [{ name: 'date', form: 'compare', summary: 'Compare the folder timestamp with this date and time.' }],
  },
  {
    name: 'registry',
    signature: 'registry("HKEY_LOCAL_MACHINE\\SOFTWARE\\Key", "ValueName") == "data"',
    summary: 'The data of a registry value, to compare with ==, !=, <, <=, > or >=.',
    configMgr: 'Registry Setting, comparing data',
    options: [{ name: 'type', form: 'assign', summary: 'Registry type to record (REG_SZ, REG_DWORD, ...).' }],
  },
  {
    name: 'registryExists',
    signature: 'registryExists("HKEY_LOCAL_MACHINE\\SOFTWARE\\Key", "ValueName", type="REG_SZ")',
    summary: 'True when the registry value exists (and, with type=, has that type).',
    configMgr: 'Registry Setting, operator exists',
    options: [{ name: 'type', form: 'assign', summary: 'Only a value of this registry type counts.' }],
  },
  {
    name: 'registryNotExists',
    signature: 'registryNotExists("HKEY_LOCAL_MACHINE\\SOFTWARE\\Key", "ValueName")',
    summary: 'True when the registry value does not exist.',
    configMgr: 'Registry Setting, operator notExists',
    options: [{ name: 'type', form: 'assign', summary: 'A value of another registry type counts as missing.' }],
  },
  {
    name: 'wmi',
    signature: 'wmi("SELECT * FROM Win32_ComputerSystem WHERE ...", namespace="root\\cimv2")',
    summary: 'True when the WMI query returns at least one instance.',
    configMgr: 'Query WMI',
    options: [{ name: 'namespace', form: 'assign', summary: 'WMI namespace to query; root\\cimv2 when left out.' }],
  },
  {
    name: 'installed',
    signature: 'installed("{product-code}", name="...", version="...", upgradeCode="{...}")',
    summary: 'True when the MSI product with exactly this product code is installed.',
    configMgr: 'Installed Software, match this specific product',
    options: [
      { name: 'name', form: 'assign', summary: 'Product name, as recorded from the MSI.' },
      { name: 'version', form: 'assign', summary: 'Product version, as recorded from the MSI.' },
      { name: 'upgradeCode', form: 'assign', summary: 'Upgrade code, as recorded from the MSI.' },
    ],
  },
  {
    name: 'installedAnyVersion',
    signature: 'installedAnyVersion("{upgrade-code}", productCode="{...}", name="...", version="...")',
    summary: 'True when any version of the MSI product family with this upgrade code is installed.',
    configMgr: 'Installed Software, match any version of this product',
    options: [
      { name: 'productCode', form: 'assign', summary: 'Product code of the MSI the condition was made from.' },
      { name: 'name', form: 'assign', summary: 'Product name, as recorded from the MSI.' },
      { name: 'version', form: 'assign', summary: 'Product version, as recorded from the MSI.' },
    ],
  },
  {
    name: 'osVersion',
    signature: 'osVersion("All x64 Windows 11 and higher", ...)',
    summary: 'True when the running Windows is one of the listed supported platforms.',
    configMgr: 'Operating System Version',
    options: [],
  },
  {
    name: 'platform',
    signature: 'platform("Platform name", wmi("..."), ...)',
    summary: 'Inside osVersion: a platform together with the WMI tests ConfigMgr stored for it.',
    configMgr: 'Operating System Version, one platform',
    options: [],
  },
  {
    name: 'osLanguage',
    signature: 'osLanguage(1033)',
    summary: 'True when the Windows display language has this language ID (LCID).',
    configMgr: 'Operating System Language',
    options: [],
  },
  {
    name: 'all',
    signature: 'all(check, ...)',
    summary: 'True when every check inside is true; same as joining them with `and`.',
    configMgr: 'If statement: All conditions',
    options: [],
  },
  {
    name: 'any',
    signature: 'any(check, ...)',
    summary: 'True when at least one check inside is true; same as joining them with `or`.',
    configMgr: 'If statement: Any condition',
    options: [],
  },
  {
    name: 'none',
    signature: 'none(check, ...)',
    summary: 'True when no check inside is true; `not x` is none(x).',
    configMgr: 'If statement: None',
    options: [],
  },
  {
    name: 'expression',
    signature: 'expression("SMS_TaskSequence_...ConditionExpression", Name="value", ...)',
    summary: 'A ConfigMgr condition tsq has no words for, kept exactly as stored.',
    configMgr: 'any condition expression, verbatim',
    options: [],
  },
];

export const functionNames: readonly string[] = conditionFunctions.map((f) => f.name);

export function findFunction(name: string): ConditionFunction | undefined {
  const lower = name.toLowerCase();
  return conditionFunctions.find((f) => f.name.toLowerCase() === lower);
}

export interface OperatorWord {
  symbol: string;
  /** What ConfigMgr stores as the operator. */
  operator: VariableOperator;
  summary: string;
}

export const comparisonOperators: readonly (OperatorWord & { operator: ComparisonOperator })[] = [
  { symbol: '==', operator: 'equals', summary: 'Equal; text is compared without regard to case.' },
  { symbol: '!=', operator: 'notEquals', summary: 'Not equal; text is compared without regard to case.' },
  { symbol: '<', operator: 'less', summary: 'Less than; as numbers when both sides are numbers, else as text.' },
  { symbol: '<=', operator: 'lessEqual', summary: 'Less than or equal; numbers as numbers, else as text.' },
  { symbol: '>', operator: 'greater', summary: 'Greater than; as numbers when both sides are numbers, else as text.' },
  { symbol: '>=', operator: 'greaterEqual', summary: 'Greater than or equal; numbers as numbers, else as text.' },
];

export const variableOperators: readonly OperatorWord[] = [
  ...comparisonOperators,
  { symbol: 'like', operator: 'like', summary: 'Wildcard match: % stands for any run of characters, _ for one.' },
];

export function symbolOf(operator: VariableOperator): string {
  return variableOperators.find((o) => o.operator === operator)!.symbol;
}

export interface Keyword {
  word: string;
  summary: string;
}

export const keywords: readonly Keyword[] = [
  { word: 'and', summary: 'Both sides must be true. Binds tighter than `or`.' },
  { word: 'or', summary: 'At least one side must be true.' },
  { word: 'not', summary: 'True when what follows is false. Binds tighter than `and`.' },
  { word: 'like', summary: 'Wildcard match of a variable: % any run of characters, _ one character.' },
];

/** Registry types ConfigMgr accepts in a Registry Setting condition. */
export const registryTypes: readonly string[] = [
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_MULTI_SZ',
  'REG_DWORD',
  'REG_QWORD',
  'REG_BINARY',
  'REG_NONE',
];
