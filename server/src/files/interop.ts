// Import and export on disk, for the CLI and the VS Code client: the file to import is read here
// (bounded), the engine plans what to write (interop/import, interop/export; an export reads the
// ConfigMgr files kept beside a sequence through files/kept-files.ts) and the safe writer
// (files/write.ts) writes it. Inputs of the run (the imported file; the documents and kept
// ConfigMgr files an export read) are handed to the writer so no output lands on one of them. `previewImport` is the dry run the client shows
// before asking: which files an import would create and which it would replace.

import { attempt, InteropError, type Outcome } from '../interop/errors';
import { KEPT_FOLDER, printable } from '../interop/files';
import { IMPORT_INPUT_LIMIT, planImport, type ImportOptions, type ImportPlan } from '../interop/import';
import { exportSequence, type ExportOptions, type ExportResult } from '../interop/export';
import type { Workspace } from '../semantics/workspace';
import type { TsqDocument } from '../model/document';
import {
  checkFileOutput,
  planFolderWrite,
  writeFileSafely,
  writeFolderSafely,
  type FolderPlan,
  type OutputOptions,
} from './write';
import { readFileBounded } from './read';
import { keptFilesOnDisk } from './kept-files';

export type { ExportFormat } from '../interop/export';

/** What export options a front end gives: the kept ConfigMgr files are read from disk here. */
export type ExportToFileOptions = Omit<ExportOptions, 'kept'> & Pick<OutputOptions, 'label'>;

export interface ImportToFolderOptions extends ImportOptions {
  /** Replace files that already exist in the output folder. */
  overwrite?: boolean;
  /** How the output folder is named in messages (`--out lab`); default its path. */
  label?: string;
}

export interface ImportPreview {
  plan: ImportPlan;
  /** What writing the plan would do in the output folder. */
  folder: FolderPlan;
}

export interface ImportResult {
  plan: ImportPlan;
  /** Absolute paths written. */
  written: string[];
  /** What was done about staging folders of imports into the same folder that were interrupted. */
  cleaned: string[];
}

const folderOptions = (source: string, out: string, options: ImportToFolderOptions) => ({
  label: options.label ?? out,
  shown: out,
  inputs: [source],
});

/** An output folder refused before the file is even read (a link, a file, a device). */
function refusedFolder(
  source: string,
  out: string,
  options: ImportToFolderOptions,
): { ok: false; error: InteropError } | undefined {
  const checked = attempt(() => planFolderWrite(out, [], folderOptions(source, out, options)));
  return checked.ok ? undefined : checked;
}

/** The bytes of an XML file, export .zip or .tsqpkg to import; a FileRefusal when it is no file or too large. */
export function readImportInput(source: string): Buffer {
  return readFileBounded(source, IMPORT_INPUT_LIMIT);
}

/** What importing `source` into `out` would write (nothing is written), or why it is refused. */
export async function previewImport(
  bytes: Buffer,
  source: string,
  out: string,
  options: ImportToFolderOptions = {},
): Promise<Outcome<ImportPreview>> {
  const refused = refusedFolder(source, out, options);
  if (refused) return refused;
  const planned = await planImport(bytes, source, options);
  if (!planned.ok) return planned;
  return attempt(() => ({
    plan: planned.value,
    folder: planFolderWrite(
      out,
      planned.value.files.map((f) => f.path),
      folderOptions(source, out, options),
    ),
  }));
}

/** Imports `source` (its bytes) into the folder `out`, all or nothing. */
export async function importFile(
  bytes: Buffer,
  source: string,
  out: string,
  options: ImportToFolderOptions = {},
): Promise<Outcome<ImportResult>> {
  const refused = refusedFolder(source, out, options);
  if (refused) return refused;
  const planned = await planImport(bytes, source, options);
  if (!planned.ok) return planned;
  return writeImport(planned.value, source, out, options);
}

/** Writes an import planned earlier (after `previewImport` and the user's yes), all or nothing. */
export function writeImport(
  plan: ImportPlan,
  source: string,
  out: string,
  options: ImportToFolderOptions = {},
): Outcome<ImportResult> {
  return attempt(() => {
    options.progress?.('Writing files', 0.9);
    const { written, cleaned } = writeFolderSafely(out, plan.files, {
      ...folderOptions(source, out, options),
      overwrite: options.overwrite,
    });
    options.progress?.('Done', 1);
    return { plan, written, cleaned };
  });
}

/**
 * The lines that tell an admin what an import will write, for the question asked before it:
 * every *.tsq.yaml file with "new" or "replaces", then the kept ConfigMgr parts by count (those
 * replaced by name). At most `max` lines; the rest is counted.
 */
export function describeImportPreview(folder: FolderPlan, max = 40): string[] {
  const replaced = new Set(folder.replace);
  const all = [...folder.create, ...folder.replace].sort();
  const isKept = (p: string) => p.startsWith(`${KEPT_FOLDER}/`);
  const lines = all
    .filter((p) => !isKept(p) || replaced.has(p))
    .map((p) => `${replaced.has(p) ? 'replaces' : 'new'}  ${printable(p)}`);
  const keptNew = all.filter((p) => isKept(p) && !replaced.has(p)).length;
  if (keptNew)
    lines.push(`new  ${keptNew} ConfigMgr file${keptNew === 1 ? '' : 's'} under ${KEPT_FOLDER}/ (kept for export)`);
  return lines.length > max ? [...lines.slice(0, max - 1), `… and ${lines.length - max + 1} more`] : lines;
}

/**
 * Exports `doc` to the file `out`, replacing it only when the whole export succeeded, and never
 * when it is one of the files the export read.
 */
export async function exportToFile(
  ws: Workspace,
  doc: TsqDocument,
  out: string,
  options: ExportToFileOptions,
): Promise<Outcome<ExportResult>> {
  const documents = [...ws.all()].map((d) => d.id);
  // Checked before the export is built, so the refusal comes first and costs nothing.
  const early = attempt(() => checkFileOutput(out, { label: options.label, inputs: documents }));
  if (!early.ok) return early;
  const r = await exportSequence(ws, doc, { ...options, kept: keptFilesOnDisk });
  if (!r.ok) return r;
  if (r.value.report.errors.length) return { ok: false, error: new InteropError(r.value.report.errors[0].message) };
  const written = attempt(() =>
    writeFileSafely(out, r.value.bytes, { label: options.label, inputs: [...documents, ...r.value.read] }),
  );
  return written.ok ? r : written;
}
