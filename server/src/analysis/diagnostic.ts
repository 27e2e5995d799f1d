// A finding of the analysis, independent of any editor protocol: offsets into the file text, a
// stable rule code, a severity, a message in plain words, an optional hint on what to do, and
// structured data that quick fixes use (candidate replacements, the property to add, ...).

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Machine-readable facts behind a diagnostic, for quick fixes and tools. */
export type DiagnosticData =
  /** Replace the diagnostic's range with one of `candidates` (closest first). */
  | { fix: 'replace'; candidates: string[] }
  /** A broken reference: replace with a candidate, or delete / disable the step at `stepSpan`. */
  | { fix: 'reference'; kind: string; candidates: string[]; stepStart: number; stepEnd: number }
  /** Add `property` (with an example value) under the step's `with:`. */
  | { fix: 'add-property'; property: string; example: string; stepStart: number; stepEnd: number }
  /** Remove the range (e.g. a duplicate or useless key). */
  | { fix: 'remove' }
  /** Remove the `key: value` pair the range covers: its whole line in a block mapping, with its comma in a flow mapping. */
  | { fix: 'remove-key' }
  /** The Set Dynamic Variables `rules:` value in the range is XML: rewrite it as the YAML list. */
  | { fix: 'convert-rules' }
  /**
   * Make the step (or group) at stepStart..stepEnd run only when `condition` holds: add
   * `when: <condition>`, or join it to an existing `when:` as `(<old>) and <condition>`.
   */
  | { fix: 'add-condition'; condition: string; stepStart: number; stepEnd: number }
  /** Replace the step at stepStart..stepEnd (one that depends on MDT) with what `tsq migrate` writes for it. */
  | { fix: 'migrate-step'; stepStart: number; stepEnd: number }
  /** Let the step at stepStart..stepEnd run: take `disabled: true` off it and off each disabled group around it. */
  | { fix: 'enable-step'; stepStart: number; stepEnd: number };

export interface RelatedInformation {
  docId: string;
  start: number;
  end: number;
  message: string;
}

export interface Diagnostic {
  docId: string;
  start: number;
  end: number;
  severity: Severity;
  code: string;
  message: string;
  hint?: string;
  data?: DiagnosticData;
  related?: RelatedInformation[];
  tags?: ('unnecessary' | 'deprecated')[];
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.docId < b.docId
    ? -1
    : a.docId > b.docId
      ? 1
      : a.start - b.start || a.end - b.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
