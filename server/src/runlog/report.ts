// How a run read from smsts.log is told: the CLI contract's JSON (`{result, steps: [{name, path,
// status, exitCode, start, end, line, message}]}`, with the status words of `tsq simulate`, plus
// where each line is, how each step matched the sequence and what was never reached) and the text
// tree an admin reads (✔ ✘ ↷ like `tsq simulate`, each step with its log line), ending with where
// the run failed — in the log and, with the sequence, in the file.

import type { LogTime } from './cmtrace';
import type { RunLog } from './read';
import type { Execution, LogRef, MatchConfidence, StepStatus } from './types';
import { COLORS, durationText, exitCodeText, SYMBOL, type Color } from '../semantics/run-outcome';

export interface JsonLogStep {
  name: string;
  path: string;
  status: StepStatus;
  exitCode: number | null;
  start: string | null;
  end: string | null;
  /** 1-based line (in `file`) of the log line that decides the status. */
  line: number | null;
  message: string | null;
  file: string | null;
  kind: 'group' | 'step';
  pointer: number | null;
  startFile: string | null;
  startLine: number | null;
  /** With --sequence: the step in the sequence (null when none matched). */
  match?: { file: string; line: number; confidence: MatchConfidence } | null;
}

export interface JsonPlace {
  name: string;
  path: string;
  file: string;
  line: number;
  pointer: number | null;
}

export interface JsonLogRun {
  result: 'succeeded' | 'failed' | 'incomplete';
  steps: JsonLogStep[];
  /** With --sequence: steps of the sequence the run never came to. */
  unreached?: JsonPlace[];
  /** Instructions the logs show starting but not ending (the run was still on them when the logs end). */
  unfinished: { name: string; path: string; start: string | null; file: string | null; line: number | null }[];
  failure: {
    path: string | null;
    message: string | null;
    exitCode: number | null;
    file: string | null;
    line: number | null;
    match?: { file: string; line: number } | null;
  } | null;
  incomplete: string | null;
  restarts: { after: string; target: 'WinPE' | 'HD' | null; at: string | null; file: string; line: number }[];
  files: { name: string; encoding: string; entries: number }[];
  sequence: string | null;
  /** Where the nesting came from: the sequence file, the engine's table in the log, or inferred. */
  structure: 'sequence' | 'log' | 'inferred';
  notes: string[];
}

export interface ReportOptions {
  /** How to name a tsq file (relative to the working folder in the CLI). */
  displayPath?: (id: string) => string;
}

const MAX_MESSAGE = 2000;

function clip(s: string | undefined): string | null {
  if (s === undefined) return null;
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

function isGroupLike(e: Execution): boolean {
  return e.kind === 'group' || e.container;
}

/** The finished instructions, in the order they started. */
function reported(log: RunLog): Execution[] {
  return log.run.executions.filter((e) => e.status !== undefined);
}

/** The line of a node in the sequence (or a child sequence's file). */
function lineIn(log: RunLog, docId: string, offset: number): number | undefined {
  const doc = log.match?.docs.get(docId);
  return doc ? doc.lineMap.positionAt(offset).line + 1 : undefined;
}

function placeOf(log: RunLog, e: Execution, show: (id: string) => string): { file: string; line: number } | null {
  const table = log.match?.table;
  if (!table || e.entry === undefined) return null;
  const node = table[e.entry];
  const line = lineIn(log, node.docId, node.node.span.start);
  return line === undefined ? null : { file: show(node.docId), line };
}

export function renderLogJson(log: RunLog, options: ReportOptions = {}): JsonLogRun {
  const show = options.displayPath ?? ((id: string) => id);
  const name = (ref: LogRef | undefined) => (ref ? log.files[ref.file].name : null);
  const steps: JsonLogStep[] = reported(log).map((e) => {
    const s: JsonLogStep = {
      name: e.name,
      path: e.path ?? e.name,
      status: e.status!,
      exitCode: e.exitCode ?? null,
      start: e.startTime?.iso ?? null,
      end: e.endTime?.iso ?? null,
      line: e.decideRef?.line ?? null,
      message: clip(e.message),
      file: name(e.decideRef),
      kind: e.container ? 'step' : e.kind,
      pointer: e.pointer ?? null,
      startFile: name(e.start),
      startLine: e.start?.line ?? null,
    };
    if (log.match) {
      const place = placeOf(log, e, show);
      s.match = place && e.confidence ? { ...place, confidence: e.confidence } : null;
    }
    return s;
  });
  const run = log.run;
  const failure = run.failure;
  const out: JsonLogRun = {
    result: run.result,
    steps,
    unfinished: run.executions
      .filter((e) => e.status === undefined)
      .map((e) => ({
        name: e.name,
        path: e.path ?? e.name,
        start: e.startTime?.iso ?? null,
        file: name(e.start),
        line: e.start?.line ?? null,
      })),
    failure: failure
      ? {
          path: failure.step?.path ?? null,
          message: clip(failure.message),
          exitCode: failure.exitCode ?? null,
          file: name(failure.ref),
          line: failure.ref?.line ?? null,
          ...(log.match ? { match: failure.step ? placeOf(log, failure.step, show) : null } : {}),
        }
      : null,
    incomplete: run.incompleteReason ?? null,
    restarts: run.scan.restarts.map((r) => ({
      after: r.after.path ?? r.after.name,
      target: r.target ?? null,
      at: r.time?.iso ?? null,
      file: log.files[r.ref.file].name,
      line: r.ref.line,
    })),
    files: log.order.map((i) => ({
      name: log.files[i].name,
      encoding: log.files[i].encoding,
      entries: log.files[i].entries,
    })),
    sequence: run.scan.sequenceName ?? null,
    structure: run.structure,
    notes: log.notes,
  };
  if (log.match) {
    out.unreached = log.match.unreached.map((n) => ({
      name: n.name,
      path: n.path,
      file: show(n.docId),
      line: lineIn(log, n.docId, n.node.span.start) ?? 0,
      pointer: n.pointer ?? null,
    }));
  }
  return out;
}

// ---------------------------------------------------------------- text

/** `2026-11-17 09:40:06` from the ISO form, in the log's own local time. */
function localText(t: LogTime | undefined): string {
  return t ? t.iso.slice(0, 19).replace('T', ' ') : '?';
}

function offsetText(t: LogTime | undefined): string {
  const m = t ? /([+-]\d\d:\d\d)$/.exec(t.iso) : null;
  return m ? `UTC${m[1]}` : 'local time';
}

export interface TextReportOptions extends ReportOptions {
  color: boolean;
}

export function renderLogText(log: RunLog, options: TextReportOptions): string {
  const c = (k: Color, s: string) => (options.color ? COLORS[k] + s + COLORS.reset : s);
  const show = options.displayPath ?? ((id: string) => id);
  const run = log.run;
  // Each line names its log file briefly: the file's own name, unless two files share it.
  const base = (name: string) => name.split(/[\\/]/).pop()!;
  const unique = new Set(log.files.map((f) => base(f.name))).size === log.files.length;
  const at = (ref: LogRef | undefined) =>
    ref ? `${unique ? base(log.files[ref.file].name) : log.files[ref.file].name}:${ref.line}` : '';
  const lines: string[] = [];
  const executions = run.executions;
  const first = executions.find((e) => e.startTime)?.startTime;
  // The last time in log order: clocks are set during a run and time zones differ between Windows PE and Windows.
  let last: LogTime | undefined;
  for (const e of executions) last = e.endTime ?? e.startTime ?? last;
  const title = run.scan.sequenceName ? `"${run.scan.sequenceName}"` : 'a task sequence';
  lines.push(c('bold', `Run of ${title} from ${log.order.map((i) => log.files[i].name).join(', ')}`));
  lines.push(
    c(
      'dim',
      `${localText(first)} to ${localText(last)} (${offsetText(first)}${offsetText(last) !== offsetText(first) ? ` then ${offsetText(last)}` : ''})${log.match ? `; steps matched to ${show(log.match.doc.id)}` : ''}`,
    ),
  );
  lines.push('');
  const restartsAfter = new Map(run.scan.restarts.map((r) => [r.after, r]));
  for (const e of executions) {
    const indent = '  '.repeat(e.depth ?? 0);
    if (!e.status) {
      lines.push(
        `${indent}${c('yellow', '…')} ${e.name}${c('yellow', ' — no outcome in the logs (the run was here when they end)')}  ${c('dim', at(e.start))}`,
      );
      continue;
    }
    const [sym, col] = SYMBOL[e.status];
    const code =
      e.exitCode !== undefined && (e.exitCode !== 0 || e.status === 'failed' || e.status === 'failed-continued')
        ? ` (exit code ${exitCodeText(e.exitCode)})`
        : '';
    let tail = '';
    if (e.status === 'skipped') tail = c('dim', ' — skipped');
    else if (e.status === 'disabled') tail = c('dim', ' — disabled');
    const why = e.message && !isGroupLike(e) ? `: ${clip(e.message)}` : '';
    if (e.status === 'failed') tail = c('red', ` — failed${why}${code}`);
    else if (e.status === 'failed-continued') tail = c('yellow', ` — failed, continued on error${why}${code}`);
    else if (code) tail = c('dim', code);
    const took =
      e.startTime &&
      e.endTime &&
      !isGroupLike(e) &&
      e.endTime.utc - e.startTime.utc >= 1000 &&
      e.status !== 'skipped' &&
      e.status !== 'disabled'
        ? c('dim', `  ${durationText(e.endTime.utc - e.startTime.utc)}`)
        : '';
    const name = e.status === 'skipped' || e.status === 'disabled' ? c('dim', e.name) : e.name;
    const low =
      e.confidence === 'low'
        ? c('yellow', ' (matched by name only)')
        : log.match && e.entry === undefined && !e.synthetic
          ? c('yellow', ' (not in the sequence)')
          : '';
    const where = e.synthetic
      ? c('dim', '  (started before the logs begin)')
      : c('dim', `  ${at(e.decideRef ?? e.start)}`);
    lines.push(`${indent}${c(col, sym)} ${name}${tail}${took}${low}${where}`);
    const restart = restartsAfter.get(e);
    if (restart)
      lines.push(
        `${indent}    ${c('dim', `· the computer restarted${restart.target ? ` into ${restart.target === 'WinPE' ? 'Windows PE' : 'the installed Windows'}` : ''} (${at(restart.ref)})`)}`,
      );
  }
  lines.push('');
  const steps = executions.filter((e) => !isGroupLike(e) && e.status);
  const count = (s: StepStatus) => steps.filter((e) => e.status === s).length;
  const ran = count('succeeded') + count('failed') + count('failed-continued');
  const continued = count('failed-continued');
  const counts = `${ran} step${ran === 1 ? '' : 's'} ran (${count('succeeded')} succeeded, ${count('failed') + continued} failed${continued ? `, ${continued} of them continued on error` : ''}), ${count('skipped')} skipped, ${count('disabled')} disabled; ${run.scan.restarts.length} restart${run.scan.restarts.length === 1 ? '' : 's'}`;
  if (run.result === 'succeeded') {
    lines.push(c('green', `✔ Succeeded.`));
  } else if (run.result === 'failed') {
    const f = run.failure;
    const where = f?.step ? ` at "${f.step.path}"` : '';
    const line = f?.ref ? ` (${at(f.ref)})` : '';
    const code = f?.exitCode !== undefined ? `, exit code ${exitCodeText(f.exitCode)}` : '';
    lines.push(c('red', `✘ Failed${where}${line}${f?.message ? `: ${clip(f.message)}` : ''}${code}.`));
    const place = f?.step ? placeOf(log, f.step, show) : null;
    if (place) lines.push(`  In the sequence: ${place.file}:${place.line}`);
  } else {
    lines.push(c('yellow', `… Incomplete: ${run.incompleteReason ?? 'the logs do not show the end of the run'}.`));
  }
  lines.push(`  ${counts}.`);
  if (log.match) {
    const m = log.match;
    const by = (k: MatchConfidence) => executions.filter((e) => !e.synthetic && e.confidence === k).length;
    const logged = executions.filter((e) => !e.synthetic).length;
    lines.push(
      `  Matched ${logged - m.unmatched} of ${logged} instructions of the log to ${show(m.doc.id)} (${by('exact')} exact, ${by('high')} by name and order, ${by('low')} by name only).`,
    );
    if (m.unreached.length) {
      lines.push('', c('bold', `Not reached (${m.unreached.length}):`));
      for (const n of m.unreached) {
        const line = lineIn(log, n.docId, n.node.span.start);
        lines.push(`  · ${n.path}${line !== undefined ? c('dim', `  ${show(n.docId)}:${line}`) : ''}`);
      }
    }
  }
  if (log.notes.length) {
    lines.push('');
    for (const n of log.notes) lines.push(c('dim', `Note: ${n}${/[.?!]$/.test(n) ? '' : '.'}`));
  }
  return lines.join('\n') + '\n';
}
