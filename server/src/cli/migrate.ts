// `tsq migrate PATH... --out DIR`: task sequences that depend on MDT (tsq files, or task sequence
// XML such as MDT's ts.xml, imported on the way) become copies in DIR whose MDT steps are native
// ConfigMgr steps where one does the job, with a report of what was migrated, what a person must
// review and what stays (docs/migrating-from-mdt.md). The originals are never touched; the copies
// are written all or nothing. Other tsq files found (catalogs, machines) are copied beside them so
// the output folder lints as a whole, and the ConfigMgr parts an import kept under configmgr/ so
// the copies export as the originals do.
// Exit code: 0 written and every MDT step migrated; 1 written, but steps to review or kept, or
// errors in a migrated file; 2 usage or I/O problem (nothing written).

import * as path from 'node:path';
import { parseCommandLine } from './arguments';
import { analyzeDocument } from '../analysis/analyze';
import { parseDocument, documentFromBytes, type TsqDocument } from '../model/document';
import { Workspace } from '../semantics/workspace';
import { planImport } from '../interop/import';
import { sameNameKey, type OutputFile } from '../interop/files';
import { migrateSequence } from '../migrate/migrate-sequence';
import {
  formatReportText,
  migrationReport,
  sequenceReport,
  type Problem,
  type SequenceReport,
} from '../migrate/report';
import { formatReportMarkdown } from '../report/migration-report';
import { findMigrationInputs, readXmlInput, writeMigration, type MigrationInput } from '../files/migrate';
import { readDocument } from '../files/load';
import { FileRefusal } from '../files/read';
import { InteropError } from '../interop/errors';
import { UsageError } from '../frontend/usage-error';
import { displayPath } from '../frontend/diagnostic-report';
import { normalisePath } from '../util/paths';
import { isTsqFileName } from '../model/kinds';
import type { CliIO } from './io';

export const MIGRATE_USAGE = `Usage: tsq migrate PATH... --out DIR [--format text|json|md] [--force]

Replaces the MDT steps of task sequences (*.tsq.yaml files, or task sequence XML such as MDT's
ts.xml; folders are searched for both) with native ConfigMgr steps where one does the job, and
writes the migrated copies into DIR (the same relative paths; an XML file becomes a folder named
after it). The originals are never changed. Prints what happened to each MDT step: migrated,
review (migrated, but a person must check what the reason says) or kept (with the reason), the
MDT scripts and deployment share paths still named, the MDT variables still read and who would
set them now, and the errors \`tsq lint\` finds in the copies. docs/migrating-from-mdt.md.
  --out      folder to write (created when missing; all files or none are written; never through
             a symbolic link, never over an input)
  --force    replace files that already exist in DIR
  --format   text (default), json ({steps: [{file, path, name, from, to, status, reason}],
             sequences: [...]}) or md (Markdown)
Exit code: 0 written and every MDT step migrated, 1 written with steps to review or kept (or
errors in a copy), 2 usage or I/O problem (nothing written).`;

interface Planned {
  /** What is written, relative to the output folder. */
  files: OutputFile[];
  /** The migrated sequences: input, output path and migration. */
  sequences: { input: string; out: string; migration: ReturnType<typeof migrateSequence> }[];
  /** The input each written path comes from (by `sameNameKey`), to name both when two meet. */
  sources: Map<string, string>;
  /** Why two inputs cannot be written together (the first such pair). */
  clash?: string;
}

/** Adds one file to write; one that another input already writes is not added, but noted as the clash. */
function plan(planned: Planned, file: OutputFile, input: string, out: string): void {
  const key = sameNameKey(file.path);
  const other = planned.sources.get(key);
  if (other !== undefined) {
    planned.clash ??=
      `${displayPath(other)} and ${displayPath(input)} would both be written to ${displayPath(path.join(out, file.path))}; nothing was written.\n` +
      '  Migrate them in separate runs (another --out for each); if one is a copy an earlier `tsq migrate` wrote, leave its folder out.';
    return;
  }
  planned.sources.set(key, input);
  planned.files.push(file);
}

export async function runMigrate(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      force: { type: 'boolean' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(MIGRATE_USAGE + '\n');
    return 0;
  }
  const format = values.format as string;
  if (!['text', 'json', 'md'].includes(format))
    throw new UsageError(`Unknown format \`${format}\`; use text, json or md.`);
  if (positionals.length === 0) throw new UsageError('Give at least one file or folder to migrate.');
  if (!values.out) throw new UsageError('Give the folder to write with --out DIR.');
  const out = values.out;
  const { inputs, missing } = findMigrationInputs(positionals, out);
  if (missing.length) throw new UsageError(`No such file or folder: ${missing[0]}`);
  if (inputs.length === 0) throw new UsageError('No *.tsq.yaml or task sequence XML file found in what was given.');

  const planned: Planned = { files: [], sequences: [], sources: new Map() };
  const notes: string[] = [];
  for (const input of inputs) {
    try {
      if (input.kind === 'xml') await planXml(input, planned, out);
      else if (input.kind === 'kept')
        plan(planned, { path: input.target, data: readXmlInput(input.file) }, input.file, out);
      else planTsq(input, planned, out);
    } catch (e) {
      if (!(e instanceof FileRefusal || e instanceof InteropError)) throw e;
      const why = `${e.message}${(e as { hint?: string }).hint ? ` ${(e as { hint?: string }).hint}` : ''}`;
      // A file named on the command line must migrate; one found in a folder may be any XML.
      if (positionals.includes(input.file)) {
        const named = why.includes(path.basename(input.file)) ? why : `${displayPath(input.file)}: ${why}`;
        io.err(`tsq migrate: ${named}\n  Nothing was written.\n`);
        return 2;
      }
      notes.push(`skipped ${displayPath(input.file)}: ${why}`);
    }
  }
  if (planned.clash) {
    io.err(`tsq migrate: ${planned.clash}\n`);
    return 2;
  }
  if (planned.sequences.length === 0)
    throw new UsageError(
      `No task sequence to migrate in what was given.${notes.length ? `\n${notes.join('\n')}` : ''}`,
    );

  const outAbs = path.resolve(out);
  const problems = lintCopies(outAbs, planned);
  const reports: SequenceReport[] = planned.sequences.map((s) =>
    sequenceReport(displayPath(s.input), displayPath(path.join(out, s.out)), s.migration, problems.get(s.out)),
  );
  const report = migrationReport(reports);

  try {
    writeMigration(
      out,
      planned.files,
      inputs.map((i) => i.file),
      values.force === true,
    );
  } catch (e) {
    if (!(e instanceof InteropError)) throw e;
    io.err(`tsq migrate: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`);
    return 2;
  }
  for (const n of notes) io.err(`tsq migrate: ${n}\n`);
  if (format === 'json') io.out(JSON.stringify({ ...report, notes }, null, 2) + '\n');
  else if (format === 'md') io.out(formatReportMarkdown(report));
  else io.out(formatReportText(report));
  const open = report.steps.some((s) => s.status !== 'migrated') || reports.some((r) => r.problems.length > 0);
  return open ? 1 : 0;
}

function planTsq(input: MigrationInput, planned: Planned, out: string): void {
  const doc = readDocument(input.file);
  if (doc.kind === 'sequence' && doc.model) {
    const migration = migrateSequence(doc);
    plan(planned, { path: input.target, data: migration.text }, input.file, out);
    planned.sequences.push({ input: input.file, out: input.target, migration });
  } else {
    plan(planned, { path: input.target, data: doc.text }, input.file, out);
  }
}

async function planXml(input: MigrationInput, planned: Planned, out: string): Promise<void> {
  const bytes = readXmlInput(input.file);
  const imported = await planImport(bytes, input.file);
  if (!imported.ok) throw imported.error;
  if (imported.value.kind !== 'xml') throw new InteropError('it is not a task sequence XML file.');
  const sequenceFiles = new Set(imported.value.sequences.map((s) => s.file));
  for (const f of imported.value.files) {
    const rel = `${input.target}/${f.path}`;
    const text = typeof f.data === 'string' ? f.data : f.data.toString('utf8');
    if (!sequenceFiles.has(f.path)) {
      plan(planned, { path: rel, data: f.data }, input.file, out);
      continue;
    }
    const doc = parseDocument(normalisePath(path.resolve(input.file)), text);
    const migration = migrateSequence(doc);
    plan(planned, { path: rel, data: migration.text }, input.file, out);
    planned.sequences.push({ input: input.file, out: rel, migration });
  }
}

/** The errors `tsq lint` reports on each migrated copy, in a workspace of everything written. */
function lintCopies(outAbs: string, planned: Planned): Map<string, Problem[]> {
  // One workspace per output folder: what `tsq lint` on a copy reads beside it.
  const spaces = new Map<string, Workspace>();
  const docs = new Map<string, TsqDocument>();
  for (const f of planned.files) {
    if (!isTsqFileName(path.posix.basename(f.path))) continue; // kept ConfigMgr parts
    const id = normalisePath(path.join(outAbs, f.path));
    const doc = typeof f.data === 'string' ? parseDocument(id, f.data) : documentFromBytes(id, f.data);
    const folder = path.posix.dirname(f.path);
    const ws = spaces.get(folder) ?? new Workspace();
    spaces.set(folder, ws);
    ws.upsert(doc);
    docs.set(f.path, doc);
  }
  const out = new Map<string, Problem[]>();
  for (const s of planned.sequences) {
    const doc = docs.get(s.out)!;
    const errors = analyzeDocument(spaces.get(path.posix.dirname(s.out))!, doc).filter((d) => d.severity === 'error');
    out.set(
      s.out,
      errors.map((d) => ({ line: doc.lineMap.positionAt(d.start).line + 1, code: d.code, message: d.message })),
    );
  }
  return out;
}
