// The first check of a large workspace folder, shared with helper threads
// (workers/parallel-check.ts): the helpers start when the folder's reading starts and read it
// themselves meanwhile; once the server has read it, the server and the helpers take its files
// one at a time from one shared counter. A helper's findings for a file are used only while
// nothing has changed since the reading (the same document, no other file of the folder edited,
// the same severity settings); any other file goes back to the ordinary scheduler, as does every
// file a helper took and did not deliver. So the findings shown are always the ones the server
// would have computed itself.

import type { Diagnostic } from '../analysis/diagnostic';
import type { TsqDocument } from '../model/document';
import { tsqFileBytes } from '../files/load';
import { tsqFileLimit } from '../files/read';
import { HelperTeam, helpersFor } from '../workers/parallel-check';
import { fingerprint } from '../workers/worker-threads';
import type { Job } from './background';
import type { Project } from './projects';
import type { TsqSettings } from './settings';

export interface SharedCheckHost {
  /** Checks `id` in the server, showing what it finds (the ordinary check). */
  check(id: string): void;
  /** Whether the server checks `id` at all (shown, or counted for the workspace's health). */
  checks(id: string): boolean;
  /** The document `id` has now, if the server still holds it. */
  documentOf(id: string): TsqDocument | undefined;
  /** Takes findings a helper computed for the document `doc` of `id`, and shows them. */
  accept(id: string, doc: TsqDocument, list: Diagnostic[]): void;
  /** Leaves `id` to the ordinary scheduler. */
  schedule(id: string): void;
}

export class SharedFirstCheck {
  /** Files of the pass that neither the server nor a helper has checked yet. */
  readonly pending = new Set<string>();
  /** Files in the pass, and how many of them a helper's findings were shown for. */
  files = 0;
  fromHelpers = 0;
  private targets: string[] = [];
  private readonly docs = new Map<string, TsqDocument>();
  private generation = -1;
  private slowestMs = 0;
  private ended = false;

  private constructor(
    readonly project: Project,
    readonly helpers: number,
    private readonly team: HelperTeam,
    private readonly severity: string,
    private readonly host: SharedCheckHost,
  ) {}

  /**
   * Starts helpers for the folder of `project` as its reading starts, when the folder is large
   * enough for them to pay (see `helpersFor`); undefined otherwise.
   */
  static start(project: Project, settings: TsqSettings, host: SharedCheckHost): SharedFirstCheck | undefined {
    const folder = project.folder;
    if (!folder) return undefined;
    const helpers = helpersFor(() => tsqFileBytes([folder]));
    if (helpers === 0) return undefined;
    // The team hears its helpers before the pass exists: they deliver nothing until `begin`.
    const made: { pass?: SharedFirstCheck } = {};
    const team = HelperTeam.start({
      recipe: { kind: 'paths', paths: [folder], check: 'all' },
      severity: settings.diagnostics.severity,
      maxFileBytes: tsqFileLimit().maxBytes,
      helpers,
      onDelivered: (index, list) => made.pass?.delivered(index, list),
    });
    if (!team) return undefined;
    made.pass = new SharedFirstCheck(project, helpers, team, JSON.stringify(settings.diagnostics.severity), host);
    return made.pass;
  }

  /** Whether findings computed with `settings` are still the ones to show. */
  fits(settings: TsqSettings): boolean {
    return JSON.stringify(settings.diagnostics.severity) === this.severity;
  }

  /**
   * The folder is read: lets the helpers compare their reading with the server's and returns the
   * job that checks the server's share (run it in slices). Every file of the folder is in the pass.
   */
  begin(): Job<void> {
    const ws = this.project.ws;
    this.targets = [...ws.all()].map((d) => d.id);
    this.generation = ws.generation;
    for (const id of this.targets) {
      const doc = this.host.documentOf(id);
      if (doc && this.host.checks(id)) {
        this.docs.set(id, doc);
        this.pending.add(id);
      }
    }
    this.files = this.pending.size;
    this.team.publish(fingerprint(ws, this.targets));
    return this.serverShare();
  }

  private *serverShare(): Job<void> {
    for (let i = this.team.claim(); i < this.targets.length && !this.ended; i = this.team.claim()) {
      const id = this.targets[i];
      if (this.pending.delete(id)) {
        const started = performance.now();
        this.host.check(id);
        this.slowestMs = Math.max(this.slowestMs, performance.now() - started);
      }
      yield;
    }
  }

  /**
   * Whether the ordinary check of `id` can wait for this pass (the file is in it, unchanged);
   * otherwise the file leaves the pass and the ordinary check goes ahead.
   */
  covers(id: string): boolean {
    if (!this.pending.has(id)) return false;
    if (this.current(id)) return true;
    this.pending.delete(id);
    return false;
  }

  /** The server's share is checked: waits for the helpers, then leaves what they did not deliver to the scheduler. */
  async finish(): Promise<void> {
    if (this.ended) return;
    await this.team.finish(this.slowestMs);
    this.end();
  }

  /** Stops the pass at once (settings changed, the folder went away, shutdown); its files go to the scheduler. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.team.stop();
    for (const id of this.pending) if (this.host.checks(id)) this.host.schedule(id);
    this.pending.clear();
  }

  private current(id: string): boolean {
    const doc = this.docs.get(id);
    return !!doc && this.host.documentOf(id) === doc && this.project.ws.generation === this.generation;
  }

  private delivered(index: number, list: Diagnostic[]): void {
    const id = this.targets[index];
    if (this.ended || id === undefined || !this.pending.delete(id)) return;
    if (this.current(id)) {
      this.fromHelpers++;
      this.host.accept(id, this.docs.get(id)!, list);
    } else if (this.host.checks(id)) this.host.schedule(id);
  }
}
