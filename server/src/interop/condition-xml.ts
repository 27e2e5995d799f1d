// Reads a `<condition>` element into the XML-free condition model of conditions/cmcondition.ts and
// writes that model back as elements. Reading is strict: an element, attribute or text tsq would
// not write back is a reason to keep the whole condition verbatim instead (the caller decides).

import { createHash } from 'node:crypto';
import type { CmCondition, CmConditionElement, CmExpression, CmOsExpressionGroup } from '../conditions/cmcondition';
import { parseCondition, printCondition, toConfigMgr } from '../conditions';
import { attr, childElements, element, text, textOf, type XmlElement } from './xml/tree';

function onlyAttrs(e: XmlElement, allowed: string[]): boolean {
  return Object.keys(e.attrs).every((k) => allowed.includes(k));
}

function noStrayText(e: XmlElement): boolean {
  return e.children.every((c) => c.kind === 'element' || c.text.trim() === '');
}

function readExpression(e: XmlElement): CmExpression | undefined {
  const type = attr(e, 'type');
  if (e.name !== 'expression' || type === undefined || !onlyAttrs(e, ['type']) || !noStrayText(e)) return undefined;
  const variables: CmExpression['variables'] = [];
  for (const v of childElements(e)) {
    const name = attr(v, 'name');
    if (v.name !== 'variable' || name === undefined || !onlyAttrs(v, ['name']) || childElements(v).length > 0)
      return undefined;
    variables.push({ name, value: textOf(v) });
  }
  return { kind: 'expression', type, variables };
}

function readCondition(e: XmlElement): CmCondition | undefined {
  switch (e.name) {
    case 'expression':
      return readExpression(e);
    case 'operator': {
      const type = attr(e, 'type');
      if (type !== 'and' && type !== 'or' && type !== 'not') return undefined;
      if (!onlyAttrs(e, ['type']) || !noStrayText(e)) return undefined;
      const children: CmCondition[] = [];
      for (const c of childElements(e)) {
        const r = readCondition(c);
        if (!r) return undefined;
        children.push(r);
      }
      return { kind: 'operator', type, children };
    }
    case 'osConditionGroup': {
      if (attr(e, 'type') !== 'or' || !onlyAttrs(e, ['type']) || !noStrayText(e)) return undefined;
      const groups: CmOsExpressionGroup[] = [];
      for (const g of childElements(e)) {
        const name = attr(g, 'name');
        if (g.name !== 'osExpressionGroup' || name === undefined || !onlyAttrs(g, ['name']) || !noStrayText(g))
          return undefined;
        const expressions: CmExpression[] = [];
        for (const x of childElements(g)) {
          const r = readExpression(x);
          if (!r) return undefined;
          expressions.push(r);
        }
        groups.push({ name, expressions });
      }
      return { kind: 'osConditionGroup', type: 'or', groups };
    }
    default:
      return undefined;
  }
}

/** The condition model of a `<condition>` element, or undefined when it holds anything unexpected. */
export function conditionFromXml(e: XmlElement): CmConditionElement | undefined {
  if (Object.keys(e.attrs).length > 0 || !noStrayText(e)) return undefined;
  const children: CmCondition[] = [];
  for (const c of childElements(e)) {
    const r = readCondition(c);
    if (!r) return undefined;
    children.push(r);
  }
  return { kind: 'condition', children };
}

function writeCondition(c: CmCondition): XmlElement {
  switch (c.kind) {
    case 'expression':
      return writeExpression(c);
    case 'operator':
      return element('operator', { type: c.type }, c.children.map(writeCondition));
    case 'osConditionGroup':
      return element(
        'osConditionGroup',
        { type: 'or' },
        c.groups.map((g) => element('osExpressionGroup', { name: g.name }, g.expressions.map(writeExpression))),
      );
  }
}

function writeExpression(x: CmExpression): XmlElement {
  return element(
    'expression',
    { type: x.type },
    x.variables.map((v) => element('variable', { name: v.name }, v.value === '' ? [] : [text(v.value)])),
  );
}

export function conditionToXml(c: CmConditionElement): XmlElement {
  return element('condition', {}, c.children.map(writeCondition));
}

/** The `<condition>` tsq writes for a `when:` text, or undefined when the text does not parse. */
export function whenToXml(when: string): XmlElement | undefined {
  const parsed = parseCondition(when);
  return parsed.ast ? conditionToXml(toConfigMgr(parsed.ast)) : undefined;
}

/**
 * Fingerprint of a `when:` by meaning as tsq prints it (spacing and quoting aside), so a kept
 * `<condition>` is written only while the condition is the one imported.
 */
export function whenFingerprint(when: string): string | undefined {
  const parsed = parseCondition(when);
  return parsed.ast
    ? createHash('sha256').update(printCondition(parsed.ast), 'utf8').digest('hex').slice(0, 8)
    : undefined;
}
