// The parameters the language server reads from each request and notification, as the LSP
// specification types them (https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/).
// A message whose parameters do not fit is answered with InvalidParams (a notification is
// dropped) and logged in one line that names the method and the field: the handlers behind
// these checks can rely on the fields they read.

import { optional, required, type Shape } from '../util/shape';

const POSITION = { fields: { line: required('uinteger'), character: required('uinteger') } };
const RANGE = { fields: { start: required(POSITION), end: required(POSITION) } };
const DOCUMENT = { fields: { uri: required('string') } };

const AT_POSITION: Shape = { textDocument: required(DOCUMENT), position: required(POSITION) };
const IN_DOCUMENT: Shape = { textDocument: required(DOCUMENT) };

/** A diagnostic as code actions read it back from the client: its message is text or markup. */
const ASKED_DIAGNOSTIC: Shape = {
  message: required({ test: (v) => typeof v === 'string' || (typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'string'), noun: 'text or markup' }),
  source: optional('string'),
  code: optional({ test: (v) => typeof v === 'string' || Number.isSafeInteger(v), noun: 'text or a whole number' }),
};

export const PARAMS: Record<string, Shape> = {
  'textDocument/completion': AT_POSITION,
  'completionItem/resolve': { label: required('string') },
  'textDocument/hover': AT_POSITION,
  'tsq/runLog': IN_DOCUMENT,
  'textDocument/definition': AT_POSITION,
  'textDocument/references': { ...AT_POSITION, context: required({ fields: { includeDeclaration: required('boolean') } }) },
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
  'textDocument/didOpen': { textDocument: required({ fields: { uri: required('string'), version: required('integer'), text: required('string') } }) },
  'textDocument/didChange': {
    textDocument: required({ fields: { uri: required('string'), version: required('integer') } }),
    contentChanges: required({ each: { text: required('string'), range: optional(RANGE) } }),
  },
  'textDocument/didSave': IN_DOCUMENT,
  'textDocument/didClose': IN_DOCUMENT,
  'workspace/didChangeWatchedFiles': { changes: required({ each: { uri: required('string'), type: required('integer') } }) },
  'workspace/didCreateFiles': { files: required({ each: { uri: required('string') } }) },
  'workspace/didRenameFiles': { files: required({ each: { oldUri: required('string'), newUri: required('string') } }) },
  'workspace/didDeleteFiles': { files: required({ each: { uri: required('string') } }) },
};
