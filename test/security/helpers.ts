// Hostile folders for the reading tests: a scratch folder with sequences, links to devices, named
// pipes and folders where files are expected, and the `tsq` command run as a separate process (a
// read that blocks cannot then block the test runner: the process is killed after `timeout` and
// the test fails with what it printed).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ROOT } from '../simulator/helpers';

export const TSQ = path.join(ROOT, 'bin', 'tsq.js');

/** Long enough for a slow, shared machine; a read that blocks or never ends takes forever. */
export const HANG_LIMIT_MS = 30_000;

export interface Run {
  code: number | null;
  out: string;
  err: string;
  /** Set when the process had to be killed: it hung. */
  killed: boolean;
}

/** Runs `tsq ARGS` in `cwd`; never waits longer than HANG_LIMIT_MS. */
export function runTsq(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): Run {
  const r = spawnSync(process.execPath, [TSQ, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: HANG_LIMIT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    uid: options.uid,
    gid: options.gid,
  });
  return {
    code: r.status,
    out: r.stdout ?? '',
    err: r.stderr ?? '',
    killed: r.signal !== null || r.error !== undefined,
  };
}

/** The run finished by itself; its output in the failure message otherwise. */
export function finished(r: Run): Run {
  if (r.killed)
    throw new Error(
      `tsq did not finish within ${HANG_LIMIT_MS / 1000} s (it hung).\nstdout:\n${r.out.slice(0, 2000)}\nstderr:\n${r.err.slice(0, 2000)}`,
    );
  return r;
}

export interface Folder {
  dir: string;
  path(rel: string): string;
  write(rel: string, text: string | Buffer): string;
  link(rel: string, target: string): string;
  fifo(rel: string): string;
  folder(rel: string): string;
  dispose(): void;
}

export function hostileFolder(): Folder {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-hostile-')));
  const p = (rel: string) => path.join(dir, rel);
  return {
    dir,
    path: p,
    write(rel, text) {
      fs.mkdirSync(path.dirname(p(rel)), { recursive: true });
      fs.writeFileSync(p(rel), text);
      return p(rel);
    },
    link(rel, target) {
      fs.symlinkSync(target, p(rel));
      return p(rel);
    },
    fifo(rel) {
      const r = spawnSync('mkfifo', [p(rel)]);
      if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr.toString()}`);
      return p(rel);
    },
    folder(rel) {
      fs.mkdirSync(p(rel), { recursive: true });
      return p(rel);
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export const SEQUENCE =
  'sequence: Main\nsteps:\n  - name: Say hello\n    action: RunCommandLine\n    with: { commandLine: cmd.exe /c echo hello }\n';

/** A sequence whose only step runs the child sequence at `ref`. */
export function parentOf(ref: string): string {
  return `sequence: Parent\nsteps:\n  - name: Run the child\n    action: RunTaskSequence\n    with: { sequence: '${ref}' }\n`;
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

export function findings(r: Run): JsonFinding[] {
  return JSON.parse(r.out) as JsonFinding[];
}

/** The first line of a diagnostic's message (the rest is the hint). */
export const headline = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value).split('\n')[0];

/** A finding as both front ends can show it: 1-based place, code, message without the hint. */
export interface Seen {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  message: string;
}

/** Diagnostics in the shape `tsq lint --format json` prints (1-based, message without the hint), sorted. */
export function fromEditor(list: Diagnostic[]): Seen[] {
  return list
    .map((d) => ({
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      code: String(d.code),
      message: headline(d),
    }))
    .sort(byPlace);
}

/** What `tsq lint --format json FILE` (run in `cwd`) reports, in the same shape and order. */
export function fromLint(file: string, cwd: string, extra: string[] = []): Seen[] {
  const r = finished(runTsq(['lint', ...extra, '--format', 'json', file], { cwd }));
  return findings(r)
    .map((x) => {
      const j = x as unknown as Seen;
      return {
        line: j.line,
        column: j.column,
        endLine: j.endLine,
        endColumn: j.endColumn,
        code: j.code,
        message: j.message,
      };
    })
    .sort(byPlace);
}

function byPlace(a: Seen, b: Seen): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
}
