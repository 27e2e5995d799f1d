// The parameters the language server reads from each request and notification, as the LSP
// specification types them (https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/).
// A message whose parameters do not fit is answered with InvalidParams (a notification is
// dropped) and logged in one line that names the method and the field: the handlers behind
// these checks can rely on the fields they read.

import { optional, required, type Shape } from '../util/shape';
import { TEMPLATE_REFERENCE_KINDS } from '../frontend/new-file-protocol';

const POSITION = { fields: { line: required('uinteger'), character: required('uinteger') } };
const RANGE = { fields: { start: required(POSITION), end: required(POSITION) } };
const DOCUMENT = { fields: { uri: required('string') } };

const AT_POSITION: Shape = { textDocument: required(DOCUMENT), position: required(POSITION) };
const IN_DOCUMENT: Shape = { textDocument: required(DOCUMENT) };

/** A diagnostic as code actions read it back from the client: its message is text or markup. */
const ASKED_DIAGNOSTIC: Shape = {
  message: required({
    test: (v) =>
      typeof v === 'string' ||
      (typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'string'),
    noun: 'text or markup',
  }),
  source: optional('string'),
  code: optional({ test: (v) => typeof v === 'string' || Number.isSafeInteger(v), noun: 'text or a whole number' }),
};

const isPath = (v: unknown): boolean =>
  Array.isArray(v) && v.length <= 1000 && v.every((n) => Number.isSafeInteger(n) && n >= 0);
const isPlacement = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  isPath((v as { parent?: unknown }).parent) &&
  Number.isSafeInteger((v as { index?: unknown }).index) &&
  (v as { index: number }).index >= 0;
const isText = (v: unknown): boolean => typeof v === 'string' && v.length <= 10_000;

const COMPARISONS = ['equals', 'notEquals', 'greater', 'greaterEqual', 'less', 'lessEqual'];
const isOptionalText = (v: unknown) => v === undefined || isText(v);
const isPropertyTest = (v: unknown) =>
  v === undefined ||
  (typeof v === 'object' &&
    v !== null &&
    COMPARISONS.includes((v as { operator?: string }).operator!) &&
    isText((v as { value?: unknown }).value));

/** The condition builder's choices (conditions/builder.ts): every field the builder reads has its type. */
function isConditionChoice(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const { join, checks } = v as { join?: unknown; checks?: unknown };
  if (join !== 'all' && join !== 'any' && join !== 'none') return false;
  if (!Array.isArray(checks) || checks.length > 100) return false;
  return checks.every((c: Record<string, unknown>) => {
    if (typeof c !== 'object' || c === null) return false;
    switch (c.kind) {
      case 'variable':
        return (
          isText(c.variable) &&
          [...COMPARISONS, 'like', 'exists', 'notExists'].includes(c.operator as string) &&
          isOptionalText(c.value)
        );
      case 'osVersion':
        return Array.isArray(c.platforms) && c.platforms.length <= 100 && c.platforms.every(isText);
      case 'file':
        return isText(c.path) && isPropertyTest(c.version) && isPropertyTest(c.date);
      case 'folder':
        return isText(c.path) && isPropertyTest(c.date);
      case 'registry':
        return (
          isText(c.key) &&
          isText(c.valueName) &&
          [...COMPARISONS, 'exists', 'notExists'].includes(c.operator as string) &&
          isOptionalText(c.data) &&
          isOptionalText(c.type)
        );
      case 'wmi':
        return isText(c.query) && isOptionalText(c.namespace);
      case 'software':
        return (c.match === 'thisVersion' || c.match === 'anyVersion') && isText(c.code) && isOptionalText(c.name);
      default:
        return false;
    }
  });
}

/** A change of the Task Sequence view (frontend/sequence-tree-protocol.ts): its `op` and that operation's fields. */
function isTreeEdit(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  switch (e.op) {
    case 'addStep':
      return isText(e.action) && (e.name === undefined || isText(e.name)) && isPlacement(e.at);
    case 'addGroup':
      return isText(e.name) && isPlacement(e.at);
    case 'delete':
      return isPath(e.path);
    case 'rename':
      return isPath(e.path) && isText(e.name);
    case 'setDisabled':
      return isPath(e.path) && typeof e.disabled === 'boolean';
    case 'move':
      return isPath(e.path) && isPlacement(e.to);
    case 'moveBy':
      return isPath(e.path) && (e.delta === 1 || e.delta === -1);
    case 'setCondition':
      return isPath(e.path) && isText(e.condition);
    case 'buildCondition':
      return isPath(e.path) && typeof e.keep === 'boolean' && isConditionChoice(e.choice);
    default:
      return false;
  }
}

const TEMPLATE_KINDS: readonly string[] = TEMPLATE_REFERENCE_KINDS;

export const PARAMS: Record<string, Shape> = {
  'tsq/catalogEntries': {
    uri: required('string'),
    kinds: required({
      test: (v) => Array.isArray(v) && v.length <= 10 && v.every((k) => TEMPLATE_KINDS.includes(k as string)),
      noun: `a list of catalog kinds (${TEMPLATE_KINDS.join(', ')})`,
    }),
  },
  'tsq/createFile': { uri: required('string'), text: required('string') },
  'tsq/machineProfiles': { uri: optional('string') },
  'tsq/sequenceTree': IN_DOCUMENT,
  'tsq/sequenceEdit': {
    ...IN_DOCUMENT,
    edit: required({ test: isTreeEdit, noun: 'a tree edit (`op` and its fields: path, at, name, …)' }),
  },
  'textDocument/completion': AT_POSITION,
  'completionItem/resolve': { label: required('string') },
  'textDocument/hover': AT_POSITION,
  'tsq/runLog': IN_DOCUMENT,
  'textDocument/definition': AT_POSITION,
  'textDocument/references': {
    ...AT_POSITION,
    context: required({ fields: { includeDeclaration: required('boolean') } }),
  },
  'textDocument/prepareRename': AT_POSITION,
  'textDocument/rename': { ...AT_POSITION, newName: required('string') },
  'textDocument/documentSymbol': IN_DOCUMENT,
  'workspace/symbol': { query: required('string') },
  'textDocument/codeAction': {
    ...IN_DOCUMENT,
    range: required(RANGE),
    context: required({ fields: { diagnostics: required({ each: ASKED_DIAGNOSTIC }), only: optional('string[]') } }),
  },
  'textDocument/foldingRange': IN_DOCUMENT,
  'textDocument/documentLink': IN_DOCUMENT,
  'textDocument/semanticTokens/full': IN_DOCUMENT,
  'textDocument/semanticTokens/range': { ...IN_DOCUMENT, range: required(RANGE) },
  'textDocument/didOpen': {
    textDocument: required({
      fields: { uri: required('string'), version: required('integer'), text: required('string') },
    }),
  },
  'textDocument/didChange': {
    textDocument: required({ fields: { uri: required('string'), version: required('integer') } }),
    contentChanges: required({ each: { text: required('string'), range: optional(RANGE) } }),
  },
  'textDocument/didSave': IN_DOCUMENT,
  'textDocument/didClose': IN_DOCUMENT,
  'workspace/didChangeWatchedFiles': {
    changes: required({ each: { uri: required('string'), type: required('integer') } }),
  },
  'workspace/didCreateFiles': { files: required({ each: { uri: required('string') } }) },
  'workspace/didRenameFiles': { files: required({ each: { oldUri: required('string'), newUri: required('string') } }) },
  'workspace/didDeleteFiles': { files: required({ each: { uri: required('string') } }) },
};
