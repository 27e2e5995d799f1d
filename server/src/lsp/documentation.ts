// "Task Sequence: Open Documentation": the document `tsq doc --format html` writes, for the file
// open in the editor as it is now (unsaved edits included), answered to the `tsq/documentation`
// request. The client shows it in a webview beside the editor and asks again after edits.

import * as path from 'node:path';
import { ProtocolRequestType } from 'vscode-languageserver/node';
import type { FileEntry, FileIndex } from './projects';
import { sequenceDocument } from '../report/sequence-doc';
import { renderHtml } from '../report/html';
import {
  DOCUMENTATION_REQUEST,
  type DocumentationParams,
  type DocumentationResult,
} from '../frontend/documentation-protocol';

export const DocumentationRequest = new ProtocolRequestType<
  DocumentationParams,
  DocumentationResult,
  never,
  void,
  void
>(DOCUMENTATION_REQUEST);

export function documentationFor(_index: FileIndex, entry: FileEntry): DocumentationResult {
  if (entry.doc.kind !== 'sequence' || !entry.doc.model)
    return { ok: false, message: 'Open a task sequence (a `sequence:` file) to see its documentation.' };
  const doc = sequenceDocument(entry.project.ws, entry.doc, { nameOf: (id) => path.basename(id) });
  return { ok: true, title: doc.title, html: renderHtml(doc) };
}
