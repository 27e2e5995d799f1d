// A tsq file read into memory: its text, YAML tree, kind and typed model, plus the problems found
// while reading it. `parseDocument` is the single entry point every front end (CLI, language
// server, debugger, importer) uses; it never throws.

import { parseYaml } from './yaml/parser';
import { keySpanAt, pairCount, type YamlDocument } from './yaml/nodes';
import { ExpansionBudget, checkExpansion } from './yaml/expand';
import { LineMap } from './text';
import { FILE_KINDS, kindKeys, modelineKind, type FileKind } from './kinds';
import { buildSequence, type SequenceModel } from './sequence';
import { buildSiteCatalog, type SiteCatalogModel } from './site-catalog';
import { buildMachine, type MachineModel } from './machine';
import { buildDeployment, type DeploymentModel } from './deployment';
import { buildMedia, type MediaModel } from './media';
import { controlCharacters, decodeSource, DEFAULT_MAX_FILE_BYTES, textRefusal, type SourceProblem } from './source';

export type FileModel = SequenceModel | SiteCatalogModel | MachineModel | DeploymentModel | MediaModel;

/** A problem with the file as a whole (its bytes or its kind), as opposed to a rule's finding. */
export interface DocumentProblem {
  code: 'unreadable-file' | 'schema';
  severity: 'error' | 'warning';
  start: number;
  end: number;
  message: string;
  hint?: string;
}

export interface TsqDocument {
  /** Absolute file path (or the editor's URI for unsaved documents). */
  id: string;
  text: string;
  version: number;
  yaml: YamlDocument;
  budget: ExpansionBudget;
  kind?: FileKind;
  model?: FileModel;
  problems: DocumentProblem[];
  /** Set when the text was not read at all (too large, binary, not text): no tree, no model, one problem. */
  refused?: boolean;
  readonly lineMap: LineMap;
}

/**
 * The document of `text`, wherever it came from (a file's bytes, an editor): the one place that
 * decides whether a text is read, so the CLI and the language server report the same for it.
 * `maxBytes` is the size cap in force (what the text weighs saved as UTF-8); `utf8Size` is that
 * weight when the caller knows it (measured here otherwise).
 */
export function parseDocument(
  id: string,
  text: string,
  version = 0,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
  utf8Size?: number,
): TsqDocument {
  const refusal = textRefusal(text, maxBytes, utf8Size);
  if (refusal) return refusedDocument(id, text, version, refusal);
  return documentFromYaml(id, text, parseYaml(text), version);
}

/** A document whose text is not read, with the reason as its one problem. */
export function refusedDocument(id: string, text: string, version: number, problem: SourceProblem): TsqDocument {
  const doc = documentShell(id, text, version, parseYaml(''), new ExpansionBudget());
  doc.refused = true;
  doc.problems.push(unreadable(text, problem));
  return doc;
}

function unreadable(text: string, p: SourceProblem): DocumentProblem {
  const start = text ? Math.min(p.offset, text.length) : 0;
  const end = Math.min(start + (p.length ?? 0), text.length);
  return { code: 'unreadable-file', severity: 'error', start, end, message: p.message, hint: p.hint };
}

/** A document with no kind, model or problems yet; its line map is made when first asked for. */
export function documentShell(
  id: string,
  text: string,
  version: number,
  yaml: YamlDocument,
  budget: ExpansionBudget,
): TsqDocument {
  let lineMap: LineMap | undefined;
  return {
    id,
    text,
    version,
    yaml,
    budget,
    problems: [],
    get lineMap() {
      return (lineMap ??= new LineMap(text));
    },
  };
}

/** The document of `text` whose YAML tree has already been read (fully or incrementally). */
export function documentFromYaml(id: string, text: string, yaml: YamlDocument, version = 0): TsqDocument {
  const doc = documentWithModel(id, text, yaml, version);
  const controls = controlCharacters(text);
  if (controls) doc.problems.push(unreadable(text, controls));
  return doc;
}

function documentWithModel(id: string, text: string, yaml: YamlDocument, version: number): TsqDocument {
  const doc = documentShell(id, text, version, yaml, new ExpansionBudget());
  const { budget, problems } = doc;
  // Only anchors let aliases expand; without them there is nothing to measure.
  if (yaml.anchored) checkExpansion(yaml.root, budget);
  const root = yaml.root;
  const declared = modelineKind(text);
  if (declared?.unknown) {
    problems.push({
      code: 'schema',
      severity: 'error',
      start: 0,
      end: text.search(/\r?\n|\r|$/),
      message: `\`${declared.unknown}\` is not a kind of tsq file.`,
      hint: `Use one of: ${FILE_KINDS.join(', ')}.`,
    });
  }
  if (!root) {
    if (text.trim() === '' || yaml.errors.length === 0) {
      problems.push({
        code: 'schema',
        severity: 'warning',
        start: 0,
        end: 0,
        message: 'This file is empty.',
        hint: 'Start it with `sequence: <name>` (or `catalog:`, `machine:`, `deployment:`, `media:`).',
      });
    }
    return doc;
  }
  if (root.kind !== 'map') {
    problems.push({
      code: 'schema',
      severity: 'error',
      start: root.start,
      end: Math.max(root.end, root.start + 1),
      message: 'A tsq file must be a mapping of `key: value` entries at the top level.',
      hint: 'Start it with `sequence: <name>` (or `catalog:`, `machine:`, `deployment:`, `media:`).',
    });
    return doc;
  }
  const keys = kindKeys(root);
  if (keys.length === 0) {
    const first = pairCount(root.pairs) > 0 ? keySpanAt(root.pairs, 0) : root;
    problems.push({
      code: 'schema',
      severity: 'error',
      start: first.start,
      end: Math.max(first.end, first.start + 1),
      message: 'This file does not say what it is.',
      hint: `Add a top-level key naming its kind: ${FILE_KINDS.map((k) => `\`${k}:\``).join(', ')}.`,
    });
    return doc;
  }
  for (const extra of keys.slice(1)) {
    problems.push({
      code: 'schema',
      severity: 'error',
      start: extra.keyStart,
      end: extra.keyEnd,
      message: `A file holds one kind of thing; it already starts with \`${keys[0].kind}:\`.`,
      hint: `Move the \`${extra.kind}:\` part into a file of its own.`,
    });
  }
  const kind = keys[0].kind;
  if (declared?.kind && declared.kind !== kind) {
    problems.push({
      code: 'schema',
      severity: 'error',
      start: keys[0].keyStart,
      end: keys[0].keyEnd,
      message: `The first line says this is a ${declared.kind} file, but it starts with \`${kind}:\`.`,
      hint: 'Correct the `# tsq:` line or the top-level key.',
    });
  }
  doc.kind = kind;
  switch (kind) {
    case 'sequence':
      doc.model = buildSequence(root, budget);
      break;
    case 'catalog':
      doc.model = buildSiteCatalog(root, budget);
      break;
    case 'machine':
      doc.model = buildMachine(root, budget);
      break;
    case 'deployment':
      doc.model = buildDeployment(root, budget);
      break;
    case 'media':
      doc.model = buildMedia(root, budget);
      break;
  }
  return doc;
}

/** Reads a file's bytes into a document; bytes that are not text give an empty document with one problem. */
export function documentFromBytes(
  id: string,
  bytes: Uint8Array,
  version = 0,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): TsqDocument {
  const decoded = decodeSource(bytes, maxBytes);
  if (decoded.text === undefined) return refusedDocument(id, '', version, decoded.problem!);
  return parseDocument(id, decoded.text, version, maxBytes, decoded.utf8Size);
}
