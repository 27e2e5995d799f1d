// The run's event log, in the manner of smsts.log: a time on the simulated clock, the component
// that speaks (TSManager for the engine, the step's program for a step) and a message. Messages
// are built only when read, from the values the event was recorded with, because a large run
// records hundreds of thousands of events and usually nobody reads most of them.
//
// Each kind of event has a head (`logHead`, `noteHead`): its severity, component and the function
// that words its message. A head's type carries the values its events keep, the parameters of
// that function, so the compiler checks every `push` (and the engine's `record`) against the
// words it will be read with.

import type { NodeRecord } from './records';
import { chunkOf, chunkSize, chunksFor, keptChunkTail, offsetOf } from './chunks';

export type LogSeverity = 'info' | 'warning' | 'error';

/** The values an event keeps (at most three), as its message is built from them. */
export type EventValues = readonly [a?: unknown, b?: unknown, c?: unknown];
/** The values a note keeps beside its visit (at most two). */
export type NoteValues = readonly [b?: unknown, c?: unknown];
/** A visit, as an event keeps it: its index in the run's records (the log turns it into the record when read). */
export type VisitIndex = number;

/** How a head keeps what builds its message: the types of its values are in the head's own type (`V`). */
type Builder = (a: unknown, b: unknown, c: unknown) => string;

/** Only for the compiler: the values a head's events keep. */
declare const VALUES: unique symbol;

/** What events of one kind share: severity, component and the message (or how to build it). */
export interface LogHead<V extends EventValues = EventValues> {
  readonly severity: LogSeverity;
  readonly component: string;
  /** The message, or what builds it from the values an event keeps (the visit as its record for a note). */
  readonly text: string | Builder;
  /** A note about a visit: the words of the note alone, from the values beside the visit. */
  readonly noteText: ((b: unknown, c: unknown) => string) | undefined;
  /** The event's first value is a visit (VisitIndex), read as its NodeRecord. */
  readonly aIsVisit: boolean;
  readonly [VALUES]?: V;
}

/** A head of events whose message is fixed, or built from the values `build` takes. */
export function logHead(severity: LogSeverity, component: string, text: string): LogHead<[]>;
export function logHead<V extends EventValues>(
  severity: LogSeverity,
  component: string,
  build: (...values: V) => string,
): LogHead<V>;
export function logHead(
  severity: LogSeverity,
  component: string,
  text: string | ((...values: never[]) => string),
): LogHead {
  return { severity, component, text: text as string | Builder, noteText: undefined, aIsVisit: false };
}

/**
 * A head of notes about a visit: the event keeps the visit and the values the note is worded
 * from; `message` words the log line (with the visit's record), `note` the note alone.
 */
export function noteHead<V extends NoteValues>(
  severity: LogSeverity,
  component: string,
  message: (visit: NodeRecord, ...values: V) => string,
  note: (...values: V) => string,
): LogHead<[visit: VisitIndex, ...values: V]> {
  return {
    severity,
    component,
    text: message as unknown as Builder,
    noteText: note as unknown as (b: unknown, c: unknown) => string,
    aIsVisit: true,
  };
}

/** The notes of visits asked for in increasing order of visit (`EventLog.visitNotes`). */
export interface VisitNotes {
  /** Hands `each` the notes of `visit` in the order they were made; a visit asked for must come after the ones asked for before. */
  take(visit: VisitIndex, each: (note: string) => void): void;
}

export class LogEvent {
  constructor(
    /** Simulated clock, epoch milliseconds. */
    readonly time: number,
    readonly head: LogHead,
    private readonly a?: unknown,
    private readonly b?: unknown,
    private readonly c?: unknown,
  ) {}

  get severity(): LogSeverity {
    return this.head.severity;
  }

  get component(): string {
    return this.head.component;
  }

  get message(): string {
    const t = this.head.text;
    return typeof t === 'string' ? t : t(this.a, this.b, this.c);
  }

  /** For a note: the words of the note alone. */
  get note(): string | undefined {
    return this.head.noteText?.(this.b, this.c);
  }

  /** For a note: the visit it is about. */
  get visit(): NodeRecord | undefined {
    return this.head.aIsVisit ? (this.a as NodeRecord) : undefined;
  }
}

/** Entries per event in a chunk's `values`, and where each is. */
const VALUES_PER_EVENT = 4;
const HEAD = 0,
  A = 1,
  B = 2,
  C = 3;

class Chunk {
  /** Times (outside the JavaScript heap: nothing for the garbage collector to copy). */
  readonly times: Float64Array;
  /** VALUES_PER_EVENT per event: the head and the three values. */
  readonly values: unknown[];

  constructor(
    /** Index of the chunk's first event. */
    readonly start: number,
    size: number,
  ) {
    this.times = new Float64Array(size);
    this.values = new Array(size * VALUES_PER_EVENT);
  }
}

/**
 * The events of a run in growing chunks (chunks.ts; times beside the head and three values of
 * each event), so that recording one makes no object and nothing is copied as the log grows;
 * `at(i)` makes the event object when someone reads it.
 */
export class EventLog {
  private readonly chunks: Chunk[] = [];
  private count = 0;
  /** The visit of the last note, and whether a note was ever made for a visit before an earlier note's (`visitNotes`). */
  private lastNoted = -1;
  private notesOutOfOrder = false;

  /** @param recordAt turns a visit's index (the first value of a note) into its record. */
  constructor(private readonly recordAt: (index: VisitIndex) => NodeRecord) {}

  get length(): number {
    return this.count;
  }

  /** Records an event of the kind `head` says, with the values its message is built from. */
  push<V extends EventValues>(time: number, head: LogHead<V>, ...values: NoInfer<V>): void;
  push(time: number, head: LogHead, a?: unknown, b?: unknown, c?: unknown): void {
    const i = this.count;
    const chunk = this.chunks[chunkOf(i)] ?? this.addChunk();
    const o = i - chunk.start;
    chunk.times[o] = time;
    const v = chunk.values;
    const at = o * VALUES_PER_EVENT;
    v[at + HEAD] = head;
    v[at + A] = a;
    v[at + B] = b;
    v[at + C] = c;
    this.count = i + 1;
    if (head.aIsVisit) {
      if ((a as VisitIndex) < this.lastNoted) this.notesOutOfOrder = true;
      this.lastNoted = a as VisitIndex;
    }
  }

  private addChunk(): Chunk {
    const c = new Chunk(this.count, chunkSize(this.chunks.length));
    this.chunks.push(c);
    return c;
  }

  at(i: number): LogEvent {
    const chunk = this.chunks[chunkOf(i)];
    const o = offsetOf(i);
    const v = chunk.values;
    const at = o * VALUES_PER_EVENT;
    const head = v[at + HEAD] as LogHead;
    const a = head.aIsVisit ? this.recordAt(v[at + A] as VisitIndex) : v[at + A];
    return new LogEvent(chunk.times[o], head, a, v[at + B], v[at + C]);
  }

  /** The notes of each visit by its index, in the order they were made (what `note` and `visit` of each event say, without making the events). */
  notesByVisit(): Map<VisitIndex, string[]> {
    const out = new Map<VisitIndex, string[]>();
    for (let i = 0; i < this.count; i++) {
      const v = this.chunks[chunkOf(i)].values;
      const at = offsetOf(i) * VALUES_PER_EVENT;
      const head = v[at + HEAD] as LogHead;
      if (!head.aIsVisit || !head.noteText) continue;
      const text = head.noteText(v[at + B], v[at + C]);
      if (text === undefined) continue;
      const visit = v[at + A] as VisitIndex;
      const list = out.get(visit);
      if (list) list.push(text);
      else out.set(visit, [text]);
    }
    return out;
  }

  /**
   * The notes of visits read in increasing order of visit (the run's text reads them so). The engine
   * notes a visit while it runs, so the log holds the notes in the order of their visits, and a
   * cursor reads them as the reader goes, worded one at a time: a map of every visit's notes
   * (`notesByVisit`) held tens of thousands of lists and texts for the whole of a large run's text.
   * A log whose notes are not in that order is read through the map.
   */
  visitNotes(): VisitNotes {
    if (this.notesOutOfOrder) {
      const byVisit = this.notesByVisit();
      return {
        take(visit, each) {
          const notes = byVisit.get(visit);
          if (notes) for (const note of notes) each(note);
        },
      };
    }
    const chunks = this.chunks;
    const count = this.count;
    // The next event to look at: its chunk and its place there.
    let k = 0,
      o = 0;
    return {
      take(visit, each) {
        for (; k < chunks.length; k++, o = 0) {
          const chunk = chunks[k];
          const v = chunk.values;
          for (const end = Math.min(v.length / VALUES_PER_EVENT, count - chunk.start); o < end; o++) {
            const at = o * VALUES_PER_EVENT;
            const head = v[at + HEAD] as LogHead;
            if (!head.aIsVisit || !head.noteText) continue;
            const of = v[at + A] as VisitIndex;
            if (of > visit) return;
            if (of < visit) continue;
            const text = head.noteText(v[at + B], v[at + C]);
            if (text !== undefined) each(text);
          }
        }
      },
    };
  }

  /** Events `from` (inclusive) to `to` (exclusive). */
  slice(from = 0, to = this.length): LogEvent[] {
    const out: LogEvent[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.at(i));
    return out;
  }

  /** Forgets the events after the first `length` (stepping back). */
  truncate(length: number): void {
    if (length >= this.count) return;
    // (`lastNoted` stays: a note made after stepping back may count as out of order, which only
    // makes `visitNotes` read through the map.)
    this.chunks.length = chunksFor(length);
    // Let go of what the forgotten events of the kept chunk refer to.
    const tail = keptChunkTail(length, this.count);
    if (tail) this.chunks[tail.chunk].values.fill(undefined, tail.from * VALUES_PER_EVENT, tail.to * VALUES_PER_EVENT);
    this.count = length;
  }

  *[Symbol.iterator](): IterableIterator<LogEvent> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `08:12:05` (UTC, so the same run prints the same everywhere). */
export function clockText(time: number): string {
  const d = new Date(time);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** `2025-01-06 08:12:05` (UTC). */
export function dateTimeText(time: number): string {
  const d = new Date(time);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${clockText(time)}`;
}

const MARK: Record<LogSeverity, string> = { info: ' ', warning: '!', error: 'x' };

/** One line for a terminal or the debug console: `08:12:05 ! TSManager  message`. */
export function logLineText(e: LogEvent): string {
  return `${clockText(e.time)} ${MARK[e.severity]} ${e.component.padEnd(14)} ${e.message}`;
}

/** One line in the CMTrace format smsts.log uses, for viewers that read it. */
export function cmtraceLine(e: LogEvent): string {
  const d = new Date(e.time);
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  const type = e.severity === 'error' ? 3 : e.severity === 'warning' ? 2 : 1;
  return `<![LOG[${e.message}]LOG]!><time="${clockText(e.time)}.${ms}+000" date="${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}-${d.getUTCFullYear()}" component="${e.component}" context="" type="${type}" thread="1" file="">`;
}
