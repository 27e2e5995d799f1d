// Set Dynamic Variables in the simulation: decides each rule (semantics/dynamic-rules.ts reads
// both written forms) against the simulated machine, in order, as the step reference describes
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables):
// a computer rule is true when any of its values matches ("If any value is true, then the rule
// evaluates as true"); a location rule compares the default gateway; a make and model rule needs
// both, with `*` and `?`; a task sequence variable rule compares as a step condition does. Where
// the documentation is silent the choices are ours (docs/simulator.md): values other than make
// and model are compared as written, ignoring case, MAC addresses with `-` or `:` alike.

import {
  evaluateCondition,
  fromConfigMgr,
  matchesLike,
  orderValues,
  type CmExpression,
  type ConditionEnvironment,
} from '../conditions';
import { matchesWildcard, type DynamicRule, type RuleCondition } from '../semantics/dynamic-rules';
import type { Hardware } from './machine';

export interface RuleDecision {
  rule: DynamicRule;
  applies: boolean;
  why: string;
}

const same = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();
const macText = (s: string) => s.trim().replace(/-/g, ':');

const COMPUTER_LABELS = {
  assetTag: 'asset tag',
  uuid: 'UUID',
  serialNumber: 'serial number',
  macAddress: 'MAC address',
} as const;

function computerMatch(
  c: Extract<RuleCondition, { kind: 'computer' }>,
  hw: Hardware,
): { applies: boolean; why: string } {
  const tested: string[] = [];
  for (const field of ['assetTag', 'uuid', 'serialNumber', 'macAddress'] as const) {
    const wanted = c[field];
    if (!wanted.trim()) continue;
    const actual = hw[field];
    const hit =
      field === 'macAddress'
        ? actual.split(/[,;\s]+/).some((m) => same(macText(m), macText(wanted)))
        : same(actual, wanted);
    if (hit) return { applies: true, why: `the ${COMPUTER_LABELS[field]} is "${wanted}"` };
    tested.push(`${COMPUTER_LABELS[field]} "${actual}" is not "${wanted}"`);
  }
  return { applies: false, why: tested.length ? tested.join(', ') : 'the computer rule gives no value to compare' };
}

function variableMatch(
  c: Extract<RuleCondition, { kind: 'taskSequenceVariable' }>,
  env: ConditionEnvironment,
): { applies: boolean; why: string } {
  const actual = env.variable(c.name);
  const shown = actual === undefined ? 'not set' : `"${actual}"`;
  const value = actual ?? '';
  let applies: boolean;
  switch (c.operator) {
    case 'exists':
      applies = actual !== undefined;
      break;
    case 'notExists':
      applies = actual === undefined;
      break;
    case 'like':
      applies = matchesLike(value, c.value);
      break;
    case 'notLike':
      applies = !matchesLike(value, c.value);
      break;
    default: {
      const order = orderValues(value, c.value).order;
      applies =
        c.operator === 'equals'
          ? order === 0
          : c.operator === 'notEquals'
            ? order !== 0
            : c.operator === 'greater'
              ? order > 0
              : c.operator === 'greaterEqual'
                ? order >= 0
                : c.operator === 'less'
                  ? order < 0
                  : order <= 0;
    }
  }
  const test = c.operator === 'exists' || c.operator === 'notExists' ? c.operator : `${c.operator} "${c.value}"`;
  return { applies, why: `${c.name} is ${shown} (${test})` };
}

/** An XML condition of another shape: the condition evaluator, with the machine's hardware for rule expressions. */
function otherMatch(
  condition: Extract<RuleCondition, { kind: 'other' }>,
  env: ConditionEnvironment,
  hw: Hardware,
): { applies: boolean; why: string } {
  const { ast } = fromConfigMgr(condition.condition);
  if (!ast) return { applies: false, why: 'the rule’s condition cannot be read' };
  const withHardware: ConditionEnvironment = {
    ...env,
    unknownExpression: (e) => hardwareExpression(e, hw) ?? env.unknownExpression?.(e),
  };
  const result = evaluateCondition(ast, withHardware);
  return { applies: result.value, why: result.explanation };
}

function hardwareExpression(e: CmExpression, hw: Hardware): boolean | undefined {
  const value = (name: string) => e.variables.find((v) => v.name.toLowerCase() === name.toLowerCase())?.value ?? '';
  if (/ComputerConditionExpression$/i.test(e.type)) {
    return computerMatch(
      {
        kind: 'computer',
        assetTag: value('AssetTag'),
        uuid: value('UUID'),
        serialNumber: value('SerialNumber'),
        macAddress: value('MACAddress'),
      },
      hw,
    ).applies;
  }
  if (/LocationConditionExpression$/i.test(e.type)) return same(hw.defaultGateway, value('DefaultGateway'));
  if (/MakeModelConditionExpression$/i.test(e.type))
    return matchesWildcard(hw.make, value('Make')) && matchesWildcard(hw.model, value('Model'));
  return undefined;
}

function decide(rule: DynamicRule, env: ConditionEnvironment, hw: Hardware): { applies: boolean; why: string } {
  const c = rule.condition;
  if (rule.unreadable) return { applies: false, why: 'the rule’s condition cannot be read' };
  if (!c) return { applies: true, why: 'variables without a rule are always set' };
  switch (c.kind) {
    case 'computer':
      return computerMatch(c, hw);
    case 'location': {
      const gateways = hw.defaultGateway.split(/[,;\s]+/).filter(Boolean);
      const hit = gateways.some((g) => same(g, c.defaultGateway));
      return {
        applies: hit,
        why: `the default gateway is ${hw.defaultGateway ? `"${hw.defaultGateway}"` : 'not known'}${hit ? '' : `, not "${c.defaultGateway}"`}`,
      };
    }
    case 'makeAndModel': {
      const make = matchesWildcard(hw.make, c.make);
      const model = matchesWildcard(hw.model, c.model);
      const why = `make "${hw.make}" ${make ? 'matches' : 'does not match'} "${c.make}", model "${hw.model}" ${model ? 'matches' : 'does not match'} "${c.model}"`;
      return { applies: make && model, why };
    }
    case 'taskSequenceVariable':
      return variableMatch(c, env);
    case 'other':
      return otherMatch(c, env, hw);
  }
}

/** Each rule, in order, with whether it is true on this machine and why. */
export function decideRules(
  rules: readonly DynamicRule[],
  env: ConditionEnvironment,
  hardware: Hardware,
): RuleDecision[] {
  return rules.map((rule) => ({ rule, ...decide(rule, env, hardware) }));
}
