// Go to definition, find references and rename, across every file of the project: a reference ID
// leads to its catalog entry and back to every step that uses it; a child sequence path leads to
// the file and back to the steps that run it; a `%Var%` leads to where the variable is set and
// to every read and write; step ids lead to the machine outcomes that address them. Variables and
// step ids can be renamed everywhere at once.

import type { CancellationToken, Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { SequenceModel } from '../model/sequence';
import type { MachineModel } from '../model/machine';
import type { DeploymentModel } from '../model/deployment';
import type { MediaModel } from '../model/media';
import type { Span } from '../model/text';
import type { ReferenceKind } from '../catalog';
import { findVariable, VARIABLE_NAME } from '../catalog';
import { siteReferences } from '../semantics/references';
import { childCalls } from '../semantics/children';
import { variableReads, variableWrites } from '../semantics/variable-flow';
import { walk } from '../model/sequence';
import { stepsNamed, targetAt, type Target } from './targets';
import type { FileEntry, FileIndex } from './projects';

function location(index: FileIndex, entry: FileEntry, span: Span): Location {
  const at = index.positions(entry);
  return { uri: entry.uri, range: { start: at.positionAt(span.start), end: at.positionAt(span.end) } };
}

/** The part of `span` that holds `name` (inside quotes or percent signs). */
function nameWithin(entry: FileEntry, span: Span, name: string): Span {
  const i = entry.doc.text.slice(span.start, span.end).toLowerCase().indexOf(name.toLowerCase());
  return i < 0 ? span : { start: span.start + i, end: span.start + i + name.length };
}

export function definition(index: FileIndex, entry: FileEntry, offset: number): Location[] | null {
  const t = targetAt(entry, offset);
  if (!t) return null;
  const project = entry.project;
  switch (t.kind) {
    case 'variable': {
      const out = variableUses(entry, t.name)
        .filter((u) => u.write)
        .map((u) => location(index, u.entry, nameWithin(u.entry, u.span, t.name)));
      return out.length ? out : null;
    }
    case 'reference': {
      const e = project.ws.catalog.lookup(t.ref, t.id);
      const owner = e && project.ws.catalog.docOf(e);
      const file = owner && index.entryOf(owner.id, project);
      return e && file ? [location(index, file, e.idSpan)] : null;
    }
    case 'collection-ref': {
      const c = project.ws.catalog.collection(t.id);
      const owner = c && project.ws.catalog.catalogs.find((x) => x.model.collections.includes(c));
      const file = owner && index.entryOf(owner.doc.id, project);
      return c && file ? [location(index, file, c.idSpan)] : null;
    }
    case 'child': {
      const file = t.target.doc && index.entryOf(t.target.doc.id, project);
      return file ? [location(index, file, { start: 0, end: 0 })] : null;
    }
    case 'outcome': {
      const out: Location[] = [];
      for (const e of project.files.values()) {
        if (e.doc.kind !== 'sequence') continue;
        for (const n of stepsNamed(e.doc, t.name))
          out.push(location(index, e, n.id?.value === t.name ? n.id.span : n.nameSpan));
      }
      return out.length ? out : null;
    }
    case 'catalog-entry':
    case 'step-id':
      return [location(index, entry, t)];
    default:
      return null;
  }
}

interface VariableUse {
  entry: FileEntry;
  span: Span;
  write: boolean;
}

/** Every read and write of a variable (names compare without case) in the project. */
function variableUses(from: FileEntry, name: string): VariableUse[] {
  const key = name.toLowerCase();
  const out: VariableUse[] = [];
  for (const entry of from.project.files.values()) {
    for (const w of variableWrites(entry.doc))
      if (w.name.toLowerCase() === key) out.push({ entry, span: w, write: true });
    for (const r of variableReads(entry.doc))
      if (r.name.toLowerCase() === key) out.push({ entry, span: r, write: false });
  }
  return out;
}

/** Steps (and boot images of sequences and media) that use site content `kind`/`id`. */
function contentUses(from: FileEntry, kind: ReferenceKind, id: string): { entry: FileEntry; span: Span }[] {
  const key = id.trim().toUpperCase();
  const out: { entry: FileEntry; span: Span }[] = [];
  for (const entry of from.project.files.values()) {
    const doc = entry.doc;
    if (doc.kind === 'sequence' && doc.model) {
      for (const r of siteReferences(doc.model as SequenceModel))
        if (r.kind === kind && r.id.toUpperCase() === key) out.push({ entry, span: r.span });
    } else if (doc.kind === 'media' && kind === 'bootImage') {
      const b = (doc.model as MediaModel | undefined)?.bootImage;
      if (b && b.value.trim().toUpperCase() === key) out.push({ entry, span: b.span });
    }
  }
  return out;
}

export function references(
  index: FileIndex,
  entry: FileEntry,
  offset: number,
  includeDeclaration: boolean,
  token?: CancellationToken,
): Location[] | null {
  const t = targetAt(entry, offset);
  if (!t) return null;
  const project = entry.project;
  const out: Location[] = [];
  switch (t.kind) {
    case 'variable':
      for (const u of variableUses(entry, t.name))
        if (includeDeclaration || !u.write) out.push(location(index, u.entry, nameWithin(u.entry, u.span, t.name)));
      break;
    case 'reference':
    case 'catalog-entry': {
      const kind = t.kind === 'reference' ? t.ref : t.entry.kind;
      const id = t.kind === 'reference' ? t.id : t.entry.id;
      for (const u of contentUses(entry, kind, id)) out.push(location(index, u.entry, u.span));
      if (includeDeclaration) {
        const e = project.ws.catalog.lookup(kind, id);
        const owner = e && project.ws.catalog.docOf(e);
        const file = owner && index.entryOf(owner.id, project);
        if (e && file) out.unshift(location(index, file, e.idSpan));
      }
      break;
    }
    case 'child': {
      const target = t.target.doc;
      if (!target) return null;
      for (const e of project.files.values()) {
        if (token?.isCancellationRequested) return null;
        if (e.doc.kind === 'sequence' && e.doc.model) {
          for (const c of childCalls(project.ws, e.id, e.doc.model as SequenceModel))
            if (c.target.doc?.id === target.id) out.push(location(index, e, { start: c.refStart, end: c.refEnd }));
        } else if ((e.doc.kind === 'deployment' || e.doc.kind === 'media') && e.doc.model) {
          const ref = (e.doc.model as DeploymentModel | MediaModel).sequence;
          if (ref && project.ws.resolveChild(e.id, ref.value.trim()).doc?.id === target.id)
            out.push(location(index, e, ref.span));
        }
      }
      const file = index.entryOf(target.id, project);
      if (includeDeclaration && file) out.unshift(location(index, file, { start: 0, end: 0 }));
      break;
    }
    case 'step-id':
    case 'outcome': {
      const id = t.kind === 'step-id' ? t.id : t.name;
      for (const e of project.files.values()) {
        if (e.doc.kind === 'machine' && e.doc.model)
          for (const o of (e.doc.model as MachineModel).outcomes)
            if (o.target === id) out.push(location(index, e, o.targetSpan));
        if (includeDeclaration && e.doc.kind === 'sequence')
          for (const n of stepsNamed(e.doc, id)) if (n.id?.value === id) out.unshift(location(index, e, n.id.span));
      }
      break;
    }
    case 'collection':
    case 'collection-ref': {
      const id = (t.kind === 'collection' ? t.collection.id : t.id).toUpperCase();
      for (const e of project.files.values()) {
        const c = e.doc.kind === 'deployment' ? (e.doc.model as DeploymentModel | undefined)?.collection : undefined;
        if (c && c.value.trim().toUpperCase() === id) out.push(location(index, e, c.span));
      }
      const decl = project.ws.catalog.collection(id);
      const owner = decl && project.ws.catalog.catalogs.find((x) => x.model.collections.includes(decl));
      const file = owner && index.entryOf(owner.doc.id, project);
      if (includeDeclaration && decl && file) out.unshift(location(index, file, decl.idSpan));
      break;
    }
    default:
      return null;
  }
  return out;
}

const STEP_ID = /^[A-Za-z0-9_.-]+$/;

/** The range to rename and its current text, or why nothing can be renamed here. */
export function prepareRename(
  index: FileIndex,
  entry: FileEntry,
  offset: number,
): { range: Range; placeholder: string } | string {
  const t = targetAt(entry, offset);
  const refusal = renameRefusal(t);
  if (refusal) return refusal;
  const at = index.positions(entry);
  const span =
    t!.kind === 'variable' ? t!.nameSpan : nameWithin(entry, t!, (t as Extract<Target, { kind: 'step-id' }>).id);
  const placeholder =
    t!.kind === 'variable'
      ? entry.doc.text.slice(span.start, span.end)
      : (t as Extract<Target, { kind: 'step-id' }>).id;
  return { range: { start: at.positionAt(span.start), end: at.positionAt(span.end) }, placeholder };
}

function renameRefusal(t: Target | undefined): string | undefined {
  if (!t || (t.kind !== 'variable' && t.kind !== 'step-id'))
    return 'Only task sequence variables and step ids can be renamed.';
  if (t.kind === 'variable') {
    const builtIn = findVariable(t.name);
    if (builtIn) return `\`${builtIn.name}\` is a built-in variable; its name is fixed.`;
    if (t.name.startsWith('_')) return `\`${t.name}\` is reserved for the task sequence engine.`;
  }
  return undefined;
}

export function rename(index: FileIndex, entry: FileEntry, offset: number, newName: string): WorkspaceEdit | string {
  const t = targetAt(entry, offset);
  const refusal = renameRefusal(t);
  if (refusal) return refusal;
  const changes: Record<string, TextEdit[]> = {};
  const edit = (e: FileEntry, span: Span) => {
    const at = index.positions(e);
    (changes[e.uri] ??= []).push({
      range: { start: at.positionAt(span.start), end: at.positionAt(span.end) },
      newText: newName,
    });
  };
  if (t!.kind === 'variable') {
    if (!VARIABLE_NAME.test(newName) || newName.startsWith('_'))
      return `\`${newName}\` is not a name a variable can have: use letters, digits, \`_\` and \`-\`, not starting with \`_\`.`;
    for (const u of variableUses(entry, t!.name)) edit(u.entry, nameWithin(u.entry, u.span, t!.name));
    return { changes };
  }
  const id = (t as Extract<Target, { kind: 'step-id' }>).id;
  if (!STEP_ID.test(newName)) return `\`${newName}\` is not an id: use letters, digits, \`_\`, \`-\` and \`.\`.`;
  const model = entry.doc.model as SequenceModel;
  for (const n of walk(model.steps))
    if (n.id?.value === newName) return `The id \`${newName}\` is already used by “${n.name}” in this file.`;
  edit(entry, nameWithin(entry, t!, id));
  for (const e of entry.project.files.values()) {
    if (e.doc.kind === 'machine' && e.doc.model)
      for (const o of (e.doc.model as MachineModel).outcomes)
        if (o.target === id) edit(e, nameWithin(e, o.targetSpan, id));
  }
  return { changes };
}
