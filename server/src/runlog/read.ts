// Reads the logs of one task sequence run, from the bytes of its files to the rebuilt run: each
// file is decoded and read (cmtrace.ts), the files are put in run order and merged (order.ts),
// the run is scanned (scan.ts), its structure taken from the sequence file when one is given
// (numbering.ts, match.ts) or from the engine's own instruction table in the log (policy.ts), and
// rebuilt (rebuild.ts). With a sequence, the steps the run never reached are listed. Logs that
// cannot be used — not in the CMTrace format, binary, cut before any entry ends, no task sequence
// in them — are refused with the file, the line and what to do.

import type { Workspace } from '../semantics/workspace';
import type { TsqDocument } from '../model/document';
import type { SequenceModel } from '../model/sequence';
import { readCmtrace, type CmtraceFile, type LogEncoding } from './cmtrace';
import { matchExecutions } from './match';
import { numberSequence, type NumberedNode } from './numbering';
import { mergeLogs, orderLogs, type NamedLog } from './order';
import { rebuildRun, type RebuiltRun, type Structure } from './rebuild';
import { MAX_INSTRUCTIONS, scanRun, type MergedRecord } from './scan';
import type { InstructionEntry } from './types';

export interface LogInput {
  /** How the user named the file (shown in messages and reports). */
  name: string;
  bytes: Uint8Array;
}

export interface LogProblem {
  file: string;
  line?: number;
  message: string;
  hint: string;
}

export interface SequenceInput {
  ws: Workspace;
  doc: TsqDocument;
}

export interface SequenceMatch {
  doc: TsqDocument;
  /** The sequence's file and its child sequences' files, by id. */
  docs: Map<string, TsqDocument>;
  table: NumberedNode[];
  groupEndSlots: boolean;
  /** Entries no log entry matched that the run would have come to (not inside a group it passed over, not before the logs begin). */
  unreached: NumberedNode[];
  /** Entries before the first one the logs show, when the logs start in the middle of the run. */
  beforeLogs: number;
  unmatched: number;
}

export interface LogFileInfo {
  name: string;
  encoding: LogEncoding;
  entries: number;
  truncatedEntries: number;
  strayLines: number;
}

export interface RunLog {
  /** In the order of the input; `order` gives the run order. */
  files: LogFileInfo[];
  order: number[];
  records: MergedRecord[];
  run: RebuiltRun;
  match?: SequenceMatch;
  /** Things the reader wants the admin to know (how sure it is, what it could not see). */
  notes: string[];
}

export type ReadOutcome = { ok: true; value: RunLog } | { ok: false; problem: LogProblem };

const REFUSE_HINT =
  'tsq log reads smsts.log and its rolled-over smsts-*.log files, in the CMTrace format ConfigMgr writes (<![LOG[…]LOG]!><time=… date=… component=…>).';

function fileProblem(name: string, log: CmtraceFile, bytes: Uint8Array): LogProblem | undefined {
  if (log.records.length === 0) {
    const zeros = bytes.subarray(0, 65536).reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
    const binary =
      zeros > 0 && log.encoding !== 'utf-16le' && log.encoding !== 'utf-16le-bom' && log.encoding !== 'utf-16be-bom';
    return {
      file: name,
      line: 1,
      message:
        bytes.length === 0
          ? 'is empty.'
          : binary
            ? 'is a binary file, not a log.'
            : 'holds no CMTrace log entry (no `<![LOG[` anywhere).',
      hint: REFUSE_HINT,
    };
  }
  if (log.records.every((r) => r.truncated || !r.time)) {
    return {
      file: name,
      line: log.records[0].line,
      message:
        'has entries that start with `<![LOG[` but none that ends with `]LOG]!>` and its time and date: the file is cut off or is not in the CMTrace format.',
      hint: REFUSE_HINT,
    };
  }
  return undefined;
}

/** The instruction table the engine logged, when its pointers and names agree with the instructions that ran. */
function logStructure(run: ReturnType<typeof scanRun>): Structure | undefined {
  const table = run.policyTable;
  if (!table) return undefined;
  const m = matchExecutions(run.executions, table);
  const withPointer = run.executions.filter((e) => e.pointer !== undefined);
  const exact = withPointer.filter((e) => m.confidenceOf.get(e.index) === 'exact').length;
  if (withPointer.length === 0 || exact < withPointer.length * 0.9) return undefined;
  return { table, entryOf: m.entryOf, confidenceOf: m.confidenceOf, source: 'log' };
}

function unreachedOf(table: NumberedNode[], run: RebuiltRun): { unreached: NumberedNode[]; beforeLogs: number } {
  const seen = new Set<number>();
  const passedOver = new Set<number>();
  for (const e of run.executions) {
    if (e.entry === undefined) continue;
    seen.add(e.entry);
    if (e.status === 'skipped' || e.status === 'disabled') passedOver.add(e.entry);
  }
  // Logs that begin with the first instruction hold the whole run: what they do not show was not reached.
  const first = run.executions.find((e) => !e.synthetic);
  const fromStart = first?.start !== undefined && first.pointer === 0;
  const firstSeen = fromStart ? 0 : Math.min(...[...seen], table.length);
  const ancestorsOfFirst = new Set<number>();
  for (let p = table[firstSeen]?.parent ?? -1; p >= 0; p = table[p].parent) ancestorsOfFirst.add(p);
  const unreached: NumberedNode[] = [];
  let beforeLogs = 0;
  for (let i = 0; i < table.length; i++) {
    if (passedOver.has(i)) {
      i = table[i].end - 1;
      continue;
    }
    if (seen.has(i)) continue;
    if (i < firstSeen && !ancestorsOfFirst.has(i)) {
      beforeLogs++;
      continue;
    }
    if (ancestorsOfFirst.has(i)) continue;
    unreached.push(table[i]);
  }
  return { unreached, beforeLogs };
}

const MAX_RECORDS = 2_000_000;

export function readRunLogs(inputs: readonly LogInput[], sequence?: SequenceInput): ReadOutcome {
  const logs: NamedLog[] = [];
  let total = 0;
  for (const input of inputs) {
    const log = readCmtrace(input.bytes);
    const problem = fileProblem(input.name, log, input.bytes);
    if (problem) return { ok: false, problem };
    total += log.records.length;
    if (total > MAX_RECORDS) {
      return {
        ok: false,
        problem: {
          file: input.name,
          message: `takes the logs over ${MAX_RECORDS.toLocaleString('en-US')} entries, more than tsq reads at once.`,
          hint: 'Give the smsts*.log files of one run only; ConfigMgr keeps a run in a few files of 5 MB each.',
        },
      };
    }
    logs.push({ name: input.name, log });
  }
  const { order, note } = orderLogs(logs);
  const records = mergeLogs(logs, order);
  const scan = scanRun(records);
  const notes: string[] = [];
  if (note) notes.push(note);
  if (scan.overflow) {
    return {
      ok: false,
      problem: {
        file: inputs[order[0]].name,
        message: `starts more than ${MAX_INSTRUCTIONS.toLocaleString('en-US')} instructions, more than tsq reads of one run.`,
        hint: 'Give the smsts*.log files of one run only.',
      },
    };
  }
  if (scan.executions.length === 0 && !scan.failedMarker && !scan.succeededMarker) {
    const first = inputs[order[0]];
    return {
      ok: false,
      problem: {
        file: first.name,
        line: 1,
        message:
          'is a CMTrace log, but no task sequence instruction starts in it (no "Start executing an instruction" line).',
        hint: 'Give the task sequence log: smsts.log (and smsts-*.log) from C:\\Windows\\CCM\\Logs, C:\\Windows\\CCM\\Logs\\SMSTSLog, C:\\_SMSTaskSequence\\Logs\\Smstslog or X:\\Windows\\Temp\\SMSTSLog.',
      },
    };
  }
  let structure: Structure | undefined;
  let table: NumberedNode[] | undefined;
  let groupEndSlots = false;
  if (sequence) {
    const plain = numberSequence(sequence.ws, sequence.doc);
    const slots = numberSequence(sequence.ws, sequence.doc, { groupEndSlots: true });
    const m = matchExecutions(scan.executions, plain, slots);
    table = m.table;
    groupEndSlots = m.groupEndSlots;
    structure = {
      table: m.table as InstructionEntry[],
      entryOf: m.entryOf,
      confidenceOf: m.confidenceOf,
      source: 'sequence',
    };
  } else {
    structure = logStructure(scan);
  }
  const run = rebuildRun(scan, structure);
  let match: SequenceMatch | undefined;
  if (sequence && table) {
    const { unreached, beforeLogs } = unreachedOf(table, run);
    const unmatched = run.executions.filter((e) => !e.synthetic && e.entry === undefined).length;
    const docs = new Map<string, TsqDocument>([[sequence.doc.id, sequence.doc]]);
    for (const n of table) if (!docs.has(n.docId)) docs.set(n.docId, sequence.ws.get(n.docId) ?? sequence.doc);
    match = { doc: sequence.doc, docs, table, groupEndSlots, unreached, beforeLogs, unmatched };
    // ConfigMgr logs the name of the task sequence it runs (_SMSTSPackageName); another name in
    // the file given is the likeliest reason nothing matches: the wrong file, not a changed one.
    const fileName = (sequence.doc.model as SequenceModel | undefined)?.name?.trim();
    if (scan.sequenceName && fileName && scan.sequenceName.trim().toLowerCase() !== fileName.toLowerCase())
      notes.push(
        `the log is a run of “${scan.sequenceName.trim()}”, but the sequence given is “${fileName}”: is it the one that ran? --sequence takes the file of the sequence the log ran`,
      );
    if (unmatched)
      notes.push(
        `${unmatched} instruction${unmatched === 1 ? '' : 's'} of the log match${unmatched === 1 ? 'es' : ''} no step of the sequence: was it changed since this run?`,
      );
    if (beforeLogs)
      notes.push(
        `the logs start in the middle of the run: the ${beforeLogs} step${beforeLogs === 1 ? '' : 's'} before the first one they show ${beforeLogs === 1 ? 'is' : 'are'} not in them (give the earlier smsts-*.log files too)`,
      );
    if (groupEndSlots)
      notes.push(
        "the log's pointers count one more instruction after each group, and the sequence was numbered that way",
      );
  } else if (run.structure === 'inferred' && run.executions.some((e) => e.kind === 'group' || e.container)) {
    notes.push(
      'which group each step ran in is inferred from the order of the log (give --sequence for the exact paths)',
    );
  }
  if (scan.earlierRuns) {
    // smsts.log keeps growing: the runs before may be of other task sequences, which the admin
    // may have come for; their names say so.
    const others = scan.earlierNames.filter((n) => n !== scan.sequenceName);
    const of = others.length ? `, of ${scan.earlierNames.map((n) => `“${n}”`).join(', ')}` : ' of the sequence';
    notes.push(
      `the logs hold ${scan.earlierRuns} earlier run${scan.earlierRuns === 1 ? '' : 's'}${of}; this is the last one${others.length && scan.sequenceName ? `, of “${scan.sequenceName}”` : ''}`,
    );
  }
  if (run.executions.some((e) => e.synthetic))
    notes.push('groups that started before the first line of the logs are shown from the sequence');
  const files = logs.map((l, i) => ({
    name: inputs[i].name,
    encoding: l.log.encoding,
    entries: l.log.records.length,
    truncatedEntries: l.log.truncatedEntries,
    strayLines: l.log.strayLines,
  }));
  const damaged = files.filter((f) => f.truncatedEntries || f.strayLines);
  for (const f of damaged)
    notes.push(
      `${f.name}: ${[f.truncatedEntries ? `${f.truncatedEntries} entr${f.truncatedEntries === 1 ? 'y was' : 'ies were'} cut off` : '', f.strayLines ? `${f.strayLines} line${f.strayLines === 1 ? '' : 's'} outside any entry (interleaved or cut writes)` : ''].filter(Boolean).join(', ')}`,
    );
  return { ok: true, value: { files, order, records, run, match, notes } };
}
