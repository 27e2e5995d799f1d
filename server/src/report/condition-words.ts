// A `when:` condition in the words an admin reads in a document or a change report, close to how
// the console's Options tab lists conditions ("Task Sequence Variable _SMSTSInWinPE equals
// "true""), but as one sentence: `_SMSTSInWinPE is "true" and the WMI query … returns something`.

import {
  parseCondition,
  type ComparisonOperator,
  type ConditionExpr,
  type ConditionNode,
  type PropertyTest,
  type VariableOperator,
} from '../conditions';

const OPERATOR_WORDS: Record<VariableOperator, string> = {
  equals: 'is',
  notEquals: 'is not',
  greater: 'is greater than',
  greaterEqual: 'is at least',
  less: 'is less than',
  lessEqual: 'is at most',
  like: 'matches',
};

const quote = (s: string) => `"${s}"`;

function propertyWords(what: string, test: PropertyTest | undefined): string {
  return test ? ` with ${what} ${OPERATOR_WORDS[test.operator as ComparisonOperator]} ${quote(test.value.value)}` : '';
}

function joinWords(parts: string[], word: 'and' | 'or'): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} ${word} ${parts[parts.length - 1]}`;
}

function listWords(kind: 'and' | 'or' | 'not', children: readonly ConditionExpr[], nested: boolean): string {
  if (kind !== 'not' && children.length === 1) return words(children[0], nested);
  const parts = children.map((c) => words(c, true));
  if (kind === 'not') return parts.length === 1 ? `not ${parts[0]}` : `none of (${parts.join('; ')})`;
  if (parts.length === 0) return kind === 'and' ? 'always' : 'never';
  if (parts.length === 1) return parts[0];
  const joined = joinWords(parts, kind);
  return nested ? `(${joined})` : joined;
}

function words(node: ConditionNode, nested: boolean): string {
  switch (node.kind) {
    case 'condition':
      return node.children.length === 0 ? 'always' : listWords('and', node.children, nested);
    case 'and':
    case 'or':
    case 'not':
      return listWords(node.kind, node.children, nested);
    case 'compare':
      return `${node.variable.name} ${OPERATOR_WORDS[node.operator]} ${quote(node.value.value)}`;
    case 'exists':
      return `${node.variable.name} ${node.negated ? 'is not set' : 'is set'}`;
    case 'file':
      return `the file ${node.path.value} exists${propertyWords('version', node.version)}${propertyWords('date', node.date)}`;
    case 'folder':
      return `the folder ${node.path.value} exists${propertyWords('date', node.date)}`;
    case 'registry':
      return `the registry value ${node.valueName.value ? `${node.key.value}\\${node.valueName.value}` : `(default) of ${node.key.value}`} ${OPERATOR_WORDS[node.operator]} ${quote(node.data.value)}`;
    case 'registryExists':
      return `the registry value ${node.valueName.value ? `${node.key.value}\\${node.valueName.value}` : `(default) of ${node.key.value}`} ${node.negated ? 'does not exist' : 'exists'}`;
    case 'wmi':
      return `the WMI query ${quote(node.query.value)}${node.namespace ? ` in ${node.namespace.value}` : ''} returns something`;
    case 'osLanguage':
      return `the Windows language is ${node.lcid.value} (LCID)`;
    case 'osVersion':
      return `Windows is ${joinWords(
        node.platforms.map((p) => p.name.value),
        'or',
      )}`;
    case 'installed':
      return node.match === 'thisVersion'
        ? `${node.productName ? quote(node.productName.value) : 'the software'} with product code ${node.productCode?.value ?? '?'}${node.version ? ` version ${node.version.value}` : ''} is installed`
        : `any version of ${node.productName ? quote(node.productName.value) : 'the software'} with upgrade code ${node.upgradeCode?.value ?? '?'} is installed`;
    case 'unknown':
      return 'a condition tsq keeps as ConfigMgr stored it';
  }
}

/** A parsed condition in words. */
export function conditionInWords(node: ConditionNode): string {
  return words(node, false);
}

/** The text of a `when:` in words; a condition that does not parse is shown as written. */
export function whenInWords(text: string): string {
  const parsed = parseCondition(text);
  return parsed.ast ? conditionInWords(parsed.ast) : `as written (not readable): ${text.trim()}`;
}
