// Second pass of the rebuild: from what scan.ts noted per instruction to the run — which group
// each instruction ran in, and what happened to each (the status words of `tsq simulate`).
//
// Nesting comes from an instruction table when there is one (the sequence file given with
// --sequence, or the table the engine logs when it compiles the sequence), else it is inferred:
// a group holds what starts after it until the log shows otherwise — a failure the group absorbed
// closes it, the groups a failure is reported through were still open, and a group that starts
// right after a step of the current group ends that group (a guess, said so in the report).
//
// Statuses follow ConfigMgr's rules for continue on error: "By default, a task sequence group
// fails when any step or embedded group within the group fails", unless that step or group has
// Continue on error (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks).
// The log shows which node let the run go on by what it reports after the failure and by which
// instruction starts next: no group reported as failed and the run goes on — the step continued
// on error; groups reported as failed and the run goes on — the outermost of them continued on
// error; no instruction after the failure and the engine says the run failed — everything up to
// the top failed.

import type { LogTime } from './cmtrace';
import type { ScannedRun } from './scan';
import type { Execution, InstructionEntry, LogRef, MatchConfidence } from './types';

export type RunResult = 'succeeded' | 'failed' | 'incomplete';

/** Where the nesting of the run came from. */
export type StructureSource = 'sequence' | 'log' | 'inferred';

export interface Structure {
  table: InstructionEntry[];
  entryOf: Map<number, number>;
  confidenceOf?: Map<number, MatchConfidence>;
  source: 'sequence' | 'log';
}

export interface RunFailure {
  step?: Execution;
  message?: string;
  exitCode?: number;
  ref?: LogRef;
}

export interface RebuiltRun {
  result: RunResult;
  /** Why the run is `incomplete`. */
  incompleteReason?: string;
  /** Every instruction in the order it started, groups that started before the logs included. */
  executions: Execution[];
  failure?: RunFailure;
  structure: StructureSource;
  scan: ScannedRun;
}

function norm(name: string): string {
  return name.trim().toLowerCase();
}

function later(a: LogTime | undefined, b: LogTime | undefined): LogTime | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.utc > a.utc ? b : a;
}

export function rebuildRun(scan: ScannedRun, structure?: Structure): RebuiltRun {
  const execs = scan.executions;
  const table = structure?.table;
  for (const e of execs) {
    e.entry = structure?.entryOf.get(e.index);
    e.confidence = e.entry !== undefined ? (structure?.confidenceOf?.get(e.index) ?? 'exact') : undefined;
    const entry = e.entry !== undefined ? table![e.entry] : undefined;
    // The older wording has no class: the table says whether it is a group.
    if (entry && e.type === undefined) {
      if (entry.kind === 'group') e.kind = 'group';
      if (entry.container) e.container = true;
    }
    // A lost outcome line can be made good by what the engine set afterwards.
    if (!e.outcome && e.activity && e.lastActionSucceeded !== undefined) {
      e.outcome = e.lastActionSucceeded ? 'succeeded' : 'failed';
      e.exitCode = e.lastActionRetCode ?? e.processExit;
    }
    if (!e.outcome && e.failedGroups.length && e.kind === 'step' && !e.container) e.outcome = 'failed';
  }
  const groupLike = (e: Execution) => e.kind === 'group' || e.container;
  const entryOf = (e: Execution): InstructionEntry | undefined => (e.entry !== undefined ? table![e.entry] : undefined);
  const passedOver = (e: Execution) =>
    e.outcome === 'skipped' || e.outcome === 'disabled' || (e.disabledFlag && !e.entered);

  // Groups a later failure is reported through were open until then.
  const openUntil = new Map<Execution, number>();
  for (const f of execs) {
    const names = [
      ...f.failedGroups.map((g) => g.name),
      ...f.parentNamed,
      ...f.ignoredBy.filter((i) => i.subject === 'group').map((i) => i.name),
    ];
    for (const name of names) {
      for (let k = f.index - 1; k >= 0; k--) {
        const g = execs[k];
        if (groupLike(g) && norm(g.name) === norm(name)) {
          openUntil.set(g, Math.max(openUntil.get(g) ?? -1, f.index));
          break;
        }
      }
    }
  }

  const ordered: Execution[] = [];
  const stack: Execution[] = [];
  const synthetic = new Map<number, Execution>();
  const top = () => stack[stack.length - 1];
  const makeSynthetic = (entryIndex: number, parent: Execution | null): Execution => {
    const entry = table![entryIndex];
    const s: Execution = {
      index: -1,
      name: entry.name,
      pointer: entry.pointer,
      type: entry.type,
      kind: entry.kind,
      container: !!entry.container,
      disabledFlag: false,
      firstRecord: -1,
      lastRecord: -1,
      entered: true,
      activity: false,
      failedGroups: [],
      ignoredBy: [],
      parentNamed: [],
      endedRun: false,
      variables: [],
      parent,
      synthetic: true,
      entry: entryIndex,
      confidence: 'exact',
    };
    synthetic.set(entryIndex, s);
    return s;
  };

  for (let i = 0; i < execs.length; i++) {
    const x = execs[i];
    const prev = i > 0 ? execs[i - 1] : undefined;
    const next = execs[i + 1];
    const entry = entryOf(x);
    if (entry) {
      const ancestors: number[] = [];
      for (let p = entry.parent; p >= 0; p = table![p].parent) ancestors.push(p);
      const wanted = new Set(ancestors);
      while (stack.length && !(top().entry !== undefined && wanted.has(top().entry!))) stack.pop();
      const reached = stack.length ? ancestors.indexOf(top().entry!) : ancestors.length;
      for (let k = reached - 1; k >= 0; k--) {
        const s = makeSynthetic(ancestors[k], top() ?? null);
        ordered.push(s);
        stack.push(s);
      }
    } else if (prev) {
      // A failure some groups absorbed: they are over.
      if (prev.outcome === 'failed') {
        const absorbed = [
          ...prev.failedGroups.map((g) => g.name),
          ...prev.ignoredBy.filter((g) => g.subject === 'group').map((g) => g.name),
        ];
        const outermost = absorbed.length ? norm(absorbed[absorbed.length - 1]) : undefined;
        const at = outermost === undefined ? -1 : stack.map((g) => norm(g.name)).lastIndexOf(outermost);
        if (at >= 0) stack.length = at;
      }
      // A group that starts after a step of the current group is (we guess) the current group's sibling.
      const g = top();
      if (g && groupLike(x) && !groupLike(prev) && prev.parent === g && (openUntil.get(g) ?? -1) < x.index) stack.pop();
    }
    x.parent = top() ?? null;
    ordered.push(x);
    if (groupLike(x) && !passedOver(x)) {
      const childNext = next !== undefined && x.pointer !== undefined && next.pointer === x.pointer + 1;
      const pushes = entry
        ? true
        : x.container
          ? childNext || (x.pointer === undefined && !x.outcome)
          : x.entered || childNext;
      if (pushes) stack.push(x);
    }
  }

  const children = new Map<Execution, Execution[]>();
  for (const e of ordered) {
    e.depth = e.parent ? (e.parent.depth ?? 0) + 1 : 0;
    e.path = e.parent ? `${e.parent.path}/${e.name}` : e.name;
    if (e.parent) {
      const list = children.get(e.parent);
      if (list) list.push(e);
      else children.set(e.parent, [e]);
    }
  }
  const runFailedMarker = !!scan.failedMarker || !!scan.environmentLost;
  const ended = runFailedMarker || !!scan.succeededMarker;
  const lastReal = execs.length - 1;
  const laterExists = (e: Execution) => e.index >= 0 && e.index < lastReal;
  const ancestorsOf = (e: Execution) => {
    const out: Execution[] = [];
    for (let p = e.parent; p; p = p.parent) out.push(p);
    return out;
  };

  // Failures, from the failing step up to the node that let the run go on.
  for (const f of execs) {
    if (f.outcome !== 'failed' || (groupLike(f) && children.has(f))) continue;
    const path = [f, ...ancestorsOf(f)];
    const named = new Set([
      ...f.failedGroups.map((g) => norm(g.name)),
      ...f.ignoredBy.filter((i) => i.subject === 'group').map((i) => norm(i.name)),
    ]);
    const continued = !f.endedRun && (laterExists(f) || (!!scan.succeededMarker && !runFailedMarker));
    let failedUpTo: number;
    let absorber = -1;
    if (continued) {
      absorber = 0;
      for (let k = path.length - 1; k >= 1; k--) {
        if (named.has(norm(path[k].name))) {
          absorber = k;
          break;
        }
      }
      failedUpTo = absorber - 1;
    } else if (runFailedMarker || f.endedRun) {
      failedUpTo = path.length - 1;
    } else {
      failedUpTo = 0;
      for (let k = path.length - 1; k >= 1; k--) {
        if (named.has(norm(path[k].name))) {
          failedUpTo = k;
          break;
        }
      }
    }
    for (let k = 0; k < path.length && k <= Math.max(failedUpTo, absorber); k++) {
      const node = path[k];
      const continuedHere = k === absorber;
      if (node.status === 'failed') continue;
      node.status = continuedHere ? 'failed-continued' : 'failed';
      if (node === f) {
        node.decideRef = f.outcomeRef;
        node.endTime = f.outcomeTime;
        continue;
      }
      const reported = f.failedGroups.find((g) => norm(g.name) === norm(node.name));
      node.decideRef = reported?.ref ?? f.outcomeRef;
      node.endTime = reported?.time ?? f.outcomeTime;
      node.message = `"${f.name}" failed${f.message ? `: ${f.message}` : ''}`;
      if (node.container) node.exitCode = f.exitCode;
    }
  }

  // Everything else.
  const subtreeEnd = (e: Execution): LogTime | undefined => {
    let t = e.endTime ?? e.outcomeTime ?? e.conditionTime ?? e.startTime;
    for (const c of children.get(e) ?? []) t = later(t, subtreeEnd(c));
    return t;
  };
  const lastExec = execs[lastReal];
  const openAtEnd = new Set(lastExec ? [lastExec, ...ancestorsOf(lastExec)] : []);
  for (const e of ordered) {
    if (e.status) continue;
    const hasChildren = children.has(e);
    const decided = laterExists(e) || ended || (e.synthetic && !openAtEnd.has(e));
    if (groupLike(e) && (hasChildren || e.entered) && !passedOver(e)) {
      if (openAtEnd.has(e) && !ended) continue;
      if (openAtEnd.has(e) && runFailedMarker) {
        e.status = 'failed';
        e.decideRef = scan.failedMarker?.ref ?? scan.environmentLost?.ref;
        e.endTime = scan.failedMarker?.time ?? scan.environmentLost?.time;
        continue;
      }
      e.status = 'succeeded';
      e.decideRef = e.enteredRef ?? e.start;
      e.endTime = subtreeEnd(e);
      continue;
    }
    if (e.outcome === 'succeeded') {
      e.status = 'succeeded';
      e.decideRef = e.outcomeRef;
      e.endTime = e.outcomeTime;
    } else if (e.outcome === 'disabled' || (!e.outcome && e.disabledFlag && !e.activity && decided)) {
      e.status = 'disabled';
      e.decideRef = e.outcomeRef ?? e.start;
      e.endTime = e.outcomeTime ?? e.startTime;
    } else if (e.outcome === 'skipped' || (!e.outcome && !e.activity && decided)) {
      e.status = 'skipped';
      e.decideRef = e.outcomeRef ?? e.conditionRef ?? e.start;
      e.endTime = e.outcomeTime ?? e.conditionTime ?? e.startTime;
    }
  }

  let result: RunResult;
  let incompleteReason: string | undefined;
  if (runFailedMarker) result = 'failed';
  else if (scan.succeededMarker) result = 'succeeded';
  else if (
    table &&
    lastExec?.status &&
    scan.nextPointer !== undefined &&
    !ordered.some((e) => e.status === 'failed') &&
    table.every((t) => t.pointer === undefined || t.pointer < scan.nextPointer!)
  ) {
    // The engine moved past the last instruction of the table without a word about failing.
    result = 'succeeded';
  } else {
    result = 'incomplete';
    incompleteReason =
      execs.length === 0
        ? 'no instruction of a task sequence started in these logs'
        : scan.rebootPending && scan.rebootPending.ref === lastRef(scan)
          ? 'the logs stop where the computer restarted: the log written after the restart is missing (give all smsts*.log files of the run)'
          : 'the logs end before the run does: it may still be running, or the later smsts*.log files are missing';
  }

  let failure: RunFailure | undefined;
  if (result === 'failed') {
    const marked = scan.failedMarker?.name;
    let step = marked !== undefined ? [...execs].reverse().find((e) => norm(e.name) === norm(marked)) : undefined;
    step ??= [...execs].reverse().find((e) => e.status === 'failed' && !groupLike(e));
    failure = {
      step,
      message: step?.message ?? scan.failedMarker?.errorText ?? scan.failedMarker?.text ?? scan.environmentLost?.text,
      exitCode: step?.exitCode ?? scan.failedMarker?.errorCode,
      ref: step?.decideRef ?? scan.failedMarker?.ref ?? scan.environmentLost?.ref,
    };
  }
  return { result, incompleteReason, executions: ordered, failure, structure: structure?.source ?? 'inferred', scan };
}

/** The last end-of-engine line of the run (to tell a log that stops at a restart). */
function lastRef(scan: ScannedRun): LogRef | undefined {
  return scan.rebootPending?.ref;
}
