// The shapes of the requests behind "Task Sequence: New from Template" (lsp/new-file.ts answers
// them), with no code behind them, so that the VS Code client can share them without taking in the
// server: `tsq/catalogEntries` (the entries of the workspace's catalogs a template can reference)
// and `tsq/createFile` (writes the new file, never over anything that exists, never through a link).

export const CATALOG_ENTRIES_REQUEST = 'tsq/catalogEntries';
export const CREATE_FILE_REQUEST = 'tsq/createFile';

/** The catalog lists a template references (catalog/types.ts ReferenceKind, by the same names). */
export const TEMPLATE_REFERENCE_KINDS = ['bootImage', 'osImage', 'osUpgradePackage', 'package'] as const;
export type TemplateReferenceKind = (typeof TEMPLATE_REFERENCE_KINDS)[number];

export interface CatalogEntriesParams {
  /** A file or folder of the workspace (the new file's URI): the catalogs of its workspace folder answer. */
  uri: string;
  kinds: TemplateReferenceKind[];
}

export interface CatalogEntryChoice {
  kind: TemplateReferenceKind;
  id: string;
  name?: string;
  version?: string;
  /** `x86`, `x64`, `arm64`; empty when the catalog does not say. */
  architectures: string[];
  /** False when the catalog says the content is on no distribution point. */
  distributed?: boolean;
  /** The image indexes the catalog lists (OS images, upgrade packages); empty when it lists none. */
  indexes: number[];
  /** The catalog file that lists the entry. */
  catalog: string;
}

export interface CatalogEntriesResult {
  /** The folder has at least one catalog file. */
  catalogs: boolean;
  entries: CatalogEntryChoice[];
}

export interface CreateFileParams {
  /** A `file:` URI of a `*.tsq.yaml` or `*.tsq.yml` file that does not exist. */
  uri: string;
  text: string;
}

export type CreateFileResult = { ok: true } | { ok: false; message: string };
