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

import { compareDiagnostics, SEVERITY_ORDER, type Diagnostic, type Severity } from './diagnostic';

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
    if (!known) out.push((own.closing = closingFinding(d, own.count - max, max)));
    else if (SEVERITY_ORDER[d.severity] < SEVERITY_ORDER[known.severity]) known.severity = d.severity;
  }
  return out;
}

/**
 * `capFindings(list.sort(compareDiagnostics), max)`, the same findings in the same order, without
 * sorting what is not shown. Why: the editor's checker finishes every keystroke with this over all
 * the findings a file keeps (50,000 `undefined-variable` findings on the long-conditions shape, of
 * which 100 are shown), and sorting them all was most of an edit's work after the rules
 * (docs/performance.md, "The editor's open and keystroke, sixth pass"). Of a code
 * with more than `max` findings only its first `max + 1` in that order are kept while the list is
 * read (`FirstInOrder`: most findings are looked at once, against the last kept), and the
 * severity of the rest; those, the closing finding and the other codes' findings are sorted. The
 * sort is stable and a later finding equal to a kept one goes after it, so ties come out as
 * sorting the whole list leaves them.
 */
export function sortAndCap(list: Diagnostic[], max = MAX_FINDINGS_PER_RULE): Diagnostic[] {
  // Findings of one rule come in runs: the map is looked at once per run, not per finding.
  const counts = new Map<string, number>();
  let over = false;
  for (let i = 0; i < list.length;) {
    const code = list[i].code;
    let j = i + 1;
    while (j < list.length && list[j].code === code) j++;
    const count = (counts.get(code) ?? 0) + j - i;
    counts.set(code, count);
    if (count > max) over = true;
    i = j;
  }
  if (!over) return list.sort(compareDiagnostics);
  const shown: Diagnostic[] = [];
  const firsts = new Map<string, FirstInOrder>();
  for (const [code, count] of counts) if (count > max) firsts.set(code, new FirstInOrder(max + 1));
  for (let i = 0; i < list.length;) {
    const code = list[i].code;
    const first = firsts.get(code);
    if (first) for (; i < list.length && list[i].code === code; i++) first.offer(list[i]);
    else for (; i < list.length && list[i].code === code; i++) shown.push(list[i]);
  }
  for (const [code, first] of firsts) {
    const kept = first.kept;
    for (let i = 0; i < max; i++) shown.push(kept[i]);
    const closing = closingFinding(kept[max], counts.get(code)! - max, max);
    const rest = first.restSeverity;
    if (rest && SEVERITY_ORDER[rest] < SEVERITY_ORDER[closing.severity]) closing.severity = rest;
    shown.push(closing);
  }
  return shown.sort(compareDiagnostics);
}

/** The first `size` findings offered, in the order a stable sort by `compareDiagnostics` gives, and the severity of the rest. */
class FirstInOrder {
  readonly kept: Diagnostic[] = [];
  /** The most severe of the findings not kept. */
  restSeverity?: Severity;

  constructor(private readonly size: number) {}

  offer(d: Diagnostic): void {
    const kept = this.kept;
    if (kept.length === this.size) {
      if (compareDiagnostics(d, kept[this.size - 1]) >= 0) return this.rest(d);
      this.rest(kept.pop()!);
    }
    // After every kept finding that is not greater: an equal one came first.
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareDiagnostics(kept[mid], d) <= 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, d);
  }

  private rest(d: Diagnostic): void {
    const rest = this.restSeverity;
    if (!rest || SEVERITY_ORDER[d.severity] < SEVERITY_ORDER[rest]) this.restSeverity = d.severity;
  }
}

/** The finding that stands, at `first`, for the `more` findings of its code that are not shown. */
function closingFinding(first: Diagnostic, more: number, max: number): Diagnostic {
  return {
    docId: first.docId,
    start: first.start,
    end: first.end,
    severity: first.severity,
    code: first.code,
    message: `${withThousands(more)} more \`${first.code}\` finding${more === 1 ? '' : 's'} from here to the end of the file ${more === 1 ? 'is' : 'are'} not shown: tsq shows the first ${max} of each check in a file.`,
    hint: 'Findings this many usually share one cause: fix it in the ones shown, and the rest show up as these go away.',
  };
}

/**
 * `n` with a comma between thousands, as `toLocaleString('en-US')` writes it, without Intl: the
 * first use of Intl makes Node read about 7 MB of its locale data into the process, which every
 * editor session that caps a file would carry (docs/performance.md, "The server's memory at its peak").
 */
function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
