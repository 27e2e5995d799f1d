// The text of a run handed out in pieces as it is written, rather than made into one string: the
// tree of a 100,000-step run is 7 MB, which as an array of lines and then one joined string was
// held twice over while the CLI printed it. A `TextPieces` gathers lines and hands each piece of
// about PIECE characters to its sink (the CLI's output), so what is held is one piece; the
// pieces joined are exactly the lines each followed by a new line.

/** Where the pieces go, in order. */
export type TextSink = (piece: string) => void;

/** Characters gathered before a piece is handed to the sink. */
const PIECE = 1 << 16;

export class TextPieces {
  private pending = '';

  constructor(private readonly sink: TextSink) {}

  /** Adds `text` and a new line. */
  line(text: string): void {
    this.pending += text + '\n';
    if (this.pending.length >= PIECE) this.flush();
  }

  /** Hands what is gathered to the sink. */
  flush(): void {
    if (this.pending === '') return;
    this.sink(this.pending);
    this.pending = '';
  }
}

/** What `write` writes, as one string (for callers that need the whole text). */
export function textOf(write: (sink: TextSink) => void): string {
  const pieces: string[] = [];
  write((piece) => pieces.push(piece));
  return pieces.join('');
}
