// The reliability run (`npm run fuzz`, and a short run in `npm test`): its three parts, one
// after the other, with their figures and every failure's reproducer.
//   lsp         random edits through the language server, checked against `tsq lint` (fuzz-lsp.ts)
//   dap         garbage and malformed requests to the debug adapter (fuzz-dap.ts)
//   workspaces  hostile folders linted by the CLI and opened by the server (fuzz-workspaces.ts)

import { fuzzDebugAdapter } from './fuzz-dap';
import { fuzzLanguageServer } from './fuzz-lsp';
import { FAILURES_DIR, type FuzzReport } from './fuzz-report';
import { fuzzWorkspaces } from './fuzz-workspaces';

export const PARTS = ['lsp', 'dap', 'workspaces'] as const;
export type Part = (typeof PARTS)[number];

export interface FuzzOptions {
  seed: number;
  parts: readonly Part[];
  /** Edits through the language server. */
  edits: number;
  /** Inputs to the debug adapter. */
  dapInputs: number;
  /** Only the hostile workspaces whose names hold one of these. */
  workspaces?: string[];
  /** Where progress and results go, line by line. */
  print: (line: string) => void;
}

/** Runs the chosen parts; returns their reports (a part with any failure failed). */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport[]> {
  const { print } = options;
  const reports: FuzzReport[] = [];
  const every = (n: number) => {
    let next = n;
    return (report: FuzzReport) => {
      if (report.inputs < next) return;
      print(`  ${report.summary()}`);
      while (next <= report.inputs) next += n;
    };
  };
  for (const part of options.parts) {
    print(`== ${part} (seed ${options.seed})`);
    let report: FuzzReport;
    if (part === 'lsp')
      report = await fuzzLanguageServer({
        seed: options.seed,
        edits: options.edits,
        progress: every(Math.max(1000, Math.floor(options.edits / 20))),
      });
    else if (part === 'dap')
      report = await fuzzDebugAdapter({
        seed: options.seed,
        inputs: options.dapInputs,
        progress: every(Math.max(1000, Math.floor(options.dapInputs / 10))),
      });
    else
      report = await fuzzWorkspaces({
        seed: options.seed,
        only: options.workspaces,
        progress: (line) => print(`  ${line}`),
      });
    print(report.summary(part === 'lsp' ? 'edits' : part === 'workspaces' ? 'checks' : 'inputs'));
    for (const f of report.failures)
      print(`  ✘ ${f.kind}: ${f.summary}${f.reproducer ? `\n    reproducer: ${f.reproducer}` : ''}`);
    reports.push(report);
  }
  const failed = reports.reduce((n, r) => n + r.failures.length, 0);
  print(
    failed
      ? `== ${failed} failure(s); reproducers in ${FAILURES_DIR}; run again with --seed ${options.seed}`
      : `== no failures (seed ${options.seed})`,
  );
  return reports;
}
