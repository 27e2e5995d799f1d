// `tsq export SEQUENCE --format xml|zip|tsqpkg --out FILE`: writes the sequence (with the child
// sequences it runs) as ConfigMgr XML, a ConfigMgr export package or a .tsqpkg. The output file
// is replaced only when the export succeeded as a whole.
// Exit code: 0 exported; 1 the sequence cannot be exported (nothing written); 2 usage or I/O problem.

import { parseArgs } from 'node:util';
import { loadPaths, UsageError } from './files';
import { displayPath } from './report';
import { readPassword } from './password';
import type { CliIO } from './io';
import { normalisePath } from '../util/paths';
import { EXPORT_FORMATS, exportToFile, type ExportFormat } from '../interop/export';
import { formatNotes } from '../interop/report';

export const EXPORT_USAGE = `Usage: tsq export SEQUENCE --format xml|zip|tsqpkg --out FILE [--password-env NAME | --password-stdin]

Writes a *.tsq.yaml sequence for ConfigMgr:
  xml      the <sequence> document (Import-CMTaskSequence, the Sequence property)
  zip      an export package for the console's Import Task Sequence wizard: the sequence, the
           child sequences it runs and the objects they reference
  tsqpkg   tsq's own package (sequences, catalog subset, machine profiles, SHA-256 manifest),
           encrypted with AES-256-GCM when a password is given
  --password-env    name of an environment variable holding the .tsqpkg password
  --password-stdin  read the .tsqpkg password from the first line of standard input
Passwords in steps are never exported. FILE is replaced only when the export succeeded.
Exit code: 0 exported, 1 the sequence cannot be exported (nothing written), 2 usage or I/O problem.`;

export async function runExport(argv: string[], io: CliIO): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string' }, out: { type: 'string' }, 'password-env': { type: 'string' }, 'password-stdin': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    io.out(EXPORT_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('Give exactly one sequence file to export.');
  const format = values.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) throw new UsageError('Give --format xml, zip or tsqpkg.');
  if (!values.out) throw new UsageError('Give the file to write with --out FILE.');
  const password = await readPassword(values['password-env'], values['password-stdin']);
  if (password !== undefined && format !== 'tsqpkg') throw new UsageError('Only a tsqpkg takes a password; ConfigMgr packages are never encrypted.');
  const { ws } = loadPaths([positionals[0]]);
  const doc = ws.get(normalisePath(positionals[0]));
  if (!doc || doc.kind !== 'sequence') {
    io.err(`tsq export: ${positionals[0]} is not a sequence file (it must start with \`sequence:\`).\n`);
    return 1;
  }
  const broken = doc.yaml.errors.length > 0 || doc.problems.some((p) => p.severity === 'error');
  if (broken) {
    io.err(`tsq export: ${displayPath(doc.id)} has YAML errors; fix them first (tsq lint shows where). Nothing was written.\n`);
    return 1;
  }
  const result = await exportToFile(ws, doc, values.out, { format, password });
  if (!result.ok) {
    io.err(`tsq export: ${result.error.message}${result.error.hint ? `\n  ${result.error.hint}` : ''}\n  Nothing was written.\n`);
    return 1;
  }
  io.out(`Exported ${displayPath(doc.id)} to ${displayPath(values.out)} (${format}${format === 'tsqpkg' && password ? ', encrypted' : ''}, ${result.value.bytes.length.toLocaleString('en-US')} bytes).\n`);
  if (result.value.report.notes.length) io.out(`\n${formatNotes(result.value.report.notes)}\n`);
  return 0;
}
