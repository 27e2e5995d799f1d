// First pass of the rebuild: walks the records of a run in order and notes, per instruction the
// engine started, everything the log says about it — its pointer and class, whether a group was
// entered, the outcome line, the failure chain after a failure (groups that failed, groups or the
// engine that ignored it), variables set, restart requests — plus what the log says about the run
// as a whole (how the engine ended, its sessions, the compile section's instruction table).
// Nothing here decides nesting or final statuses: rebuild.ts does, once the structure is known.
// A log that holds several runs of the sequence (smsts.log keeps growing in the client's log
// folder) keeps the last one; the others are counted.

import type { LogRecord, LogTime } from './cmtrace';
import { recordTime } from './cmtrace';
import { classify, REBOOT_PENDING, startsSession, type Evidence } from './messages';
import { PolicyTableBuilder } from './policy';
import type { Execution, InstructionEntry, LogRef } from './types';

/** One record of the merged logs and the file it came from. */
export interface MergedRecord {
  file: number;
  record: LogRecord;
}

export interface Restart {
  after: Execution;
  ref: LogRef;
  time?: LogTime;
  /** Where the computer restarted to: the next session's _SMSTSInWinPE, else the step's command line. */
  target?: 'WinPE' | 'HD';
}

export interface Session {
  start: LogRef;
  /** _SMSTSInWinPE as the session set it. */
  inWinPE?: boolean;
}

export interface EndMarker {
  ref: LogRef;
  time?: LogTime;
  text: string;
}

export interface ScannedRun {
  executions: Execution[];
  restarts: Restart[];
  sessions: Session[];
  /** The engine said the run failed (first such line), and the error it gave. */
  failedMarker?: EndMarker & { errorCode?: number; errorText?: string; name?: string };
  succeededMarker?: EndMarker;
  /** The last thing the engine said was that it stops for a restart. */
  rebootPending?: EndMarker;
  environmentLost?: EndMarker;
  policyTable?: InstructionEntry[];
  sequenceName?: string;
  /** Variables with values set before the first instruction of the run. */
  startVariables: { name: string; value: string }[];
  /** The last _SMSTSNextInstructionPointer the engine set. */
  nextPointer?: number;
  /** Runs in the logs before the one rebuilt, and where this one starts. */
  earlierRuns: number;
  /** The names of the task sequences those earlier runs ran, each once, in the order first seen. */
  earlierNames: string[];
  runStart?: LogRef;
  /** Lines whose wording is inferred that the run used, by kind (for the report's notes). */
  inferredSeen: Set<string>;
  /** First record of this run (index into the merged records). */
  firstRecord: number;
  /** The logs start more instructions than tsq keeps; the scan stopped there. */
  overflow?: boolean;
}

/** More instructions than any sequence runs (ConfigMgr's editor handles a few hundred steps); a guard against hostile logs. */
export const MAX_INSTRUCTIONS = 200_000;

function newRun(firstRecord: number): ScannedRun {
  return {
    executions: [],
    restarts: [],
    sessions: [],
    startVariables: [],
    earlierRuns: 0,
    earlierNames: [],
    inferredSeen: new Set(),
    firstRecord,
  };
}

function sameName(a: string, b: string): boolean {
  return a === b || a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The step name at the start of "Failed to run the action: NAME. …", knowing which step is running. */
function failedActionName(detail: string, current: Execution | undefined): string {
  const firstLine = detail.split('\n', 1)[0];
  if (current && (firstLine.startsWith(`${current.name}.`) || firstLine === current.name)) return current.name;
  const m = /^(.*?)\.(?:\s|$)/.exec(firstLine);
  return (m ? m[1] : firstLine).trim();
}

const TARGET = /\/target:(WinPE|HD)\b/i;

export function scanRun(records: readonly MergedRecord[]): ScannedRun {
  let run = newRun(0);
  const policy = new PolicyTableBuilder();
  let current: Execution | undefined;
  let lastFailure: Execution | undefined;
  let ended = false;
  let engineRan = false;
  const byName = new Map<string, Execution[]>();

  const refOf = (i: number): LogRef => ({ file: records[i].file, line: records[i].record.line });
  const remember = (e: Execution) => {
    const key = e.name.trim().toLowerCase();
    const list = byName.get(key);
    if (list) list.push(e);
    else byName.set(key, [e]);
  };
  /** The instruction a line names: the current one when the names agree, else the latest of that name, else a new one (its start is not in the logs). */
  const named = (name: string, i: number): Execution => {
    if (current && sameName(current.name, name)) return current;
    const list = byName.get(name.trim().toLowerCase());
    const recent = list?.[list.length - 1];
    if (recent) return recent;
    const orphan = execution(name, i, undefined);
    run.executions.push(orphan);
    remember(orphan);
    // The logs begin inside this instruction: what follows belongs to it until the next one starts.
    current ??= orphan;
    return orphan;
  };
  const execution = (name: string, i: number, start: LogRef | undefined): Execution => ({
    index: run.executions.length,
    name,
    kind: 'step',
    container: false,
    disabledFlag: false,
    start,
    startTime: start ? recordTime(records[i].record) : undefined,
    firstRecord: i,
    lastRecord: i,
    entered: false,
    activity: false,
    failedGroups: [],
    ignoredBy: [],
    parentNamed: [],
    endedRun: false,
    variables: [],
    parent: null,
  });
  /** The sequence ran again later in the same logs: keep the last run. */
  const startOver = (i: number) => {
    const earlier = run.earlierRuns + 1;
    const names =
      run.sequenceName && !run.earlierNames.includes(run.sequenceName)
        ? [...run.earlierNames, run.sequenceName]
        : run.earlierNames;
    run = newRun(i);
    run.earlierRuns = earlier;
    run.earlierNames = names;
    run.runStart = refOf(i);
    byName.clear();
    current = undefined;
    lastFailure = undefined;
    ended = false;
    engineRan = false;
  };
  /** The engine's process ended with `code`: done, failed, or stopped for a restart. */
  const engineEnded = (code: number, i: number) => {
    const marker = { ref: refOf(i), time: recordTime(records[i].record), text: records[i].record.message };
    if (code === REBOOT_PENDING) {
      run.rebootPending = marker;
      return;
    }
    if (code === 0) run.succeededMarker ??= marker;
    else run.failedMarker ??= { ...marker, errorCode: code };
    ended = true;
  };
  const note = (evidence: Evidence, kind: string) => {
    if (evidence === 'inferred') run.inferredSeen.add(kind);
  };

  for (let i = 0; i < records.length; i++) {
    const rec = records[i].record;
    if (current) current.lastRecord = i;
    const c = classify(rec.message);
    if (!c) continue;
    const ev = c.event;
    policy.add(ev);
    switch (ev.kind) {
      case 'instruction-start': {
        if (ended) startOver(i);
        if (run.executions.length >= MAX_INSTRUCTIONS) {
          run.overflow = true;
          i = records.length;
          break;
        }
        if (current) current.lastRecord = i - 1;
        engineRan = true;
        const e = execution(ev.name, i, refOf(i));
        e.pointer = ev.pointer;
        e.type = ev.type;
        e.kind = ev.type === '' ? 'group' : 'step';
        e.container = ev.type !== undefined && /SubTasksequence/i.test(ev.type);
        e.disabledFlag = ev.disabled === true;
        run.executions.push(e);
        remember(e);
        if (run.runStart === undefined) run.runStart = e.start;
        current = e;
        lastFailure = undefined;
        break;
      }
      case 'group-started': {
        const e = named(ev.name, i);
        e.entered = true;
        if (!e.container) e.kind = 'group';
        e.enteredRef ??= refOf(i);
        break;
      }
      case 'action-succeeded': {
        const e = named(ev.name, i);
        e.outcome = 'succeeded';
        e.exitCode = ev.exitCode;
        e.outcomeRef = refOf(i);
        e.outcomeTime = recordTime(rec);
        break;
      }
      case 'action-failed': {
        const e = named(failedActionName(ev.detail, current), i);
        e.outcome = 'failed';
        e.exitCode = ev.errorCode ?? e.processExit;
        const first = ev.detail.split('\n', 1)[0];
        e.message = ev.errorText ?? (first.slice(first.indexOf('.') + 1).trim() || first);
        e.outcomeRef = refOf(i);
        e.outcomeTime = recordTime(rec);
        lastFailure = e;
        break;
      }
      case 'process-exit':
        if (/^TSMBootstrap$/i.test(rec.component)) {
          // The bootstrap reports how TSManager (the engine's process) ended.
          if (engineRan) engineEnded(ev.exitCode, i);
        } else if (current && !current.outcome) {
          current.processExit = ev.exitCode;
          current.activity = true;
        }
        break;
      case 'command-line':
        if (current && !current.outcome && (rec.component === '' || /^TSManager$/i.test(rec.component)))
          current.activity = true;
        break;
      case 'reboot-request': {
        const e = named(ev.name, i);
        e.rebootRequested = refOf(i);
        run.restarts.push({ after: e, ref: refOf(i), time: recordTime(rec) });
        break;
      }
      case 'skipped': {
        const e = named(ev.name, i);
        e.outcome = ev.why === 'disabled' ? 'disabled' : 'skipped';
        e.outcomeRef = refOf(i);
        e.outcomeTime = recordTime(rec);
        if (ev.why === 'condition') e.message = ev.text;
        if (ev.subject === 'group' && !e.container) e.kind = 'group';
        note(c.evidence, 'skipped');
        break;
      }
      case 'condition-result':
        // The last "false" line before the instruction is passed over says the most.
        if (!ev.value && current && !current.outcome) {
          current.message = rec.message;
          current.conditionRef = refOf(i);
          current.conditionTime = recordTime(rec);
        }
        if (!ev.value) note(c.evidence, 'condition-false');
        break;
      case 'parent-decides':
        lastFailure?.parentNamed.push(ev.name);
        note(c.evidence, 'parent-decides');
        break;
      case 'group-failed':
        (lastFailure ?? current)?.failedGroups.push({ name: ev.name, ref: refOf(i), time: recordTime(rec) });
        break;
      case 'failure-ignored':
        lastFailure?.ignoredBy.push({ subject: ev.subject, name: ev.name });
        note(c.evidence, 'failure-ignored');
        break;
      case 'run-failed':
        if (lastFailure) lastFailure.endedRun = true;
        if (!run.failedMarker)
          run.failedMarker = {
            ref: refOf(i),
            time: recordTime(rec),
            text: rec.message,
            errorCode: ev.errorCode,
            errorText: ev.errorText,
            name: ev.name,
          };
        else if (run.failedMarker.errorText === undefined && ev.errorText) run.failedMarker.errorText = ev.errorText;
        ended = true;
        break;
      case 'engine-result': {
        const marker = { ref: refOf(i), time: recordTime(rec), text: rec.message };
        note(c.evidence, 'engine-result');
        if (ev.result === 'reboot') run.rebootPending = marker;
        else if (ev.result === 'success') {
          run.succeededMarker ??= marker;
          ended = true;
        } else {
          run.failedMarker ??= marker;
          ended = true;
        }
        break;
      }
      case 'manager-returned':
        note(c.evidence, 'manager-returned');
        engineEnded(ev.code, i);
        break;
      case 'run-completed': {
        const marker = { ref: refOf(i), time: recordTime(rec), text: rec.message };
        if (ev.code === 0) run.succeededMarker ??= marker;
        else run.failedMarker ??= { ...marker, errorCode: ev.code };
        ended = true;
        break;
      }
      case 'variable':
        if (ev.scope !== 'global' || ev.value === undefined) break;
        switch (ev.name) {
          case '_SMSTSNextInstructionPointer': {
            const n = Number(ev.value);
            if (!Number.isInteger(n)) break;
            run.nextPointer = n;
            // The first instruction of a log whose beginning was lost: its pointer comes after it.
            if (
              current &&
              current.pointer === undefined &&
              current.start === undefined &&
              current.outcome === 'succeeded' &&
              n > 0
            )
              current.pointer = n - 1;
            break;
          }
          case '_SMSTSLastActionSucceeded':
            if (current) current.lastActionSucceeded = ev.value.trim().toLowerCase() === 'true';
            break;
          case '_SMSTSLastActionRetCode':
            if (current && /^-?\d+$/.test(ev.value.trim())) current.lastActionRetCode = Number(ev.value) | 0;
            break;
          case '_SMSTSInWinPE': {
            const inWinPE = ev.value.trim().toLowerCase() === 'true';
            const session = run.sessions[run.sessions.length - 1];
            if (session && session.inWinPE === undefined) session.inWinPE = inWinPE;
            else if (!session) run.sessions.push({ start: refOf(i), inWinPE });
            const restart = run.restarts[run.restarts.length - 1];
            if (restart && restart.target === undefined) restart.target = inWinPE ? 'WinPE' : 'HD';
            break;
          }
          case '_SMSTSPackageName':
            run.sequenceName ??= ev.value;
            break;
          default:
            if (current) current.variables.push({ name: ev.name, value: ev.value });
            else run.startVariables.push({ name: ev.name, value: ev.value });
        }
        break;
      case 'process-banner':
        if (!startsSession(ev.program)) break;
        if (ended) startOver(i);
        run.sessions.push({ start: refOf(i) });
        break;
      case 'environment-lost':
        run.environmentLost = { ref: refOf(i), time: recordTime(rec), text: rec.message };
        break;
      case 'sequence-name':
        run.sequenceName ??= ev.name;
        break;
      case 'child-start':
        note(c.evidence, 'child-start');
        break;
      case 'policy-pointer':
        note(c.evidence, 'policy-pointer');
        break;
      default:
        break;
    }
  }
  policy.finish();
  run.policyTable = policy.table;
  // A restart whose target no later session told: the step's own command line may say.
  for (const r of run.restarts) {
    if (r.target) continue;
    for (let i = r.after.firstRecord; i <= r.after.lastRecord && i < records.length; i++) {
      const m = TARGET.exec(records[i].record.message);
      if (m && /command line/i.test(records[i].record.message)) {
        r.target = m[1].toLowerCase() === 'winpe' ? 'WinPE' : 'HD';
        break;
      }
    }
  }
  return run;
}
