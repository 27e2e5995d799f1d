// The language server's side of "Task Sequence: New from Template": `tsq/catalogEntries` lists what
// the workspace folder's catalogs hold of the kinds a template references (so the client can ask
// for the boot image, OS image or client package instead of writing an example's ID), and
// `tsq/createFile` writes the new file through files/write.ts: whole, never over anything that
// exists and never through a link, dangling or not.

import { ProtocolRequestType } from 'vscode-languageserver/node';
import type { FileIndex } from './projects';
import { isFileId, uriToId } from './uri';
import { catalogChoices } from '../semantics/catalog-choices';
import { isTsqFileName } from '../model/kinds';
import { createFileSafely } from '../files/write';
import { InteropError } from '../interop/errors';
import {
  CATALOG_ENTRIES_REQUEST,
  CREATE_FILE_REQUEST,
  TEMPLATE_REFERENCE_KINDS,
  type CatalogEntriesParams,
  type CatalogEntriesResult,
  type CreateFileParams,
  type CreateFileResult,
  type TemplateReferenceKind,
} from '../frontend/new-file-protocol';

export const CatalogEntriesRequest = new ProtocolRequestType<
  CatalogEntriesParams,
  CatalogEntriesResult,
  never,
  void,
  void
>(CATALOG_ENTRIES_REQUEST);

export const CreateFileRequest = new ProtocolRequestType<CreateFileParams, CreateFileResult, never, void, void>(
  CREATE_FILE_REQUEST,
);

/** A new file's text is a template filled in: far below this. */
const MOST_NEW_FILE_CHARACTERS = 1_000_000;

export function isTemplateReferenceKind(v: unknown): v is TemplateReferenceKind {
  return (TEMPLATE_REFERENCE_KINDS as readonly unknown[]).includes(v);
}

export function catalogEntries(index: FileIndex, params: CatalogEntriesParams): CatalogEntriesResult {
  const project = index.projectOf(params.uri);
  const kinds = params.kinds.filter(isTemplateReferenceKind);
  return {
    catalogs: project.ws.catalog.present,
    entries: catalogChoices(project.ws.catalog, kinds).map((c) => ({
      ...c,
      kind: c.kind as TemplateReferenceKind,
      catalog: c.catalog ? index.uriOf(c.catalog) : '',
    })),
  };
}

export function createFile(params: CreateFileParams): CreateFileResult {
  const id = uriToId(params.uri);
  if (!params.uri.startsWith('file:') || !isFileId(id))
    return {
      ok: false,
      message: `tsq writes new files only on disk (a file: URI), not to ${params.uri.slice(0, 200)}.`,
    };
  if (!isTsqFileName(id))
    return { ok: false, message: `${id} is not a task sequence file name; give it a name ending in .tsq.yaml.` };
  if (params.text.length > MOST_NEW_FILE_CHARACTERS)
    return { ok: false, message: `The new file's text is longer than ${MOST_NEW_FILE_CHARACTERS} characters.` };
  try {
    createFileSafely(id, params.text, { createFolders: true });
    return { ok: true };
  } catch (e) {
    if (e instanceof InteropError) return { ok: false, message: e.hint ? `${e.message} ${e.hint}` : e.message };
    throw e;
  }
}
