// The `when:` parser: every form of the language, precedence and grouping, source offsets, and
// the errors an admin sees (message, hint and the exact range they point at).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCondition,
  sameCondition,
  type ConditionError,
  type ConditionExpr,
  type ConditionRoot,
} from '../../server/src/conditions';

function parsed(text: string): ConditionRoot {
  const result = parseCondition(text);
  assert.deepEqual(result.errors, [], `unexpected error in ${text}`);
  assert.ok(result.ast);
  return result.ast;
}

/** The single top-level check of a condition. */
function only(text: string): ConditionExpr {
  const root = parsed(text);
  assert.equal(root.children.length, 1, `expected one top-level check in ${text}`);
  return root.children[0];
}

function assertShape(actual: unknown, expected: unknown): void {
  assert.ok(
    sameCondition(actual, expected),
    `got ${JSON.stringify(actual, (k, v) => (k === 'start' || k === 'end' ? undefined : v))}`,
  );
}

function errorOf(text: string): ConditionError {
  const result = parseCondition(text);
  assert.equal(result.ast, undefined, `expected an error for ${text}`);
  assert.equal(result.errors.length, 1);
  return result.errors[0];
}

/** Asserts the error covers exactly `marked` (its first occurrence at or after `from`). */
function assertErrorAt(text: string, marked: string, message: RegExp, from = 0): ConditionError {
  const error = errorOf(text);
  const start = text.indexOf(marked, from);
  assert.ok(start >= 0, 'test setup: marked text not found');
  assert.deepEqual(
    [error.start, error.end],
    [start, start + marked.length],
    `error range for ${text}: ${error.message}`,
  );
  assert.match(error.message, message);
  return error;
}

const cmp = (name: string, operator: string, value: string) => ({
  kind: 'compare',
  variable: { name },
  operator,
  value: { value },
});

describe('variable comparisons', () => {
  const operators: [string, string][] = [
    ['==', 'equals'],
    ['!=', 'notEquals'],
    ['<', 'less'],
    ['<=', 'lessEqual'],
    ['>', 'greater'],
    ['>=', 'greaterEqual'],
    ['like', 'like'],
  ];
  for (const [symbol, operator] of operators) {
    it(`reads ${symbol} as ${operator}`, () => {
      assertShape(only(`OSDBuild ${symbol} "22621"`), cmp('OSDBuild', operator, '22621'));
    });
  }

  it('accepts bare numbers, dotted versions and true/false as values, keeping their text', () => {
    assertShape(only('OSDDiskIndex >= 0'), cmp('OSDDiskIndex', 'greaterEqual', '0'));
    assertShape(only('Offset > -5'), cmp('Offset', 'greater', '-5'));
    assertShape(only('Build < 10.0.22621'), cmp('Build', 'less', '10.0.22621'));
    assertShape(only('IsUEFI != True'), cmp('IsUEFI', 'notEquals', 'True'));
    assertShape(only('_SMSTSInWinPE == false'), cmp('_SMSTSInWinPE', 'equals', 'false'));
  });

  it('allows names with digits, underscores and hyphens, and keywords in any case', () => {
    assertShape(only('My-Var_2 LIKE "x%"'), cmp('My-Var_2', 'like', 'x%'));
  });

  it('keeps the offsets of the name, the value and the whole comparison', () => {
    const text = '  Make == "HP"';
    const node = only(text);
    assert.equal(node.kind, 'compare');
    if (node.kind !== 'compare') return;
    assert.equal(text.slice(node.variable.start, node.variable.end), 'Make');
    assert.equal(text.slice(node.value.start, node.value.end), '"HP"');
    assert.equal(text.slice(node.start, node.end), 'Make == "HP"');
  });

  it('reads exists and notExists as their own checks, apart from not exists', () => {
    assertShape(only('exists(SkipDisk)'), { kind: 'exists', variable: { name: 'SkipDisk' }, negated: false });
    assertShape(only('notExists(SkipDisk)'), { kind: 'exists', variable: { name: 'SkipDisk' }, negated: true });
    assertShape(only('not exists(SkipDisk)'), {
      kind: 'not',
      children: [{ kind: 'exists', variable: { name: 'SkipDisk' }, negated: false }],
    });
  });
});

describe('string literals', () => {
  const valueOf = (text: string) => {
    const node = only(`X == ${text}`);
    assert.equal(node.kind, 'compare');
    return node.kind === 'compare' ? node.value.value : '';
  };

  it('keeps a lone backslash, so Windows paths can be written as they are', () => {
    assert.equal(valueOf('"C:\\Windows\\System32"'), 'C:\\Windows\\System32');
  });

  it('reads a doubled backslash as one and \\" as a quote', () => {
    assert.equal(valueOf('"C:\\\\Windows"'), 'C:\\Windows');
    assert.equal(valueOf('"say \\"hi\\""'), 'say "hi"');
    assert.equal(valueOf('"C:\\Temp\\\\"'), 'C:\\Temp\\');
  });

  it('keeps percent signs and spaces inside text', () => {
    assert.equal(valueOf('"%OSDisk% and more"'), '%OSDisk% and more');
  });
});

describe('and, or, not and grouping', () => {
  const a = cmp('A', 'equals', '1');
  const b = cmp('B', 'equals', '2');
  const c = cmp('C', 'equals', '3');

  it("makes an unparenthesised top-level and-chain the condition's own children", () => {
    assertShape(parsed('A == "1" and B == "2" and C == "3"'), { kind: 'condition', children: [a, b, c] });
  });

  it('makes a parenthesised top-level and-chain one explicit and group', () => {
    assertShape(parsed('(A == "1" and B == "2")'), {
      kind: 'condition',
      children: [{ kind: 'and', children: [a, b] }],
    });
  });

  it('binds and tighter than or', () => {
    assertShape(only('A == "1" or B == "2" and C == "3"'), {
      kind: 'or',
      children: [a, { kind: 'and', children: [b, c] }],
    });
    assertShape(only('A == "1" and B == "2" or C == "3"'), {
      kind: 'or',
      children: [{ kind: 'and', children: [a, b] }, c],
    });
  });

  it('binds not tighter than and', () => {
    assertShape(parsed('not A == "1" and B == "2"'), {
      kind: 'condition',
      children: [{ kind: 'not', children: [a] }, b],
    });
  });

  it('lets parentheses override precedence', () => {
    assertShape(parsed('A == "1" and (B == "2" or C == "3")'), {
      kind: 'condition',
      children: [a, { kind: 'or', children: [b, c] }],
    });
  });

  it('keeps one operator per chain: a parenthesised chain of the same kind stays nested', () => {
    assertShape(only('(A == "1" or B == "2") or C == "3"'), {
      kind: 'or',
      children: [{ kind: 'or', children: [a, b] }, c],
    });
    assertShape(only('A == "1" or B == "2" or C == "3"'), { kind: 'or', children: [a, b, c] });
  });

  it('treats redundant parentheses around one check as nothing', () => {
    assertShape(parsed('((A == "1"))'), { kind: 'condition', children: [a] });
  });

  it('reads all, any and none as explicit groups with any number of children', () => {
    assertShape(only('all()'), { kind: 'and', children: [] });
    assertShape(only('any(A == "1")'), { kind: 'or', children: [a] });
    assertShape(only('none(A == "1", B == "2")'), { kind: 'not', children: [a, b] });
    assertShape(only('all(A == "1" or B == "2", C == "3")'), {
      kind: 'and',
      children: [{ kind: 'or', children: [a, b] }, c],
    });
  });

  it('gives and/or/not nodes the range of their source text', () => {
    const text = 'X == "0" and not (A == "1" or B == "2")';
    const root = parsed(text);
    const not = root.children[1];
    assert.equal(text.slice(not.start, not.end), 'not (A == "1" or B == "2")');
    assert.equal(text.slice(root.start, root.end), text);
  });
});

describe('checks on the machine', () => {
  it('reads fileExists with optional version and date tests', () => {
    assertShape(only('fileExists("C:\\Windows\\notepad.exe")'), {
      kind: 'file',
      path: { value: 'C:\\Windows\\notepad.exe' },
    });
    assertShape(only('fileExists("C:\\x.dll", version >= "10.0.1", date < "2024-01-01T00:00:00Z")'), {
      kind: 'file',
      path: { value: 'C:\\x.dll' },
      version: { operator: 'greaterEqual', value: { value: '10.0.1' } },
      date: { operator: 'less', value: { value: '2024-01-01T00:00:00Z' } },
    });
  });

  it('reads folderExists with an optional date test', () => {
    assertShape(only('folderExists("D:\\Logs")'), { kind: 'folder', path: { value: 'D:\\Logs' } });
    assertShape(only('folderExists("D:\\Logs", date != "20240101000000.000000+000")'), {
      kind: 'folder',
      path: { value: 'D:\\Logs' },
      date: { operator: 'notEquals', value: { value: '20240101000000.000000+000' } },
    });
  });

  it('reads registry comparisons with value name, optional type and data', () => {
    assertShape(only('registry("HKLM\\SOFTWARE\\Contoso", "Ring", type="REG_DWORD") > 2'), {
      kind: 'registry',
      key: { value: 'HKLM\\SOFTWARE\\Contoso' },
      valueName: { value: 'Ring' },
      type: { value: 'REG_DWORD' },
      operator: 'greater',
      data: { value: '2' },
    });
  });

  it('reads registryExists / registryNotExists; a left-out value name means the default value', () => {
    assertShape(only('registryExists("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso", "Ring", type="REG_SZ")'), {
      kind: 'registryExists',
      key: { value: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso' },
      valueName: { value: 'Ring' },
      type: { value: 'REG_SZ' },
      negated: false,
    });
    assertShape(only('registryNotExists("HKLM\\SOFTWARE\\Contoso")'), {
      kind: 'registryExists',
      key: { value: 'HKLM\\SOFTWARE\\Contoso' },
      valueName: { value: '' },
      negated: true,
    });
  });

  it('reads wmi with and without a namespace', () => {
    assertShape(only('wmi("SELECT * FROM Win32_Battery")'), {
      kind: 'wmi',
      query: { value: 'SELECT * FROM Win32_Battery' },
    });
    assertShape(only('wmi("SELECT * FROM MS_SystemInformation", namespace="root\\wmi")'), {
      kind: 'wmi',
      query: { value: 'SELECT * FROM MS_SystemInformation' },
      namespace: { value: 'root\\wmi' },
    });
  });

  it('reads installed (this version) and installedAnyVersion with their details', () => {
    assertShape(only('installed("{P}", name="7-Zip", version="19.00", upgradeCode="{U}")'), {
      kind: 'installed',
      match: 'thisVersion',
      productCode: { value: '{P}' },
      productName: { value: '7-Zip' },
      version: { value: '19.00' },
      upgradeCode: { value: '{U}' },
    });
    assertShape(only('installedAnyVersion("{U}", productCode="{P}")'), {
      kind: 'installed',
      match: 'anyVersion',
      upgradeCode: { value: '{U}' },
      productCode: { value: '{P}' },
    });
  });

  it('reads osVersion with names alone or with the platform tests ConfigMgr stored', () => {
    assertShape(
      only(
        'osVersion("All x64 Windows 11 and higher", platform("All x64 Windows 10 and higher Client", wmi("SELECT 1"), wmi("SELECT 2")))',
      ),
      {
        kind: 'osVersion',
        platforms: [
          { name: { value: 'All x64 Windows 11 and higher' }, tests: [] },
          {
            name: { value: 'All x64 Windows 10 and higher Client' },
            tests: [
              { kind: 'wmi', query: { value: 'SELECT 1' } },
              { kind: 'wmi', query: { value: 'SELECT 2' } },
            ],
          },
        ],
      },
    );
  });

  it('reads osLanguage with a number or a quoted number', () => {
    assertShape(only('osLanguage(1033)'), { kind: 'osLanguage', lcid: { value: '1033' } });
    assertShape(only('osLanguage("2108")'), { kind: 'osLanguage', lcid: { value: '2108' } });
  });

  it('reads expression(...) as a verbatim ConfigMgr expression, keeping order and duplicates', () => {
    assertShape(
      only('expression("SMS_TaskSequence_ComputerConditionExpression", AssetTag="A*", "odd name"="1", AssetTag="B*")'),
      {
        kind: 'unknown',
        expression: {
          kind: 'expression',
          type: 'SMS_TaskSequence_ComputerConditionExpression',
          variables: [
            { name: 'AssetTag', value: 'A*' },
            { name: 'odd name', value: '1' },
            { name: 'AssetTag', value: 'B*' },
          ],
        },
      },
    );
  });

  it('matches function and option names without regard to case', () => {
    assertShape(only('FILEEXISTS("C:\\x", VERSION == "1")'), {
      kind: 'file',
      path: { value: 'C:\\x' },
      version: { operator: 'equals', value: { value: '1' } },
    });
  });

  it('allows line breaks and tabs between tokens, as a folded YAML value may bring', () => {
    assertShape(parsed('A == "1"\n  and\tB == "2"'), {
      kind: 'condition',
      children: [cmp('A', 'equals', '1'), cmp('B', 'equals', '2')],
    });
  });
});

describe('errors', () => {
  it('reports an empty condition', () => {
    const error = errorOf('   ');
    assert.match(error.message, /empty/);
    assert.ok(error.hint);
  });

  it('asks for a value after an operator, at the end of the text', () => {
    const text = 'OSDComputerName ==';
    const error = errorOf(text);
    assert.deepEqual([error.start, error.end], [text.length, text.length]);
    assert.equal(error.message, 'Expected a value after `==`');
  });

  it('asks for a value after an operator, at the token found instead', () => {
    assertErrorAt('A == and B == "1"', 'and', /^Expected a value after `==`$/);
  });

  it('suggests the closest function name for a typo', () => {
    const error = assertErrorAt(
      'X == "1" and fileexist("C:\\x")',
      'fileexist',
      /^Unknown function `fileexist` — did you mean `fileExists`\?$/,
    );
    assert.match(error.hint ?? '', /fileExists/);
  });

  it('does not guess for a name far from every function', () => {
    const error = assertErrorAt('frobnicate("x")', 'frobnicate', /^Unknown function `frobnicate`$/);
    assert.ok(error.hint);
  });

  it('explains %Var% on the left side', () => {
    const error = assertErrorAt('%OSDisk% == "C:"', '%OSDisk%', /without percent signs: `OSDisk`/);
    assert.match(error.hint ?? '', /step text/);
  });

  it('explains %Var% on the right side', () => {
    assertErrorAt('A == %B%', '%B%', /fixed text/);
  });

  it('explains %Var% inside exists()', () => {
    assertErrorAt('exists(%B%)', '%B%', /without percent signs: `B`/);
  });

  it('asks for double quotes around bare words and single-quoted text', () => {
    assertErrorAt('Make == Dell', 'Dell', /^Put `Dell` in double quotes/);
    assertErrorAt("Make == 'Dell'", "'Dell'", /double quotes/);
    assertErrorAt('wmi(SELECT)', 'SELECT', /double quotes/);
  });

  it('points at = and foreign operators with the word to use', () => {
    assertErrorAt('A = "1"', '=', /^Use `==` to compare$/);
    assertErrorAt('A == "1" && B == "2"', '&&', /^Use `and`/);
    assertErrorAt('A == "1" || B == "2"', '||', /^Use `or`/);
    assertErrorAt('!exists(A)', '!', /^Use `not`/);
    assertErrorAt('A <> "1"', '<>', /^Use `!=`/);
  });

  it('says when a variable has no comparison', () => {
    const error = assertErrorAt('OSDisk and A == "1"', 'OSDisk', /needs a comparison/);
    assert.match(error.hint ?? '', /exists\(OSDisk\)/);
  });

  it('says when a check is missing after and/or/not', () => {
    const text = 'A == "1" and';
    const error = errorOf(text);
    assert.deepEqual([error.start, error.end], [text.length, text.length]);
    assert.match(error.message, /Expected a check after `and`/);
    assertErrorAt('A == "1" or or B == "2"', 'or', /Expected a check after `or`/, 12);
  });

  it('points at an unclosed parenthesis and at a stray one', () => {
    assertErrorAt('A == "1" and (B == "2"', '(', /never closed/);
    assertErrorAt('A == "1")', ')', /no matching `\(`/);
  });

  it('points at text that does not continue the condition', () => {
    assertErrorAt('A == "1" B == "2"', 'B', /Expected `and`, `or` or the end/);
  });

  it('reports an unterminated string from its opening quote, with a hint on trailing backslashes', () => {
    const text = 'fileExists("C:\\Temp\\")';
    const error = errorOf(text);
    assert.deepEqual([error.start, error.end], [text.indexOf('"'), text.length]);
    assert.match(error.message, /no closing/);
    assert.match(error.hint ?? '', /backslash/);
  });

  it('checks arguments: count, quoting, unknown and repeated options, wrong option operator', () => {
    assertErrorAt('fileExists()', 'fileExists()', /needs one path/);
    assertErrorAt('wmi("SELECT 1", "root\\wmi")', '"root\\wmi"', /one too many/);
    assertErrorAt(
      'installed("{P}", nmae="x")',
      'nmae',
      /Unknown option `nmae` for `installed` — did you mean `name`\?/,
    );
    assertErrorAt('wmi("q", namespace="a", namespace="b")', 'namespace', /given twice/, 10);
    assertErrorAt('wmi("q", namespace=="a")', '==', /Use `=` to set `namespace`/);
    assertErrorAt('fileExists("x", version = "1")', '=', /Use `==` or another comparison/);
    assertErrorAt('fileExists("x", version like "1")', 'like', /only with task sequence variables/);
    assertErrorAt('wmi(namespace="a", "q")', '"q"', /go after the other values/);
    assertErrorAt('osLanguage(english)', 'english', /double quotes/);
    assertErrorAt('osLanguage("en-US")', '"en-US"', /not a language ID/);
  });

  it('checks registry keys and types', () => {
    assertErrorAt('registry("HKLM:\\SOFTWARE", "v") == "1"', '"HKLM:\\SOFTWARE"', /without a colon/);
    assertErrorAt('registryExists("HKLM\\X", "v", type="REG_DWROD")', '"REG_DWROD"', /did you mean `REG_DWORD`/);
    assertErrorAt('registryExists("HKLM\\X", "v", type="reg_sz")', '"reg_sz"', /did you mean `REG_SZ`/);
  });

  it('insists that registry() is compared and that other checks are not', () => {
    assertErrorAt('registry("HKLM\\X", "v")', 'registry("HKLM\\X", "v")', /Compare the registry value/);
    assertErrorAt('registry("HKLM\\X", "v") like "1%"', 'like', /only with task sequence variables/);
    assertErrorAt('fileExists("x") == "1"', '==', /check by itself/);
    assertErrorAt('exists(A) == "1"', '==', /check by itself/);
  });

  it('explains how exists() takes its variable', () => {
    assertErrorAt('exists("OSDisk")', '"OSDisk"', /without quotes/);
    assertErrorAt('exists(A, B)', ',', /one variable name/);
    assertErrorAt('exists(A.B)', 'A.B', /not a valid variable name/);
  });

  it('keeps platform() inside osVersion and single checks inside platform()', () => {
    assertErrorAt('platform("x")', 'platform', /only be used inside `osVersion/);
    assertErrorAt('osVersion(platform("x", any(wmi("q"))))', 'any', /cannot go inside `platform/);
    assertErrorAt('osVersion(Windows)', 'Windows', /List platforms by name/);
  });

  it('puts the variable first', () => {
    assertErrorAt('"true" == _SMSTSInWinPE', '"true"', /starts with the variable name/);
  });

  it('reports unclosed calls on the call itself', () => {
    assertErrorAt('wmi("q"', 'wmi(', /`wmi\(` is never closed/);
  });
});

describe('nesting limit', () => {
  it('refuses 10,000 nested parentheses with an error instead of overflowing the stack', () => {
    const text = '('.repeat(10_000) + 'A == "1"' + ')'.repeat(10_000);
    const error = errorOf(text);
    assert.match(error.message, /nested too deeply/);
    assert.equal(text[error.start], '(');
  });

  it('refuses 10,000 nested not and all() the same way', () => {
    assert.match(errorOf('not '.repeat(10_000) + 'A == "1"').message, /nested too deeply/);
    assert.match(errorOf('all('.repeat(10_000) + 'A == "1"' + ')'.repeat(10_000)).message, /nested too deeply/);
  });

  it('accepts nesting up to the limit', () => {
    const text = '('.repeat(99) + 'A == "1"' + ')'.repeat(99);
    assert.equal(parsed(text).children.length, 1);
  });

  it('handles a long flat chain without recursion trouble', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `V${i} == "${i}"`).join(' or ');
    const node = only(text);
    assert.equal(node.kind === 'or' ? node.children.length : 0, 5000);
  });
});

describe('the trailing-backslash trap', () => {
  it('explains a later error caused by \\" inside an earlier string', () => {
    const text = 'folderExists("E:\\") and X == "1"';
    const error = errorOf(text);
    assert.match(error.hint ?? '', /backslash right before `"`/);
  });

  it('accepts a path ending in a doubled backslash', () => {
    assertShape(only('folderExists("E:\\\\")'), { kind: 'folder', path: { value: 'E:\\' } });
  });
});
