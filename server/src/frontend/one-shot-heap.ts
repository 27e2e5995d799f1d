// The heap a process starts with when it will read and run one large sequence (`tsq simulate` on a
// large file, the debug adapter). V8 starts an old generation small and, the first time it fills,
// marks and compacts the whole heap to decide how far to let it grow. Reading a 100,000-step
// sequence (18 MB) makes a parsed tree of about 180 MB that all stays alive until the process
// ends, so that first full collection comes while the tree is being checked, marks every node of
// it and frees nothing: 178 → 177 MB, about 150 ms of the main thread plus the marking threads'
// work (`--trace-gc`). Started with `--initial-old-space-size` at least as large as what the run
// will hold, V8 never makes it; the heap and the peak memory are the same, since it freed nothing.
//
// V8 takes that size only when the process starts (`v8.setFlagsFromString` later changes nothing,
// unlike the inlining budget of one-shot-tuning.ts), so:
// - `tsq simulate` naming files of RELAUNCH_FROM_MB's worth (about 11 MB of YAML and more) is run
//   in a second Node process started with the flag: bin/tsq.js calls `startTsq`, which costs one
//   Node start (50–75 ms of CPU) where the collection it spares costs two to three times that; smaller
//   inputs never reach V8's first limit and run in the first process as before;
// - the debug adapter is started with ADAPTER_OLD_SPACE_MB by VS Code itself: package.json declares
//   it as the adapter's `runtimeArgs` (test/unit/one-shot-heap.test.ts holds the two equal). A
//   client that starts `node dist/debug.js` on its own gets V8's defaults, and the same answers.
// - `tsq lint` naming files and folders of that size is relaunched the same way: it holds every file
//   it reads until it ends too, and without the flag a 500-sequence folder (15 MB) meets two full
//   collections that free little. The folders are weighed by listing their tsq files as the lint
//   will (`tsqFileBytesWithin`: a walk of names and sizes, a few milliseconds for 522 files, and
//   given up past MOST_FOLDERS_WEIGHED folders), before anything is read.
// Measured in docs/performance.md, "The heap of a one-shot process" and "The heap of `tsq lint`".

import { spawn } from 'node:child_process';
import { requireRegularFile } from '../files/read';
import { tsqFileBytesWithin } from '../files/load';

/** Old-generation megabytes a simulation holds per megabyte of input, with room: 18 MB of `mixed` steps hold about 305 MB. */
const OLD_SPACE_PER_INPUT_BYTE = 24;
/** Below this old generation (MB), V8's own first limit (about 180 MB) is rarely reached: no second process. */
const RELAUNCH_FROM_MB = 256;
/** The most asked for; V8 also keeps it under its own maximum for the machine. */
const MOST_MB = 4096;
/** The debug adapter's old generation at start (package.json, `contributes.debuggers[].runtimeArgs`). */
export const ADAPTER_OLD_SPACE_MB = 512;

/** The V8 flag that starts the old generation at `mb` megabytes. */
export function oldSpaceFlag(mb: number): string {
  return `--initial-old-space-size=${mb}`;
}

/** Bytes of the regular file at `file`; 0 for anything else (an option's value, a missing file). */
function fileBytes(file: string): number {
  try {
    return requireRegularFile(file).size;
  } catch {
    // Not a file this command reads: the command itself says what is wrong with it.
    return 0;
  }
}

/**
 * Folders a weighing enters at most. The lint searches the folder again, so a tree of thousands
 * of folders of other files is not searched twice: it counts nothing, and the lint runs here as
 * before (the search takes about 0.1 ms of CPU a folder; 10 folders hold the 500-sequence
 * workspace).
 */
const MOST_FOLDERS_WEIGHED = 500;

/** Bytes of the tsq files at `file` (a file, or a folder searched as `tsq lint` searches it). */
const pathBytes = (file: string) => tsqFileBytesWithin([file], MOST_FOLDERS_WEIGHED) ?? 0;

/** The commands that read their input, keep it until they end, and are relaunched for a large one; how each weighs what it is given. */
const WEIGHED_BY: Record<string, (file: string) => number> = { simulate: fileBytes, lint: pathBytes };

/**
 * The V8 flags the `tsq` command line `argv` should start with: the old generation sized for a
 * `tsq simulate` or `tsq lint` whose named files (and, for lint, folders) are large, else none.
 * Every argument that names a file counts (an option's value given as `--machine=FILE` too);
 * what else is named weighs nothing.
 */
export function heapFlagsFor(
  argv: readonly string[],
  sizeOf: ((file: string) => number) | undefined = undefined,
  fromMB = RELAUNCH_FROM_MB,
): string[] {
  if (!Object.hasOwn(WEIGHED_BY, argv[0] ?? '')) return [];
  const weigh = sizeOf ?? WEIGHED_BY[argv[0]];
  let bytes = 0;
  for (const arg of argv.slice(1)) {
    const value = arg.startsWith('--') ? arg.slice(arg.indexOf('=') + 1 || arg.length) : arg.startsWith('-') ? '' : arg;
    if (value) bytes += weigh(value);
  }
  const mb = Math.min(MOST_MB, Math.ceil((bytes * OLD_SPACE_PER_INPUT_BYTE) / 1048576));
  return mb >= fromMB && mb > 0 ? [oldSpaceFlag(mb)] : [];
}

/** What `startTsq` may be told (tests). */
export interface StartOptions {
  /** Old-generation megabytes from which a second process is started (default RELAUNCH_FROM_MB). */
  relaunchFromMB?: number;
}

/** Signals passed on to the second process, which ends as it would have ended alone. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs the `tsq` command line `argv` with the CLI bundle at `cli` (dist/cli.js): in this process,
 * or, for a large simulation, in a second one started with the heap flags, sharing this process's
 * standard streams; this process then ends with the second one's exit code (or its signal). A
 * process started with Node options of its own (`--inspect`, `--cpu-prof`) is never relaunched, so
 * that what it asked for applies to the work. A second process that cannot start leaves the work
 * to this one.
 */
export function startTsq(cli: string, argv = process.argv.slice(2), options: StartOptions = {}): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CLI bundle is loaded only by the process that does the work
  const runHere = () => (require(cli) as { run(): void }).run();
  const flags = process.execArgv.length ? [] : heapFlagsFor(argv, undefined, options.relaunchFromMB);
  if (!flags.length) return runHere();
  const child = spawn(process.execPath, [...flags, cli, ...argv], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  const done = () => {
    for (const signal of FORWARDED) process.off(signal, forward);
  };
  let started = false;
  child.on('spawn', () => (started = true));
  // Only a process that never started leaves the work here (a failed `kill` is an error too).
  child.on('error', () => {
    if (started) return;
    done();
    runHere();
  });
  child.on('exit', (code, signal) => {
    done();
    // Ended by a signal: end the same way, so that a shell sees what it would have seen.
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 2;
  });
}
