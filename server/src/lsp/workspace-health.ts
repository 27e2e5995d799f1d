// The workspace's health: how many errors, warnings and notes the task sequence files of the
// workspace folders have, open or not, and which files have them. Under the default `openFiles`
// scope the Problems panel shows only the open files, so that it stays about the files the admin
// works on; the summary, sent as `tsq/workspaceHealth` whenever it changes (at most every
// HEALTH_PAUSE_MS), lets the editor show a broken repository at a glance all the same.

import type { Diagnostic } from '../analysis/diagnostic';
import { FILES_LISTED, type FileHealth, type WorkspaceHealth } from '../frontend/workspace-health-protocol';
import type { Positions } from './projects';

/** Changes within this pause go out as one summary (a folder of thousands of files is checked in slices). */
export const HEALTH_PAUSE_MS = 100;

const RANK = { error: 0, warning: 1, information: 2, hint: 3 } as const;
const LONGEST_MESSAGE = 200;

export class WorkspaceHealthTracker {
  private readonly files = new Map<string, FileHealth | { uri: string; information: number }>();
  private timer?: NodeJS.Timeout;
  private lastSent?: string;

  constructor(
    private readonly send: (health: WorkspaceHealth) => void,
    /** Whether the summary is wanted (`tsq.diagnostics.workspaceHealth`), whether files are still checked, the scope. */
    private readonly state: () => { enabled: boolean; checking: boolean; scope: WorkspaceHealth['scope'] },
    private readonly pauseMs = HEALTH_PAUSE_MS,
  ) {}

  /** Takes the findings of one file as just computed. */
  record(id: string, uri: string, list: readonly Diagnostic[], positions: Pick<Positions, 'positionAt'>): void {
    let errors = 0;
    let warnings = 0;
    let information = 0;
    let first: Diagnostic | undefined;
    for (const d of list) {
      if (d.severity === 'hint') continue;
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else information++;
      if (
        d.severity !== 'information' &&
        (!first || RANK[d.severity] < RANK[first.severity] || (d.severity === first.severity && d.start < first.start))
      )
        first = d;
    }
    if (!first) {
      this.files.set(id, { uri, information });
    } else {
      const at = positions.positionAt(first.start);
      const line = first.message.split('\n', 1)[0];
      this.files.set(id, {
        uri,
        errors,
        warnings,
        information,
        first: {
          line: at.line,
          character: at.character,
          severity: first.severity as 'error' | 'warning',
          code: first.code,
          message: line.length > LONGEST_MESSAGE ? `${line.slice(0, LONGEST_MESSAGE - 1)}…` : line,
        },
      });
    }
    this.changed();
  }

  /** A file that is gone (deleted, ignored, its folder removed). */
  forget(id: string): void {
    if (this.files.delete(id)) this.changed();
  }

  /** Forgets every file (the check was turned off); nothing more is sent until it is on again. */
  reset(): void {
    this.files.clear();
    this.lastSent = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Something that is not a file's findings changed (a check started or ended): send if the summary
   * differs. The first summary goes at once, so the status bar shows the check under way from the
   * start even when a small workspace is checked within one pause; later ones wait for the pause.
   */
  changed(): void {
    if (this.lastSent === undefined && !this.timer) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.pauseMs);
  }

  dispose(): void {
    this.reset();
  }

  summary(): WorkspaceHealth {
    const { checking, scope } = this.state();
    let errors = 0;
    let warnings = 0;
    let information = 0;
    const withProblems: FileHealth[] = [];
    for (const f of this.files.values()) {
      information += f.information;
      if (!('first' in f)) continue;
      errors += f.errors;
      warnings += f.warnings;
      withProblems.push(f);
    }
    withProblems.sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || (a.uri < b.uri ? -1 : 1));
    return {
      checking,
      checked: this.files.size,
      errors,
      warnings,
      information,
      filesWithProblems: withProblems.length,
      files: withProblems.slice(0, FILES_LISTED),
      scope,
    };
  }

  private flush(): void {
    if (!this.state().enabled) return;
    const health = this.summary();
    const text = JSON.stringify(health);
    if (text === this.lastSent) return;
    this.lastSent = text;
    this.send(health);
  }
}
