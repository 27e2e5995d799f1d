// A condition that is only checks of variables joined by `and` is not parsed for its facts: its
// text is read by conditions/check-list.ts (semantics/condition-facts.ts). Pinned here: on
// thousands of generated conditions near that form (every spelling of the checks, odd spacing and
// case, values that pin the environment or rule out stand-alone media, and the usual mistakes put
// in at random), the facts are what the parser's tree says, asked in every order, and the reader
// takes only texts the parser reads without a mistake.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition, variableReferences, type ConditionExpr } from '../../server/src/conditions';
import { isCheckList, readChecks } from '../../server/src/conditions/check-list';
import {
  conditionErrors,
  conditionVariables,
  notOnStandaloneMedia,
  osConditionArchitectures,
  requiredEnvironment,
} from '../../server/src/semantics/condition-facts';
import { random } from '../helpers/seeded-random';

/** Conditions near the check-list form, about half of them taken by the reader. */
function nearCheckList(r: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  // Most texts are tidy (every piece one the reader takes), the others take any piece.
  const tidy = r() < 0.6;
  const goodOr = <T>(good: readonly T[], any: readonly T[]) => (tidy ? pick(good) : pick(any));
  const space = () => pick(['', ' ', '  ', '\t', ' \n ']);
  const name = () =>
    goodOr(
      ['_SMSTSInWinPE', '_smstsinwinpe', '_SMSTSMediaType', 'Ring', 'OSD-Name', 'like', '_SMSTSInWinPEx'],
      [
        '_SMSTSInWinPE',
        '_smstsinwinpe',
        '_SMSTSMediaType',
        '_SMSTSMEDIATYPE',
        'Ring',
        'OSD-Name',
        'Var1',
        '5',
        'a.b',
        'like',
        'exists',
        'and',
        'not',
        'Ünïcode',
        '_SMSTSInWinPEx',
      ],
    );
  const value = () =>
    goodOr(
      [
        '"true"',
        '"false"',
        '" FALSE "',
        'true',
        'False',
        '"FullMedia"',
        '"fullmedia "',
        '"BootMedia"',
        '""',
        '"a\\"b"',
        '10',
        '1.2.3',
      ],
      [
        '"true"',
        '"false"',
        '" FALSE "',
        '"TRUE"',
        'true',
        'False',
        '"FullMedia"',
        '"fullmedia "',
        '"BootMedia"',
        '""',
        '"a\\"b"',
        '"C:\\Temp\\\\"',
        '"%Latitude 7%"',
        '10',
        '-5',
        '1.2.3',
        'pilot',
        '"unclosed',
        "'single'",
        '%Ring%',
      ],
    );
  const check = (): string => {
    if (r() < 0.25)
      return `${goodOr(['exists', 'notExists', 'EXISTS', 'notexists'], ['exists', 'notExists', 'exist'])}${space()}(${space()}${name()}${space()})`;
    return `${name()}${space()}${goodOr(['==', '!=', '<', '<=', '>', '>=', 'like', 'LIKE'], ['==', '!=', '<', '<=', '>', '>=', 'like', 'LIKE', '=', '===', '<>', '=>'])}${space()}${value()}`;
  };
  let text = space() + check();
  const more = Math.floor(r() * 4);
  for (let i = 0; i < more; i++)
    text += `${pick([' ', '', '\n'])}${goodOr(['and', 'AND', 'And'], ['and', 'AND', 'And', 'and', 'or', '&&', 'andy'])}${pick([' ', '', '\t'])}${check()}`;
  if (!tidy && r() < 0.3) {
    const at = Math.floor(r() * (text.length + 1));
    text =
      text.slice(0, at) + pick(['(', ')', '"', '\\', '=', '%', ',', '.', 'ä', '\u00a0', ' ', 'not ']) + text.slice(at);
  }
  return text + space();
}

/** The facts the rules read, as the parser's tree gives them. */
function fromTree(text: string) {
  const { ast, errors } = parseCondition(text);
  let environment: 'WinPE' | 'FullOS' | undefined;
  let standaloneRuledOut = false;
  if (ast) {
    const visit = (e: ConditionExpr) => {
      if (e.kind === 'and') return e.children.forEach(visit);
      if (e.kind !== 'compare' || (e.operator !== 'equals' && e.operator !== 'notEquals')) return;
      const equals = e.operator === 'equals';
      const v = e.value.value.trim().toLowerCase();
      const name = e.variable.name.toLowerCase();
      if (name === '_smstsinwinpe' && (v === 'true' || v === 'false'))
        environment = (v === 'true') === equals ? 'WinPE' : 'FullOS';
      if (name === '_smstsmediatype' && (equals ? v !== 'fullmedia' : v === 'fullmedia')) standaloneRuledOut = true;
    };
    ast.children.forEach(visit);
  }
  return {
    errors,
    variables: ast ? variableReferences(ast).map((v) => ({ name: v.name, start: v.start, end: v.end })) : [],
    environment,
    standaloneRuledOut,
  };
}

describe('the facts of a check list, read without the parser', () => {
  test('are what the parser says, on generated conditions near the form, asked in any order', () => {
    const r = random(18);
    let taken = 0;
    for (let n = 0; n < 6000; n++) {
      const text = nearCheckList(r);
      const read = readChecks(text, () => undefined);
      assert.equal(isCheckList(text), read, `isCheckList says what readChecks does of ${JSON.stringify(text)}`);
      if (read) {
        taken++;
        assert.deepEqual(parseCondition(text).errors, [], `the parser reads ${JSON.stringify(text)} too`);
      }
      const tree = fromTree(text);
      const where = JSON.stringify(text);
      // Half of them asked for their variables first (which keeps the facts), half last.
      if (n % 2 === 0) assert.deepEqual(conditionVariables(text), tree.variables, `variables of ${where}`);
      assert.deepEqual(conditionErrors(text), tree.errors, `errors of ${where}`);
      assert.equal(requiredEnvironment(text), tree.environment, `environment of ${where}`);
      assert.equal(notOnStandaloneMedia(text), tree.standaloneRuledOut, `stand-alone media of ${where}`);
      assert.deepEqual(osConditionArchitectures(text), [], `platforms of ${where}`);
      if (n % 2 === 1) assert.deepEqual(conditionVariables(text), tree.variables, `variables of ${where}`);
    }
    assert.ok(taken > 1500, `enough generated conditions are check lists (${taken})`);
    assert.ok(taken < 5000, `enough generated conditions are not (${taken})`);
  });

  test('are recognised in a condition of a million and a half checks, past the pattern’s backtracking stack', () => {
    const checks = 'Ring == "1" and '.repeat(1_500_000);
    assert.equal(isCheckList(`${checks}Ring == "2"`), true);
    assert.equal(isCheckList(`${checks}or`), false);
    assert.deepEqual(conditionErrors(`${checks}Ring == "2"`), []);
  });

  test('are recognised by one pattern exactly where the reader takes them, on texts at its edges', () => {
    const edges = [
      'exists(A)',
      ' exists ( A ) ',
      'EXISTS(A)',
      'notExists(A)and B == "1"',
      'existsX(A)',
      'exists.x(A)',
      'exists(A.b)',
      'exists(and)',
      'exists(A',
      'exists == "1"',
      'Ringlike "x"',
      'Ring like"x"',
      'Ring LIKE "x"',
      'Ring likes "x"',
      'Ring == "x"and B != "y"',
      'Ring == "x" andB != "y"',
      'Ring == "x" and',
      'Ring == "x" or B == "y"',
      'Ring === "x"',
      'Ring !== "x"',
      'Ring <> "x"',
      'Ring => "x"',
      'Ring =< "x"',
      'Ring << 1',
      'Ring <= 1',
      'Ring < -1',
      'Ring > 1.2.3',
      'Ring >= 1..2',
      'Ring == 1and B == 2',
      'Ring == True',
      'Ring == truex',
      'Ring == pilot',
      'Ring == "a\\"b"',
      'Ring == "a\\\\"',
      'Ring == "a\\"',
      'Ring == "a\\x"',
      'Ring == "unclosed',
      'Ring == ""',
      'Ring\u00a0== "x"',
      'Ring == "x"\u00a0',
      'Rïng == "x"',
      'Ring == "ä"',
      '\t\n\v\f\rRing\r\n==\t"x"\n',
      'and == "1"',
      'Not == "1"',
      'a.b == "1"',
      '-a == "1"',
      '5 == 5',
      '',
      '   ',
      '(Ring == "x")',
    ];
    for (const text of edges)
      assert.equal(
        isCheckList(text),
        readChecks(text, () => undefined),
        `on ${JSON.stringify(text)}`,
      );
  });
});
