// The `when:` conditions as analysis sees them: parsed once per distinct text (many steps share
// a condition), with the facts rules ask of them — the variables they test, the platforms their
// OS version checks name, and whether they pin the Windows PE / full OS environment.

import { parseCondition, variableReferences, walkCondition, type ConditionExpr, type ParseResult } from '../conditions';
import { normaliseArchitecture, type Architecture } from '../model/architecture';

const MAX_CACHED = 10_000;
const cache = new Map<string, ParseResult>();

export function parsedCondition(text: string): ParseResult {
  let r = cache.get(text);
  if (!r) {
    if (cache.size >= MAX_CACHED) cache.clear();
    r = parseCondition(text);
    cache.set(text, r);
  }
  return r;
}

/** Variables a condition tests, with offsets into the condition text. */
export function conditionVariables(text: string): { name: string; start: number; end: number }[] {
  const { ast } = parsedCondition(text);
  return ast ? variableReferences(ast).map((v) => ({ name: v.name, start: v.start, end: v.end })) : [];
}

/** Architectures named by the platforms of the condition's OS version checks (`All x64 Windows 11 ...`). */
export function osConditionArchitectures(text: string): Architecture[] {
  const { ast } = parsedCondition(text);
  const out: Architecture[] = [];
  if (!ast) return out;
  walkCondition(ast, (n) => {
    if (n.kind !== 'osVersion') return;
    for (const p of n.platforms) {
      const m = /\b(x86|x64|arm64)\b/i.exec(p.name.value);
      const a = m ? normaliseArchitecture(m[1]) : undefined;
      if (a && !out.includes(a)) out.push(a);
    }
  });
  return out;
}

/**
 * The environment a condition requires, when it says so plainly: `_SMSTSInWinPE == "true"`
 * (or `!= "false"`) anywhere in its top-level AND gives `WinPE`; the opposite gives `FullOS`.
 */
export function requiredEnvironment(text: string): 'WinPE' | 'FullOS' | undefined {
  const { ast } = parsedCondition(text);
  if (!ast) return undefined;
  let found: 'WinPE' | 'FullOS' | undefined;
  const visit = (e: ConditionExpr) => {
    if (e.kind === 'and') return e.children.forEach(visit);
    if (e.kind !== 'compare' || e.variable.name.toLowerCase() !== '_smstsinwinpe') return;
    if (e.operator !== 'equals' && e.operator !== 'notEquals') return;
    const v = e.value.value.trim().toLowerCase();
    if (v !== 'true' && v !== 'false') return;
    const inPe = (v === 'true') === (e.operator === 'equals');
    found = inPe ? 'WinPE' : 'FullOS';
  };
  ast.children.forEach(visit);
  return found;
}
