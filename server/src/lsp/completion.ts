// Completion that knows where the cursor is: top-level keys per file kind, the keys of a group
// or step, action names (inserting the options the action requires), the options under `with:`
// and their values (choices, true/false, IDs from the catalogs with name, version and
// architecture, child sequence files), variables inside `%...%` and in `when:` conditions
// (built-in and set in the workspace, read-only ones marked), and the words of conditions.
// Catalogs, machines, deployments and media complete from their JSON Schemas.

import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver';
import type { TsqDocument } from '../model/document';
import { FILE_KINDS, type FileKind } from '../model/kinds';
import { pairsOf, styleOf, type ScalarStyle, type YMap, type YNode, type YSeq } from '../model/yaml/nodes';
import { option, type SeqNode, type StepNode } from '../model/sequence';
import {
  allSteps,
  exampleValue,
  findStep,
  mustBeWritten,
  type StepProperty,
  type ReferenceKind,
  referenceKindInfo,
} from '../catalog';
import {
  argumentAt,
  argumentHelp,
  conditionFunctions,
  comparisonOperators,
  OPTION_VALUES,
  registryTypes,
  tokenize,
  type ArgumentSpot,
  type Token,
} from '../conditions';
import { relativeFrom } from '../util/paths';
import { columnOf, containerAt, decodedIndex, locate, pathOf, seqNodeAt, typingLine, type PathStep } from './context';
import {
  descriptionOf,
  expand,
  propertiesOf,
  schemaOf,
  schemasAt,
  schemasIn,
  valuesOf,
  type Schema,
} from './schema-nav';
import { describeEntry, projectVariables, propertyMarkdown, stepMarkdown, variableMarkdown } from './knowledge';
import type { FileEntry, FileIndex } from './projects';

export const COMPLETION_TRIGGERS = ['%', ' ', '(', '/'];

/** What `resolveCompletion` needs to add documentation to an item. */
type Details = { action: string } | { action: string; option: string } | { variable: string; uri: string };

export function completion(index: FileIndex, entry: FileEntry, offset: number): CompletionList | null {
  const doc = entry.doc;
  const at = index.positions(entry);
  const range = (start: number, end: number): Range => ({ start: at.positionAt(start), end: at.positionAt(end) });
  const line = typingLine(doc.text, offset);
  const items =
    variableReference(entry, line.before, offset, range) ??
    conditionWords(entry, offset, line, range) ??
    flowOptionKeys(entry, offset, line, range) ??
    valueChoices(entry, offset, line, range) ??
    keyChoices(entry, offset, line, range);
  return items ? { isIncomplete: false, items } : null;
}

export function resolveCompletion(index: FileIndex, item: CompletionItem): CompletionItem {
  const d = item.data as Details | undefined;
  if (!d) return item;
  if ('variable' in d) {
    const entry = index.get(d.uri);
    if (!entry) return item;
    const v = projectVariables(entry.project).get(d.variable.toLowerCase());
    if (v) item.documentation = { kind: MarkupKind.Markdown, value: variableMarkdown(entry, v) };
    return item;
  }
  const def = findStep(d.action);
  if (!def) return item;
  if ('option' in d) {
    const p = def.properties.find((x) => x.name === d.option);
    if (p) item.documentation = { kind: MarkupKind.Markdown, value: propertyMarkdown(def, p) };
  } else item.documentation = { kind: MarkupKind.Markdown, value: stepMarkdown(def) };
  return item;
}

type RangeOf = (start: number, end: number) => Range;

// ---------------------------------------------------------------- variables

/** Inside `%...%` in any value: variable names. */
function variableReference(
  entry: FileEntry,
  before: string,
  offset: number,
  range: RangeOf,
): CompletionItem[] | undefined {
  const m = /%([A-Za-z0-9_-]*)$/.exec(before);
  if (!m) return undefined;
  const percents = (before.slice(0, m.index).match(/%/g) ?? []).length;
  if (percents % 2 !== 0 || !/:\s|^\s*-\s/.test(before.slice(0, m.index))) return undefined;
  const after = /^([A-Za-z0-9_-]*)(%?)/.exec(entry.doc.text.slice(offset))!;
  const replace = range(offset - m[1].length, offset + after[1].length + after[2].length);
  return variableItems(entry, replace, (name) => `${name}%`);
}

function variableItems(entry: FileEntry, replace: Range, insert: (name: string) => string): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const v of projectVariables(entry.project).values()) {
    const where = v.writes.length
      ? v.writes.some((w) => w.entry === entry)
        ? 'set in this file'
        : `set in ${relativeFrom(entry.id, v.writes[0].entry.id)}`
      : 'built-in';
    out.push({
      label: v.name,
      kind: CompletionItemKind.Variable,
      detail: v.readOnly ? `read-only · ${where}` : where,
      labelDetails: { description: v.readOnly ? 'read-only' : v.builtIn ? 'built-in' : 'workspace' },
      sortText: `${v.builtIn ? (v.readOnly ? '2' : '1') : '0'}${v.name.toLowerCase()}`,
      textEdit: { range: replace, newText: insert(v.name) },
      data: { variable: v.name, uri: entry.uri } satisfies Details,
    });
  }
  return out;
}

// ---------------------------------------------------------------- conditions

/** In a `when:` value: variables, functions, operators and keywords, by what comes before. */
function conditionWords(
  entry: FileEntry,
  offset: number,
  line: ReturnType<typeof typingLine>,
  range: RangeOf,
): CompletionItem[] | undefined {
  const doc = entry.doc;
  const found = whenValue(doc, offset, line);
  if (!found) return undefined;
  const { before, style } = found;
  const word = /[\p{L}\p{N}_.-]*$/u.exec(before)![0];
  const tokens = tokenize(before.slice(0, before.length - word.length)).filter((t) => t.kind !== 'eof');
  const prev: Token | undefined = tokens[tokens.length - 1];
  const replace = range(offset - word.length, offset);
  const quote = (s: string) =>
    style === 'double' ? s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : style === 'single' ? s.replace(/'/g, "''") : s;
  const keyword = (w: string, detail: string): CompletionItem => ({
    label: w,
    kind: CompletionItemKind.Keyword,
    detail,
    textEdit: { range: replace, newText: w },
  });
  const inCall = argumentItems(entry, argumentAt(tokens, before.length), prev, replace, quote);
  if (inCall) return inCall;
  const expressionStart =
    !prev ||
    prev.kind === 'lparen' ||
    prev.kind === 'comma' ||
    (prev.kind === 'word' && /^(and|or|not)$/i.test(prev.text));
  if (expressionStart) {
    const items = variableItems(entry, replace, (n) => n);
    for (const f of conditionFunctions) {
      items.push({
        label: f.name,
        kind: CompletionItemKind.Function,
        detail: f.configMgr,
        documentation: { kind: MarkupKind.Markdown, value: `\`${f.signature}\`\n\n${f.summary}` },
        sortText: `3${f.name}`,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: {
          range: replace,
          newText: quote(
            f.name === 'exists' || f.name === 'notExists' ? `${f.name}(\${1:Variable})` : `${f.name}(\${1})`,
          ),
        },
      });
    }
    items.push({ ...keyword('not', 'true when what follows is false'), sortText: '4not' });
    return items;
  }
  if (prev.kind === 'word' || prev.kind === 'rparen') {
    const items: CompletionItem[] = [
      keyword('and', 'both sides must be true'),
      keyword('or', 'at least one side must be true'),
    ];
    if (prev.kind === 'word') {
      for (const op of comparisonOperators)
        items.push({
          label: op.symbol,
          kind: CompletionItemKind.Operator,
          detail: op.summary,
          textEdit: { range: replace, newText: op.symbol },
        });
      items.push({
        label: 'like',
        kind: CompletionItemKind.Operator,
        detail: 'wildcard match: % any run of characters, _ one character',
        textEdit: { range: replace, newText: 'like' },
      });
    }
    return items;
  }
  if (prev.kind === 'string')
    return [keyword('and', 'both sides must be true'), keyword('or', 'at least one side must be true')];
  return [];
}

/** Functions whose arguments are checks (or, after the first, for `platform`): completed as conditions. */
const TAKES_CHECKS = new Set(['all', 'any', 'none']);

/**
 * Inside the parentheses of a function with fixed arguments: its options after a comma (`namespace=`,
 * `version >=`), the values of an option, platform names, variables for `exists(`; undefined where
 * a whole check may be written.
 */
function argumentItems(
  entry: FileEntry,
  spot: ArgumentSpot | undefined,
  prev: Token | undefined,
  replace: Range,
  quote: (s: string) => string,
): CompletionItem[] | undefined {
  if (!spot || TAKES_CHECKS.has(spot.fn.name) || (spot.fn.name === 'platform' && spot.index > 0)) return undefined;
  const fn = spot.fn;
  if (spot.option) {
    if (!spot.onOptionValue || prev?.kind !== 'op') return [];
    const values = spot.option.name === 'type' ? registryTypes : (OPTION_VALUES[spot.option.name] ?? []);
    return values.map((v) => ({
      label: `"${v}"`,
      kind: CompletionItemKind.Value,
      detail: `${spot.option!.name} of ${fn.name}`,
      textEdit: { range: replace, newText: quote(`"${v}"`) },
    }));
  }
  if (prev?.kind !== 'lparen' && prev?.kind !== 'comma') return [];
  const help = argumentHelp(fn, spot.index);
  if (help && (fn.name === 'exists' || fn.name === 'notExists')) return variableItems(entry, replace, (n) => n);
  if (help) {
    return (help.examples ?? []).map((v) => ({
      label: `"${v}"`,
      kind: CompletionItemKind.Value,
      detail: `${help.name} of ${fn.name}`,
      documentation: { kind: MarkupKind.Markdown, value: help.summary },
      textEdit: { range: replace, newText: quote(`"${v}"`) },
    }));
  }
  return fn.options.map((o) => ({
    label: o.form === 'assign' ? `${o.name}=` : `${o.name} >=`,
    kind: CompletionItemKind.Property,
    detail: `option of ${fn.name}`,
    documentation: { kind: MarkupKind.Markdown, value: o.summary },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: {
      range: replace,
      newText: quote(o.form === 'assign' ? `${o.name}="\${1}"` : `${o.name} \${1|>=,>,<=,<,==,!=|} "\${2}"`),
    },
  }));
}

/** The `when:` condition text before the cursor, and how the YAML value is quoted. */
function whenValue(
  doc: TsqDocument,
  offset: number,
  line: ReturnType<typeof typingLine>,
): { before: string; style: ScalarStyle } | undefined {
  const loc = locate(doc, offset);
  const last = loc.chain[loc.chain.length - 1];
  if (
    !loc.onKey &&
    last?.key === 'when' &&
    last.node.kind === 'scalar' &&
    !last.node.implicit &&
    offset >= last.node.start
  ) {
    const s = last.node;
    const quoted = s.style === 'single' || s.style === 'double';
    if (
      quoted &&
      (offset === s.start ||
        (offset === s.end && doc.text.charCodeAt(s.end - 1) === doc.text.charCodeAt(s.start) && s.end - s.start > 1))
    )
      return undefined;
    return { before: s.text.slice(0, decodedIndex(doc, s, offset)), style: styleOf(s) };
  }
  if (line.key === 'when' && line.valueStart !== undefined && offset >= line.valueStart) {
    const raw = doc.text.slice(line.valueStart, offset);
    const style = raw.startsWith('"') ? 'double' : raw.startsWith("'") ? 'single' : 'plain';
    return { before: style === 'plain' ? raw : raw.slice(1), style };
  }
  return undefined;
}

// ---------------------------------------------------------------- values

function valueChoices(
  entry: FileEntry,
  offset: number,
  line: ReturnType<typeof typingLine>,
  range: RangeOf,
): CompletionItem[] | undefined {
  const doc = entry.doc;
  if (line.key === undefined || line.valueStart === undefined || offset < line.valueStart)
    return inFlowValue(entry, offset, range);
  const keyAt = line.lineStart + line.column;
  const loc = locate(doc, keyAt);
  if (!loc.onKey) return undefined;
  const map = loc.chain[loc.chain.length - 1]?.node as YMap | undefined;
  const typed = doc.text.slice(line.valueStart, offset);
  if (/^[[{]/.test(typed)) return inFlowValue(entry, offset, range);
  if (/^[|>&*!]/.test(typed) || (/["']\s*$/.test(typed) && typed.length > 1)) return undefined;
  const word = /[^\s,[\]{}]*$/.exec(typed)![0];
  const afterWord = /^[^\s,[\]{}#]*/.exec(doc.text.slice(offset))![0];
  const replace = range(offset - word.length, offset + afterWord.length);
  return map ? valuesFor(entry, map, loc.chain, line.key, replace, keyAt) : undefined;
}

/** Inside a flow mapping on one line (`with: { package: CM|`): the value of the key before the cursor. */
function inFlowValue(entry: FileEntry, offset: number, range: RangeOf): CompletionItem[] | undefined {
  const doc = entry.doc;
  const loc = locate(doc, offset);
  for (let i = loc.chain.length - 1; i >= 0; i--) {
    const step = loc.chain[i];
    if (step.node.kind !== 'map' || !step.node.flow) continue;
    const pair = pairsOf(step.node.pairs)
      .reverse()
      .find((p) => p.key.end <= offset);
    if (!pair || pair.key.kind !== 'scalar') return undefined;
    const between = doc.text.slice(pair.key.end, offset);
    if (!/^\s*:\s*[^,{}[\]]*$/.test(between)) return undefined;
    const word = /[^\s:,{}[\]]*$/.exec(between)![0];
    return valuesFor(
      entry,
      step.node,
      loc.chain.slice(0, i + 1),
      pair.key.text,
      range(offset - word.length, offset),
      pair.key.start,
    );
  }
  return undefined;
}

/** Values for `key` in `map` (reached through `chain`). */
function valuesFor(
  entry: FileEntry,
  map: YMap,
  chain: PathStep[],
  key: string,
  replace: Range,
  keyAt: number,
): CompletionItem[] | undefined {
  const doc = entry.doc;
  const owner = doc.kind === 'sequence' ? seqNodeAt(doc, keyAt) : undefined;
  if (owner && owner.node === map) {
    if (key === 'action') return actionItems(entry, owner, replace);
    if (key === 'package' && owner.kind === 'step') return referenceItems(entry, 'package', replace);
  }
  const withOf = owner?.kind === 'step' && withMapOf(owner) === map ? owner : undefined;
  if (withOf) {
    const p = findStep(withOf.action)?.properties.find((x) => x.name === key);
    if (p) return optionValues(entry, withOf, p, replace);
  }
  if (chain.length === 1) {
    if ((doc.kind === 'sequence' || doc.kind === 'media') && key === 'bootImage')
      return referenceItems(entry, 'bootImage', replace);
    if ((doc.kind === 'deployment' || doc.kind === 'media') && key === 'sequence')
      return fileItems(entry, 'sequence', replace);
    if (doc.kind === 'deployment' && key === 'collection') return collectionItems(entry, replace);
    if (doc.kind === 'media' && key === 'machine') return fileItems(entry, 'machine', replace);
  }
  const values = valuesOf(schemasIn(doc, chain, [key]));
  return values.map((v) => ({
    label: v,
    kind: CompletionItemKind.EnumMember,
    textEdit: { range: replace, newText: v },
  }));
}

function withMapOf(step: StepNode): YMap | undefined {
  const pair = pairsOf(step.node.pairs)
    .reverse()
    .find((p) => p.key.kind === 'scalar' && p.key.text === 'with');
  return pair?.value.kind === 'map' ? pair.value : undefined;
}

function actionItems(entry: FileEntry, step: SeqNode, replace: Range): CompletionItem[] {
  const hasWith = pairsOf(step.node.pairs).some((p) => p.key.kind === 'scalar' && p.key.text === 'with');
  const indent = ' '.repeat(columnOf(entry.doc.text, step.node.start));
  return allSteps().map((def) => {
    const required = def.properties.filter((p) => p.required && mustBeWritten(p));
    let snippet = def.key;
    if (!hasWith && required.length) {
      snippet +=
        `\n${indent}with:` +
        required.map((p, i) => `\n${indent}  ${p.name}: \${${i + 1}:${snippetText(exampleValue(p))}}`).join('');
    }
    return {
      label: def.key,
      kind: CompletionItemKind.Function,
      detail: `${def.displayName} · ${def.category}${def.source === 'mdt' ? ' (MDT)' : ''}`,
      labelDetails: { description: def.displayName },
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.asIs,
      textEdit: { range: replace, newText: snippet },
      data: { action: def.key } satisfies Details,
    };
  });
}

function snippetText(s: string): string {
  return s.replace(/[$}\\]/g, '\\$&');
}

function optionValues(entry: FileEntry, step: StepNode, p: StepProperty, replace: Range): CompletionItem[] {
  if (step.action === 'RunTaskSequence' && p.name === 'sequence') return childItems(entry, replace);
  if (p.reference) return referenceItems(entry, p.reference, replace);
  if (p.type === 'enum')
    return (p.enum ?? []).map((e) => ({
      label: e.value,
      kind: CompletionItemKind.EnumMember,
      detail: e.summary,
      textEdit: { range: replace, newText: e.value },
    }));
  if (p.type === 'boolean')
    return ['true', 'false'].map((v) => ({
      label: v,
      kind: CompletionItemKind.Value,
      textEdit: { range: replace, newText: v },
    }));
  if (p.name === 'program') {
    const pkg = option(step, 'package');
    const e =
      typeof pkg?.value === 'string' || typeof pkg?.value === 'number'
        ? entry.project.ws.catalog.lookup('package', String(pkg.value))
        : undefined;
    return (e?.programs ?? []).map((x) => ({
      label: x.value,
      kind: CompletionItemKind.Value,
      detail: `program of ${e!.name ?? e!.id}`,
      textEdit: { range: replace, newText: x.value },
    }));
  }
  return [];
}

function referenceItems(entry: FileEntry, kind: ReferenceKind, replace: Range): CompletionItem[] {
  return entry.project.ws.catalog.entries(kind).map((e) => ({
    label: e.id,
    kind: CompletionItemKind.Reference,
    detail: describeEntry(e) || referenceKindInfo(kind).label,
    labelDetails: { description: e.name },
    documentation: e.distributed === false ? 'Not distributed to any distribution point yet.' : undefined,
    filterText: `${e.id} ${e.name ?? ''}`,
    textEdit: { range: replace, newText: e.id },
  }));
}

/** The other files of the project of one kind, as paths relative to this file. */
function fileItems(entry: FileEntry, kind: 'sequence' | 'machine', replace: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const other of entry.project.files.values()) {
    if (other === entry || other.doc.kind !== kind) continue;
    const rel = relativeFrom(entry.id, other.id);
    const name = (other.doc.model as { name?: string } | undefined)?.name;
    items.push({
      label: rel,
      kind: CompletionItemKind.File,
      detail: name ? `${kind} “${name}”` : kind,
      textEdit: { range: replace, newText: rel },
    });
  }
  return items;
}

function collectionItems(entry: FileEntry, replace: Range): CompletionItem[] {
  return entry.project.ws.catalog.collections().map((c) => ({
    label: c.id,
    kind: CompletionItemKind.Reference,
    detail:
      [c.type && `${c.type} collection`, c.members !== undefined && `${c.members} members`, c.builtIn && 'built in']
        .filter(Boolean)
        .join(' · ') || 'collection',
    labelDetails: { description: c.name },
    filterText: `${c.id} ${c.name ?? ''}`,
    textEdit: { range: replace, newText: c.id },
  }));
}

function childItems(entry: FileEntry, replace: Range): CompletionItem[] {
  const items = fileItems(entry, 'sequence', replace);
  for (const e of entry.project.ws.catalog.entries('childSequence')) {
    items.push({
      label: e.id,
      kind: CompletionItemKind.Reference,
      detail: describeEntry(e) || 'task sequence',
      textEdit: { range: replace, newText: e.id },
    });
  }
  return items;
}

// ---------------------------------------------------------------- keys

function keyChoices(
  entry: FileEntry,
  offset: number,
  line: ReturnType<typeof typingLine>,
  range: RangeOf,
): CompletionItem[] | undefined {
  const doc = entry.doc;
  let partial = line.partialKey;
  let start = line.lineStart + line.column;
  const loc = locate(doc, offset);
  if (partial === undefined && loc.onKey && loc.onKey.key.kind === 'scalar' && loc.onKey.key.start === start) {
    partial = doc.text.slice(start, offset);
  }
  if (partial === undefined) return undefined;
  if (!/^[A-Za-z_][\w-]*$|^$/.test(partial)) return undefined;
  start = offset - partial.length;
  const replace = range(start, offset + /^[\w-]*/.exec(doc.text.slice(offset))![0].length);
  const dashColumn = line.column - (line.dash ? /-\s+$/.exec(line.before.slice(0, line.column))![0].length : 0);
  if (!doc.kind) return kindKeys(replace, line.column);
  const emptyWith = line.dash ? undefined : stepWithEmptyWithAbove(doc, line);
  if (emptyWith) return optionKeys(emptyWith, new Set(), replace, line.column);
  const { node: container, chain } = containerAt(doc, line.lineStart, line.column, line.dash, dashColumn);
  if (!container)
    return line.column === 0 && !line.dash
      ? topKeys(entry, doc.yaml.root?.kind === 'map' ? doc.yaml.root : undefined, [], replace)
      : undefined;
  if (container.kind === 'seq') return itemKeys(entry, container, chain, replace, line.column);
  return mapKeys(entry, container, chain, replace, line.column);
}

/**
 * The step whose `with:` has no value yet, when the cursor's line is the first one under it and
 * indented deeper: the parser reads such a `with:` as null (or, once a word is typed, as that
 * word), so no mapping is there to find, yet this is exactly where the option list is wanted.
 */
function stepWithEmptyWithAbove(doc: TsqDocument, line: ReturnType<typeof typingLine>): StepNode | undefined {
  if (doc.kind !== 'sequence') return undefined;
  let last = line.lineStart - 1;
  while (last > 0 && /\s/.test(doc.text[last])) last--;
  const owner = seqNodeAt(doc, last);
  if (owner?.kind !== 'step') return undefined;
  const pair = pairsOf(owner.node.pairs).find((p) => p.key.kind === 'scalar' && p.key.text === 'with');
  if (!pair || pair.key.end > line.lineStart || columnOf(doc.text, pair.key.start) >= line.column) return undefined;
  const value = pair.value;
  if (value.kind !== 'scalar') return undefined;
  const emptyAbove = value.implicit && value.end === last + 1;
  const wordHere = !value.implicit && value.style === undefined && value.start === line.lineStart + line.column;
  return emptyAbove || wordHere ? owner : undefined;
}

/**
 * A key position inside `with: { ... }`, closed or still being typed (right after `{` or a comma):
 * the step's options not yet written.
 */
function flowOptionKeys(
  entry: FileEntry,
  offset: number,
  line: ReturnType<typeof typingLine>,
  range: RangeOf,
): CompletionItem[] | undefined {
  const doc = entry.doc;
  if (doc.kind !== 'sequence' || line.key !== 'with' || line.valueStart === undefined || offset < line.valueStart)
    return undefined;
  const typed = doc.text.slice(line.valueStart, offset);
  const m = /^\{(?:[^{}[\]"'#]*,)?\s*([A-Za-z_][\w-]*|)$/.exec(typed);
  if (!m) return undefined;
  const owner = seqNodeAt(doc, line.valueStart);
  if (owner?.kind !== 'step') return undefined;
  const written = existingKeys(withMapOf(owner));
  for (const k of typed.matchAll(/([A-Za-z_][\w-]*)\s*:/g)) written.add(k[1]);
  written.delete(m[1]);
  const replace = range(offset - m[1].length, offset + /^[\w-]*/.exec(doc.text.slice(offset))![0].length);
  return optionKeys(owner, written, replace, line.column);
}

function kindKeys(replace: Range, column: number): CompletionItem[] {
  if (column !== 0) return [];
  const templates: Record<FileKind, string> = {
    sequence:
      'sequence: ${1:Name}\ndescription: ${2}\nsteps:\n  - name: ${3:First step}\n    action: ${4:RunCommandLine}\n',
    catalog: 'catalog: ${1:Site name}\nsiteCode: ${2:CM1}\npackages:\n  - { id: ${3:CM100001}, name: ${4:Package} }\n',
    machine:
      'machine: ${1:Lab VM}\narchitecture: ${2|x64,x86,arm64|}\nfirmware: ${3|uefi,bios|}\nstartsIn: ${4|winpe,fullos|}\n',
    deployment: 'deployment: ${1:Name}\nsequence: ${2:./sequence.tsq.yaml}\ncollection: ${3:CM100015}\n',
    media: 'media: ${1:Name}\ntype: ${2}\nsequence: ${3:./sequence.tsq.yaml}\n',
  };
  return FILE_KINDS.map((k) => ({
    label: `${k}:`,
    kind: CompletionItemKind.Snippet,
    detail: `start a ${k} file`,
    insertTextFormat: InsertTextFormat.Snippet,
    insertTextMode: InsertTextMode.asIs,
    textEdit: { range: replace, newText: templates[k] },
  }));
}

function existingKeys(map: YMap | undefined): Set<string> {
  return new Set(pairsOf(map?.pairs ?? []).map((p) => (p.key.kind === 'scalar' ? p.key.text : '')));
}

function topKeys(entry: FileEntry, root: YMap | undefined, chain: PathStep[], replace: Range): CompletionItem[] {
  const schema = entry.doc.kind ? schemaOf(entry.doc.kind) : undefined;
  return schema ? schemaKeys(schema, schemasAt(schema, pathOf(chain)), existingKeys(root), replace, 0) : [];
}

/** A new entry of a list: for `steps:` lists the keys of a group or step, else from the schema. */
function itemKeys(entry: FileEntry, _seq: YSeq, chain: PathStep[], replace: Range, column: number): CompletionItem[] {
  const schema = entry.doc.kind ? schemaOf(entry.doc.kind) : undefined;
  if (!schema) return [];
  return schemaKeys(schema, schemasIn(entry.doc, chain, [0]), new Set(), replace, column);
}

function mapKeys(entry: FileEntry, map: YMap, chain: PathStep[], replace: Range, column: number): CompletionItem[] {
  const doc = entry.doc;
  const existing = existingKeys(map);
  const schema = doc.kind ? schemaOf(doc.kind) : undefined;
  if (doc.kind === 'sequence') {
    const owner = seqNodeAt(doc, map.start);
    if (owner?.kind === 'step' && withMapOf(owner) === map) return optionKeys(owner, existing, replace, column);
    if (owner && owner.node === map && schema) {
      const def = (schema.definitions as Record<string, Schema>)[
        existing.has('group')
          ? 'group'
          : existing.has('name') || existing.has('action') || existing.has('run')
            ? 'step'
            : 'node'
      ];
      return schemaKeys(schema, expand(schema, def), existing, replace, column);
    }
    const listItem = listItemOption(owner, map);
    if (listItem)
      return listItem
        .map((p) => keyItem(p.name, p.summary, !!p.required, existing, replace, column))
        .filter((x): x is CompletionItem => !!x);
  }
  if (!schema) return [];
  return schemaKeys(schema, schemasIn(doc, chain), existing, replace, column);
}

/** Keys of an entry of an option list (`partitions:`, `adapters:`, ...) of the step around `map`. */
function listItemOption(owner: SeqNode | undefined, map: YMap): StepProperty[] | undefined {
  if (owner?.kind !== 'step') return undefined;
  const def = findStep(owner.action);
  for (const o of owner.options) {
    if (o.node.kind !== 'seq' || !o.node.items.includes(map as YNode)) continue;
    return def?.properties.find((p) => p.name === o.name)?.items;
  }
  return undefined;
}

function optionKeys(step: StepNode, existing: Set<string>, replace: Range, column: number): CompletionItem[] {
  const def = findStep(step.action);
  if (!def) return [];
  return def.properties
    .filter((p) => !p.countOf)
    .map((p) => {
      const item = keyItem(p.name, p.summary, !!p.required, existing, replace, column);
      if (item) item.data = { action: def.key, option: p.name } satisfies Details;
      return item;
    })
    .filter((x): x is CompletionItem => !!x);
}

function schemaKeys(
  root: Schema,
  schemas: Schema[],
  existing: Set<string>,
  replace: Range,
  column: number,
): CompletionItem[] {
  return propertiesOf(root, schemas)
    .map((p) =>
      keyItem(p.name, p.description ?? descriptionOf(p.schemas), p.required, existing, replace, column, p.schemas),
    )
    .filter((x): x is CompletionItem => !!x);
}

function keyItem(
  name: string,
  description: string | undefined,
  required: boolean,
  existing: Set<string>,
  replace: Range,
  column: number,
  schemas: Schema[] = [],
): CompletionItem | undefined {
  if (existing.has(name)) return undefined;
  const nested = schemas.some((s) => s.type === 'array' || s.type === 'object' || s.$ref === '#/definitions/steps');
  const indent = ' '.repeat(column);
  const newText =
    name === 'steps' ? `steps:\n${indent}  - name: \${1}` : nested ? `${name}:\n${indent}  ` : `${name}: `;
  return {
    label: name,
    kind: CompletionItemKind.Property,
    detail: required ? 'required' : undefined,
    documentation: description ? { kind: MarkupKind.Markdown, value: description } : undefined,
    sortText: `${required ? '0' : '1'}${name}`,
    insertTextFormat: InsertTextFormat.Snippet,
    insertTextMode: InsertTextMode.asIs,
    textEdit: { range: replace, newText },
    command:
      newText.endsWith(': ') || name === 'action'
        ? { title: 'suggest', command: 'editor.action.triggerSuggest' }
        : undefined,
  };
}
