// The DAP event the debug adapter sends as a simulated run ends, carrying its run report, and
// what the VS Code client reads from it to offer "Open Run Report" (no code behind it, so that the
// client can share it).

/** The DAP event the debug adapter sends as a run ends: the run report, as HTML. */
export const RUN_REPORT_EVENT = 'tsqRunReport';

export interface RunReportEventBody {
  title: string;
  /** The same self-contained HTML `tsq simulate --report FILE.html` writes. */
  html: string;
  /** The same report as Markdown, for saving. */
  markdown: string;
  result: 'succeeded' | 'failed' | 'not-started';
}
