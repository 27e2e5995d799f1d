// The password of a media package, from where the media file says it comes from: an environment
// variable (`password: { env: NAME }`, for CI) or a prompt (`password: { prompt: true }`): typed
// at the terminal without echo, or the first line of standard input when that is not a terminal.
// The password is never taken from the command line or the file, and never printed.

import type { MediaPassword } from '../model/media';
import { UsageError } from '../frontend/usage-error';
import { readPassword } from './password';

export async function mediaPassword(
  ref: MediaPassword,
  mediaName: string,
  ask: (prompt: string) => Promise<string> = askTerminal,
): Promise<string> {
  if ('env' in ref) {
    const value = process.env[ref.env];
    if (value === undefined || value === '')
      throw new UsageError(
        `The media “${mediaName}” takes its password from the environment variable ${ref.env}, which is not set.`,
      );
    return value;
  }
  const typed = process.stdin.isTTY
    ? await ask(`Password for the media “${mediaName}”: `)
    : await readPassword(undefined, true);
  if (!typed) throw new UsageError('No password was given.');
  return typed;
}

/** Reads a line from the terminal without showing it. */
function askTerminal(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
