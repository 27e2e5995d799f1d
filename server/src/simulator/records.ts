// What the simulator keeps about every visit of a node, stored in fixed-size chunks of plain
// arrays (the times unboxed in arrays of doubles, the rest side by side per visit), so recording
// a visit makes no object. A `NodeRecord` is a view of one visit, made when someone asks for it
// and then kept, so the same visit is always the same object. Reasons are kept as what they are
// made of (a condition's captured values) and worded when read.
//
// Layout of a chunk: per visit REFS entries of `refs` (the node, its frame, the reason's value,
// and a code holding the status in its low STATUS_BITS bits and the kind of reason above them)
// and NUMBERS entries of `numbers` (start, end, exit code). Only this file reads them.

import type { ConditionEnvironment } from '../conditions';
import type { SeqNode } from '../model/sequence';
import { explainCondition, type Capture } from './condition-program';
import { RESTORE, type Journal, type Restorable } from './journal';
import { chunkOf, chunkSize, chunksFor, keptChunkTail, offsetOf } from './chunks';
import type { StepStatus } from '../semantics/run-outcome';

/** A run's visits counted by how they ended (`RecordStore.counts()`). */
export interface RunCounts {
  ran: number;
  succeeded: number;
  failed: number;
  continued: number;
  skipped: number;
  disabled: number;
}

/** Words a skipped node's reason from what its frame compiled (program.ts's FrameProgram). */
export interface ReasonWording {
  conditionReason(node: SeqNode, captured: Capture, facts: ConditionEnvironment): string;
}

/** What a record needs of the level of nesting it was made in (the engine's Frame). */
export interface RecordFrame {
  readonly docId: string;
  readonly depth: number;
  /** The record of the group or Run Task Sequence step the frame belongs to; -1 for the top sequence. */
  readonly recordIndex: number;
  /** What words its nodes' condition reasons; without it they are worded from the condition's text. */
  readonly program?: ReasonWording;
}

/** How a visit stands, as the store keeps it (`status` gives the name). */
export const RUNNING = 0;
export const SUCCEEDED = 1;
export const FAILED = 2;
export const FAILED_CONTINUED = 3;
export const SKIPPED = 4;
export const DISABLED = 5;
export type StatusCode =
  typeof RUNNING | typeof SUCCEEDED | typeof FAILED | typeof FAILED_CONTINUED | typeof SKIPPED | typeof DISABLED;
/** How a visit ended (everything but RUNNING). */
export type EndStatus = Exclude<StatusCode, typeof RUNNING>;
const STATUS_NAMES: readonly (StepStatus | 'running')[] = [
  'running',
  'succeeded',
  'failed',
  'failed-continued',
  'skipped',
  'disabled',
];

/** How a reason is kept: none, a text, or a condition's captured values. */
const NO_REASON = 0;
const TEXT_REASON = 1;
const CONDITION_REASON = 2;
type ReasonKind = typeof NO_REASON | typeof TEXT_REASON | typeof CONDITION_REASON;
/** What each kind of reason keeps. */
interface ReasonValues {
  [NO_REASON]: undefined;
  [TEXT_REASON]: string;
  [CONDITION_REASON]: Capture;
}
type ReasonValue = ReasonValues[ReasonKind];

/** A visit's status and kind of reason, in one number: the status in the low bits, the kind above them. */
const STATUS_BITS = 3;
const STATUS_MASK = (1 << STATUS_BITS) - 1;

function packCode(status: StatusCode, reasonKind: ReasonKind): number {
  return status | (reasonKind << STATUS_BITS);
}

function statusOf(code: number): StatusCode {
  return (code & STATUS_MASK) as StatusCode;
}

function reasonKindOf(code: number): ReasonKind {
  return (code >> STATUS_BITS) as ReasonKind;
}

/** Entries per visit in a chunk's `refs`, and where each is. */
const REFS = 4;
const NODE = 0,
  FRAME = 1,
  REASON_VALUE = 2,
  CODE = 3;
/** Entries per visit in a chunk's `numbers`, and where each is. */
const NUMBERS = 3;
const START = 0,
  END = 1,
  EXIT = 2;

/** The fields of a visit a change can be undone in, as the journal names them: `journalKey`. */
const JOURNALED = 5;
const STATUS_FIELD = 0,
  END_FIELD = 1,
  EXIT_FIELD = 2,
  REASON_KIND_FIELD = 3,
  REASON_FIELD = 4;
type JournaledField =
  typeof STATUS_FIELD | typeof END_FIELD | typeof EXIT_FIELD | typeof REASON_KIND_FIELD | typeof REASON_FIELD;

function journalKey(visit: number, field: JournaledField): number {
  return visit * JOURNALED + field;
}

class Chunk {
  /** REFS per visit: the node, its frame, the reason's value, the code (`packCode`). */
  readonly refs: unknown[];
  /** NUMBERS per visit: start, end (simulated clock, epoch ms) and exit code (NaN: none). */
  readonly numbers: Float64Array;

  constructor(
    /** Index of the chunk's first visit. */
    readonly start: number,
    size: number,
  ) {
    this.refs = new Array(size * REFS);
    this.numbers = new Float64Array(size * NUMBERS);
  }
}

/** The visits read by index, without a view of each: what the run's text reads of every visit (report.ts). */
export type VisitTable = Pick<RecordStore, 'length' | 'node' | 'frame' | 'start' | 'end' | 'status' | 'reason'>;

export class RecordStore implements Restorable {
  private readonly chunks: Chunk[] = [];
  private count = 0;
  /** Records below this existed at the last checkpoint: their changes must be journaled. */
  private stableBelow = 0;
  /** Views of records 0..all.length-1 (what `records` hands out). */
  private readonly all: NodeRecord[] = [];
  /** Views made one by one beyond `all`. */
  private readonly loose = new Map<number, NodeRecord>();
  /** Someone holds `all` (from `list`): keep it complete as visits start, as a plain array would be. */
  private live = false;

  constructor(
    private readonly journal: Journal,
    /** The machine's facts, for wording condition reasons. */
    private readonly facts: ConditionEnvironment,
  ) {}

  get length(): number {
    return this.count;
  }

  /** Starts a visit; returns its index. */
  open(node: SeqNode, frame: RecordFrame, time: number): number {
    const i = this.count;
    const c = this.chunks[chunkOf(i)] ?? this.addChunk();
    const o = i - c.start;
    const r = c.refs;
    const at = o * REFS;
    r[at + NODE] = node;
    r[at + FRAME] = frame;
    r[at + REASON_VALUE] = undefined;
    r[at + CODE] = packCode(RUNNING, NO_REASON);
    const n = c.numbers;
    const from = o * NUMBERS;
    n[from + START] = time;
    n[from + END] = time;
    n[from + EXIT] = NaN;
    this.count = i + 1;
    if (this.live) this.all.push(new NodeRecord(this, i));
    return i;
  }

  private addChunk(): Chunk {
    const c = new Chunk(this.count, chunkSize(this.chunks.length));
    this.chunks.push(c);
    return c;
  }

  /** Ends visit `i` at `end`: its status, and its exit code unless NaN (a group's visit has none). */
  close(i: number, status: EndStatus, end: number, exitCode: number): void {
    this.finish(i, status, end, exitCode, NO_REASON, undefined);
  }

  /** Ends visit `i` (a failure, or a node that is disabled) with the reason in words. */
  closeWithReason(i: number, status: EndStatus, end: number, exitCode: number, reason: string): void {
    this.finish(i, status, end, exitCode, TEXT_REASON, reason);
  }

  /** Ends visit `i` skipped by its condition, which saw `captured` (the reason is worded from it when read). */
  closeSkipped(i: number, end: number, captured: Capture): void {
    this.finish(i, SKIPPED, end, NaN, CONDITION_REASON, captured);
  }

  /** Ends a visit: status and end time always, the exit code unless NaN, the reason unless NO_REASON. */
  private finish<K extends ReasonKind>(
    i: number,
    status: EndStatus,
    end: number,
    exitCode: number,
    reasonKind: K,
    reason: ReasonValues[K],
  ): void {
    const c = this.chunks[chunkOf(i)];
    const r = c.refs;
    const n = c.numbers;
    const o = offsetOf(i);
    const at = o * REFS;
    const from = o * NUMBERS;
    const code = r[at + CODE] as number;
    if (this.journal.recording && i < this.stableBelow) {
      const j = this.journal;
      j.changed(this, journalKey(i, STATUS_FIELD), statusOf(code));
      j.changed(this, journalKey(i, END_FIELD), n[from + END]);
      if (!Number.isNaN(exitCode)) j.changed(this, journalKey(i, EXIT_FIELD), n[from + EXIT]);
      if (reasonKind !== NO_REASON) {
        j.changed(this, journalKey(i, REASON_KIND_FIELD), reasonKindOf(code));
        j.changed(this, journalKey(i, REASON_FIELD), r[at + REASON_VALUE]);
      }
    }
    n[from + END] = end;
    if (!Number.isNaN(exitCode)) n[from + EXIT] = exitCode;
    if (reasonKind !== NO_REASON) {
      r[at + REASON_VALUE] = reason;
      r[at + CODE] = packCode(status, reasonKind);
    } else {
      r[at + CODE] = packCode(status, reasonKindOf(code));
    }
  }

  [RESTORE](key: number, value: unknown): void {
    const i = Math.floor(key / JOURNALED);
    const c = this.chunks[chunkOf(i)];
    const o = offsetOf(i);
    const at = o * REFS;
    const from = o * NUMBERS;
    const code = c.refs[at + CODE] as number;
    switch ((key % JOURNALED) as JournaledField) {
      case STATUS_FIELD:
        c.refs[at + CODE] = packCode(value as StatusCode, reasonKindOf(code));
        break;
      case END_FIELD:
        c.numbers[from + END] = value as number;
        break;
      case EXIT_FIELD:
        c.numbers[from + EXIT] = value as number;
        break;
      case REASON_KIND_FIELD:
        c.refs[at + CODE] = packCode(statusOf(code), value as ReasonKind);
        break;
      case REASON_FIELD:
        c.refs[at + REASON_VALUE] = value;
    }
  }

  /** A checkpoint was taken: changes to the records that exist now must be undoable. */
  markStable(): void {
    this.stableBelow = this.count;
  }

  /** Forgets the visits from `length` on (stepping back); views of them keep what they showed. */
  truncate(length: number): void {
    if (length >= this.count) return;
    for (let i = this.count - 1; i >= length; i--) {
      const view = i < this.all.length ? this.all[i] : this.loose.get(i);
      if (view) view.detach(length);
    }
    if (this.all.length > length) this.all.length = length;
    // (Detaching may have made views of parents in the same range.)
    if (this.loose.size) for (let i = length; i < this.count; i++) this.loose.delete(i);
    this.chunks.length = chunksFor(length);
    // Let go of what the forgotten records of the kept chunk refer to.
    const tail = keptChunkTail(length, this.count);
    if (tail) this.chunks[tail.chunk].refs.fill(undefined, tail.from * REFS, tail.to * REFS);
    this.count = length;
    this.stableBelow = Math.min(this.stableBelow, length);
  }

  /** The view of visit `i`, the same object every time. */
  view(i: number): NodeRecord {
    const all = this.all;
    if (i < all.length) return all[i];
    let v = this.loose.get(i);
    if (!v) {
      v = new NodeRecord(this, i);
      // Views asked for in order (the debugger asks for each visit) go straight into `all`.
      if (i === all.length) all.push(v);
      else this.loose.set(i, v);
    }
    return v;
  }

  /**
   * Views of every visit, in order. The array is the same object as the run goes on, and from the
   * first call on it gains a view for each visit as it starts.
   */
  list(): NodeRecord[] {
    this.live = true;
    const all = this.all;
    for (let i = all.length; i < this.count; i++) {
      const v = this.loose.get(i);
      if (v) this.loose.delete(i);
      all.push(v ?? new NodeRecord(this, i));
    }
    return all;
  }

  private ref(i: number, field: typeof NODE | typeof FRAME | typeof REASON_VALUE | typeof CODE): unknown {
    return this.chunks[chunkOf(i)].refs[offsetOf(i) * REFS + field];
  }

  private number(i: number, field: typeof START | typeof END | typeof EXIT): number {
    return this.chunks[chunkOf(i)].numbers[offsetOf(i) * NUMBERS + field];
  }

  node(i: number): SeqNode {
    return this.ref(i, NODE) as SeqNode;
  }

  frame(i: number): RecordFrame {
    return this.ref(i, FRAME) as RecordFrame;
  }

  start(i: number): number {
    return this.number(i, START);
  }

  end(i: number): number {
    return this.number(i, END);
  }

  exitCode(i: number): number | undefined {
    const code = this.number(i, EXIT);
    return Number.isNaN(code) ? undefined : code;
  }

  statusCode(i: number): StatusCode {
    return statusOf(this.ref(i, CODE) as number);
  }

  status(i: number): StepStatus | 'running' {
    return STATUS_NAMES[this.statusCode(i)];
  }

  reason(i: number): string | undefined {
    return wordReason(
      reasonKindOf(this.ref(i, CODE) as number),
      this.ref(i, REASON_VALUE) as ReasonValue,
      this.node(i),
      this.facts,
      this.frame(i).program,
    );
  }

  /** What `reason` is worded from: its kind, its value and the facts, as they are now. */
  reasonParts(i: number): KeptReason {
    return {
      kind: reasonKindOf(this.ref(i, CODE) as number),
      value: this.ref(i, REASON_VALUE) as ReasonValue,
      facts: this.facts,
      wording: this.frame(i).program,
    };
  }

  /** How the visits ended, counted without making a view of each. */
  counts(): RunCounts {
    const n: RunCounts = { ran: 0, succeeded: 0, failed: 0, continued: 0, skipped: 0, disabled: 0 };
    for (let i = 0; i < this.count; i++) {
      const s = this.statusCode(i);
      if (s === SKIPPED) n.skipped++;
      else if (s === DISABLED) n.disabled++;
      if (this.node(i).kind !== 'step') continue;
      if (s === SUCCEEDED) n.succeeded++;
      else if (s === FAILED) n.failed++;
      else if (s === FAILED_CONTINUED) n.continued++;
      else continue;
      n.ran++;
    }
    return n;
  }
}

/** A reason as kept: worded when read. */
interface KeptReason {
  kind: ReasonKind;
  value: ReasonValue;
  facts: ConditionEnvironment;
  wording: ReasonWording | undefined;
}

/** A reason in words, from what it was kept as. */
function wordReason(
  kind: ReasonKind,
  value: ReasonValue,
  node: SeqNode,
  facts: ConditionEnvironment,
  wording: ReasonWording | undefined,
): string | undefined {
  switch (kind) {
    case TEXT_REASON:
      return value as string;
    case CONDITION_REASON:
      return wording
        ? wording.conditionReason(node, value as Capture, facts)
        : explainCondition(node.when!, value as Capture, facts);
    default:
      return undefined;
  }
}

interface Detached {
  node: SeqNode;
  docId: string;
  depth: number;
  start: number;
  end: number;
  status: StepStatus | 'running';
  exitCode: number | undefined;
  reason: KeptReason;
  parent: NodeRecord | null;
}

/** What the simulator knows about one visit of a node (a node can be visited again: reruns, jumps). */
export class NodeRecord {
  private store: RecordStore | undefined;
  private copy: Detached | undefined;
  private pathText: string | undefined = undefined;

  /** Made by the run's record store; `records`, `TickResult` and `RunFailure` hand them out. */
  constructor(
    store: RecordStore,
    private readonly index: number,
  ) {
    this.store = store;
  }

  get node(): SeqNode {
    return this.copy ? this.copy.node : this.store!.node(this.index);
  }

  /** The file the node is written in. */
  get docId(): string {
    return this.copy ? this.copy.docId : this.store!.frame(this.index).docId;
  }

  /** Nesting depth from the top sequence (0 = a top-level node). */
  get depth(): number {
    return this.copy ? this.copy.depth : this.store!.frame(this.index).depth;
  }

  /** Simulated clock at the start of the visit (epoch ms). */
  get start(): number {
    return this.copy ? this.copy.start : this.store!.start(this.index);
  }

  /** Simulated clock at the end of the visit (epoch ms). */
  get end(): number {
    return this.copy ? this.copy.end : this.store!.end(this.index);
  }

  /** `running` while a group or a child sequence is under way. */
  get status(): StepStatus | 'running' {
    return this.copy ? this.copy.status : this.store!.status(this.index);
  }

  get exitCode(): number | undefined {
    return this.copy ? this.copy.exitCode : this.store!.exitCode(this.index);
  }

  /** Why a node was skipped, or why it failed. */
  get reason(): string | undefined {
    const copy = this.copy;
    return copy
      ? wordReason(copy.reason.kind, copy.reason.value, copy.node, copy.reason.facts, copy.reason.wording)
      : this.store!.reason(this.index);
  }

  /** The group or Run Task Sequence step this visit happened in. */
  get parent(): NodeRecord | null {
    if (this.copy) return this.copy.parent;
    const p = this.store!.frame(this.index).recordIndex;
    return p < 0 ? null : this.store!.view(p);
  }

  get kind(): 'group' | 'step' {
    return this.node.kind;
  }

  /** Group and step names from the top sequence down, joined with `/` (child sequences included). */
  get path(): string {
    if (this.pathText === undefined) {
      const parent = this.parent;
      this.pathText = parent ? `${parent.path}/${this.node.name}` : this.node.name;
    }
    return this.pathText;
  }

  /**
   * The visit is being forgotten (stepping back to before it, `length` visits remain): keep what
   * it shows now, so a view someone still holds does not turn into a later visit.
   */
  detach(length: number): void {
    const store = this.store;
    if (!store) return;
    const p = store.frame(this.index).recordIndex;
    const parent = p < 0 ? null : store.view(p);
    if (parent && p >= length) parent.detach(length);
    this.copy = {
      node: this.node,
      docId: this.docId,
      depth: this.depth,
      start: this.start,
      end: this.end,
      status: this.status,
      exitCode: this.exitCode,
      reason: store.reasonParts(this.index),
      parent,
    };
    this.store = undefined;
  }

  toJSON(): object {
    return {
      path: this.path,
      kind: this.kind,
      status: this.status,
      exitCode: this.exitCode,
      reason: this.reason,
      start: this.start,
      end: this.end,
      depth: this.depth,
      docId: this.docId,
    };
  }
}
