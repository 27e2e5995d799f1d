// How many findings of one rule a file shows: the first MAX_FINDINGS_PER_RULE in text order, then
// one closing finding that says how many more there are. A file that is wrong everywhere (a bad
// search-and-replace, a generated file, an attacker's text) would otherwise give tens of
// thousands of findings of one kind, sent to the editor on every keystroke and printed by
// `tsq lint`, though the first ones already show what is wrong. Both front ends call this last,
// after suppressions and severity settings, so they show the same findings.
//
// Why 100: VS Code keeps at most 1,000 diagnostics per file from an extension and drops the rest,
// errors first kept, with its own "Not showing N further errors and warnings."
// (https://github.com/microsoft/vscode/blob/main/src/vs/workbench/api/common/extHostDiagnostics.ts).
// With 100 per rule, nine rules can flood one file before the editor cuts anything of ours, so
// every rule that fires keeps its own closing count; and 100 places of one mistake are more than
// anyone reads before fixing its cause. The broken examples (examples/broken) have at most 4 of
// one rule in a file.

import { SEVERITY_ORDER, type Diagnostic } from './diagnostic';

export const MAX_FINDINGS_PER_RULE = 100;

/**
 * `sorted` (one file's findings, in text order) with at most `max` findings of each code; the
 * rest of a code are replaced by one finding at the first of them, as severe as the most severe of
 * them (so the exit code of `tsq lint` and the editor's error count do not go down), that counts them.
 */
export function capFindings(sorted: Diagnostic[], max = MAX_FINDINGS_PER_RULE): Diagnostic[] {
  const counts = new Map<string, number>();
  for (const d of sorted) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  if (![...counts.values()].some((n) => n > max)) return sorted;
  const shown = new Map<string, number>();
  const closing = new Map<string, Diagnostic>();
  const out: Diagnostic[] = [];
  for (const d of sorted) {
    const n = (shown.get(d.code) ?? 0) + 1;
    shown.set(d.code, n);
    if (n <= max) {
      out.push(d);
      continue;
    }
    const known = closing.get(d.code);
    if (!known) {
      const more = counts.get(d.code)! - max;
      const summary: Diagnostic = {
        docId: d.docId,
        start: d.start,
        end: d.end,
        severity: d.severity,
        code: d.code,
        message: `${more.toLocaleString('en-US')} more \`${d.code}\` finding${more === 1 ? '' : 's'} from here to the end of the file ${more === 1 ? 'is' : 'are'} not shown: tsq shows the first ${max} of each check in a file.`,
        hint: 'Findings this many usually share one cause: fix it in the ones shown, and the rest show up as these go away.',
      };
      closing.set(d.code, summary);
      out.push(summary);
    } else if (SEVERITY_ORDER[d.severity] < SEVERITY_ORDER[known.severity]) known.severity = d.severity;
  }
  return out;
}
