// The common form of a `when:` condition — checks of variables joined by `and` — read straight
// from its text, without tokens or a syntax tree. Two readers share this one reading: analysis's
// facts of a condition (semantics/condition-facts.ts: its mistakes, the variables it tests, what
// its top-level AND pins) and the simulator's compile (simulator/condition-program.ts lays the
// checks out flat for a run). A large sequence has tens of thousands of conditions, nearly all of
// this form and most of them distinct, so parsing each was most of the check before a run
// (docs/performance.md, "One reading of each condition").
//
// The parser (parse.ts) stays the reference: anything this does not take in full — other checks,
// `or`, `not`, parentheses, characters outside ASCII between values, every mistake — is refused
// here and parsed. For what this takes, the parser reads the same checks without a mistake
// (test/simulator/compiled-conditions.test.ts for the checks, test/unit/condition-facts.test.ts
// for the facts, both on generated conditions near this form).

import { closingQuote, isBareValue, scanString } from './literals';

/** Variable checks, as the simulator decides them (simulator/condition-program.ts `check`). */
export const EQUALS = 0,
  NOT_EQUALS = 1,
  LIKE = 2,
  EXISTS = 3,
  NOT_EXISTS = 4,
  GREATER = 5,
  GREATER_EQUAL = 6,
  LESS = 7,
  LESS_EQUAL = 8;

/**
 * Called for each check in text order: its operation (EQUALS ... LESS_EQUAL), where the variable's
 * name is in the text (from, to), and where its value is written (from, to: a literal with its
 * quotes, or a bare word; the two equal for EXISTS and NOT_EXISTS). The value is decoded only when
 * asked for (`checkValue`): whether a condition reads needs no value made.
 */
export type CheckVisitor = (
  operation: number,
  nameFrom: number,
  nameTo: number,
  valueFrom: number,
  valueTo: number,
) => void;

/** The value of a check `readChecks` reported written at [from, to), decoded as the parser decodes it ('' for none). */
export function checkValue(text: string, from: number, to: number): string {
  if (from === to) return '';
  return text.charCodeAt(from) === QUOTE ? scanString(text, from).value : text.slice(from, to);
}

/*
 * `isCheckList`'s pattern: exactly the texts `readChecks` takes, as one regular expression. V8 runs
 * a regular expression as native code from its second use, while `readChecks` runs in V8's
 * interpreter until it has been called often enough to be compiled: on the first check of a large
 * file (each condition asked about once or twice) that made reading 45,000 conditions 50 ms where
 * the pattern takes a fraction of it, and a condition that is not a check list is refused after a
 * few characters. The pieces, as `readChecks` reads them: spaces are ASCII's six; a word is ASCII
 * letters, digits, `_`, `.`, `-` and ends where they do (a name or keyword is always a whole word:
 * `(?![\w.-])`); a variable's name has no dot and is not `and`, `or` or `not`; `==` and `!=` are not
 * followed by another `=`, `<` not by `>`; a value is a double-quoted literal whose backslash
 * escapes only `"` and `\` (test/unit/condition-facts-check-list.test.ts compares the two on
 * generated texts).
 */
const SPACES = '[ \\t\\n\\v\\f\\r]*';
const WHOLE = '(?![A-Za-z0-9_.-])';
const NAME = `(?!(?:and|or|not)${WHOLE})[A-Za-z0-9_-]+${WHOLE}`;
const OPERATOR = `(?:==(?!=)|!=(?!=)|<=|<(?![=>])|>=|>|like${WHOLE})`;
const VALUE = `(?:"(?:[^"\\\\]|\\\\["\\\\]|\\\\(?!["\\\\]))*"|(?:-?[0-9]+(?:\\.[0-9]+)*|true|false)${WHOLE})`;
const CHECK = `(?:(?:exists|notexists)${SPACES}\\(${SPACES}${NAME}${SPACES}\\)|${NAME}${SPACES}${OPERATOR}${SPACES}${VALUE})`;
const CHECK_LIST = new RegExp(`^${SPACES}${CHECK}(?:${SPACES}and${WHOLE}${SPACES}${CHECK})*${SPACES}$`, 'i');

/** Whether `readChecks` takes `text` (without reading its checks: see CHECK_LIST). */
export function isCheckList(text: string): boolean {
  try {
    return CHECK_LIST.test(text);
  } catch (e) {
    // A condition of a million checks or more (a file of tens of megabytes) can outgrow the
    // pattern's backtracking stack (a RangeError): the reader takes such a text in one pass.
    if (!(e instanceof RangeError)) throw e;
    return readChecks(text, IGNORE_CHECK);
  }
}

const IGNORE_CHECK: CheckVisitor = () => undefined;

/** Character codes `readChecks` decides on. */
const SPACE = 0x20,
  TAB = 0x09,
  CR = 0x0d,
  QUOTE = 0x22,
  LPAREN = 0x28,
  RPAREN = 0x29,
  EQ = 0x3d,
  BANG = 0x21,
  LT = 0x3c,
  GT = 0x3e,
  DOT = 0x2e;

function isSpaceCode(c: number): boolean {
  return c === SPACE || (c >= TAB && c <= CR);
}

/** The ASCII characters the condition lexer puts in words (letters, digits, `_`, `.`, `-`). */
function isWordCode(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === DOT ||
    c === 0x2d
  );
}

/**
 * Reads a condition that is only checks of variables joined by `and` — `Var == "x"`, `Var like
 * "W%"`, the other comparisons, `exists(Var)`, `notExists(Var)`, values in double quotes or bare
 * numbers, `true` and `false` — calling `visit` for each check. False for any text it does not
 * take in full; `visit` may then have been called for the checks before the point where it gave up,
 * and the caller drops what it made of them.
 */
export function readChecks(text: string, visit: CheckVisitor): boolean {
  const n = text.length;
  let at = skipSpaces(text, 0);
  if (at >= n) return false;
  for (;;) {
    const nameFrom = at;
    const nameEnd = wordEnd(text, at);
    if (nameEnd === at) return false;
    at = skipSpaces(text, nameEnd);
    const c = at < n ? text.charCodeAt(at) : -1;
    let operation: number;
    let variableFrom = nameFrom,
      variableTo = nameEnd;
    let valueFrom = 0,
      valueTo = 0;
    if (c === LPAREN) {
      if (isWordAt(text, nameFrom, nameEnd, 'exists')) operation = EXISTS;
      else if (isWordAt(text, nameFrom, nameEnd, 'notexists')) operation = NOT_EXISTS;
      else return false;
      at = skipSpaces(text, at + 1);
      variableFrom = at;
      variableTo = wordEnd(text, at);
      if (variableTo === at) return false;
      at = skipSpaces(text, variableTo);
      if (at >= n || text.charCodeAt(at) !== RPAREN) return false;
      at++;
    } else {
      if (c < 0) return false;
      if (isWordCode(c)) {
        const end = wordEnd(text, at);
        if (!isWordAt(text, at, end, 'like')) return false;
        operation = LIKE;
        at = end;
      } else {
        const d = at + 1 < n ? text.charCodeAt(at + 1) : -1;
        const e = at + 2 < n ? text.charCodeAt(at + 2) : -1;
        // Spellings the lexer reads as other operators or as mistakes (`=`, `===`, `!==`, `<>`, `=>`) are the parser's.
        if (c === EQ && d === EQ && e !== EQ) operation = EQUALS;
        else if (c === BANG && d === EQ && e !== EQ) operation = NOT_EQUALS;
        else if (c === LT) operation = d === EQ ? LESS_EQUAL : d === GT ? -1 : LESS;
        else if (c === GT) operation = d === EQ ? GREATER_EQUAL : GREATER;
        else return false;
        if (operation < 0) return false;
        at +=
          operation === EQUALS || operation === NOT_EQUALS || operation === LESS_EQUAL || operation === GREATER_EQUAL
            ? 2
            : 1;
      }
      at = skipSpaces(text, at);
      if (at >= n) return false;
      valueFrom = at;
      if (text.charCodeAt(at) === QUOTE) {
        const close = closingQuote(text, at);
        if (close < 0) return false;
        at = close + 1;
      } else {
        const end = wordEnd(text, at);
        if (end === at || !isBareValue(text.slice(at, end))) return false;
        at = end;
      }
      valueTo = at;
    }
    if (!isVariableWord(text, variableFrom, variableTo)) return false;
    visit(operation, variableFrom, variableTo, valueFrom, valueTo);
    at = skipSpaces(text, at);
    if (at >= n) return true;
    const joinEnd = wordEnd(text, at);
    if (!isWordAt(text, at, joinEnd, 'and')) return false;
    at = skipSpaces(text, joinEnd);
  }
}

function skipSpaces(text: string, at: number): number {
  while (at < text.length && isSpaceCode(text.charCodeAt(at))) at++;
  return at;
}

/** Where the word starting at `at` ends (`at` itself when none starts there). */
function wordEnd(text: string, at: number): number {
  while (at < text.length && isWordCode(text.charCodeAt(at))) at++;
  return at;
}

/** Whether `text.slice(from, to)` is `lower` (a lower-case ASCII word) ignoring case. */
function isWordAt(text: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((text.charCodeAt(from + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** A variable name the parser takes in a check: letters, digits, `_`, `-` (no dots), and not a word of the language. */
function isVariableWord(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === DOT) return false;
  return !isWordAt(text, from, to, 'and') && !isWordAt(text, from, to, 'or') && !isWordAt(text, from, to, 'not');
}
