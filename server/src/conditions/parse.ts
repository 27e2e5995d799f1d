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
import { tokenize, type Token } from './lexer';
import { isBareValue } from './literals';
import { isLcid, isRegistryType, isVariableName, registryKeyProblem } from './validate';
import {
  comparisonOperators,
  conditionFunctions,
  findFunction,
  registryTypes,
  type ConditionFunction,
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
  const tokens = tokenize(text);
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
function explainEscapedQuote(error: ConditionError, tokens: Token[]): ConditionError {
  const culprit = tokens.find(
    (t) => (t.kind === 'string' || t.kind === 'invalid') && t.start < error.start && /\\"/.test(t.text),
  );
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

type Arg =
  | { kind: 'positional'; token: Token; literal: Literal; bare: boolean }
  | { kind: 'named'; key: Token; name: string; op: Token; value: Literal; start: number; end: number };

const TOO_DEEP = `The condition is nested too deeply (more than ${MAX_CONDITION_DEPTH} levels)`;
const COMPARE_SYMBOLS = new Map<string, ComparisonOperator>(comparisonOperators.map((o) => [o.symbol, o.operator]));
const QUOTE_HINT = 'Text values are written in double quotes, e.g. "true"';

function isWord(t: Token, word: string): boolean {
  return t.kind === 'word' && t.text.toLowerCase() === word;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private previousEnd(): number {
    return this.i > 0 ? this.tokens[this.i - 1].end : 0;
  }

  private fail(start: number, end: number, message: string, hint?: string): never {
    throw new ParseFailure(hint === undefined ? { start, end, message } : { start, end, message, hint });
  }

  private failAt(t: Token, message: string, hint?: string): never {
    return this.fail(t.start, t.end, message, hint);
  }

  /** Reports an invalid token with the lexer's message (or a `%Name%` explanation). */
  private failInvalid(t: Token): never {
    if (t.percentName !== undefined) {
      return this.failAt(
        t,
        `Write the variable name without percent signs: \`${t.percentName}\``,
        '`%Name%` reads a variable inside step text; in a condition the bare name already means the variable',
      );
    }
    return this.failAt(t, t.message ?? `Unexpected \`${t.text}\``, t.hint);
  }

  private expectedCheck(t: Token): never {
    if (t.kind === 'invalid') this.failInvalid(t);
    const before = this.i > 0 ? this.tokens[this.i - 1] : undefined;
    const where =
      before && (before.kind === 'word' || before.kind === 'lparen' || before.kind === 'comma')
        ? ` after \`${before.text}\``
        : '';
    const found = t.kind === 'eof' ? '' : `, found \`${t.text}\``;
    return this.failAt(
      t,
      `Expected a check${where}${found}`,
      'A check is e.g. `Var == "x"`, `exists(Var)` or `fileExists("C:\\path")`',
    );
  }

  parseRoot(text: string): ConditionRoot {
    const first = this.peek();
    if (first.kind === 'eof') {
      this.fail(
        0,
        text.length,
        'The condition is empty',
        'Write a check such as `_SMSTSInWinPE == "true"`, or remove `when:`',
      );
    }
    const chains = this.parseOrChains(0);
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      if (rest.kind === 'invalid') this.failInvalid(rest);
      if (rest.kind === 'rparen') this.failAt(rest, 'This `)` has no matching `(`');
      this.failAt(
        rest,
        `Expected \`and\`, \`or\` or the end of the condition, found \`${rest.text}\``,
        'Join checks with `and` or `or`',
      );
    }
    const children = chains.length === 1 ? chains[0].operands : [this.orOf(chains)];
    return { kind: 'condition', children, start: first.start, end: this.previousEnd() };
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
    while (isWord(this.peek(), 'or')) {
      this.next();
      chains.push(this.parseAndChain(depth));
    }
    return chains;
  }

  private parseAndChain(depth: number): AndChain {
    const start = this.peek().start;
    const operands = [this.parseUnary(depth)];
    while (isWord(this.peek(), 'and')) {
      this.next();
      operands.push(this.parseUnary(depth));
    }
    return { operands, start, end: this.previousEnd() };
  }

  private parseUnary(depth: number): ConditionExpr {
    const t = this.peek();
    if (!isWord(t, 'not')) return this.parsePrimary(depth);
    if (depth >= MAX_CONDITION_DEPTH) this.failAt(t, TOO_DEEP);
    this.next();
    const operand = this.parseUnary(depth + 1);
    return { kind: 'not', children: [operand], start: t.start, end: this.previousEnd() };
  }

  private parsePrimary(depth: number): ConditionExpr {
    const t = this.peek();
    switch (t.kind) {
      case 'lparen': {
        if (depth >= MAX_CONDITION_DEPTH) this.failAt(t, TOO_DEEP);
        this.next();
        const inner = this.parseOr(depth + 1);
        const close = this.peek();
        if (close.kind === 'rparen') {
          this.next();
          return inner;
        }
        if (close.kind === 'invalid') this.failInvalid(close);
        if (close.kind === 'eof') this.failAt(t, 'This `(` is never closed', 'Add a `)` at the end of the group');
        return this.failAt(close, `Expected \`)\`, \`and\` or \`or\`, found \`${close.text}\``);
      }
      case 'word':
        if (isWord(t, 'and') || isWord(t, 'or')) this.expectedCheck(t);
        if (this.peek(1).kind === 'lparen') return this.parseCall(depth, false);
        return this.parseComparison();
      case 'string':
        return this.failAt(
          t,
          'A comparison starts with the variable name',
          `Put the variable first, e.g. \`Var == ${t.text}\``,
        );
      default:
        return this.expectedCheck(t);
    }
  }

  private parseComparison(): VariableComparison {
    const nameTok = this.next();
    const name = nameTok.text;
    if (!isVariableName(name)) {
      this.failAt(
        nameTok,
        `\`${name}\` is not a valid variable name`,
        'Variable names use letters, digits, `_` and `-`',
      );
    }
    const opTok = this.peek();
    let operator: VariableOperator | undefined;
    if (isWord(opTok, 'like')) operator = 'like';
    else if (opTok.kind === 'op') {
      if (opTok.text === '=') this.failAt(opTok, 'Use `==` to compare', `Write \`${name} == "value"\``);
      operator = COMPARE_SYMBOLS.get(opTok.text);
    } else if (opTok.kind === 'invalid' && opTok.percentName === undefined) this.failInvalid(opTok);
    if (!operator) {
      this.failAt(
        nameTok,
        `\`${name}\` needs a comparison, such as \`${name} == "value"\``,
        `To test only that the variable is set, write \`exists(${name})\``,
      );
    }
    this.next();
    const value = this.parseValue(opTok);
    return {
      kind: 'compare',
      variable: { name, start: nameTok.start, end: nameTok.end },
      operator,
      value,
      start: nameTok.start,
      end: value.end,
    };
  }

  /** The value after a comparison operator (or an option's `=`). */
  private parseValue(opTok: Token): Literal {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { value: t.value!, start: t.start, end: t.end };
    }
    if (t.kind === 'word' && isBareValue(t.text)) {
      this.next();
      return { value: t.text, start: t.start, end: t.end };
    }
    if (t.kind === 'word' && !['and', 'or', 'not'].includes(t.text.toLowerCase())) {
      this.failAt(
        t,
        `Put \`${t.text}\` in double quotes: "${t.text}"`,
        'Values are fixed text in double quotes; a condition cannot compare two variables',
      );
    }
    if (t.kind === 'invalid' && t.percentName !== undefined) {
      this.failAt(
        t,
        `A condition compares with fixed text, not with the variable \`${t.text}\``,
        `To compare with the literal text, write "${t.text}"`,
      );
    }
    if (t.kind === 'invalid') this.failInvalid(t);
    return this.failAt(t, `Expected a value after \`${opTok.text}\``, QUOTE_HINT);
  }

  private parseCall(depth: number, insidePlatform: boolean): ConditionExpr {
    const nameTok = this.next();
    const open = this.next();
    const fn = findFunction(nameTok.text);
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
    const suggestion = closest(
      nameTok.text,
      conditionFunctions.map((f) => f.name),
    );
    return this.failAt(
      nameTok,
      `Unknown function \`${nameTok.text}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`,
      `Known functions: ${conditionFunctions
        .filter((f) => f.name !== 'platform' && f.name !== 'expression')
        .map((f) => f.name)
        .join(', ')}`,
    );
  }

  private unclosedCall(fn: ConditionFunction, nameTok: Token, open: Token): never {
    return this.fail(nameTok.start, open.end, `\`${fn.name}(\` is never closed`, `Add a \`)\`, e.g. ${fn.signature}`);
  }

  /** A check such as `fileExists(...)` cannot be followed by `== "x"`; say so clearly. */
  private rejectComparison(fn: ConditionFunction): void {
    const t = this.peek();
    if (t.kind !== 'op' && !isWord(t, 'like')) return;
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
    if (arg.kind === 'string') {
      this.failAt(arg, 'Write the variable name without quotes', `e.g. ${fn.name}(${arg.value})`);
    }
    if (arg.kind === 'invalid') this.failInvalid(arg);
    if (arg.kind !== 'word') {
      if (arg.kind === 'eof') this.unclosedCall(fn, nameTok, open);
      this.failAt(arg, `\`${fn.name}\` needs a variable name, e.g. ${fn.name}(OSDComputerName)`);
    }
    if (!isVariableName(arg.text)) {
      this.failAt(
        arg,
        `\`${arg.text}\` is not a valid variable name`,
        'Variable names use letters, digits, `_` and `-`',
      );
    }
    this.next();
    const close = this.peek();
    if (close.kind === 'comma') {
      this.failAt(
        close,
        `\`${fn.name}\` takes one variable name`,
        'To test several variables, join the checks with `and`',
      );
    }
    if (close.kind === 'eof') this.unclosedCall(fn, nameTok, open);
    if (close.kind !== 'rparen') this.failAt(close, `Expected \`)\` after \`${arg.text}\`, found \`${close.text}\``);
    this.next();
    return {
      kind: 'exists',
      variable: { name: arg.text, start: arg.start, end: arg.end },
      negated: fn.name === 'notExists',
      start: nameTok.start,
      end: close.end,
    };
  }

  private parseGroupCall(fn: ConditionFunction, nameTok: Token, open: Token, depth: number): ConditionExpr {
    if (depth >= MAX_CONDITION_DEPTH) this.failAt(nameTok, TOO_DEEP);
    const children: ConditionExpr[] = [];
    if (this.peek().kind !== 'rparen') {
      for (;;) {
        children.push(this.parseOr(depth + 1));
        const t = this.peek();
        if (t.kind === 'comma') {
          this.next();
          continue;
        }
        if (t.kind === 'rparen') break;
        if (t.kind === 'invalid') this.failInvalid(t);
        if (t.kind === 'eof') this.unclosedCall(fn, nameTok, open);
        this.failAt(t, `Expected \`,\`, \`)\`, \`and\` or \`or\`, found \`${t.text}\``);
      }
    }
    const close = this.next();
    const kind = fn.name === 'all' ? 'and' : fn.name === 'any' ? 'or' : 'not';
    return { kind, children, start: nameTok.start, end: close.end };
  }

  private parseOsVersion(fn: ConditionFunction, nameTok: Token, open: Token): CheckNode {
    const platforms: Platform[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'string') {
        this.next();
        const name = { value: t.value!, start: t.start, end: t.end };
        platforms.push({ name, tests: [], start: t.start, end: t.end });
      } else if (isWord(t, 'platform') && this.peek(1).kind === 'lparen') {
        platforms.push(this.parsePlatform());
      } else if (t.kind === 'rparen' && platforms.length === 0) {
        // An empty group is odd but ConfigMgr can store it; the linter, not the parser, objects.
      } else if (t.kind === 'eof') {
        this.unclosedCall(fn, nameTok, open);
      } else if (t.kind === 'invalid') {
        this.failInvalid(t);
      } else {
        this.failAt(t, 'List platforms by name in double quotes', `e.g. ${fn.signature}`);
      }
      const sep = this.next();
      if (sep.kind === 'rparen') return { kind: 'osVersion', platforms, start: nameTok.start, end: sep.end };
      if (sep.kind === 'eof') this.unclosedCall(fn, nameTok, open);
      if (sep.kind !== 'comma') this.failAt(sep, `Expected \`,\` or \`)\`, found \`${sep.text}\``);
    }
  }

  private parsePlatform(): Platform {
    const fn = findFunction('platform')!;
    const nameTok = this.next();
    const open = this.next();
    const first = this.peek();
    if (first.kind !== 'string') {
      if (first.kind === 'eof') this.unclosedCall(fn, nameTok, open);
      this.failAt(first, '`platform` starts with the platform name in double quotes', `e.g. ${fn.signature}`);
    }
    this.next();
    const name = { value: first.value!, start: first.start, end: first.end };
    const tests: PlatformTest[] = [];
    for (;;) {
      const sep = this.next();
      if (sep.kind === 'rparen') return { name, tests, start: nameTok.start, end: sep.end };
      if (sep.kind === 'eof') this.unclosedCall(fn, nameTok, open);
      if (sep.kind !== 'comma') this.failAt(sep, `Expected \`,\` or \`)\`, found \`${sep.text}\``);
      const t = this.peek();
      if (t.kind === 'word' && this.peek(1).kind === 'lparen') tests.push(this.parseCall(0, true) as PlatformTest);
      else if (t.kind === 'word' && !['and', 'or', 'not'].includes(t.text.toLowerCase()))
        tests.push(this.parseComparison());
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
    if (this.peek().kind === 'rparen') {
      this.next();
      return args;
    }
    const stringKeys = fn.name === 'expression';
    for (;;) {
      const t = this.peek();
      const after = this.peek(1);
      if ((t.kind === 'word' || (stringKeys && t.kind === 'string' && args.length > 0)) && after.kind === 'op') {
        this.next();
        this.next();
        const value = this.parseValue(after);
        const name = t.kind === 'string' ? t.value! : t.text;
        args.push({ kind: 'named', key: t, name, op: after, value, start: t.start, end: value.end });
      } else if (t.kind === 'string' || (t.kind === 'word' && isBareValue(t.text))) {
        if (args.some((a) => a.kind === 'named')) {
          this.failAt(t, 'Options such as `name="..."` go after the other values', `e.g. ${fn.signature}`);
        }
        this.next();
        const literal = { value: t.kind === 'string' ? t.value! : t.text, start: t.start, end: t.end };
        args.push({ kind: 'positional', token: t, literal, bare: t.kind === 'word' });
      } else if (t.kind === 'word' && isWord(after, 'like')) {
        this.failAt(after, '`like` works only with task sequence variables', 'Use ==, !=, <, <=, > or >=');
      } else if (t.kind === 'word' && fn.options.some((o) => o.name.toLowerCase() === t.text.toLowerCase())) {
        const option = fn.options.find((o) => o.name.toLowerCase() === t.text.toLowerCase())!;
        this.failAt(
          after,
          `Expected ${option.form === 'assign' ? '`=`' : 'a comparison such as `>=`'} after \`${t.text}\``,
          `e.g. ${fn.signature}`,
        );
      } else if (t.kind === 'word') {
        this.failAt(t, `Put \`${t.text}\` in double quotes: "${t.text}"`, QUOTE_HINT);
      } else if (t.kind === 'invalid' && t.percentName !== undefined) {
        this.failAt(t, `Write \`${t.text}\` in double quotes`, `Functions take fixed text, e.g. "${t.text}"`);
      } else if (t.kind === 'invalid') {
        this.failInvalid(t);
      } else if (t.kind === 'eof') {
        this.unclosedCall(fn, nameTok, open);
      } else {
        this.failAt(t, `Expected a value in double quotes, found \`${t.text}\``, `e.g. ${fn.signature}`);
      }
      const sep = this.next();
      if (sep.kind === 'rparen') return args;
      if (sep.kind === 'eof') this.unclosedCall(fn, nameTok, open);
      if (sep.kind === 'invalid') this.failInvalid(sep);
      if (sep.kind !== 'comma') this.failAt(sep, `Expected \`,\` or \`)\`, found \`${sep.text}\``);
    }
  }

  private buildLeaf(fn: ConditionFunction, nameTok: Token, args: Arg[]): CheckNode {
    const start = nameTok.start;
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
          this.failAt(p.token, `Put \`${p.token.text}\` in double quotes: "${p.token.text}"`, QUOTE_HINT);
      }
      return positional.map((p) => p.literal);
    };

    if (fn.name === 'expression') {
      const [type] = values(1, 1, 'the ConfigMgr expression type');
      const variables: CmVariable[] = named.map((a) => {
        if (a.op.text !== '=') this.failAt(a.op, 'Use `=` to give a value', 'e.g. expression("SMS_...", Path="C:\\x")');
        return { name: a.name, value: a.value.value };
      });
      return { kind: 'unknown', expression: { kind: 'expression', type: type.value, variables }, start, end };
    }

    const options = this.readOptions(fn, named);
    const assigned = (name: string): Literal | undefined => options.get(name)?.value;
    const test = (name: string): PropertyTest | undefined => {
      const o = options.get(name);
      return o && { operator: COMPARE_SYMBOLS.get(o.op.text)!, value: o.value, start: o.start, end: o.end };
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
        if (isWord(opTok, 'like'))
          this.failAt(opTok, '`like` works only with task sequence variables', 'Use ==, !=, <, <=, > or >=');
        if (opTok.kind === 'op' && opTok.text === '=') this.failAt(opTok, 'Use `==` to compare');
        const operator = opTok.kind === 'op' ? COMPARE_SYMBOLS.get(opTok.text) : undefined;
        if (!operator) {
          if (opTok.kind === 'invalid') this.failInvalid(opTok);
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
      const option = fn.options.find((o) => o.name.toLowerCase() === arg.name.toLowerCase());
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
      if (option.form === 'assign' && arg.op.text !== '=') {
        this.failAt(arg.op, `Use \`=\` to set \`${option.name}\``, `e.g. ${fn.signature}`);
      }
      if (option.form === 'compare' && !COMPARE_SYMBOLS.has(arg.op.text)) {
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
