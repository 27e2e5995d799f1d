// The `tsq.*` settings the language server reads (contributed by the VS Code extension; other
// editors send the same shape through workspace/configuration or initializationOptions).
// Anything malformed falls back to the default rather than failing.

import type { Severity } from '../analysis/diagnostic';
import { RULE_CODES } from '../analysis/rules';

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
  };
}

export const DEFAULT_SETTINGS: TsqSettings = { diagnostics: { run: 'onType', severity: {}, scope: 'openFiles' } };

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Reads the `tsq` settings section as sent by a client. */
export function readSettings(raw: unknown): TsqSettings {
  const section = isObject(raw) ? raw : {};
  const d = isObject(section.diagnostics) ? section.diagnostics : {};
  const severity: Record<string, Severity | 'off'> = {};
  if (isObject(d.severity)) {
    for (const [code, level] of Object.entries(d.severity)) {
      if (RULE_CODES.has(code) && typeof level === 'string' && LEVELS.has(level)) severity[code] = level as Severity | 'off';
    }
  }
  return {
    diagnostics: {
      run: d.run === 'onSave' ? 'onSave' : 'onType',
      delay: typeof d.delay === 'number' && Number.isFinite(d.delay) && d.delay >= 0 ? Math.min(d.delay, 10_000) : undefined,
      severity,
      scope: d.scope === 'workspace' ? 'workspace' : 'openFiles',
    },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
