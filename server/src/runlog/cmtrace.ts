// Reads the CMTrace ("CCM") log format that smsts.log is written in, from bytes to records:
//   <![LOG[message]LOG]!><time="HH:MM:SS.mmm+bias" date="MM-DD-YYYY" component="…" context="" type="1" thread="…" file="…">
// (https://learn.microsoft.com/mem/configmgr/core/support/cmtrace). The encoding comes from the
// byte order mark (UTF-16 LE/BE, UTF-8), else UTF-8 when the bytes are valid UTF-8, else
// Windows-1252. A message runs until `]LOG]!>` whatever it holds (newlines, quotes, `<`, `>`, `]`,
// XML), so messages spanning lines are one record. Real files hold damage: an entry cut off when
// the computer restarted or the file was copied, two processes' entries interleaved, text outside
// any entry. Such text never stops the reading; it is counted, and cut entries are flagged. Every
// search moves forward only, so any input is read in time proportional to its size.

export type LogEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le' | 'windows-1252';

export interface LogRecord {
  /** The message between `<![LOG[` and `]LOG]!>`, line breaks as `\n`. */
  message: string;
  /** `time` as written (`14:02:12.139+300`), '' when missing. */
  time: string;
  /** `date` as written (`11-03-2026`), '' when missing. */
  date: string;
  component: string;
  /** 0 verbose, 1 information, 2 warning, 3 error (CMTrace colours 2 and 3); -1 when missing. */
  type: number;
  thread: string;
  /** 1-based physical line where the entry starts, and where it ends. */
  line: number;
  endLine: number;
  /** The entry was cut off (no `]LOG]!>` before the next entry or the end of the file). */
  truncated?: boolean;
}

export interface CmtraceFile {
  encoding: LogEncoding;
  records: LogRecord[];
  /** Entries that were cut off. */
  truncatedEntries: number;
  /** Physical lines holding text outside any entry (fragments of interleaved or cut entries). */
  strayLines: number;
  /** Entries whose attribute block could not be read (kept, without time and component). */
  unreadableAttributes: number;
}

const START = '<![LOG[';
const END = ']LOG]!>';
/** An attribute block is about 120 characters; anything longer is not one. */
const MAX_ATTRIBUTES = 1024;

type Decoder = InstanceType<typeof TextDecoder>;
const decoders = new Map<string, Decoder>();
function decoder(label: string, fatal = false): Decoder {
  const key = `${label}/${fatal}`;
  let d = decoders.get(key);
  if (!d) decoders.set(key, (d = new TextDecoder(label, { fatal, ignoreBOM: true })));
  return d;
}

/** Whether bytes without a byte order mark look like UTF-16LE text (every other byte zero). */
function looksLikeUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 16) return false;
  let oddZero = 0,
    evenZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  return oddZero > (n / 2) * 0.4 && evenZero < (n / 2) * 0.05;
}

/** Windows-1252's characters for 0x80–0x9F (the rest is Latin-1); unassigned codes stay as they are. */
const CP1252_HIGH =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

function windows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80]);
}

/** The text of a log file and the encoding it was read in. */
export function decodeLog(bytes: Uint8Array): { text: string; encoding: LogEncoding } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: decoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le-bom' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: decoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be-bom' };
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: decoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  if (looksLikeUtf16le(bytes)) return { text: decoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  try {
    return { text: decoder('utf-8', true).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: windows1252(bytes), encoding: 'windows-1252' };
  }
}

/** Reads `name="value"` pairs; undefined when the text is not such a block. */
function readAttributes(block: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let i = 0;
  const n = block.length;
  while (i < n) {
    while (i < n && block.charCodeAt(i) <= 0x20) i++;
    if (i >= n) break;
    const eq = block.indexOf('=', i);
    if (eq < 0) return undefined;
    const name = block.slice(i, eq).trim();
    if (!/^[A-Za-z]+$/.test(name) || block.charCodeAt(eq + 1) !== 0x22 /* " */) return undefined;
    const close = block.indexOf('"', eq + 2);
    if (close < 0) return undefined;
    out.set(name.toLowerCase(), block.slice(eq + 2, close));
    i = close + 1;
  }
  return out.size ? out : undefined;
}

/** Counts line breaks as the reader moves forward through the text. */
class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  /** The 1-based line of `offset`; offsets must not go backwards. */
  at(offset: number): number {
    const t = this.text;
    let from = this.offset;
    for (;;) {
      const nl = t.indexOf('\n', from);
      if (nl < 0 || nl >= offset) break;
      this.line++;
      from = nl + 1;
    }
    this.offset = from;
    return this.line;
  }
}

/** The next occurrence of `needle` at or after `from`, remembered so that no text is searched twice. */
class Finder {
  private found = -2;
  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  next(from: number): number {
    if (this.found === -1 || this.found >= from) return this.found;
    this.found = this.text.indexOf(this.needle, from);
    return this.found;
  }
}

function stray(text: string, from: number, to: number, lines: LineCounter): number {
  let first = -1,
    last = -1;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) > 0x20) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return 0;
  const top = lines.at(first);
  return lines.at(last) - top + 1;
}

function trimLineEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x0a || s.charCodeAt(end - 1) === 0x0d)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Reads the records of one log file's text. */
export function readCmtraceText(text: string, encoding: LogEncoding = 'utf-8'): CmtraceFile {
  const src = text.indexOf('\r') >= 0 ? text.replace(/\r\n?/g, '\n') : text;
  const out: CmtraceFile = { encoding, records: [], truncatedEntries: 0, strayLines: 0, unreadableAttributes: 0 };
  const lines = new LineCounter(src);
  const starts = new Finder(src, START);
  const ends = new Finder(src, END);
  let pos = 0;
  for (;;) {
    const start = starts.next(pos);
    out.strayLines += stray(src, pos, start < 0 ? src.length : start, lines);
    if (start < 0) break;
    const from = start + START.length;
    const line = lines.at(start);
    const end = ends.next(from);
    const nextStart = starts.next(from);
    if (end < 0 || (nextStart >= 0 && nextStart < end)) {
      // Cut off: keep what there is; the next entry (or the end of the file) starts afresh.
      const stop = nextStart < 0 ? src.length : nextStart;
      const message = trimLineEnd(src.slice(from, stop));
      out.records.push({
        message,
        time: '',
        date: '',
        component: '',
        type: -1,
        thread: '',
        line,
        endLine: lines.at(Math.max(from, stop - 1)),
        truncated: true,
      });
      out.truncatedEntries++;
      pos = stop;
      continue;
    }
    const message = src.slice(from, end);
    const afterEnd = end + END.length;
    const close = src.indexOf('>', afterEnd);
    const newline = src.indexOf('\n', afterEnd);
    const blockEnd = close < 0 || close - afterEnd > MAX_ATTRIBUTES || (newline >= 0 && newline < close) ? -1 : close;
    const attributes =
      blockEnd >= 0 && src.startsWith('<', afterEnd) ? readAttributes(src.slice(afterEnd + 1, blockEnd)) : undefined;
    const endLine = lines.at(end);
    if (!attributes) {
      out.unreadableAttributes++;
      out.records.push({ message, time: '', date: '', component: '', type: -1, thread: '', line, endLine });
      pos = afterEnd;
      continue;
    }
    const type = Number(attributes.get('type'));
    out.records.push({
      message,
      time: attributes.get('time') ?? '',
      date: attributes.get('date') ?? '',
      component: attributes.get('component') ?? '',
      type: Number.isInteger(type) ? type : -1,
      thread: attributes.get('thread') ?? '',
      line,
      endLine,
    });
    pos = blockEnd + 1;
  }
  return out;
}

/** Reads the records of one log file's bytes. */
export function readCmtrace(bytes: Uint8Array): CmtraceFile {
  const { text, encoding } = decodeLog(bytes);
  return readCmtraceText(text, encoding);
}

/** When an entry was written: epoch milliseconds in UTC, and ISO 8601 with the writer's own offset. */
export interface LogTime {
  utc: number;
  iso: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * The time of a record. CMTrace writes local time and the time-zone bias in minutes, the way
 * Windows defines it: UTC = local time + bias (https://learn.microsoft.com/office/vba/api/outlook.timezone.bias),
 * so `+300` is five hours west of Greenwich (`-05:00`). Without a bias the time has no offset.
 */
export function recordTime(r: Pick<LogRecord, 'time' | 'date'>): LogTime | undefined {
  const t = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([+-]\d{1,4})?$/.exec(r.time.trim());
  const d = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(r.date.trim());
  if (!t || !d) return undefined;
  const [hh, mi, ss] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const ms = t[4] ? Number(t[4].slice(0, 3).padEnd(3, '0')) : 0;
  const [mo, dd, yy] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (hh > 23 || mi > 59 || ss > 60 || mo < 1 || mo > 12 || dd < 1 || dd > 31) return undefined;
  const bias = t[5] !== undefined ? Number(t[5]) : undefined;
  if (bias !== undefined && Math.abs(bias) > 24 * 60) return undefined;
  const local = Date.UTC(yy, mo - 1, dd, hh, mi, ss, ms);
  const base = `${pad(yy, 4)}-${pad(mo)}-${pad(dd)}T${pad(hh)}:${pad(mi)}:${pad(ss)}.${pad(ms, 3)}`;
  if (bias === undefined) return { utc: local, iso: base };
  const east = -bias;
  const offset = `${east < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(east) / 60))}:${pad(Math.abs(east) % 60)}`;
  return { utc: local + bias * 60_000, iso: base + offset };
}
