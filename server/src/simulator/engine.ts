// The simulator: runs a sequence on a simulated machine the way ConfigMgr's task sequence engine
// would (order, groups and continue on error:
// https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSGroups;
// conditions and disabled steps: https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-editor;
// tsq's own choices where Microsoft is silent: docs/simulator.md), one node per `tick`, so the
// debugger can stop anywhere and the CLI can run to the end. Depth-first document order;
// disabled nodes skipped without touching any variable; conditions decided just before a node
// runs, with a reason; success codes, time limits, retries; continue on error through nested
// groups and child sequences; restarts and the Windows PE / full OS environment; content checks;
// a log of every event. Same inputs, same run: nothing here reads the real clock or randomness.
//
// Position: a cursor (frame + index) names the next node to visit. Frames are never changed in
// place, so remembering a position is free; state changes go through a journal, so stepping back
// is "rewind the journal to the checkpoint, put the cursor back".
//
// Speed: a visit works from node plans made once per parsed file (program.ts: compiled conditions,
// step plans with variable slots, behaviours), writes variables by slot, records the visit and its
// log events as columns of numbers and references, and words reasons and messages only when read.
// With history off the journal is not touched on the hot path at all.

import type { TsqDocument } from '../model/document';
import type { SequenceModel, SeqNode, StepNode } from '../model/sequence';
import { option } from '../model/sequence';
import type { MachineModel, RunOutcome } from '../model/machine';
import type { Workspace } from '../semantics/workspace';
import { childCalls } from '../semantics/children';
import { isDynamic } from '../semantics/references';
import { reachableSequenceDocs } from '../semantics/sequence-closure';
import { createConditionEnvironment, type ConditionEnvironment } from '../conditions';
import { referenceKindInfo } from '../catalog';
import { Journal } from './journal';
import { Checkpoints } from './checkpoints';
import { variableSlot, VariableStore } from './variables';
import { machineSetup, environmentLabel, type Environment, type MachineSetup } from './machine';
import { ContentLibrary, contentKey, type ContentProblem } from './content';
import type { ActionPlan } from './plan';
import { sequenceFacts } from './scan';
import { frameProgram, CHILD, GROUP, NodeFlag, type FrameProgram } from './program';
import { logPath, type MachineState, type RunContext, type StepFailure, type StepRun } from './behaviour';
import { EventLog, logHead, type EventValues, type LogHead, type LogSeverity, type NoteValues } from './log';
import { durationText, exitCodeText } from '../semantics/run-outcome';
import {
  H_ABSORBED,
  H_CHILD_DONE,
  H_CONDITION_FALSE,
  H_CONDITION_TRUE,
  H_CONTINUED,
  H_DISABLED,
  H_ENTER_CHILD,
  H_ENTER_GROUP,
  H_GROUP_FAILED,
  H_LEAVE_GROUP,
  H_RESTART,
  H_RESTART_SWITCH,
  H_START,
  TS_MANAGER,
  lazyNoteHead,
  msgDownloaded,
  noteOf,
} from './events';
import {
  DISABLED,
  FAILED,
  FAILED_CONTINUED,
  RecordStore,
  RUNNING,
  SUCCEEDED,
  type EndStatus,
  type NodeRecord,
  type RunCounts,
  type VisitTable,
} from './records';
import type { RunFailure, RunResult, SimulationOptions, TickResult } from './types';
import defaults from './data/defaults.json';

const CODES = defaults.exitCodes;
/** A step asking to be run again more often than this in a row is stopped (simulator rule). */
const MAX_RERUNS = 50;
/** How many visits the debugger can step back by default (older ones are forgotten). */
const HISTORY_LIMIT = 100_000;

/** A level of nesting: the top sequence, a group, or a child sequence run by a Run Task Sequence step. */
export interface Frame {
  readonly kind: 'root' | 'group' | 'child';
  readonly nodes: readonly SeqNode[];
  /** What visits of `nodes` need, laid out index by index. */
  readonly program: FrameProgram;
  readonly docId: string;
  readonly model: SequenceModel;
  readonly parent: Frame | null;
  /** Index of the container in the parent's nodes. */
  readonly returnIndex: number;
  /** The group or the Run Task Sequence step (null for the top sequence). */
  readonly container: SeqNode | null;
  /** The container's visit, as an index into the run's records (-1 for the top sequence). */
  readonly recordIndex: number;
  /** Depth of the nodes in this frame (0 = top level). */
  readonly depth: number;
}

/** The next node to visit. */
export interface Cursor {
  readonly frame: Frame;
  readonly index: number;
}

const SLOT_CURRENT = variableSlot('_SMSTSCurrentActionName');
const SLOT_LAST_NAME = variableSlot('_SMSTSLastActionName');
const SLOT_LAST_CODE = variableSlot('_SMSTSLastActionRetCode');
const SLOT_LAST_OK = variableSlot('_SMSTSLastActionSucceeded');
const SLOT_IN_WINPE = variableSlot('_SMSTSInWinPE');
const SLOT_REBOOT = variableSlot('SMSTSRebootRequested');
const SLOT_RETRY = variableSlot('SMSTSRetryRequested');

/** TickResult actions by what a visit did. */
const DISABLED_VISIT = 0,
  SKIPPED_VISIT = 1,
  ENTERED = 2,
  RAN = 3;
const ACTIONS: readonly TickResult['action'][] = ['disabled', 'skipped', 'entered', 'ran'];

function parseStart(start: number | string | undefined): number {
  if (typeof start === 'number' && Number.isFinite(start)) return start;
  const t = Date.parse(typeof start === 'string' ? start : defaults.startTime);
  return Number.isFinite(t) ? t : Date.parse(defaults.startTime);
}

function isChildDisabled(model: SequenceModel): boolean {
  const cm = model.configMgr as Record<string, unknown> | undefined;
  const enabled = cm && typeof cm === 'object' ? (cm.TsEnabled ?? cm.tsEnabled) : undefined;
  return enabled === false || (typeof enabled === 'string' && /^false$/i.test(enabled));
}

export class Simulation implements RunContext {
  readonly journal: Journal;
  readonly vars: VariableStore;
  readonly state: MachineState;
  readonly machine: MachineSetup;
  readonly content: ContentLibrary;
  readonly conditionEnv: ConditionEnvironment;
  readonly root: SequenceModel;
  readonly applications = new Map<string, true>();
  readonly log: EventLog;
  /** Content problems found by the check before the first step. */
  readonly contentProblems: ContentProblem[] = [];
  readonly startTime: number;
  readonly rootFrame: Frame;

  private readonly store: RecordStore;
  /** The cursor: the next node to visit is `frame.nodes[index]`; no frame once the run has ended. */
  private frame: Frame | null;
  private index = 0;
  private readonly runs = new Map<StepNode, number>();
  private readonly history: Checkpoints<Frame> | undefined;
  private readonly maxVisits: number;
  /** The log keeps only the notes about visits (`SimulationOptions.logNotesOnly`). */
  private readonly notesOnly: boolean;
  private readonly stepRun = new ActiveRun(this);
  /** What the last visit did, for `tick`'s answer. */
  private lastRecord = -1;
  private lastAction = RAN;
  private lastFailed = false;

  constructor(
    readonly ws: Workspace,
    readonly doc: TsqDocument,
    machine: MachineModel | undefined,
    readonly options: SimulationOptions = {},
  ) {
    this.journal = new Journal(options.history === true);
    this.history = options.history
      ? new Checkpoints<Frame>(Math.max(1, options.historyLimit ?? HISTORY_LIMIT), this.journal)
      : undefined;
    this.vars = new VariableStore(this.journal);
    this.machine = machineSetup(machine);
    this.root =
      (doc.model as SequenceModel | undefined) ??
      ({ kind: 'sequence', name: '', steps: [], variables: [] } as unknown as SequenceModel);
    this.startTime = parseStart(options.startTime);
    this.maxVisits = options.maxVisits ?? 10_000_000;
    this.notesOnly = options.logNotesOnly === true;
    this.state = {
      env: this.machine.startsIn,
      diskFormatted: this.machine.diskFormatted,
      os: this.machine.diskFormatted ? 'installed' : 'none',
      // Started from the full OS, the sequence was started by the client (Software Center).
      client: this.machine.startsIn === 'FullOS',
      clock: this.startTime,
      restarts: 0,
      reruns: 0,
      visits: 0,
    };
    this.content = new ContentLibrary(
      ws.catalog,
      options.content ?? 'downloadWhenNeeded',
      options.media,
      this.machine.downloadMBps,
      this.journal,
      options.unreachableContent,
    );
    const facts = createConditionEnvironment(this.machine.facts);
    const vars = this.vars;
    this.conditionEnv = { ...facts, variable: (name) => vars.get(name) };
    this.store = new RecordStore(this.journal, this.conditionEnv);
    const store = this.store;
    this.log = new EventLog((i) => store.view(i));
    for (const a of this.machine.applications) this.applications.set(a.toLowerCase(), true);
    this.rootFrame = {
      kind: 'root',
      nodes: this.root.steps,
      program: frameProgram(this.root.steps),
      docId: doc.id,
      model: this.root,
      parent: null,
      returnIndex: -1,
      container: null,
      recordIndex: -1,
      depth: 0,
    };
    this.frame = this.rootFrame;
    this.begin();
  }

  get catalog() {
    return this.ws.catalog;
  }

  /** The next node to visit; null once the run has ended. */
  get cursor(): Cursor | null {
    return this.frame ? { frame: this.frame, index: this.index } : null;
  }

  /** Every visit of a node, in the order visits started (the same array as the run goes on). */
  get records(): NodeRecord[] {
    return this.store.list();
  }

  /** Every visit, read by index (what `records` holds, without a view of each). */
  get visits(): VisitTable {
    return this.store;
  }

  /** How the visits so far ended (what `countSteps(records)` says, without a view of each visit). */
  stepCounts(): RunCounts {
    return this.store.counts();
  }

  get ended(): RunResult | undefined {
    return this.state.ended;
  }

  get failure(): RunFailure | undefined {
    return this.state.failure;
  }

  /** The node the cursor points at. */
  get currentNode(): SeqNode | undefined {
    return this.frame ? this.frame.nodes[this.index] : undefined;
  }

  /** Whether `back()` has somewhere to go. */
  get canGoBack(): boolean {
    return !!this.history && this.history.length > 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  private begin(): void {
    const m = this.machine;
    const v = this.vars;
    const st = this.state;
    this.emit(
      'info',
      TS_MANAGER,
      `Task sequence "${this.root.name}" starts on "${m.name}" (${m.architecture}, ${m.firmware === 'uefi' ? 'UEFI' : 'BIOS'}) in ${environmentLabel(st.env)}, disk ${st.diskFormatted ? 'formatted' : 'not formatted'}`,
    );
    for (const decl of this.root.variables) if (!decl.name.startsWith('_')) v.set(decl.name, decl.value);
    const media = this.options.media;
    for (const [name, value] of Object.entries(this.options.collectionVariables ?? {}))
      this.machineVariable(name, value, 'collection');
    for (const mv of m.variables) this.machineVariable(mv.name, mv.value, mv.source);
    v.set('_SMSTSInWinPE', st.env === 'WinPE' ? 'true' : 'false');
    if (m.firmware === 'uefi') v.set('_SMSTSBootUEFI', 'true');
    v.set('_SMSTSPackageID', this.root.packageId?.value ?? '');
    v.set('_SMSTSPackageName', this.root.name);
    if (this.root.bootImage?.value.trim()) v.set('_SMSTSBootImageID', this.root.bootImage.value.trim());
    const siteCode = this.catalog.catalogs.find((c) => c.model.siteCode)?.model.siteCode?.value;
    if (siteCode) v.set('_SMSTSSiteCode', siteCode);
    v.set('_SMSTSAdvertID', media?.type === 'standalone' ? '' : (this.options.deploymentId ?? ''));
    v.set('_SMSTSLaunchMode', st.env === 'FullOS' ? 'SMS' : media ? 'UFD' : 'PXE');
    if (st.env === 'WinPE' || media)
      v.set(
        '_SMSTSMediaType',
        media
          ? { standalone: 'FullMedia', bootable: 'BootMedia', prestaged: 'OEMMedia', capture: 'BootMedia' }[media.type]
          : 'PXE',
      );
    v.set('_SMSTSMachineName', st.env === 'WinPE' ? 'MININT-SIM0001' : (v.get('OSDComputerName') ?? 'SIM-PC01'));
    v.set('_SMSTSLogPath', logPath(st));
    v.set('_SMSTSMDataPath', st.diskFormatted ? 'C:\\_SMSTaskSequence' : 'X:\\_SMSTaskSequence');
    v.set('_SMSTSType', sequenceFacts(this.root).deploysOs ? '2' : '1');
    v.set('_SMSTSUserStarted', 'false');
    v.set('_SMSTSDownloadOnDemand', this.content.mode === 'downloadWhenNeeded' ? 'true' : 'false');
    v.set('_SMSTSRunFromDP', this.content.mode === 'runFromDistributionPoint' ? 'true' : 'false');
    v.set('_TSAppInstallStatus', 'Undefined');
    const refused = this.options.startFailure;
    if (refused) this.end('failed', { ...refused, fatal: true });
    else this.checkContent();
    const cannotBoot = st.env === 'WinPE' && !st.ended ? this.bootImageProblem() : undefined;
    if (cannotBoot) this.end('failed', { exitCode: CODES.failed, fatal: true, reason: cannotBoot });
    if (!this.state.ended && this.root.steps.length === 0) this.end('succeeded');
  }

  /**
   * Why the computer cannot start the sequence's boot image, when the catalog gives its architecture:
   * a boot image starts only on its own architecture, except x86 on x64 computers with BIOS firmware.
   */
  private bootImageProblem(): string | undefined {
    const id = this.root.bootImage?.value.trim();
    const archs = id ? (this.catalog.lookup('bootImage', id)?.architectures ?? []) : [];
    const m = this.machine;
    if (archs.length === 0 || archs.includes(m.architecture)) return undefined;
    if (archs.includes('x86') && m.architecture === 'x64' && m.firmware === 'bios') return undefined;
    return `the ${m.architecture} ${m.firmware === 'uefi' ? 'UEFI' : 'BIOS'} computer cannot start the ${archs.join('/')} boot image ${id}`;
  }

  private machineVariable(name: string, value: string, source: string): void {
    if (name.startsWith('_')) {
      this.emit(
        'warning',
        TS_MANAGER,
        `The ${source} variable ${name} is ignored: names starting with _ are read-only`,
      );
      return;
    }
    this.vars.set(name, value);
  }

  /** Before the first step the client checks every referenced object; with downloadAll it also downloads them. */
  private checkContent(): void {
    const refs = new Map<string, { kind: ContentProblem['kind']; id: string }>();
    const docs = sequenceFacts(this.root).runsChildren ? reachableSequenceDocs(this.ws, this.doc) : [this.doc];
    for (const d of docs) {
      const model = d.model as SequenceModel | undefined;
      if (!model) continue;
      for (const r of sequenceFacts(model).references) {
        const key = contentKey(r.kind, r.id);
        if (!refs.has(key)) refs.set(key, r);
      }
    }
    const mode = this.content.mode;
    this.emit(
      'info',
      TS_MANAGER,
      `Checking the content of ${refs.size} referenced object${refs.size === 1 ? '' : 's'} (${mode === 'downloadAll' ? 'download all content before starting' : mode === 'runFromDistributionPoint' ? 'run from the distribution point' : 'download content when needed'}${this.options.media ? `, ${this.options.media.type} media` : ''})`,
    );
    let seconds = 0;
    for (const { kind, id } of refs.values()) {
      const label = referenceKindInfo(kind).label;
      if (mode === 'downloadAll') {
        const got = this.content.fetch(kind, id);
        if (got.problem) this.contentProblems.push({ kind, id, problem: got.problem });
        else seconds += got.seconds;
        if (got.availability.unchecked)
          this.emit('warning', TS_MANAGER, `Content of ${label} ${id} not checked: ${got.availability.unchecked}`);
      } else {
        const a = this.content.availability(kind, id);
        if (a.problem) this.contentProblems.push({ kind, id, problem: a.problem });
        if (a.unchecked) this.emit('warning', TS_MANAGER, `Content of ${label} ${id} not checked: ${a.unchecked}`);
      }
    }
    const fatal = mode === 'downloadAll' || this.options.failOnContentProblems === true;
    for (const p of this.contentProblems)
      this.emit(fatal ? 'error' : 'warning', TS_MANAGER, `The ${referenceKindInfo(p.kind).label} ${p.id} ${p.problem}`);
    if (seconds > 0) {
      this.emit('info', TS_MANAGER, `Downloaded all content to the client cache in ${durationText(seconds * 1000)}`);
      this.advanceClock(seconds);
    }
    if (fatal && this.contentProblems.length) {
      const first = this.contentProblems[0];
      const what =
        mode === 'downloadAll'
          ? 'content could not be downloaded before the first step'
          : 'the client cannot find the content the sequence needs';
      this.end('failed', {
        exitCode: CODES.contentUnavailable,
        reason: `${what}: the ${referenceKindInfo(first.kind).label} ${first.id} ${first.problem}${this.contentProblems.length > 1 ? ` (and ${this.contentProblems.length - 1} more)` : ''}`,
        fatal: true,
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  /** Visits the next node: skips it, enters it (a group or a child sequence) or runs it (a step). */
  tick(): TickResult | undefined {
    if (this.state.ended || !this.frame) return undefined;
    this.visit();
    const ended = this.state.ended;
    if (this.lastRecord < 0) return { action: ACTIONS[this.lastAction], stepFailed: this.lastFailed, ended };
    return {
      record: this.store.view(this.lastRecord),
      action: ACTIONS[this.lastAction],
      stepFailed: this.lastFailed,
      ended,
    };
  }

  /** Runs until the end (or `limit` visits); returns the result. */
  run(limit = Infinity): RunResult | undefined {
    const st = this.state;
    for (let i = 0; i < limit && !st.ended && this.frame; i++) this.visit();
    return st.ended;
  }

  /** Remembers where the run is, so `back()` can return here. */
  private checkpoint(): void {
    const st = this.state;
    this.history!.push(
      this.frame,
      this.index,
      this.journal.length,
      this.store.length,
      this.log.length,
      st.visits,
      st.clock,
    );
    this.store.markStable();
  }

  /** One visit of the node at the cursor; `lastRecord`, `lastAction` and `lastFailed` tell what it did. */
  private visit(): void {
    const st = this.state;
    const frame = this.frame!;
    const index = this.index;
    if (this.history) this.checkpoint();
    st.visits++;
    this.lastFailed = false;
    this.lastAction = RAN;
    this.lastRecord = -1;
    if (st.visits > this.maxVisits) {
      this.end('failed', {
        reason: `the simulation stopped after ${this.maxVisits} visits (the run does not come to an end)`,
        exitCode: CODES.failed,
        fatal: true,
      });
      return;
    }
    const program = frame.program;
    const flags = program.flags(index);
    if (flags & NodeFlag.DISABLED) {
      const node = program.nodes[index];
      const rec = this.open(node, frame);
      this.closeWithReason(rec, DISABLED, NaN, 'disabled');
      this.record(H_DISABLED, node);
      this.moveTo(frame, index + 1);
      this.lastRecord = rec;
      this.lastAction = DISABLED_VISIT;
      return;
    }
    if (flags & NodeFlag.HAS_CONDITION) {
      const vars = this.vars;
      const value = program.conditionHolds(index, vars, this.conditionEnv);
      const captured = program.capture(index, vars);
      const node = program.nodes[index];
      if (!value) {
        const rec = this.open(node, frame);
        this.store.closeSkipped(rec, this.state.clock, captured);
        this.record(H_CONDITION_FALSE, node, captured, this.conditionEnv);
        this.moveTo(frame, index + 1);
        this.lastRecord = rec;
        this.lastAction = SKIPPED_VISIT;
        return;
      }
      this.record(H_CONDITION_TRUE, node, captured, this.conditionEnv);
    }
    const kind = flags & NodeFlag.KIND;
    if (kind === GROUP) {
      const node = program.nodes[index] as Extract<SeqNode, { kind: 'group' }>;
      const rec = this.open(node, frame);
      this.record(H_ENTER_GROUP, node);
      const inner: Frame = {
        kind: 'group',
        nodes: node.steps,
        program: program.group(index),
        docId: frame.docId,
        model: frame.model,
        parent: frame,
        returnIndex: index,
        container: node,
        recordIndex: rec,
        depth: frame.depth + 1,
      };
      this.moveTo(inner, 0);
      this.lastRecord = rec;
      this.lastAction = ENTERED;
      return;
    }
    if (kind === CHILD) this.startChild(frame, index);
    else this.runStep(frame, index);
  }

  private open(node: SeqNode, frame: Frame): number {
    return this.store.open(node, frame, this.state.clock);
  }

  /** Ends a visit at the current clock; NaN: no exit code. */
  private close(rec: number, status: EndStatus, exitCode = NaN): void {
    this.store.close(rec, status, this.state.clock, exitCode);
  }

  /** Ends a visit at the current clock, saying why it failed (or why it did not run). */
  private closeWithReason(rec: number, status: EndStatus, exitCode: number, reason: string): void {
    this.store.closeWithReason(rec, status, this.state.clock, exitCode, reason);
  }

  private advanceClock(seconds: number): void {
    // The clock is restored from checkpoints, so it needs no journal entries.
    if (seconds > 0) this.state.clock += Math.round(seconds * 1000);
  }

  /** Points the cursor at `index` of `frame`, finishing every group and child sequence that has run out of nodes. */
  private moveTo(frame: Frame, index: number): void {
    let f = frame,
      i = index;
    while (i >= f.nodes.length) {
      if (f.kind === 'root') {
        this.frame = f;
        this.index = i;
        this.end('succeeded');
        return;
      }
      const rec = f.recordIndex;
      const container = f.container!;
      if (f.kind === 'child') {
        this.setLastAction(container.name, 0, true);
        this.close(rec, SUCCEEDED, 0);
        this.record(H_CHILD_DONE, container, f.model.name);
      } else {
        this.close(rec, SUCCEEDED);
        this.record(H_LEAVE_GROUP, container);
      }
      i = f.returnIndex + 1;
      f = f.parent!;
    }
    this.frame = f;
    this.index = i;
  }

  private setLastAction(name: string, exitCode: number, succeeded: boolean): void {
    const v = this.vars;
    v.setAt(SLOT_LAST_NAME, '_SMSTSLastActionName', name);
    v.setAt(SLOT_LAST_CODE, '_SMSTSLastActionRetCode', exitCode === 0 ? '0' : String(exitCode));
    v.setAt(SLOT_LAST_OK, '_SMSTSLastActionSucceeded', succeeded ? 'true' : 'false');
  }

  private runStep(frame: Frame, index: number): void {
    const st = this.state;
    const program = frame.program;
    const step = program.nodes[index] as StepNode;
    const action = program.actions[index]!;
    const heads = action.heads;
    const behaviour = action.behaviour;
    // Some steps fail the run whatever continue on error says (Setup Windows and ConfigMgr).
    const continueOnErrorSet = (program.flags(index) & NodeFlag.CONTINUES_ON_ERROR) !== 0;
    const continueOnError = continueOnErrorSet && !behaviour?.failureEndsRun;
    const rec = this.open(step, frame);
    this.lastRecord = rec;
    const outcomes = this.machine.outcomes;
    const given = outcomes.size ? (step.id && outcomes.get(step.id.value)) || outcomes.get(step.name) : undefined;
    // Runs are counted only where the profile gives the step outcomes run by run.
    const runNo = given && given.runs.length > 1 ? (this.runs.get(step) ?? 0) : 0;
    if (given && given.runs.length > 1) this.journal.mapSet(this.runs, step, runNo + 1);
    const outcome = given ? given.runs[Math.min(runNo, given.runs.length - 1)] : undefined;
    // Right before a step, as ConfigMgr does: its name, then the variables its options set.
    this.vars.setAt(SLOT_CURRENT, '_SMSTSCurrentActionName', program.names[index]);
    const cmd = program.writeVariables(index, this.vars);
    this.record(H_START, step, cmd, action.label);
    const run = this.stepRun.begin(step, program, index, action, outcome, rec);

    let failure: StepFailure | undefined;
    let done = false;
    const runIn = action.runIn;
    if (!action.def || !runIn)
      failure = { exitCode: CODES.failed, reason: `\`${step.action}\` is not an action tsq knows` };
    else if (runIn !== 'WinPEandFullOS' && runIn !== st.env) {
      failure = {
        exitCode: CODES.wrongEnvironment,
        reason: `${action.label} runs only in ${environmentLabel(runIn)}, but the computer is in ${environmentLabel(st.env)}`,
      };
    }
    if (!failure && this.options.refuseStep) failure = this.options.refuseStep(step);
    if (!failure && program.needCount(index) > 0) failure = this.fetchContent(run, program, index);
    if (!failure && behaviour?.check) {
      const checked = behaviour.check(run);
      if (checked === 'done') done = true;
      else failure = checked;
    }

    let exitCode = 0;
    let seconds = outcome?.durationSeconds ?? action.defaultSeconds;
    let reason: string | undefined;
    if (failure) {
      exitCode = failure.exitCode;
      reason = failure.reason;
      seconds = 0;
    } else if (!done) {
      exitCode = outcome?.exitCode ?? 0;
      const restarts = outcome?.unexpectedRestarts ?? 0;
      if (restarts > 0) {
        let retryCount = program.retryCount(index);
        const granted = behaviour?.retries?.(run, retryCount, continueOnErrorSet);
        if (granted) {
          if (granted.why) run.note(granted.why, 'warning');
          retryCount = granted.count;
        }
        const allowed = Math.min(restarts, retryCount);
        for (let i = 1; i <= allowed; i++)
          run.note(
            `the computer restarted unexpectedly; the step starts again (retry ${i} of ${retryCount})`,
            'warning',
          );
        seconds += allowed * defaults.unexpectedRestartSeconds;
        if (restarts > retryCount) {
          exitCode = CODES.unexpectedRestart;
          reason =
            retryCount > 0
              ? `the computer restarted unexpectedly ${restarts} times, more than the ${retryCount} retries the step allows`
              : 'the computer restarted unexpectedly during the step, which does not retry';
        }
      }
      const timeout = program.timeout(index);
      if (!reason && !Number.isNaN(timeout) && seconds > timeout) {
        exitCode = CODES.timeout;
        reason = `stopped after its time limit of ${durationText(timeout * 1000)} (it needed ${durationText(seconds * 1000)})`;
        seconds = timeout;
      }
    } else {
      seconds = 0;
    }
    const counted = run.extraSeconds;
    this.advanceClock(seconds + counted);

    const restartCode = !reason && action.restartCodes.length > 0 && action.restartCodes.includes(exitCode);
    const successCodes = program.successCodes(index);
    let succeeded = !reason && (successCodes.includes(exitCode) || restartCode);
    if (!reason && !succeeded)
      reason = `exit code ${exitCodeText(exitCode)} is not a success code (${successCodes.map(exitCodeText).join(', ')})`;
    if (!failure && !done && outcome)
      for (const [name, value] of Object.entries(outcome.variables)) {
        if (name.startsWith('_')) run.note(`cannot set \`${name}\`: it is read-only`, 'warning');
        else this.vars.set(name, value);
      }
    if (succeeded) {
      behaviour?.succeed?.(run);
      if (restartCode) run.restart('FullOS', `exit code ${exitCode} asks for a restart`);
    }
    if (!failure) behaviour?.after?.(run, succeeded, exitCode);
    // Time the step's behaviour added on the way (a restart notice) also passes before the step ends.
    this.advanceClock(run.extraSeconds - counted);

    // Restarts: the step's own, or one a script asked for through SMSTSRebootRequested. They are
    // known before the step's end is recorded: a restart that cannot happen fails the step itself,
    // and the run with it, whatever continue on error says.
    let again = false;
    let cannotRestart: StepFailure | undefined;
    if (succeeded || continueOnError) {
      const requested = this.vars.at(SLOT_REBOOT);
      if (requested !== undefined && requested.trim() !== '') {
        again = /^true$/i.test(this.vars.at(SLOT_RETRY) ?? '');
        this.vars.deleteAt(SLOT_REBOOT);
        this.vars.deleteAt(SLOT_RETRY);
        const target: Environment = /^winpe$/i.test(requested.trim()) ? 'WinPE' : 'FullOS';
        run.restart(
          target,
          `SMSTSRebootRequested is "${requested}"${again ? ' and SMSTSRetryRequested asks to run the step again' : ''}`,
        );
      }
      cannotRestart = run.restartTarget ? this.restartProblem(run.restartTarget, run.restartWhy) : undefined;
      if (cannotRestart) {
        succeeded = false;
        exitCode = cannotRestart.exitCode;
        reason = cannotRestart.reason;
      }
    }
    this.setLastAction(program.names[index], exitCode, succeeded);

    if (succeeded) {
      this.close(rec, SUCCEEDED, exitCode);
      this.record(heads.succeeded, step, exitCode);
    } else {
      // A step that did not succeed has a reason (set above when its exit code is not a success
      // code, or when the restart it needs cannot happen).
      this.closeWithReason(rec, continueOnError && !cannotRestart ? FAILED_CONTINUED : FAILED, exitCode, reason!);
      this.record(heads.failed, step, reason!);
    }
    this.lastFailed = !succeeded;
    if (cannotRestart || (!succeeded && behaviour?.failureEndsRun)) {
      this.end('failed', {
        record: this.store.view(rec),
        exitCode,
        reason: cannotRestart ? reason! : `${reason}; ${behaviour!.failureEndsRun}`,
        fatal: true,
      });
      return;
    }
    if (!succeeded && !continueOnError) {
      this.propagate(frame, rec, exitCode, reason!);
      return;
    }
    if (!succeeded) this.record(H_CONTINUED, step);
    if (run.restartTarget) this.restartInto(run.restartTarget, run.restartWhy, rec);
    if (again) {
      this.journal.set(st, 'reruns', st.reruns + 1);
      if (st.reruns >= MAX_RERUNS) {
        this.end('failed', {
          record: this.store.view(rec),
          reason: `"${step.name}" asked to be run again ${MAX_RERUNS} times; the simulation stops the loop`,
          exitCode: CODES.failed,
          fatal: true,
        });
        return;
      }
      this.frame = frame;
      this.index = index;
    } else {
      if (st.reruns) this.journal.set(st, 'reruns', 0);
      this.moveTo(frame, index + 1);
    }
  }

  private fetchContent(run: ActiveRun, program: FrameProgram, index: number): StepFailure | undefined {
    for (let k = 0, count = program.needCount(index); k < count; k++) {
      const need = program.need(index, k);
      const id = need.dynamic ? this.vars.expand(need.id).trim() : need.id;
      if (need.dynamic && (!id || isDynamic(id)))
        return {
          exitCode: CODES.contentUnavailable,
          reason: `the ${referenceKindInfo(need.kind).label} \`${need.id}\` names a variable that is not set`,
        };
      const got = this.content.fetch(need.kind, id, need.dynamic ? undefined : need.key);
      if (got.problem)
        return {
          exitCode: CODES.contentUnavailable,
          reason: `the ${referenceKindInfo(need.kind).label} ${id} ${got.problem}`,
        };
      if (got.seconds > 0) {
        run.addSeconds(got.seconds);
        this.emit(
          'info',
          TS_MANAGER,
          msgDownloaded,
          `the ${referenceKindInfo(need.kind).label} ${id}${got.availability.name ? ` (${got.availability.name})` : ''}`,
          got.seconds,
        );
      }
    }
    return undefined;
  }

  /**
   * Why the computer cannot restart into `target` now, when it cannot. Every restart needs a
   * formatted partition to start from: "If a task sequence step requires the computer to restart,
   * the client must be able to boot to a formatted disk partition. Otherwise, the task sequence
   * fails regardless of any error handling" (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#run-a-task-sequence).
   */
  private restartProblem(target: Environment, why: string): StepFailure | undefined {
    const st = this.state;
    if (!st.diskFormatted)
      return {
        exitCode: CODES.notFound,
        reason: `the computer must restart (${why}), but its disk has no formatted partition to start from`,
      };
    if (target === 'WinPE' && !this.root.bootImage?.value.trim())
      return {
        exitCode: CODES.notFound,
        reason: `the computer must restart into Windows PE (${why}), but the task sequence has no boot image`,
      };
    const cannotBoot = target === 'WinPE' ? this.bootImageProblem() : undefined;
    if (cannotBoot) return { exitCode: CODES.failed, reason: cannotBoot };
    if (target === 'FullOS' && st.os === 'none')
      return {
        exitCode: CODES.notFound,
        reason: `the computer must restart into the installed Windows (${why}), but there is no Windows on the disk`,
      };
    return undefined;
  }

  /** Restarts the computer (`restartProblem` has said it can). */
  private restartInto(target: Environment, why: string, rec: number): void {
    const st = this.state;
    const from = st.env;
    if (this.journal.recording) this.journal.set(st, 'restarts', st.restarts + 1);
    else st.restarts++;
    if (from !== target) this.journal.set(st, 'env', target);
    if (target === 'FullOS' && st.os === 'applied') this.journal.set(st, 'os', 'installed');
    this.vars.setAt(SLOT_IN_WINPE, '_SMSTSInWinPE', target === 'WinPE' ? 'true' : 'false');
    this.vars.set('_SMSTSLogPath', logPath(st));
    this.advanceClock(defaults.restartSeconds);
    this.record(from === target ? H_RESTART : H_RESTART_SWITCH, rec, target, why);
  }

  private startChild(frame: Frame, index: number): void {
    const program = frame.program;
    const step = program.nodes[index] as StepNode;
    const action = program.actions[index]!;
    const heads = action.heads;
    const rec = this.open(step, frame);
    this.lastRecord = rec;
    this.vars.setAt(SLOT_CURRENT, '_SMSTSCurrentActionName', program.names[index]);
    program.writeVariables(index, this.vars);
    this.record(H_START, step, undefined, action.label);
    const ref = option(step, 'sequence')?.value;
    const refText = typeof ref === 'string' || typeof ref === 'number' ? this.vars.expand(String(ref)).trim() : '';
    const target = refText ? this.ws.resolveChild(frame.docId, refText) : undefined;
    const child = target?.doc && target.doc.kind === 'sequence' ? target.doc : undefined;
    const childModel = child?.model as SequenceModel | undefined;
    const failStep = (exitCode: number, reason: string, fatal = false): void => {
      this.setLastAction(step.name, exitCode, false);
      const status = step.continueOnError && !fatal ? FAILED_CONTINUED : FAILED;
      this.closeWithReason(rec, status, exitCode, reason);
      this.record(heads.failed, step, reason);
      this.lastFailed = true;
      if (fatal) this.end('failed', { record: this.store.view(rec), exitCode, reason, fatal: true });
      else if (step.continueOnError) {
        this.record(H_CONTINUED, step);
        this.moveTo(frame, index + 1);
      } else this.propagate(frame, rec, exitCode, reason);
    };
    if (!child || !childModel)
      return failStep(
        CODES.contentUnavailable,
        refText ? `the child task sequence ${refText} cannot be found` : 'no child task sequence is named',
      );
    for (let f: Frame | null = frame; f; f = f.parent) {
      if (f.docId === child.id)
        return failStep(
          CODES.failed,
          `"${childModel.name}" is already running further up; a task sequence cannot run itself`,
        );
    }
    if (isChildDisabled(childModel)) {
      return failStep(
        CODES.childDisabled,
        `the child task sequence "${childModel.name}" is disabled; a disabled child fails the run even with continue on error`,
        true,
      );
    }
    if (childModel.bootImage?.value.trim())
      return failStep(
        CODES.failed,
        `the child task sequence "${childModel.name}" has a boot image of its own; only the top sequence may have one`,
      );
    for (const decl of childModel.variables)
      if (!decl.name.startsWith('_') && !this.vars.has(decl.name)) this.vars.set(decl.name, decl.value);
    this.record(H_ENTER_CHILD, step, childModel.name);
    const inner: Frame = {
      kind: 'child',
      nodes: childModel.steps,
      program: frameProgram(childModel.steps),
      docId: child.id,
      model: childModel,
      parent: frame,
      returnIndex: index,
      container: step,
      recordIndex: rec,
      depth: frame.depth + 1,
    };
    this.moveTo(inner, 0);
    this.lastAction = ENTERED;
  }

  /**
   * A failure without continue on error leaves its group: the rest of the group is skipped and the
   * group itself has failed. A group (or Run Task Sequence step) with continue on error absorbs it
   * and the run goes on with its next sibling; otherwise the failure climbs on. At the top the run fails.
   */
  private propagate(frame: Frame, cause: number, exitCode: number, reason: string): void {
    const causeName = this.store.node(cause).name;
    let f: Frame = frame;
    for (;;) {
      if (f.kind === 'root') {
        this.end('failed', { record: this.store.view(cause), exitCode, reason, fatal: false });
        return;
      }
      const container = f.container!;
      const rec = f.recordIndex;
      const why = `"${causeName}" failed`;
      if (f.kind === 'child') this.setLastAction(container.name, exitCode, false);
      if (container.continueOnError) {
        this.closeWithReason(rec, FAILED_CONTINUED, f.kind === 'child' ? exitCode : NaN, why);
        this.record(H_ABSORBED, container, causeName);
        this.moveTo(f.parent!, f.returnIndex + 1);
        return;
      }
      this.closeWithReason(rec, FAILED, f.kind === 'child' ? exitCode : NaN, why);
      this.record(H_GROUP_FAILED, container, causeName);
      f = f.parent!;
    }
  }

  private end(result: RunResult, failure?: RunFailure): void {
    const st = this.state;
    if (st.ended) return;
    this.journal.set(st, 'ended', result);
    if (failure) this.journal.set(st, 'failure', failure);
    // Groups and child sequences still open when the run stops have failed with it.
    if (result === 'failed') {
      const why = failure?.record ? `"${failure.record.node.name}" failed` : failure?.reason;
      for (let f: Frame | null = this.frame; f; f = f.parent) {
        if (f.recordIndex < 0 || this.store.statusCode(f.recordIndex) !== RUNNING) continue;
        if (why === undefined) this.close(f.recordIndex, FAILED);
        else this.closeWithReason(f.recordIndex, FAILED, NaN, why);
      }
    }
    const took = durationText(st.clock - this.startTime);
    if (result === 'succeeded')
      this.emit('info', TS_MANAGER, `Task sequence "${this.root.name}" completed successfully in ${took}`);
    else
      this.emit(
        'error',
        TS_MANAGER,
        `Task sequence "${this.root.name}" failed after ${took}: ${failure?.reason ?? 'a step failed'}${failure?.exitCode !== undefined ? ` (${exitCodeText(failure.exitCode)})` : ''}`,
      );
    this.frame = null;
    this.index = 0;
  }

  // ---------------------------------------------------------------------------------------------
  // For the debugger

  /** Undoes the last visit (or jump); false when at the start or without history. */
  back(): boolean {
    const cp = this.history?.pop();
    if (!cp) return false;
    this.journal.rewind(cp.journal);
    this.store.truncate(cp.records);
    this.log.truncate(cp.log);
    this.state.visits = cp.visits;
    this.state.clock = cp.clock;
    this.frame = cp.frame;
    this.index = cp.index;
    return true;
  }

  /** The frames from the cursor's up to the top sequence. */
  frames(): Frame[] {
    const out: Frame[] = [];
    for (let f: Frame | null = this.frame; f; f = f.parent) out.push(f);
    return out;
  }

  /**
   * Moves the cursor to `node` of file `docId` (ConfigMgr's "Set Current"); the run continues from
   * there. Groups and child sequences on the way are entered without deciding their conditions.
   * False when the node cannot be reached from the top sequence.
   */
  jumpTo(docId: string, node: SeqNode): boolean {
    const chain = this.callChainTo(docId);
    if (!chain) return false;
    if (this.history) this.checkpoint();
    if (this.state.ended) {
      this.journal.set(this.state, 'ended', undefined);
      this.journal.set(this.state, 'failure', undefined);
    }
    let frame = this.rootFrame;
    const enter = (
      container: SeqNode,
      docIdInner: string,
      model: SequenceModel,
      kind: 'group' | 'child',
      nodes: readonly SeqNode[],
    ) => {
      const rec = this.open(container, frame);
      frame = {
        kind,
        nodes,
        program: frameProgram(nodes),
        docId: docIdInner,
        model,
        parent: frame,
        returnIndex: container.index,
        container,
        recordIndex: rec,
        depth: frame.depth + 1,
      };
    };
    const enterGroups = (n: SeqNode) => {
      const groups: SeqNode[] = [];
      for (let p = n.parent; p; p = p.parent) groups.unshift(p);
      for (const g of groups) enter(g, frame.docId, frame.model, 'group', (g as { steps: SeqNode[] }).steps);
    };
    for (const link of chain) {
      enterGroups(link.step);
      enter(link.step, link.childId, link.child, 'child', link.child.steps);
    }
    enterGroups(node);
    this.emit('info', TS_MANAGER, `The debugger moves the next step to "${node.name}"`);
    this.frame = frame;
    this.index = node.index;
    return true;
  }

  /** The Run Task Sequence steps that lead from the top sequence to file `docId` (empty for the top sequence itself). */
  private callChainTo(docId: string): { step: StepNode; child: SequenceModel; childId: string }[] | undefined {
    if (docId === this.doc.id) return [];
    const prev = new Map<string, { from: string; step: StepNode; child: SequenceModel }>();
    const queue: { id: string; model: SequenceModel }[] = [{ id: this.doc.id, model: this.root }];
    const seen = new Set([this.doc.id]);
    while (queue.length) {
      const { id, model } = queue.shift()!;
      for (const call of childCalls(this.ws, id, model)) {
        const d = call.target.doc;
        if (!d || d.kind !== 'sequence' || !d.model || seen.has(d.id)) continue;
        seen.add(d.id);
        prev.set(d.id, { from: id, step: call.step, child: d.model as SequenceModel });
        if (d.id === docId) {
          const chain: { step: StepNode; child: SequenceModel; childId: string }[] = [];
          for (let at = d.id; at !== this.doc.id;) {
            const p = prev.get(at)!;
            chain.unshift({ step: p.step, child: p.child, childId: at });
            at = p.from;
          }
          return chain;
        }
        queue.push({ id: d.id, model: d.model as SequenceModel });
      }
    }
    return undefined;
  }

  /** Sets a variable as an admin would in the debugger; read-only names are refused with the reason. */
  setVariable(name: string, value: string): string | undefined {
    if (!name.trim()) return 'A variable needs a name.';
    if (name.startsWith('_')) return `\`${name}\` is read-only: the task sequence engine sets names starting with _.`;
    this.vars.set(name, value);
    return undefined;
  }

  /** Logs an event of a kind that is not on the hot path: a message, or what builds it and the values it is built from. */
  emit(severity: LogSeverity, component: string, text: string): void;
  emit<V extends EventValues>(
    severity: LogSeverity,
    component: string,
    build: (...values: V) => string,
    ...values: NoInfer<V>
  ): void;
  emit(
    severity: LogSeverity,
    component: string,
    text: string | ((...values: never[]) => string),
    a?: unknown,
    b?: unknown,
    c?: unknown,
  ): void {
    if (this.notesOnly) return;
    this.log.push(
      this.state.clock,
      logHead(severity, component, text as (a: unknown, b: unknown, c: unknown) => string),
      a,
      b,
      c,
    );
  }

  /** Logs an event of a frequent kind, with the values its message is built from when read. */
  record<V extends EventValues>(head: LogHead<V>, ...values: NoInfer<V>): void;
  record(head: LogHead, a?: unknown, b?: unknown, c?: unknown): void {
    if (this.notesOnly && !head.aIsVisit) return;
    this.log.push(this.state.clock, head, a, b, c);
  }
}

/**
 * One run of one step, handed to the step's behaviour. A simulation has one, set up afresh for
 * each step (`begin`): a step runs often, and making an object for each run was a visible cost.
 */
class ActiveRun implements StepRun {
  extraSeconds = 0;
  restartTarget: Environment | undefined = undefined;
  restartWhy = '';
  scratch: unknown = undefined;
  node!: StepNode;
  outcome: RunOutcome | undefined = undefined;
  private program!: FrameProgram;
  private index = 0;
  private action!: ActionPlan;
  /** The visit, as an index into the run's records. */
  private rec = 0;

  constructor(readonly ctx: Simulation) {}

  begin(
    node: StepNode,
    program: FrameProgram,
    index: number,
    action: ActionPlan,
    outcome: RunOutcome | undefined,
    rec: number,
  ): this {
    this.extraSeconds = 0;
    this.restartTarget = undefined;
    this.restartWhy = '';
    this.scratch = undefined;
    this.node = node;
    this.program = program;
    this.index = index;
    this.action = action;
    this.outcome = outcome;
    this.rec = rec;
    return this;
  }

  get label(): string {
    return this.action.label;
  }

  option(name: string): string | undefined {
    return this.program.optionText(this.index, name);
  }

  variableSlot(option: string): number {
    return this.program.variableSlot(this.index, option);
  }

  value(name: string): string | undefined {
    return this.program.optionValue(this.index, name, this.ctx.vars);
  }

  note(text: string, severity: LogSeverity = 'info'): void {
    this.ctx.record(
      severity === 'info' ? this.action.heads.note : noteOf(severity, this.action.component),
      this.rec,
      text,
    );
  }

  noteWith<V extends NoteValues>(words: (...values: V) => string, ...values: NoInfer<V>): void;
  noteWith(words: (...values: never[]) => string, b?: unknown, c?: unknown): void {
    this.ctx.record(
      lazyNoteHead(this.action.heads, this.action.component, words as (b: unknown, c: unknown) => string),
      this.rec,
      b,
      c,
    );
  }

  restart(target: Environment, why: string): void {
    if (this.restartTarget) return;
    this.restartTarget = target;
    this.restartWhy = why;
  }

  addSeconds(seconds: number): void {
    this.extraSeconds += seconds;
  }
}
