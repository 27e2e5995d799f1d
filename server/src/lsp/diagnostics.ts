// Turns engine findings into LSP diagnostics and decides when to compute them: on open and save
// at once; while typing after a pause that adapts to how long the checks after typing take in
// that file (none for the usual few milliseconds, longer for files whose every keystroke costs a
// slow check), with a newer edit replacing a check that has not run yet; files that depend on a
// changed file a little later. The pause is judged on the checks that followed typing alone, and
// on the last two of them: the first check of a file opened (a full check, where a keystroke's is
// incremental) once paused its first keystroke for as long as that check took (up to a second on
// a 10,000-step file), and one slow check (the collector's pause) paused the keystroke after it.
// Checks run in short slices, files open in the editor first, so that thousands of dependent
// files being checked never stop the server from answering.

import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../analysis/diagnostic';
import type { FileEntry, FileIndex } from './projects';
import { SLICE_MS } from './background';

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
      return {
        location: { uri: index.uriOf(r.docId), range: { start: pos.positionAt(r.start), end: pos.positionAt(r.end) } },
        message: r.message,
      };
    });
  }
  if (d.tags?.length)
    out.tags = d.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  return out;
}

/** Checks that take longer than this get a pause after typing as long as the check itself. */
const QUICK_MS = 30;
const LONGEST_PAUSE_MS = 1000;
/** Files that depend on the one being edited are checked after this pause (unless set otherwise)... */
export const DEPENDENT_PAUSE_MS = 250;
/** ...unless their last checks took less than this together: then at once (a newer edit still replaces what has not run). */
const DEPENDENTS_QUICK_MS = 500;

/**
 * Runs `check(id)` once per file after its pause; a newer request for the same file replaces the
 * older, including one that is due but has not run yet (this is how work for an edit the user has
 * since typed over is dropped). Due checks wait in a queue, the files open in the editor first
 * (`urgent`), and run in slices that give way to incoming messages.
 */
export class CheckScheduler {
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly lastDuration = new Map<string, number>();
  /** How long the last two checks that followed typing took in each file, the latest first. */
  private readonly typingDurations = new Map<string, number[]>();
  /** Files whose next check follows typing (`pauseAfterTyping` was asked for it). */
  private readonly afterTyping = new Set<string>();
  /** Due checks in the order they became due: open files, then the others. */
  private readonly due: [Set<string>, Set<string>] = [new Set(), new Set()];
  private pump?: NodeJS.Immediate;
  private disposed = false;
  /** Checks run so far, and slices they ran in (for tests of the slicing). */
  readonly stats = { checks: 0, slices: 0 };

  constructor(
    private readonly check: (id: string) => void,
    private readonly urgent: (id: string) => boolean = () => true,
    private readonly sliceMs = SLICE_MS,
    /** Milliseconds from some fixed point (tests give a clock of their own). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Pause before checking `id` after an edit: `fixed` when configured, else adapted to the file:
   * none until two checks after typing in a row took QUICK_MS or more, then the shorter of them.
   */
  pauseAfterTyping(id: string, fixed: number | undefined): number {
    this.afterTyping.add(id);
    if (fixed !== undefined) return fixed;
    const took = this.typingDurations.get(id);
    if (!took || took.length < 2) return 0;
    const least = Math.min(took[0], took[1]);
    return least < QUICK_MS ? 0 : Math.min(LONGEST_PAUSE_MS, least);
  }

  /**
   * Pause before checking the files that depend on an edit: `fixed` when configured; none when
   * checking them all is expected to be quick (a catalog edit that touches a few dozen
   * sequences); else DEPENDENT_PAUSE_MS, so that each key typed is not followed by long checks.
   */
  pauseForDependents(ids: readonly string[], fixed: number | undefined): number {
    if (fixed !== undefined) return fixed;
    let expected = 0;
    for (const id of ids) {
      expected += this.lastDuration.get(id) ?? QUICK_MS;
      if (expected >= DEPENDENTS_QUICK_MS) return DEPENDENT_PAUSE_MS;
    }
    return 0;
  }

  schedule(id: string, pauseMs: number): void {
    this.cancel(id);
    if (this.disposed) return;
    // No pause: due now, checked right after the messages already received.
    if (pauseMs <= 0) {
      this.makeDue(id);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.makeDue(id);
    }, pauseMs);
    this.timers.set(id, { cancel: () => clearTimeout(timer) });
  }

  /** Whether a check of `id` is waiting. */
  pending(id: string): boolean {
    return this.timers.has(id) || this.due[0].has(id) || this.due[1].has(id);
  }

  /** Whether a check of a file that `counts` is waiting (paused or due). */
  waiting(counts: (id: string) => boolean): boolean {
    for (const queue of [this.timers.keys(), this.due[0], this.due[1]])
      for (const id of queue) if (counts(id)) return true;
    return false;
  }

  cancel(id: string): void {
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
    this.due[0].delete(id);
    this.due[1].delete(id);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.due[0].clear();
    this.due[1].clear();
    if (this.pump) clearImmediate(this.pump);
    this.pump = undefined;
  }

  private makeDue(id: string): void {
    this.due[this.urgent(id) ? 0 : 1].add(id);
    this.pump ??= setImmediate(() => this.runSlice());
  }

  private next(): string | undefined {
    for (const queue of this.due) {
      for (const id of queue) {
        queue.delete(id);
        return id;
      }
    }
    return undefined;
  }

  /** Runs due checks until the slice is used up; the rest waits for the next turn of the event loop. */
  private runSlice(): void {
    this.pump = undefined;
    this.stats.slices++;
    const sliceStarted = this.now();
    for (let id = this.next(); id !== undefined; id = this.next()) {
      const started = this.now();
      try {
        this.check(id);
      } finally {
        this.stats.checks++;
        const took = this.now() - started;
        this.lastDuration.set(id, took);
        if (this.afterTyping.delete(id))
          this.typingDurations.set(id, [took, ...(this.typingDurations.get(id) ?? []).slice(0, 1)]);
      }
      if (this.now() - sliceStarted >= this.sliceMs) break;
    }
    // setImmediate runs after the event loop has polled for input: messages come first.
    if (!this.disposed && (this.due[0].size || this.due[1].size)) this.pump = setImmediate(() => this.runSlice());
  }
}
