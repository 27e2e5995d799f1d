// How the steps of a run end and how tsq shows it, for simulated runs (simulator/) and real runs
// read from smsts.log (runlog/) alike: the statuses a step can end with, the mark and colour a
// terminal report gives each, durations, and exit codes as ConfigMgr's logs write them.

/** How a step or group ended. */
export type StepStatus = 'succeeded' | 'failed' | 'failed-continued' | 'skipped' | 'disabled';

export const COLORS = {
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};
export type Color = keyof typeof COLORS;

/** The mark and colour of each status in a terminal report. */
export const SYMBOL: Record<StepStatus, [string, Color]> = {
  succeeded: ['✔', 'green'],
  failed: ['✘', 'red'],
  'failed-continued': ['✘', 'yellow'],
  skipped: ['↷', 'dim'],
  disabled: ['↷', 'dim'],
};

/** `12 min 5 s`, `3 s`, `2 h 5 min`. */
export function durationText(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600),
    m = Math.floor((total % 3600) / 60),
    s = total % 60;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  if (m) return s ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** A code as ConfigMgr logs show it: decimal when small and positive, else also in hex (`0x80070002`). */
export function exitCodeText(code: number): string {
  if (code >= 0 && code < 0x10000) return String(code);
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
