// `tsq doc PATH... [--format md|html] [--out FILE|DIR]` — writes a document per task sequence
// (report/sequence-doc.ts): to standard output, to one file, or one file per sequence into a
// folder, linked to each other where one runs another. Exit code: 0 written; 2 usage or I/O
// problem, no sequence among the paths, or an output tsq refuses to write (nothing is written).

import * as path from 'node:path';
import { parseCommandLine } from './arguments';
import { loadPaths } from '../frontend/load-paths';
import { UsageError } from '../frontend/usage-error';
import { displayPath } from '../frontend/diagnostic-report';
import { attempt } from '../interop/errors';
import { isExistingFolder, writeFileSafely, writeFolderSafely } from '../files/write';
import { sequenceDocument } from '../report/sequence-doc';
import { renderDocument, REPORT_FORMATS, formatOfFile, type ReportFormat } from '../report/render';
import type { CliIO } from './io';

export const DOC_USAGE = `Usage: tsq doc PATH... [--format md|html] [--out FILE|DIR]

Writes a document of each task sequence in PATH (files or folders): its purpose, boot image,
every group and step in order with its instruction number, type, key options, condition in words,
continue on error and disabled; the content it references with names, versions and architectures
from the catalogs; the variables it sets and reads; the child sequences it runs.
  --format  md (default) or html (one self-contained file: no script, no network)
  --out     a .md or .html file (one sequence), or a folder: one file per sequence, linked;
            default: standard output (md, or html for one sequence)
Secret options are shown as (hidden). Outputs are written whole or not at all, never over an input
or through a link.
Exit code: 0 written, 2 usage or I/O problem, or no sequence found.`;

/** `deploy-windows-11.tsq.yaml` → `deploy-windows-11.md`. */
export function documentFileName(docId: string, format: ReportFormat): string {
  const base = path
    .basename(docId)
    .replace(/\.tsq\.ya?ml$/i, '')
    .replace(/\.ya?ml$/i, '');
  return `${base || 'sequence'}.${format}`;
}

export async function runDoc(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(DOC_USAGE + '\n');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('Give at least one sequence file or folder.');
  const format = (values.format ?? (values.out ? formatOfFile(values.out) : undefined) ?? 'md') as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(`Unknown format \`${format}\`; use ${REPORT_FORMATS.join(' or ')}.`);
  const { ws, targets, notes } = loadPaths(positionals);
  for (const n of notes) io.err(`tsq doc: ${n}\n`);
  const sequences = targets.map((id) => ws.get(id)!).filter((d) => d && d.kind === 'sequence' && d.model);
  if (sequences.length === 0) {
    io.err(`tsq doc: no task sequence in ${positionals.join(', ')} (a sequence file starts with \`sequence:\`).\n`);
    return 2;
  }
  const out = values.out;
  // A name without .md or .html is a folder, so that `--out docs` means the same for one sequence or many.
  const intoFolder =
    out !== undefined && (sequences.length > 1 || isExistingFolder(out) || /[\\/]$/.test(out) || !formatOfFile(out));
  // A file name for several documents would become a folder of that name: refused, so that
  // `--out all.md` never leaves a folder where a file was asked for.
  if (out !== undefined && sequences.length > 1 && formatOfFile(out) && !isExistingFolder(out) && !/[\\/]$/.test(out))
    throw new UsageError(
      `--out ${out} names one file, but ${sequences.length} sequences were found (${sequences
        .slice(0, 3)
        .map((d) => displayPath(d.id))
        .join(
          ', ',
        )}${sequences.length > 3 ? ', …' : ''}): give a folder (--out docs/) for one file each, or one sequence file.`,
    );
  if (!out && format === 'html' && sequences.length > 1)
    throw new UsageError('Several sequences as HTML need --out DIR (one file each).');

  const fileOf = new Map(sequences.map((d) => [d.id, documentFileName(d.id, format)]));
  const names = new Set<string>();
  for (const [id, name] of fileOf) {
    let unique = name;
    for (let i = 2; names.has(unique.toLowerCase()); i++) unique = name.replace(/(\.\w+)$/, `-${i}$1`);
    names.add(unique.toLowerCase());
    fileOf.set(id, unique);
  }
  const rendered = sequences.map((doc) => ({
    doc,
    text: renderDocument(
      sequenceDocument(ws, doc, {
        nameOf: (id) => displayPath(id),
        linkOf: (id) => (intoFolder ? fileOf.get(id) : undefined),
      }),
      format,
    ),
  }));
  const inputs = [...ws.all()].map((d) => d.id);
  if (!out) {
    io.out(rendered.map((r) => r.text).join('\n'));
    return 0;
  }
  const done = attempt(() => {
    if (intoFolder)
      writeFolderSafely(
        out,
        rendered.map((r) => ({ path: fileOf.get(r.doc.id)!, data: r.text })),
        { label: `--out ${out}`, inputs, overwrite: true },
      );
    else writeFileSafely(out, rendered[0].text, { label: `--out ${out}`, inputs });
  });
  if (!done.ok) {
    io.err(
      `tsq doc: ${done.error.message}${done.error.hint ? `\n  ${done.error.hint}` : ''}\n  Nothing was written.\n`,
    );
    return 2;
  }
  if (intoFolder)
    io.out(
      `Wrote ${rendered.length} document${rendered.length === 1 ? '' : 's'} (${format}) into ${displayPath(out)}: ${[...fileOf.values()].join(', ')}.\n`,
    );
  else io.out(`Wrote the document of ${displayPath(rendered[0].doc.id)} (${format}) to ${displayPath(out)}.\n`);
  return 0;
}
