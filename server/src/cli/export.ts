// `tsq export SEQUENCE --format xml|zip|tsqpkg --out FILE`: writes the sequence (with the child
// sequences it runs) as ConfigMgr XML, a ConfigMgr export package or a .tsqpkg. With `--media M`
// (tsqpkg only) it packs the media's content set under the media's password. The output file is
// replaced only when the export succeeded as a whole.
// Exit code: 0 exported; 1 the sequence cannot be exported (nothing written); 2 usage or I/O problem.

import * as path from 'node:path';
import { parseCommandLine } from './arguments';
import { loadPaths, requireFile } from '../frontend/load-paths';
import { UsageError } from '../frontend/usage-error';
import { loadChildren } from '../files/load';
import { readDocumentIfThere } from '../files/load';
import { displayPath } from '../frontend/diagnostic-report';
import { readPassword } from './password';
import { mediaPassword } from './media-password';
import type { CliIO } from './io';
import type { MediaModel } from '../model/media';
import type { TsqDocument } from '../model/document';
import type { Workspace } from '../semantics/workspace';
import { resolveTarget } from '../semantics/deployment-targets';
import { isTsqFileName } from '../model/kinds';
import { normalisePath } from '../util/paths';
import { EXPORT_FORMATS, type ExportFormat } from '../interop/export';
import { exportToFile, type ExportToFileOptions } from '../files/interop';
import { mediaPackage } from '../interop/export/media';
import { formatNotes } from '../interop/report';

export const EXPORT_USAGE = `Usage: tsq export SEQUENCE --format xml|zip|tsqpkg --out FILE [--password-env NAME | --password-stdin]
       tsq export SEQUENCE --format zip --with-dependencies --out FILE
       tsq export --format tsqpkg --media MEDIA --out FILE

Writes a *.tsq.yaml sequence for ConfigMgr:
  xml      the <sequence> document (Import-CMTaskSequence, the Sequence property)
  zip      an export package for the console's Import Task Sequence wizard: the sequence and the
           child sequences it runs, laid out as the console's export (the objects they reference
           are named, not carried, unless the imported export carried them)
  --with-dependencies  (zip) also carry every object the sequences reference; each needs its
                    full ConfigMgr object, kept from an imported export made with dependencies,
                    else nothing is written and the missing ones are named
  tsqpkg   tsq's own package (sequences, catalog subset, machine profiles, SHA-256 manifest),
           encrypted with AES-256-GCM when a password is given
  --password-env    name of an environment variable holding the .tsqpkg password
  --password-stdin  read the .tsqpkg password from the first line of standard input
  --media           pack what a stand-alone or prestaged media file carries (its sequence and
                    children, the catalog entries they use and its boot image, its machine
                    profiles, the media file), encrypted with the password the media file names:
                    { env: NAME } reads the variable, { prompt: true } asks (or reads standard input)
Passwords in steps are never exported. FILE is replaced only when the export succeeded, and only
when it is a regular file (not a link, device or pipe) and none of the files the export reads.
Exit code: 0 exported, 1 the sequence cannot be exported (nothing written), 2 usage or I/O problem.`;

/** The media file with what it names (its sequence and that sequence's children, its machine profiles), wherever they are. */
function loadMediaFiles(file: string): Workspace {
  requireFile(file);
  const { ws } = loadPaths([file]);
  const media = ws.get(normalisePath(file));
  const model = media?.kind === 'media' ? (media.model as MediaModel) : undefined;
  if (!media || !model) return ws;
  for (const ref of [model.sequence, ...model.machines]) {
    const target = ref ? resolveTarget(ws, media, ref) : undefined;
    const doc = target && !target.doc ? readDocumentIfThere(target.path) : undefined;
    if (doc) ws.upsert(doc);
  }
  loadChildren(ws);
  return ws;
}

/** The sequence to export and how, for `--media`: the media's content set under its password. */
async function mediaExport(
  file: string,
  io: CliIO,
): Promise<{ ws: Workspace; doc: TsqDocument; options: ExportToFileOptions } | undefined> {
  const ws = loadMediaFiles(file);
  const mediaDoc = ws.get(normalisePath(file));
  const plan = mediaDoc ? mediaPackage(ws, mediaDoc) : undefined;
  if (!plan || !plan.ok) {
    io.err(
      `tsq export: ${plan ? plan.error.message : `${file} cannot be read.`}${plan?.error.hint ? `\n  ${plan.error.hint}` : ''}\n  Nothing was written.\n`,
    );
    return undefined;
  }
  if (hasYamlErrors(plan.value.sequence, io)) return undefined;
  const password = await mediaPassword(plan.value.password, (mediaDoc!.model as MediaModel).name);
  return { ws, doc: plan.value.sequence, options: { format: 'tsqpkg', password, contents: plan.value.contents } };
}

export async function runExport(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      media: { type: 'string' },
      'password-env': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'with-dependencies': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(EXPORT_USAGE + '\n');
    return 0;
  }
  const format = values.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) throw new UsageError('Give --format xml, zip or tsqpkg.');
  if (!values.out) throw new UsageError('Give the file to write with --out FILE.');
  const withDependencies = values['with-dependencies'] === true;
  if (withDependencies && format !== 'zip')
    throw new UsageError('--with-dependencies is for an export package: use --format zip.');
  if (values.media !== undefined) {
    if (positionals.length) throw new UsageError('With --media the media file names the sequence; give no SEQUENCE.');
    if (format !== 'tsqpkg') throw new UsageError('--media packs a tsqpkg: use --format tsqpkg.');
    if (values['password-env'] !== undefined || values['password-stdin'])
      throw new UsageError(
        'The media file names where its password comes from (`password:`); give no --password-env or --password-stdin.',
      );
    const media = await mediaExport(values.media, io);
    if (!media) return 1;
    refuseTsqName(values.out, format, media.ws);
    return write(media.ws, media.doc, values.out, media.options, io);
  }
  if (positionals.length !== 1) throw new UsageError('Give exactly one sequence file to export.');
  const password = await readPassword(values['password-env'], values['password-stdin']);
  if (password !== undefined && format !== 'tsqpkg')
    throw new UsageError('Only a tsqpkg takes a password; ConfigMgr packages are never encrypted.');
  requireFile(positionals[0]);
  const { ws } = loadPaths([positionals[0]]);
  const doc = ws.get(normalisePath(positionals[0]));
  if (doc && refusedWhy(doc, io)) return 1;
  if (!doc || doc.kind !== 'sequence') {
    io.err(`tsq export: ${positionals[0]} is not a sequence file (it must start with \`sequence:\`).\n`);
    return 1;
  }
  if (hasYamlErrors(doc, io)) return 1;
  refuseTsqName(values.out, format, ws);
  return write(ws, doc, values.out, { format, password, withDependencies }, io);
}

/**
 * Refuses an output named like a tsq file (*.tsq.yaml): tsq lint, the editor and every folder
 * search would read the XML, zip or package as one. A name of a file this export reads is left to
 * the writer, which refuses it as an input.
 */
function refuseTsqName(out: string, format: ExportFormat, ws: Workspace): void {
  if (!isTsqFileName(path.basename(out)) || ws.get(normalisePath(path.resolve(out)))) return;
  throw new UsageError(
    `--out ${out} is named like a tsq file (*.tsq.yaml), which tsq lint and the editor would read as one; give it a .${format} name.`,
  );
}

/** Says why a file was not read at all (too large, not text); false when it was read. */
function refusedWhy(doc: TsqDocument, io: CliIO): boolean {
  if (!doc.refused) return false;
  const p = doc.problems[0];
  io.err(`tsq export: ${displayPath(doc.id)}: ${p.message}${p.hint ? `\n  ${p.hint}` : ''}\n  Nothing was written.\n`);
  return true;
}

function hasYamlErrors(doc: TsqDocument, io: CliIO): boolean {
  // Aliases cut off by the expansion budget leave values missing: as broken as a syntax error.
  const first = [...doc.yaml.errors, ...doc.budget.errors, ...doc.problems.filter((p) => p.severity === 'error')].sort(
    (a, b) => a.start - b.start,
  )[0];
  if (first) {
    const at = doc.lineMap.positionAt(first.start);
    io.err(
      `tsq export: ${displayPath(doc.id)} has YAML errors; fix them first (tsq lint lists every one). Nothing was written.\n` +
        `  The first: ${displayPath(doc.id)}:${at.line + 1}:${at.character + 1}: ${first.message}${first.hint ? `\n    hint: ${first.hint}` : ''}\n`,
    );
  }
  return first !== undefined;
}

async function write(
  ws: Workspace,
  doc: TsqDocument,
  out: string,
  options: ExportToFileOptions,
  io: CliIO,
): Promise<number> {
  const result = await exportToFile(ws, doc, out, { ...options, label: `--out ${out}` });
  if (!result.ok) {
    io.err(
      `tsq export: ${result.error.message}${result.error.hint ? `\n  ${result.error.hint}` : ''}\n  Nothing was written.\n`,
    );
    return 1;
  }
  io.out(
    `Exported ${displayPath(doc.id)} to ${displayPath(out)} (${options.format}${options.format === 'tsqpkg' && options.password ? ', encrypted' : ''}, ${result.value.bytes.length.toLocaleString('en-US')} bytes).\n`,
  );
  if (result.value.report.notes.length) io.out(`\n${formatNotes(result.value.report.notes)}\n`);
  return 0;
}
