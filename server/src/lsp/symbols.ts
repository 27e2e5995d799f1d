// Symbols: the outline of a file (a sequence's groups and steps as a tree, for the outline view
// and breadcrumbs; a catalog's content by list; the keys of other files) and a search across
// every file of the workspace (sequences, groups, steps and step ids, catalog content).

import { SymbolKind, type CancellationToken, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { SeqNode, SequenceModel } from '../model/sequence';
import type { SiteCatalogModel } from '../model/site-catalog';
import { pairsOf, type YNode } from '../model/yaml/nodes';
import { findStep, referenceKindInfo } from '../catalog';
import type { FileEntry, FileIndex, Positions } from './projects';

const MAX_WORKSPACE_SYMBOLS = 1000;

export function documentSymbols(index: FileIndex, entry: FileEntry): DocumentSymbol[] {
  const at = index.positions(entry);
  const doc = entry.doc;
  if (doc.kind === 'sequence' && doc.model) {
    const model = doc.model as SequenceModel;
    const out = model.steps.map((n) => nodeSymbol(n, at));
    if (model.variables.length) {
      const first = model.variables[0].nameSpan,
        last = model.variables[model.variables.length - 1].valueSpan;
      out.unshift(
        symbol(
          'variables',
          '',
          SymbolKind.Namespace,
          { start: first.start, end: last.end },
          first,
          at,
          model.variables.map((v) =>
            symbol(
              v.name,
              v.value,
              SymbolKind.Variable,
              { start: v.nameSpan.start, end: v.valueSpan.end },
              v.nameSpan,
              at,
            ),
          ),
        ),
      );
    }
    return out;
  }
  if (doc.kind === 'catalog' && doc.model) {
    const model = doc.model as SiteCatalogModel;
    const byList = new Map<string, DocumentSymbol[]>();
    for (const e of model.entries) {
      const list = byList.get(e.listKey) ?? [];
      list.push(
        symbol(
          e.name ? `${e.id} ${e.name}` : e.id,
          referenceKindInfo(e.kind).label,
          SymbolKind.Constant,
          e.span,
          e.idSpan,
          at,
        ),
      );
      byList.set(e.listKey, list);
    }
    const out: DocumentSymbol[] = [];
    const root = doc.yaml.root;
    if (root?.kind === 'map') {
      for (const p of pairsOf(root.pairs)) {
        if (p.key.kind !== 'scalar') continue;
        const children =
          byList.get(p.key.text) ??
          (p.key.text === 'collections'
            ? model.collections.map((c) =>
                symbol(c.name ? `${c.id} ${c.name}` : c.id, 'collection', SymbolKind.Constant, c.span, c.idSpan, at),
              )
            : undefined);
        out.push(
          symbol(
            p.key.text,
            '',
            children ? SymbolKind.Namespace : SymbolKind.Property,
            { start: p.start, end: p.end },
            p.key,
            at,
            children,
          ),
        );
      }
    }
    return out;
  }
  const root = doc.yaml.root;
  return root?.kind === 'map' ? keySymbols(root, at, 0) : [];
}

function nodeSymbol(n: SeqNode, at: Positions): DocumentSymbol {
  const name = n.name || (n.kind === 'group' ? '(unnamed group)' : '(unnamed step)');
  if (n.kind === 'group')
    return symbol(
      name,
      n.id ? `group · ${n.id.value}` : 'group',
      SymbolKind.Namespace,
      n.span,
      n.nameSpan,
      at,
      n.steps.map((c) => nodeSymbol(c, at)),
    );
  const action = n.shorthand ? 'command line' : (findStep(n.action)?.displayName ?? n.action);
  return symbol(name, n.id ? `${action} · ${n.id.value}` : action, SymbolKind.Function, n.span, n.nameSpan, at);
}

function keySymbols(node: YNode, at: Positions, depth: number): DocumentSymbol[] {
  if (node.kind !== 'map' || depth > 3) return [];
  return pairsOf(node.pairs)
    .filter((p) => p.key.kind === 'scalar')
    .map((p) => {
      const key = p.key.kind === 'scalar' ? p.key.text : '';
      const value = p.value.kind === 'scalar' ? p.value.text : '';
      const children = p.value.kind === 'map' ? keySymbols(p.value, at, depth + 1) : undefined;
      return symbol(
        key,
        value.length > 60 ? `${value.slice(0, 60)}…` : value,
        children?.length ? SymbolKind.Object : SymbolKind.Property,
        { start: p.start, end: Math.max(p.end, p.key.end) },
        p.key,
        at,
        children,
      );
    });
}

function symbol(
  name: string,
  detail: string,
  kind: SymbolKind,
  span: { start: number; end: number },
  selection: { start: number; end: number },
  at: Positions,
  children?: DocumentSymbol[],
): DocumentSymbol {
  const range = { start: at.positionAt(span.start), end: at.positionAt(Math.max(span.end, selection.end)) };
  const sel =
    selection.end > selection.start || selection.start !== span.start
      ? { start: at.positionAt(selection.start), end: at.positionAt(selection.end) }
      : range;
  const made: DocumentSymbol = {
    name: name || ' ',
    detail,
    kind,
    range,
    selectionRange: withinRange(sel, range) ? sel : range,
  };
  if (children) made.children = children;
  return made;
}

function withinRange(inner: DocumentSymbol['range'], outer: DocumentSymbol['range']): boolean {
  const before = (a: DocumentSymbol['range']['start'], b: DocumentSymbol['range']['start']) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** True when every character of `query` appears in `text` in order (case ignored), as editors filter. */
export function fuzzyMatch(query: string, text: string): boolean {
  const q = query.toLowerCase(),
    t = text.toLowerCase();
  let i = 0;
  for (let j = 0; j < t.length && i < q.length; j++) if (t[j] === q[i]) i++;
  return i === q.length;
}

export function workspaceSymbols(index: FileIndex, query: string, token?: CancellationToken): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const add = (
    entry: FileEntry,
    name: string,
    kind: SymbolKind,
    span: { start: number; end: number },
    container: string,
  ) => {
    if (out.length >= MAX_WORKSPACE_SYMBOLS || !fuzzyMatch(query, name)) return;
    const at = index.positions(entry);
    out.push({
      name,
      kind,
      containerName: container,
      location: { uri: entry.uri, range: { start: at.positionAt(span.start), end: at.positionAt(span.end) } },
    });
  };
  for (const entry of index.all()) {
    if (token?.isCancellationRequested || out.length >= MAX_WORKSPACE_SYMBOLS) break;
    const doc = entry.doc;
    if (doc.kind === 'sequence' && doc.model) {
      const model = doc.model as SequenceModel;
      add(entry, model.name || entry.id, SymbolKind.File, model.nameSpan, 'task sequence');
      const visit = (list: SeqNode[]) => {
        for (const n of list) {
          add(entry, n.name, n.kind === 'group' ? SymbolKind.Namespace : SymbolKind.Function, n.nameSpan, model.name);
          if (n.id) add(entry, n.id.value, SymbolKind.Key, n.id.span, `${model.name} › ${n.name}`);
          if (n.kind === 'group') visit(n.steps);
        }
      };
      visit(model.steps);
    } else if (doc.kind === 'catalog' && doc.model) {
      const model = doc.model as SiteCatalogModel;
      for (const e of model.entries)
        add(
          entry,
          e.name ? `${e.id} ${e.name}` : e.id,
          SymbolKind.Constant,
          e.idSpan,
          `${referenceKindInfo(e.kind).label} · ${model.name}`,
        );
      for (const c of model.collections)
        add(entry, c.name ? `${c.id} ${c.name}` : c.id, SymbolKind.Constant, c.idSpan, `collection · ${model.name}`);
    } else if (doc.model && 'name' in doc.model) {
      add(entry, doc.model.name || entry.id, SymbolKind.File, doc.model.nameSpan, doc.kind ?? '');
    }
  }
  return out;
}
