// Where a step sits in the text of a sequence file, for edits that change whole steps (the
// editor's quick fixes, `tsq migrate`): line starts and ends, and the lines of a step's entry in
// a `steps:` list, from its `-` to the end of its last line.

import type { SeqNode } from './sequence';

export function lineStartOf(text: string, p: number): number {
  while (p > 0 && text.charCodeAt(p - 1) !== 10 && text.charCodeAt(p - 1) !== 13) p--;
  return p;
}

export function lineEndOf(text: string, p: number): number {
  while (p < text.length && text.charCodeAt(p) !== 10 && text.charCodeAt(p) !== 13) p++;
  return p;
}

export function nextLineStart(text: string, p: number): number {
  while (p < text.length && text.charCodeAt(p) !== 10 && text.charCodeAt(p) !== 13) p++;
  if (text.charCodeAt(p) === 13 && text.charCodeAt(p + 1) === 10) return p + 2;
  return Math.min(text.length, p + 1);
}

/** The column of `offset` on its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** The lines of a step's list entry, from its `-` to the end of its last line; undefined when the `-` shares its line with other text. */
export function stepEntryRange(text: string, step: SeqNode): { start: number; end: number } | undefined {
  let p = step.node.start - 1;
  while (p >= 0 && /\s/.test(text.charAt(p))) p--;
  if (text.charAt(p) !== '-') return undefined;
  const start = lineStartOf(text, p);
  if (text.slice(start, p).trim() !== '') return undefined;
  return { start, end: nextLineStart(text, step.node.end) };
}
