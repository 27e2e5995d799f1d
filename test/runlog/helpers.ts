// Helpers for the run-log tests: the four sample runs in test/fixtures/runlog (their logs, their
// sequences, what tsq log must find in them), a writer of CMTrace entries for logs made up in a
// test, and the reader run in-process on bytes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from '../../scripts/catalog-docs';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { readRunLogs, type LogInput, type RunLog, type SequenceInput } from '../../server/src/runlog/read';
import { decodeLog } from '../../server/src/runlog/cmtrace';

export const ROOT = repositoryRoot(__dirname);
export const RUNLOG_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'runlog');

export const SAMPLES = ['01-simple-success', '02-nested-failure', '03-restart-rollover', '04-child-failure'] as const;
export type Sample = (typeof SAMPLES)[number];

export function sampleDir(sample: Sample): string {
  return path.join(RUNLOG_FIXTURES, sample);
}

/** The log files of a sample, in the order of their names. */
export function sampleLogPaths(sample: Sample): string[] {
  return fs
    .readdirSync(sampleDir(sample))
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => path.join(sampleDir(sample), f));
}

export function sampleInputs(sample: Sample): LogInput[] {
  return sampleLogPaths(sample).map((p) => ({ name: path.basename(p), bytes: fs.readFileSync(p) }));
}

export function sampleSequence(sample: Sample): SequenceInput {
  const { ws, targets } = loadPaths([path.join(sampleDir(sample), 'sequence.tsq.yaml')]);
  return { ws, doc: ws.get(targets[0])! };
}

export interface ExpectedStep {
  path: string;
  name: string;
  kind: 'group' | 'step';
  pointer: number;
  status: string;
  exitCode: number | null;
  start: string;
  end: string;
  startLine: { file: string; line: number };
  line: { file: string; line: number };
  message?: string;
}

export interface Expected {
  files: string[];
  encodings: Record<string, string>;
  result: string;
  steps: ExpectedStep[];
  notReached: string[];
  restarts: { after: string; target: string; line: { file: string; line: number }; at: string }[];
}

export function expected(sample: Sample): Expected {
  return JSON.parse(fs.readFileSync(path.join(sampleDir(sample), 'expected.json'), 'utf8')) as Expected;
}

/** Reads inputs that must be usable; fails the test with the reader's problem otherwise. */
export function readOk(inputs: LogInput[], sequence?: SequenceInput): RunLog {
  const r = readRunLogs(inputs, sequence);
  if (!r.ok) throw new Error(`the logs were refused: ${r.problem.file}:${r.problem.line}: ${r.problem.message}`);
  return r.value;
}

/** The entries of a log file's text, each with its own `<![LOG[`. */
export function entriesOf(bytes: Uint8Array): string[] {
  return decodeLog(bytes).text.split(/(?=<!\[LOG\[)/);
}

/** A log without the entries whose message matches one of `patterns`, as UTF-8. */
export function withoutEntries(input: LogInput, patterns: readonly RegExp[]): LogInput {
  const kept = entriesOf(input.bytes).filter((e) => !patterns.some((p) => p.test(e.slice(7))));
  return { name: input.name, bytes: Buffer.from(kept.join(''), 'utf8') };
}

export interface EntryOptions {
  time?: string;
  date?: string;
  component?: string;
  type?: number;
  thread?: number;
}

/** One CMTrace entry as the task sequence engine writes it (CRLF at the end). */
export function entry(message: string, o: EntryOptions = {}): string {
  return `<![LOG[${message}]LOG]!><time="${o.time ?? '10:00:00.000+000'}" date="${o.date ?? '01-15-2026'}" component="${o.component ?? 'TSManager'}" context="" type="${o.type ?? 1}" thread="${o.thread ?? 1234}" file="engine.cxx:100">\r\n`;
}

/** A log made of entries for `messages`, one second apart, as UTF-8 bytes. */
export function logOf(messages: readonly (string | [string, EntryOptions])[]): LogInput & { text: string } {
  const text = messages
    .map((m, i) => {
      const [message, o] = typeof m === 'string' ? [m, {}] : m;
      const s = String(i % 60).padStart(2, '0');
      const mi = String(Math.floor(i / 60) % 60).padStart(2, '0');
      return entry(message, { time: `10:${mi}:${s}.000+000`, ...o });
    })
    .join('');
  return { name: 'smsts.log', bytes: Buffer.from(text, 'utf8'), text };
}

/** The start line the engine writes for an instruction (the current wording). */
export function startLine(name: string, pointer: number, type: string, disabled = false): string {
  return `Start executing an instruction. Instruction name: '${name}'.  Pointer: ${pointer}. Type: '${type}'. Disabled: ${disabled ? 1 : 0}`;
}

export const RUN_COMMAND_LINE = 'SMS_TaskSequence_RunCommandLineAction';
