// The syntax tree of a `when:` condition. Each node mirrors exactly one ConfigMgr condition element
// (see cmcondition.ts), so the tree can be turned into XML and back without loss, and every node
// keeps [start, end) offsets into the condition text for diagnostics, hover and rename.

import type { CmExpression } from './cmcondition';

/**
 * How deep conditions may nest (parentheses, `not`, `all/any/none`). Real sequences stay far
 * below; the limit keeps hostile input from exhausting the stack in the parser, printer,
 * evaluator and ConfigMgr mapping, which all recurse.
 */
export const MAX_CONDITION_DEPTH = 100;

export interface Span {
  start: number;
  end: number;
}

/** A text value as written in the condition, decoded (escapes resolved). */
export interface Literal extends Span {
  value: string;
}

/** A task sequence variable name as written. */
export interface Identifier extends Span {
  name: string;
}

/** Comparison operators, named as ConfigMgr stores them. */
export type ComparisonOperator = 'equals' | 'notEquals' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';
export type VariableOperator = ComparisonOperator | 'like';

/** The whole `when:` value = the `<condition>` element: all children must be true. */
export interface ConditionRoot extends Span {
  kind: 'condition';
  children: ConditionExpr[];
}

/** `<operator type="and">`: every child is true (no children: true). */
export interface AndNode extends Span {
  kind: 'and';
  children: ConditionExpr[];
}

/** `<operator type="or">`: at least one child is true. */
export interface OrNode extends Span {
  kind: 'or';
  children: ConditionExpr[];
}

/** `<operator type="not">`: no child is true (ConfigMgr's "None"), over any number of children. */
export interface NotNode extends Span {
  kind: 'not';
  children: ConditionExpr[];
}

/** `Var == "x"`, `Var like "Win%"`, ...: a Task Sequence Variable condition with a value. */
export interface VariableComparison extends Span {
  kind: 'compare';
  variable: Identifier;
  operator: VariableOperator;
  value: Literal;
}

/** `exists(Var)` / `notExists(Var)`: ConfigMgr's own existence operators (not a `not` group). */
export interface VariableExistence extends Span {
  kind: 'exists';
  variable: Identifier;
  negated: boolean;
}

/** `version >= "10.0"` / `date < "..."` inside `fileExists(...)` or `folderExists(...)`. */
export interface PropertyTest extends Span {
  operator: ComparisonOperator;
  value: Literal;
}

/** File Properties: the file exists, optionally with a version and/or timestamp test. */
export interface FileCheck extends Span {
  kind: 'file';
  path: Literal;
  version?: PropertyTest;
  date?: PropertyTest;
}

/** Folder Properties: the folder exists, optionally with a timestamp test. */
export interface FolderCheck extends Span {
  kind: 'folder';
  path: Literal;
  date?: PropertyTest;
}

/** Registry Setting comparing a value's data: `registry("HKLM\X", "Name") == "1"`. */
export interface RegistryComparison extends Span {
  kind: 'registry';
  key: Literal;
  /** Value name; empty for the key's default value. */
  valueName: Literal;
  /** Registry type as ConfigMgr stores it (REG_SZ, ...); kept for the round trip. */
  type?: Literal;
  operator: ComparisonOperator;
  data: Literal;
}

/** Registry Setting testing existence: `registryExists(...)` / `registryNotExists(...)`. */
export interface RegistryExistence extends Span {
  kind: 'registryExists';
  key: Literal;
  valueName: Literal;
  type?: Literal;
  negated: boolean;
}

/** Query WMI: true when the query returns at least one instance. */
export interface WmiQuery extends Span {
  kind: 'wmi';
  query: Literal;
  /** Absent means root\cimv2. */
  namespace?: Literal;
}

/** Operating System Language: ConfigMgr stores it as a WMI query on OSLanguage (an LCID). */
export interface OsLanguageCheck extends Span {
  kind: 'osLanguage';
  /** Decimal LCID, e.g. `1033`, as written. */
  lcid: Literal;
}

/** One supported platform inside `osVersion(...)`: its name verbatim and its identifying tests. */
export interface Platform extends Span {
  name: Literal;
  /** The WMI (or other) expressions inside `<osExpressionGroup>`; empty when given by name only. */
  tests: PlatformTest[];
}

/** Operating System Version: the OS is one of the listed platforms. */
export interface OsVersionCheck extends Span {
  kind: 'osVersion';
  platforms: Platform[];
}

/** Installed Software: by product code (`thisVersion`) or by upgrade code (`anyVersion`). */
export interface InstalledSoftware extends Span {
  kind: 'installed';
  match: 'thisVersion' | 'anyVersion';
  /** Always present for `thisVersion`. */
  productCode?: Literal;
  /** Always present for `anyVersion`. */
  upgradeCode?: Literal;
  productName?: Literal;
  version?: Literal;
}

/** An expression tsq cannot express otherwise, kept exactly as ConfigMgr stored it. */
export interface UnknownExpression extends Span {
  kind: 'unknown';
  expression: CmExpression;
}

/** A single test: everything that becomes one `<expression>` (or the OS version group). */
export type CheckNode =
  | VariableComparison
  | VariableExistence
  | FileCheck
  | FolderCheck
  | RegistryComparison
  | RegistryExistence
  | WmiQuery
  | OsLanguageCheck
  | OsVersionCheck
  | InstalledSoftware
  | UnknownExpression;

/** What may sit inside a platform: any single check except another OS version group. */
export type PlatformTest = Exclude<CheckNode, OsVersionCheck>;

export type OperatorNode = AndNode | OrNode | NotNode;
export type ConditionExpr = OperatorNode | CheckNode;
export type ConditionNode = ConditionRoot | ConditionExpr;

export function isOperatorNode(node: ConditionNode): node is OperatorNode {
  return node.kind === 'and' || node.kind === 'or' || node.kind === 'not';
}

/**
 * True when two trees say the same thing, ignoring source offsets (a printed and re-parsed
 * condition has other offsets) and keys whose value is undefined.
 */
export function sameCondition(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameCondition(item, other[i]));
  }
  const keysOf = (o: object) =>
    Object.entries(o)
      .filter(([k, v]) => k !== 'start' && k !== 'end' && v !== undefined)
      .map(([k]) => k)
      .sort();
  const ka = keysOf(a);
  const kb = keysOf(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameCondition((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
