// Scalar semantics of YAML 1.2: type resolution under the core schema, and the decoding of
// quoted and block scalars into text. Decoders can also record, for every decoded character, the
// source offset it came from, so that a diagnostic inside a string (a `%Var%`, a `when:` error)
// lands on the right column even when the string has escapes or spans lines.

/** A scalar's value under the YAML 1.2 core schema (`YScalar.value` in ./nodes.ts). */
export type ScalarValue = string | number | boolean | null;

const INT_DEC = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(inf|Inf|INF)$/;
const NAN = /^\.(nan|NaN|NAN)$/;

/** Resolves a plain scalar's text to null, boolean, number or string (YAML 1.2 core schema). */
export function resolvePlain(text: string): ScalarValue {
  const n = text.length;
  if (n === 0) return null;
  const c = text.charCodeAt(0);
  switch (c) {
    case 0x7e: // ~
      return n === 1 ? null : text;
    case 0x6e:
    case 0x4e: // n N
      return text === 'null' || text === 'Null' || text === 'NULL' ? null : text;
    case 0x74:
    case 0x54: // t T
      return text === 'true' || text === 'True' || text === 'TRUE' ? true : text;
    case 0x66:
    case 0x46: // f F
      return text === 'false' || text === 'False' || text === 'FALSE' ? false : text;
  }
  const numeric = (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e;
  if (!numeric) return text;
  if (INT_DEC.test(text)) {
    const v = Number(text);
    return Number.isSafeInteger(v) ? v : text;
  }
  if (INT_OCT.test(text)) return parseInt(text.slice(2), 8);
  if (INT_HEX.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT.test(text)) return Number(text);
  if (INF.test(text)) return text.charCodeAt(0) === 0x2d ? -Infinity : Infinity;
  if (NAN.test(text)) return NaN;
  return text;
}

/** Applies an explicit tag (`!!str`, `!!int`, ...) to a scalar's text; unknown tags keep the default. */
export function resolveTagged(tag: string, text: string, plainValue: ScalarValue): ScalarValue {
  switch (tag) {
    case '!':
    case '!!str':
      return text;
    case '!!null':
      return null;
    case '!!bool':
      return /^(true|True|TRUE)$/.test(text) ? true : /^(false|False|FALSE)$/.test(text) ? false : text;
    case '!!int':
    case '!!float': {
      const v = resolvePlain(text);
      return typeof v === 'number' ? v : text;
    }
    default:
      return plainValue;
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;

/**
 * Decodes the inside of a single-quoted scalar (between the quotes, exclusive): `''` is a quote,
 * line breaks fold to a space, empty lines to newlines. `map`, when given, receives the source
 * offset of every output character.
 */
export function decodeSingleQuoted(src: string, start: number, end: number, map?: number[]): string {
  let out = '';
  let i = start;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 0x27 && src.charCodeAt(i + 1) === 0x27) {
      out += "'";
      map?.push(i);
      i += 2;
    } else if (c === 0x0a || c === 0x0d) {
      i = foldBreak(
        src,
        i,
        end,
        (s, at) => {
          out += s;
          map?.push(at);
        },
        () => trimTrailing(),
      );
    } else {
      out += src[i];
      map?.push(i);
      i++;
    }
  }
  return out;

  function trimTrailing() {
    let k = out.length;
    while (k > 0 && isSpace(out.charCodeAt(k - 1))) k--;
    if (k < out.length) {
      out = out.slice(0, k);
      if (map) map.length = k;
    }
  }
}

/**
 * Folds a line break inside a quoted or plain multi-line scalar starting at `i` (a CR or LF):
 * trims trailing spaces already emitted, then emits one space for a single break or one newline
 * per empty line. Returns the offset after the leading whitespace of the next content line.
 */
function foldBreak(
  src: string,
  i: number,
  end: number,
  emit: (s: string, at: number) => void,
  trimTrailing: () => void,
): number {
  trimTrailing();
  const breakAt = i;
  let empties = 0;
  for (;;) {
    if (src.charCodeAt(i) === 0x0d && src.charCodeAt(i + 1) === 0x0a) i += 2;
    else i++;
    while (i < end && isSpace(src.charCodeAt(i))) i++;
    const c = src.charCodeAt(i);
    if (i < end && (c === 0x0a || c === 0x0d)) {
      empties++;
      continue;
    }
    break;
  }
  if (empties === 0) emit(' ', breakAt);
  else for (let k = 0; k < empties; k++) emit('\n', breakAt);
  return i;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

/**
 * Decodes the inside of a double-quoted scalar. Returns the text and the first bad escape, if
 * any (reported by the parser as an error; the escape is kept literally so nothing is lost).
 */
export function decodeDoubleQuoted(
  src: string,
  start: number,
  end: number,
  map?: number[],
): { text: string; badEscape?: number } {
  let out = '';
  let badEscape: number | undefined;
  let i = start;
  const trimTrailing = () => {
    let k = out.length;
    while (k > 0 && isSpace(out.charCodeAt(k - 1)) && (!map || src.charCodeAt(map[k - 1]) !== 0x5c)) k--;
    if (k < out.length) {
      out = out.slice(0, k);
      if (map) map.length = k;
    }
  };
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 0x5c) {
      const e = src[i + 1];
      if (e === '\n' || e === '\r') {
        // escaped line break: join lines without a space, skip the next line's indentation
        i += e === '\r' && src[i + 2] === '\n' ? 3 : 2;
        while (i < end && isSpace(src.charCodeAt(i))) i++;
        continue;
      }
      const simple = e !== undefined ? ESCAPES[e] : undefined;
      if (simple !== undefined) {
        out += simple;
        map?.push(i);
        i += 2;
        continue;
      }
      const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = width ? src.slice(i + 2, i + 2 + width) : '';
      if (width && hex.length === width && /^[0-9a-fA-F]+$/.test(hex)) {
        const cp = parseInt(hex, 16);
        const s = cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
        out += s;
        if (map) for (let k = 0; k < s.length; k++) map.push(i);
        i += 2 + width;
        continue;
      }
      if (badEscape === undefined) badEscape = i;
      out += '\\';
      map?.push(i);
      i++;
    } else if (c === 0x0a || c === 0x0d) {
      i = foldBreak(
        src,
        i,
        end,
        (s, at) => {
          out += s;
          map?.push(at);
        },
        trimTrailing,
      );
    } else {
      out += src[i];
      map?.push(i);
      i++;
    }
  }
  return { text: out, badEscape };
}

/**
 * Decodes a plain scalar that may span lines (`start`..`end` is its whole source extent, lines
 * already checked for indentation by the parser): lines are trimmed and folded.
 */
export function decodePlainMultiline(src: string, start: number, end: number, map?: number[]): string {
  let out = '';
  let i = start;
  const trimTrailing = () => {
    let k = out.length;
    while (k > 0 && isSpace(out.charCodeAt(k - 1))) k--;
    if (k < out.length) {
      out = out.slice(0, k);
      if (map) map.length = k;
    }
  };
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      i = foldBreak(
        src,
        i,
        end,
        (s, at) => {
          out += s;
          map?.push(at);
        },
        trimTrailing,
      );
    } else {
      out += src[i];
      map?.push(i);
      i++;
    }
  }
  trimTrailing();
  return out;
}

export interface BlockScalarHeader {
  literal: boolean;
  chomp: 'clip' | 'strip' | 'keep';
  /** Explicit indentation indicator (1-9), or 0 to detect. */
  indent: number;
}

/**
 * Decodes the content lines of a block scalar. `contentStart` is the offset of the first content
 * line (after the header's line break), `end` the end of the last line that belongs to it;
 * `indent` is the content indentation. Folding and chomping follow the spec: in folded scalars a
 * single break between two normal lines becomes a space, breaks next to more-indented lines and
 * empty lines are kept; chomping decides what happens to the final break and trailing empty lines.
 */
export function decodeBlockScalar(
  src: string,
  contentStart: number,
  end: number,
  indent: number,
  header: BlockScalarHeader,
  map?: number[],
): string {
  let out = '';
  const push = (s: string, at: number) => {
    out += s;
    if (map) for (let k = 0; k < s.length; k++) map.push(s.charCodeAt(k) === 0x0a ? at : at + k);
  };
  const newlines = (n: number, at: number) => {
    for (let k = 0; k < n; k++) push('\n', at);
  };
  let emptyLines = 0;
  let didReadContent = false;
  let atMoreIndented = false;
  let i = contentStart;
  while (i < end) {
    let lead = 0;
    while (lead < indent && i + lead < end && src.charCodeAt(i + lead) === 0x20) lead++;
    let lineEnd = i + lead;
    while (lineEnd < end && src.charCodeAt(lineEnd) !== 0x0a && src.charCodeAt(lineEnd) !== 0x0d) lineEnd++;
    const bodyStart = i + lead;
    const next =
      lineEnd < end
        ? src.charCodeAt(lineEnd) === 0x0d && src.charCodeAt(lineEnd + 1) === 0x0a
          ? lineEnd + 2
          : lineEnd + 1
        : lineEnd;
    if (bodyStart === lineEnd) {
      emptyLines++;
      i = next;
      continue;
    }
    const first = src.charCodeAt(bodyStart);
    if (header.literal) {
      newlines(didReadContent ? 1 + emptyLines : emptyLines, bodyStart);
    } else if (first === 0x20 || first === 0x09) {
      atMoreIndented = true;
      newlines(didReadContent ? 1 + emptyLines : emptyLines, bodyStart);
    } else if (atMoreIndented) {
      atMoreIndented = false;
      newlines(emptyLines + 1, bodyStart);
    } else if (emptyLines === 0) {
      if (didReadContent) push(' ', bodyStart - 1);
    } else {
      newlines(emptyLines, bodyStart);
    }
    push(src.slice(bodyStart, lineEnd), bodyStart);
    didReadContent = true;
    emptyLines = 0;
    i = next;
  }
  if (header.chomp === 'keep') newlines(didReadContent ? 1 + emptyLines : emptyLines, end);
  else if (header.chomp === 'clip' && didReadContent) newlines(1, end);
  return out;
}
