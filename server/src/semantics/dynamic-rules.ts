// Set Dynamic Variables rules in both of their written forms: the YAML list a sequence file holds
// (`with: rules: [...]`, shaped like the console's Add Rule dialog) and the XML text ConfigMgr
// stores in the step's `OSDSetDynamicVariablesRules` variable. One model for the linter, the
// simulator, import and export and the editor's quick fix; docs/steps.md#set-dynamic-variables-rules
// says what is known of the XML and what is inferred.
//
// The XML reader is small and forgiving (it never throws; what it cannot place becomes an `other`
// condition or is skipped). Whether an XML text can become YAML without loss is decided by writing
// the model back and comparing: only an exact match converts.

import { matchesWildcards, type CmCondition, type CmConditionElement } from '../conditions';
import {
  COMPUTER_FIELDS,
  RULE_EXPRESSION_TYPES,
  RULE_KINDS,
  RULE_OPERATORS,
  type RuleKind,
  type RuleOperator,
} from '../catalog/dynamic-rules';

export { COMPUTER_FIELDS, RULE_EXPRESSION_TYPES, RULE_KINDS, RULE_OPERATORS, type RuleKind, type RuleOperator };

/** The `<variable name=...>` names inside each kind's expression, in the order they are written. */
const XML_FIELDS: Readonly<Record<RuleKind, readonly (readonly [string, string])[]>> = {
  // (XML name, model field) — alphabetical, as the real export writes the computer rule.
  computer: [
    ['AssetTag', 'assetTag'],
    ['MACAddress', 'macAddress'],
    ['SerialNumber', 'serialNumber'],
    ['UUID', 'uuid'],
  ],
  location: [['DefaultGateway', 'defaultGateway']],
  makeAndModel: [
    ['Make', 'make'],
    ['Model', 'model'],
  ],
  // The order of a step condition's variable expression.
  taskSequenceVariable: [
    ['Variable', 'name'],
    ['Operator', 'operator'],
    ['Value', 'value'],
  ],
};

export type RuleCondition =
  | { kind: 'computer'; assetTag: string; uuid: string; serialNumber: string; macAddress: string }
  | { kind: 'location'; defaultGateway: string }
  | { kind: 'makeAndModel'; make: string; model: string }
  | { kind: 'taskSequenceVariable'; name: string; operator: RuleOperator; value: string }
  /** An XML condition of another shape (operators, several expressions): kept for the simulator only. */
  | { kind: 'other'; condition: CmConditionElement };

export interface RuleVariable {
  name: string;
  /** The value; empty for a secret whose value the file does not hold. */
  value: string;
  /** "Do not display this value" in the console. */
  secret: boolean;
}

export interface DynamicRule {
  /** No condition: variables set without a rule. */
  condition?: RuleCondition;
  variables: RuleVariable[];
  /** The condition is written in a way that cannot be read (the linter says why): the rule never applies. */
  unreadable?: boolean;
}

/** A mistake in the YAML form, at a path below the option (list index, then keys). */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
  hint?: string;
  severity: 'error' | 'warning';
}

// ------------------------------------------------------------------------------ the YAML form

type Plain = Record<string, unknown>;

function isPlainMap(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The text of a scalar as ConfigMgr would store it; undefined for anything else. */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return '';
  return undefined;
}

/** A DSL secret reference: `{ env: NAME }`, `{ prompt: true }` or `{ missing: true }`. */
export function isSecretReference(v: unknown): boolean {
  return isPlainMap(v) && ('env' in v || 'prompt' in v || 'missing' in v);
}

const WILDCARD = /[*?]/;

/**
 * Reads the YAML form (`rules:` as a list). Shape errors the JSON Schema already reports (wrong
 * types, unknown keys) are passed over quietly; what only the meaning shows is in `problems`.
 */
export function readRulesYaml(value: unknown): { rules: DynamicRule[]; problems: RuleProblem[] } {
  const rules: DynamicRule[] = [];
  const problems: RuleProblem[] = [];
  if (!Array.isArray(value)) return { rules, problems };
  value.forEach((entry, i) => {
    if (!isPlainMap(entry)) return;
    const kinds = RULE_KINDS.filter((k) => entry[k] !== undefined);
    for (const extra of kinds.slice(1)) {
      problems.push({
        path: [i, extra],
        severity: 'error',
        message: `A rule has one kind of condition; this one already has \`${kinds[0]}\`, so \`${extra}\` cannot be added to it.`,
        hint: 'Split it into two rules: each rule sets its variables when its own condition is true.',
      });
    }
    const condition = kinds.length ? readCondition(kinds[0], entry[kinds[0]], [i, kinds[0]], problems) : undefined;
    const unreadable = kinds.length > 0 && condition === undefined;
    const variables: RuleVariable[] = [];
    const vars = entry.variables;
    if (isPlainMap(vars)) {
      for (const [name, v] of Object.entries(vars)) {
        if (isSecretReference(v)) variables.push({ name, value: '', secret: true });
        else {
          const text = scalarText(v);
          if (text !== undefined) variables.push({ name, value: text, secret: false });
        }
      }
    }
    if (variables.length === 0 && (vars === undefined || isPlainMap(vars))) {
      problems.push({
        path: [i],
        severity: 'warning',
        message: 'This rule sets no variables.',
        hint: 'Add the variables it sets under `variables:` (name: value), or remove the rule.',
      });
    }
    rules.push(unreadable ? { variables, unreadable } : { condition, variables });
  });
  return { rules, problems };
}

function readCondition(
  kind: RuleKind,
  raw: unknown,
  path: (string | number)[],
  problems: RuleProblem[],
): RuleCondition | undefined {
  if (!isPlainMap(raw)) return undefined;
  const text = (key: string) => scalarText(raw[key])?.trim() ?? '';
  const literal = (key: string) => {
    if (WILDCARD.test(text(key)))
      problems.push({
        path: [...path, key],
        severity: 'warning',
        message: `\`${key}\` holds \`*\` or \`?\`, but wildcards are documented only for make and model rules.`,
        hint: 'The value is compared as written; write the exact value.',
      });
  };
  switch (kind) {
    case 'computer': {
      const c = {
        kind,
        assetTag: text('assetTag'),
        uuid: text('uuid'),
        serialNumber: text('serialNumber'),
        macAddress: text('macAddress'),
      } as const;
      if (COMPUTER_FIELDS.every((f) => c[f] === ''))
        problems.push({
          path,
          severity: 'error',
          message: 'A computer rule needs a value to compare: `assetTag`, `uuid`, `serialNumber` or `macAddress`.',
          hint: 'The rule is true when any of the values it gives matches the computer.',
        });
      for (const f of COMPUTER_FIELDS) literal(f);
      return c;
    }
    case 'location':
      if (text('defaultGateway') === '')
        problems.push({ path, severity: 'error', message: 'A location rule needs the `defaultGateway` to compare.' });
      literal('defaultGateway');
      return { kind, defaultGateway: text('defaultGateway') };
    case 'makeAndModel':
      for (const key of ['make', 'model']) {
        if (raw[key] !== undefined && text(key) === '')
          problems.push({
            path: [...path, key],
            severity: 'error',
            message: `\`${key}\` is empty, so the rule can never be true.`,
            hint: 'Write `*` to match any value.',
          });
      }
      return { kind, make: text('make'), model: text('model') };
    case 'taskSequenceVariable': {
      const operator = RULE_OPERATORS.find((o) => o === raw.operator);
      if (!operator) return undefined;
      if ((operator === 'exists' || operator === 'notExists') && text('value') !== '') {
        problems.push({
          path: [...path, 'value'],
          severity: 'warning',
          message: `\`${operator}\` does not compare a value; this one is not used.`,
          hint: 'Remove `value:`, or choose an operator that compares.',
        });
      }
      return { kind, name: text('name'), operator, value: scalarText(raw.value) ?? '' };
    }
  }
}

/** The YAML form of `rules`, as plain values (secrets become `{ missing: true }`). */
export function rulesToYaml(rules: readonly DynamicRule[]): Plain[] {
  return rules.map((rule) => {
    const out: Plain = {};
    const c = rule.condition;
    if (c && c.kind !== 'other') {
      if (c.kind === 'computer') {
        const fields: Plain = {};
        for (const f of COMPUTER_FIELDS) if (c[f] !== '') fields[f] = c[f];
        out.computer = fields;
      } else if (c.kind === 'location') out.location = { defaultGateway: c.defaultGateway };
      else if (c.kind === 'makeAndModel') out.makeAndModel = { make: c.make, model: c.model };
      else {
        const v: Plain = { name: c.name, operator: c.operator };
        if (c.value !== '' || (c.operator !== 'exists' && c.operator !== 'notExists')) v.value = c.value;
        out.taskSequenceVariable = v;
      }
    }
    const vars: Plain = {};
    for (const v of rule.variables) vars[v.name] = v.secret ? { missing: true } : v.value;
    out.variables = vars;
    return out;
  });
}

// ------------------------------------------------------------------------------- the XML form

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

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/\s*([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|</g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** Deeper nesting than any rule has is flattened (the reader stays iterative and bounded). */
const MAX_DEPTH = 64;

/** The element tree of an XML text, as far as it can be read. */
function readXml(text: string): XmlElement {
  const root: XmlElement = { name: '#root', attributes: {}, children: [], text: '' };
  const stack = [root];
  const tokens = new RegExp(TOKEN.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = tokens.exec(text))) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      const at = stack.map((e) => e.name.toLowerCase()).lastIndexOf(m[2].toLowerCase());
      if (at > 0) stack.length = at;
    } else if (m[3] !== undefined) {
      const attributes: Record<string, string> = {};
      const attrs = new RegExp(ATTRIBUTE.source, 'g');
      let a: RegExpExecArray | null;
      while ((a = attrs.exec(m[4]))) attributes[a[1]] = decode(a[2] ?? a[3] ?? '');
      const el: XmlElement = { name: m[3], attributes, children: [], text: '' };
      top.children.push(el);
      if (!m[5] && stack.length < MAX_DEPTH) stack.push(el);
    } else if (m[6] !== undefined) top.text += decode(m[6]);
  }
  return root;
}

const named = (el: XmlElement, name: string) => el.children.filter((c) => c.name.toLowerCase() === name.toLowerCase());
const attribute = (el: XmlElement, name: string) => {
  const key = Object.keys(el.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : el.attributes[key];
};

function toCm(el: XmlElement): CmCondition | undefined {
  const name = el.name.toLowerCase();
  if (name === 'expression') {
    return {
      kind: 'expression',
      type: attribute(el, 'type') ?? '',
      variables: named(el, 'variable').map((v) => ({ name: attribute(v, 'name') ?? '', value: v.text })),
    };
  }
  if (name === 'operator') {
    const type = (attribute(el, 'type') ?? 'and').toLowerCase();
    return {
      kind: 'operator',
      type: type === 'or' || type === 'not' ? type : 'and',
      children: el.children.map(toCm).filter((c): c is CmCondition => !!c),
    };
  }
  return undefined;
}

/** A `<condition>` with one expression of a known kind becomes that kind; anything else `other`. */
function conditionOf(el: XmlElement): RuleCondition {
  const cm: CmConditionElement = {
    kind: 'condition',
    children: el.children.map(toCm).filter((c): c is CmCondition => !!c),
  };
  const only = cm.children.length === 1 ? cm.children[0] : undefined;
  const kind =
    only?.kind === 'expression'
      ? RULE_KINDS.find((k) => RULE_EXPRESSION_TYPES[k].toLowerCase() === only.type.toLowerCase())
      : undefined;
  if (!only || only.kind !== 'expression' || !kind) return { kind: 'other', condition: cm };
  const fields: Record<string, string> = {};
  for (const v of only.variables) {
    const field = XML_FIELDS[kind].find(([xml]) => xml.toLowerCase() === v.name.toLowerCase());
    if (field) fields[field[1]] = v.value;
  }
  const get = (f: string) => fields[f] ?? '';
  switch (kind) {
    case 'computer':
      return {
        kind,
        assetTag: get('assetTag'),
        uuid: get('uuid'),
        serialNumber: get('serialNumber'),
        macAddress: get('macAddress'),
      };
    case 'location':
      return { kind, defaultGateway: get('defaultGateway') };
    case 'makeAndModel':
      return { kind, make: get('make'), model: get('model') };
    case 'taskSequenceVariable': {
      const operator = RULE_OPERATORS.find((o) => o.toLowerCase() === get('operator').toLowerCase());
      return operator ? { kind, name: get('name'), operator, value: get('value') } : { kind: 'other', condition: cm };
    }
  }
}

/** Reads the XML form. `readable` is false when the text holds no `<Rules>` or `<Rule>` element at all. */
export function readRulesXml(text: string): { rules: DynamicRule[]; readable: boolean } {
  const root = readXml(text);
  const rules: DynamicRule[] = [];
  let found = false;
  const visit = (el: XmlElement, depth: number) => {
    for (const child of el.children) {
      const name = child.name.toLowerCase();
      if (name === 'rules') found = true;
      if (name !== 'rule') {
        if (depth < 8) visit(child, depth + 1);
        continue;
      }
      found = true;
      const cond = named(child, 'condition')[0];
      const variables = named(child, 'variables')
        .flatMap((v) => named(v, 'variable'))
        .map((v) => ({
          name: (attribute(v, 'Name') ?? '').trim(),
          value: v.text,
          secret: /^true$/i.test(attribute(v, 'IsSecret') ?? ''),
        }))
        .filter((v) => v.name);
      rules.push({ condition: cond ? conditionOf(cond) : undefined, variables });
    }
  };
  visit(root, 0);
  return { rules, readable: found || text.trim() === '' };
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/**
 * The XML ConfigMgr stores for `rules`, in the form of the one real export seen: no blanks between
 * elements, every computer field written (empty ones too), `IsSecret` on every variable, and a
 * line break after `</Rules>`. Secret values are never written. Undefined for an `other` condition
 * (only read from XML, never written).
 */
export function writeRulesXml(rules: readonly DynamicRule[]): string | undefined {
  let out = '<Rules>';
  for (const rule of rules) {
    out += '<Rule>';
    const c = rule.condition;
    if (c) {
      if (c.kind === 'other') return undefined;
      out += `<condition><expression type="${RULE_EXPRESSION_TYPES[c.kind]}">`;
      const values = c as unknown as Record<string, string>;
      for (const [xml, field] of XML_FIELDS[c.kind])
        out += `<variable name="${xml}">${escapeText(values[field] ?? '')}</variable>`;
      out += '</expression></condition>';
    }
    out += '<Variables>';
    for (const v of rule.variables)
      out += `<Variable Name="${escapeAttribute(v.name)}" IsSecret="${v.secret ? 'true' : 'false'}">${v.secret ? '' : escapeText(v.value)}</Variable>`;
    out += '</Variables></Rule>';
  }
  return out + '</Rules>\n';
}

const SECRET_VALUE = /(<Variable\b[^>]*\bIsSecret\s*=\s*(["'])true\2[^>]*>)([^<]*)(<\/Variable\s*>)/gi;

/** The XML text with the values of secret variables left out, and how many were not empty. */
export function withoutSecretValues(text: string): { text: string; dropped: number } {
  let dropped = 0;
  const out = text.replace(SECRET_VALUE, (_whole, open: string, _q: string, value: string, close: string) => {
    if (value !== '') dropped++;
    return open + close;
  });
  return { text: out, dropped };
}

/**
 * The YAML form of an XML text when it says exactly what the YAML form can (writing it back
 * gives the same text, secret values aside); undefined otherwise.
 */
export function convertRulesXml(text: string): { rules: Plain[]; secretsDropped: number } | undefined {
  const { rules, readable } = readRulesXml(text);
  if (!readable) return undefined;
  const written = writeRulesXml(rules);
  const bare = withoutSecretValues(text);
  if (written === undefined || written !== bare.text) return undefined;
  return { rules: rulesToYaml(rules), secretsDropped: bare.dropped };
}

/**
 * The YAML form of an XML text written in a sequence file, for the editor's quick fix: the rules as
 * the linter and simulator read them, when every condition has a YAML form (a text that is not
 * byte for byte what ConfigMgr writes converts too; its meaning is what matters there). Hidden
 * values become `{ missing: true }`; `hidden` names them. Undefined when the text cannot convert.
 */
export function rulesXmlAsYaml(text: string): { rules: Plain[]; hidden: string[] } | undefined {
  const { rules, readable } = readRulesXml(text);
  if (!readable || rules.some((r) => r.condition?.kind === 'other')) return undefined;
  return {
    rules: rulesToYaml(rules),
    hidden: rules.flatMap((r) => r.variables.filter((v) => v.secret).map((v) => v.name)),
  };
}

/** The rules of an option value in either form (the XML read forgivingly). */
export function rulesOf(value: unknown): DynamicRule[] {
  return typeof value === 'string' ? readRulesXml(value).rules : readRulesYaml(value).rules;
}

// --------------------------------------------------------------------------- matching helpers

/**
 * Whether `value` matches `pattern` with the wildcards the documentation gives for make and model
 * rules: `*` any run of characters (also none, as its own example `DELL*900?` → `DELL9009` shows),
 * `?` exactly one. Case is ignored (not documented).
 */
export function matchesWildcard(value: string, pattern: string): boolean {
  return matchesWildcards(value, pattern, '*', '?');
}
