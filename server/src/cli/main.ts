// The `tsq` command: dispatches to one module per subcommand and turns usage and I/O problems
// into a message and exit code 2, as the CLI contract says.

import { runLint, LINT_USAGE } from './lint';
import { runSimulate, SIMULATE_USAGE } from './simulate';
import { runImport, IMPORT_USAGE } from './import';
import { runExport, EXPORT_USAGE } from './export';
import { runDiff, DIFF_USAGE } from './diff';
import { runLog, LOG_USAGE } from './log';
import { runMigrate, MIGRATE_USAGE } from './migrate';
import { runDoc, DOC_USAGE } from './doc';
import { UsageError } from '../frontend/usage-error';
import { MAX_FILE_MB_CEILING, MAX_FILE_MB_ENV, parseLimitMB, setTsqFileLimitMB } from '../files/read';
import { DEFAULT_MAX_FILE_BYTES } from '../model/source';
import { processIO, type CliIO } from './io';
import { version } from '../../../package.json';

interface Command {
  summary: string;
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  lint: { summary: 'check task sequence files and report problems', usage: LINT_USAGE, run: runLint },
  simulate: { summary: 'run a task sequence on a simulated computer', usage: SIMULATE_USAGE, run: runSimulate },
  import: {
    summary: 'turn ConfigMgr XML, an export .zip or a .tsqpkg into *.tsq.yaml files',
    usage: IMPORT_USAGE,
    run: runImport,
  },
  export: {
    summary: 'write a sequence as ConfigMgr XML, an export .zip or a .tsqpkg',
    usage: EXPORT_USAGE,
    run: runExport,
  },
  diff: { summary: 'compare two task sequences by meaning (XML, .zip or *.tsq.yaml)', usage: DIFF_USAGE, run: runDiff },
  doc: {
    summary: 'write a document of each sequence (Markdown or one self-contained HTML file)',
    usage: DOC_USAGE,
    run: runDoc,
  },
  log: {
    summary: 'read a real run from smsts.log: each step, where it failed, replay it',
    usage: LOG_USAGE,
    run: runLog,
  },
  migrate: {
    summary: 'replace MDT steps with native ConfigMgr steps in copies, with a report of what is left',
    usage: MIGRATE_USAGE,
    run: runMigrate,
  },
};

const HELP = () => `tsq ${version} — ConfigMgr task sequences as code

Usage: tsq <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Options for every command:
  --max-file-mb N   read tsq files up to N MB (default ${DEFAULT_MAX_FILE_BYTES / 1048576}; also ${MAX_FILE_MB_ENV}=N)

Run \`tsq <command> --help\` for a command's options.
`;

/**
 * Takes `--max-file-mb N` (anywhere before `--`) out of `argv` and sets the cap for tsq files from
 * it, else from TSQ_MAX_FILE_MB, else the default. Throws UsageError for a bad value.
 */
export function applyFileLimit(argv: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const bad = (where: string, value: string) =>
    new UsageError(`${where} takes a size in MB from 1 to ${MAX_FILE_MB_CEILING}, not \`${value}\`.`);
  let mb: number | undefined;
  const fromEnv = env[MAX_FILE_MB_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    mb = parseLimitMB(fromEnv);
    if (mb === undefined) throw bad(MAX_FILE_MB_ENV, fromEnv);
  }
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const m = /^--max-file-mb(?:=(.*))?$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const value = m[1] ?? argv[++i];
    if (value === undefined) throw new UsageError('--max-file-mb needs a size in MB.');
    mb = parseLimitMB(value);
    if (mb === undefined) throw bad('--max-file-mb', value);
  }
  setTsqFileLimitMB(mb);
  return rest;
}

/** The `Usage:` lines of a command's help (up to its first blank line). */
function synopsisOf(usage: string): string {
  const end = usage.indexOf('\n\n');
  return end < 0 ? usage : usage.slice(0, end);
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${version}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`tsq: unknown command \`${name}\`.\n\n${HELP()}`);
    return 2;
  }
  try {
    return await cmd.run(applyFileLimit(rest), io);
  } catch (e) {
    if (e instanceof UsageError) {
      // The synopsis only: a wrong path or file kind should not bury its one line under the help.
      io.err(`tsq ${name}: ${e.message}\n\n${synopsisOf(cmd.usage)}\nRun \`tsq ${name} --help\` for every option.\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && (err.syscall || err.path)) {
      io.err(`tsq ${name}: ${err.message}\n`);
      return 2;
    }
    io.err(`tsq ${name}: internal error: ${err?.stack ?? String(e)}\nPlease report this to the tsq maintainers.\n`);
    return 2;
  }
}

/** Runs the command line of this process and sets its exit code (called by bin/tsq.js). */
export function run(): void {
  main(process.argv.slice(2), processIO(version)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`tsq: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) run();
