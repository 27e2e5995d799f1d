// The `tsq.*` settings the language server reads (contributed by the VS Code extension; other
// editors send the same shape through workspace/configuration or initializationOptions).
// Anything malformed falls back to the default rather than failing.

import type { Severity } from '../analysis/diagnostic';
import { RULE_CODES } from '../analysis/rules';
import { MAX_FILE_MB_CEILING } from '../files/read';

export interface TsqSettings {
  diagnostics: {
    /** `onType`: check while typing (and on open and save); `onSave`: only on open and save. */
    run: 'onType' | 'onSave';
    /** Milliseconds to wait after typing stops; undefined: adapt to how long a check takes. */
    delay?: number;
    /** Per rule code: another severity, or `off`. */
    severity: Record<string, Severity | 'off'>;
    /** `openFiles`: report problems of open files; `workspace`: of every tsq file in the folder. */
    scope: 'openFiles' | 'workspace';
    /** Check every tsq file of the workspace folders in the background and send `tsq/workspaceHealth`. */
    workspaceHealth: boolean;
  };
  files: {
    /** Largest tsq file read, in MB; undefined: TSQ_MAX_FILE_MB of the server's environment, else the default. */
    maxSizeMB?: number;
  };
}

export const DEFAULT_SETTINGS: TsqSettings = {
  diagnostics: { run: 'onType', severity: {}, scope: 'openFiles', workspaceHealth: true },
  files: {},
};

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Reads the `tsq` settings section as sent by a client. */
export function readSettings(raw: unknown): TsqSettings {
  const section = isObject(raw) ? raw : {};
  const d = isObject(section.diagnostics) ? section.diagnostics : {};
  const f = isObject(section.files) ? section.files : {};
  const severity: Record<string, Severity | 'off'> = {};
  if (isObject(d.severity)) {
    for (const [code, level] of Object.entries(d.severity)) {
      if (RULE_CODES.has(code) && typeof level === 'string' && LEVELS.has(level))
        severity[code] = level as Severity | 'off';
    }
  }
  return {
    diagnostics: {
      run: d.run === 'onSave' ? 'onSave' : 'onType',
      delay:
        typeof d.delay === 'number' && Number.isFinite(d.delay) && d.delay >= 0 ? Math.min(d.delay, 10_000) : undefined,
      severity,
      scope: d.scope === 'workspace' ? 'workspace' : 'openFiles',
      workspaceHealth: d.workspaceHealth !== false,
    },
    files: {
      maxSizeMB:
        typeof f.maxSizeMB === 'number' && Number.isFinite(f.maxSizeMB) && f.maxSizeMB > 0
          ? Math.min(f.maxSizeMB, MAX_FILE_MB_CEILING)
          : undefined,
    },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
