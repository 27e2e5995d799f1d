// Answers questions about a paused run, for the debugger's console and hovers: a text with
// `%Name%` references (expanded), a variable name (its value), or any condition in the `when:`
// language (true or false, and why) — decided against the run's variables and machine facts.

import { evaluateCondition, parseCondition } from '../conditions';
import type { Simulation } from './engine';

export type Answer =
  | { kind: 'text'; value: string }
  | { kind: 'variable'; name: string; value: string | undefined }
  | { kind: 'condition'; value: boolean; explanation: string }
  | { kind: 'error'; message: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function evaluateExpression(sim: Simulation, expression: string): Answer {
  const text = expression.trim();
  if (!text) return { kind: 'error', message: 'Type a variable name, a text with %Name% in it, or a condition.' };
  const single = /^%([^%\s]+)%$/.exec(text);
  if (single) return { kind: 'variable', name: single[1], value: sim.vars.get(single[1]) };
  if (text.includes('%')) return { kind: 'text', value: sim.vars.expand(text) };
  if (NAME.test(text)) return { kind: 'variable', name: text, value: sim.vars.get(text) };
  const { ast, errors } = parseCondition(text);
  if (!ast || errors.length)
    return { kind: 'error', message: errors[0]?.message ?? 'This is not a condition tsq can read.' };
  const result = evaluateCondition(ast, sim.conditionEnv);
  return { kind: 'condition', value: result.value, explanation: result.explanation };
}

/** One line for a console: `"pilot"`, `(not set)`, `true — Ring is "pilot"`. */
export function answerText(answer: Answer): string {
  switch (answer.kind) {
    case 'text':
      return answer.value;
    case 'variable':
      return answer.value === undefined ? `${answer.name} is not set` : JSON.stringify(answer.value);
    case 'condition':
      return `${answer.value} — ${answer.explanation}`;
    case 'error':
      return answer.message;
  }
}

/** Expands a logpoint message: `{expression}` parts are evaluated, `%Name%` references expanded. */
export function logMessage(sim: Simulation, message: string): string {
  const withBraces = message.replace(/\{([^{}]+)\}/g, (_whole, expr: string) => {
    const a = evaluateExpression(sim, expr);
    return a.kind === 'variable' ? (a.value ?? '') : answerText(a);
  });
  return sim.vars.expand(withBraces);
}
