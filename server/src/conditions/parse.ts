// Reads a `when:` condition into its syntax tree. Recursive descent with precedence
// not > and > or. Each unparenthesised chain of `and` (or `or`) operands becomes one operator
// node; parentheses start a new one, which is how text tells apart `<operator type="and">` nested
// in another and. At the top, an unparenthesised `and` chain is the `<condition>` element's own
// implicit AND. The parser stops at the first problem and reports it with its exact range and a
// hint; it never throws and refuses nesting deeper than MAX_CONDITION_DEPTH.

import {
  MAX_CONDITION_DEPTH,
  type CheckNode,
  type ComparisonOperator,
  type ConditionExpr,
  type ConditionRoot,
  type Literal,
  type Platform,
  type PlatformTest,
  type PropertyTest,
  type VariableComparison,
  type VariableOperator,
} from './ast';
import type { CmVariable } from './cmcondition';
import { suggest } from '../util/suggest';
import { scanTokens, type ConditionTokens, type TokenKind } from './lexer';
import { isBareValue } from './literals';
import { isLcid, isRegistryType, isVariableName, registryKeyProblem } from './validate';
import {
  comparisonOperators,
  conditionFunctions,
  findFunction,
  registryTypes,
  type ConditionFunction,
  type FunctionOption,
} from './vocabulary';

export interface ConditionError {
  /** Offsets into the condition text, [start, end). */
  start: number;
  end: number;
  message: string;
  hint?: string;
}

export interface ParseResult {
  /** Present when the condition was read without errors. */
  ast?: ConditionRoot;
  errors: ConditionError[];
}

export function parseCondition(text: string): ParseResult {
  // One parse reads the scan to the end before anything scans again (lexer.ts).
  const tokens = scanTokens(text);
  try {
    return { ast: new Parser(tokens).parseRoot(text), errors: [] };
  } catch (e) {
    if (e instanceof ParseFailure) return { errors: [explainEscapedQuote(e.error, tokens)] };
    // A bug of ours must not take the editor down: report it on the whole condition.
    return {
      errors: [
        { start: 0, end: text.length, message: 'tsq could not read this condition (internal error)', hint: String(e) },
      ],
    };
  }
}

/**
 * `"C:\Temp\"` is the classic trap of backslash escapes: the quote is kept inside the text, the
 * value runs on, and the error shows up later. When an error follows such a string, say so.
 */
function explainEscapedQuote(error: ConditionError, tokens: ConditionTokens): ConditionError {
  let culprit = false;
  for (let t = 0; t < tokens.count && !culprit; t++) {
    const kind = tokens.kind(t);
    culprit = (kind === 'string' || kind === 'invalid') && tokens.start(t) < error.start && /\\"/.test(tokens.text(t));
  }
  if (!culprit) return error;
  const trap =
    'Note that a backslash right before `"` keeps the quote inside the text, so an earlier value may run on ' +
    'further than meant; to end a value with a backslash, double it: "C:\\Temp\\\\"';
  return { ...error, hint: error.hint ? `${error.hint}. ${trap}` : trap };
}

class ParseFailure {
  constructor(readonly error: ConditionError) {}
}

interface AndChain {
  operands: ConditionExpr[];
  start: number;
  end: number;
}

/** Tokens are indices into the parser's ConditionTokens. */
type Token = number;

type Arg =
  | { kind: 'positional'; token: Token; literal: Literal; bare: boolean }
  | { kind: 'named'; key: Token; name: string; op: Token; value: Literal; start: number; end: number };

const TOO_DEEP = `The condition is nested too deeply (more than ${MAX_CONDITION_DEPTH} levels)`;
const COMPARE_SYMBOLS = new Map<string, ComparisonOperator>(comparisonOperators.map((o) => [o.symbol, o.operator]));
const QUOTE_HINT = 'Text values are written in double quotes, e.g. "true"';

class Parser {
  private i = 0;

  constructor(private readonly tokens: ConditionTokens) {}

  private peek(ahead = 0): Token {
    return Math.min(this.i + ahead, this.tokens.count - 1);
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.count - 1) this.i++;
    return t;
  }

  private previousEnd(): number {
    return this.i > 0 ? this.tokens.end(this.i - 1) : 0;
  }

  private kind(t: Token): TokenKind {
    return this.tokens.kind(t);
  }

  private text(t: Token): string {
    return this.tokens.text(t);
  }

  private isWord(t: Token, word: string): boolean {
    return this.tokens.isWord(t, word);
  }

  /** A word that joins or negates checks, in any case. */
  private isKeyword(t: Token): boolean {
    return this.isWord(t, 'and') || this.isWord(t, 'or') || this.isWord(t, 'not');
  }

  /** The decoded value of a `string` token, or a bare word's text. */
  private literal(t: Token): Literal {
    const tokens = this.tokens;
    const value = this.kind(t) === 'string' ? tokens.stringValue(t) : tokens.text(t);
    return { value, start: tokens.start(t), end: tokens.end(t) };
  }

  private fail(start: number, end: number, message: string, hint?: string): never {
    throw new ParseFailure(hint === undefined ? { start, end, message } : { start, end, message, hint });
  }

  private failAt(t: Token, message: string, hint?: string): never {
    return this.fail(this.tokens.start(t), this.tokens.end(t), message, hint);
  }

  /** Reports an invalid token with the lexer's message (or a `%Name%` explanation). */
  private failInvalid(t: Token): never {
    const problem = this.tokens.problem(t);
    if (problem.percentName !== undefined) {
      return this.failAt(
        t,
        `Write the variable name without percent signs: \`${problem.percentName}\``,
        '`%Name%` reads a variable inside step text; in a condition the bare name already means the variable',
      );
    }
    return this.failAt(t, problem.message ?? `Unexpected \`${this.text(t)}\``, problem.hint);
  }

  /** True for an `invalid` token that is a `%Name%`. */
  private isPercentName(t: Token): boolean {
    return this.kind(t) === 'invalid' && this.tokens.problem(t).percentName !== undefined;
  }

  private expectedCheck(t: Token): never {
    if (this.kind(t) === 'invalid') this.failInvalid(t);
    const before = this.i > 0 ? this.i - 1 : undefined;
    const beforeKind = before === undefined ? undefined : this.kind(before);
    const where =
      before !== undefined && (beforeKind === 'word' || beforeKind === 'lparen' || beforeKind === 'comma')
        ? ` after \`${this.text(before)}\``
        : '';
    const found = this.kind(t) === 'eof' ? '' : `, found \`${this.text(t)}\``;
    return this.failAt(
      t,
      `Expected a check${where}${found}`,
      'A check is e.g. `Var == "x"`, `exists(Var)` or `fileExists("C:\\path")`',
    );
  }

  parseRoot(text: string): ConditionRoot {
    const first = this.peek();
    if (this.kind(first) === 'eof') {
      this.fail(
        0,
        text.length,
        'The condition is empty',
        'Write a check such as `_SMSTSInWinPE == "true"`, or remove `when:`',
      );
    }
    const chains = this.parseOrChains(0);
    const rest = this.peek();
    const restKind = this.kind(rest);
    if (restKind !== 'eof') {
      if (restKind === 'invalid') this.failInvalid(rest);
      if (restKind === 'rparen') this.failAt(rest, 'This `)` has no matching `(`');
      this.failAt(
        rest,
        `Expected \`and\`, \`or\` or the end of the condition, found \`${this.text(rest)}\``,
        'Join checks with `and` or `or`',
      );
    }
    const children = chains.length === 1 ? chains[0].operands : [this.orOf(chains)];
    return { kind: 'condition', children, start: this.tokens.start(first), end: this.previousEnd() };
  }

  private parseOr(depth: number): ConditionExpr {
    return this.orOf(this.parseOrChains(depth));
  }

  private orOf(chains: AndChain[]): ConditionExpr {
    if (chains.length === 1) return this.andOf(chains[0]);
    return {
      kind: 'or',
      children: chains.map((c) => this.andOf(c)),
      start: chains[0].start,
      end: chains[chains.length - 1].end,
    };
  }

  private andOf(chain: AndChain): ConditionExpr {
    if (chain.operands.length === 1) return chain.operands[0];
    return { kind: 'and', children: chain.operands, start: chain.start, end: chain.end };
  }

  private parseOrChains(depth: number): AndChain[] {
    const chains = [this.parseAndChain(depth)];
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      chains.push(this.parseAndChain(depth));
    }
    return chains;
  }

  private parseAndChain(depth: number): AndChain {
    const start = this.tokens.start(this.peek());
    const operands = [this.parseUnary(depth)];
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      operands.push(this.parseUnary(depth));
    }
    return { operands, start, end: this.previousEnd() };
  }

  private parseUnary(depth: number): ConditionExpr {
    const t = this.peek();
    if (!this.isWord(t, 'not')) return this.parsePrimary(depth);
    if (depth >= MAX_CONDITION_DEPTH) this.failAt(t, TOO_DEEP);
    this.next();
    const operand = this.parseUnary(depth + 1);
    return { kind: 'not', children: [operand], start: this.tokens.start(t), end: this.previousEnd() };
  }

  private parsePrimary(depth: number): ConditionExpr {
    const t = this.peek();
    switch (this.kind(t)) {
      case 'lparen': {
        if (depth >= MAX_CONDITION_DEPTH) this.failAt(t, TOO_DEEP);
        this.next();
        const inner = this.parseOr(depth + 1);
        const close = this.peek();
        const closeKind = this.kind(close);
        if (closeKind === 'rparen') {
          this.next();
          return inner;
        }
        if (closeKind === 'invalid') this.failInvalid(close);
        if (closeKind === 'eof') this.failAt(t, 'This `(` is never closed', 'Add a `)` at the end of the group');
        return this.failAt(close, `Expected \`)\`, \`and\` or \`or\`, found \`${this.text(close)}\``);
      }
      case 'word':
        if (this.isWord(t, 'and') || this.isWord(t, 'or')) this.expectedCheck(t);
        if (this.kind(this.peek(1)) === 'lparen') return this.parseCall(depth, false);
        return this.parseComparison();
      case 'string':
        return this.failAt(
          t,
          'A comparison starts with the variable name',
          `Put the variable first, e.g. \`Var == ${this.text(t)}\``,
        );
      default:
        return this.expectedCheck(t);
    }
  }

  private parseComparison(): VariableComparison {
    const nameTok = this.next();
    const name = this.text(nameTok);
    if (!isVariableName(name)) {
      this.failAt(
        nameTok,
        `\`${name}\` is not a valid variable name`,
        'Variable names use letters, digits, `_` and `-`',
      );
    }
    const opTok = this.peek();
    const opKind = this.kind(opTok);
    let operator: VariableOperator | undefined;
    if (this.isWord(opTok, 'like')) operator = 'like';
    else if (opKind === 'op') {
      const symbol = this.tokens.operator(opTok);
      if (symbol === '=') this.failAt(opTok, 'Use `==` to compare', `Write \`${name} == "value"\``);
      operator = COMPARE_SYMBOLS.get(symbol);
    } else if (opKind === 'invalid' && !this.isPercentName(opTok)) this.failInvalid(opTok);
    if (!operator) {
      this.failAt(
        nameTok,
        `\`${name}\` needs a comparison, such as \`${name} == "value"\``,
        `To test only that the variable is set, write \`exists(${name})\``,
      );
    }
    this.next();
    const value = this.parseValue(opTok);
    const start = this.tokens.start(nameTok);
    return {
      kind: 'compare',
      variable: { name, start, end: this.tokens.end(nameTok) },
      operator,
      value,
      start,
      end: value.end,
    };
  }

  /** The value after a comparison operator (or an option's `=`). */
  private parseValue(opTok: Token): Literal {
    const t = this.peek();
    const kind = this.kind(t);
    if (kind === 'string' || (kind === 'word' && isBareValue(this.text(t)))) {
      this.next();
      return this.literal(t);
    }
    if (kind === 'word' && !this.isKeyword(t)) {
      const text = this.text(t);
      this.failAt(
        t,
        `Put \`${text}\` in double quotes: "${text}"`,
        'Values are fixed text in double quotes; a condition cannot compare two variables',
      );
    }
    if (this.isPercentName(t)) {
      const text = this.text(t);
      this.failAt(
        t,
        `A condition compares with fixed text, not with the variable \`${text}\``,
        `To compare with the literal text, write "${text}"`,
      );
    }
    if (kind === 'invalid') this.failInvalid(t);
    return this.failAt(t, `Expected a value after \`${this.text(opTok)}\``, QUOTE_HINT);
  }

  private parseCall(depth: number, insidePlatform: boolean): ConditionExpr {
    const nameTok = this.next();
    const open = this.next();
    const fn = findFunction(this.text(nameTok));
    if (!fn) this.unknownFunction(nameTok);
    if (insidePlatform && ['all', 'any', 'none', 'osVersion', 'platform'].includes(fn.name)) {
      this.failAt(
        nameTok,
        `\`${fn.name}(...)\` cannot go inside \`platform(...)\``,
        'A platform holds single checks such as wmi("...")',
      );
    }
    let node: ConditionExpr;
    switch (fn.name) {
      case 'exists':
      case 'notExists':
        node = this.parseExists(fn, nameTok, open);
        break;
      case 'all':
      case 'any':
      case 'none':
        node = this.parseGroupCall(fn, nameTok, open, depth);
        break;
      case 'osVersion':
        node = this.parseOsVersion(fn, nameTok, open);
        break;
      case 'platform':
        return this.failAt(nameTok, '`platform(...)` can only be used inside `osVersion(...)`');
      default:
        node = this.buildLeaf(fn, nameTok, this.parseArgs(fn, nameTok, open));
    }
    if (node.kind !== 'registry') this.rejectComparison(fn);
    return node;
  }

  private unknownFunction(nameTok: Token): never {
    const name = this.text(nameTok);
    const suggestion = closest(
      name,
      conditionFunctions.map((f) => f.name),
    );
    return this.failAt(
      nameTok,
      `Unknown function \`${name}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`,
      `Known functions: ${conditionFunctions
        .filter((f) => f.name !== 'platform' && f.name !== 'expression')
        .map((f) => f.name)
        .join(', ')}`,
    );
  }

  private unclosedCall(fn: ConditionFunction, nameTok: Token, open: Token): never {
    return this.fail(
      this.tokens.start(nameTok),
      this.tokens.end(open),
      `\`${fn.name}(\` is never closed`,
      `Add a \`)\`, e.g. ${fn.signature}`,
    );
  }

  /** A check such as `fileExists(...)` cannot be followed by `== "x"`; say so clearly. */
  private rejectComparison(fn: ConditionFunction): void {
    const t = this.peek();
    if (this.kind(t) !== 'op' && !this.isWord(t, 'like')) return;
    const hints: Record<string, string> = {
      fileExists: 'To test the version, write fileExists("...", version >= "1.0")',
      folderExists: 'To test the timestamp, write folderExists("...", date >= "20240101000000.000000+000")',
      registryExists: 'To compare the data, write registry("KEY", "Value") == "1"',
      registryNotExists: 'To compare the data, write registry("KEY", "Value") == "1"',
      exists: `To compare the value, write \`Var == "x"\``,
      notExists: `To compare the value, write \`Var == "x"\``,
    };
    this.failAt(t, `\`${fn.name}(...)\` is a check by itself and cannot be compared`, hints[fn.name]);
  }

  private parseExists(fn: ConditionFunction, nameTok: Token, open: Token): CheckNode {
    const arg = this.peek();
    const argKind = this.kind(arg);
    if (argKind === 'string') {
      this.failAt(arg, 'Write the variable name without quotes', `e.g. ${fn.name}(${this.tokens.stringValue(arg)})`);
    }
    if (argKind === 'invalid') this.failInvalid(arg);
    if (argKind !== 'word') {
      if (argKind === 'eof') this.unclosedCall(fn, nameTok, open);
      this.failAt(arg, `\`${fn.name}\` needs a variable name, e.g. ${fn.name}(OSDComputerName)`);
    }
    const name = this.text(arg);
    if (!isVariableName(name)) {
      this.failAt(arg, `\`${name}\` is not a valid variable name`, 'Variable names use letters, digits, `_` and `-`');
    }
    this.next();
    const close = this.peek();
    const closeKind = this.kind(close);
    if (closeKind === 'comma') {
      this.failAt(
        close,
        `\`${fn.name}\` takes one variable name`,
        'To test several variables, join the checks with `and`',
      );
    }
    if (closeKind === 'eof') this.unclosedCall(fn, nameTok, open);
    if (closeKind !== 'rparen') this.failAt(close, `Expected \`)\` after \`${name}\`, found \`${this.text(close)}\``);
    this.next();
    return {
      kind: 'exists',
      variable: { name, start: this.tokens.start(arg), end: this.tokens.end(arg) },
      negated: fn.name === 'notExists',
      start: this.tokens.start(nameTok),
      end: this.tokens.end(close),
    };
  }

  private parseGroupCall(fn: ConditionFunction, nameTok: Token, open: Token, depth: number): ConditionExpr {
    if (depth >= MAX_CONDITION_DEPTH) this.failAt(nameTok, TOO_DEEP);
    const children: ConditionExpr[] = [];
    if (this.kind(this.peek()) !== 'rparen') {
      for (;;) {
        children.push(this.parseOr(depth + 1));
        const t = this.peek();
        const kind = this.kind(t);
        if (kind === 'comma') {
          this.next();
          continue;
        }
        if (kind === 'rparen') break;
        if (kind === 'invalid') this.failInvalid(t);
        if (kind === 'eof') this.unclosedCall(fn, nameTok, open);
        this.failAt(t, `Expected \`,\`, \`)\`, \`and\` or \`or\`, found \`${this.text(t)}\``);
      }
    }
    const close = this.next();
    const kind = fn.name === 'all' ? 'and' : fn.name === 'any' ? 'or' : 'not';
    return { kind, children, start: this.tokens.start(nameTok), end: this.tokens.end(close) };
  }

  private parseOsVersion(fn: ConditionFunction, nameTok: Token, open: Token): CheckNode {
    const platforms: Platform[] = [];
    for (;;) {
      const t = this.peek();
      const kind = this.kind(t);
      if (kind === 'string') {
        this.next();
        const name = this.literal(t);
        platforms.push({ name, tests: [], start: name.start, end: name.end });
      } else if (this.isWord(t, 'platform') && this.kind(this.peek(1)) === 'lparen') {
        platforms.push(this.parsePlatform());
      } else if (kind === 'rparen' && platforms.length === 0) {
        // An empty group is odd but ConfigMgr can store it; the linter, not the parser, objects.
      } else if (kind === 'eof') {
        this.unclosedCall(fn, nameTok, open);
      } else if (kind === 'invalid') {
        this.failInvalid(t);
      } else {
        this.failAt(t, 'List platforms by name in double quotes', `e.g. ${fn.signature}`);
      }
      const sep = this.next();
      const sepKind = this.kind(sep);
      if (sepKind === 'rparen')
        return { kind: 'osVersion', platforms, start: this.tokens.start(nameTok), end: this.tokens.end(sep) };
      if (sepKind === 'eof') this.unclosedCall(fn, nameTok, open);
      if (sepKind !== 'comma') this.failAt(sep, `Expected \`,\` or \`)\`, found \`${this.text(sep)}\``);
    }
  }

  private parsePlatform(): Platform {
    const fn = findFunction('platform')!;
    const nameTok = this.next();
    const open = this.next();
    const first = this.peek();
    if (this.kind(first) !== 'string') {
      if (this.kind(first) === 'eof') this.unclosedCall(fn, nameTok, open);
      this.failAt(first, '`platform` starts with the platform name in double quotes', `e.g. ${fn.signature}`);
    }
    this.next();
    const name = this.literal(first);
    const tests: PlatformTest[] = [];
    for (;;) {
      const sep = this.next();
      const sepKind = this.kind(sep);
      if (sepKind === 'rparen') return { name, tests, start: this.tokens.start(nameTok), end: this.tokens.end(sep) };
      if (sepKind === 'eof') this.unclosedCall(fn, nameTok, open);
      if (sepKind !== 'comma') this.failAt(sep, `Expected \`,\` or \`)\`, found \`${this.text(sep)}\``);
      const t = this.peek();
      const isName = this.kind(t) === 'word';
      if (isName && this.kind(this.peek(1)) === 'lparen') tests.push(this.parseCall(0, true) as PlatformTest);
      else if (isName && !this.isKeyword(t)) tests.push(this.parseComparison());
      else
        this.failAt(
          t,
          'Expected a check such as wmi("...") inside `platform(...)`',
          'A platform holds single checks, not `and`, `or`, `not` or parentheses',
        );
    }
  }

  /** Arguments of a leaf function: positional values, then `name=value` or `name <op> value`. */
  private parseArgs(fn: ConditionFunction, nameTok: Token, open: Token): Arg[] {
    const args: Arg[] = [];
    if (this.kind(this.peek()) === 'rparen') {
      this.next();
      return args;
    }
    const stringKeys = fn.name === 'expression';
    for (;;) {
      const t = this.peek();
      const after = this.peek(1);
      const kind = this.kind(t);
      if ((kind === 'word' || (stringKeys && kind === 'string' && args.length > 0)) && this.kind(after) === 'op') {
        this.next();
        this.next();
        const value = this.parseValue(after);
        const name = this.literal(t).value;
        const start = this.tokens.start(t);
        args.push({ kind: 'named', key: t, name, op: after, value, start, end: value.end });
      } else if (kind === 'string' || (kind === 'word' && isBareValue(this.text(t)))) {
        if (args.some((a) => a.kind === 'named')) {
          this.failAt(t, 'Options such as `name="..."` go after the other values', `e.g. ${fn.signature}`);
        }
        this.next();
        args.push({ kind: 'positional', token: t, literal: this.literal(t), bare: kind === 'word' });
      } else if (kind === 'word' && this.isWord(after, 'like')) {
        this.failAt(after, '`like` works only with task sequence variables', 'Use ==, !=, <, <=, > or >=');
      } else if (kind === 'word' && this.optionNamed(fn, this.text(t))) {
        const option = this.optionNamed(fn, this.text(t))!;
        this.failAt(
          after,
          `Expected ${option.form === 'assign' ? '`=`' : 'a comparison such as `>=`'} after \`${this.text(t)}\``,
          `e.g. ${fn.signature}`,
        );
      } else if (kind === 'word') {
        this.failAt(t, `Put \`${this.text(t)}\` in double quotes: "${this.text(t)}"`, QUOTE_HINT);
      } else if (this.isPercentName(t)) {
        this.failAt(
          t,
          `Write \`${this.text(t)}\` in double quotes`,
          `Functions take fixed text, e.g. "${this.text(t)}"`,
        );
      } else if (kind === 'invalid') {
        this.failInvalid(t);
      } else if (kind === 'eof') {
        this.unclosedCall(fn, nameTok, open);
      } else {
        this.failAt(t, `Expected a value in double quotes, found \`${this.text(t)}\``, `e.g. ${fn.signature}`);
      }
      const sep = this.next();
      const sepKind = this.kind(sep);
      if (sepKind === 'rparen') return args;
      if (sepKind === 'eof') this.unclosedCall(fn, nameTok, open);
      if (sepKind === 'invalid') this.failInvalid(sep);
      if (sepKind !== 'comma') this.failAt(sep, `Expected \`,\` or \`)\`, found \`${this.text(sep)}\``);
    }
  }

  /** The option of `fn` called `name` in any case. */
  private optionNamed(fn: ConditionFunction, name: string): FunctionOption | undefined {
    const lower = name.toLowerCase();
    return fn.options.find((o) => o.name.toLowerCase() === lower);
  }

  private buildLeaf(fn: ConditionFunction, nameTok: Token, args: Arg[]): CheckNode {
    const start = this.tokens.start(nameTok);
    const end = this.previousEnd();
    const positional = args.filter((a): a is Extract<Arg, { kind: 'positional' }> => a.kind === 'positional');
    const named = args.filter((a): a is Extract<Arg, { kind: 'named' }> => a.kind === 'named');

    /** The positional values, checked for count and (unless numbers are allowed) quoting. */
    const values = (min: number, max: number, what: string, allowBare = false): Literal[] => {
      if (positional.length < min) this.fail(start, end, `\`${fn.name}\` needs ${what}`, `e.g. ${fn.signature}`);
      if (positional.length > max) {
        const extra = positional[max].token;
        this.failAt(extra, `\`${fn.name}\` takes ${what}; this value is one too many`, `e.g. ${fn.signature}`);
      }
      for (const p of positional) {
        if (p.bare && !allowBare)
          this.failAt(p.token, `Put \`${this.text(p.token)}\` in double quotes: "${this.text(p.token)}"`, QUOTE_HINT);
      }
      return positional.map((p) => p.literal);
    };

    if (fn.name === 'expression') {
      const [type] = values(1, 1, 'the ConfigMgr expression type');
      const variables: CmVariable[] = named.map((a) => {
        if (this.tokens.operator(a.op) !== '=')
          this.failAt(a.op, 'Use `=` to give a value', 'e.g. expression("SMS_...", Path="C:\\x")');
        return { name: a.name, value: a.value.value };
      });
      return { kind: 'unknown', expression: { kind: 'expression', type: type.value, variables }, start, end };
    }

    const options = this.readOptions(fn, named);
    const assigned = (name: string): Literal | undefined => options.get(name)?.value;
    const test = (name: string): PropertyTest | undefined => {
      const o = options.get(name);
      return (
        o && { operator: COMPARE_SYMBOLS.get(this.tokens.operator(o.op))!, value: o.value, start: o.start, end: o.end }
      );
    };

    switch (fn.name) {
      case 'fileExists': {
        const [path] = values(1, 1, 'one path in double quotes');
        return { kind: 'file', path, version: test('version'), date: test('date'), start, end };
      }
      case 'folderExists': {
        const [path] = values(1, 1, 'one path in double quotes');
        return { kind: 'folder', path, date: test('date'), start, end };
      }
      case 'wmi': {
        const [query] = values(1, 1, 'one WQL query in double quotes');
        return { kind: 'wmi', query, namespace: assigned('namespace'), start, end };
      }
      case 'osLanguage': {
        const [lcid] = values(1, 1, 'one language ID (LCID), e.g. 1033', true);
        if (!isLcid(lcid.value)) {
          this.fail(
            lcid.start,
            lcid.end,
            `\`${lcid.value}\` is not a language ID`,
            'Use the decimal LCID, e.g. 1033 for English (United States)',
          );
        }
        return { kind: 'osLanguage', lcid, start, end };
      }
      case 'installed': {
        const [productCode] = values(1, 1, 'the product code in double quotes');
        return {
          kind: 'installed',
          match: 'thisVersion',
          productCode,
          productName: assigned('name'),
          version: assigned('version'),
          upgradeCode: assigned('upgradeCode'),
          start,
          end,
        };
      }
      case 'installedAnyVersion': {
        const [upgradeCode] = values(1, 1, 'the upgrade code in double quotes');
        return {
          kind: 'installed',
          match: 'anyVersion',
          upgradeCode,
          productCode: assigned('productCode'),
          productName: assigned('name'),
          version: assigned('version'),
          start,
          end,
        };
      }
      default: {
        // registry, registryExists, registryNotExists
        const [key, valueName] = values(1, 2, 'a key path and a value name in double quotes');
        const problem = registryKeyProblem(key.value);
        if (problem) this.fail(key.start, key.end, problem.message, problem.hint);
        const type = assigned('type');
        if (type && !isRegistryType(type.value)) {
          const suggestion =
            registryTypes.find((r) => r.toLowerCase() === type.value.toLowerCase()) ??
            closest(type.value, registryTypes);
          this.fail(
            type.start,
            type.end,
            `Unknown registry type \`${type.value}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`,
            `Registry types: ${registryTypes.join(', ')}`,
          );
        }
        const name = valueName ?? { value: '', start: end, end };
        if (fn.name !== 'registry') {
          return {
            kind: 'registryExists',
            key,
            valueName: name,
            type,
            negated: fn.name === 'registryNotExists',
            start,
            end,
          };
        }
        const opTok = this.peek();
        const opKind = this.kind(opTok);
        if (this.isWord(opTok, 'like'))
          this.failAt(opTok, '`like` works only with task sequence variables', 'Use ==, !=, <, <=, > or >=');
        if (opKind === 'op' && this.tokens.operator(opTok) === '=') this.failAt(opTok, 'Use `==` to compare');
        const operator = opKind === 'op' ? COMPARE_SYMBOLS.get(this.tokens.operator(opTok)) : undefined;
        if (!operator) {
          if (opKind === 'invalid') this.failInvalid(opTok);
          this.fail(
            start,
            end,
            'Compare the registry value, e.g. `registry(...) == "1"`',
            'To test only that the value is there, use `registryExists(...)`',
          );
        }
        this.next();
        const data = this.parseValue(opTok);
        return { kind: 'registry', key, valueName: name, type, operator, data, start, end: data.end };
      }
    }
  }

  /** Named options of a call, checked against the function's table: known, once each, right operator. */
  private readOptions(
    fn: ConditionFunction,
    named: Extract<Arg, { kind: 'named' }>[],
  ): Map<string, Extract<Arg, { kind: 'named' }>> {
    const found = new Map<string, Extract<Arg, { kind: 'named' }>>();
    for (const arg of named) {
      const option = this.optionNamed(fn, arg.name);
      if (!option) {
        if (fn.options.length === 0) this.failAt(arg.key, `\`${fn.name}\` takes no options`, `e.g. ${fn.signature}`);
        const suggestion = closest(
          arg.name,
          fn.options.map((o) => o.name),
        );
        this.failAt(
          arg.key,
          `Unknown option \`${arg.name}\` for \`${fn.name}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`,
          `Options: ${fn.options.map((o) => o.name).join(', ')}`,
        );
      }
      if (found.has(option.name)) this.failAt(arg.key, `\`${option.name}\` is given twice`);
      const symbol = this.tokens.operator(arg.op);
      if (option.form === 'assign' && symbol !== '=') {
        this.failAt(arg.op, `Use \`=\` to set \`${option.name}\``, `e.g. ${fn.signature}`);
      }
      if (option.form === 'compare' && !COMPARE_SYMBOLS.has(symbol)) {
        this.failAt(
          arg.op,
          `Use \`==\` or another comparison for \`${option.name}\``,
          '`=` only sets options such as namespace="..."',
        );
      }
      found.set(option.name, arg);
    }
    return found;
  }
}

/** The candidate closest to `word` (ignoring case), when it is close enough to be a likely typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  return suggest(word, candidates, { limit: 1, maxDistance: Math.max(2, Math.floor(word.length / 3)) })[0];
}
