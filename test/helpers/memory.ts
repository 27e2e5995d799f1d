// Memory of a child process, for tests and runs that bound it.

import { readFileSync } from 'node:fs';

/** The process's peak resident memory in MB (Linux: VmHWM), or undefined where it cannot be read. */
export function peakMemoryMB(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- no /proc (not Linux): there is no figure to give
    return undefined;
  }
}
