// The errors in a file that stop a simulated run (`tsq simulate`, the debugger), found without the
// checks that cannot report one. A run is refused when lint finds an error; warnings and notes do
// not matter there, and a third of lint's time on a large sequence goes to rules that can only
// warn (variables read before they are set, above all). Each rule says the most severe finding it
// can report (`Rule.mostSevere`); here only rules that can report an error run, each whole, through
// the same suppressions, order and cap per rule as `analyzeDocument`, so the errors are exactly
// the errors full lint reports (test/unit/run-blocking-errors.test.ts compares both on every
// fixture, the broken examples and generated files).

import type { TsqDocument } from '../model/document';
import type { Workspace } from '../semantics/workspace';
import type { Diagnostic } from './diagnostic';
import type { Rule } from './rule';
import { finishDiagnostics, runRules } from './analyze';
import { ALL_RULES } from './rules';

/** The rules that can report an error, in lint's order. */
export const ERROR_CAPABLE_RULES: readonly Rule[] = ALL_RULES.filter((r) => r.mostSevere === 'error');

/** The errors `analyzeDocument(ws, doc)` reports, in its order, from the rules that can report one. */
export function runBlockingErrors(ws: Workspace, doc: TsqDocument): Diagnostic[] {
  return finishDiagnostics(doc, runRules(ws, doc, ERROR_CAPABLE_RULES)).filter((d) => d.severity === 'error');
}
