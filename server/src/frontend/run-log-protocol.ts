// The shape of the `tsq/runLog` request (lsp/run-log.ts answers it), with no code behind it, so
// that the VS Code client can share it without taking in the server.

export const RUN_LOG_REQUEST = 'tsq/runLog';

export interface RunLogParams {
  textDocument: { uri: string };
  /** The log files (or folders holding them), as file URIs or paths. */
  logs: string[];
}

/** The status words of `tsq simulate`, or what the run did not do. */
export type RunLogNodeStatus =
  'succeeded' | 'failed' | 'failed-continued' | 'skipped' | 'disabled' | 'not-reached' | 'unfinished';

export interface RunLogRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface RunLogNode {
  /** The node's name in the file. */
  range: RunLogRange;
  /** ConfigMgr's number of the instruction (`Pointer: N` in smsts.log). */
  pointer: number | null;
  kind: 'group' | 'step';
  status: RunLogNodeStatus | null;
  exitCode: number | null;
  /** Markdown: what happened, with the log lines. */
  hover: string;
}

export interface RunLogProblem {
  range: RunLogRange;
  /** 1 error (the run failed here), 2 warning (it failed and the run went on). */
  severity: 1 | 2;
  message: string;
}

export interface RunLogDocument {
  uri: string;
  nodes: RunLogNode[];
  problems: RunLogProblem[];
}

export type RunLogResult =
  | {
      ok: true;
      result: 'succeeded' | 'failed' | 'incomplete';
      summary: string;
      /** The log files read, in run order (paths). */
      logs: string[];
      notes: string[];
      documents: RunLogDocument[];
      /** A machine profile that replays the run (what `tsq log --machine-out` writes). */
      machineProfile: string;
    }
  | { ok: false; message: string };
