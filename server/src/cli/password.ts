// Where the CLI takes a package password from: an environment variable (`--password-env NAME`,
// for CI, where secrets arrive as variables) or the first line of standard input
// (`--password-stdin`). Never from the command line itself, which other users can see.

import { UsageError } from '../frontend/usage-error';

export async function readPassword(
  envName: string | undefined,
  fromStdin: boolean | undefined,
): Promise<string | undefined> {
  if (envName !== undefined && fromStdin)
    throw new UsageError('Give the password one way: --password-env or --password-stdin.');
  if (envName !== undefined) {
    const v = process.env[envName];
    if (v === undefined || v === '')
      throw new UsageError(`The environment variable ${envName} (from --password-env) is not set.`);
    return v;
  }
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) {
      chunks.push(c as Buffer);
      if (Buffer.concat(chunks).includes(0x0a)) break;
    }
    const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
    if (!line) throw new UsageError('No password arrived on standard input.');
    return line;
  }
  return undefined;
}
