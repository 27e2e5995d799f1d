// How CLI commands talk to the outside world; tests pass their own to capture output.

export interface CliIO {
  out(s: string): void;
  err(s: string): void;
  /** Colours allowed (a terminal, and NO_COLOR not set). */
  color: boolean;
  version: string;
}

/**
 * Writes to `stream` until its reader goes away. `tsq simulate … | head` closes the pipe early;
 * the write that finds it closed fails with EPIPE, which without a handler ends the process with
 * a stack trace (and the command's own exit code lost). The rest of the output is dropped instead
 * and the command finishes as it would have.
 */
function writerTo(stream: NodeJS.WriteStream): (s: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return (s) => {
    if (!closed) stream.write(s);
  };
}

export function processIO(version: string): CliIO {
  return {
    out: writerTo(process.stdout),
    err: writerTo(process.stderr),
    color: !!process.stdout.isTTY && !process.env.NO_COLOR,
    version,
  };
}
