// Maps a position inside a scalar's decoded text back to the file. Needed wherever a diagnostic
// points inside a string — a `%Var%` in a command line, an error in a `when:` condition — because
// quotes, escapes, folding and block indentation make decoded and source offsets differ.

import { styleOf, type YScalar } from './nodes';
import { decodeBlockScalar, decodeDoubleQuoted, decodePlainMultiline, decodeSingleQuoted } from './scalars';

/** Source offset for every decoded character of `node` (plus one entry for the end). */
export function scalarOffsets(src: string, node: YScalar): number[] {
  const map: number[] = [];
  switch (styleOf(node)) {
    case 'plain':
      if (src.slice(node.start, node.end) === node.text) {
        for (let i = 0; i < node.text.length; i++) map.push(node.start + i);
      } else decodePlainMultiline(src, node.start, node.end, map);
      break;
    case 'single':
      decodeSingleQuoted(src, node.start + 1, node.end - 1, map);
      break;
    case 'double':
      decodeDoubleQuoted(src, node.start + 1, node.end - 1, map);
      break;
    default:
      if (node.block)
        decodeBlockScalar(
          src,
          node.block.contentStart,
          node.block.contentEnd,
          node.block.indent,
          node.block.header,
          map,
        );
  }
  map.push(map.length ? Math.min(map[map.length - 1] + 1, node.end) : node.start);
  return map;
}

/** Source span of decoded text [from, to) of `node`. */
export function scalarSpan(
  src: string,
  node: YScalar,
  from: number,
  to: number,
  offsets = scalarOffsets(src, node),
): { start: number; end: number } {
  const clamp = (i: number) => Math.max(0, Math.min(i, offsets.length - 1));
  const start = offsets[clamp(from)];
  const end = to > from ? offsets[clamp(to - 1)] + 1 : start;
  return { start, end: Math.max(start, end) };
}

/** Source spans of decoded text [from, to) of one scalar, for a caller that asks for several. */
export type ScalarSpans = (from: number, to: number) => { start: number; end: number };

/**
 * `scalarSpan` for many spans of one scalar. Where the decoded text is the source verbatim (a
 * single-line plain scalar, or a quoted one without escapes or line breaks: most conditions and
 * command lines), each decoded offset is the source offset shifted by the opening quote, so no
 * map of every character is built: the map is as long as the text, and a file of long
 * conditions built one per condition, all garbage at once (docs/performance.md, "Long
 * conditions"). Anything else goes through the map, as `scalarSpan` does.
 */
export function scalarSpans(src: string, node: YScalar): ScalarSpans {
  const shift = verbatimStart(src, node);
  if (shift === undefined) {
    const offsets = scalarOffsets(src, node);
    return (from, to) => scalarSpan(src, node, from, to, offsets);
  }
  const length = node.text.length;
  return (from, to) => {
    const start = shift + Math.max(0, Math.min(from, length));
    const end = to > from ? shift + Math.max(0, Math.min(to - 1, length)) + 1 : start;
    return { start, end: Math.max(start, end) };
  };
}

/** Where the decoded text starts in the file when it is written there character for character. */
function verbatimStart(src: string, node: YScalar): number | undefined {
  const text = node.text;
  if (text.length === 0) return undefined; // the map's one entry is the scalar's start, quotes included
  if (node.style === undefined)
    return node.end - node.start === text.length && src.startsWith(text, node.start) ? node.start : undefined;
  // An escape ('' or a backslash sequence) or a folded line break makes the decoded text shorter
  // than what is between the quotes, or a different character there.
  if (node.style === 'single' || node.style === 'double')
    return node.end - node.start === text.length + 2 && src.startsWith(text, node.start + 1)
      ? node.start + 1
      : undefined;
  return undefined;
}
