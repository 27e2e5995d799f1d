// `tsq simulate [--machine FILE] [--deployment FILE] [--format text|json] SEQUENCE` — runs a
// sequence on a simulated machine and shows what ConfigMgr would do: a tree of the steps with
// ✔ ✘ ↷ and the reason for every skip and failure (text), or the CLI contract's JSON. Exit code
// 0: the sequence succeeds; 1: it fails; 2: usage problem or invalid input (lint errors, unknown
// machine keys), which is refused with the diagnostics.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPaths, readDocument, UsageError } from './files';
import { formatDiagnosticLines, displayPath } from './report';
import type { CliIO } from './io';
import type { TsqDocument } from '../model/document';
import type { MachineModel } from '../model/machine';
import { Simulation } from '../simulator/engine';
import { deploymentOptions, kindProblem, validateInput, type SimulationInput } from '../simulator/prepare';
import { CONTENT_MODES, type ContentMode, type SimulationOptions } from '../simulator/types';
import { renderJson, renderText } from '../simulator/report';
import { cmtraceLine } from '../simulator/log';

export const SIMULATE_USAGE = `Usage: tsq simulate [--machine FILE] [--deployment FILE] [--format text|json] [options] SEQUENCE

Runs a task sequence on a simulated computer and shows which steps run, which are skipped and why,
where it fails, and the variables at the end. Nothing is run on a real computer.
  --machine     machine profile (a machine: file); default: an empty x64 UEFI computer
                that starts in Windows PE from the network
  --deployment  deployment file (content option, collection variables)
  --format      text (default: a tree of the run) or json
  --content     downloadAll | downloadWhenNeeded (default) | runFromDistributionPoint
  --start       start time of the simulated clock (ISO 8601, default 2025-01-06T08:00:00Z)
  --log         also print the run's log (in the manner of smsts.log)
  --log-file    write the log to FILE in the CMTrace format smsts.log uses
  --no-color    plain text output (also when NO_COLOR is set or output is not a terminal)
Exit code: 0 the sequence succeeds, 1 it fails, 2 usage problem or invalid input.`;

function readOptional(file: string | undefined): TsqDocument | undefined {
  if (!file) return undefined;
  try {
    if (!fs.statSync(file).isFile()) throw new Error();
  } catch {
    throw new UsageError(`No such file: ${file}`);
  }
  return readDocument(file);
}

/**
 * Reads what a simulated run needs: the sequence with the tsq files beside it (catalogs) and the
 * child sequences it runs, the machine profile and the deployment. Throws UsageError for missing
 * files and files of the wrong kind. Shared with the debug adapter.
 */
export function loadSimulationFiles(file: string, machine?: string, deployment?: string): SimulationInput {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new UsageError(`No such file: ${file}`);
  }
  if (!st.isFile()) throw new UsageError(`${file} is a folder; give the sequence file to simulate.`);
  const { ws, targets } = loadPaths([file]);
  const input: SimulationInput = { ws, sequence: ws.get(targets[0])! };
  for (const [key, f] of [['machine', machine], ['deployment', deployment]] as const) {
    const doc = readOptional(f);
    if (!doc) continue;
    const existing = ws.get(doc.id);
    if (!existing) ws.upsert(doc);
    input[key] = existing ?? doc;
  }
  const wrongKind = kindProblem(input);
  if (wrongKind) throw new UsageError(wrongKind);
  return input;
}

/** Writes `text` to `file` whole or not at all. */
function writeWhole(file: string, text: string): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export async function runSimulate(argv: string[], io: CliIO): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        machine: { type: 'string' },
        deployment: { type: 'string' },
        format: { type: 'string', default: 'text' },
        content: { type: 'string' },
        start: { type: 'string' },
        log: { type: 'boolean' },
        'log-file': { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    io.out(SIMULATE_USAGE + '\n');
    return 0;
  }
  const format = values.format as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format \`${format}\`; use text or json.`);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'Give one sequence file.' : 'Give the sequence file to simulate.');
  if (values.content !== undefined && !(CONTENT_MODES as readonly string[]).includes(values.content)) {
    throw new UsageError(`Unknown content option \`${values.content}\`; use ${CONTENT_MODES.join(', ')}.`);
  }
  if (values.start !== undefined && !Number.isFinite(Date.parse(values.start))) throw new UsageError(`--start takes a date and time such as 2025-01-06T08:00:00Z, not \`${values.start}\`.`);
  const input = loadSimulationFiles(positionals[0], values.machine, values.deployment);
  const ws = input.ws;
  const color = io.color && !values['no-color'];
  const { errors, warnings } = validateInput(input);
  if (errors.length) {
    io.err(formatDiagnosticLines(ws, errors, color).join('\n') + '\n');
    io.err(`tsq simulate: the input has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (\`tsq lint\` shows the same).\n`);
    return 2;
  }
  if (warnings.length) io.err(formatDiagnosticLines(ws, warnings, color).join('\n') + '\n');

  const options: SimulationOptions = { ...deploymentOptions(ws, input.deployment) };
  if (values.content) options.content = values.content as ContentMode;
  if (values.start) options.startTime = values.start;
  const sim = new Simulation(ws, input.sequence, input.machine?.model as MachineModel | undefined, options);
  sim.run();
  if (values['log-file']) writeWhole(values['log-file'], sim.log.slice().map(cmtraceLine).join('\n') + '\n');
  if (format === 'json') io.out(JSON.stringify(renderJson(sim), null, 2) + '\n');
  else io.out(renderText(sim, { color, log: values.log === true, fileLabel: displayPath(input.sequence.id) }));
  return sim.ended === 'succeeded' ? 0 : 1;
}
