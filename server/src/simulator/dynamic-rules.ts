// Set Dynamic Variables: reads the rules ConfigMgr stores for the step (an XML text of <Rule>
// elements, each with an optional <condition> and the <Variables> it sets) and decides each rule
// against the simulated machine. Computer rules (asset tag, MAC address, serial number, UUID),
// location rules (default gateway) and make/model rules match the machine's hardware, with the
// `*` and `?` wildcards ConfigMgr allows; variable conditions use the `when:` evaluator.
// The reader knows only this small XML shape and never throws: what it cannot read, it skips.

import { evaluateCondition, fromConfigMgr, type CmCondition, type CmConditionElement, type CmExpression, type ConditionEnvironment } from '../conditions';
import type { Hardware } from './machine';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/\s*([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|</g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The element tree of an XML text, as far as it can be read (element names compared ignoring case later). */
function readXml(text: string): XmlElement {
  const root: XmlElement = { name: '#root', attributes: {}, children: [], text: '' };
  const stack = [root];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text))) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      const at = stack.map((e) => e.name.toLowerCase()).lastIndexOf(m[2].toLowerCase());
      if (at > 0) stack.length = at;
    } else if (m[3] !== undefined) {
      const attributes: Record<string, string> = {};
      ATTRIBUTE.lastIndex = 0;
      let a: RegExpExecArray | null;
      while ((a = ATTRIBUTE.exec(m[4]))) attributes[a[1]] = decode(a[2] ?? a[3] ?? '');
      const el: XmlElement = { name: m[3], attributes, children: [], text: '' };
      top.children.push(el);
      if (!m[5] && stack.length < 64) stack.push(el);
    } else if (m[6] !== undefined) top.text += decode(m[6]);
  }
  return root;
}

function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name.toLowerCase() === name.toLowerCase());
}

function toCm(el: XmlElement): CmCondition | undefined {
  const name = el.name.toLowerCase();
  if (name === 'expression') {
    return { kind: 'expression', type: el.attributes.type ?? '', variables: children(el, 'variable').map((v) => ({ name: v.attributes.name ?? '', value: v.text.trim() })) };
  }
  if (name === 'operator') {
    const type = (el.attributes.type ?? 'and').toLowerCase();
    return { kind: 'operator', type: type === 'or' || type === 'not' ? type : 'and', children: el.children.map(toCm).filter((c): c is CmCondition => !!c) };
  }
  return undefined;
}

export interface DynamicVariable {
  name: string;
  value: string;
  secret: boolean;
}

export interface DynamicRule {
  /** No condition: the rule always applies. */
  condition?: CmConditionElement;
  variables: DynamicVariable[];
}

export function readDynamicRules(xml: string): DynamicRule[] {
  const root = readXml(xml);
  const rules: DynamicRule[] = [];
  const visit = (el: XmlElement, depth: number) => {
    if (depth > 8) return;
    for (const child of el.children) {
      if (child.name.toLowerCase() !== 'rule') {
        visit(child, depth + 1);
        continue;
      }
      const cond = children(child, 'condition')[0];
      const vars = children(child, 'variables').flatMap((v) => children(v, 'variable'));
      rules.push({
        condition: cond ? { kind: 'condition', children: cond.children.map(toCm).filter((c): c is CmCondition => !!c) } : undefined,
        variables: vars
          .map((v) => ({ name: (v.attributes.Name ?? v.attributes.name ?? '').trim(), value: v.text, secret: /^true$/i.test(v.attributes.IsSecret ?? v.attributes.isSecret ?? '') }))
          .filter((v) => v.name),
      });
    }
  };
  visit(root, 0);
  return rules;
}

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

const HARDWARE_FIELDS: Record<string, keyof Hardware> = {
  assettag: 'assetTag',
  macaddress: 'macAddress',
  serialnumber: 'serialNumber',
  uuid: 'uuid',
  defaultgateway: 'defaultGateway',
  make: 'make',
  model: 'model',
};

/** Computer, location and make/model rules: every field the rule fills must match the hardware. */
function matchHardware(expression: CmExpression, hardware: Hardware): boolean | undefined {
  if (!/(Computer|Location|MakeModel)ConditionExpression$/i.test(expression.type)) return undefined;
  let tested = false;
  for (const v of expression.variables) {
    const field = HARDWARE_FIELDS[v.name.toLowerCase()];
    if (!field || !v.value) continue;
    tested = true;
    const actual = field === 'macAddress' ? hardware.macAddress.replace(/-/g, ':') : hardware[field];
    const wanted = field === 'macAddress' ? v.value.replace(/-/g, ':') : v.value;
    if (!wildcard(wanted).test(actual)) return false;
  }
  return tested;
}

export interface RuleDecision {
  rule: DynamicRule;
  applies: boolean;
  why: string;
}

export function decideRules(rules: DynamicRule[], env: ConditionEnvironment, hardware: Hardware): RuleDecision[] {
  const withHardware: ConditionEnvironment = { ...env, unknownExpression: (e) => matchHardware(e, hardware) ?? env.unknownExpression?.(e) };
  return rules.map((rule) => {
    if (!rule.condition) return { rule, applies: true, why: 'the rule has no condition' };
    const { ast } = fromConfigMgr(rule.condition);
    if (!ast) return { rule, applies: false, why: 'the rule’s condition cannot be read' };
    const result = evaluateCondition(ast, withHardware);
    return { rule, applies: result.value, why: result.explanation };
  });
}
