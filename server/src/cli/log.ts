// `tsq log LOG... [--sequence SEQ] [--format text|json] [--machine-out FILE]` — rebuilds a real
// task sequence run from smsts.log (and its rolled-over smsts-*.log files, or the folder holding
// them): every instruction with what happened to it, where the run failed and why. With the
// sequence file, each step of the log is matched to its step in the YAML and the steps the run
// never reached are listed. --machine-out writes a machine profile that replays the run in
// `tsq simulate` and the debugger. Exit code 0: the run succeeded; 1: it failed, or the logs do
// not show its end; 2: usage problem or logs that cannot be read (the file, the line and a hint).

import { parseCommandLine } from './arguments';
import { loadPaths } from '../frontend/load-paths';
import { UsageError } from '../frontend/usage-error';
import { displayPath } from '../frontend/diagnostic-report';
import type { CliIO } from './io';
import { readLogPaths } from '../files/run-logs';
import { kindAt } from '../files/load';
import { readRunLogs, type LogProblem, type SequenceInput } from '../runlog/read';
import { renderLogJson, renderLogText } from '../runlog/report';
import { machineProfileFor } from '../runlog/machine-profile';
import { attempt } from '../interop/errors';
import { checkFileOutput, writeFileSafely } from '../files/write';

export const LOG_USAGE = `Usage: tsq log LOG... [--sequence SEQ] [--format text|json] [--machine-out FILE]

Reads a real run from the task sequence log (smsts.log in CMTrace format; give every smsts*.log
file of the run, in any order, or the folder that holds them) and shows each group and step with
what happened to it: succeeded, failed, failed-continued, skipped or disabled, with exit codes,
times, the log line that says so, restarts, and where and why the run failed.
  --sequence     the *.tsq.yaml sequence that ran: each step of the log is matched to its step in
                 the file (with how sure the match is) and the steps the run never reached are listed
  --format       text (default: a tree of the run) or json
  --machine-out  write a machine profile (a machine: file) whose outcomes replay this run in
                 tsq simulate and the debugger (a regular file, not a link, and none of the inputs)
  --no-color     plain text output (also when NO_COLOR is set or output is not a terminal)
Exit code: 0 the run succeeded, 1 it failed or the logs do not show its end, 2 usage problem or
logs that cannot be read. See docs/run-logs.md.`;

function problemText(p: LogProblem): string {
  return `tsq log: ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: this file ${p.message}\n  ${p.hint}\n`;
}

function loadSequence(file: string): SequenceInput {
  const kind = kindAt(file);
  if (!kind) throw new UsageError(`No such file: ${file}`);
  if (kind !== 'file') throw new UsageError(`--sequence ${file} is not a file; give the *.tsq.yaml sequence that ran.`);
  const { ws, targets } = loadPaths([file]);
  const doc = ws.get(targets[0])!;
  if (doc.kind !== 'sequence' || !doc.model)
    throw new UsageError(
      `--sequence ${file} is ${doc.kind ? `a ${doc.kind} file` : 'not a tsq file'}, not a sequence.`,
    );
  return { ws, doc };
}

export async function runLog(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      sequence: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'machine-out': { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(LOG_USAGE + '\n');
    return 0;
  }
  const format = values.format as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format \`${format}\`; use text or json.`);
  if (positionals.length === 0)
    throw new UsageError('Give the log files of the run (smsts.log, smsts-*.log) or the folder that holds them.');
  const sequence = values.sequence !== undefined ? loadSequence(values.sequence) : undefined;
  const read = readLogPaths(positionals);
  if ('problem' in read) {
    io.err(problemText(read.problem));
    return 2;
  }
  const machineOut = values['machine-out'];
  const outputOptions = machineOut
    ? {
        label: `--machine-out ${machineOut}`,
        inputs: [...read.files, ...(sequence ? [...sequence.ws.all()].map((d) => d.id) : [])],
      }
    : undefined;
  if (machineOut) {
    // Refused before the logs are read, so a bad output costs nothing.
    const checked = attempt(() => checkFileOutput(machineOut, outputOptions));
    if (!checked.ok) {
      io.err(`tsq log: ${checked.error.message}${checked.error.hint ? `\n  ${checked.error.hint}` : ''}\n`);
      return 2;
    }
  }
  const outcome = readRunLogs(read.inputs, sequence);
  if (!outcome.ok) {
    io.err(problemText(outcome.problem));
    return 2;
  }
  const log = outcome.value;
  if (machineOut) {
    const profile = machineProfileFor(log, read.inputs.map((i) => i.name.split(/[\\/]/).pop()).join(', '));
    const written = attempt(() => writeFileSafely(machineOut, profile.text, outputOptions));
    if (!written.ok) {
      io.err(`tsq log: ${written.error.message}${written.error.hint ? `\n  ${written.error.hint}` : ''}\n`);
      return 2;
    }
    for (const w of profile.warnings) io.err(`tsq log: ${w}\n`);
  }
  const options = { displayPath: (id: string) => displayPath(id), color: io.color && !values['no-color'] };
  if (format === 'json') io.out(JSON.stringify(renderLogJson(log, options), null, 2) + '\n');
  else io.out(renderLogText(log, options));
  return log.run.result === 'succeeded' ? 0 : 1;
}
