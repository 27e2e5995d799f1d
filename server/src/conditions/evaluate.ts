// Decides a condition against a simulated machine and says why in one line, for the simulator's
// skip reasons and the debugger. The machine is reached only through ConditionEnvironment, so
// the simulator, tests and the debugger can each supply facts their own way (environment.ts
// builds one from plain data).

import {
  MAX_CONDITION_DEPTH,
  type ConditionNode,
  type ComparisonOperator,
  type PlatformTest,
  type VariableOperator,
} from './ast';
import type { CmExpression } from './cmcondition';
import { DEFAULT_WMI_NAMESPACE } from './cmcondition';
import { compareTimestamps, compareVersions, matchesLike, orderValues, sameText, satisfies } from './compare';
import { osLanguageQuery } from './configmgr';

export interface FileFacts {
  version?: string;
  /** Timestamp, ISO 8601 or WMI datetime. */
  date?: string;
}

export interface RegistryValueFacts {
  /** REG_SZ, REG_DWORD, ...; absent when unknown (then any type counts). */
  type?: string;
  data: string;
}

/**
 * What a condition can ask about the machine. Only `variable` is required; a missing method, or
 * one returning undefined, means "not known", which counts as not there / no result.
 */
export interface ConditionEnvironment {
  /** A task sequence variable's value, names matched ignoring case; undefined when not set. */
  variable(name: string): string | undefined;
  /** Whether the query returns at least one instance. */
  wmi?(namespace: string, query: string): boolean | undefined;
  /** The file's facts, or undefined when it does not exist. */
  file?(path: string): FileFacts | undefined;
  folder?(path: string): { date?: string } | undefined;
  /** The value, or undefined when the key or value does not exist. Empty name = default value. */
  registry?(keyPath: string, valueName: string): RegistryValueFacts | undefined;
  productInstalled?(productCode: string): boolean | undefined;
  upgradeCodeInstalled?(upgradeCode: string): boolean | undefined;
  /** Whether the running OS is the named supported platform (as ConfigMgr names it). */
  osVersion?(platformName: string): boolean | undefined;
  /** The OS language ID (LCID) in decimal. */
  osLanguage?(): string | undefined;
  /** Result for an expression tsq cannot evaluate itself (`expression(...)`). */
  unknownExpression?(expression: CmExpression): boolean | undefined;
}

export interface Evaluation {
  value: boolean;
  /** One line an admin understands, e.g. `_SMSTSInWinPE is "false", not "true"`. */
  explanation: string;
}

class TooDeep {}

export function evaluateCondition(node: ConditionNode, env: ConditionEnvironment): Evaluation {
  try {
    return evaluate(node, env, 0);
  } catch (e) {
    // Parsed and imported trees never get here; a hand-built one must not overflow the stack.
    if (e instanceof TooDeep) return { value: false, explanation: 'the condition is nested too deeply to evaluate' };
    throw e;
  }
}

function evaluate(node: ConditionNode, env: ConditionEnvironment, depth: number): Evaluation {
  if (depth > MAX_CONDITION_DEPTH + 1) throw new TooDeep();
  const sub = (n: ConditionNode) => evaluate(n, env, depth + 1);
  switch (node.kind) {
    case 'condition':
      if (node.children.length === 0) return { value: true, explanation: 'there is no condition' };
      return all(node.children.map(sub), 'there is no condition');
    case 'and':
      return all(node.children.map(sub), 'an empty "all" group is true');
    case 'or':
      return any(node.children.map(sub), 'an empty "any" group is false');
    case 'not':
      return none(node.children.map(sub));
    default:
      return check(node, env, sub);
  }
}

function all(results: Evaluation[], emptyText: string): Evaluation {
  if (results.length === 0) return { value: true, explanation: emptyText };
  const failed = results.find((r) => !r.value);
  if (failed) return failed;
  return { value: true, explanation: results.map((r) => r.explanation).join(' and ') };
}

function any(results: Evaluation[], emptyText: string): Evaluation {
  if (results.length === 0) return { value: false, explanation: emptyText };
  const passed = results.find((r) => r.value);
  if (passed) return passed;
  if (results.length === 1) return results[0];
  return { value: false, explanation: `none of these holds: ${results.map((r) => r.explanation).join('; ')}` };
}

function none(results: Evaluation[]): Evaluation {
  if (results.length === 0) return { value: true, explanation: 'an empty "none" group is true' };
  // A true child is the reason `not` fails; when all are false their own words say why it holds.
  const passed = results.find((r) => r.value);
  if (passed) return { value: false, explanation: passed.explanation };
  return { value: true, explanation: results.map((r) => r.explanation).join(' and ') };
}

const ORDER_WORDS: Record<Exclude<ComparisonOperator, 'equals' | 'notEquals'>, string> = {
  greater: 'greater than',
  greaterEqual: 'at least',
  less: 'less than',
  lessEqual: 'at most',
};

/**
 * "X is "a", not "b"" and friends; `actual` undefined means the subject is absent. Also the words
 * of the simulator's reasons for conditions it reads as a list of checks (simulator/condition-program.ts).
 */
export function describe(
  subject: string,
  actual: string | undefined,
  operator: VariableOperator,
  expected: string,
  value: boolean,
  note = '',
): string {
  const is = actual === undefined ? `${subject} is not set` : `${subject} is "${actual}"`;
  switch (operator) {
    case 'equals':
      return value ? is : `${is}, not "${expected}"`;
    case 'notEquals':
      return value ? `${is}, not "${expected}"` : `${is}, but must not be "${expected}"`;
    case 'like':
      return `${is}, which ${value ? 'matches' : 'does not match'} "${expected}"`;
    default:
      return `${is}, ${value ? '' : 'not '}${ORDER_WORDS[operator]} "${expected}"${note}`;
  }
}

function compareText(operator: VariableOperator, actual: string, expected: string): { value: boolean; note: string } {
  if (operator === 'like') return { value: matchesLike(actual, expected), note: '' };
  if (operator === 'equals' || operator === 'notEquals') {
    return { value: sameText(actual, expected) === (operator === 'equals'), note: '' };
  }
  const { order, numeric } = orderValues(actual, expected);
  return { value: satisfies(operator, order), note: numeric ? '' : ' (compared as text)' };
}

function check(
  node: PlatformTest | Extract<ConditionNode, { kind: 'osVersion' }>,
  env: ConditionEnvironment,
  sub: (n: ConditionNode) => Evaluation,
): Evaluation {
  switch (node.kind) {
    case 'compare': {
      const actual = env.variable(node.variable.name);
      // A variable that is not set compares as empty text (simulator rule).
      const { value, note } = compareText(node.operator, actual ?? '', node.value.value);
      return { value, explanation: describe(node.variable.name, actual, node.operator, node.value.value, value, note) };
    }
    case 'exists': {
      const set = env.variable(node.variable.name) !== undefined;
      return { value: set !== node.negated, explanation: `${node.variable.name} is ${set ? 'set' : 'not set'}` };
    }
    case 'file':
    case 'folder': {
      const what = `${node.kind} ${node.path.value}`;
      const facts = node.kind === 'file' ? env.file?.(node.path.value) : env.folder?.(node.path.value);
      if (!facts) return { value: false, explanation: `${what} does not exist` };
      const tests: [string, ComparisonOperator, string, string | undefined][] = [];
      if (node.kind === 'file' && node.version)
        tests.push(['version', node.version.operator, node.version.value.value, (facts as FileFacts).version]);
      if (node.date) tests.push(['date', node.date.operator, node.date.value.value, facts.date]);
      for (const [label, operator, expected, actual] of tests) {
        if (actual === undefined) return { value: false, explanation: `${what} exists, but its ${label} is not known` };
        const order =
          label === 'version'
            ? (compareVersions(actual, expected) ?? orderValues(actual, expected).order)
            : compareTimestamps(actual, expected);
        const value = satisfies(operator, order);
        if (!value || tests.length === 1)
          return { value, explanation: describe(`the ${label} of ${what}`, actual, operator, expected, value) };
      }
      return { value: true, explanation: `${what} exists${tests.length ? ' and passes its tests' : ''}` };
    }
    case 'registry':
    case 'registryExists': {
      const subject = `registry value ${node.key.value}\\${node.valueName.value || '(default)'}`;
      const facts = env.registry?.(node.key.value, node.valueName.value);
      if (node.kind === 'registryExists') {
        const wrongType =
          facts?.type !== undefined &&
          node.type !== undefined &&
          facts.type.toUpperCase() !== node.type.value.toUpperCase();
        const exists = facts !== undefined && !wrongType;
        const why = wrongType
          ? `${subject} is ${facts!.type}, not ${node.type!.value}`
          : `${subject} ${exists ? 'exists' : 'does not exist'}`;
        return { value: exists !== node.negated, explanation: why };
      }
      // A value that is not there cannot be compared, whatever the operator (simulator rule).
      if (!facts) return { value: false, explanation: `${subject} does not exist` };
      const { value, note } = compareText(node.operator, facts.data, node.data.value);
      return { value, explanation: describe(subject, facts.data, node.operator, node.data.value, value, note) };
    }
    case 'wmi': {
      const namespace = node.namespace?.value ?? DEFAULT_WMI_NAMESPACE;
      const result = env.wmi?.(namespace, node.query.value);
      const outcome =
        result === undefined
          ? 'is not in the machine facts, so it counts as returning nothing'
          : result
            ? 'returns instances'
            : 'returns nothing';
      return { value: result === true, explanation: `WMI query ${outcome}: ${node.query.value}` };
    }
    case 'osLanguage': {
      const lcid = node.lcid.value;
      const actual = env.osLanguage?.();
      if (actual !== undefined) {
        const value = orderValues(actual, lcid).order === 0;
        return { value, explanation: `the OS language is ${actual}${value ? '' : `, not ${lcid}`}` };
      }
      const viaWmi = env.wmi?.(DEFAULT_WMI_NAMESPACE, osLanguageQuery(lcid));
      if (viaWmi === undefined)
        return { value: false, explanation: `the OS language is not in the machine facts, so it is not ${lcid}` };
      return { value: viaWmi, explanation: `the OS language is ${viaWmi ? '' : 'not '}${lcid}` };
    }
    case 'osVersion': {
      for (const platform of node.platforms) {
        const named = env.osVersion?.(platform.name.value);
        const matches = named ?? (platform.tests.length > 0 && platform.tests.every((t) => sub(t).value));
        if (matches) return { value: true, explanation: `the OS is ${platform.name.value}` };
      }
      const names = node.platforms.map((p) => `"${p.name.value}"`).join(', ');
      return { value: false, explanation: `the OS is none of ${names || 'the (empty) platform list'}` };
    }
    case 'installed': {
      const label = node.productName ? `"${node.productName.value}"` : 'the product';
      if (node.match === 'thisVersion') {
        const code = node.productCode?.value ?? '';
        const value = env.productInstalled?.(code) === true;
        return { value, explanation: `${label} ${code} is ${value ? '' : 'not '}installed` };
      }
      const code = node.upgradeCode?.value ?? '';
      const value = env.upgradeCodeInstalled?.(code) === true;
      return { value, explanation: `${value ? 'a' : 'no'} version of ${label} with upgrade code ${code} is installed` };
    }
    case 'unknown': {
      const result = env.unknownExpression?.(node.expression);
      if (result === undefined) {
        return {
          value: false,
          explanation: `tsq cannot evaluate a ${node.expression.type} condition, so it counts as false`,
        };
      }
      return { value: result, explanation: `the ${node.expression.type} condition is ${result} in the machine facts` };
    }
  }
}
