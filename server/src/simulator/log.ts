// The run's event log, in the manner of smsts.log: a time on the simulated clock, the component
// that speaks (TSManager for the engine, the step's program for a step) and a message. Messages
// are built only when read, from the values the event was recorded with, because a large run
// records hundreds of thousands of events and usually nobody reads most of them.

import { chunkOf, chunkSize, chunksFor, offsetOf } from './chunks';

export type LogSeverity = 'info' | 'warning' | 'error';

export type MessageBuilder = (a: unknown, b: unknown, c: unknown) => string;

/** What events of one kind share: severity, component and the message (or how to build it). */
export interface LogHead {
  readonly severity: LogSeverity;
  readonly component: string;
  readonly text: string | MessageBuilder;
  /** A note about a visit: the event's first value is the visit's NodeRecord, `noteText` its words. */
  readonly noteText?: MessageBuilder;
  /** The event's first value is a visit, pushed as its index in the run's records. */
  readonly aIsRecord?: boolean;
}

export function logHead(severity: LogSeverity, component: string, text: string | MessageBuilder, noteText?: MessageBuilder, aIsRecord = noteText !== undefined): LogHead {
  return { severity, component, text, noteText, aIsRecord };
}

export class LogEvent {
  constructor(
    /** Simulated clock, epoch milliseconds. */
    readonly time: number,
    readonly head: LogHead,
    readonly a?: unknown,
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
    return this.head.noteText?.(this.a, this.b, this.c);
  }
}

class Chunk {
  /** Times (outside the JavaScript heap: nothing for the garbage collector to copy). */
  readonly times: Float64Array;
  /** head, a, b, c per event. */
  readonly values: unknown[];

  constructor(
    /** Index of the chunk's first event. */
    readonly start: number,
    size: number,
  ) {
    this.times = new Float64Array(size);
    this.values = new Array(size * 4);
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

  /** @param recordAt turns a visit's index (the first value of events whose head says so) into its record. */
  constructor(private readonly recordAt: (index: number) => unknown = (i) => i) {}

  get length(): number {
    return this.count;
  }

  push(time: number, head: LogHead, a?: unknown, b?: unknown, c?: unknown): void {
    const i = this.count;
    const chunk = this.chunks[chunkOf(i)] ?? this.addChunk();
    const o = i - chunk.start;
    chunk.times[o] = time;
    const v = chunk.values;
    v[o * 4] = head;
    v[o * 4 + 1] = a;
    v[o * 4 + 2] = b;
    v[o * 4 + 3] = c;
    this.count = i + 1;
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
    const head = v[o * 4] as LogHead;
    return new LogEvent(chunk.times[o], head, head.aIsRecord ? this.recordAt(v[o * 4 + 1] as number) : v[o * 4 + 1], v[o * 4 + 2], v[o * 4 + 3]);
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
    this.chunks.length = chunksFor(length);
    // Let go of what the forgotten events of the kept chunk refer to.
    if (length > 0) {
      const k = chunkOf(length - 1);
      const end = chunkOf(this.count - 1) === k ? offsetOf(this.count - 1) + 1 : chunkSize(k);
      this.chunks[k].values.fill(undefined, (offsetOf(length - 1) + 1) * 4, end * 4);
    }
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
