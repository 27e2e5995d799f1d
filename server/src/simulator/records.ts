// What the simulator keeps about every visit of a node, stored in fixed-size chunks of plain
// arrays (the times unboxed in arrays of doubles, the rest side by side per visit), so recording
// a visit makes no object. A `NodeRecord` is a view of one visit, made when someone asks for it
// and then kept, so the same visit is always the same object. Reasons are kept as what they are
// made of (a condition's captured values) and worded when read.

import type { ConditionEnvironment } from '../conditions';
import type { SeqNode } from '../model/sequence';
import { conditionProgram } from './condition-program';
import { RESTORE, type Journal, type Restorable } from './journal';
import { chunkOf, chunkSize, chunksFor, offsetOf } from './chunks';

/** How a step or group ended. */
export type StepStatus = 'succeeded' | 'failed' | 'failed-continued' | 'skipped' | 'disabled';

/** A run's visits counted by how they ended (`RecordStore.counts()`). */
export interface RunCounts {
  ran: number;
  succeeded: number;
  failed: number;
  continued: number;
  skipped: number;
  disabled: number;
}

/** What a record needs of the level of nesting it was made in (the engine's Frame). */
export interface RecordFrame {
  readonly docId: string;
  readonly depth: number;
  /** The record of the group or Run Task Sequence step the frame belongs to; -1 for the top sequence. */
  readonly recordIndex: number;
}

export const RUNNING = 0;
export const SUCCEEDED = 1;
export const FAILED = 2;
export const FAILED_CONTINUED = 3;
export const SKIPPED = 4;
export const DISABLED = 5;
const STATUS_NAMES: readonly (StepStatus | 'running')[] = ['running', 'succeeded', 'failed', 'failed-continued', 'skipped', 'disabled'];

/** How a reason is kept: none, a text, or a condition's captured values. */
export const NO_REASON = 0;
export const TEXT_REASON = 1;
export const CONDITION_REASON = 2;

/** Fields of a record as the journal names them (record index * FIELDS + field). */
const FIELDS = 5;
const STATUS = 0, END = 1, EXIT = 2, REASON_KIND = 3, REASON = 4;

class Chunk {
  /** Per record: the node, its frame, the reason's value, status + 8 * reason kind. */
  readonly refs: unknown[];
  /** Per record: start, end (simulated clock, epoch ms) and exit code (NaN: none). */
  readonly numbers: Float64Array;

  constructor(
    /** Index of the chunk's first record. */
    readonly start: number,
    size: number,
  ) {
    this.refs = new Array(size * 4);
    this.numbers = new Float64Array(size * 3);
  }
}

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
    r[o * 4] = node;
    r[o * 4 + 1] = frame;
    r[o * 4 + 2] = undefined;
    r[o * 4 + 3] = RUNNING;
    const n = c.numbers;
    n[o * 3] = time;
    n[o * 3 + 1] = time;
    n[o * 3 + 2] = NaN;
    this.count = i + 1;
    if (this.live) this.all.push(new NodeRecord(this, i));
    return i;
  }

  private addChunk(): Chunk {
    const c = new Chunk(this.count, chunkSize(this.chunks.length));
    this.chunks.push(c);
    return c;
  }

  /** Ends a visit: status and end time always, the exit code unless NaN, the reason unless NO_REASON. */
  close(i: number, status: number, end: number, exitCode: number, reasonKind: number, reason?: unknown): void {
    const c = this.chunks[chunkOf(i)];
    const o = offsetOf(i);
    const r = c.refs;
    const n = c.numbers;
    const code = r[o * 4 + 3] as number;
    if (this.journal.recording && i < this.stableBelow) {
      const j = this.journal;
      j.changed(this, i * FIELDS + STATUS, code & 7);
      j.changed(this, i * FIELDS + END, n[o * 3 + 1]);
      if (!Number.isNaN(exitCode)) j.changed(this, i * FIELDS + EXIT, n[o * 3 + 2]);
      if (reasonKind !== NO_REASON) {
        j.changed(this, i * FIELDS + REASON_KIND, code >> 3);
        j.changed(this, i * FIELDS + REASON, r[o * 4 + 2]);
      }
    }
    n[o * 3 + 1] = end;
    if (!Number.isNaN(exitCode)) n[o * 3 + 2] = exitCode;
    if (reasonKind !== NO_REASON) {
      r[o * 4 + 2] = reason;
      r[o * 4 + 3] = status | (reasonKind << 3);
    } else {
      r[o * 4 + 3] = status | (code & ~7);
    }
  }

  [RESTORE](key: number, value: unknown): void {
    const i = Math.floor(key / FIELDS);
    const c = this.chunks[chunkOf(i)];
    const o = offsetOf(i);
    const code = c.refs[o * 4 + 3] as number;
    switch (key % FIELDS) {
      case STATUS:
        c.refs[o * 4 + 3] = (code & ~7) | (value as number);
        break;
      case END:
        c.numbers[o * 3 + 1] = value as number;
        break;
      case EXIT:
        c.numbers[o * 3 + 2] = value as number;
        break;
      case REASON_KIND:
        c.refs[o * 4 + 3] = (code & 7) | ((value as number) << 3);
        break;
      default:
        c.refs[o * 4 + 2] = value;
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
    if (length > 0) {
      const k = chunkOf(length - 1);
      const end = chunkOf(this.count - 1) === k ? offsetOf(this.count - 1) + 1 : chunkSize(k);
      this.chunks[k].refs.fill(undefined, (offsetOf(length - 1) + 1) * 4, end * 4);
    }
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

  node(i: number): SeqNode {
    return this.chunks[chunkOf(i)].refs[offsetOf(i) * 4] as SeqNode;
  }

  frame(i: number): RecordFrame {
    return this.chunks[chunkOf(i)].refs[offsetOf(i) * 4 + 1] as RecordFrame;
  }

  start(i: number): number {
    return this.chunks[chunkOf(i)].numbers[offsetOf(i) * 3];
  }

  end(i: number): number {
    return this.chunks[chunkOf(i)].numbers[offsetOf(i) * 3 + 1];
  }

  exitCode(i: number): number | undefined {
    const code = this.chunks[chunkOf(i)].numbers[offsetOf(i) * 3 + 2];
    return Number.isNaN(code) ? undefined : code;
  }

  statusCode(i: number): number {
    return (this.chunks[chunkOf(i)].refs[offsetOf(i) * 4 + 3] as number) & 7;
  }

  status(i: number): StepStatus | 'running' {
    return STATUS_NAMES[this.statusCode(i)];
  }

  reason(i: number): string | undefined {
    const r = this.chunks[chunkOf(i)].refs;
    const o = offsetOf(i);
    return wordReason((r[o * 4 + 3] as number) >> 3, r[o * 4 + 2], r[o * 4] as SeqNode, this.facts);
  }

  /** What `reason` is worded from: its kind, its value and the facts, as they are now. */
  reasonParts(i: number): { kind: number; value: unknown; facts: ConditionEnvironment } {
    const r = this.chunks[chunkOf(i)].refs;
    const o = offsetOf(i);
    return { kind: (r[o * 4 + 3] as number) >> 3, value: r[o * 4 + 2], facts: this.facts };
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

/** A reason in words, from what it was kept as. */
function wordReason(kind: number, value: unknown, node: SeqNode, facts: ConditionEnvironment): string | undefined {
  switch (kind) {
    case TEXT_REASON:
      return value as string;
    case CONDITION_REASON:
      return conditionProgram(node.when!).explain(value, facts);
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
  /** The reason as kept (worded when read). */
  reason: { kind: number; value: unknown; facts: ConditionEnvironment };
  parent: NodeRecord | null;
}

/** What the simulator knows about one visit of a node (a node can be visited again: reruns, jumps). */
export class NodeRecord {
  private store: RecordStore | undefined;
  private copy: Detached | undefined;
  private pathText: string | undefined = undefined;

  /** Made by the run's record store; `records`, `TickResult` and `RunFailure` hand them out. */
  constructor(store: RecordStore, private readonly index: number) {
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
    return copy ? wordReason(copy.reason.kind, copy.reason.value, copy.node, copy.reason.facts) : this.store!.reason(this.index);
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
    this.copy = { node: this.node, docId: this.docId, depth: this.depth, start: this.start, end: this.end, status: this.status, exitCode: this.exitCode, reason: store.reasonParts(this.index), parent };
    this.store = undefined;
  }

  toJSON(): object {
    return { path: this.path, kind: this.kind, status: this.status, exitCode: this.exitCode, reason: this.reason, start: this.start, end: this.end, depth: this.depth, docId: this.docId };
  }
}
