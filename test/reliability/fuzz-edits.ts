// The edits of the fuzz run: what admins type into a task sequence file (a character, a word, a
// line copied or deleted, an indent changed) mixed with what an attacker or a broken tool puts
// there (any Unicode, control characters, lines of megabytes, anchors and alias bombs, CRLF and
// lone CR, tags and directives, text pasted over the whole file). Each edit is a replacement of
// `[start, end)` of the text by `text`, never splitting a surrogate pair.

import { random } from '../helpers/seeded-random';

export { random };

export interface Edit {
  start: number;
  end: number;
  text: string;
}

const WORDS = [
  'sequence: ',
  'steps:',
  'group: ',
  'name: ',
  'action: ',
  'run: ',
  'with:',
  'when: ',
  'id: ',
  'disabled: true',
  'continueOnError: true',
  'timeout: 15m',
  'timeout: 999999999h',
  'successCodes: [0, 3010]',
  'retryCount: 3',
  'package: CM100077',
  'image: CM100042',
  'index: 3',
  'InstallPackage',
  'ApplyOperatingSystemImage',
  'RunTaskSequence',
  'RestartComputer',
  'SetTaskSequenceVariable',
  'Gather',
  'NoSuchAction',
  '%OSDisk%',
  '%_SMSTSInWinPE%',
  '%OSDComputerName%',
  '%',
  '_SMSTSInWinPE == "true"',
  'exists(OSDisk)',
  'not (A == "1" or B != "2")',
  'sequence: ./install-apps.tsq.yaml',
  'sequence: ../../etc/passwd',
  'sequence: C:\\Windows\\x.tsq.yaml',
  'CM100090',
  'catalog: x',
  'machine: y',
];

const YAML_SYNTAX = [
  ':',
  ': ',
  '-',
  '- ',
  '#',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  '|',
  '|-',
  '>',
  '>+',
  '&',
  '*',
  '!',
  '?',
  '? ',
  '@',
  '`',
  '\\',
  '\t',
  ' ',
  '  ',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '%TAG ! tag:x,2025:\n',
  '!!str ',
  '!!map ',
  '!custom ',
  '<<: ',
  '&a ',
  '*a',
  '&anchor1 ',
  '*anchor1',
];

const LINE_BREAKS = ['\n', '\r\n', '\r', '\n\n', '\u2028', '\u2029', '\u0085'];

const SNIPPETS = [
  '\n  - name: Added step\n    run: cmd.exe /c echo %OSDisk%\n',
  '\n  - group: Added group\n    steps:\n      - name: Inner\n        action: RestartComputer\n        with: { target: winpe }\n',
  '\n      - name: Child\n        action: RunTaskSequence\n        with: { sequence: ./install-apps.tsq.yaml }\n',
  '\nbase: &base { continueOnError: true, timeout: 5m }\n',
  '\n  - <<: *base\n    name: Merged\n    run: x\n',
  '\nbomb: &b0 [x, x, x, x, x, x, x, x, x, x]\nb1: &b1 [*b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0]\nb2: &b2 [*b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1]\nb3: [*b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2]\n',
  '\nself: &self { a: *self }\n',
  '\n  - name: "unterminated\n',
  '\n  - { name: flow step, run: \'y\', when: A == "1" }\n',
  '\n    description: |\n      literal\n\n      block\n',
  `\n${'  '.repeat(40)}- deep\n`,
  `\n${'['.repeat(200)}${']'.repeat(200)}\n`,
];

/** Unicode that editors hold: letters of other scripts, marks, spaces, direction marks, emoji. */
const UNICODE = [
  'é',
  'ß',
  'Ω',
  'Ж',
  'ع',
  'א',
  '中',
  '文',
  'ｱ',
  '한',
  'ñ',
  '\u0301',
  '\u20dd',
  '\u00a0',
  '\u2003',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u202e',
  '\u2066',
  '\u3000',
  '\ufff9',
  '\ufffd',
  '\u{1f600}',
  '\u{1f469}\u200d\u{1f4bb}',
  '\u{10ffff}',
  '\u{1d400}',
  '\u{e0041}',
];

/** Control characters (C0 without tab and line breaks, DEL, C1): YAML does not allow them in a file. */
const CONTROLS = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).filter((c) => !'\t\n\r'.includes(c)),
  '\u007f',
  '\u0080',
  '\u0099',
  '\u009f',
];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

/** A random code point of any plane, as text (no lone surrogates, no byte order mark). */
function anyCodePoint(rnd: () => number): string {
  const plane = rnd();
  const cp =
    plane < 0.6
      ? 0x20 + Math.floor(rnd() * (0xd800 - 0x20))
      : plane < 0.8
        ? 0xe000 + Math.floor(rnd() * 0x2000)
        : 0x10000 + Math.floor(rnd() * 0xfffff);
  return cp === 0xfeff ? 'x' : String.fromCodePoint(cp);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// U+FEFF at the start of a file is the byte order mark, which every reader drops, so the saved
// file would not hold the editor's text. NUL and the control characters YAML forbids stay in:
// the CLI and the server decide them alike (model/source.ts and parseDocument).
const LEFT_OUT = new Set(['\ufeff']);

function allowed(text: string): string {
  // A slice of the file may cut a surrogate pair; an editor's text never holds half of one.
  const out = text.replace(LONE_SURROGATE, '');
  return [...out].some((c) => LEFT_OUT.has(c)) ? [...out].filter((c) => !LEFT_OUT.has(c)).join('') : out;
}

/** Moves an offset off the middle of a surrogate pair (editors never split one). */
function onCodePoint(text: string, offset: number): number {
  const o = Math.max(0, Math.min(offset, text.length));
  const c = text.charCodeAt(o);
  return o > 0 && c >= 0xdc00 && c <= 0xdfff && text.charCodeAt(o - 1) >= 0xd800 && text.charCodeAt(o - 1) <= 0xdbff
    ? o - 1
    : o;
}

function lineBounds(text: string, offset: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const nl = text.indexOf('\n', offset);
  return { start: offset === 0 ? 0 : start, end: nl < 0 ? text.length : nl + 1 };
}

/** Options of the generator: how hostile, and how large a single insertion may be. */
export interface EditOptions {
  /** Share of edits that are hostile rather than typing (0..1). */
  hostility: number;
  /** Longest line of one insertion (characters). */
  longLine: number;
}

export const DEFAULT_EDIT_OPTIONS: EditOptions = { hostility: 0.35, longLine: 200_000 };

/** One random edit of `text`. */
export function randomEdit(text: string, rnd: () => number, options: EditOptions = DEFAULT_EDIT_OPTIONS): Edit {
  const at = onCodePoint(text, Math.floor(rnd() * (text.length + 1)));
  const edit = rnd() < options.hostility ? hostileEdit(text, at, rnd, options) : typingEdit(text, at, rnd);
  const start = onCodePoint(text, Math.min(edit.start, edit.end));
  const end = onCodePoint(text, Math.max(edit.start, edit.end));
  return { start, end, text: allowed(edit.text) };
}

function typingEdit(text: string, at: number, rnd: () => number): Edit {
  const r = rnd();
  if (r < 0.3)
    return {
      start: at,
      end: at,
      text: pick(rnd, [...'abcxyzABC0123456789 :-#%"\'{}[],.\n', '\n  ', '\n    ', '\n      ']),
    };
  if (r < 0.45) return { start: at, end: Math.min(text.length, at + 1 + Math.floor(rnd() * 3)), text: '' };
  if (r < 0.6) return { start: at, end: at, text: pick(rnd, WORDS) };
  if (r < 0.7) return { start: at, end: at, text: pick(rnd, YAML_SYNTAX) };
  const line = lineBounds(text, at);
  if (r < 0.78) return { start: line.start, end: line.start, text: text.slice(line.start, line.end) || '\n' }; // duplicate the line
  if (r < 0.85) return { start: line.start, end: line.end, text: '' }; // delete the line
  if (r < 0.93) {
    // Indent or outdent the line.
    const indent = /^[ \t]*/.exec(text.slice(line.start, line.end))![0].length;
    return rnd() < 0.5
      ? { start: line.start, end: line.start, text: pick(rnd, [' ', '  ', '    ', '\t']) }
      : { start: line.start, end: line.start + Math.min(indent, 1 + Math.floor(rnd() * 4)), text: '' };
  }
  return { start: at, end: at, text: pick(rnd, SNIPPETS) };
}

function hostileEdit(text: string, at: number, rnd: () => number, options: EditOptions): Edit {
  const r = rnd();
  if (r < 0.2)
    return {
      start: at,
      end: at,
      text: Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => pick(rnd, UNICODE)).join(''),
    };
  if (r < 0.35)
    return {
      start: at,
      end: at,
      text: Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => anyCodePoint(rnd)).join(''),
    };
  if (r < 0.45)
    return {
      start: at,
      end: at,
      text: Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(rnd, CONTROLS)).join(''),
    };
  if (r < 0.55) return { start: at, end: at, text: pick(rnd, LINE_BREAKS) };
  if (r < 0.62) {
    // A very long line: a value, a comment or a flow list that goes on.
    const n = Math.floor(rnd() * rnd() * options.longLine);
    const unit = pick(rnd, ['a', 'x: ', '# ', '%A%', '[', ', 1', '\u{1f600}', 'é']);
    return { start: at, end: at, text: unit.repeat(Math.max(1, Math.floor(n / unit.length))) };
  }
  if (r < 0.72) return { start: at, end: at, text: pick(rnd, SNIPPETS.slice(3, 8)) };
  if (r < 0.8) return { start: at, end: Math.min(text.length, at + Math.floor(rnd() * 400)), text: '' }; // a large deletion
  if (r < 0.86) {
    // Text moved: a slice of the file pasted elsewhere.
    const from = Math.floor(rnd() * (text.length + 1));
    return { start: at, end: at, text: text.slice(from, from + Math.floor(rnd() * 300)) };
  }
  if (r < 0.9) return { start: 0, end: text.length, text: text.slice(0, Math.floor(rnd() * text.length)) }; // all replaced by its start
  if (r < 0.95) return { start: at, end: at, text: pick(rnd, YAML_SYNTAX).repeat(1 + Math.floor(rnd() * 50)) };
  return {
    start: at,
    end: at,
    text: Array.from({ length: 5 + Math.floor(rnd() * 60) }, () =>
      rnd() < 0.5 ? pick(rnd, YAML_SYNTAX) : pick(rnd, WORDS),
    ).join(rnd() < 0.5 ? '\n' : ' '),
  };
}

/** Applies an edit to a text. */
export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}
