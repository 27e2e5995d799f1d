// Splits a condition into tokens. Never fails: anything it cannot read becomes an `invalid` token
// carrying a message for the admin, which the parser reports when it reaches it, so the first
// problem in reading order is the one shown.

import { scanString } from './literals';

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
function isWordChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 0x80)
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f ||
      code === 0x2e ||
      code === 0x2d
    );
  return WORD_CHAR.test(c);
}

function isSpace(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return SPACE_CHAR.test(c);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number, extra?: Partial<Token>) => {
    const token: Token = { kind, start, end, text: text.slice(start, end) };
    if (extra) Object.assign(token, extra);
    tokens.push(token);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(') push('lparen', i, ++i);
    else if (c === ')') push('rparen', i, ++i);
    else if (c === ',') push('comma', i, ++i);
    else if (c === '"') {
      const s = scanString(text, i);
      if (s.terminated) push('string', i, s.end, { value: s.value });
      else {
        const escapedClose = /\\"/.test(text.slice(i + 1));
        push('invalid', i, s.end, {
          message: 'This text has no closing `"`',
          hint: escapedClose
            ? 'A backslash right before `"` keeps the quote inside the text; end a value that ends in a backslash with `\\\\"`'
            : 'Close the text with a double quote',
        });
      }
      i = s.end;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close + 1;
      const inner = text.slice(i + 1, close < 0 ? text.length : close);
      push('invalid', i, end, {
        message: 'Use double quotes for text',
        hint: `Write "${inner}" instead of '${inner}'`,
      });
      i = end;
    } else if (c === '%') {
      let j = i + 1;
      while (j < text.length && isWordChar(text[j])) j++;
      if (j > i + 1 && text[j] === '%') {
        push('invalid', i, j + 1, { percentName: text.slice(i + 1, j) });
        i = j + 1;
      } else {
        push('invalid', i, i + 1, {
          message: 'Unexpected `%`',
          hint: 'Variables in a condition are written by name alone, e.g. `OSDComputerName == "PC01"`',
        });
        i++;
      }
    } else if (isWordChar(c)) {
      let j = i + 1;
      while (j < text.length && isWordChar(text[j])) j++;
      push('word', i, j);
      i = j;
    } else {
      const foreign = FOREIGN_OPERATORS.find(([op]) => text.startsWith(op, i));
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (foreign && (!op || foreign[0].length > op.length)) {
        push('invalid', i, i + foreign[0].length, { message: foreign[1], hint: foreign[2] });
        i += foreign[0].length;
      } else if (op) {
        push('op', i, i + op.length);
        i += op.length;
      } else {
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        push('invalid', i, i + ch.length, { message: `Unexpected character \`${ch}\`` });
        i += ch.length;
      }
    }
  }
  push('eof', text.length, text.length);
  return tokens;
}
