// Reads the debug adapter's input: DAP messages framed as `Content-Length: N\r\n\r\n` + N bytes of
// JSON (https://microsoft.github.io/debug-adapter-protocol/overview#base-protocol). Whatever a
// client sends, the reader never throws and never holds more than one frame's worth of bytes: a
// frame it cannot read is reported as one line and skipped, and reading starts again at the next
// `Content-Length` header. (@vscode/debugadapter's own reader ends the adapter on the first frame
// that is not JSON, and buffers without limit while it waits for a header or a body.)

/** A header is one or two short lines; more than this without its blank line is not a header. */
export const MAX_HEADER_BYTES = 8 * 1024;
/** Far above any real request (a file's breakpoints, a launch configuration); larger frames are skipped. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('Content-Length:');
const HEADER_LINE = /^([A-Za-z0-9-]+):[ \t]*(.*)$/;

export interface FrameSink {
  /** A frame's body, parsed as JSON (any JSON value: the caller decides whether it is a message). */
  message(value: unknown): void;
  /** Bytes that could not be read as a frame, in one line (no input is echoed beyond a short excerpt). */
  problem(line: string): void;
}

export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Length of the body being waited for, once its header has been read. */
  private bodyLength: number | undefined;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    for (;;) {
      if (this.bodyLength === undefined) {
        if (!this.readHeader()) return;
      } else {
        if (this.size < this.bodyLength) return;
        const body = this.take(this.bodyLength);
        this.bodyLength = undefined;
        this.readBody(body);
      }
    }
  }

  /** Bytes held while waiting for the rest of a frame (bounded by the caps above). */
  get buffered(): number {
    return this.size;
  }

  /** Bytes still to come before the body being read is whole (0 while reading a header). */
  get awaiting(): number {
    return this.bodyLength === undefined ? 0 : Math.max(0, this.bodyLength - this.size);
  }

  /** Reads one header if a whole one is there; false when more bytes are needed. */
  private readHeader(): boolean {
    const buffer = this.flatten();
    const end = buffer.indexOf(HEADER_END);
    if (end < 0) {
      if (buffer.length <= MAX_HEADER_BYTES) return false;
      this.resync(
        buffer,
        `no header end within ${MAX_HEADER_BYTES} bytes`,
        buffer.length - (CONTENT_LENGTH.length - 1),
      );
      return true;
    }
    const afterHeader = end + HEADER_END.length;
    if (end > MAX_HEADER_BYTES) {
      this.resync(buffer, `a header longer than ${MAX_HEADER_BYTES} bytes`, afterHeader);
      return true;
    }
    const lines = buffer.toString('latin1', 0, end).split('\r\n');
    let length: string | undefined;
    for (const line of lines) {
      const m = HEADER_LINE.exec(line);
      if (!m) {
        this.resync(buffer, `a header line that is not \`Name: value\` (${excerpt(line)})`, afterHeader);
        return true;
      }
      if (m[1].toLowerCase() === 'content-length') length = m[2].trim();
    }
    if (length === undefined) {
      this.resync(buffer, `a header without Content-Length (${excerpt(lines.join(' | '))})`, afterHeader);
      return true;
    }
    if (!/^\d{1,15}$/.test(length)) {
      // Stray bytes before a real header end up in its value: look for that header.
      this.resync(buffer, `a Content-Length that is not a byte count (${excerpt(length)})`, afterHeader);
      return true;
    }
    this.take(afterHeader);
    const n = Number(length);
    if (n > MAX_FRAME_BYTES) {
      // Its body is not waited for: what follows is read as the next frame (or skipped up to one).
      this.sink.problem(`skipped a frame of ${n} bytes, above the ${MAX_FRAME_BYTES}-byte limit`);
      return true;
    }
    this.bodyLength = n;
    return true;
  }

  private readBody(body: Buffer): void {
    let text: string;
    try {
      text = this.utf8.decode(body);
    } catch {
      this.sink.problem(`skipped a ${body.length}-byte frame that is not UTF-8 text`);
      return this.recover(body);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.sink.problem(
        `skipped a ${body.length}-byte frame that is not JSON (${e instanceof Error ? e.message : String(e)})`,
      );
      return this.recover(body);
    }
    this.sink.message(value);
  }

  /**
   * A body that is not JSON may have swallowed the frames after it (its Content-Length said more
   * than it held): reading goes on from the first header inside it.
   */
  private recover(body: Buffer): void {
    const at = body.indexOf(CONTENT_LENGTH, 1);
    if (at < 0) return;
    const rest = body.subarray(at);
    this.chunks.unshift(rest);
    this.size += rest.length;
  }

  /**
   * Drops what cannot be a frame: up to the next `Content-Length` when there is one, else
   * `otherwise` bytes (the bad header, or all but what may be the start of the next one).
   */
  private resync(buffer: Buffer, why: string, otherwise: number): void {
    const next = buffer.indexOf(CONTENT_LENGTH, 1);
    const drop = next >= 0 ? next : Math.max(1, otherwise);
    this.sink.problem(`skipped ${drop} bytes that are not a DAP frame: ${why}`);
    this.take(drop);
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Removes and returns the first `n` bytes. */
  private take(n: number): Buffer {
    const all = this.flatten();
    const head = all.subarray(0, n);
    // A short rest is copied, so that it does not keep a large frame's memory alive.
    const rest = all.length - n < n ? Buffer.from(all.subarray(n)) : all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.size = rest.length;
    return head;
  }
}

/** A short, printable excerpt of untrusted input for a log line. */
export function excerpt(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
