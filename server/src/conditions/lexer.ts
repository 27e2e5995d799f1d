// Splits a condition into tokens. Never fails: anything it cannot read becomes an `invalid` token
// carrying a message for the admin, which the parser reports when it reaches it, so the first
// problem in reading order is the one shown.
//
// Two views of the same scan. `tokenize` gives a list of Token objects, for the editor's few
// tokens around the cursor. `scanTokens` gives the parser `ConditionTokens`: each token's kind and
// offsets into the condition text, kept in two scratch arrays that every scan reuses, and its text
// or decoded value only when asked. A long sequence has tens of thousands of conditions of a few
// dozen tokens each, parsed once each: an object and a text copy per token were a third of all
// the memory an open of the `long-conditions` bench shape allocated (docs/performance.md,
// "Conditions without token objects"). The price is the scratch: a `ConditionTokens` is good until
// the next scan, so it is read to the end (by one parse) before anything scans again.

import { closingQuote, scanString } from './literals';

export type TokenKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'invalid' | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Source text of the token. */
  text: string;
  /** For strings: the decoded value. */
  value?: string;
  /** For invalid tokens: what is wrong and how to fix it. */
  message?: string;
  hint?: string;
  /** For `%Name%` tokens: the name between the percent signs. */
  percentName?: string;
}

/** What an `invalid` token says (at most one of `message` and `percentName` is set). */
export interface TokenProblem {
  message?: string;
  hint?: string;
  percentName?: string;
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '='];

/** Operators people bring from other languages, with the word to use instead. */
const FOREIGN_OPERATORS: [string, string, string][] = [
  ['===', 'Use `==` to compare', 'Conditions compare with `==`'],
  ['!==', 'Use `!=` to compare', 'Conditions compare with `!=`'],
  ['<>', 'Use `!=` for "not equal"', 'Conditions write "not equal" as `!=`'],
  ['=>', 'Use `>=` for "greater or equal"', 'Write the `>` before the `=`'],
  ['=<', 'Use `<=` for "less or equal"', 'Write the `<` before the `=`'],
  ['&&', 'Use `and` instead of `&&`', 'Conditions join checks with the words `and`, `or` and `not`'],
  ['||', 'Use `or` instead of `||`', 'Conditions join checks with the words `and`, `or` and `not`'],
  ['&', 'Use `and` instead of `&`', 'Conditions join checks with the words `and`, `or` and `not`'],
  ['|', 'Use `or` instead of `|`', 'Conditions join checks with the words `and`, `or` and `not`'],
  ['!', 'Use `not` instead of `!`', 'Write `not exists(Var)` or `Var != "x"`'],
];

const WORD_CHAR = /[\p{L}\p{N}_.-]/u;
const SPACE_CHAR = /\s/;

// ASCII is decided by code; other characters by the Unicode classes (a long sequence has
// thousands of conditions, and a regular expression per character was most of their cost).
function isWordCode(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 0x80)
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f ||
      code === 0x2e ||
      code === 0x2d
    );
  return WORD_CHAR.test(text[i]);
}

function isSpaceCode(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return SPACE_CHAR.test(text[i]);
}

const KINDS: readonly TokenKind[] = ['word', 'string', 'op', 'lparen', 'rparen', 'comma', 'invalid', 'eof'];
const WORD = 0;
const STRING = 1;
const OP = 2;
const LPAREN = 3;
const RPAREN = 4;
const COMMA = 5;
const INVALID = 6;
const EOF = 7;

/** The scratch every scan writes: token i's kind at kinds[i], its offsets at bounds[2i], bounds[2i + 1]. */
let kinds = new Uint8Array(64);
let bounds = new Int32Array(128);

/** The tokens of one condition, read from the scratch (see the header: good until the next scan). */
export class ConditionTokens {
  /** How many tokens, the closing `eof` included. */
  count = 0;
  /** What each `invalid` token says, by token index; made only when a condition has one. */
  private problems?: Map<number, TokenProblem>;
  // The scratch arrays as fields: read for every token, faster than the module's variables.
  private kinds = kinds;
  private bounds = bounds;

  constructor(readonly source: string) {}

  kind(i: number): TokenKind {
    return KINDS[this.kinds[i]];
  }

  start(i: number): number {
    return this.bounds[2 * i];
  }

  end(i: number): number {
    return this.bounds[2 * i + 1];
  }

  /** The token as written (a new string each call: for messages and the few values kept). */
  text(i: number): string {
    return this.source.slice(this.bounds[2 * i], this.bounds[2 * i + 1]);
  }

  /** True for a `word` token that is `lower` in any case (`lower` is in lower case). */
  isWord(i: number, lower: string): boolean {
    if (this.kinds[i] !== WORD) return false;
    const start = this.bounds[2 * i];
    const length = this.bounds[2 * i + 1] - start;
    // Lower-casing keeps the length of every letter but `İ`, which becomes two (`i` and a dot above).
    if (length !== lower.length) return false;
    const text = this.source;
    for (let k = 0; k < length; k++) {
      const code = text.charCodeAt(start + k);
      // Other letters may lower-case to ASCII (the Kelvin sign is a `k`): let the language decide.
      if (code >= 0x80) return this.text(i).toLowerCase() === lower;
      if ((code >= 0x41 && code <= 0x5a ? code + 0x20 : code) !== lower.charCodeAt(k)) return false;
    }
    return true;
  }

  /** The decoded value of a terminated `string` token. */
  stringValue(i: number): string {
    return scanString(this.source, this.bounds[2 * i]).value;
  }

  /** The symbol of an `op` token, as one of the shared operator strings. */
  operator(i: number): string {
    const start = this.bounds[2 * i];
    const length = this.bounds[2 * i + 1] - start;
    for (const o of OPERATORS) if (o.length === length && this.source.startsWith(o, start)) return o;
    throw new Error(`token ${i} is not an operator`);
  }

  /** What an `invalid` token says. */
  problem(i: number): TokenProblem {
    return this.problems?.get(i) ?? {};
  }

  /** Appends a token (the scan's own use). */
  add(kind: number, start: number, end: number, problem?: TokenProblem): void {
    const i = this.count++;
    if (i === this.kinds.length) {
      kinds = new Uint8Array(2 * i);
      kinds.set(this.kinds);
      this.kinds = kinds;
      bounds = new Int32Array(4 * i);
      bounds.set(this.bounds);
      this.bounds = bounds;
    }
    this.kinds[i] = kind;
    this.bounds[2 * i] = start;
    this.bounds[2 * i + 1] = end;
    if (problem) (this.problems ??= new Map()).set(i, problem);
  }
}

/** `list`'s entries by their first character, in list order: what may be written at a character. */
function byFirstCharacter<T>(list: readonly T[], symbol: (entry: T) => string): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const entry of list) {
    const first = symbol(entry).charCodeAt(0);
    out.set(first, [...(out.get(first) ?? []), entry]);
  }
  return out;
}

const OPERATORS_AT = byFirstCharacter(OPERATORS, (o) => o);
const FOREIGN_AT = byFirstCharacter(FOREIGN_OPERATORS, ([o]) => o);

/** The first of OPERATORS written at `at` (the longest, as the list puts longer ones first). */
function operatorAt(text: string, at: number): string | undefined {
  const candidates = OPERATORS_AT.get(text.charCodeAt(at));
  if (candidates) for (const o of candidates) if (text.startsWith(o, at)) return o;
  return undefined;
}

/** The first of FOREIGN_OPERATORS written at `at`. */
function foreignOperatorAt(text: string, at: number): [string, string, string] | undefined {
  const candidates = FOREIGN_AT.get(text.charCodeAt(at));
  if (candidates) for (const entry of candidates) if (text.startsWith(entry[0], at)) return entry;
  return undefined;
}

/** Scans `text` into the scratch; the result is good until the next scan (see the header). */
export function scanTokens(text: string): ConditionTokens {
  const tokens = new ConditionTokens(text);
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpaceCode(text, i)) {
      i++;
      continue;
    }
    if (c === 0x28 /* ( */) tokens.add(LPAREN, i, ++i);
    else if (c === 0x29 /* ) */) tokens.add(RPAREN, i, ++i);
    else if (c === 0x2c /* , */) tokens.add(COMMA, i, ++i);
    else if (c === 0x22 /* " */) {
      const close = closingQuote(text, i);
      if (close >= 0) {
        tokens.add(STRING, i, close + 1);
        i = close + 1;
      } else {
        const escapedClose = /\\"/.test(text.slice(i + 1));
        tokens.add(INVALID, i, text.length, {
          message: 'This text has no closing `"`',
          hint: escapedClose
            ? 'A backslash right before `"` keeps the quote inside the text; end a value that ends in a backslash with `\\\\"`'
            : 'Close the text with a double quote',
        });
        i = text.length;
      }
    } else if (c === 0x27 /* ' */) {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close + 1;
      const inner = text.slice(i + 1, close < 0 ? text.length : close);
      tokens.add(INVALID, i, end, {
        message: 'Use double quotes for text',
        hint: `Write "${inner}" instead of '${inner}'`,
      });
      i = end;
    } else if (c === 0x25 /* % */) {
      let j = i + 1;
      while (j < text.length && isWordCode(text, j)) j++;
      if (j > i + 1 && text.charCodeAt(j) === 0x25) {
        tokens.add(INVALID, i, j + 1, { percentName: text.slice(i + 1, j) });
        i = j + 1;
      } else {
        tokens.add(INVALID, i, i + 1, {
          message: 'Unexpected `%`',
          hint: 'Variables in a condition are written by name alone, e.g. `OSDComputerName == "PC01"`',
        });
        i++;
      }
    } else if (isWordCode(text, i)) {
      let j = i + 1;
      while (j < text.length && isWordCode(text, j)) j++;
      tokens.add(WORD, i, j);
      i = j;
    } else {
      const foreign = foreignOperatorAt(text, i);
      const op = operatorAt(text, i);
      if (foreign && (!op || foreign[0].length > op.length)) {
        tokens.add(INVALID, i, i + foreign[0].length, { message: foreign[1], hint: foreign[2] });
        i += foreign[0].length;
      } else if (op) {
        tokens.add(OP, i, i + op.length);
        i += op.length;
      } else {
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        tokens.add(INVALID, i, i + ch.length, { message: `Unexpected character \`${ch}\`` });
        i += ch.length;
      }
    }
  }
  tokens.add(EOF, text.length, text.length);
  return tokens;
}

/** The tokens of `text` as objects, each with its text (and value, or problem). */
export function tokenize(text: string): Token[] {
  const scanned = scanTokens(text);
  const out: Token[] = [];
  for (let i = 0; i < scanned.count; i++) {
    const token: Token = { kind: scanned.kind(i), start: scanned.start(i), end: scanned.end(i), text: scanned.text(i) };
    if (token.kind === 'string') token.value = scanned.stringValue(i);
    else if (token.kind === 'invalid') Object.assign(token, scanned.problem(i));
    out.push(token);
  }
  return out;
}
