// `tsq simulate [--machine FILE] [--deployment FILE | --media FILE] [--at TIME] [--format
// text|json] [SEQUENCE]` — runs a sequence on a simulated machine and shows what ConfigMgr would
// do: a tree of the steps with ✔ ✘ ↷ and the reason for every skip and failure (text), or the CLI
// contract's JSON. With a deployment the run starts as the deployment starts it on a client
// (content retries, maintenance windows); with media, as the media start it. Exit code 0: the
// sequence succeeds; 1: it fails (or never starts); 2: usage problem or invalid input (lint
// errors, unknown machine keys), which is refused with the diagnostics.

import { parseCommandLine } from './arguments';
import { UsageError } from '../frontend/usage-error';
import { formatDiagnosticLines, displayPath } from '../frontend/diagnostic-report';
import type { SimulationInput } from '../frontend/simulation-input';
import { readAndCheck } from '../workers/input-check';
import type { CliIO } from './io';
import { CONTENT_MODES, type ContentMode } from '../simulator/types';
import { cmtraceLine } from '../simulator/log';
import { parseAt } from '../simulator/deployment-run';
import { fullLog, prepareRun, type PreparedRun } from '../simulator/launch';
import { renderRunJson, writeRunText } from '../simulator/run-report';
import type { TextOptions } from '../simulator/report';
import { clockOf } from '../simulator/client-events';
import { attempt } from '../interop/errors';
import { checkFileOutput, writeFileSafely } from '../files/write';
import { runReportDocument } from '../report/run-report';
import { formatOfFile, renderDocument } from '../report/render';
import { tuneForOneRun } from '../frontend/one-shot-tuning';

export const SIMULATE_USAGE = `Usage: tsq simulate [--machine FILE] [--deployment FILE | --media FILE] [--at TIME] [--format text|json] [--report FILE.html|FILE.md] [options] [SEQUENCE]

Runs a task sequence on a simulated computer and shows which steps run, which are skipped and why,
where it fails, and the variables at the end. Nothing is run on a real computer.
  --machine     machine profile (a machine: file); default: the media's first profile, else an
                empty x64 UEFI computer that starts in Windows PE from the network
  --deployment  deployment file: the run starts as the deployment starts it on a client (content
                lookups and retries, deadline, maintenance windows); SEQUENCE defaults to its sequence
  --media       media file: the run starts from the media (stand-alone: no network); SEQUENCE
                defaults to its sequence; bootable media need --deployment too
  --at          when the simulated clock starts, wall clock: 2025-03-08 22:30 (with a deployment:
                when the client gets it; default its available time, else its deadline)
  --format      text (default: a tree of the run) or json
  --content     downloadAll | downloadWhenNeeded (default) | runFromDistributionPoint
  --start       start time of the simulated clock (ISO 8601, default 2025-01-06T08:00:00Z)
  --log         also print the run's log (in the manner of smsts.log)
  --log-file    write the log to FILE in the CMTrace format smsts.log uses (a regular file, not
                a link or device, and none of the files the run reads)
  --report      also write a report to FILE.html (one self-contained file: no script, no
                network) or FILE.md: the result tree, exit codes, restarts, downloads, timeline
                and the variables at the end (secrets hidden)
  --no-color    plain text output (also when NO_COLOR is set or output is not a terminal)
Exit code: 0 the sequence succeeds, 1 it fails or never starts, 2 usage problem or invalid input.`;

/** Writes the log to `--log-file` or the report to `--report` (whole or not at all, never over an input, a link or a device); false when refused. */
function writeLogFile(
  file: string,
  text: string | undefined,
  ws: SimulationInput['ws'],
  io: CliIO,
  option = '--log-file',
): boolean {
  const options = { label: `${option} ${file}`, inputs: [...ws.all()].map((d) => d.id) };
  const done = attempt(() =>
    text === undefined ? checkFileOutput(file, options) : writeFileSafely(file, text, options),
  );
  if (!done.ok) io.err(`tsq simulate: ${done.error.message}${done.error.hint ? `\n  ${done.error.hint}` : ''}\n`);
  return done.ok;
}

export async function runSimulate(argv: string[], io: CliIO): Promise<number> {
  // Before the input is read: this process reads, checks and runs one sequence, then ends.
  tuneForOneRun();
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      machine: { type: 'string' },
      deployment: { type: 'string' },
      format: { type: 'string', default: 'text' },
      content: { type: 'string' },
      start: { type: 'string' },
      at: { type: 'string' },
      media: { type: 'string' },
      log: { type: 'boolean' },
      'log-file': { type: 'string' },
      report: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(SIMULATE_USAGE + '\n');
    return 0;
  }
  const format = values.format as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format \`${format}\`; use text or json.`);
  if (positionals.length > 1) throw new UsageError('Give one sequence file.');
  if (positionals.length === 0 && !values.deployment && !values.media)
    throw new UsageError('Give the sequence file to simulate (or --deployment or --media).');
  if (values.content !== undefined && !(CONTENT_MODES as readonly string[]).includes(values.content)) {
    throw new UsageError(`Unknown content option \`${values.content}\`; use ${CONTENT_MODES.join(', ')}.`);
  }
  if (values.start !== undefined && values.at !== undefined)
    throw new UsageError('Give the start of the simulated clock once: --at or --start.');
  if (values.start !== undefined && !Number.isFinite(Date.parse(values.start)))
    throw new UsageError(`--start takes a date and time such as 2025-01-06T08:00:00Z, not \`${values.start}\`.`);
  const atMinutes = values.at !== undefined ? parseAt(values.at) : undefined;
  if (values.at !== undefined && atMinutes === undefined)
    throw new UsageError(`--at takes a date and time such as 2025-03-08 22:30, not \`${values.at}\`.`);
  const reportFile = values.report;
  const reportFormat = reportFile !== undefined ? formatOfFile(reportFile) : undefined;
  if (reportFile !== undefined && !reportFormat)
    throw new UsageError(`--report writes FILE.html or FILE.md, not \`${reportFile}\`.`);
  if (reportFile !== undefined && reportFile === values['log-file'])
    throw new UsageError('--report and --log-file name the same file.');
  const files = {
    sequence: positionals[0],
    machine: values.machine,
    deployment: values.deployment,
    media: values.media,
  };
  // A large input is checked in a worker while this thread reads, runs and writes (workers/input-check.ts).
  const { input, check } = readAndCheck(files);
  const ws = input.ws;
  const color = io.color && !values['no-color'];
  const at =
    atMinutes !== undefined ? clockOf(atMinutes) : values.start !== undefined ? Date.parse(values.start) : undefined;
  const textOptions = { color, log: values.log === true, fileLabel: displayPath(input.sequence.id) };
  // Nothing below reads the log but the notes of each step, unless it is printed or written.
  const logNotesOnly = values.log !== true && !values['log-file'] && reportFile === undefined;
  const prepare = () => prepareRun({ ...input, at, content: values.content as ContentMode | undefined, logNotesOnly });
  const verdict = check.result(input);
  let refused = false;
  verdict.then(
    (found) => (refused = found.errors.length > 0),
    () => (refused = true),
  );
  const ahead = check.aside ? await runWhileChecked(prepare, format, textOptions, () => refused) : undefined;
  const { errors, warnings } = await verdict;
  if (errors.length) {
    io.err(formatDiagnosticLines(ws, errors, color).join('\n') + '\n');
    io.err(
      `tsq simulate: the input has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (\`tsq lint\` shows the same).\n`,
    );
    return 2;
  }
  if (warnings.length) io.err(formatDiagnosticLines(ws, warnings, color).join('\n') + '\n');

  // Refused before the run, so a bad --log-file costs nothing.
  if (values['log-file'] && !writeLogFile(values['log-file'], undefined, ws, io)) return 2;
  if (reportFile && !writeLogFile(reportFile, undefined, ws, io, '--report')) return 2;
  if (ahead && !ahead.ok) throw ahead.failure;
  const run = ahead?.ok ? ahead.run : prepare();
  if (!ahead) run.sim?.run();
  if (values['log-file'] && !writeLogFile(values['log-file'], fullLog(run).map(cmtraceLine).join('\n') + '\n', ws, io))
    return 2;
  if (reportFile && reportFormat) {
    const report = renderDocument(runReportDocument(run, { fileLabel: displayPath(input.sequence.id) }), reportFormat);
    if (!writeLogFile(reportFile, report, ws, io, '--report')) return 2;
  }
  if (ahead?.ok) for (const piece of ahead.pieces) io.out(piece);
  else if (format === 'json') io.out(renderJson(run));
  // Printed in pieces as it is written: a large run's text is never held whole (simulator/text-pieces.ts).
  else writeRunText(run, textOptions, (piece) => io.out(piece));
  return run.sim?.ended === 'succeeded' ? 0 : 1;
}

const renderJson = (run: PreparedRun) => JSON.stringify(renderRunJson(run), null, 2) + '\n';

/** Visits run between two looks at the check, so that a refused input stops a run that would not end. */
const VISITS_PER_SLICE = 20_000;

/** A run made while its input is checked aside: its output held back, or what it threw. */
type RunAhead = { ok: true; run: PreparedRun; pieces: string[] } | { ok: false; failure: unknown };

/**
 * Prepares and runs the simulation and writes its output, unshown, while the worker checks the
 * input. The input is not known to be valid yet, so whatever the run throws is kept for after the
 * check (which shows the errors instead when it refuses), and the run looks at the check between
 * slices of visits, giving up as soon as the input is refused (a broken input may not end).
 */
async function runWhileChecked(
  prepare: () => PreparedRun,
  format: string,
  options: TextOptions,
  refused: () => boolean,
): Promise<RunAhead> {
  try {
    const run = prepare();
    while (run.sim && !run.sim.ended) {
      run.sim.run(VISITS_PER_SLICE);
      // Lets the worker's answer in.
      await new Promise((resolve) => setImmediate(resolve));
      if (refused()) return { ok: false, failure: new Error('the input was refused') };
    }
    const pieces: string[] = [];
    if (format === 'json') pieces.push(renderJson(run));
    else writeRunText(run, options, (piece) => pieces.push(piece));
    return { ok: true, run, pieces };
  } catch (failure) {
    return { ok: false, failure };
  }
}
