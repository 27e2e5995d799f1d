// The simulator decides conditions with compiled closures and flat check lists, and words their
// reasons later from the values they saw. These must agree with the condition evaluator
// (conditions/evaluate.ts), which stays the reference: same value, and — from a capture taken at
// the decision — the same explanation the evaluator gives at that moment.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createConditionEnvironment,
  evaluateCondition,
  parseCondition,
  type ConditionEnvironment,
} from '../../server/src/conditions';
import {
  CHECK_SIZE,
  ConditionProgram,
  addChecks,
  explainCheckList,
  conditionSlots,
  isCheckList,
  passes,
  readCheckList,
} from '../../server/src/simulator/condition-program';
import { Journal } from '../../server/src/simulator/journal';
import { Template, VariableStore, variableSlot } from '../../server/src/simulator/variables';
import { ROOT, random } from './helpers';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from '../../server/src/model/document';
import { walk, type SequenceModel } from '../../server/src/model/sequence';

const NAMES = ['Ring', 'ring', 'Site', 'OSDComputerName', '_SMSTSInWinPE', 'Count', 'Missing'];
const VALUES = ['pilot', 'PILOT', 'broad', '', '1', '10', '9', 'true', 'false', 'Dell Inc.', 'x%y'];

function randomCondition(r: () => number, depth = 0): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const k = r();
  if (depth < 3 && k < 0.12) return `(${randomCondition(r, depth + 1)} and ${randomCondition(r, depth + 1)})`;
  if (depth < 3 && k < 0.22) return `(${randomCondition(r, depth + 1)} or ${randomCondition(r, depth + 1)})`;
  if (depth < 3 && k < 0.27) return `not ${randomCondition(r, depth + 1)}`;
  if (depth < 3 && k < 0.3) return `any(${randomCondition(r, depth + 1)}, ${randomCondition(r, depth + 1)})`;
  if (depth < 3 && k < 0.33) return `none(${randomCondition(r, depth + 1)}, ${randomCondition(r, depth + 1)})`;
  if (k < 0.7)
    return `${pick(NAMES)} ${pick(['==', '!=', '<', '<=', '>', '>=', 'like'])} "${pick(VALUES)}${r() < 0.2 ? '%' : ''}"`;
  if (k < 0.85) return `${pick(['exists', 'notExists'])}(${pick(NAMES)})`;
  if (k < 0.92) return `wmi("SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%${pick(['7440', '9999'])}%'")`;
  if (k < 0.96) return `fileExists("C:\\Windows\\${pick(['a.exe', 'b.exe'])}", version >= "1.2")`;
  return `registry("HKLM\\SOFTWARE\\Contoso", "Ring") == "${pick(VALUES)}"`;
}

const FACTS = createConditionEnvironment({
  wmi: { "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%7440%'": true },
  files: { 'C:\\Windows\\a.exe': { version: '1.5' } },
  registry: { 'HKLM\\SOFTWARE\\Contoso\\Ring': 'pilot' },
});

function machine(vars: VariableStore): ConditionEnvironment {
  return { ...FACTS, variable: (name) => vars.get(name) };
}

function randomVariables(r: () => number): VariableStore {
  const vars = new VariableStore(new Journal(false));
  for (const name of NAMES) if (r() < 0.7) vars.set(name, VALUES[Math.floor(r() * VALUES.length)]);
  return vars;
}

describe('compiled conditions', () => {
  it('decide every condition as the evaluator does, and explain a capture as the evaluator did at the time', () => {
    const r = random(7);
    let checked = 0;
    let checkLists = 0;
    for (let n = 0; n < 400; n++) {
      const text = randomCondition(r);
      const { ast, errors } = parseCondition(text);
      assert.ok(ast && errors.length === 0, `generated condition reads: ${text}`);
      const program = new ConditionProgram(ast);
      for (let round = 0; round < 6; round++) {
        const vars = randomVariables(r);
        const env = machine(vars);
        const expected = evaluateCondition(ast, env);
        assert.equal(program.test(vars, env), expected.value, text);
        if (isCheckList(ast)) {
          const checks: (number | string)[] = [];
          addChecks(ast, checks);
          assert.equal(passes(checks, 0, checks.length, vars), expected.value, `as a check list: ${text}`);
          checkLists++;
        }
        const captured = program.capture(vars);
        // Later changes to the variables must not change the explanation of this decision.
        for (const name of NAMES) vars.set(name, 'changed later');
        assert.equal(program.explain(captured, env), expected.explanation, text);
        checked++;
      }
    }
    assert.equal(checked, 2400);
    assert.ok(checkLists > 200, `enough conditions were plain check lists (${checkLists})`);
  });

  it('hands out the same capture while the values stay the same, and a new one when they change', () => {
    const { ast } = parseCondition('Ring == "pilot" and exists(Site)');
    const program = new ConditionProgram(ast);
    const vars = new VariableStore(new Journal(false));
    vars.set('Ring', 'pilot');
    const first = program.capture(vars);
    assert.equal(program.capture(vars), first);
    vars.set('Site', 'x');
    const second = program.capture(vars);
    assert.notEqual(second, first);
    const env = machine(vars);
    assert.equal(program.explain(first, env), 'Site is not set');
    assert.equal(program.explain(second, env), evaluateCondition(ast!, env).explanation);
  });

  it('words an unreadable condition as the simulator always has: false, with the parser message', () => {
    const { errors } = parseCondition('Ring ==');
    const program = new ConditionProgram(undefined, errors[0].message);
    const vars = new VariableStore(new Journal(false));
    assert.equal(program.test(vars, machine(vars)), false);
    assert.equal(
      program.explain(program.capture(vars), FACTS),
      `the condition cannot be read (${errors[0].message}), so it counts as false`,
    );
  });
});

/** What the parser makes of a condition as a check list (checks and slots), or undefined when it is not one. */
function parsedCheckList(text: string): { checks: (number | string)[]; slots: number[] } | undefined {
  const { ast, errors } = parseCondition(text);
  if (!ast || errors.length || !isCheckList(ast)) return undefined;
  const checks: (number | string)[] = [];
  addChecks(ast, checks);
  return { checks, slots: conditionSlots(ast) };
}

/**
 * What `readCheckList` makes of a condition (checks and slots), or undefined when it does not take
 * it. Each check's last two entries say where its name is in the text, which the parser's checks
 * do not (-1): the names are compared as text here, the rest entry for entry.
 */
function readDirectly(text: string): { checks: (number | string)[]; slots: number[] } | undefined {
  const read: (number | string)[] = [];
  const slots: number[] = [];
  if (!readCheckList(text, read, slots)) return undefined;
  const checks: (number | string)[] = [];
  for (let c = 0; c < read.length; c += CHECK_SIZE) {
    const name = text.slice(read[c + 4] as number, read[c + 5] as number);
    assert.equal(variableSlot(name), read[c + 1], `the name kept for check ${c / CHECK_SIZE} of ${text}`);
    checks.push(...read.slice(c, c + 4), -1, -1);
  }
  return { checks, slots };
}

/** Conditions near the check-list form: spacing, case, every operator spelling, escapes, and the usual mistakes. */
function nearCheckList(r: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const space = () => pick(['', ' ', '  ', '\t', ' \n ']);
  const name = () =>
    pick(['Ring', 'ring', '_SMSTSInWinPE', 'OSD-Name', 'Var1', '5', 'a.b', 'like', 'exists', 'and', 'not', 'Ünïcode']);
  const value = () =>
    pick([
      '"pilot"',
      '"PILOT"',
      '""',
      '"a\\"b"',
      '"C:\\Temp\\\\"',
      '"C:\\x"',
      '"%Latitude 7%"',
      '10',
      '-5',
      '1.2.3',
      'true',
      'FALSE',
      'pilot',
      '"unclosed',
      "'single'",
      '%Ring%',
      '5x',
    ]);
  const check = (): string => {
    const k = r();
    if (k < 0.25)
      return `${pick(['exists', 'notExists', 'EXISTS', 'notexists', 'exist'])}${space()}(${space()}${name()}${space()})`;
    return `${name()}${space()}${pick(['==', '!=', '<', '<=', '>', '>=', 'like', 'LIKE', '=', '===', '!==', '<>', '=>', '=<', '!', '&&'])}${space()}${value()}`;
  };
  const joins = ['and', 'AND', 'And', 'or', '&&', ',', 'andy'];
  let text = space() + check();
  const more = Math.floor(r() * 3);
  for (let i = 0; i < more; i++) text += `${pick([' ', '', '\n'])}${pick(joins)}${pick([' ', '', '\t'])}${check()}`;
  // Now and then a character that changes how the text reads.
  if (r() < 0.3) {
    const at = Math.floor(r() * (text.length + 1));
    text =
      text.slice(0, at) +
      pick(['(', ')', '"', '\\', '=', '%', "'", ',', '.', 'ä', '\u00a0', ' ', 'not ']) +
      text.slice(at);
  }
  return text + space();
}

describe('check lists read straight from the text', () => {
  it('give the parser’s checks and slots for every condition they take, and leave the rest to the parser', () => {
    const r = random(23);
    let taken = 0,
      parsedAsList = 0;
    for (let n = 0; n < 6000; n++) {
      const text = n % 3 === 0 ? randomCondition(r) : nearCheckList(r);
      const parsed = parsedCheckList(text);
      const direct = readDirectly(text);
      if (parsed) parsedAsList++;
      if (!direct) continue;
      taken++;
      assert.ok(parsed, `read directly, but the parser does not read it as a check list: ${JSON.stringify(text)}`);
      assert.deepEqual(direct, parsed, JSON.stringify(text));
    }
    assert.ok(taken > 1000, `enough conditions were read directly (${taken})`);
    assert.ok(taken > parsedAsList * 0.8, `most check lists are read directly (${taken} of ${parsedAsList})`);
  });

  it('take the forms large sequences are made of', () => {
    for (const text of [
      '_SMSTSInWinPE == "false" and Ring != "3"',
      'exists(Var7)',
      '_SMSTSMake == "Dell" and _SMSTSModel like "%Latitude 7440%"',
      'EXISTS ( Ring ) AND Count >= 10',
      'notExists(OSDComputerName) and Path == "C:\\Temp\\\\"',
      '  Ring=="pilot"and Site!="x"  ',
    ]) {
      const direct = readDirectly(text);
      assert.ok(direct, `read directly: ${text}`);
      assert.deepEqual(direct, parsedCheckList(text), text);
    }
  });
});

describe('expansion templates', () => {
  it('fill a text exactly as expanding it does, whatever is set', () => {
    const r = random(11);
    const parts = [
      '%Ring%',
      '%',
      'x',
      ' ',
      '%Site%',
      '%%',
      '%Not Set%',
      '%Missing%',
      'cmd /c ',
      '%ring%',
      '%_SMSTSInWinPE%',
    ];
    for (let n = 0; n < 500; n++) {
      let text = '';
      const length = 1 + Math.floor(r() * 8);
      for (let i = 0; i < length; i++) text += parts[Math.floor(r() * parts.length)];
      const template = new Template(text);
      const vars = randomVariables(r);
      assert.equal(vars.fill(template), vars.expand(text), JSON.stringify(text));
    }
  });
});

/** Every inline code span of docs/conditions.md, and every `when:` of the examples and the test fixtures. */
function documentedConditions(): string[] {
  const texts = new Set<string>();
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'conditions.md'), 'utf8');
  for (const m of doc.matchAll(/`([^`\n]+)`/g)) texts.add(m[1].replace(/^when:\s*/, ''));
  const files: string[] = [];
  const collect = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) collect(p);
      else if (e.name.endsWith('.yaml')) files.push(p);
    }
  };
  collect(path.join(ROOT, 'examples'));
  collect(path.join(ROOT, 'test', 'fixtures'));
  for (const file of files) {
    const model = parseDocument(file, fs.readFileSync(file, 'utf8')).model as SequenceModel | undefined;
    if (model?.kind !== 'sequence') continue;
    for (const n of walk(model.steps)) if (n.when) texts.add(n.when.text);
  }
  return [...texts];
}

describe('reasons of check lists, worded without parsing', () => {
  /** The parser's words for `text` against `vars` (from a capture, as a run keeps it) and the check list's, when it reads as one. */
  function both(text: string, vars: VariableStore): { parsed: string; direct: string | undefined } | undefined {
    const { ast, errors } = parseCondition(text);
    const program =
      ast && errors.length === 0 ? new ConditionProgram(ast) : new ConditionProgram(undefined, errors[0]?.message);
    const captured = program.capture(vars);
    return { parsed: program.explain(captured, FACTS), direct: explainCheckList(text, captured) };
  }

  it('are the evaluator’s words for every condition form the docs, the examples and the fixtures show', () => {
    const texts = documentedConditions();
    const r = random(41);
    let worded = 0;
    for (const text of texts) {
      for (let round = 0; round < 8; round++) {
        const vars = randomVariables(r);
        // The variables the condition names get values too, now and then ones it compares with.
        const direct: (number | string)[] = [];
        if (readCheckList(text, direct, [])) {
          for (let c = 0; c < direct.length; c += CHECK_SIZE)
            if (r() < 0.6) vars.setAt(direct[c + 1] as number, 'Var', r() < 0.5 ? (direct[c + 2] as string) : pick(r));
        }
        const words = both(text, vars)!;
        if (words.direct === undefined) continue;
        worded++;
        assert.equal(words.direct, words.parsed, `${JSON.stringify(text)} round ${round}`);
      }
    }
    assert.ok(texts.length > 50, `enough documented conditions (${texts.length})`);
    assert.ok(worded > 100, `enough documented conditions are check lists (${worded})`);
  });

  it('are the evaluator’s words for generated conditions, whatever the variables hold', () => {
    const r = random(43);
    let worded = 0;
    for (let n = 0; n < 4000; n++) {
      const text = n % 3 === 0 ? randomCondition(r) : nearCheckList(r);
      const words = both(text, randomVariables(r))!;
      if (words.direct === undefined) continue;
      worded++;
      assert.equal(words.direct, words.parsed, JSON.stringify(text));
    }
    assert.ok(worded > 700, `enough generated conditions are check lists (${worded})`);
  });

  it('leave every other condition to the parser', () => {
    for (const text of [
      'Ring == "a" or Site == "b"',
      'not exists(Ring)',
      '(Ring == "a")',
      'Ring ==',
      'wmi("SELECT * FROM Win32_BIOS")',
    ])
      assert.equal(explainCheckList(text, undefined), undefined, text);
  });
});

function pick(r: () => number): string {
  return VALUES[Math.floor(r() * VALUES.length)];
}
