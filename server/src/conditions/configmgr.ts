// Maps between the `when:` syntax tree and the plain model of ConfigMgr's condition XML.
// Export writes the spelling ConfigMgr's editor writes: lower-camel operators, variables in the
// order of the SDK class (which is the order seen in real exports), short registry hives
// (HKLM\...) spelled out. Import reads any variable order and operator case, and `nonExists`;
// whatever it cannot express without loss (an unknown type, an unknown operator, a stray
// variable, a value that would not survive the round trip) it keeps verbatim as an `unknown`
// node, with a warning. So toConfigMgr(fromConfigMgr(cm)) equals cm up to that normalisation,
// and both round trips are stable after one pass.

import {
  MAX_CONDITION_DEPTH,
  type ComparisonOperator,
  type ConditionExpr,
  type ConditionNode,
  type ConditionRoot,
  type Literal,
  type PlatformTest,
  type PropertyTest,
  type VariableOperator,
} from './ast';
import {
  CM_TYPES,
  DEFAULT_WMI_NAMESPACE,
  type CmCondition,
  type CmConditionElement,
  type CmExpression,
  type CmVariable,
} from './cmcondition';
import { expandHive, isLcid, isRegistryType, isVariableName, registryKeyProblem } from './validate';

/** The query ConfigMgr's editor stores for an Operating System Language condition. */
export function osLanguageQuery(lcid: string): string {
  return `SELECT OsLanguage FROM Win32_OperatingSystem WHERE OsLanguage='${lcid}'`;
}
const OS_LANGUAGE_QUERY = /^SELECT OsLanguage FROM Win32_OperatingSystem WHERE OsLanguage='([0-9]+)'$/;

// ---------------------------------------------------------------------------------------------
// Syntax tree -> ConfigMgr

export function toConfigMgr(node: ConditionRoot): CmConditionElement;
export function toConfigMgr(node: ConditionExpr): CmCondition;
export function toConfigMgr(node: ConditionNode): CmConditionElement | CmCondition;
export function toConfigMgr(node: ConditionNode): CmConditionElement | CmCondition {
  switch (node.kind) {
    case 'condition':
      return { kind: 'condition', children: node.children.map((c) => toConfigMgr(c)) };
    case 'and':
    case 'or':
    case 'not':
      return { kind: 'operator', type: node.kind, children: node.children.map((c) => toConfigMgr(c)) };
    case 'osVersion':
      return {
        kind: 'osConditionGroup',
        type: 'or',
        groups: node.platforms.map((p) => ({ name: p.name.value, expressions: p.tests.map(toExpression) })),
      };
    default:
      return toExpression(node);
  }
}

function toExpression(node: PlatformTest): CmExpression {
  const vars: CmVariable[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined) vars.push({ name, value });
  };
  let type: string;
  switch (node.kind) {
    case 'unknown':
      return {
        kind: 'expression',
        type: node.expression.type,
        variables: node.expression.variables.map((v) => ({ ...v })),
      };
    case 'compare':
    case 'exists':
      type = CM_TYPES.variable;
      add('Variable', node.variable.name);
      add('Operator', node.kind === 'exists' ? (node.negated ? 'notExists' : 'exists') : node.operator);
      add('Value', node.kind === 'exists' ? '' : node.value.value);
      break;
    case 'file':
    case 'folder':
      type = node.kind === 'file' ? CM_TYPES.file : CM_TYPES.folder;
      add('Path', node.path.value);
      if (node.kind === 'file') {
        add('Version', node.version?.value.value);
        add('VersionOperator', node.version?.operator);
      }
      add('DateTime', node.date?.value.value);
      add('DateTimeOperator', node.date?.operator);
      break;
    case 'registry':
    case 'registryExists':
      type = CM_TYPES.registry;
      add('KeyPath', expandHive(node.key.value));
      add('Value', node.valueName.value);
      add('Type', node.type?.value);
      add('Data', node.kind === 'registry' ? node.data.value : undefined);
      add('Operator', node.kind === 'registry' ? node.operator : node.negated ? 'notExists' : 'exists');
      break;
    case 'wmi':
      type = CM_TYPES.wmi;
      add('Namespace', node.namespace?.value ?? DEFAULT_WMI_NAMESPACE);
      add('Query', node.query.value);
      break;
    case 'osLanguage':
      type = CM_TYPES.wmi;
      add('Namespace', DEFAULT_WMI_NAMESPACE);
      add('Query', osLanguageQuery(node.lcid.value));
      break;
    case 'installed':
      type = CM_TYPES.software;
      add('ProductCode', node.productCode?.value);
      add('ProductName', node.productName?.value);
      add('UpgradeCode', node.upgradeCode?.value);
      add('Version', node.version?.value);
      add('Operator', node.match === 'thisVersion' ? 'ThisVersion' : 'AnyVersion');
      break;
  }
  return { kind: 'expression', type, variables: vars };
}

// ---------------------------------------------------------------------------------------------
// ConfigMgr -> syntax tree

export interface FromConfigMgrResult {
  /** Absent only when the input nests deeper than MAX_CONDITION_DEPTH. */
  ast?: ConditionNode;
  /** One plain sentence per expression kept verbatim, for the import report. */
  warnings: string[];
}

class TooDeep {}

/** Nodes made here have no source text: their offsets are 0. Print and re-parse for real ones. */
export function fromConfigMgr(cm: CmConditionElement | CmCondition): FromConfigMgrResult {
  const warnings: string[] = [];
  try {
    const ast: ConditionNode =
      cm.kind === 'condition'
        ? { kind: 'condition', children: cm.children.map((c) => fromCondition(c, 1, warnings)), start: 0, end: 0 }
        : fromCondition(cm, 1, warnings);
    return { ast, warnings };
  } catch (e) {
    if (e instanceof TooDeep) {
      return {
        warnings: [`The condition is nested more than ${MAX_CONDITION_DEPTH} levels deep and was not imported`],
      };
    }
    return { warnings: [`tsq could not read this condition (internal error: ${String(e)})`] };
  }
}

function fromCondition(cm: CmCondition, depth: number, warnings: string[]): ConditionExpr {
  if (depth > MAX_CONDITION_DEPTH) throw new TooDeep();
  switch (cm.kind) {
    case 'operator':
      return {
        kind: cm.type,
        children: cm.children.map((c) => fromCondition(c, depth + 1, warnings)),
        start: 0,
        end: 0,
      };
    case 'osConditionGroup':
      return {
        kind: 'osVersion',
        platforms: cm.groups.map((g) => ({
          name: literal(g.name),
          tests: g.expressions.map((e) => fromExpression(e, warnings)),
          start: 0,
          end: 0,
        })),
        start: 0,
        end: 0,
      };
    case 'expression':
      return fromExpression(cm, warnings);
  }
}

function literal(value: string): Literal {
  return { value, start: 0, end: 0 };
}

type Mapped = { node: PlatformTest } | { reason: string };

function fromExpression(cm: CmExpression, warnings: string[]): PlatformTest {
  const mapped = mapExpression(cm);
  if ('node' in mapped && equivalent(cm, toExpression(mapped.node))) return mapped.node;
  const reason =
    'reason' in mapped ? mapped.reason : 'its settings do not fit the usual form, so rewriting them could change it';
  warnings.push(`Kept a ${cm.type} condition as written: ${reason}.`);
  return {
    kind: 'unknown',
    expression: { kind: 'expression', type: cm.type, variables: cm.variables.map((v) => ({ ...v })) },
    start: 0,
    end: 0,
  };
}

const COMPARISON_OPERATORS: Record<string, ComparisonOperator> = {
  equals: 'equals',
  notequals: 'notEquals',
  greater: 'greater',
  greaterequal: 'greaterEqual',
  less: 'less',
  lessequal: 'lessEqual',
};

/** Lower-cased operator spelling -> meaning; `nonexists` is the SDK's spelling for registry. */
function existence(op: string): boolean | undefined {
  if (op === 'exists') return false;
  if (op === 'notexists' || op === 'nonexists') return true;
  return undefined;
}

function mapExpression(cm: CmExpression): Mapped {
  const get = (name: string): string | undefined =>
    cm.variables.find((v) => v.name.toLowerCase() === name.toLowerCase())?.value;
  const optional = (name: string): Literal | undefined => {
    const v = get(name);
    return v === undefined ? undefined : literal(v);
  };
  const op = (get('Operator') ?? '').toLowerCase();
  const base = { start: 0, end: 0 };

  switch (cm.type) {
    case CM_TYPES.variable: {
      const name = get('Variable') ?? '';
      if (!isVariableName(name)) return { reason: `the variable name "${name}" cannot be written in a condition` };
      const variable = { name, ...base };
      const negated = existence(op);
      if (negated !== undefined) return { node: { kind: 'exists', variable, negated, ...base } };
      const operator: VariableOperator | undefined = op === 'like' ? 'like' : COMPARISON_OPERATORS[op];
      if (!operator) return { reason: `the operator "${get('Operator') ?? ''}" is not one tsq knows` };
      return { node: { kind: 'compare', variable, operator, value: literal(get('Value') ?? ''), ...base } };
    }
    case CM_TYPES.wmi: {
      const namespace = get('Namespace');
      const query = get('Query') ?? '';
      const language = OS_LANGUAGE_QUERY.exec(query);
      if (namespace === DEFAULT_WMI_NAMESPACE && language && isLcid(language[1])) {
        return { node: { kind: 'osLanguage', lcid: literal(language[1]), ...base } };
      }
      const ns = namespace === DEFAULT_WMI_NAMESPACE ? undefined : optional('Namespace');
      return { node: { kind: 'wmi', query: literal(query), namespace: ns, ...base } };
    }
    case CM_TYPES.file:
    case CM_TYPES.folder: {
      const test = (valueName: string, operatorName: string): PropertyTest | undefined | 'bad' => {
        const operatorText = get(operatorName);
        if (!operatorText) return undefined;
        const operator = COMPARISON_OPERATORS[operatorText.toLowerCase()];
        return operator ? { operator, value: literal(get(valueName) ?? ''), ...base } : 'bad';
      };
      const version = cm.type === CM_TYPES.file ? test('Version', 'VersionOperator') : undefined;
      const date = test('DateTime', 'DateTimeOperator');
      if (version === 'bad' || date === 'bad') return { reason: 'one of its operators is not one tsq knows' };
      const path = literal(get('Path') ?? '');
      return {
        node:
          cm.type === CM_TYPES.file
            ? { kind: 'file', path, version, date, ...base }
            : { kind: 'folder', path, date, ...base },
      };
    }
    case CM_TYPES.registry: {
      const key = get('KeyPath') ?? '';
      const problem = registryKeyProblem(key);
      if (problem) return { reason: problem.message };
      const typeText = get('Type');
      if (typeText && !isRegistryType(typeText))
        return { reason: `the registry type "${typeText}" is not one tsq knows` };
      const common = {
        key: literal(key),
        valueName: literal(get('Value') ?? ''),
        type: typeText ? literal(typeText) : undefined,
        ...base,
      };
      const negated = existence(op);
      if (negated !== undefined) return { node: { kind: 'registryExists', negated, ...common } };
      const operator = COMPARISON_OPERATORS[op];
      if (!operator) return { reason: `the operator "${get('Operator') ?? ''}" is not one tsq knows` };
      return { node: { kind: 'registry', operator, data: literal(get('Data') ?? ''), ...common } };
    }
    case CM_TYPES.software: {
      const details = { productName: optional('ProductName'), version: optional('Version'), ...base };
      if (op === 'thisversion') {
        return {
          node: {
            kind: 'installed',
            match: 'thisVersion',
            productCode: literal(get('ProductCode') ?? ''),
            upgradeCode: optional('UpgradeCode'),
            ...details,
          },
        };
      }
      if (op === 'anyversion') {
        return {
          node: {
            kind: 'installed',
            match: 'anyVersion',
            upgradeCode: literal(get('UpgradeCode') ?? ''),
            productCode: optional('ProductCode'),
            ...details,
          },
        };
      }
      return { reason: `the operator "${get('Operator') ?? ''}" is not one tsq knows` };
    }
    default:
      return { reason: 'tsq has no words for this kind of condition' };
  }
}

const OPERATOR_VARIABLES = new Set(['operator', 'versionoperator', 'datetimeoperator']);

/**
 * Whether two expressions say the same, allowing only the normalisations export makes:
 * variable order, operator case, `nonExists` for `notExists`, and a missing variable for an
 * empty one. Duplicate variable names are never equivalent (one would be lost).
 */
function equivalent(a: CmExpression, b: CmExpression): boolean {
  if (a.type !== b.type) return false;
  const ma = byName(a);
  const mb = byName(b);
  if (!ma || !mb) return false;
  for (const key of new Set([...ma.keys(), ...mb.keys()])) {
    let va = ma.get(key) ?? '';
    let vb = mb.get(key) ?? '';
    if (OPERATOR_VARIABLES.has(key)) {
      va = va.toLowerCase().replace(/^nonexists$/, 'notexists');
      vb = vb.toLowerCase().replace(/^nonexists$/, 'notexists');
    }
    if (va !== vb) return false;
  }
  return true;
}

function byName(e: CmExpression): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (const v of e.variables) {
    const key = v.name.toLowerCase();
    if (map.has(key)) return undefined;
    map.set(key, v.value);
  }
  return map;
}
