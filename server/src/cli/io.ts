// How CLI commands talk to the outside world; tests pass their own to capture output.

export interface CliIO {
  out(s: string): void;
  err(s: string): void;
  /** Colours allowed (a terminal, and NO_COLOR not set). */
  color: boolean;
  version: string;
}

export function processIO(version: string): CliIO {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    color: !!process.stdout.isTTY && !process.env.NO_COLOR,
    version,
  };
}
