// Writes a condition tree back as canonical `when:` text: lower-case keywords, canonical function
// names, values always in double quotes, options in a fixed order. Parentheses appear exactly
// where the tree has an operator nested in one of the same kind (or an `and` inside an `or`, for
// readability), so parseCondition(printCondition(x)) gives back x.

import type { ConditionExpr, ConditionNode, Literal, Platform, PropertyTest } from './ast';
import { isLcid } from './validate';
import { quote } from './literals';
import { symbolOf } from './vocabulary';

export function printCondition(node: ConditionNode): string {
  if (node.kind === 'condition') {
    if (node.children.length === 1) {
      // A lone explicit `and` needs parentheses, or it would read as the implicit top-level AND.
      const only = node.children[0];
      return isInfix(only, 'and') ? `(${print(only)})` : print(only);
    }
    return node.children.map((c) => operand(c, ['and', 'or'])).join(' and ');
  }
  return print(node);
}

/** True when the node prints as `a and b` / `a or b` (two or more children). */
function isInfix(node: ConditionExpr, kind: 'and' | 'or'): boolean {
  return node.kind === kind && node.children.length >= 2;
}

function operand(node: ConditionExpr, wrapped: ('and' | 'or')[]): string {
  return wrapped.some((k) => isInfix(node, k)) ? `(${print(node)})` : print(node);
}

function print(node: ConditionExpr): string {
  switch (node.kind) {
    case 'and':
      if (node.children.length < 2) return call('all', node.children.map(print));
      return node.children.map((c) => operand(c, ['and', 'or'])).join(' and ');
    case 'or':
      if (node.children.length < 2) return call('any', node.children.map(print));
      return node.children.map((c) => operand(c, ['and', 'or'])).join(' or ');
    case 'not':
      if (node.children.length !== 1) return call('none', node.children.map(print));
      return `not ${operand(node.children[0], ['and', 'or'])}`;
    case 'compare':
      return `${node.variable.name} ${symbolOf(node.operator)} ${quote(node.value.value)}`;
    case 'exists':
      return call(node.negated ? 'notExists' : 'exists', [node.variable.name]);
    case 'file':
      return call('fileExists', [quote(node.path.value), ...test('version', node.version), ...test('date', node.date)]);
    case 'folder':
      return call('folderExists', [quote(node.path.value), ...test('date', node.date)]);
    case 'registry':
      return `${call('registry', registryArgs(node.key, node.valueName, node.type))} ${symbolOf(node.operator)} ${quote(node.data.value)}`;
    case 'registryExists':
      return call(
        node.negated ? 'registryNotExists' : 'registryExists',
        registryArgs(node.key, node.valueName, node.type),
      );
    case 'wmi':
      return call('wmi', [quote(node.query.value), ...option('namespace', node.namespace)]);
    case 'osLanguage':
      return call('osLanguage', [isLcid(node.lcid.value) ? node.lcid.value : quote(node.lcid.value)]);
    case 'osVersion':
      return call('osVersion', node.platforms.map(platform));
    case 'installed':
      if (node.match === 'thisVersion') {
        return call('installed', [
          quote(node.productCode?.value ?? ''),
          ...option('name', node.productName),
          ...option('version', node.version),
          ...option('upgradeCode', node.upgradeCode),
        ]);
      }
      return call('installedAnyVersion', [
        quote(node.upgradeCode?.value ?? ''),
        ...option('productCode', node.productCode),
        ...option('name', node.productName),
        ...option('version', node.version),
      ]);
    case 'unknown':
      return call('expression', [
        quote(node.expression.type),
        ...node.expression.variables.map(
          (v) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name) ? v.name : quote(v.name)}=${quote(v.value)}`,
        ),
      ]);
  }
}

function call(name: string, args: string[]): string {
  return `${name}(${args.join(', ')})`;
}

function option(name: string, value: Literal | undefined): string[] {
  return value ? [`${name}=${quote(value.value)}`] : [];
}

function test(name: string, value: PropertyTest | undefined): string[] {
  return value ? [`${name} ${symbolOf(value.operator)} ${quote(value.value.value)}`] : [];
}

function registryArgs(key: Literal, valueName: Literal, type: Literal | undefined): string[] {
  return [quote(key.value), quote(valueName.value), ...option('type', type)];
}

function platform(p: Platform): string {
  return p.tests.length === 0 ? quote(p.name.value) : call('platform', [quote(p.name.value), ...p.tests.map(print)]);
}
