// Part `workspaces` of the fuzz run: folders an attacker prepares — tsq files that are links to
// /dev/zero or /dev/urandom, a FIFO named like a sequence, links in loops, a file far above the
// size limit, a ring of thousands of child sequences, a child path naming a device, a
// .tsqignore that is a device or holds a backtracking pattern, a folder named like a file. Each
// folder is linted by the CLI (bin/tsq.js lint, its own process) and opened by the language
// server; each must finish within a time bound, below a memory bound (a process above it is
// stopped at once), and without a stack trace.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuzzReport } from './fuzz-report';
import { RawLanguageServer } from './wire';

const TSQ = join(__dirname, '..', '..', '..', 'bin', 'tsq.js');
const STACK = /\n\s+at /;

const SEQUENCE = 'sequence: Main\nsteps:\n  - name: Run\n    run: cmd /c echo %OSDisk%\n';

export interface HostileWorkspace {
  name: string;
  /** What an attacker does with it. */
  threat: string;
  /** Writes the folder's content into `dir`. */
  make(dir: string): void;
  /** The file to name on the command line and to open (default main.tsq.yaml; an absolute path as it is). */
  entry?: string;
}

const ringOf = (dir: string, count: number) => {
  for (let i = 0; i < count; i++) {
    writeFileSync(
      join(dir, `ring-${i}.tsq.yaml`),
      `sequence: Ring ${i}\nsteps:\n  - name: Next\n    action: RunTaskSequence\n    with: { sequence: ./ring-${(i + 1) % count}.tsq.yaml }\n`,
    );
  }
};

/** A sequence and, beside it, links (name → target). */
const sequenceWithLinks =
  (...links: Array<[string, string]>) =>
  (dir: string) => {
    writeFileSync(join(dir, 'main.tsq.yaml'), SEQUENCE);
    for (const [name, target] of links) symlinkSync(target, join(dir, name));
  };

export const HOSTILE_WORKSPACES: HostileWorkspace[] = [
  {
    name: 'device-links',
    threat: 'tsq files that are links to /dev/zero and /dev/urandom beside a sequence',
    make: sequenceWithLinks(['zero.tsq.yaml', '/dev/zero'], ['random.tsq.yaml', '/dev/urandom']),
  },
  {
    name: 'fifo',
    threat: 'a FIFO named like a sequence (a read blocks until someone writes)',
    make: (dir) => {
      writeFileSync(join(dir, 'main.tsq.yaml'), SEQUENCE);
      const r = spawnSync('mkfifo', [join(dir, 'pipe.tsq.yaml')]);
      if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr.toString()}`);
    },
  },
  {
    name: 'link-loops',
    threat: 'links in loops: a folder linking to its parent, a file linking to itself, two files linking to each other',
    make: (dir) => {
      mkdirSync(join(dir, 'loop'));
      sequenceWithLinks(
        ['loop/up', '..'],
        ['self.tsq.yaml', 'self.tsq.yaml'],
        ['a.tsq.yaml', 'b.tsq.yaml'],
        ['b.tsq.yaml', 'a.tsq.yaml'],
      )(dir);
    },
  },
  {
    name: 'huge-file',
    threat: 'a 2 GB file named like a sequence (sparse: it takes no disk)',
    make: (dir) => {
      writeFileSync(join(dir, 'main.tsq.yaml'), SEQUENCE);
      const fd = openSync(join(dir, 'huge.tsq.yaml'), 'w');
      ftruncateSync(fd, 2 * 1024 ** 3);
      closeSync(fd);
    },
  },
  {
    name: 'child-ring',
    threat: 'a ring of 3,000 child sequences, each running the next',
    make: (dir) => ringOf(dir, 3000),
    entry: 'ring-0.tsq.yaml',
  },
  {
    name: 'child-device',
    threat: 'a sequence whose child sequence path is /dev/zero',
    make: (dir) =>
      writeFileSync(
        join(dir, 'main.tsq.yaml'),
        `${SEQUENCE}  - name: Child\n    action: RunTaskSequence\n    with: { sequence: /dev/zero }\n`,
      ),
  },
  {
    name: 'tsqignore-device',
    threat: 'a .tsqignore that is a link to /dev/zero',
    make: sequenceWithLinks(['.tsqignore', '/dev/zero']),
  },
  {
    name: 'tsqignore-backtracking',
    threat: 'a .tsqignore pattern that backtracks on a long file name',
    make: (dir) => {
      writeFileSync(join(dir, 'main.tsq.yaml'), SEQUENCE);
      writeFileSync(join(dir, '.tsqignore'), `${'*a'.repeat(15)}*c\n`);
      writeFileSync(join(dir, `${'a'.repeat(200)}.tsq.yaml`), SEQUENCE);
    },
  },
  {
    name: 'device-named',
    threat: '`tsq lint /dev/zero` (and /dev/zero opened as a document)',
    make: (dir) => writeFileSync(join(dir, 'main.tsq.yaml'), SEQUENCE),
    entry: '/dev/zero',
  },
  {
    name: 'folder-named-like-a-file',
    threat: 'a folder named x.tsq.yaml',
    make: (dir) => {
      writeFileSync(join(dir, 'main.tsq.yaml'), SEQUENCE);
      mkdirSync(join(dir, 'x.tsq.yaml'));
    },
  },
];

export interface WorkspaceFuzzOptions {
  seed: number;
  /** Only the workspaces whose names hold one of these (all when empty). */
  only?: string[];
  timeoutMs?: number;
  memoryBoundMB?: number;
  progress?: (line: string) => void;
}

interface Measured {
  ms: number;
  peakMB: number;
  /** Why it counts as failed, if it does. */
  problem?: { kind: 'hang' | 'memory' | 'crash'; text: string };
}

function memoryOf(pid: number | undefined): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Watches a process: its peak memory, and stops it above the memory bound or past the time bound. */
function watch(
  child: ChildProcess,
  timeoutMs: number,
  memoryBoundMB: number,
): { stop(): void; result(): { peakMB: number; over?: 'hang' | 'memory' } } {
  let peakMB = 0;
  let over: 'hang' | 'memory' | undefined;
  const started = Date.now();
  const timer = setInterval(() => {
    const m = memoryOf(child.pid);
    peakMB = Math.max(peakMB, m.peak);
    if (m.rss > memoryBoundMB) over = 'memory';
    else if (Date.now() - started > timeoutMs) over = 'hang';
    if (over) child.kill('SIGKILL');
  }, 50);
  return { stop: () => clearInterval(timer), result: () => ({ peakMB, over }) };
}

function isRegularFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- nothing at the path is not a regular file
    return false;
  }
}

/** `tsq lint --format json PATH` in its own process. */
async function lint(target: string, timeoutMs: number, memoryBoundMB: number): Promise<Measured> {
  const started = Date.now();
  const child = spawn(process.execPath, [TSQ, 'lint', '--format', 'json', target], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout!.resume();
  child.stderr!.on(
    'data',
    (b: Buffer) => (stderr += b.toString()).length > 100_000 && (stderr = stderr.slice(-50_000)),
  );
  const watcher = watch(child, timeoutMs, memoryBoundMB);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  watcher.stop();
  const { peakMB, over } = watcher.result();
  const ms = Date.now() - started;
  if (over === 'hang')
    return { ms, peakMB, problem: { kind: 'hang', text: `tsq lint did not finish within ${timeoutMs} ms` } };
  if (over === 'memory')
    return { ms, peakMB, problem: { kind: 'memory', text: `tsq lint went above ${memoryBoundMB} MB and was stopped` } };
  if (STACK.test(stderr) || code === null || code > 2)
    return {
      ms,
      peakMB,
      problem: { kind: 'crash', text: `tsq lint ended with code ${code}: ${stderr.slice(0, 300)}` },
    };
  return { ms, peakMB };
}

/**
 * The language server with `folder` as its workspace folder (or none): the file `open` is
 * opened, checked, and a request answered.
 */
async function serve(
  folder: string | undefined,
  open: string,
  timeoutMs: number,
  memoryBoundMB: number,
): Promise<Measured> {
  const started = Date.now();
  let server: RawLanguageServer | undefined;
  let watcher: ReturnType<typeof watch> | undefined;
  const finish = (problem?: Measured['problem']): Measured => {
    watcher?.stop();
    const r = watcher?.result() ?? { peakMB: 0 };
    const over =
      r.over === 'memory'
        ? { kind: 'memory' as const, text: `the language server went above ${memoryBoundMB} MB and was stopped` }
        : r.over === 'hang'
          ? {
              kind: 'hang' as const,
              text: `the language server was not done within ${timeoutMs} ms (${problem?.text ?? 'stopped'})`,
            }
          : undefined;
    return { ms: Date.now() - started, peakMB: r.peakMB, problem: over ?? problem };
  };
  try {
    server = RawLanguageServer.spawn();
    watcher = watch(server.process, timeoutMs, memoryBoundMB);
    const initialized = await server.initialize(folder && pathToFileURL(folder).href, {}, timeoutMs).then(
      () => true,
      () => false,
    );
    if (!initialized)
      return finish({
        kind: server.alive ? 'hang' : 'crash',
        text: `the language server did not answer initialize within ${timeoutMs} ms`,
      });
    const uri = pathToFileURL(open).href;
    // The editor's text: the file's, when it is a file; what an editor shows for a device or a FIFO is its own business.
    const text = isRegularFile(open) ? readFileSync(open, 'utf8') : SEQUENCE;
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'tasksequence', version: 1, text } });
    const published = await server.until(() => server!.diagnostics.get(uri)?.length || undefined, timeoutMs);
    if (!published)
      return finish({
        kind: server.alive ? 'hang' : 'crash',
        text: `no diagnostics for a file opened in the folder within ${timeoutMs} ms${server.alive ? '' : ' (the server exited)'}`,
      });
    const id = server.send('workspace/symbol', { query: '' });
    const answer = await server.until(() => server!.responses.get(id), timeoutMs);
    if (!answer) return finish({ kind: 'hang', text: `no answer to workspace/symbol within ${timeoutMs} ms` });
    const stack = [...server.log, server.stderr.join('\n')].find((l) => STACK.test(l));
    if (stack) return finish({ kind: 'crash', text: `a stack trace in the log: ${stack.slice(0, 300)}` });
    return finish();
  } finally {
    if (server?.alive) {
      server.process.kill('SIGKILL');
    }
  }
}

export async function fuzzWorkspaces(options: WorkspaceFuzzOptions): Promise<FuzzReport & { table: string[] }> {
  const report = Object.assign(new FuzzReport('workspaces', options.seed), { table: [] as string[] });
  const timeoutMs = options.timeoutMs ?? 20_000;
  const memoryBoundMB = options.memoryBoundMB ?? 600;
  const chosen = HOSTILE_WORKSPACES.filter(
    (w) => !options.only?.length || options.only.some((o) => w.name.includes(o)),
  );
  for (const w of chosen) {
    const dir = mkdtempSync(join(tmpdir(), `tsq-fuzz-${w.name}-`));
    try {
      w.make(dir);
      const entry = w.entry && isAbsolute(w.entry) ? w.entry : join(dir, w.entry ?? 'main.tsq.yaml');
      const probes: Array<[string, () => Promise<Measured>]> = [
        ['tsq lint DIR', () => lint(dir, timeoutMs, memoryBoundMB)],
        ['tsq lint FILE', () => lint(entry, timeoutMs, memoryBoundMB)],
        ['server, folder', () => serve(dir, entry, timeoutMs, memoryBoundMB)],
        ['server, file', () => serve(undefined, entry, timeoutMs, memoryBoundMB)],
      ];
      for (const [front, measure] of probes) {
        report.inputs++;
        const m = await measure();
        report.noteMemory(m.peakMB);
        const line = `${w.name.padEnd(26)} ${front.padEnd(16)} ${m.problem ? m.problem.kind.toUpperCase().padEnd(7) : 'ok'.padEnd(7)} ${(m.ms / 1000).toFixed(1).padStart(6)} s ${Math.round(m.peakMB).toString().padStart(6)} MB${m.problem ? `  ${m.problem.text.replace(/\s+/g, ' ').slice(0, 160)}` : ''}`;
        report.table.push(line);
        options.progress?.(line);
        if (m.problem)
          report.fail(m.problem.kind, `${w.name} (${w.threat}), ${front}: ${m.problem.text}`, {
            workspace: w.name,
            threat: w.threat,
            front,
            note: 'make the folder with HOSTILE_WORKSPACES in test/reliability/fuzz-workspaces.ts',
          });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return report;
}
