// Puts the log files of one run in the order they were written and merges their records. A run
// spreads over several files: the engine keeps a history of its log by renaming a full smsts.log
// with a date and time stamp (smsts-20261201-101500.log) while it goes on in smsts.log, other
// components roll over to a `.lo_` file, and the log moves folder as the run moves from Windows PE
// to Windows (https://learn.microsoft.com/mem/configmgr/core/plan-design/hierarchy/about-log-files).
// Clock time cannot order them: Windows PE and Windows often run in different time zones, and the
// clock is set from the network during the run. The instruction pointers can: the engine numbers
// its instructions and works through them in order, so each file goes where its first pointer
// (an instruction starting, or the next one the engine saved) belongs; file names decide between
// files without pointers and between equal ones. A file copied into another folder repeats
// entries of the original: an entry already seen in an earlier file is read once.

import type { CmtraceFile } from './cmtrace';
import { classify } from './messages';
import type { MergedRecord } from './scan';

export interface NamedLog {
  /** The file name as the user gave it (its last part decides the name order). */
  name: string;
  log: CmtraceFile;
}

/** `smsts-YYYYMMDD-HHMMSS.log` → its stamp; the live `smsts.log` sorts after every stamp. */
function nameKey(name: string): [number, string, number] {
  const base = name.split(/[\\/]/).pop()!.toLowerCase();
  const stamp = /-(\d{8})-(\d{6})\.lo[g_]$/.exec(base);
  const rolled = base.endsWith('.lo_') ? 0 : 1;
  return [stamp ? 0 : 1, stamp ? stamp[1] + stamp[2] : base.replace(/\.lo[g_]$/, ''), rolled];
}

function compareNames(a: string, b: string): number {
  const [x, y] = [nameKey(a), nameKey(b)];
  return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) || x[2] - y[2];
}

/** The first instruction pointer a file shows, and whether its pointers ever go back (a new run). */
function pointersOf(log: CmtraceFile): { first?: number; restarts: boolean } {
  let first: number | undefined;
  let last = -1;
  let restarts = false;
  for (const r of log.records) {
    const c = r.message.charCodeAt(0);
    if (c !== 0x53) continue; // every line that carries a pointer starts with "S"
    const ev = classify(r.message)?.event;
    let p: number | undefined;
    if (ev?.kind === 'instruction-start') p = ev.pointer;
    else if (
      ev?.kind === 'variable' &&
      ev.name === '_SMSTSNextInstructionPointer' &&
      ev.value !== undefined &&
      /^\d+$/.test(ev.value.trim())
    )
      p = Number(ev.value);
    if (p === undefined) continue;
    first ??= p;
    if (p < last - 1 && p === 0) restarts = true;
    last = Math.max(last, p);
  }
  return { first, restarts };
}

export interface OrderedLogs {
  /** Indices into the input, in the order the run wrote them. */
  order: number[];
  /** How the order was decided, when it was not simply the names. */
  note?: string;
}

export function orderLogs(logs: readonly NamedLog[]): OrderedLogs {
  const byName = logs.map((_, i) => i).sort((a, b) => compareNames(logs[a].name, logs[b].name) || a - b);
  if (logs.length < 2) return { order: byName };
  const pointers = logs.map((l) => pointersOf(l.log));
  if (pointers.some((p) => p.restarts)) {
    return {
      order: byName,
      note: 'the logs hold more than one run of the sequence, so they are read in the order of their names',
    };
  }
  const withPointers = byName.filter((i) => pointers[i].first !== undefined);
  const sorted = [...withPointers].sort(
    (a, b) => pointers[a].first! - pointers[b].first! || byName.indexOf(a) - byName.indexOf(b),
  );
  let k = 0;
  const order = byName.map((i) => (pointers[i].first !== undefined ? sorted[k++] : i));
  const moved = order.some((i, n) => i !== byName[n]);
  return {
    order,
    note: moved ? 'the files were put in the order of the instructions they hold, not of their names' : undefined,
  };
}

/** The records of the files in run order, each entry once. */
export function mergeLogs(logs: readonly NamedLog[], order: readonly number[]): MergedRecord[] {
  const out: MergedRecord[] = [];
  const seen = order.length > 1 ? new Set<string>() : undefined;
  for (const fileIndex of order) {
    const here: string[] = [];
    for (const record of logs[fileIndex].log.records) {
      if (seen) {
        const key = `${record.date}\u0000${record.time}\u0000${record.thread}\u0000${record.component}\u0000${record.message}`;
        if (record.time && seen.has(key)) continue;
        here.push(key);
      }
      out.push({ file: fileIndex, record });
    }
    if (seen) for (const key of here) seen.add(key);
  }
  return out;
}
