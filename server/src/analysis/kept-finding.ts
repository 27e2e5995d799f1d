// The form in which the editor's checker keeps a large list of findings from one keystroke to the
// next (carried-findings.ts moves them). A file wrong the same way everywhere keeps tens of
// thousands of findings that say the same few things: the long-conditions shape of `npm run bench
// -- lsp` keeps 50,101 `undefined-variable` findings for a few thousand unknown names, 100 of them
// shown, and as reported each was an object of ten fields (104 bytes): 5.0 MB of the editor's
// live heap (docs/performance.md, "The editor's kept memory, eighth pass"). Kept here, a finding is
// its place and a pointer to what it shares with the others of its list that say the same: the
// file, severity, code, message, hint, quick-fix data, related places and tags (48 bytes; the
// shared part once per distinct wording).
//
// Only lists of at least COMPACT_FROM findings, most of which share their wording with others, are
// kept so (`keepFindings`): a finding that shares its wording with none would cost more this way,
// and a short list is small either way. A kept
// finding reads as a `Diagnostic` (its shared fields are getters); changing one of them gives it a
// wording of its own. It is never handed out: `plainFinding` makes the object `RuleContext.report`
// makes, field for field and in the same order, so what is published is what it was.

import type { Diagnostic, DiagnosticData, RelatedInformation, Severity } from './diagnostic';

/** How long a list of fresh findings must be for `keepFindings` to keep it compact. */
export const COMPACT_FROM = 1000;

/** What findings of a list that say the same share. */
interface Wording {
  readonly docId: string;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly hint: string | undefined;
  readonly data: DiagnosticData | undefined;
  readonly related: RelatedInformation[] | undefined;
  readonly tags: Diagnostic['tags'];
}

/** A kept finding: its place of its own, the rest shared (see the header). */
class KeptFinding implements Diagnostic {
  constructor(
    public start: number,
    public end: number,
    private wording: Wording,
  ) {}

  get docId(): string {
    return this.wording.docId;
  }
  get severity(): Severity {
    return this.wording.severity;
  }
  set severity(severity: Severity) {
    this.wording = { ...this.wording, severity };
  }
  get code(): string {
    return this.wording.code;
  }
  get message(): string {
    return this.wording.message;
  }
  get hint(): string | undefined {
    return this.wording.hint;
  }
  get data(): DiagnosticData | undefined {
    return this.wording.data;
  }
  set data(data: DiagnosticData | undefined) {
    this.wording = { ...this.wording, data };
  }
  get related(): RelatedInformation[] | undefined {
    return this.wording.related;
  }
  set related(related: RelatedInformation[] | undefined) {
    this.wording = { ...this.wording, related };
  }
  get tags(): Diagnostic['tags'] {
    return this.wording.tags;
  }
}

/**
 * `fresh` (findings the rules have just made, held by nothing else) in the form to keep: as they
 * are when there are fewer than COMPACT_FROM, else each as a `KeptFinding`, those that say the
 * same sharing one wording. The list itself is reused.
 */
export function keepFindings(fresh: Diagnostic[]): Diagnostic[] {
  if (fresh.length < COMPACT_FROM) return fresh;
  // Findings that say the same mostly share their message string (rules word a repeated finding
  // once): the wordings are looked up by it, then compared field by field.
  const byMessage = new Map<string, Wording[]>();
  const wordings = new Array<Wording | undefined>(fresh.length);
  let distinct = 0;
  for (let i = 0; i < fresh.length; i++) {
    const d = fresh[i];
    if (d instanceof KeptFinding) continue;
    let same = byMessage.get(d.message);
    if (!same) byMessage.set(d.message, (same = []));
    let wording: Wording | undefined;
    for (let w = 0; w < same.length && !wording; w++) if (sayTheSame(same[w], d)) wording = same[w];
    if (!wording) {
      wording = {
        docId: d.docId,
        severity: d.severity,
        code: d.code,
        message: d.message,
        hint: d.hint,
        data: d.data,
        related: d.related,
        tags: d.tags,
      };
      same.push(wording);
      distinct++;
    }
    wordings[i] = wording;
  }
  // Mostly findings of their own: each would cost more kept this way.
  if (distinct * 2 > fresh.length) return fresh;
  for (let i = 0; i < fresh.length; i++) {
    const wording = wordings[i];
    if (wording) fresh[i] = new KeptFinding(fresh[i].start, fresh[i].end, wording);
  }
  return fresh;
}

function sayTheSame(w: Wording, d: Diagnostic): boolean {
  return (
    w.docId === d.docId &&
    w.severity === d.severity &&
    w.code === d.code &&
    w.hint === d.hint &&
    w.data === d.data &&
    w.related === d.related &&
    w.tags === d.tags
  );
}

/**
 * A plain copy of `d` to hand out: of a kept finding, the object `RuleContext.report` made for it
 * (every field, in its order); of any other, its own fields as they are.
 */
export function plainFinding(d: Diagnostic): Diagnostic {
  if (!(d instanceof KeptFinding)) return { ...d };
  return {
    docId: d.docId,
    start: d.start,
    end: d.end,
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint,
    data: d.data,
    related: d.related,
    tags: d.tags,
  };
}
