// Offsets and positions. The engine keeps every range as [start, end) offsets into the file text
// (UTF-16 code units); a LineMap turns them into 0-based line/character positions for editors
// and 1-based line/column for terminals, and back.

export interface Span {
  start: number;
  end: number;
}

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit within the line. */
  character: number;
}

export class LineMap {
  private readonly starts: Uint32Array;

  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    return this.starts[line];
  }

  /** End of the line's content (before its line break). */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 0x0a) end--;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 0x0d) end--;
    return end;
  }

  /**
   * The position of `offset`. An offset between the `\r` and the `\n` of a line break is placed
   * before the `\r`, as the editor's text documents do, so `tsq lint` and the language server give
   * the same position for it.
   */
  positionAt(offset: number): Position {
    let o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    if (o > this.starts[lo] && this.text.charCodeAt(o - 1) === 0x0d) o--;
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[pos.line] + Math.max(0, pos.character), this.lineEnd(pos.line));
  }
}

/**
 * Where each line of `text` starts: after every `\n`, and after every `\r` not followed by one.
 * The breaks are found with `indexOf`, which V8 runs as native code over the whole string, rather
 * than by reading each character in JavaScript: on an 18 MB sequence (480,000 lines) 17 ms of CPU
 * instead of 90–120 ms in a fresh process, where the debugger's first stack trace waits for it
 * (docs/performance.md, "The heap of a one-shot process").
 */
function lineStarts(text: string): Uint32Array {
  let starts = new Uint32Array(1024);
  let count = 1;
  const add = (start: number) => {
    if (count === starts.length) {
      const more = new Uint32Array(count * 2);
      more.set(starts);
      starts = more;
    }
    starts[count++] = start;
  };
  /** The first `\r` from `from` on that is a line break of its own (not the start of `\r\n`). */
  const loneReturn = (from: number) => {
    let i = text.indexOf('\r', from);
    while (i >= 0 && text.charCodeAt(i + 1) === 0x0a) i = text.indexOf('\r', i + 2);
    return i;
  };
  let lf = text.indexOf('\n');
  let cr = loneReturn(0);
  while (lf >= 0 || cr >= 0) {
    if (cr < 0 || (lf >= 0 && lf < cr)) {
      add(lf + 1);
      lf = text.indexOf('\n', lf + 1);
    } else {
      add(cr + 1);
      cr = loneReturn(cr + 1);
    }
  }
  return starts.slice(0, count);
}
