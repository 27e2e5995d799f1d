// Maps a position inside a scalar's decoded text back to the file. Needed wherever a diagnostic
// points inside a string — a `%Var%` in a command line, an error in a `when:` condition — because
// quotes, escapes, folding and block indentation make decoded and source offsets differ.

import type { YScalar } from './nodes';
import { decodeBlockScalar, decodeDoubleQuoted, decodePlainMultiline, decodeSingleQuoted } from './scalars';

/** Source offset for every decoded character of `node` (plus one entry for the end). */
export function scalarOffsets(src: string, node: YScalar): number[] {
  const map: number[] = [];
  switch (node.style) {
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
