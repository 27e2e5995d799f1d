// The shape of the `tsq/workspaceHealth` notification (lsp/workspace-health.ts sends it), with no
// code behind it, so that the VS Code client can share it without taking in the server.

export const WORKSPACE_HEALTH_NOTIFICATION = 'tsq/workspaceHealth';

/** One file with errors or warnings, and where its first (most severe) problem is. */
export interface FileHealth {
  uri: string;
  errors: number;
  warnings: number;
  information: number;
  first: { line: number; character: number; severity: 'error' | 'warning'; code: string; message: string };
}

/**
 * The problems of every task sequence file in the workspace folders (and the files open in the
 * editor), sent whenever it changes. Hints are not counted.
 */
export interface WorkspaceHealth {
  /** True while files are still being read or checked (the counts may still grow). */
  checking: boolean;
  /** Files checked so far. */
  checked: number;
  errors: number;
  warnings: number;
  information: number;
  /** How many files have errors or warnings (`files` may list fewer, see FILES_LISTED). */
  filesWithProblems: number;
  /** The files with errors or warnings, most errors first (at most FILES_LISTED of them). */
  files: FileHealth[];
  /** Which files the Problems panel shows (`tsq.diagnostics.scope`), for the client to explain. */
  scope: 'openFiles' | 'workspace';
}

/** A summary lists at most this many files, so that a huge broken repository sends a small message. */
export const FILES_LISTED = 200;
