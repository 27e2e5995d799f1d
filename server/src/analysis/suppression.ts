// Comments that silence a diagnostic where the author knows better:
//   # tsq-disable-next-line broken-reference, undefined-variable
//   action: Foo   # tsq-disable-line unknown-action
// Without codes they silence every rule on that line. Unknown codes are reported, so a typo in a
// suppression does not silently do nothing.

import type { TsqDocument } from '../model/document';
import type { Diagnostic } from './diagnostic';

const DIRECTIVE = /^#\s*tsq-disable-(next-line|line)\b([^#]*)/;

export interface Suppression {
  /** 0-based line the suppression applies to. */
  line: number;
  /** Codes silenced; empty means all. */
  codes: string[];
  /** Where the comment is, for reporting unknown codes. */
  start: number;
  end: number;
}

export function findSuppressions(doc: TsqDocument): Suppression[] {
  const out: Suppression[] = [];
  for (const c of doc.yaml.comments) {
    const text = doc.text.slice(c.start, c.end);
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const line = doc.lineMap.positionAt(c.start).line + (m[1] === 'next-line' ? 1 : 0);
    const codes = m[2].split(/[\s,]+/).filter(Boolean);
    out.push({ line, codes, start: c.start, end: c.end });
  }
  return out;
}

/** Removes suppressed diagnostics; adds a warning for every unknown code named in a suppression. */
export function applySuppressions(
  doc: TsqDocument,
  diagnostics: Diagnostic[],
  knownCodes: ReadonlySet<string>,
): Diagnostic[] {
  const sups = findSuppressions(doc);
  if (sups.length === 0) return diagnostics;
  const byLine = new Map<number, Suppression[]>();
  for (const s of sups) {
    const l = byLine.get(s.line);
    if (l) l.push(s);
    else byLine.set(s.line, [s]);
  }
  const kept = diagnostics.filter((d) => {
    if (d.docId !== doc.id) return true;
    const list = byLine.get(doc.lineMap.positionAt(d.start).line);
    return !list?.some((s) => s.codes.length === 0 || s.codes.includes(d.code));
  });
  for (const s of sups) {
    for (const code of s.codes) {
      if (knownCodes.has(code)) continue;
      kept.push({
        docId: doc.id,
        start: s.start,
        end: s.end,
        severity: 'warning',
        code: 'suppression',
        message: `\`${code}\` is not a tsq rule, so this comment silences nothing.`,
        hint: 'Check the rule code in the diagnostic you want to silence (`tsq lint` prints it in brackets).',
      });
    }
  }
  return kept;
}
