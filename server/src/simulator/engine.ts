// The simulator: runs a sequence on a simulated machine the way ConfigMgr's task sequence engine
// would (../shared/reference/FORMAT.md (c) and the seed document), one node per `tick`, so the
// debugger can stop anywhere and the CLI can run to the end. Depth-first document order;
// disabled nodes skipped without touching any variable; conditions decided just before a node
// runs, with a reason; success codes, time limits, retries; continue on error through nested
// groups and child sequences; restarts and the Windows PE / full OS environment; content checks;
// a log of every event. Same inputs, same run: nothing here reads the real clock or randomness.
//
// Position: a cursor (frame + index) names the next node to visit. Frames and cursors are never
// changed in place, so remembering a position is free; state changes go through a journal, so
// stepping back is "rewind the journal to the checkpoint, put the cursor back".

import type { TsqDocument } from '../model/document';
import type { SequenceModel, SeqNode, StepNode, WhenClause } from '../model/sequence';
import { option } from '../model/sequence';
import type { MachineModel, RunOutcome } from '../model/machine';
import type { Workspace } from '../analysis/workspace';
import { childCalls, RUN_TASK_SEQUENCE } from '../analysis/children';
import { isDynamic } from '../analysis/references';
import { parsedCondition } from '../analysis/conditions';
import { createConditionEnvironment, evaluateCondition, type ConditionEnvironment, type Evaluation, type ParseResult } from '../conditions';
import { referenceKindInfo } from '../catalog';
import { Journal } from './journal';
import { reachableSequenceDocs } from './prepare';
import { VariableStore } from './variables';
import { machineSetup, environmentLabel, type Environment, type MachineSetup } from './machine';
import { ContentLibrary, type ContentProblem } from './content';
import { contentKey, optionValue, planStep, type StepPlan } from './plan';
import { sequenceFacts } from './scan';
import { BEHAVIOURS } from './actions';
import type { MachineState, RunContext, StepFailure, StepRun } from './behaviour';
import { EventLog, exitCodeText, durationText, logHead, type LogHead, type LogSeverity, type MessageBuilder } from './log';
import { NodeRecord, type RunFailure, type RunResult, type SimulationOptions, type StepStatus, type TickResult } from './types';
import defaults from './data/defaults.json';

const CODES = defaults.exitCodes;
const TS_MANAGER = 'TSManager';
/** A step asking to be run again more often than this in a row is stopped (simulator rule). */
const MAX_RERUNS = 50;

/** A level of nesting: the top sequence, a group, or a child sequence run by a Run Task Sequence step. */
export interface Frame {
  readonly kind: 'root' | 'group' | 'child';
  readonly nodes: readonly SeqNode[];
  readonly docId: string;
  readonly model: SequenceModel;
  readonly parent: Frame | null;
  /** Index of the container in the parent's nodes. */
  readonly returnIndex: number;
  /** The group or the Run Task Sequence step (null for the top sequence). */
  readonly container: SeqNode | null;
  readonly record: NodeRecord | null;
  /** Depth of the nodes in this frame (0 = top level). */
  readonly depth: number;
}

/** The next node to visit. */
export interface Cursor {
  readonly frame: Frame;
  readonly index: number;
}

/**
 * Where each earlier visit started: the cursor and the lengths of the journal, the records and
 * the log. Kept column by column, so remembering a visit allocates nothing.
 */
class Checkpoints {
  private readonly cursors: (Cursor | null)[] = [];
  private readonly lengths: number[] = [];

  get length(): number {
    return this.cursors.length;
  }

  push(cursor: Cursor | null, journal: number, records: number, log: number): void {
    this.cursors.push(cursor);
    this.lengths.push(journal, records, log);
  }

  pop(): { cursor: Cursor | null; journal: number; records: number; log: number } | undefined {
    if (!this.cursors.length) return undefined;
    const l = this.lengths;
    const log = l.pop()!, records = l.pop()!, journal = l.pop()!;
    return { cursor: this.cursors.pop()!, journal, records, log };
  }
}

const KEY_CURRENT = '_smstscurrentactionname';
const KEY_LAST_NAME = '_smstslastactionname';
const KEY_LAST_CODE = '_smstslastactionretcode';
const KEY_LAST_OK = '_smstslastactionsucceeded';
const KEY_IN_WINPE = '_smstsinwinpe';

/** Parsed `when:` conditions, kept with the node they belong to (large files outgrow the shared text cache). */
const conditions = new WeakMap<WhenClause, ParseResult>();

function parseStart(start: number | string | undefined): number {
  if (typeof start === 'number' && Number.isFinite(start)) return start;
  const t = Date.parse(typeof start === 'string' ? start : defaults.startTime);
  return Number.isFinite(t) ? t : Date.parse(defaults.startTime);
}

function isChildDisabled(model: SequenceModel): boolean {
  const cm = model.configMgr as Record<string, unknown> | undefined;
  const enabled = cm && typeof cm === 'object' ? cm.TsEnabled ?? cm.tsEnabled : undefined;
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
  /** Every visit of a node, in the order visits started. */
  readonly records: NodeRecord[] = [];
  readonly log = new EventLog();
  /** Content problems found by the check before the first step. */
  readonly contentProblems: ContentProblem[] = [];
  readonly startTime: number;
  readonly rootFrame: Frame;

  private cursorValue: Cursor | null;
  private readonly runs = new Map<StepNode, number>();
  private readonly history: Checkpoints | undefined;
  private readonly maxVisits: number;

  constructor(
    readonly ws: Workspace,
    readonly doc: TsqDocument,
    machine: MachineModel | undefined,
    readonly options: SimulationOptions = {},
  ) {
    this.journal = new Journal(options.history === true);
    this.history = options.history ? new Checkpoints() : undefined;
    this.vars = new VariableStore(this.journal);
    this.machine = machineSetup(machine);
    this.root = (doc.model as SequenceModel | undefined) ?? ({ kind: 'sequence', name: '', steps: [], variables: [] } as unknown as SequenceModel);
    this.startTime = parseStart(options.startTime);
    this.maxVisits = options.maxVisits ?? 10_000_000;
    this.state = {
      env: this.machine.startsIn,
      diskFormatted: this.machine.diskFormatted,
      os: this.machine.diskFormatted ? 'installed' : 'none',
      clock: this.startTime,
      restarts: 0,
      reruns: 0,
      visits: 0,
    };
    this.content = new ContentLibrary(ws.catalog, options.content ?? 'downloadWhenNeeded', options.media, this.machine.downloadMBps, this.journal, options.unreachableContent);
    const facts = createConditionEnvironment(this.machine.facts);
    const vars = this.vars;
    this.conditionEnv = { ...facts, variable: (name) => vars.get(name) };
    for (const a of this.machine.applications) this.applications.set(a.toLowerCase(), true);
    this.rootFrame = { kind: 'root', nodes: this.root.steps, docId: doc.id, model: this.root, parent: null, returnIndex: -1, container: null, record: null, depth: 0 };
    this.cursorValue = { frame: this.rootFrame, index: 0 };
    this.begin();
  }

  get catalog() {
    return this.ws.catalog;
  }

  /** The next node to visit; null once the run has ended. */
  get cursor(): Cursor | null {
    return this.cursorValue;
  }

  get ended(): RunResult | undefined {
    return this.state.ended;
  }

  get failure(): RunFailure | undefined {
    return this.state.failure;
  }

  /** The node the cursor points at. */
  get currentNode(): SeqNode | undefined {
    const c = this.cursorValue;
    return c ? c.frame.nodes[c.index] : undefined;
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
    this.emit('info', TS_MANAGER, `Task sequence "${this.root.name}" starts on "${m.name}" (${m.architecture}, ${m.firmware === 'uefi' ? 'UEFI' : 'BIOS'}) in ${environmentLabel(st.env)}, disk ${st.diskFormatted ? 'formatted' : 'not formatted'}`);
    for (const decl of this.root.variables) if (!decl.name.startsWith('_')) v.set(decl.name, decl.value);
    const media = this.options.media;
    for (const [name, value] of Object.entries(this.options.collectionVariables ?? {})) this.machineVariable(name, value, 'collection');
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
    if (st.env === 'WinPE' || media) v.set('_SMSTSMediaType', media ? { standalone: 'FullMedia', bootable: 'BootMedia', prestaged: 'OEMMedia', capture: 'BootMedia' }[media.type] : 'PXE');
    v.set('_SMSTSMachineName', st.env === 'WinPE' ? 'MININT-SIM0001' : v.get('OSDComputerName') ?? 'SIM-PC01');
    v.set('_SMSTSLogPath', st.env === 'FullOS' ? 'C:\\Windows\\CCM\\Logs\\SMSTSLog' : st.diskFormatted ? 'C:\\_SMSTaskSequence\\Logs\\Smstslog' : 'X:\\Windows\\Temp\\SMSTSLog');
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
    const archs = id ? this.catalog.lookup('bootImage', id)?.architectures ?? [] : [];
    const m = this.machine;
    if (archs.length === 0 || archs.includes(m.architecture)) return undefined;
    if (archs.includes('x86') && m.architecture === 'x64' && m.firmware === 'bios') return undefined;
    return `the ${m.architecture} ${m.firmware === 'uefi' ? 'UEFI' : 'BIOS'} computer cannot start the ${archs.join('/')} boot image ${id}`;
  }

  private machineVariable(name: string, value: string, source: string): void {
    if (name.startsWith('_')) {
      this.emit('warning', TS_MANAGER, `The ${source} variable ${name} is ignored: names starting with _ are read-only`);
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
    this.emit('info', TS_MANAGER, `Checking the content of ${refs.size} referenced object${refs.size === 1 ? '' : 's'} (${mode === 'downloadAll' ? 'download all content before starting' : mode === 'runFromDistributionPoint' ? 'run from the distribution point' : 'download content when needed'}${this.options.media ? `, ${this.options.media.type} media` : ''})`);
    let seconds = 0;
    for (const { kind, id } of refs.values()) {
      const label = referenceKindInfo(kind).label;
      if (mode === 'downloadAll') {
        const got = this.content.fetch(kind, id);
        if (got.problem) this.contentProblems.push({ kind, id, problem: got.problem });
        else seconds += got.seconds;
        if (got.availability.unchecked) this.emit('warning', TS_MANAGER, `Content of ${label} ${id} not checked: ${got.availability.unchecked}`);
      } else {
        const a = this.content.availability(kind, id);
        if (a.problem) this.contentProblems.push({ kind, id, problem: a.problem });
        if (a.unchecked) this.emit('warning', TS_MANAGER, `Content of ${label} ${id} not checked: ${a.unchecked}`);
      }
    }
    const fatal = mode === 'downloadAll' || this.options.failOnContentProblems === true;
    for (const p of this.contentProblems) this.emit(fatal ? 'error' : 'warning', TS_MANAGER, `The ${referenceKindInfo(p.kind).label} ${p.id} ${p.problem}`);
    if (seconds > 0) {
      this.emit('info', TS_MANAGER, `Downloaded all content to the client cache in ${durationText(seconds * 1000)}`);
      this.advanceClock(seconds);
    }
    if (fatal && this.contentProblems.length) {
      const first = this.contentProblems[0];
      const what = mode === 'downloadAll' ? 'content could not be downloaded before the first step' : 'the client cannot find the content the sequence needs';
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
    const st = this.state;
    const cursor = this.cursorValue;
    if (st.ended || !cursor) return undefined;
    if (this.history) this.history.push(cursor, this.journal.length, this.records.length, this.log.length);
    this.journal.set(st, 'visits', st.visits + 1);
    const frame = cursor.frame;
    const node = frame.nodes[cursor.index];
    if (st.visits > this.maxVisits) {
      this.end('failed', { reason: `the simulation stopped after ${this.maxVisits} visits (the run does not come to an end)`, exitCode: CODES.failed, fatal: true });
      return { action: 'ran', stepFailed: false, ended: 'failed' };
    }
    if (node.disabled) {
      const rec = this.open(node, frame);
      this.close(rec, 'disabled', undefined, 'disabled');
      this.record(H_DISABLED, node);
      this.moveTo(frame, cursor.index + 1);
      return { record: rec, action: 'disabled', stepFailed: false, ended: st.ended };
    }
    if (node.when) {
      const ev = this.decide(node);
      if (!ev.value) {
        const rec = this.open(node, frame);
        this.close(rec, 'skipped', undefined, ev.explanation);
        this.record(H_CONDITION_FALSE, node, ev.explanation);
        this.moveTo(frame, cursor.index + 1);
        return { record: rec, action: 'skipped', stepFailed: false, ended: st.ended };
      }
      this.record(H_CONDITION_TRUE, node, ev.explanation);
    }
    if (node.kind === 'group') {
      const rec = this.open(node, frame);
      this.record(H_ENTER_GROUP, node);
      const inner: Frame = { kind: 'group', nodes: node.steps, docId: frame.docId, model: frame.model, parent: frame, returnIndex: cursor.index, container: node, record: rec, depth: frame.depth + 1 };
      this.moveTo(inner, 0);
      return { record: rec, action: 'entered', stepFailed: false, ended: st.ended };
    }
    if (node.action === RUN_TASK_SEQUENCE) return this.startChild(node, frame, cursor.index);
    return this.runStep(node, frame, cursor.index);
  }

  /** Runs until the end (or `limit` visits); returns the result. */
  run(limit = Infinity): RunResult | undefined {
    for (let i = 0; i < limit && !this.state.ended; i++) this.tick();
    return this.state.ended;
  }

  private decide(node: SeqNode): Evaluation {
    const when = node.when!;
    let parsed = conditions.get(when);
    if (!parsed) conditions.set(when, (parsed = parsedCondition(when.text)));
    const { ast, errors } = parsed;
    if (!ast || errors.length) return { value: false, explanation: `the condition cannot be read (${errors[0]?.message ?? 'syntax error'}), so it counts as false` };
    return evaluateCondition(ast, this.conditionEnv);
  }

  private open(node: SeqNode, frame: Frame): NodeRecord {
    const rec = new NodeRecord(node, frame.docId, frame.depth, this.state.clock, frame.record);
    this.records.push(rec);
    return rec;
  }

  private close(rec: NodeRecord, status: StepStatus, exitCode?: number, reason?: string): void {
    const j = this.journal;
    if (!j.recording) {
      rec.status = status;
      rec.end = this.state.clock;
      if (exitCode !== undefined) rec.exitCode = exitCode;
      if (reason !== undefined) rec.reason = reason;
      return;
    }
    j.set(rec, 'status', status);
    j.set(rec, 'end', this.state.clock);
    if (exitCode !== undefined) j.set(rec, 'exitCode', exitCode);
    if (reason !== undefined) j.set(rec, 'reason', reason);
  }

  private advanceClock(seconds: number): void {
    if (seconds > 0) this.journal.set(this.state, 'clock', this.state.clock + Math.round(seconds * 1000));
  }

  /** Points the cursor at `index` of `frame`, finishing every group and child sequence that has run out of nodes. */
  private moveTo(frame: Frame, index: number): void {
    let f = frame, i = index;
    while (i >= f.nodes.length) {
      if (f.kind === 'root') {
        this.cursorValue = { frame: f, index: i };
        this.end('succeeded');
        return;
      }
      const rec = f.record!;
      if (f.kind === 'child') {
        this.setLastAction(f.container!.name, 0, true);
        this.close(rec, 'succeeded', 0);
        this.record(H_CHILD_DONE, f.container, f.model.name);
      } else {
        this.close(rec, 'succeeded');
        this.record(H_LEAVE_GROUP, f.container);
      }
      i = f.returnIndex + 1;
      f = f.parent!;
    }
    this.cursorValue = { frame: f, index: i };
  }

  private setLastAction(name: string, exitCode: number, succeeded: boolean): void {
    const v = this.vars;
    v.setKeyed(KEY_LAST_NAME, '_SMSTSLastActionName', name);
    v.setKeyed(KEY_LAST_CODE, '_SMSTSLastActionRetCode', exitCode === 0 ? '0' : String(exitCode));
    v.setKeyed(KEY_LAST_OK, '_SMSTSLastActionSucceeded', succeeded ? 'true' : 'false');
  }

  /**
   * Sets `_SMSTSCurrentActionName` and the step's own variables, as the engine does right before a
   * step; returns the expanded command line, when the step has one.
   */
  private prepareStep(step: StepNode, plan: StepPlan): string | undefined {
    const v = this.vars;
    v.setKeyed(KEY_CURRENT, '_SMSTSCurrentActionName', step.name);
    let cmd: string | undefined;
    for (const w of plan.writes) {
      const value = v.expand(w.value);
      v.setKeyed(w.key, w.name, value);
      if (w === plan.commandLine) cmd = value;
    }
    return plan.commandLine && !cmd ? v.expand(plan.commandLine.value) : cmd;
  }

  private runStep(step: StepNode, frame: Frame, index: number): TickResult {
    const st = this.state;
    const plan = planStep(step);
    const rec = this.open(step, frame);
    const outcomes = this.machine.outcomes;
    const given = outcomes.size ? (step.id && outcomes.get(step.id.value)) || outcomes.get(step.name) : undefined;
    // Runs are counted only where the profile gives the step outcomes run by run.
    const runNo = given && given.runs.length > 1 ? this.runs.get(step) ?? 0 : 0;
    if (given && given.runs.length > 1) this.journal.mapSet(this.runs, step, runNo + 1);
    const outcome = given ? given.runs[Math.min(runNo, given.runs.length - 1)] : undefined;
    const cmd = this.prepareStep(step, plan);
    this.record(H_START, plan, cmd);
    const run = new ActiveRun(this, step, plan, outcome, rec);
    const behaviour = plan.def ? BEHAVIOURS[plan.def.key] : undefined;

    let failure: StepFailure | undefined;
    let done = false;
    if (!plan.def) failure = { exitCode: CODES.failed, reason: `\`${step.action}\` is not an action tsq knows` };
    else if (plan.def.runIn !== 'WinPEandFullOS' && plan.def.runIn !== st.env) {
      failure = { exitCode: CODES.wrongEnvironment, reason: `${plan.label} runs only in ${environmentLabel(plan.def.runIn)}, but the computer is in ${environmentLabel(st.env)}` };
    }
    if (!failure && this.options.refuseStep) failure = this.options.refuseStep(step);
    if (!failure) failure = this.fetchContent(run, plan);
    if (!failure && behaviour?.check) {
      const checked = behaviour.check(run);
      if (checked === 'done') done = true;
      else failure = checked;
    }

    let exitCode = 0;
    let seconds = outcome?.durationSeconds ?? plan.defaultSeconds;
    let reason: string | undefined;
    if (failure) {
      exitCode = failure.exitCode;
      reason = failure.reason;
      seconds = 0;
    } else if (!done) {
      exitCode = outcome?.exitCode ?? 0;
      const restarts = outcome?.unexpectedRestarts ?? 0;
      if (restarts > 0) {
        const allowed = Math.min(restarts, plan.retryCount);
        for (let i = 1; i <= allowed; i++) run.note(`the computer restarted unexpectedly; the step starts again (retry ${i} of ${plan.retryCount})`, 'warning');
        seconds += allowed * defaults.unexpectedRestartSeconds;
        if (restarts > plan.retryCount) {
          exitCode = CODES.unexpectedRestart;
          reason = plan.retryCount > 0 ? `the computer restarted unexpectedly ${restarts} times, more than the ${plan.retryCount} retries the step allows` : 'the computer restarted unexpectedly during the step, which does not retry';
        }
      }
      if (!reason && plan.timeoutSeconds !== undefined && seconds > plan.timeoutSeconds) {
        exitCode = CODES.timeout;
        reason = `stopped after its time limit of ${durationText(plan.timeoutSeconds * 1000)} (it needed ${durationText(seconds * 1000)})`;
        seconds = plan.timeoutSeconds;
      }
    } else {
      seconds = 0;
    }
    const counted = run.extraSeconds;
    this.advanceClock(seconds + counted);

    const restartCode = !reason && plan.restartCodes.includes(exitCode);
    const succeeded = !reason && (plan.successCodes.includes(exitCode) || restartCode);
    if (!reason && !succeeded) reason = `exit code ${exitCodeText(exitCode)} is not a success code (${plan.successCodes.map(exitCodeText).join(', ')})`;
    if (!failure && !done && outcome) for (const [name, value] of Object.entries(outcome.variables)) {
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
    this.setLastAction(step.name, exitCode, succeeded);

    if (succeeded) {
      this.close(rec, 'succeeded', exitCode);
      this.record(stepHeads(plan).succeeded, step, exitCode);
    } else {
      this.close(rec, step.continueOnError ? 'failed-continued' : 'failed', exitCode, reason);
      this.record(stepHeads(plan).failed, step, reason);
    }
    if (!succeeded && !step.continueOnError) {
      this.propagate(frame, rec, exitCode, reason!);
      return { record: rec, action: 'ran', stepFailed: true, ended: st.ended };
    }
    if (!succeeded) this.record(H_CONTINUED, step);

    // Restarts: the step's own, or one a script asked for through SMSTSRebootRequested.
    let again = false;
    const requested = this.vars.get('SMSTSRebootRequested');
    if (requested !== undefined && requested.trim() !== '') {
      again = /^true$/i.test(this.vars.get('SMSTSRetryRequested') ?? '');
      this.vars.delete('SMSTSRebootRequested');
      this.vars.delete('SMSTSRetryRequested');
      const target: Environment = /^winpe$/i.test(requested.trim()) ? 'WinPE' : 'FullOS';
      run.restart(target, `SMSTSRebootRequested is "${requested}"${again ? ' and SMSTSRetryRequested asks to run the step again' : ''}`);
    }
    if (run.restartTarget && !this.restartInto(run.restartTarget, run.restartWhy, rec)) {
      return { record: rec, action: 'ran', stepFailed: !succeeded, ended: st.ended };
    }
    if (again) {
      this.journal.set(st, 'reruns', st.reruns + 1);
      if (st.reruns >= MAX_RERUNS) {
        this.end('failed', { record: rec, reason: `"${step.name}" asked to be run again ${MAX_RERUNS} times; the simulation stops the loop`, exitCode: CODES.failed, fatal: true });
        return { record: rec, action: 'ran', stepFailed: !succeeded, ended: st.ended };
      }
      this.cursorValue = { frame, index };
    } else {
      if (st.reruns) this.journal.set(st, 'reruns', 0);
      this.moveTo(frame, index + 1);
    }
    return { record: rec, action: 'ran', stepFailed: !succeeded, ended: st.ended };
  }

  private fetchContent(run: ActiveRun, plan: StepPlan): StepFailure | undefined {
    for (const need of plan.needs) {
      const id = need.dynamic ? this.vars.expand(need.id).trim() : need.id;
      const label = referenceKindInfo(need.kind).label;
      if (need.dynamic && (!id || isDynamic(id))) return { exitCode: CODES.contentUnavailable, reason: `the ${label} \`${need.id}\` names a variable that is not set` };
      const got = this.content.fetch(need.kind, id, need.dynamic ? undefined : need.key);
      if (got.problem) return { exitCode: CODES.contentUnavailable, reason: `the ${label} ${id} ${got.problem}` };
      if (got.seconds > 0) {
        run.addSeconds(got.seconds);
        this.emit('info', TS_MANAGER, msgDownloaded, `the ${label} ${id}${got.availability.name ? ` (${got.availability.name})` : ''}`, got.seconds);
      }
    }
    return undefined;
  }

  /** Restarts the computer; false when that ends the run. */
  private restartInto(target: Environment, why: string, rec: NodeRecord): boolean {
    const st = this.state;
    if (!st.diskFormatted) {
      this.end('failed', { record: rec, exitCode: CODES.notFound, fatal: true, reason: `the computer must restart (${why}), but its disk has no formatted partition to start from; a restart without one fails the task sequence whatever continue on error says` });
      return false;
    }
    if (target === 'WinPE' && !this.root.bootImage?.value.trim()) {
      this.end('failed', { record: rec, exitCode: CODES.notFound, fatal: true, reason: `the computer must restart into Windows PE (${why}), but the task sequence has no boot image` });
      return false;
    }
    const cannotBoot = target === 'WinPE' ? this.bootImageProblem() : undefined;
    if (cannotBoot) {
      this.end('failed', { record: rec, exitCode: CODES.failed, fatal: true, reason: cannotBoot });
      return false;
    }
    if (target === 'FullOS' && st.os === 'none') {
      this.end('failed', { record: rec, exitCode: CODES.notFound, fatal: true, reason: `the computer must restart into the installed Windows (${why}), but there is no Windows on the disk` });
      return false;
    }
    const from = st.env;
    this.journal.set(st, 'restarts', st.restarts + 1);
    this.journal.set(st, 'env', target);
    if (target === 'FullOS' && st.os === 'applied') this.journal.set(st, 'os', 'installed');
    this.vars.setKeyed(KEY_IN_WINPE, '_SMSTSInWinPE', target === 'WinPE' ? 'true' : 'false');
    this.advanceClock(defaults.restartSeconds);
    this.record(from === target ? H_RESTART : H_RESTART_SWITCH, rec, target, why);
    return true;
  }

  private startChild(step: StepNode, frame: Frame, index: number): TickResult {
    const st = this.state;
    const plan = planStep(step);
    const rec = this.open(step, frame);
    this.prepareStep(step, plan);
    this.record(H_START, plan);
    const ref = option(step, 'sequence')?.value;
    const refText = typeof ref === 'string' || typeof ref === 'number' ? this.vars.expand(String(ref)).trim() : '';
    const target = refText ? this.ws.resolveChild(frame.docId, refText) : undefined;
    const child = target?.doc && target.doc.kind === 'sequence' ? target.doc : undefined;
    const childModel = child?.model as SequenceModel | undefined;
    const failStep = (exitCode: number, reason: string, fatal = false): TickResult => {
      this.setLastAction(step.name, exitCode, false);
      const status = step.continueOnError && !fatal ? 'failed-continued' : 'failed';
      this.close(rec, status, exitCode, reason);
      this.record(stepHeads(plan).failed, step, reason);
      if (fatal) this.end('failed', { record: rec, exitCode, reason, fatal: true });
      else if (step.continueOnError) {
        this.record(H_CONTINUED, step);
        this.moveTo(frame, index + 1);
      } else this.propagate(frame, rec, exitCode, reason);
      return { record: rec, action: 'ran', stepFailed: true, ended: st.ended };
    };
    if (!child || !childModel) return failStep(CODES.contentUnavailable, refText ? `the child task sequence ${refText} cannot be found` : 'no child task sequence is named');
    for (let f: Frame | null = frame; f; f = f.parent) {
      if (f.docId === child.id) return failStep(CODES.failed, `"${childModel.name}" is already running further up; a task sequence cannot run itself`);
    }
    if (isChildDisabled(childModel)) {
      return failStep(CODES.childDisabled, `the child task sequence "${childModel.name}" is disabled; a disabled child fails the run even with continue on error`, true);
    }
    if (childModel.bootImage?.value.trim()) return failStep(CODES.failed, `the child task sequence "${childModel.name}" has a boot image of its own; only the top sequence may have one`);
    for (const decl of childModel.variables) if (!decl.name.startsWith('_') && !this.vars.has(decl.name)) this.vars.set(decl.name, decl.value);
    this.record(H_ENTER_CHILD, step, childModel.name);
    const inner: Frame = { kind: 'child', nodes: childModel.steps, docId: child.id, model: childModel, parent: frame, returnIndex: index, container: step, record: rec, depth: frame.depth + 1 };
    this.moveTo(inner, 0);
    return { record: rec, action: 'entered', stepFailed: false, ended: st.ended };
  }

  /**
   * A failure without continue on error leaves its group: the rest of the group is skipped and the
   * group itself has failed. A group (or Run Task Sequence step) with continue on error absorbs it
   * and the run goes on with its next sibling; otherwise the failure climbs on. At the top the run fails.
   */
  private propagate(frame: Frame, cause: NodeRecord, exitCode: number, reason: string): void {
    let f: Frame = frame;
    for (;;) {
      if (f.kind === 'root') {
        this.end('failed', { record: cause, exitCode, reason, fatal: false });
        return;
      }
      const container = f.container!;
      const rec = f.record!;
      const why = `"${cause.node.name}" failed`;
      if (f.kind === 'child') this.setLastAction(container.name, exitCode, false);
      if (container.continueOnError) {
        this.close(rec, 'failed-continued', f.kind === 'child' ? exitCode : undefined, why);
        this.record(H_ABSORBED, container, cause.node.name);
        this.moveTo(f.parent!, f.returnIndex + 1);
        return;
      }
      this.close(rec, 'failed', f.kind === 'child' ? exitCode : undefined, why);
      this.record(H_GROUP_FAILED, container, cause.node.name);
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
      for (let f: Frame | null = this.cursorValue?.frame ?? null; f; f = f.parent) {
        if (f.record && f.record.status === 'running') this.close(f.record, 'failed', undefined, failure?.record ? `"${failure.record.node.name}" failed` : failure?.reason);
      }
    }
    const took = durationText(st.clock - this.startTime);
    if (result === 'succeeded') this.emit('info', TS_MANAGER, `Task sequence "${this.root.name}" completed successfully in ${took}`);
    else this.emit('error', TS_MANAGER, `Task sequence "${this.root.name}" failed after ${took}: ${failure?.reason ?? 'a step failed'}${failure?.exitCode !== undefined ? ` (${exitCodeText(failure.exitCode)})` : ''}`);
    this.cursorValue = null;
  }

  // ---------------------------------------------------------------------------------------------
  // For the debugger

  /** Undoes the last visit (or jump); false when at the start or without history. */
  back(): boolean {
    const cp = this.history?.pop();
    if (!cp) return false;
    this.journal.rewind(cp.journal);
    this.records.length = cp.records;
    this.log.truncate(cp.log);
    this.cursorValue = cp.cursor;
    return true;
  }

  /** The frames from the cursor's up to the top sequence. */
  frames(): Frame[] {
    const out: Frame[] = [];
    for (let f: Frame | null = this.cursorValue?.frame ?? null; f; f = f.parent) out.push(f);
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
    if (this.history) this.history.push(this.cursorValue, this.journal.length, this.records.length, this.log.length);
    if (this.state.ended) {
      this.journal.set(this.state, 'ended', undefined);
      this.journal.set(this.state, 'failure', undefined);
    }
    let frame = this.rootFrame;
    const enter = (container: SeqNode, docIdInner: string, model: SequenceModel, kind: 'group' | 'child', nodes: readonly SeqNode[]) => {
      const rec = this.open(container, frame);
      frame = { kind, nodes, docId: docIdInner, model, parent: frame, returnIndex: container.index, container, record: rec, depth: frame.depth + 1 };
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
    this.cursorValue = { frame, index: node.index };
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
          for (let at = d.id; at !== this.doc.id; ) {
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

  /** Logs an event of a kind that is not on the hot path. */
  emit(severity: LogSeverity, component: string, text: string | MessageBuilder, a?: unknown, b?: unknown): void {
    this.log.push(this.state.clock, logHead(severity, component, text), a, b);
  }

  /** Logs an event of a frequent kind. */
  record(head: LogHead, a?: unknown, b?: unknown, c?: unknown): void {
    this.log.push(this.state.clock, head, a, b, c);
  }
}

/** One run of one step, handed to the step's behaviour. */
class ActiveRun implements StepRun {
  extraSeconds = 0;
  restartTarget: Environment | undefined;
  restartWhy = '';

  constructor(
    readonly ctx: Simulation,
    readonly node: StepNode,
    readonly plan: StepPlan,
    readonly outcome: RunOutcome | undefined,
    private readonly rec: NodeRecord,
  ) {}

  value(name: string): string | undefined {
    const v = optionValue(this.plan, name);
    return v === undefined ? undefined : this.ctx.vars.expand(v);
  }

  note(text: string, severity: LogSeverity = 'info'): void {
    this.ctx.record(severity === 'info' ? stepHeads(this.plan).note : logHead(severity, this.plan.component, msgNote, noteWords), this.rec, text);
  }

  noteWith(words: (b: unknown, c: unknown) => string, b: unknown, c?: unknown): void {
    const heads = stepHeads(this.plan);
    let head = heads.lazy.get(words);
    if (!head) {
      const build = (_rec: unknown, x: unknown, y: unknown) => words(x, y);
      heads.lazy.set(words, (head = logHead('info', this.plan.component, (rec, x, y) => `${(rec as NodeRecord).node.name}: ${words(x, y)}`, build)));
    }
    this.ctx.record(head, this.rec, b, c);
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

// Log messages, built only when someone reads them.
const name = (n: unknown) => (n as SeqNode).name;
const msgDisabled = (n: unknown) => `"${name(n)}" is disabled: skipped, its condition not evaluated`;
const msgConditionFalse = (n: unknown, why: unknown) => `The condition of "${name(n)}" is false, so it is skipped: ${why}`;
const msgConditionTrue = (n: unknown, why: unknown) => `The condition of "${name(n)}" is true: ${why}`;
const msgEnterGroup = (n: unknown) => `Entering group "${name(n)}"`;
const msgLeaveGroup = (n: unknown) => `Group "${name(n)}" finished`;
const msgEnterChild = (n: unknown, child: unknown) => `"${name(n)}" runs the child task sequence "${child}"`;
const msgChildDone = (n: unknown, child: unknown) => `The child task sequence "${child}" of "${name(n)}" finished`;
const msgStart = (p: unknown, cmd: unknown) => `Running "${(p as StepPlan).step.name}" (${(p as StepPlan).label})${cmd === undefined ? '' : `: ${cmd}`}`;
const noteWords = (_rec: unknown, text: unknown) => text as string;
const msgNote = (rec: unknown, text: unknown) => `${(rec as NodeRecord).node.name}: ${text}`;
const restartWords = (_rec: unknown, target: unknown, why: unknown) => `restarted into ${environmentLabel(target as Environment)}: ${why}`;
const restartSwitchWords = (_rec: unknown, target: unknown, why: unknown) => `restarted into ${environmentLabel(target as Environment)} (was ${environmentLabel(target === 'WinPE' ? 'FullOS' : 'WinPE')}): ${why}`;
const msgRestart = (rec: unknown, target: unknown, why: unknown) => `${(rec as NodeRecord).node.name}: the computer restarts into ${environmentLabel(target as Environment)}: ${why}`;
const msgDownloaded = (what: unknown, seconds: unknown) => `Downloaded ${what} in ${durationText((seconds as number) * 1000)}`;

const msgContinued = (n: unknown) => `"${name(n)}" has continue on error: the run goes on with the next step`;
const msgAbsorbed = (n: unknown, cause: unknown) => `"${name(n)}" failed because "${cause}" failed; it has continue on error, so the run goes on after it`;
const msgGroupFailed = (n: unknown, cause: unknown) => `"${name(n)}" failed because "${cause}" failed`;

const H_DISABLED = logHead('info', TS_MANAGER, msgDisabled);
const H_CONDITION_FALSE = logHead('info', TS_MANAGER, msgConditionFalse);
const H_CONDITION_TRUE = logHead('info', TS_MANAGER, msgConditionTrue);
const H_ENTER_GROUP = logHead('info', TS_MANAGER, msgEnterGroup);
const H_LEAVE_GROUP = logHead('info', TS_MANAGER, msgLeaveGroup);
const H_ENTER_CHILD = logHead('info', TS_MANAGER, msgEnterChild);
const H_CHILD_DONE = logHead('info', TS_MANAGER, msgChildDone);
const H_START = logHead('info', TS_MANAGER, msgStart);
const H_CONTINUED = logHead('warning', TS_MANAGER, msgContinued);
const H_RESTART = logHead('info', TS_MANAGER, msgRestart, restartWords);
const H_RESTART_SWITCH = logHead('info', TS_MANAGER, msgRestart, restartSwitchWords);
const H_ABSORBED = logHead('warning', TS_MANAGER, msgAbsorbed);
const H_GROUP_FAILED = logHead('error', TS_MANAGER, msgGroupFailed);

interface StepHeads {
  succeeded: LogHead;
  failed: LogHead;
  note: LogHead;
  /** Notes whose words are built when read, by the function that builds them. */
  lazy: Map<(b: unknown, c: unknown) => string, LogHead>;
}

const headsByComponent = new Map<string, StepHeads>();

/** Events a step's program logs, under its own component name. */
function stepHeads(plan: StepPlan): StepHeads {
  let h = headsByComponent.get(plan.component);
  if (!h) {
    h = { succeeded: logHead('info', plan.component, msgSucceeded), failed: logHead('error', plan.component, msgFailed), note: logHead('info', plan.component, msgNote, noteWords), lazy: new Map() };
    headsByComponent.set(plan.component, h);
  }
  return h;
}
const msgSucceeded = (n: unknown, code: unknown) => `"${name(n)}" succeeded (exit code ${exitCodeText(code as number)})`;
const msgFailed = (n: unknown, why: unknown) => `"${name(n)}" failed: ${why}`;
