// The report of a simulated run an admin can keep: the result and where it failed, the machine,
// the tree of groups and steps with ✔ ✘ ↷ and the reasons, exit codes and times, the restarts,
// the content downloads, a timeline of the run and the variables at the end (secrets hidden).

import type { PreparedRun } from '../simulator/launch';
import { fullLog } from '../simulator/launch';
import { notesOf, runSummary } from '../simulator/report';
import { scheduleSummary } from '../simulator/run-report';
import { dateTimeText } from '../simulator/log';
import { durationText, exitCodeText, SYMBOL } from '../semantics/run-outcome';
import { environmentLabel } from '../simulator/machine';
import { findVariable } from '../catalog';
import type { Block, ReportDocument, Tone, TreeItem } from './document';

const TONE = {
  succeeded: 'good',
  failed: 'bad',
  'failed-continued': 'warn',
  skipped: 'quiet',
  disabled: 'quiet',
} as const satisfies Record<string, Tone>;
/** Events listed in the timeline; a longer run says how many more the log holds. */
const MAX_TIMELINE = 2000;

export interface RunReportOptions {
  /** How to name the sequence file. */
  fileLabel?: string;
}

export function runReportDocument(run: PreparedRun, options: RunReportOptions = {}): ReportDocument {
  const sim = run.sim;
  const blocks: Block[] = [];
  if (!sim) {
    return {
      title: 'Run report',
      blocks: [
        { kind: 'paragraph', tone: 'bad', text: `✘ Nothing ran: ${run.notStarted ?? 'the run did not start'}.` },
      ],
    };
  }
  const title = `Run report: ${sim.root.name}`;
  const [result, counts] = runSummary(sim).split('\n');
  blocks.push({
    kind: 'paragraph',
    tone: sim.ended === 'succeeded' ? 'good' : sim.ended === 'failed' ? 'bad' : 'warn',
    text: `${sim.ended === 'succeeded' ? '✔' : sim.ended === 'failed' ? '✘' : '…'} ${result}`,
  });
  if (counts) blocks.push({ kind: 'paragraph', text: counts });
  const m = sim.machine;
  const facts = [
    ...(options.fileLabel ? [`Sequence: ${options.fileLabel}`] : []),
    `Computer: ${m.name} (${m.architecture}, ${m.firmware === 'uefi' ? 'UEFI' : 'BIOS'}, starts in ${environmentLabel(m.startsIn)})`,
    `Content: ${sim.content.mode}${sim.options.media ? `, from ${sim.options.media.type} media` : ''}`,
    `Started ${dateTimeText(sim.startTime)}, ended ${dateTimeText(sim.state.clock)} (simulated time)`,
  ];
  const schedule = scheduleSummary(run);
  if (schedule) facts.push(schedule);
  blocks.push({ kind: 'list', items: facts });
  if (sim.contentProblems.length) {
    blocks.push({ kind: 'heading', level: 2, text: 'Content problems', anchor: 'content-problems' });
    blocks.push({ kind: 'list', items: sim.contentProblems.map((p) => `${p.kind} ${p.id} ${p.problem}`) });
  }

  // The result tree.
  const notes = notesOf(sim);
  const items: TreeItem[] = [];
  const rows: string[][] = [];
  for (const r of sim.records) {
    if (r.status === 'running') continue;
    const [mark] = SYMBOL[r.status];
    const ran = r.status !== 'skipped' && r.status !== 'disabled';
    const detail = [
      r.status === 'skipped'
        ? `skipped: ${r.reason}`
        : r.status === 'disabled'
          ? 'disabled'
          : r.status === 'failed'
            ? `failed: ${r.reason}`
            : r.status === 'failed-continued'
              ? `failed, continued on error: ${r.reason}`
              : '',
      r.exitCode !== undefined && r.kind === 'step' ? `exit code ${exitCodeText(r.exitCode)}` : '',
      ran && r.kind === 'step' && r.end - r.start >= 1000 ? durationText(r.end - r.start) : '',
    ]
      .filter(Boolean)
      .join('; ');
    items.push({
      depth: r.depth,
      mark,
      text: r.node.name,
      detail: detail || undefined,
      notes: notes.get(r),
      tone: TONE[r.status],
    });
    if (r.kind === 'step' && ran)
      rows.push([
        r.path,
        r.status,
        r.exitCode !== undefined ? exitCodeText(r.exitCode) : '',
        dateTimeText(r.start),
        durationText(r.end - r.start),
      ]);
  }
  blocks.push({ kind: 'heading', level: 2, text: 'Steps', anchor: 'steps' });
  blocks.push({ kind: 'tree', items });
  blocks.push({ kind: 'heading', level: 2, text: 'Exit codes', anchor: 'exit-codes' });
  blocks.push(
    rows.length
      ? { kind: 'table', columns: ['Step', 'Result', 'Exit code', 'Started', 'Took'], rows }
      : { kind: 'paragraph', text: 'No step ran.' },
  );

  // Restarts and downloads, then the whole timeline, from the run's log.
  const log = fullLog(run);
  const restarts = log.filter((e) => /\brestart(s|ed)? into\b/i.test(e.message));
  blocks.push({ kind: 'heading', level: 2, text: `Restarts (${sim.state.restarts})`, anchor: 'restarts' });
  blocks.push(
    restarts.length
      ? { kind: 'list', items: restarts.map((e) => `${dateTimeText(e.time)} ${e.message}`) }
      : { kind: 'paragraph', text: 'The computer did not restart.' },
  );
  const downloads = log.filter((e) => /\bdownload/i.test(e.message) && !/^Checking the content/.test(e.message));
  blocks.push({ kind: 'heading', level: 2, text: 'Content downloads', anchor: 'downloads' });
  blocks.push(
    downloads.length
      ? { kind: 'list', items: downloads.map((e) => `${dateTimeText(e.time)} ${e.message}`) }
      : { kind: 'paragraph', text: 'Nothing was downloaded.' },
  );
  blocks.push({ kind: 'heading', level: 2, text: 'Timeline', anchor: 'timeline' });
  const shown = log.slice(0, MAX_TIMELINE);
  blocks.push({
    kind: 'table',
    columns: ['Time', 'Component', '', 'Event'],
    rows: shown.map((e) => [
      dateTimeText(e.time),
      e.component,
      e.severity === 'error' ? '✘' : e.severity === 'warning' ? '!' : '',
      e.message,
    ]),
  });
  if (log.length > shown.length)
    blocks.push({
      kind: 'paragraph',
      text: `… and ${log.length - shown.length} more events (tsq simulate --log-file writes them all).`,
    });

  blocks.push({ kind: 'heading', level: 2, text: 'Variables at the end', anchor: 'variables' });
  blocks.push({
    kind: 'table',
    columns: ['Variable', 'Value'],
    rows: sim.vars.list().map((v) => [v.name, findVariable(v.name)?.secret ? '(hidden)' : v.value]),
  });
  return { title, blocks };
}
