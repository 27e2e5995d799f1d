// Matches the instructions a log shows to the steps of a sequence file. The pointer in the log is
// ConfigMgr's number of the instruction (numbering.ts), so a log entry whose pointer lands on a
// step of the same name is that step (`exact` when the kind and the ConfigMgr class agree too).
// When the numbers disagree — the file was edited since the run, a child sequence could not be
// read, the log's wording has no pointer — a step of the same name later in the file than the
// previous match is taken (`high`), else the only step of that name anywhere (`low`); otherwise
// the log entry stays unmatched. Of the two numberings (with and without an end slot per group)
// the one more log entries agree with is used.

import type { Execution, InstructionEntry, MatchConfidence } from './types';

export interface MatchResult<E extends InstructionEntry = InstructionEntry> {
  table: E[];
  /** Whether the numbering with an end slot after each group fitted the log better. */
  groupEndSlots: boolean;
  /** Entry index per execution index (absent: unmatched). */
  entryOf: Map<number, number>;
  confidenceOf: Map<number, MatchConfidence>;
}

function norm(name: string): string {
  return name.trim().toLowerCase();
}

function kindAgrees(e: Execution, entry: InstructionEntry): boolean {
  if (e.container || entry.container) return e.kind === 'step' && entry.kind === 'step';
  if (e.type !== undefined && entry.type !== undefined) return e.type === entry.type;
  return e.kind === entry.kind || e.type === undefined;
}

function agreement(executions: readonly Execution[], byPointer: Map<number, InstructionEntry>): number {
  let n = 0;
  for (const e of executions) {
    if (e.pointer === undefined) continue;
    const entry = byPointer.get(e.pointer);
    if (entry && norm(entry.name) === norm(e.name)) n++;
  }
  return n;
}

function pointerIndex<E extends InstructionEntry>(table: readonly E[]): Map<number, number> {
  const m = new Map<number, number>();
  table.forEach((entry, i) => {
    if (entry.pointer !== undefined) m.set(entry.pointer, i);
  });
  return m;
}

/** Matches `executions` against the first table (no end slots) or the second (end slots), whichever fits. */
export function matchExecutions<E extends InstructionEntry>(
  executions: readonly Execution[],
  plain: E[],
  withEndSlots?: E[],
): MatchResult<E> {
  let table = plain;
  let groupEndSlots = false;
  if (withEndSlots) {
    const score = (t: E[]) => agreement(executions, new Map([...pointerIndex(t)].map(([p, i]) => [p, t[i]])));
    if (score(withEndSlots) > score(plain)) {
      table = withEndSlots;
      groupEndSlots = true;
    }
  }
  const byPointer = pointerIndex(table);
  const byName = new Map<string, number[]>();
  table.forEach((entry, i) => {
    const key = norm(entry.name);
    const list = byName.get(key);
    if (list) list.push(i);
    else byName.set(key, [i]);
  });
  const entryOf = new Map<number, number>();
  const confidenceOf = new Map<number, MatchConfidence>();
  let cursor = -1;
  for (const e of executions) {
    const key = norm(e.name);
    let found: number | undefined;
    let confidence: MatchConfidence | undefined;
    const atPointer = e.pointer !== undefined ? byPointer.get(e.pointer) : undefined;
    if (atPointer !== undefined && norm(table[atPointer].name) === key) {
      found = atPointer;
      confidence = kindAgrees(e, table[atPointer]) ? 'exact' : 'high';
    } else {
      const candidates = byName.get(key) ?? [];
      const ahead = candidates.find((i) => i > cursor && kindAgrees(e, table[i])) ?? candidates.find((i) => i > cursor);
      if (ahead !== undefined) {
        found = ahead;
        confidence = 'high';
      } else if (candidates.length === 1) {
        found = candidates[0];
        confidence = 'low';
      }
    }
    if (found === undefined) continue;
    entryOf.set(e.index, found);
    confidenceOf.set(e.index, confidence!);
    cursor = Math.max(cursor, found);
  }
  return { table, groupEndSlots, entryOf, confidenceOf };
}
