// `tsq lint [--format text|json|sarif] PATH...` — checks files and folders and reports their
// findings (at most 100 of each rule per file, then one that counts the rest:
// analysis/finding-cap.ts). Exit code 0: no errors; 1: errors found; 2: usage or I/O problem (CLI
// contract).

import { parseCommandLine } from './arguments';
import { analyzeDocument } from '../analysis/analyze';
import { ALL_RULES } from '../analysis/rules';
import type { Diagnostic, Severity } from '../analysis/diagnostic';
import { loadPaths, type LoadedFiles } from '../frontend/load-paths';
import { UsageError } from '../frontend/usage-error';
import { formatText, toJson, toSarif } from '../frontend/diagnostic-report';
import { tsqFileBytes } from '../files/load';
import { tsqFileLimit } from '../files/read';
import { checkShared, helpersFor, HelperTeam } from '../workers/parallel-check';
import type { CliIO } from './io';
import { tuneForOneRun } from '../frontend/one-shot-tuning';

export const LINT_USAGE = `Usage: tsq lint [--format text|json|sarif] [--severity CODE=LEVEL]... [--no-color] PATH...

Checks *.tsq.yaml files (folders are searched) and prints the problems found (per file, the
first 100 of each rule, then how many more there are).
  --format      text (default), json (an array of findings) or sarif (SARIF 2.1.0)
  --severity    change a rule's severity: CODE=error|warning|information|hint|off
  --no-color    plain text output (also when NO_COLOR is set or output is not a terminal)
Exit code: 0 no errors, 1 errors found, 2 usage or I/O problem (also when no tsq file is found).`;

export async function runLint(argv: string[], io: CliIO): Promise<number> {
  tuneForOneRun();
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      severity: { type: 'string', multiple: true },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(LINT_USAGE + '\n');
    return 0;
  }
  const format = values.format as string;
  if (!['text', 'json', 'sarif'].includes(format))
    throw new UsageError(`Unknown format \`${format}\`; use text, json or sarif.`);
  const severity: Record<string, Severity | 'off'> = {};
  for (const s of values.severity ?? []) {
    const m = /^([a-z-]+)=(error|warning|information|hint|off)$/.exec(s);
    if (!m) throw new UsageError(`--severity takes CODE=error|warning|information|hint|off, not \`${s}\`.`);
    if (!ALL_RULES.some((r) => r.code === m[1])) throw new UsageError(`\`${m[1]}\` is not a tsq rule.`);
    severity[m[1]] = m[2] as Severity | 'off';
  }
  // Large folders are checked on more cores; helpers start before this thread reads anything,
  // so that they read alongside it (workers/parallel-check.ts).
  const team = HelperTeam.start({
    recipe: { kind: 'paths', paths: positionals },
    severity,
    maxFileBytes: tsqFileLimit().maxBytes,
    helpers: helpersFor(() => tsqFileBytes(positionals)),
  });
  let loaded: LoadedFiles;
  try {
    loaded = loadPaths(positionals);
  } catch (e) {
    team?.stop();
    throw e;
  }
  const { ws, targets, notes } = loaded;
  for (const note of notes) io.err(`tsq lint: warning: ${note}\n`);
  if (targets.length === 0) {
    // A CI job pointed at the wrong folder would otherwise pass, checking nothing.
    team?.stop();
    throw new UsageError(
      `No tsq files to check in ${positionals.join(', ')}: tsq lint reads files named *.tsq.yaml or *.tsq.yml ` +
        `(folders are searched; .tsqignore leaves files out). Name the folder that holds your sequences, ` +
        `or import ConfigMgr's XML first (tsq import).`,
    );
  }
  const perFile = await checkShared(ws, targets, (id) => analyzeDocument(ws, ws.get(id)!, { severity }), team);
  const diags: Diagnostic[] = perFile.flat();
  if (format === 'json') io.out(JSON.stringify(toJson(ws, diags), null, 2) + '\n');
  else if (format === 'sarif') io.out(JSON.stringify(toSarif(ws, diags, ALL_RULES, io.version), null, 2) + '\n');
  else io.out(formatText(ws, diags, targets.length, io.color && !values['no-color']));
  return diags.some((d) => d.severity === 'error') ? 1 : 0;
}
