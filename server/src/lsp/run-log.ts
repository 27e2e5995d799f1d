// The `tsq/runLog` request: an editor asks what a real run (its smsts.log files) did to the steps
// of an open sequence. The server reads the logs (files/run-logs.ts), rebuilds the run and
// matches it to the sequence (runlog/read.ts), and answers, per file of the sequence and of the
// child sequences it runs: each group and step's range with its ConfigMgr step number (the
// pointer smsts.log shows), its status in the run, its exit code and a hover text quoting the log
// lines, plus the failures as problems, and the machine profile that replays the run. The client
// only draws this (gutter marks, numbers after the lines, hovers, a Problems source of its own)
// and saves the profile when asked; any LSP client can use the request.

import { DiagnosticSeverity, ProtocolRequestType } from 'vscode-languageserver';
import type { FileEntry, FileIndex } from './projects';
import { uriToId } from './uri';
import { readLogPaths } from '../files/run-logs';
import { readRunLogs, type RunLog } from '../runlog/read';
import { machineProfileFor } from '../runlog/machine-profile';
import type { NumberedNode } from '../runlog/numbering';
import type { Execution } from '../runlog/types';
import { exitCodeText } from '../semantics/run-outcome';
import {
  RUN_LOG_REQUEST,
  type RunLogDocument,
  type RunLogNodeStatus,
  type RunLogParams,
  type RunLogResult,
} from '../frontend/run-log-protocol';

export type {
  RunLogDocument,
  RunLogNode,
  RunLogNodeStatus,
  RunLogParams,
  RunLogProblem,
  RunLogResult,
} from '../frontend/run-log-protocol';

export const RunLogRequest = new ProtocolRequestType<RunLogParams, RunLogResult, never, void, void>(RUN_LOG_REQUEST);

const MAX_QUOTED_LINES = 12;
const MAX_QUOTED_CHARS = 240;

const STATUS_WORDS: Record<RunLogNodeStatus, string> = {
  succeeded: '✔ succeeded',
  failed: '✘ failed',
  'failed-continued': '✘ failed, continued on error',
  skipped: '↷ skipped',
  disabled: '↷ disabled',
  'not-reached': 'not reached',
  unfinished: '… still running when the logs end',
};

function pathOf(logRef: string): string {
  return logRef.startsWith('file:') ? uriToId(logRef) : logRef;
}

/** Log text shown as Markdown prose: its own marks are escaped, so a message cannot make links or markup. */
function prose(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`).replace(/\n/g, '  \n');
}

function fence(text: string): string {
  return text.replace(/```/g, '`\u200b``');
}

/** The log lines that tell what happened: the start, errors and warnings, and the deciding line. */
function quotedLines(log: RunLog, e: Execution): string[] {
  if (e.firstRecord < 0) return [];
  const last = Math.min(e.lastRecord, log.records.length - 1);
  const picked: number[] = [];
  const deciding = e.decideRef;
  for (let i = e.firstRecord; i <= last; i++) {
    const { record, file } = log.records[i];
    const decides = deciding !== undefined && deciding.file === file && deciding.line === record.line;
    if (
      i === e.firstRecord ||
      record.type >= 2 ||
      decides ||
      /^(Successfully completed the action|Failed to run the|Process completed with exit code|The action \()/.test(
        record.message,
      )
    )
      picked.push(i);
  }
  const shown =
    picked.length > MAX_QUOTED_LINES ? [...picked.slice(0, 2), ...picked.slice(-(MAX_QUOTED_LINES - 2))] : picked;
  const name = (file: number) => log.files[file].name.split(/[\\/]/).pop();
  return shown.map((i) => {
    const { record, file } = log.records[i];
    const text = record.message.replace(/\s*\n\s*/g, ' ⏎ ');
    return `${name(file)}:${record.line}  ${record.component ? `${record.component}: ` : ''}${text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text}`;
  });
}

function hoverOf(log: RunLog, node: NumberedNode, runs: Execution[], status: RunLogNodeStatus | null): string {
  const parts: string[] = [];
  const number =
    node.pointer !== undefined
      ? `ConfigMgr step ${node.pointer}`
      : 'ConfigMgr step number unknown (a child sequence before it could not be read)';
  if (runs.length === 0) {
    parts.push(`**Run log: ${status ? STATUS_WORDS[status] : 'not in the logs'}** · ${number}`);
    if (status === 'not-reached') parts.push('The run never came to this node.');
    else if (!status)
      parts.push(
        'The logs do not show this node: it is inside a group the run passed over, or before the first line of the logs.',
      );
    return parts.join('\n\n');
  }
  runs.forEach((e, k) => {
    const head = `**Run log${runs.length > 1 ? ` (run ${k + 1} of ${runs.length})` : ''}: ${e.status ? STATUS_WORDS[e.status] : STATUS_WORDS.unfinished}**`;
    const code =
      e.exitCode !== undefined
        ? ` · exit code ${exitCodeText(e.exitCode)}${e.exitCode < 0 || e.exitCode >= 0x10000 ? ` (${e.exitCode})` : ''}`
        : '';
    parts.push(
      `${head}${code} · ${number}${e.confidence && e.confidence !== 'exact' ? ` · matched ${e.confidence === 'high' ? 'by name and order' : 'by name only'}` : ''}`,
    );
    if (e.message) parts.push(prose(e.message));
    const times = [
      e.startTime
        ? `started ${e.startTime.iso.replace('T', ' ')}`
        : e.synthetic
          ? 'started before the first line of the logs'
          : '',
      e.endTime ? `ended ${e.endTime.iso.replace('T', ' ')}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    if (times) parts.push(times.charAt(0).toUpperCase() + times.slice(1));
    const lines = quotedLines(log, e);
    if (lines.length) parts.push('```\n' + fence(lines.join('\n')) + '\n```');
  });
  return parts.join('\n\n');
}

function summaryOf(log: RunLog): string {
  const run = log.run;
  const name = (ref: { file: number; line: number } | undefined) =>
    ref ? `${log.files[ref.file].name.split(/[\\/]/).pop()}:${ref.line}` : '';
  if (run.result === 'succeeded') return 'The run succeeded.';
  if (run.result === 'failed') {
    const f = run.failure;
    return `The run failed${f?.step ? ` at "${f.step.path}"` : ''}${f?.ref ? ` (${name(f.ref)})` : ''}${f?.message ? `: ${f.message.split('\n').pop()}` : ''}.`;
  }
  return `The logs do not show the end of the run: ${run.incompleteReason ?? 'they stop early'}.`;
}

/** Answers `tsq/runLog` for the open sequence `entry`. */
export function runLogFor(index: FileIndex, entry: FileEntry, params: RunLogParams): RunLogResult {
  if (entry.doc.kind !== 'sequence' || !entry.doc.model)
    return { ok: false, message: 'Open a task sequence (a `sequence:` file) to show a run log on it.' };
  const logs = Array.isArray(params.logs) ? params.logs.filter((l): l is string => typeof l === 'string') : [];
  if (logs.length === 0)
    return { ok: false, message: 'Choose the smsts.log files of the run (or the folder that holds them).' };
  const read = readLogPaths(logs.map(pathOf));
  const problemText = (p: { file: string; line?: number; message: string; hint: string }) =>
    `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: this file ${p.message} ${p.hint}`;
  if ('problem' in read) return { ok: false, message: problemText(read.problem) };
  const outcome = readRunLogs(read.inputs, { ws: entry.project.ws, doc: entry.doc });
  if (!outcome.ok) return { ok: false, message: problemText(outcome.problem) };
  const log = outcome.value;
  const match = log.match!;
  const runsOf = new Map<number, Execution[]>();
  for (const e of log.run.executions) {
    if (e.entry === undefined || e.synthetic) continue;
    const list = runsOf.get(e.entry);
    if (list) list.push(e);
    else runsOf.set(e.entry, [e]);
  }
  const synthetic = new Map(
    log.run.executions.filter((e) => e.synthetic && e.entry !== undefined).map((e) => [e.entry!, e]),
  );
  const unreached = new Set(match.unreached);
  const documents = new Map<string, RunLogDocument>();
  match.table.forEach((node, i) => {
    const owner = node.docId === entry.id ? entry : index.entryOf(node.docId, entry.project);
    if (!owner) return;
    let doc = documents.get(owner.uri);
    if (!doc) documents.set(owner.uri, (doc = { uri: owner.uri, nodes: [], problems: [] }));
    const at = index.positions(owner);
    const range = { start: at.positionAt(node.node.nameSpan.start), end: at.positionAt(node.node.nameSpan.end) };
    const runs = runsOf.get(i) ?? [];
    const last = runs[runs.length - 1] ?? synthetic.get(i);
    const status: RunLogNodeStatus | null = last
      ? (last.status ?? 'unfinished')
      : unreached.has(node)
        ? 'not-reached'
        : null;
    doc.nodes.push({
      range,
      pointer: node.pointer ?? null,
      kind: node.container ? 'step' : node.kind,
      status,
      exitCode: last?.exitCode ?? null,
      hover: hoverOf(log, node, runs.length ? runs : last ? [last] : [], status),
    });
    for (const e of runs) {
      if (e.status !== 'failed' && e.status !== 'failed-continued') continue;
      if (node.kind === 'group' || (node.container && runs.length && log.run.executions.some((c) => c.parent === e)))
        continue;
      const where = e.decideRef
        ? ` (${log.files[e.decideRef.file].name.split(/[\\/]/).pop()}:${e.decideRef.line})`
        : '';
      const code = e.exitCode !== undefined ? ` — exit code ${exitCodeText(e.exitCode)}` : '';
      doc.problems.push({
        range,
        severity: e.status === 'failed' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        message: `${e.status === 'failed' ? 'Failed in the run' : 'Failed in the run, which went on (continue on error)'}${where}: ${e.message ?? 'the step failed'}${code}`,
      });
    }
  });
  return {
    ok: true,
    result: log.run.result,
    summary: summaryOf(log),
    logs: log.order.map((i) => log.files[i].name),
    notes: log.notes,
    documents: [...documents.values()],
    machineProfile: machineProfileFor(log, log.order.map((i) => log.files[i].name.split(/[\\/]/).pop()).join(', '))
      .text,
  };
}
