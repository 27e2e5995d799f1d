// Reading a subcommand's arguments: node's parseArgs, with its complaints (an unknown option, a
// missing value) turned into usage errors, which every command reports with exit code 2.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../frontend/usage-error';

export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
