// Reading task sequence logs from disk for `tsq log` and the editor's "Open Run Log…": the files
// named, or the smsts*.log / smsts*.lo_ files of a folder named. Only regular files are read (a
// folder is searched, a device, pipe or socket refused by what it is), and no file is read past a
// size cap, whatever size it claims: ConfigMgr rolls smsts.log over at a few megabytes, so a log
// far larger than the cap is not one run's log. Every read of a log goes through `readLogFile`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogInput, LogProblem } from '../runlog/read';
import { readFileBounded, refusalOf } from './read';
import { formatCap } from '../model/source';

/** The most tsq reads of one log file, and of all the files of one run. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;
export const MAX_RUN_BYTES = 256 * 1024 * 1024;

const TOO_LARGE_HINT =
  'ConfigMgr keeps smsts.log in files of a few megabytes (5 MB each since version 1806); give the smsts*.log files of one run.';

/** The bytes of one log file (through the one bounded reader), or why it cannot be read. */
export function readLogFile(file: string, label = file, maxBytes = MAX_LOG_BYTES): LogInput | LogProblem {
  try {
    return {
      name: label,
      bytes: readFileBounded(file, { maxBytes, what: 'tsq reads log files', hint: TOO_LARGE_HINT }),
    };
  } catch (e) {
    const refusal = refusalOf(file, e);
    const hint =
      refusal.kind === 'missing'
        ? 'Check the path; give smsts.log and the smsts-*.log files beside it.'
        : refusal.kind === 'not-a-file'
          ? 'tsq log reads regular files only.'
          : refusal.hint;
    return { file: label, message: refusal.predicate, hint: hint ?? 'Check that you may read it.' };
  }
}

/** Whether a file name is one of the task sequence's logs (`smsts.log`, `smsts-20261201-101500.log`, `smsts.lo_`). */
export function isTaskSequenceLogName(name: string): boolean {
  return /^smsts.*\.lo[g_]$/i.test(name);
}

/** The files named, a folder standing for the task sequence logs in it; the first problem stops the reading. */
export function readLogPaths(
  paths: readonly string[],
): { inputs: LogInput[]; files: string[] } | { problem: LogProblem } {
  const inputs: LogInput[] = [];
  const files: string[] = [];
  let total = 0;
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = fs.statSync(p).isDirectory();
    } catch {
      /* readLogFile says it does not exist */
    }
    let named = [p];
    if (isDir) {
      try {
        named = fs
          .readdirSync(p)
          .filter(isTaskSequenceLogName)
          .sort()
          .map((n) => path.join(p, n));
      } catch (e) {
        return {
          problem: {
            file: p,
            message: `is a folder that cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
            hint: 'Check that you may read it, or name the log files.',
          },
        };
      }
    }
    if (isDir && named.length === 0)
      return {
        problem: {
          file: p,
          message: 'is a folder that holds no smsts*.log file.',
          hint: 'Name the log files, or the folder that holds smsts.log (C:\\Windows\\CCM\\Logs\\SMSTSLog, C:\\_SMSTaskSequence\\Logs\\Smstslog, X:\\Windows\\Temp\\SMSTSLog).',
        },
      };
    for (const file of named) {
      if (files.includes(path.resolve(file))) continue;
      const read = readLogFile(file);
      if (!('bytes' in read)) return { problem: read };
      total += read.bytes.length;
      if (total > MAX_RUN_BYTES)
        return {
          problem: {
            file,
            message: `takes the logs named over ${formatCap(MAX_RUN_BYTES)} in all, more than tsq reads of one run.`,
            hint: TOO_LARGE_HINT,
          },
        };
      inputs.push(read);
      files.push(path.resolve(file));
    }
  }
  return { inputs, files };
}
