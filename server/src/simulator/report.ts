// How a finished (or paused) run is told: the JSON of the CLI contract (`{result, steps,
// variables}`), the text tree an admin reads (✔ ran, ✘ failed, ↷ skipped, with reasons, notes
// and times), and the one-paragraph summary the CLI and the debugger end with.

import type { Simulation } from './engine';
import type { NodeRecord, RunCounts } from './records';
import { clockText, logLineText } from './log';
import { COLORS, durationText, exitCodeText, SYMBOL, type Color, type StepStatus } from '../semantics/run-outcome';
import { environmentLabel } from './machine';
import { TextPieces, textOf, type TextSink } from './text-pieces';

export interface JsonStep {
  path: string;
  name: string;
  kind: 'group' | 'step';
  status: StepStatus;
  exitCode?: number;
  reason?: string;
}

export interface JsonRun {
  result: 'succeeded' | 'failed' | 'running';
  steps: JsonStep[];
  variables: Record<string, string>;
}

function finished(records: readonly NodeRecord[]): (NodeRecord & { status: StepStatus })[] {
  return records.filter((r): r is NodeRecord & { status: StepStatus } => r.status !== 'running');
}

export function renderJson(sim: Simulation): JsonRun {
  const steps = finished(sim.records).map((r) => {
    const s: JsonStep = { path: r.path, name: r.node.name, kind: r.kind, status: r.status };
    if (r.exitCode !== undefined) s.exitCode = r.exitCode;
    if (r.reason !== undefined && r.status !== 'disabled') s.reason = r.reason;
    return s;
  });
  const variables: Record<string, string> = {};
  for (const v of sim.vars.list()) variables[v.name] = v.value;
  return { result: sim.ended ?? 'running', steps, variables };
}

/** What the run noted about each visit (restarts, retries, installs, variables set), in order. */
export function notesOf(sim: Simulation): Map<NodeRecord, string[]> {
  const out = new Map<NodeRecord, string[]>();
  for (const e of sim.log) {
    const text = e.note;
    const rec = e.visit;
    if (text === undefined || !rec) continue;
    const list = out.get(rec);
    if (list) list.push(text);
    else out.set(rec, [text]);
  }
  return out;
}

export function countSteps(records: readonly NodeRecord[]): RunCounts {
  const c: RunCounts = { ran: 0, succeeded: 0, failed: 0, continued: 0, skipped: 0, disabled: 0 };
  for (const r of records) {
    if (r.status === 'skipped') c.skipped++;
    else if (r.status === 'disabled') c.disabled++;
    if (r.kind !== 'step') continue;
    if (r.status === 'succeeded') c.succeeded++;
    else if (r.status === 'failed') c.failed++;
    else if (r.status === 'failed-continued') c.continued++;
    else continue;
    c.ran++;
  }
  return c;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The closing lines: result, where it failed, time taken, counts. */
export function runSummary(sim: Simulation): string {
  const c = sim.stepCounts();
  const took = `${durationText(sim.state.clock - sim.startTime)} of simulated time, ${clockText(sim.startTime)}–${clockText(sim.state.clock)}`;
  const counts = `${plural(c.ran, 'step')} ran (${c.succeeded} succeeded, ${c.failed + c.continued} failed${c.continued ? `, ${c.continued} of them continued on error` : ''}), ${c.skipped} skipped by conditions, ${c.disabled} disabled; ${plural(sim.state.restarts, 'restart')}`;
  if (sim.ended === 'succeeded') return `Succeeded in ${took}.\n${counts}.`;
  if (sim.ended === 'failed') {
    const f = sim.failure;
    const at = f?.record ? ` at "${f.record.path}"` : '';
    const code = f?.exitCode !== undefined ? ` (exit code ${exitCodeText(f.exitCode)})` : '';
    return `Failed${at} after ${took}: ${f?.reason ?? 'a step failed'}${code}${f?.fatal ? ' — this ends the run whatever continue on error says' : ''}.\n${counts}.`;
  }
  return `Not finished: ${took} so far.\n${counts}.`;
}

export interface TextOptions {
  color: boolean;
  /** Also print the log. */
  log: boolean;
  /** How to name the sequence file in the heading. */
  fileLabel?: string;
}

export function renderText(sim: Simulation, options: TextOptions): string {
  return textOf((sink) => writeText(sim, options, sink));
}

/** The text tree of the run, handed to `sink` in pieces as it is written (text-pieces.ts). */
export function writeText(sim: Simulation, options: TextOptions, sink: TextSink): void {
  const c = (k: Color, s: string) => (options.color ? COLORS[k] + s + COLORS.reset : s);
  const m = sim.machine;
  const lines = new TextPieces(sink);
  lines.line(
    c('bold', `Simulating "${sim.root.name}"${options.fileLabel ? ` (${options.fileLabel})` : ''} on "${m.name}"`),
  );
  lines.line(
    c(
      'dim',
      `${m.architecture}, ${m.firmware === 'uefi' ? 'UEFI' : 'BIOS'}, starts in ${environmentLabel(m.startsIn)} with ${m.diskFormatted ? 'a formatted disk' : 'an unformatted disk'}; content: ${sim.content.mode}${sim.options.media ? `, from ${sim.options.media.type} media` : ''}`,
    ),
  );
  if (sim.contentProblems.length) {
    for (const p of sim.contentProblems) lines.line(c('yellow', `! content: ${p.kind} ${p.id} ${p.problem}`));
  }
  lines.line('');
  // Read by index from the store and the log: a view of each visit and an event of each log entry
  // cost more than the words (the tree of a 100,000-step run is 7 MB).
  const visits = sim.visits;
  const notes = sim.log.visitNotes();
  const indents: string[] = [];
  let indent = '';
  const note = (text: string) => lines.line(`${indent}    ${c('dim', `· ${text}`)}`);
  for (let i = 0; i < visits.length; i++) {
    const status = visits.status(i);
    if (status === 'running') continue;
    const node = visits.node(i);
    const depth = visits.frame(i).depth;
    indent = indents[depth] ??= '  '.repeat(depth);
    // Indexed, not destructured: most of this loop runs before V8 optimizes it, and destructuring
    // an array there goes through an iterator per line.
    const symbol = SYMBOL[status];
    const sym = symbol[0],
      col = symbol[1];
    const ran = visits.end(i) - visits.start(i);
    const took =
      node.kind === 'step' && ran >= 1000 && status !== 'skipped' && status !== 'disabled'
        ? c('dim', `  ${durationText(ran)}`)
        : '';
    let tail = '';
    if (status === 'skipped') tail = c('dim', ` — skipped: ${visits.reason(i)}`);
    else if (status === 'disabled') tail = c('dim', ' — disabled');
    else if (status === 'failed') tail = c('red', ` — failed: ${visits.reason(i)}`);
    else if (status === 'failed-continued') tail = c('yellow', ` — failed, continued on error: ${visits.reason(i)}`);
    lines.line(
      `${indent}${c(col, sym)} ${status === 'skipped' || status === 'disabled' ? c('dim', node.name) : node.name}${tail}${took}`,
    );
    notes.take(i, note);
  }
  lines.line('');
  const summary = runSummary(sim).split('\n');
  lines.line(
    c(
      sim.ended === 'succeeded' ? 'green' : sim.ended === 'failed' ? 'red' : 'yellow',
      `${sim.ended === 'succeeded' ? '✔' : sim.ended === 'failed' ? '✘' : '…'} ${summary[0]}`,
    ),
  );
  for (const l of summary.slice(1)) lines.line(`  ${l}`);
  if (options.log) {
    lines.line('');
    lines.line(c('bold', 'Log (in the manner of smsts.log):'));
    for (const e of sim.log)
      lines.line(
        e.severity === 'error'
          ? c('red', logLineText(e))
          : e.severity === 'warning'
            ? c('yellow', logLineText(e))
            : logLineText(e),
      );
  }
  lines.flush();
}
