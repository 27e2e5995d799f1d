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
  // One record per code, looked up once per finding in each pass (the editor's checker finishes
  // every keystroke with this, over all the findings a file has: 50,000 on the long-conditions shape).
  const byCode = new Map<string, { count: number; shown: number; closing?: Diagnostic }>();
  let over = false;
  for (const d of sorted) {
    let known = byCode.get(d.code);
    if (!known) byCode.set(d.code, (known = { count: 0, shown: 0 }));
    if (++known.count > max) over = true;
  }
  if (!over) return sorted;
  const out: Diagnostic[] = [];
  for (const d of sorted) {
    const own = byCode.get(d.code)!;
    if (++own.shown <= max) {
      out.push(d);
      continue;
    }
    const known = own.closing;
    if (!known) {
      const more = own.count - max;
      const summary: Diagnostic = {
        docId: d.docId,
        start: d.start,
        end: d.end,
        severity: d.severity,
        code: d.code,
        message: `${withThousands(more)} more \`${d.code}\` finding${more === 1 ? '' : 's'} from here to the end of the file ${more === 1 ? 'is' : 'are'} not shown: tsq shows the first ${max} of each check in a file.`,
        hint: 'Findings this many usually share one cause: fix it in the ones shown, and the rest show up as these go away.',
      };
      own.closing = summary;
      out.push(summary);
    } else if (SEVERITY_ORDER[d.severity] < SEVERITY_ORDER[known.severity]) known.severity = d.severity;
  }
  return out;
}

/**
 * `n` with a comma between thousands, as `toLocaleString('en-US')` writes it, without Intl: the
 * first use of Intl makes Node read about 7 MB of its locale data into the process, which every
 * editor session that caps a file would carry (docs/performance.md, "The server's memory at its peak").
 */
function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
