// Runs the rules over a document of a workspace: every rule that applies to the file's kind,
// each isolated so that one failing rule cannot take the others down, then suppression comments
// and severity overrides, in a stable order, at most MAX_FINDINGS_PER_RULE of each rule
// (finding-cap.ts). This is what `tsq lint`, the language server and tests call.

import type { TsqDocument } from '../model/document';
import type { Workspace } from '../semantics/workspace';
import type { Diagnostic, Severity } from './diagnostic';
import { RuleContext, type Rule } from './rule';
import { applySuppressions } from './suppression';
import { sortAndCap } from './finding-cap';
import { plainFinding } from './kept-finding';
import { ALL_RULES, RULE_CODES } from './rules';

export interface AnalyzeOptions {
  /** Per-code severity override, or `off` to silence a rule. */
  severity?: Readonly<Record<string, Severity | 'off'>>;
  rules?: readonly Rule[];
  /** Called when a rule throws (the rule's findings for this file are dropped). */
  onRuleError?: (rule: Rule, error: unknown) => void;
}

export function analyzeDocument(ws: Workspace, doc: TsqDocument, options: AnalyzeOptions = {}): Diagnostic[] {
  return finishDiagnostics(doc, runRules(ws, doc, options.rules ?? ALL_RULES, options), options);
}

/**
 * Runs `rules` on `doc`, each isolated (one that throws reports an internal error instead), and
 * returns their findings as reported: before suppressions, severity overrides and ordering.
 */
export function runRules(
  ws: Workspace,
  doc: TsqDocument,
  rules: readonly Rule[],
  options: AnalyzeOptions = {},
): Diagnostic[] {
  return runEachRule(ws, doc, rules, options).findings;
}

/**
 * `runRules`, with each rule's own findings apart (by the rule, in `rules` order): the rules share
 * one context, so what they compute alike (`RuleContext.memo`) is computed once, as in a full run.
 */
export function runRulesApart(
  ws: Workspace,
  doc: TsqDocument,
  rules: readonly Rule[],
  options: AnalyzeOptions = {},
): Map<Rule, Diagnostic[]> {
  const { findings, ranges } = runEachRule(ws, doc, rules, options);
  return new Map([...ranges].map(([rule, [from, to]]) => [rule, findings.slice(from, to)]));
}

function runEachRule(
  ws: Workspace,
  doc: TsqDocument,
  rules: readonly Rule[],
  options: AnalyzeOptions,
): { findings: Diagnostic[]; ranges: Map<Rule, [number, number]> } {
  const ranges = new Map<Rule, [number, number]>();
  if (rules.length === 0) return { findings: [], ranges };
  const ctx = new RuleContext(ws, doc, rules[0]);
  for (const rule of rules) {
    const before = ctx.findings.length;
    ranges.set(rule, [before, before]);
    if (options.severity?.[rule.code] === 'off') continue;
    if (!rule.kinds.includes('any') && (!doc.kind || !rule.kinds.includes(doc.kind))) continue;
    ctx.setRule(rule);
    try {
      rule.check(ctx);
    } catch (e) {
      ctx.findings.length = before;
      options.onRuleError?.(rule, e);
      ctx.report({
        start: 0,
        end: 0,
        severity: 'information',
        code: 'internal-error',
        message: `tsq could not run the \`${rule.code}\` check on this file: ${e instanceof Error ? e.message : String(e)}`,
        hint: 'The other checks ran. Please report this to the tsq maintainers with the file.',
      });
    }
    ranges.set(rule, [before, ctx.findings.length]);
  }
  return { findings: ctx.findings, ranges };
}

/**
 * The last step of every analysis: suppression comments, severity overrides, a stable order, the
 * cap per rule. The findings given are left as they are (the list itself may be reordered).
 */
export function finishDiagnostics(
  doc: TsqDocument,
  findings: Diagnostic[],
  options: AnalyzeOptions = {},
): Diagnostic[] {
  let out = applySuppressions(doc, findings, RULE_CODES);
  const sev = options.severity;
  // No overrides (the usual settings): nothing to filter or change, so no copies of every finding.
  if (sev && Object.keys(sev).length > 0) {
    // A new finding where the severity changes: the ones given may be kept for the next edit (incremental.ts).
    out = out
      .filter((d) => sev[d.code] !== 'off')
      .map((d) => {
        const s = sev[d.code];
        if (!s || s === 'off' || s === d.severity) return d;
        const copy = plainFinding(d);
        copy.severity = s;
        return copy;
      });
  }
  return sortAndCap(out);
}

export function analyzeWorkspace(ws: Workspace, options: AnalyzeOptions = {}): Map<string, Diagnostic[]> {
  const result = new Map<string, Diagnostic[]>();
  for (const doc of ws.all()) result.set(doc.id, analyzeDocument(ws, doc, options));
  return result;
}
