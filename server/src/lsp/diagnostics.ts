// Turns engine findings into LSP diagnostics and decides when to compute them: on open and save
// at once; while typing after a pause that adapts to how long a check of that file takes (none
// for the usual few milliseconds, longer for files whose full check is slow), with a newer edit
// replacing a check that has not run yet; files that depend on a changed file a little later.

import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../analysis/diagnostic';
import type { FileEntry, FileIndex } from './projects';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The quick-fix facts travel with the diagnostic for clients that keep them. */
export interface DiagnosticPayload {
  code: string;
  fix?: unknown;
}

export function toLspDiagnostic(index: FileIndex, entry: FileEntry, d: Diagnostic): LspDiagnostic {
  const at = index.positions(entry);
  const out: LspDiagnostic = {
    range: { start: at.positionAt(d.start), end: at.positionAt(d.end) },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'tsq',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  };
  if (d.data) out.data = { code: d.code, fix: d.data } satisfies DiagnosticPayload;
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => {
      const other = r.docId === entry.id ? entry : index.entryOf(r.docId, entry.project);
      const pos = other ? index.positions(other) : at;
      return { location: { uri: index.uriOf(r.docId), range: { start: pos.positionAt(r.start), end: pos.positionAt(r.end) } }, message: r.message };
    });
  }
  if (d.tags?.length) out.tags = d.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  return out;
}

/** Checks that take longer than this get a pause after typing as long as the check itself. */
const QUICK_MS = 30;
const LONGEST_PAUSE_MS = 1000;
/** Files that depend on the one being edited are checked after this pause (unless set otherwise). */
export const DEPENDENT_PAUSE_MS = 250;

/** Runs `check(id)` once per file after its pause; a newer request for the same file replaces the older. */
export class CheckScheduler {
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly lastDuration = new Map<string, number>();

  constructor(private readonly check: (id: string) => void) {}

  /** Pause before checking `id` after an edit: `fixed` when configured, else adapted to the file. */
  pauseAfterTyping(id: string, fixed: number | undefined): number {
    if (fixed !== undefined) return fixed;
    const took = this.lastDuration.get(id) ?? 0;
    return took < QUICK_MS ? 0 : Math.min(LONGEST_PAUSE_MS, took);
  }

  schedule(id: string, pauseMs: number): void {
    this.timers.get(id)?.cancel();
    const run = () => {
      this.timers.delete(id);
      const started = performance.now();
      try {
        this.check(id);
      } finally {
        this.lastDuration.set(id, performance.now() - started);
      }
    };
    // No pause: right after the messages already received (a timer would add a millisecond).
    if (pauseMs <= 0) {
      const immediate = setImmediate(run);
      this.timers.set(id, { cancel: () => clearImmediate(immediate) });
    } else {
      const timer = setTimeout(run, pauseMs);
      this.timers.set(id, { cancel: () => clearTimeout(timer) });
    }
  }

  /** Whether a check of `id` is waiting. */
  pending(id: string): boolean {
    return this.timers.has(id);
  }

  cancel(id: string): void {
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
  }

  dispose(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
