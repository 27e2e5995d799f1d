// The printer: canonical text that parses back to the same tree, for every form, for trees whose
// shape only parentheses can express, for awkward strings, and for many generated trees.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCondition,
  printCondition,
  sameCondition,
  type ConditionExpr,
  type ConditionRoot,
  type Literal,
  type PlatformTest,
} from '../../server/src/conditions';

function roundTrips(ast: ConditionRoot): string {
  const text = printCondition(ast);
  const again = parseCondition(text);
  assert.deepEqual(again.errors, [], `printed text does not parse: ${text}`);
  assert.ok(sameCondition(again.ast, ast), `printed text parses to another tree: ${text}`);
  return text;
}

const at = { start: 0, end: 0 };
const lit = (value: string): Literal => ({ value, ...at });
const root = (...children: ConditionExpr[]): ConditionRoot => ({ kind: 'condition', children, ...at });
const eq = (name: string, value: string): ConditionExpr => ({
  kind: 'compare',
  variable: { name, ...at },
  operator: 'equals',
  value: lit(value),
  ...at,
});
const and = (...children: ConditionExpr[]): ConditionExpr => ({ kind: 'and', children, ...at });
const or = (...children: ConditionExpr[]): ConditionExpr => ({ kind: 'or', children, ...at });
const not = (...children: ConditionExpr[]): ConditionExpr => ({ kind: 'not', children, ...at });

describe('canonical text', () => {
  const canonical = [
    '_SMSTSInWinPE == "true"',
    'A != "1" and B < "2" and C <= "3" and D > "4" and E >= "5"',
    'Model like "Latitude%"',
    'exists(OSDisk) and notExists(SkipDisk) and not exists(X)',
    'A == "1" or (B == "2" and C == "3")',
    '(A == "1" or B == "2") and C == "3"',
    '(A == "1" and B == "2")',
    'not (A == "1" or B == "2")',
    'all()',
    'any(A == "1")',
    'none(A == "1", B == "2")',
    'fileExists("C:\\Windows\\notepad.exe", version >= "10.0", date < "2024-01-01T00:00:00Z")',
    'folderExists("C:\\Logs", date == "20240101000000.000000+000")',
    'registry("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso", "Ring", type="REG_SZ") != "0"',
    'registryExists("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso", "") and registryNotExists("HKLM\\X", "Y", type="REG_DWORD")',
    'wmi("SELECT * FROM Win32_ComputerSystem WHERE Manufacturer LIKE \\"HP%\\"") or wmi("SELECT 1", namespace="root\\wmi")',
    'installed("{P}", name="7-Zip", version="19.00", upgradeCode="{U}")',
    'installedAnyVersion("{U}", productCode="{P}", name="7-Zip", version="19.00")',
    'osVersion("All x64 Windows 11 and higher", platform("All x64 Windows 10 and higher Client", wmi("SELECT 1")))',
    'osLanguage(1033)',
    'expression("SMS_Custom", Variable="X", "odd name"="1")',
  ];
  for (const text of canonical) {
    it(`prints ${text} as itself`, () => {
      const result = parseCondition(text);
      assert.deepEqual(result.errors, []);
      assert.equal(printCondition(result.ast!), text);
      roundTrips(result.ast!);
    });
  }

  it('normalises spelling: keywords, function case, quotes around bare values, default value name', () => {
    const result = parseCondition('NOT A == 1 AND FileExists("x") Or registryExists("HKLM\\X")');
    assert.equal(printCondition(result.ast!), '(not A == "1" and fileExists("x")) or registryExists("HKLM\\X", "")');
  });
});

describe('shapes only parentheses can express', () => {
  const shapes: [string, ConditionRoot][] = [
    ['an and nested in an and', root(and(and(eq('A', '1'), eq('B', '2')), eq('C', '3')))],
    ['an or nested in an or', root(or(or(eq('A', '1'), eq('B', '2')), eq('C', '3')))],
    ['an explicit and as the only child', root(and(eq('A', '1'), eq('B', '2')))],
    ['an explicit and beside other children', root(and(eq('A', '1'), eq('B', '2')), eq('C', '3'))],
    ['an or as one of several children', root(or(eq('A', '1'), eq('B', '2')), eq('C', '3'))],
    ['one-child and/or groups', root(and(eq('A', '1')), or(eq('B', '2')))],
    ['empty groups', root(and(), or(), not())],
    ['a not over several children', root(not(eq('A', '1'), eq('B', '2'), eq('C', '3')))],
    ['a not over a not', root(not(not(eq('A', '1'))))],
    ['a not over an and', root(not(and(eq('A', '1'), eq('B', '2'))))],
    ['an and inside a one-child any', root(or(and(eq('A', '1'), eq('B', '2'))))],
  ];
  for (const [label, ast] of shapes) {
    it(`round-trips ${label}`, () => {
      roundTrips(ast);
    });
  }
});

describe('awkward strings', () => {
  const values = [
    '',
    '"',
    '\\',
    'C:\\Temp\\',
    '\\\\server\\share',
    'a\\"b',
    '\\\\\\',
    '%Var%',
    'tab\there',
    'line\nbreak',
    'ünïcödé ✓',
    ') or X == ("',
  ];
  for (const value of values) {
    it(`round-trips the value ${JSON.stringify(value)}`, () => {
      roundTrips(root(eq('X', value)));
      roundTrips(root({ kind: 'file', path: lit(value), ...at }));
    });
  }

  it('writes a Windows path with single backslashes', () => {
    assert.equal(
      printCondition(root({ kind: 'folder', path: lit('C:\\Windows\\Temp'), ...at })),
      'folderExists("C:\\Windows\\Temp")',
    );
  });
});

describe('generated trees', () => {
  // A small deterministic generator (no dependency): every node kind, random nesting.
  function generator(seed: number) {
    let state = seed;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const pick = <T>(items: T[]): T => items[rand(items.length)];
    const text = () => pick(['', 'x', 'C:\\Win dows\\', 'a"b', '1.2.3', '%V%', 'ä']);
    const ops = ['equals', 'notEquals', 'greater', 'greaterEqual', 'less', 'lessEqual'] as const;
    const check = (): PlatformTest => {
      switch (rand(11)) {
        case 0:
          return {
            kind: 'compare',
            variable: { name: pick(['A', '_SMSTSInWinPE', 'x-1']), ...at },
            operator: pick([...ops, 'like']),
            value: lit(text()),
            ...at,
          };
        case 1:
          return { kind: 'exists', variable: { name: 'V', ...at }, negated: rand(2) === 0, ...at };
        case 2:
          return {
            kind: 'file',
            path: lit(text()),
            version: rand(2) ? { operator: pick([...ops]), value: lit(text()), ...at } : undefined,
            date: rand(2) ? { operator: pick([...ops]), value: lit(text()), ...at } : undefined,
            ...at,
          };
        case 3:
          return {
            kind: 'folder',
            path: lit(text()),
            date: rand(2) ? { operator: pick([...ops]), value: lit(text()), ...at } : undefined,
            ...at,
          };
        case 4:
          return {
            kind: 'registry',
            key: lit('HKLM\\' + text()),
            valueName: lit(text()),
            type: rand(2) ? lit('REG_SZ') : undefined,
            operator: pick([...ops]),
            data: lit(text()),
            ...at,
          };
        case 5:
          return {
            kind: 'registryExists',
            key: lit('HKEY_USERS\\' + text()),
            valueName: lit(text()),
            type: rand(2) ? lit('REG_BINARY') : undefined,
            negated: rand(2) === 0,
            ...at,
          };
        case 6:
          return { kind: 'wmi', query: lit(text()), namespace: rand(2) ? lit(text()) : undefined, ...at };
        case 7:
          return { kind: 'osLanguage', lcid: lit(String(rand(5000))), ...at };
        case 8:
          return rand(2)
            ? {
                kind: 'installed',
                match: 'thisVersion',
                productCode: lit(text()),
                productName: rand(2) ? lit(text()) : undefined,
                upgradeCode: rand(2) ? lit(text()) : undefined,
                ...at,
              }
            : {
                kind: 'installed',
                match: 'anyVersion',
                upgradeCode: lit(text()),
                productCode: rand(2) ? lit(text()) : undefined,
                version: rand(2) ? lit(text()) : undefined,
                ...at,
              };
        case 9:
          return {
            kind: 'unknown',
            expression: {
              kind: 'expression',
              type: text(),
              variables: [{ name: pick(['A', 'b c', '']), value: text() }],
            },
            ...at,
          };
        default:
          return { kind: 'compare', variable: { name: 'N', ...at }, operator: 'equals', value: lit(text()), ...at };
      }
    };
    const expr = (depth: number): ConditionExpr => {
      const r = rand(depth > 4 ? 2 : 7);
      if (r < 2)
        return r === 0
          ? check()
          : {
              kind: 'osVersion',
              platforms: [{ name: lit(text()), tests: rand(2) ? [check(), check()] : [], ...at }],
              ...at,
            };
      const children = Array.from({ length: rand(4) }, () => expr(depth + 1));
      return { kind: pick(['and', 'or', 'not'] as const), children, ...at };
    };
    return () => root(...Array.from({ length: 1 + rand(3) }, () => expr(0)));
  }

  it('round-trips 500 generated trees', () => {
    const next = generator(20240607);
    for (let i = 0; i < 500; i++) roundTrips(next());
  });
});
