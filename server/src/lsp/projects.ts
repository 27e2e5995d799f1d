// The language server's index of tsq files: every *.tsq.yaml of each workspace folder (open or
// not, read from disk and kept current by file watching) and the files open in the editor, whose
// text the editor owns and which are updated incrementally on every keystroke. Each workspace
// folder is a project with its own engine Workspace (its catalogs, machines and child sequences
// apply to its sequences); files outside every folder form one more project, together with the
// tsq files beside them and the child sequences they run. A change to one file names the files
// that depend on it, so that their diagnostics are computed again.

import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { parseDocument, type TsqDocument } from '../model/document';
import { updateDocument, type DocumentUpdate, type StepsChange } from '../model/incremental';
import { walk, type SequenceModel, type SeqNode } from '../model/sequence';
import { isTsqFileName } from '../model/kinds';
import { packageIdOf, Workspace } from '../semantics/workspace';
import { IncrementalAnalysis } from '../analysis/incremental';
import { childCalls, RUN_TASK_SEQUENCE } from '../semantics/children';
import { catalogChange, readsCatalogChange } from '../semantics/catalog-dependants';
import { carriersOf } from '../semantics/deployment-targets';
import type { SiteCatalogModel } from '../model/site-catalog';
import {
  diskStamp,
  excludedFromSearch,
  existsOnDisk,
  findTsqFiles,
  findTsqFilesBelow,
  isFolder,
  loadingChildren,
  readDocumentIfThere,
  safeReaddir,
} from '../files/load';
import { loadFileOnce } from '../files/identity';
import type { IgnoreProblem } from '../files/ignore';
import { tsqFileLimit } from '../files/read';
import { LineMap, type Position } from '../model/text';
import { idToUri, isFileId, uriToId } from './uri';
import { runToEnd, type Job } from './background';

export class Project {
  readonly ws = new Workspace();
  readonly files = new Map<string, FileEntry>();
  /** Reads of the folder in progress: its files are still being found, so checks wait. */
  scanning = 0;
  private readonly key?: string;

  /** `folder` is a normalised path; undefined for the project of files outside every folder. */
  constructor(readonly folder: string | undefined) {
    this.key = folder?.toLowerCase();
  }

  holds(id: string): boolean {
    if (!this.key) return true;
    const k = id.toLowerCase();
    return k === this.key || k.startsWith(this.key.endsWith('/') ? this.key : `${this.key}/`);
  }
}

export interface FileEntry {
  id: string;
  /** The URI the editor uses for the file (or one made from its path). */
  uri: string;
  project: Project;
  doc: TsqDocument;
  /** Set while the file is open in the editor. */
  editor?: TextDocument;
  analysis: IncrementalAnalysis;
  /** Ids of the child sequences this file runs, for working out who depends on whom. */
  calls: string[];
}

/** Converts offsets of a file's current text to editor positions and back. */
export interface Positions {
  readonly lineCount: number;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

/** The size cap for tsq files in force (the `tsq.files.maxSizeMB` setting), for text from the editor too. */
function maxBytes(): number {
  return tsqFileLimit().maxBytes;
}

export class FileIndex {
  private readonly folders: Project[] = [];
  private readonly outside = new Project(undefined);
  /** The dependants of the last change that need only their catalog readers run again (see `change`). */
  private catalogReaders = new Set<FileEntry>();
  /**
   * How each file stood on disk when its document was read from it (files/load.ts `diskStamp`):
   * a file can be read half written (a folder read racing a tool that writes in place), and the
   * write's file event may still be on its way, or never come when the write ended before the
   * client's watcher started.
   */
  private readonly stamps = new WeakMap<TsqDocument, string>();

  /** Hears what a `.tsqignore` held that a folder search could not use. */
  constructor(private readonly onIgnoreProblem: (problem: IgnoreProblem) => void = () => {}) {}

  /**
   * Adds a workspace folder. Its tsq files are read by the returned job, a file at a time (the
   * server runs it in slices and keeps answering); the job's result is the files read. Until the
   * job ends the project is `scanning`, and checks of its files wait for it.
   */
  addFolder(folderUri: string): Job<FileEntry[]> | undefined {
    const folder = uriToId(folderUri);
    if (!isFileId(folder) || this.folders.some((p) => p.folder === folder)) return undefined;
    const project = new Project(folder);
    this.folders.push(project);
    this.folders.sort((a, b) => b.folder!.length - a.folder!.length);
    // Files read earlier as context of an outside file now belong to this folder.
    for (const e of [...this.outside.files.values()]) if (project.holds(e.id)) this.move(e, project);
    return this.scan(project);
  }

  /** Forgets a workspace folder; returns the files it held (open ones move to the outside project). */
  removeFolder(folderUri: string): FileEntry[] {
    const folder = uriToId(folderUri);
    const i = this.folders.findIndex((p) => p.folder === folder);
    if (i < 0) return [];
    const [project] = this.folders.splice(i, 1);
    const gone = [...project.files.values()];
    for (const e of gone) {
      if (e.editor) this.move(e, this.outside);
      else project.ws.remove(e.id);
    }
    return gone;
  }

  /** Reads a folder's files again from disk (after a `.tsqignore` change); the job's result is every file touched. */
  *rescan(project: Project): Job<FileEntry[]> {
    if (!project.folder) return [];
    const touched: FileEntry[] = [];
    for (const e of [...project.files.values()]) {
      if (e.editor) continue;
      project.files.delete(e.id);
      project.ws.remove(e.id);
      touched.push(e);
    }
    return [...touched, ...(yield* this.scan(project))];
  }

  /**
   * Reads again, under a new size cap, what no folder reading covers: the files outside every
   * folder that are not open (from disk) and every open file (from the editor's text). The
   * folders' files are read again by `rescan`, a job of their own. Returns every file touched.
   */
  rereadOpenAndOutside(): FileEntry[] {
    const touched: FileEntry[] = [];
    for (const e of [...this.outside.files.values()]) {
      if (e.editor) continue;
      const doc = this.read(e.id);
      if (!doc) {
        this.drop(e);
        continue;
      }
      e.doc = doc;
      e.project.ws.upsert(doc);
      touched.push(e);
    }
    for (const e of this.all()) {
      if (!e.editor) continue;
      e.doc = parseDocument(e.id, e.editor.getText(), e.editor.version, maxBytes());
      e.project.ws.upsert(e.doc);
      touched.push(e);
    }
    for (const p of this.projects) this.refreshCalls(p);
    for (const e of touched) e.analysis.invalidate();
    return [...new Set(touched)];
  }

  /**
   * The files read from disk (not open) that are still there but were written since they were
   * read: what the file watcher cannot report when the write ended before it was registered.
   * Files gone are left to the events of whatever moved or deleted them (an editor's rename
   * tells the new name too, which a deletion seen here would not).
   */
  writtenSinceReading(): FileEntry[] {
    return this.all().filter((e) => this.writtenSinceRead(e, 'still there'));
  }

  get projects(): readonly Project[] {
    return [...this.folders, this.outside];
  }

  get(uriOrId: string): FileEntry | undefined {
    const id = uriToId(uriOrId);
    return this.projectFor(id).files.get(id) ?? this.findAnywhere(id);
  }

  /** The project a file or folder belongs to (known or not yet): its own, else the folder's that holds it, else the outside one. */
  projectOf(uriOrId: string): Project {
    const id = uriToId(uriOrId);
    return this.get(id)?.project ?? this.projectFor(id);
  }

  all(): FileEntry[] {
    return this.projects.flatMap((p) => [...p.files.values()]);
  }

  /** The entry of a document id in the project `from` belongs to (for cross-file answers). */
  entryOf(id: string, from: Project): FileEntry | undefined {
    return from.files.get(id) ?? this.get(id);
  }

  uriOf(id: string): string {
    return this.get(id)?.uri ?? idToUri(id);
  }

  positions(entry: FileEntry): Positions {
    if (entry.editor) return entry.editor;
    const map: LineMap = entry.doc.lineMap;
    return map;
  }

  /**
   * A file opened in the editor. Returns the entry and the files that depend on it. A file the
   * folder search passes over (`.tsqignore`) is checked like a file outside every folder: with
   * the files beside it, as `tsq lint` checks a file named on its command line.
   */
  open(uri: string, version: number, text: string): { entry: FileEntry; dependents: FileEntry[] } {
    const id = uriToId(uri);
    const inFolder = this.projectFor(id);
    const project =
      inFolder.folder && !inFolder.files.has(id) && isFileId(id) && excludedFromSearch(inFolder.folder, id)
        ? this.outside
        : inFolder;
    const existing = project.files.get(id);
    const editor = TextDocument.create(uri, 'tasksequence', version, text);
    if (existing) {
      existing.uri = uri;
      existing.editor = editor;
      const before = existing.doc;
      if (before.text === text) {
        before.version = version;
        return { entry: existing, dependents: [] };
      }
      return { entry: existing, dependents: this.swapText(existing, text, version) };
    }
    const entry: FileEntry = {
      id,
      uri,
      project,
      doc: parseDocument(id, text, version, maxBytes()),
      editor,
      analysis: new IncrementalAnalysis(),
      calls: [],
    };
    this.insert(entry);
    if (project === this.outside && isFileId(id)) this.loadContext(id);
    // A file of a folder that the index does not know is new on disk, and what came with it (the
    // catalog an import writes beside its sequence) may not have been reported yet: read it now,
    // and read again what the index read of it before the writing was done.
    else if (project.folder && isFileId(id)) this.readSiblingsAsOnDisk(project, id);
    return { entry, dependents: this.dependents(entry, undefined, entry.doc, true) };
  }

  /**
   * Applies the editor's changes one by one, each as an incremental update where possible. The
   * editor's text and the document always move together: should an update fail, the document is
   * read again in full from the editor's text (and the failure is passed on to be logged).
   */
  change(
    uri: string,
    version: number,
    changes: readonly TextDocumentContentChangeEvent[],
  ): { entry: FileEntry; dependents: FileEntry[]; catalogReaders: ReadonlySet<FileEntry> } | undefined {
    const entry = this.get(uri);
    if (!entry?.editor) return undefined;
    const editor = entry.editor;
    const before = entry.doc;
    const ws = entry.project.ws;
    let doc = before;
    let callsMayChange = false;
    const links = ws.linksRevision;
    try {
      for (const c of changes) {
        const previous = doc;
        let change: StepsChange | undefined;
        const range = 'range' in c ? c.range : undefined;
        if (range) {
          // The editor's text takes a range given end first from its end to its start; so does the update.
          const a = editor.offsetAt(range.start);
          const b = editor.offsetAt(range.end);
          TextDocument.update(editor, [{ range, text: c.text }], version);
          const update = updateDocument(
            doc,
            { start: Math.min(a, b), end: Math.max(a, b), text: c.text },
            editor.getText(),
            version,
            maxBytes(),
          );
          doc = update.doc;
          change = update.change;
        } else {
          TextDocument.update(editor, [{ text: c.text }], version);
          doc = parseDocument(entry.id, editor.getText(), version, maxBytes());
        }
        if (!change || runsChildren(change.oldNode) || runsChildren(change.node)) callsMayChange = true;
        ws.upsert(doc, { previous, change });
        entry.analysis.update(ws, doc, { previous, change });
      }
    } catch (e) {
      entry.doc = parseDocument(entry.id, editor.getText(), version, maxBytes());
      ws.upsert(entry.doc);
      entry.analysis.invalidate();
      this.refreshCalls(entry.project);
      throw e;
    }
    entry.doc = doc;
    // Every reference and variable write as it was (semantics/link-fingerprint.ts): the files this
    // one runs read nothing else of it, so only the files that run it (and theirs) are checked again.
    const dependents =
      ws.linksRevision === links && doc.kind === 'sequence' && before.kind === 'sequence'
        ? withCarriers(entry, this.runners(entry))
        : this.dependents(entry, before, doc, false, callsMayChange);
    return { entry, dependents, catalogReaders: this.catalogReaders };
  }

  /** A file closed in the editor: its text on disk counts again (or it is gone, if it has none). */
  close(uri: string): { entry: FileEntry; dependents: FileEntry[] } | undefined {
    const entry = this.get(uri);
    if (!entry?.editor) return undefined;
    entry.editor = undefined;
    const before = entry.doc;
    const fromDisk = isFileId(entry.id) ? this.read(entry.id) : undefined;
    if (!fromDisk) {
      entry.analysis.invalidate();
      return { entry, dependents: this.drop(entry) };
    }
    // The same text: what the editor's check knew of it stays true (no other file changed).
    if (fromDisk.text === before.text) {
      this.restamp(entry.doc, fromDisk);
      return { entry, dependents: [] };
    }
    if (fromDisk.refused) {
      entry.doc = fromDisk;
      this.restamp(entry.doc, fromDisk);
      return { entry, dependents: this.replace(entry, before, true) };
    }
    const dependents = this.swapText(entry, fromDisk.text, 0);
    this.restamp(entry.doc, fromDisk);
    return { entry, dependents };
  }

  /** A file changed on disk (file watching). Open files are the editor's and are left alone. */
  diskChanged(uri: string, deleted: boolean): { entry?: FileEntry; dependents: FileEntry[] } {
    const id = uriToId(uri);
    if (!isFileId(id) || !isTsqFileName(id)) return { dependents: [] };
    const entry = this.get(id);
    if (entry?.editor) return { entry, dependents: [] };
    if (deleted) return entry ? { entry, dependents: this.drop(entry) } : { dependents: [] };
    const doc = this.read(id);
    if (!doc) return entry ? { entry, dependents: this.drop(entry) } : { dependents: [] };
    if (entry) {
      // The same file can be reported twice (file watching and the editor's own file operations).
      if (doc.text === entry.doc.text && !doc.refused && !entry.doc.refused) return { entry, dependents: [] };
      const before = entry.doc;
      entry.doc = doc;
      entry.analysis.invalidate();
      return { entry, dependents: this.replace(entry, before, true) };
    }
    const project = this.projectFor(id);
    if (!project.folder || excludedFromSearch(project.folder, id)) return { dependents: [] };
    const fresh: FileEntry = { id, uri: idToUri(id), project, doc, analysis: new IncrementalAnalysis(), calls: [] };
    this.insert(fresh);
    return { entry: fresh, dependents: this.dependents(fresh, undefined, doc, true) };
  }

  /**
   * Something that is not a tsq file appeared on disk. A folder (made, copied or moved in, as an
   * import moves its finished folder into place) brings the tsq files inside it, whose own events
   * never come: they are read as a folder search would find them. Returns the files read and the
   * files that depend on them.
   */
  pathAppeared(uri: string): { added: FileEntry[]; dependents: FileEntry[] } {
    const id = uriToId(uri);
    const project = this.projectFor(id);
    if (!project.folder || !isFileId(id) || !isFolder(id)) return { added: [], dependents: [] };
    const added: FileEntry[] = [];
    for (const file of findTsqFilesBelow(project.folder, id, this.onIgnoreProblem)) {
      const fileId = uriToId(idToUri(file));
      if (project.files.has(fileId)) continue;
      // A second path to a file read already (a hard link) is that file, not a copy of it.
      const doc = this.readOnce(project, fileId);
      if (!doc) continue;
      const entry: FileEntry = {
        id: fileId,
        uri: idToUri(fileId),
        project,
        doc,
        analysis: new IncrementalAnalysis(),
        calls: [],
      };
      project.files.set(fileId, entry);
      added.push(entry);
    }
    if (added.length === 0) return { added, dependents: [] };
    this.refreshCalls(project);
    return { added, dependents: [...project.files.values()].filter((e) => !added.includes(e)) };
  }

  /**
   * Something that is not a tsq file went from disk: when it was a folder (deleted, or renamed or
   * moved away), the files read from inside it go with it, except those open in the editor.
   * Returns the files dropped and the files that depended on them.
   */
  pathGone(uri: string): { gone: FileEntry[]; dependents: FileEntry[] } {
    const id = uriToId(uri);
    if (!isFileId(id)) return { gone: [], dependents: [] };
    const prefix = `${id.toLowerCase()}/`;
    const gone: FileEntry[] = [];
    for (const project of this.projects) {
      for (const e of [...project.files.values()]) {
        if (e.editor || !e.id.toLowerCase().startsWith(prefix) || existsOnDisk(e.id)) continue;
        project.files.delete(e.id);
        project.ws.remove(e.id);
        gone.push(e);
      }
    }
    if (gone.length === 0) return { gone, dependents: [] };
    const projects = new Set(gone.map((e) => e.project));
    for (const p of projects) this.refreshCalls(p);
    return { gone, dependents: [...projects].flatMap((p) => [...p.files.values()]) };
  }

  // ---------------------------------------------------------------- internals

  private projectFor(id: string): Project {
    return this.folders.find((p) => p.holds(id)) ?? this.outside;
  }

  private findAnywhere(id: string): FileEntry | undefined {
    for (const p of this.projects) {
      const e = p.files.get(id);
      if (e) return e;
    }
    return undefined;
  }

  /** Reads the folder's files, one per step of the job; the project is `scanning` meanwhile. */
  private *scan(project: Project): Job<FileEntry[]> {
    project.scanning++;
    try {
      const added: FileEntry[] = [];
      for (const file of findTsqFiles(project.folder!, this.onIgnoreProblem)) {
        yield;
        // The folder was removed from the workspace meanwhile: nothing more to read.
        if (!this.folders.includes(project)) return added;
        const id = uriToId(idToUri(file));
        if (project.files.has(id)) continue;
        // A second path to a file read already (a hard link) is that file, not a copy of it.
        const doc = this.readOnce(project, id);
        if (!doc) continue;
        const entry: FileEntry = { id, uri: idToUri(id), project, doc, analysis: new IncrementalAnalysis(), calls: [] };
        project.files.set(id, entry);
        added.push(entry);
      }
      added.push(...(yield* this.adoptChildren(project)));
      this.refreshCalls(project);
      return added;
    } finally {
      project.scanning--;
    }
  }

  /** Tsq files beside a file opened outside every folder, and the children they run. */
  private loadContext(id: string): void {
    const dir = path.posix.dirname(id);
    for (const name of safeReaddir(dir)) {
      if (!isTsqFileName(name)) continue;
      const sibling = `${dir}/${name}`;
      if (this.outside.files.has(sibling)) continue;
      const doc = this.readOnce(this.outside, sibling);
      if (!doc) continue;
      this.outside.files.set(sibling, {
        id: sibling,
        uri: idToUri(sibling),
        project: this.outside,
        doc,
        analysis: new IncrementalAnalysis(),
        calls: [],
      });
    }
    runToEnd(this.adoptChildren(this.outside));
    this.refreshCalls(this.outside);
  }

  /**
   * Tsq files beside `id` in a folder project as they are on disk now: those the index has not
   * read yet, and those it read that were written since (read half written, say, while the
   * folder was first read), whose file events may not have come yet.
   */
  private readSiblingsAsOnDisk(project: Project, id: string): void {
    const dir = path.posix.dirname(id);
    let added = false;
    for (const name of safeReaddir(dir)) {
      if (!isTsqFileName(name)) continue;
      const sibling = `${dir}/${name}`;
      const known = project.files.get(sibling);
      if (known) {
        if (this.writtenSinceRead(known)) added = this.readAgain(known) || added;
        continue;
      }
      if (excludedFromSearch(project.folder!, sibling)) continue;
      const doc = this.readOnce(project, sibling);
      if (!doc) continue;
      project.files.set(sibling, {
        id: sibling,
        uri: idToUri(sibling),
        project,
        doc,
        analysis: new IncrementalAnalysis(),
        calls: [],
      });
      added = true;
    }
    if (added) this.refreshCalls(project);
  }

  /** Child sequence files (also outside the folder) that the project's sequences run. */
  private *adoptChildren(project: Project): Job<FileEntry[]> {
    yield* loadingChildren(project.ws);
    const added: FileEntry[] = [];
    for (const doc of project.ws.all()) {
      if (project.files.has(doc.id)) continue;
      const entry: FileEntry = {
        id: doc.id,
        uri: idToUri(doc.id),
        project,
        doc,
        analysis: new IncrementalAnalysis(),
        calls: [],
      };
      project.files.set(doc.id, entry);
      added.push(entry);
    }
    return added;
  }

  /**
   * Reads `id` into the project's workspace, unless it holds that file already (under any path);
   * undefined when it is another path of a file held, or gone.
   */
  private readOnce(project: Project, id: string): TsqDocument | undefined {
    const found = loadFileOnce(project.ws, id, (file) => this.read(file));
    if (!found) return undefined;
    return found.loaded ?? (found.id === id ? project.ws.get(id) : undefined);
  }

  /** The document of the file on disk, stamped with how the file stood just before it was read. */
  private read(id: string): TsqDocument | undefined {
    const stamp = diskStamp(id);
    const doc = readDocumentIfThere(id);
    if (doc && stamp !== undefined) this.stamps.set(doc, stamp);
    return doc;
  }

  /** `doc` holds the text of `read` (a document made from it): it carries the same stamp. */
  private restamp(doc: TsqDocument, read: TsqDocument): void {
    const stamp = this.stamps.get(read);
    if (stamp !== undefined) this.stamps.set(doc, stamp);
  }

  /**
   * Whether the file of `entry`, as read from disk, was written since: its stamp is another now
   * (with 'still there', only when the file is there to read: one stat either way).
   */
  private writtenSinceRead(entry: FileEntry, only?: 'still there'): boolean {
    if (entry.editor) return false;
    const stamp = this.stamps.get(entry.doc);
    if (stamp === undefined) return false;
    const now = diskStamp(entry.id);
    return now !== stamp && (now !== undefined || only !== 'still there');
  }

  /** Reads `entry`'s file again (it is not open); false when it is gone, which its own event will tell. */
  private readAgain(entry: FileEntry): boolean {
    const doc = this.read(entry.id);
    if (!doc) return false;
    entry.doc = doc;
    entry.project.ws.upsert(doc);
    entry.analysis.invalidate();
    return true;
  }

  private insert(entry: FileEntry): void {
    entry.project.files.set(entry.id, entry);
    entry.project.ws.upsert(entry.doc);
  }

  private move(entry: FileEntry, to: Project): void {
    entry.project.files.delete(entry.id);
    entry.project.ws.remove(entry.id);
    entry.project = to;
    entry.analysis.invalidate();
    this.insert(entry);
  }

  private drop(entry: FileEntry): FileEntry[] {
    entry.project.files.delete(entry.id);
    entry.project.ws.remove(entry.id);
    const others = [...entry.project.files.values()];
    this.refreshCalls(entry.project);
    return others;
  }

  /**
   * Gives `entry` (a sequence open in the editor, or just closed) the text `text` that the editor
   * or the disk holds instead of its own, as one edit of its document (`changedTo`), and carries
   * what its check knew through that edit as a keystroke's is carried: a file opened with a few
   * lines other than those read from disk (or closed again) then re-checks only the entries that
   * changed, not all of it a second time (docs/performance.md, "The editor's open and keystroke,
   * sixth pass"). Says who depends on the change, as `change` does.
   */
  private swapText(entry: FileEntry, text: string, version: number): FileEntry[] {
    const before = entry.doc;
    const ws = entry.project.ws;
    const links = ws.linksRevision;
    const { doc, change } = changedTo(before, text, version);
    entry.doc = doc;
    ws.upsert(doc, { previous: before, change });
    entry.analysis.update(ws, doc, { previous: before, change });
    if (change && ws.linksRevision === links && doc.kind === 'sequence' && before.kind === 'sequence')
      return withCarriers(entry, this.runners(entry));
    return this.dependents(entry, before, doc, false);
  }

  /** Puts a changed document in place and says who depends on it. */
  private replace(entry: FileEntry, before: TsqDocument, changed: boolean): FileEntry[] {
    entry.project.ws.upsert(entry.doc);
    if (!changed) return [];
    entry.analysis.invalidate();
    return this.dependents(entry, before, entry.doc, false);
  }

  private refreshCalls(project: Project): void {
    for (const e of project.files.values()) e.calls = callsOf(e);
  }

  /**
   * Files whose diagnostics may change because `entry` went from `before` to `after`: every
   * other file of the project when a file appears or goes, changes kind or package ID, or is not
   * a sequence (machines, ...); for an edited catalog, the files that read what the edit changed
   * (semantics/catalog-dependants.ts); otherwise the sequences linked to it by child calls
   * (parents follow their children’s steps; children inherit their parents’ variables) and the
   * deployments and media that carry it.
   */
  private dependents(
    entry: FileEntry,
    before: TsqDocument | undefined,
    after: TsqDocument,
    appeared: boolean,
    callsMayChange = true,
  ): FileEntry[] {
    const project = entry.project;
    const others = [...project.files.values()].filter((e) => e !== entry);
    const wasCalled = new Set(entry.calls);
    this.catalogReaders = new Set();
    if (!appeared && before?.kind === 'catalog' && after.kind === 'catalog') {
      const change = catalogChange(
        before.model as SiteCatalogModel | undefined,
        after.model as SiteCatalogModel | undefined,
      );
      if (!change.everything) {
        const touched = others.filter((e) => readsCatalogChange(project.ws, e.doc, change));
        // Sequences read catalogs only through their catalog rules: the rest of what is known stays.
        for (const e of touched) {
          if (e.doc.kind !== 'sequence') continue;
          e.analysis.catalogChanged();
          this.catalogReaders.add(e);
        }
        return touched;
      }
    }
    if (
      appeared ||
      before?.kind !== 'sequence' ||
      after.kind !== 'sequence' ||
      packageIdOf(before) !== packageIdOf(after)
    ) {
      this.refreshCalls(project);
      return others;
    }
    if (callsMayChange) entry.calls = callsOf(entry);
    const linked = new Set<FileEntry>();
    const callers = callersIn(project);
    for (const id of [...wasCalled, ...entry.calls]) {
      const e = project.files.get(id);
      if (e && !linked.has(e)) for (const x of this.component(e, callers)) linked.add(x);
    }
    if (!linked.has(entry)) for (const x of this.component(entry, callers)) linked.add(x);
    linked.delete(entry);
    return withCarriers(entry, [...linked]);
  }

  /**
   * The files that run `entry`, directly or through other sequences (each once): they follow its
   * steps (where each runs, what each references), which an edit that kept its links still changes.
   */
  private runners(entry: FileEntry): FileEntry[] {
    this.catalogReaders = new Set();
    return this.component(entry, callersIn(entry.project), 'callers').filter((e) => e !== entry);
  }

  /**
   * Files connected to `start` through child calls, `start` first: in either direction, or with
   * `'callers'` only up through the files that run it (each file and call looked at once).
   */
  private component(
    start: FileEntry,
    callers: Map<string, FileEntry[]>,
    direction: 'both' | 'callers' = 'both',
  ): FileEntry[] {
    const files = start.project.files;
    const seen = new Set<FileEntry>([start]);
    const queue = [start];
    while (queue.length) {
      const e = queue.pop()!;
      if (direction === 'both')
        for (const id of e.calls) {
          const child = files.get(id);
          if (child && !seen.has(child)) {
            seen.add(child);
            queue.push(child);
          }
        }
      for (const parent of callers.get(e.id) ?? []) {
        if (!seen.has(parent)) {
          seen.add(parent);
          queue.push(parent);
        }
      }
    }
    return [...seen];
  }
}

/** For each file id, the files of the project whose calls name it. */
function callersIn(project: Project): Map<string, FileEntry[]> {
  const out = new Map<string, FileEntry[]>();
  for (const e of project.files.values()) {
    for (const id of e.calls) {
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push(e);
    }
  }
  return out;
}

function callsOf(entry: FileEntry): string[] {
  if (entry.doc.kind !== 'sequence' || !entry.doc.model) return [];
  const ids = new Set<string>();
  for (const c of childCalls(entry.project.ws, entry.id, entry.doc.model as SequenceModel))
    if (c.target.doc) ids.add(c.target.doc.id);
  return [...ids];
}

/**
 * `files` and the deployments and media that carry `entry`'s sequence, itself or through the
 * sequences that run it: their rules read its steps (deploy-broken-sequence, standalone-media), so
 * an edit of a child shows on the media that carries its parent.
 */
function withCarriers(entry: FileEntry, files: FileEntry[]): FileEntry[] {
  const carriers = carriersOf(entry.project.ws, entry.id);
  if (carriers.length === 0) return files;
  const out = new Set(files);
  for (const c of carriers) {
    const e = entry.project.files.get(c.doc.id);
    if (e && e !== entry) out.add(e);
  }
  return [...out];
}

function runsChildren(node: SeqNode | undefined): boolean {
  if (!node) return false;
  for (const n of walk([node])) if (n.kind === 'step' && n.action === RUN_TASK_SEQUENCE) return true;
  return false;
}

/**
 * The document of `text`, made from `doc` by the one edit between them (their common start and
 * end kept) — incremental where possible, so that opening a file that differs a little from the
 * one read from disk (or closing it again) does not read it all anew. `doc` is consumed.
 */
function changedTo(doc: TsqDocument, text: string, version: number): DocumentUpdate {
  const old = doc.text;
  let start = 0;
  const max = Math.min(old.length, text.length);
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && old.charCodeAt(old.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
  return updateDocument(
    doc,
    { start, end: old.length - end, text: text.slice(start, text.length - end) },
    text,
    version,
    maxBytes(),
  );
}
