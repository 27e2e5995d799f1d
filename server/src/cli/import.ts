// `tsq import FILE --out DIR`: a sequence XML, a ConfigMgr export .zip or a .tsqpkg becomes
// *.tsq.yaml files, a catalog and the kept ConfigMgr objects, written all-or-nothing.
// Exit code: 0 imported; 1 the file was refused (nothing written); 2 usage or I/O problem.

import { parseCommandLine } from './arguments';
import { requireFile } from '../frontend/load-paths';
import { UsageError } from '../frontend/usage-error';
import { FileRefusal } from '../files/read';
import { displayPath } from '../frontend/diagnostic-report';
import { readPassword } from './password';
import type { CliIO } from './io';
import { importFile, readImportInput } from '../files/interop';
import { formatNotes } from '../interop/report';

export const IMPORT_USAGE = `Usage: tsq import FILE --out DIR [--force] [--password-env NAME | --password-stdin] [--format text|json]

Turns a task sequence XML file (ConfigMgr or MDT ts.xml), a ConfigMgr export .zip or a .tsqpkg
into *.tsq.yaml files in DIR: one per sequence, a catalog of what they reference, and (for an
export .zip) the ConfigMgr objects kept under DIR/configmgr/ for a lossless export later.
  --out             folder to write (created when missing; all files or none are written; never
                    through a symbolic link, and never a file other than *.tsq.yaml or the
                    ConfigMgr parts under configmgr/)
  --force           replace files that already exist in DIR
  --password-env    name of an environment variable holding a .tsqpkg password
  --password-stdin  read a .tsqpkg password from the first line of standard input
  --format          text (default) or json (files written and notes)
Exit code: 0 imported, 1 the file was refused (nothing written), 2 usage or I/O problem.`;

/** The bytes of an XML, .zip or .tsqpkg input named on the command line; a usage error when it is no file or too large. */
export function readInteropInput(file: string): Buffer {
  requireFile(file);
  try {
    return readImportInput(file);
  } catch (e) {
    if (e instanceof FileRefusal) throw new UsageError(`${e.message}${e.hint ? ` ${e.hint}` : ''}`);
    throw e;
  }
}

export async function runImport(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      force: { type: 'boolean' },
      'password-env': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(IMPORT_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('Give exactly one file to import.');
  if (!values.out) throw new UsageError('Give the folder to write with --out DIR.');
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`Unknown format \`${values.format}\`; use text or json.`);
  const file = positionals[0];
  const bytes = readInteropInput(file);
  const password = await readPassword(values['password-env'], values['password-stdin']);
  const result = await importFile(bytes, file, values.out, {
    password,
    overwrite: values.force,
    label: `--out ${values.out}`,
  });
  if (!result.ok) {
    if (values.format === 'json')
      io.out(JSON.stringify({ ok: false, error: result.error.message, hint: result.error.hint }, null, 2) + '\n');
    else {
      const said = /nothing was written/i.test(`${result.error.message} ${result.error.hint ?? ''}`);
      io.err(
        `tsq import: ${result.error.message}${result.error.hint ? `\n  ${result.error.hint}` : ''}${said ? '' : '\n  Nothing was written.'}\n`,
      );
    }
    return 1;
  }
  const { plan, written, cleaned } = result.value;
  if (values.format === 'json') {
    io.out(
      JSON.stringify(
        {
          ok: true,
          kind: plan.kind,
          files: written.map((w) => displayPath(w)),
          sequences: plan.sequences,
          notes: plan.report.notes,
          cleaned,
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  for (const c of cleaned) io.err(`tsq import: ${c}\n`);
  io.out(
    `Imported ${displayPath(file)} into ${displayPath(values.out)} (${written.length} file${written.length === 1 ? '' : 's'}):\n`,
  );
  for (const w of written) if (!/[\\/]configmgr[\\/]/.test(w)) io.out(`  ${displayPath(w)}\n`);
  const kept = written.filter((w) => /[\\/]configmgr[\\/]/.test(w)).length;
  if (kept) io.out(`  (+ ${kept} ConfigMgr file${kept === 1 ? '' : 's'} kept under configmgr/ for export)\n`);
  if (plan.report.notes.length) io.out(`\n${formatNotes(plan.report.notes)}\n`);
  return 0;
}
