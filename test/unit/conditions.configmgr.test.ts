// Mapping between `when:` trees and ConfigMgr's condition model, checked with conditions written
// by hand after the <condition> elements of real exported sequences (the interop tests' samples)
// and the condition types of ConfigMgr's task sequence editor
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-editor#bkmk_conditions):
// every expression type, both round trips, normalisation, and verbatim fallback.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  fromConfigMgr,
  parseCondition,
  printCondition,
  sameCondition,
  toConfigMgr,
  type CmCondition,
  type CmConditionElement,
  type CmExpression,
  type ConditionNode,
  type ConditionRoot,
} from '../../server/src/conditions';

const VARIABLE = 'SMS_TaskSequence_VariableConditionExpression';
const WMI = 'SMS_TaskSequence_WMIConditionExpression';
const FILE = 'SMS_TaskSequence_FileConditionExpression';
const FOLDER = 'SMS_TaskSequence_FolderConditionExpression';
const REGISTRY = 'SMS_TaskSequence_RegistryConditionExpression';
const SOFTWARE = 'SMS_TaskSequence_SoftwareConditionExpression';

const expr = (type: string, ...pairs: [string, string][]): CmExpression => ({
  kind: 'expression',
  type,
  variables: pairs.map(([name, value]) => ({ name, value })),
});
const variable = (name: string, operator: string, value = '') =>
  expr(VARIABLE, ['Variable', name], ['Operator', operator], ['Value', value]);
const condition = (...children: CmCondition[]): CmConditionElement => ({ kind: 'condition', children });
const operator = (type: 'and' | 'or' | 'not', ...children: CmCondition[]): CmCondition => ({
  kind: 'operator',
  type,
  children,
});

function imported(cm: CmConditionElement): { ast: ConditionRoot; text: string; warnings: string[] } {
  const { ast, warnings } = fromConfigMgr(cm);
  assert.ok(ast && ast.kind === 'condition');
  return { ast, text: printCondition(ast), warnings };
}

/** XML model -> tree -> text -> tree -> XML model gives back `expected` (default: the input). */
function assertRoundTrip(cm: CmConditionElement, expected: CmConditionElement = cm): string {
  const { ast, text } = imported(cm);
  assert.deepEqual(toConfigMgr(ast), expected, 'tree -> ConfigMgr');
  const reparsed = parseCondition(text);
  assert.deepEqual(reparsed.errors, [], `printed import does not parse: ${text}`);
  assert.ok(sameCondition(reparsed.ast, ast), `printed import parses differently: ${text}`);
  assert.deepEqual(toConfigMgr(reparsed.ast!), expected, 'text -> ConfigMgr');
  return text;
}

function exported(text: string): CmConditionElement {
  const result = parseCondition(text);
  assert.deepEqual(result.errors, []);
  return toConfigMgr(result.ast!);
}

describe('conditions from the sample exports', () => {
  it('Make equals Lenovo (DeploymentResearch CONVERT-ts.xml)', () => {
    const text = assertRoundTrip(condition(variable('Make', 'equals', 'Lenovo')));
    assert.equal(text, 'Make == "Lenovo"');
  });

  it('a one-child or group stays a group (WindowsAutoPilotForExistingDevices.xml)', () => {
    const text = assertRoundTrip(condition(operator('or', variable('PHASE', 'equals', 'VALIDATION'))));
    assert.equal(text, 'any(PHASE == "VALIDATION")');
  });

  it('MDT variable order (Operator, Value, Variable) is read and written in ConfigMgr order (erikpt ts.xml)', () => {
    const mdt = condition(expr(VARIABLE, ['Operator', 'notEquals'], ['Value', 'True'], ['Variable', 'IsUEFI']));
    const text = assertRoundTrip(mdt, condition(variable('IsUEFI', 'notEquals', 'True')));
    assert.equal(text, 'IsUEFI != "True"');
  });

  it('Make is HP or Hewlett-Packard (erikpt ts.xml)', () => {
    const text = assertRoundTrip(
      condition(operator('or', variable('Make', 'equals', 'HP'), variable('Make', 'equals', 'Hewlett-Packard'))),
    );
    assert.equal(text, 'Make == "HP" or Make == "Hewlett-Packard"');
  });

  it('three WMI queries in an or, with quotes inside the queries (erikpt ts.xml)', () => {
    const wmi = (q: string) => expr(WMI, ['Namespace', 'root\\cimv2'], ['Query', q]);
    const cm = condition(
      operator(
        'or',
        wmi('SELECT * FROM Win32_ComputerSystem WHERE Manufacturer = "HP"'),
        wmi('SELECT * FROM Win32_ComputerSystem WHERE Manufacturer LIKE "HP%"'),
        wmi('SELECT * FROM Win32_ComputerSystem WHERE Manufacturer LIKE "Hewlett%"'),
      ),
    );
    const text = assertRoundTrip(cm);
    assert.match(text, /^wmi\("SELECT \* FROM Win32_ComputerSystem WHERE Manufacturer = \\"HP\\""\) or /);
  });

  it('none of (SYSDISK exists) is not exists(SYSDISK), distinct from notExists (erikpt ts.xml)', () => {
    assert.equal(assertRoundTrip(condition(operator('not', variable('SYSDISK', 'exists')))), 'not exists(SYSDISK)');
    assert.equal(assertRoundTrip(condition(variable('SYSDISK', 'exists'))), 'exists(SYSDISK)');
    assert.equal(assertRoundTrip(condition(variable('SYSDISK', 'notExists'))), 'notExists(SYSDISK)');
  });

  it('the conditions.json example: an and holding an equals and a not', () => {
    const cm = condition(
      operator('and', variable('_SMSTSInWinPE', 'equals', 'true'), operator('not', variable('SkipDisk', 'exists'))),
    );
    assert.equal(assertRoundTrip(cm), '(_SMSTSInWinPE == "true" and not exists(SkipDisk))');
  });

  it('an empty <condition> maps to an empty tree and prints as nothing', () => {
    const { ast, text, warnings } = imported(condition());
    assert.deepEqual(ast.children, []);
    assert.equal(text, '');
    assert.deepEqual(warnings, []);
    assert.deepEqual(toConfigMgr(ast), condition());
  });
});

describe('the top-level implicit AND', () => {
  it('does not wrap a single check in an and', () => {
    assert.deepEqual(exported('A == "1"'), condition(variable('A', 'equals', '1')));
  });

  it('writes a top-level and-chain as several children of <condition>', () => {
    assert.deepEqual(
      exported('A == "1" and B == "2"'),
      condition(variable('A', 'equals', '1'), variable('B', 'equals', '2')),
    );
  });

  it('writes a parenthesised and-chain as one <operator type="and">', () => {
    assert.deepEqual(
      exported('(A == "1" and B == "2")'),
      condition(operator('and', variable('A', 'equals', '1'), variable('B', 'equals', '2'))),
    );
  });

  it('round-trips several top-level children of mixed kinds', () => {
    const cm = condition(
      variable('A', 'equals', '1'),
      operator('or', variable('B', 'equals', '2'), variable('C', 'like', 'x%')),
      operator('and', variable('D', 'less', '4')),
    );
    assert.equal(assertRoundTrip(cm), 'A == "1" and (B == "2" or C like "x%") and all(D < "4")');
  });
});

describe('every expression type', () => {
  it('variable operators, all nine', () => {
    for (const op of ['equals', 'notEquals', 'greater', 'greaterEqual', 'less', 'lessEqual', 'like']) {
      assertRoundTrip(condition(variable('OSDBuild', op, '22000')));
    }
    assertRoundTrip(condition(variable('X', 'exists')));
    assertRoundTrip(condition(variable('X', 'notExists')));
  });

  it('capitalised operators from MDT are read and written in lower camel case', () => {
    const text = assertRoundTrip(
      condition(variable('Make', 'Equals', 'Dell'), variable('Y', 'NotExists')),
      condition(variable('Make', 'equals', 'Dell'), variable('Y', 'notExists')),
    );
    assert.equal(text, 'Make == "Dell" and notExists(Y)');
  });

  it('WMI with the default and with another namespace', () => {
    assert.equal(
      assertRoundTrip(condition(expr(WMI, ['Namespace', 'root\\cimv2'], ['Query', 'SELECT * FROM Win32_Battery']))),
      'wmi("SELECT * FROM Win32_Battery")',
    );
    assert.equal(
      assertRoundTrip(condition(expr(WMI, ['Namespace', 'root\\wmi'], ['Query', 'SELECT * FROM MSAcpi']))),
      'wmi("SELECT * FROM MSAcpi", namespace="root\\wmi")',
    );
    // Another spelling of the default namespace is kept as written.
    assert.equal(
      assertRoundTrip(condition(expr(WMI, ['Namespace', 'ROOT\\CIMV2'], ['Query', 'SELECT 1']))),
      'wmi("SELECT 1", namespace="ROOT\\CIMV2")',
    );
  });

  it('OS language, stored as the WMI query the console writes', () => {
    const cm = condition(
      expr(
        WMI,
        ['Namespace', 'root\\cimv2'],
        ['Query', "SELECT OsLanguage FROM Win32_OperatingSystem WHERE OsLanguage='2108'"],
      ),
    );
    assert.equal(assertRoundTrip(cm), 'osLanguage(2108)');
  });

  it('a language query written another way stays a WMI query', () => {
    const cm = condition(
      expr(WMI, ['Namespace', 'root\\cimv2'], ['Query', 'SELECT * FROM Win32_OperatingSystem WHERE OSLanguage=1031']),
    );
    assert.equal(assertRoundTrip(cm), 'wmi("SELECT * FROM Win32_OperatingSystem WHERE OSLanguage=1031")');
  });

  it('file exists, file version, file timestamp, and both', () => {
    assert.equal(assertRoundTrip(condition(expr(FILE, ['Path', 'c:\\test.txt']))), 'fileExists("c:\\test.txt")');
    assert.equal(
      assertRoundTrip(
        condition(expr(FILE, ['Path', 'C:\\x.dll'], ['Version', '10.0.1'], ['VersionOperator', 'greaterEqual'])),
      ),
      'fileExists("C:\\x.dll", version >= "10.0.1")',
    );
    assert.equal(
      assertRoundTrip(
        condition(
          expr(FILE, ['Path', 'C:\\x.dll'], ['DateTime', '20240101000000.000000+000'], ['DateTimeOperator', 'less']),
        ),
      ),
      'fileExists("C:\\x.dll", date < "20240101000000.000000+000")',
    );
    assertRoundTrip(
      condition(
        expr(
          FILE,
          ['Path', 'C:\\x.dll'],
          ['Version', '1.0'],
          ['VersionOperator', 'equals'],
          ['DateTime', '2024'],
          ['DateTimeOperator', 'notEquals'],
        ),
      ),
    );
  });

  it('empty version and timestamp fields are dropped as unused', () => {
    const cm = condition(
      expr(
        FILE,
        ['Path', 'C:\\x'],
        ['Version', ''],
        ['VersionOperator', ''],
        ['DateTime', ''],
        ['DateTimeOperator', ''],
      ),
    );
    const text = assertRoundTrip(cm, condition(expr(FILE, ['Path', 'C:\\x'])));
    assert.equal(text, 'fileExists("C:\\x")');
  });

  it('folder exists and folder timestamp', () => {
    assert.equal(assertRoundTrip(condition(expr(FOLDER, ['Path', 'C:\\Logs']))), 'folderExists("C:\\Logs")');
    assert.equal(
      assertRoundTrip(
        condition(
          expr(FOLDER, ['Path', 'C:\\Logs'], ['DateTime', '2024-05-01T10:00:00Z'], ['DateTimeOperator', 'greater']),
        ),
      ),
      'folderExists("C:\\Logs", date > "2024-05-01T10:00:00Z")',
    );
  });

  it('registry exists with a type, not exists, and a data comparison', () => {
    const key = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso';
    assert.equal(
      assertRoundTrip(
        condition(expr(REGISTRY, ['KeyPath', key], ['Value', 'Ring'], ['Type', 'REG_DWORD'], ['Operator', 'exists'])),
      ),
      `registryExists("${key}", "Ring", type="REG_DWORD")`,
    );
    assert.equal(
      assertRoundTrip(condition(expr(REGISTRY, ['KeyPath', key], ['Value', 'Ring'], ['Operator', 'notExists']))),
      `registryNotExists("${key}", "Ring")`,
    );
    assert.equal(
      assertRoundTrip(
        condition(
          expr(
            REGISTRY,
            ['KeyPath', key],
            ['Value', 'Ring'],
            ['Type', 'REG_SZ'],
            ['Data', '1'],
            ['Operator', 'equals'],
          ),
        ),
      ),
      `registry("${key}", "Ring", type="REG_SZ") == "1"`,
    );
  });

  it("reads the SDK's nonExists spelling and writes notExists", () => {
    const key = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso';
    const cm = condition(expr(REGISTRY, ['KeyPath', key], ['Value', 'Ring'], ['Operator', 'nonExists']));
    assertRoundTrip(cm, condition(expr(REGISTRY, ['KeyPath', key], ['Value', 'Ring'], ['Operator', 'notExists'])));
  });

  it('installed software: this version and any version, with all recorded details', () => {
    const thisVersion = condition(
      expr(
        SOFTWARE,
        ['ProductCode', '{P}'],
        ['ProductName', '7-Zip 19.00'],
        ['UpgradeCode', '{U}'],
        ['Version', '19.00.00.0'],
        ['Operator', 'ThisVersion'],
      ),
    );
    assert.equal(
      assertRoundTrip(thisVersion),
      'installed("{P}", name="7-Zip 19.00", version="19.00.00.0", upgradeCode="{U}")',
    );
    const anyVersion = condition(
      expr(
        SOFTWARE,
        ['ProductCode', '{P}'],
        ['ProductName', '7-Zip'],
        ['UpgradeCode', '{U}'],
        ['Version', '19.00'],
        ['Operator', 'AnyVersion'],
      ),
    );
    assert.equal(
      assertRoundTrip(anyVersion),
      'installedAnyVersion("{U}", productCode="{P}", name="7-Zip", version="19.00")',
    );
  });

  it('OS version groups keep platform names verbatim and the WMI tests inside each', () => {
    const platformTest = (q: string) => expr(WMI, ['Namespace', 'root\\cimv2'], ['Query', q]);
    const cm = condition({
      kind: 'osConditionGroup',
      type: 'or',
      groups: [
        {
          name: 'All x64 Windows 10 and higher Client',
          expressions: [
            platformTest('SELECT * FROM Win32_OperatingSystem WHERE ProductType = 1'),
            platformTest('SELECT * FROM Win32_Processor WHERE AddressWidth = 64'),
          ],
        },
        { name: 'All x64 Windows 11 and higher', expressions: [platformTest('SELECT 1')] },
      ],
    });
    const text = assertRoundTrip(cm);
    assert.match(text, /^osVersion\(platform\("All x64 Windows 10 and higher Client", wmi\(/);
  });

  it('a platform given by name only exports with no tests', () => {
    assert.deepEqual(
      exported('osVersion("All x64 Windows 11 and higher")'),
      condition({
        kind: 'osConditionGroup',
        type: 'or',
        groups: [{ name: 'All x64 Windows 11 and higher', expressions: [] }],
      }),
    );
  });
});

describe('what cannot be expressed is kept verbatim', () => {
  function assertKeptVerbatim(cm: CmExpression, reason: RegExp): string {
    const { ast, warnings } = imported(condition(cm));
    assert.equal(ast.children[0].kind, 'unknown');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], reason);
    return assertRoundTrip(condition(cm));
  }

  it('an expression type tsq does not know', () => {
    const text = assertKeptVerbatim(
      expr('SMS_TaskSequence_ComputerConditionExpression', ['AssetTag', 'LAB*'], ['SerialNumber', '?123']),
      /no words/,
    );
    assert.equal(
      text,
      'expression("SMS_TaskSequence_ComputerConditionExpression", AssetTag="LAB*", SerialNumber="?123")',
    );
  });

  it('an operator tsq does not know', () => {
    assertKeptVerbatim(variable('Make', 'contains', 'HP'), /operator "contains"/);
  });

  it('an exists test that carries a value', () => {
    assertKeptVerbatim(variable('Make', 'exists', 'HP'), /do not fit/);
  });

  it('a variable listed twice', () => {
    assertKeptVerbatim(
      expr(VARIABLE, ['Variable', 'A'], ['Operator', 'equals'], ['Value', '1'], ['Value', '2']),
      /do not fit/,
    );
  });

  it('a variable name the syntax cannot hold', () => {
    assertKeptVerbatim(variable('%Make%', 'equals', 'HP'), /variable name "%Make%"/);
  });

  it('a stray extra variable', () => {
    assertKeptVerbatim(expr(WMI, ['Namespace', 'root\\cimv2'], ['Query', 'SELECT 1'], ['Comment', 'x']), /do not fit/);
  });

  it('a WMI expression without a namespace', () => {
    assertKeptVerbatim(expr(WMI, ['Query', 'SELECT 1']), /do not fit/);
  });

  it('registry keys written with a PowerShell drive or a short hive', () => {
    assertKeptVerbatim(
      expr(REGISTRY, ['KeyPath', 'HKLM:\\SOFTWARE'], ['Value', 'v'], ['Operator', 'exists']),
      /without a colon/,
    );
    // Export spells hives out, so a short hive from XML could not survive; keep it as written.
    assertKeptVerbatim(
      expr(REGISTRY, ['KeyPath', 'HKLM\\SOFTWARE'], ['Value', 'v'], ['Operator', 'exists']),
      /do not fit/,
    );
  });

  it('a registry type tsq does not know', () => {
    assertKeptVerbatim(
      expr(REGISTRY, ['KeyPath', 'HKEY_USERS\\X'], ['Value', 'v'], ['Type', 'REG_LINK'], ['Operator', 'exists']),
      /REG_LINK/,
    );
  });

  it('a software condition without a known match operator', () => {
    assertKeptVerbatim(expr(SOFTWARE, ['ProductCode', '{P}'], ['Operator', 'Latest']), /operator "Latest"/);
  });

  it('verbatim expressions inside platforms and operators too', () => {
    const odd = expr('SMS_Custom', ['A', '1']);
    assertRoundTrip(
      condition(operator('not', odd), {
        kind: 'osConditionGroup',
        type: 'or',
        groups: [{ name: 'P', expressions: [odd] }],
      }),
    );
  });
});

describe('stability of both round trips', () => {
  it('text -> ConfigMgr -> text gives the same tree for canonical text', () => {
    const texts = [
      'A == "1" and (B != "2" or not C like "x_")',
      'fileExists("C:\\x", version > "1") or folderExists("C:\\y")',
      'registry("HKEY_LOCAL_MACHINE\\SOFTWARE\\X", "v") <= "5" and registryExists("HKEY_CURRENT_USER\\X", "")',
      'osLanguage(1033) and wmi("SELECT 1", namespace="root\\wmi") and installed("{P}") and installedAnyVersion("{U}")',
      'none(exists(A), notExists(B)) and all() and any(osVersion("X"))',
    ];
    for (const text of texts) {
      const ast = parseCondition(text).ast!;
      const back = fromConfigMgr(toConfigMgr(ast));
      assert.deepEqual(back.warnings, []);
      assert.ok(sameCondition(back.ast, ast), text);
      assert.equal(printCondition(back.ast!), text);
    }
  });

  it('spells out short registry hives on export, after which the trip is stable', () => {
    const ast = parseCondition('registry("HKLM\\SOFTWARE\\X", "v") == "1" and registryExists("hkcu\\Y", "w")').ast!;
    const cm = toConfigMgr(ast);
    const keys = cm.children.map((c) => (c as CmExpression).variables.find((v) => v.name === 'KeyPath')!.value);
    assert.deepEqual(keys, ['HKEY_LOCAL_MACHINE\\SOFTWARE\\X', 'HKEY_CURRENT_USER\\Y']);
    const once = fromConfigMgr(cm).ast!;
    assert.equal(
      printCondition(once),
      'registry("HKEY_LOCAL_MACHINE\\SOFTWARE\\X", "v") == "1" and registryExists("HKEY_CURRENT_USER\\Y", "w")',
    );
    assert.deepEqual(toConfigMgr(once), cm);
  });

  it('a verbatim expression that tsq does know becomes typed after one trip, then stays', () => {
    const ast = parseCondition(
      'expression("SMS_TaskSequence_VariableConditionExpression", Variable="A", Operator="equals", Value="1")',
    ).ast!;
    const once = fromConfigMgr(toConfigMgr(ast)).ast!;
    assert.equal(printCondition(once), 'A == "1"');
    assert.ok(sameCondition(fromConfigMgr(toConfigMgr(once as ConditionNode)).ast, once));
  });

  it('ConfigMgr -> text -> ConfigMgr is a fixed point after normalisation', () => {
    const mdt = condition(expr(VARIABLE, ['operator', 'GreaterEqual'], ['value', '5'], ['variable', 'N']));
    const once = toConfigMgr(fromConfigMgr(mdt).ast!) as CmConditionElement;
    assert.deepEqual(once, condition(variable('N', 'greaterEqual', '5')));
    assert.deepEqual(toConfigMgr(fromConfigMgr(once).ast!), once);
  });
});

describe('hostile input', () => {
  it('refuses nesting deeper than the limit with a warning instead of overflowing', () => {
    let deep: CmCondition = variable('A', 'equals', '1');
    for (let i = 0; i < 10_000; i++) deep = operator('not', deep);
    const result = fromConfigMgr(condition(deep));
    assert.equal(result.ast, undefined);
    assert.match(result.warnings[0], /nested more than/);
  });

  it('maps a bare expression (not wrapped in <condition>) to a bare check', () => {
    const { ast } = fromConfigMgr(variable('A', 'equals', '1'));
    assert.equal(ast?.kind, 'compare');
    assert.deepEqual(toConfigMgr(ast!), variable('A', 'equals', '1'));
  });
});

describe('generated ConfigMgr expressions', () => {
  // Random mixes of real and odd names, operators and values: whatever import makes of them must
  // print as text that parses back, and export must give the same expression up to normalisation.
  it('import, print, parse and export 3000 of them without loss', () => {
    let state = 42;
    const rand = (n: number) => (state = (state * 1103515245 + 12345) % 2147483648) % n;
    const pick = <T>(items: T[]): T => items[rand(items.length)];
    const types = [VARIABLE, WMI, FILE, FOLDER, REGISTRY, SOFTWARE, 'SMS_TaskSequence_ComputerConditionExpression'];
    const names = [
      'Variable',
      'Operator',
      'Value',
      'Namespace',
      'Query',
      'Path',
      'Version',
      'VersionOperator',
      'DateTime',
      'DateTimeOperator',
      'KeyPath',
      'Type',
      'Data',
      'ProductCode',
      'ProductName',
      'UpgradeCode',
      'operator',
      'Extra',
    ];
    const values = [
      '',
      'equals',
      'Equals',
      'like',
      'exists',
      'nonExists',
      'notExists',
      'greaterEqual',
      'ThisVersion',
      'AnyVersion',
      'root\\cimv2',
      'HKEY_LOCAL_MACHINE\\SOFTWARE',
      'HKLM\\X',
      'HKLM:\\X',
      'REG_SZ',
      'reg_sz',
      'OSDisk',
      '%V%',
      'C:\\',
      'a"b',
      '1.0',
      "SELECT OsLanguage FROM Win32_OperatingSystem WHERE OsLanguage='1033'",
    ];
    const normalise = (e: CmExpression) =>
      JSON.stringify(
        e.variables
          .filter((v) => v.value !== '')
          .map((v) => [
            v.name.toLowerCase(),
            /operator/i.test(v.name) ? v.value.toLowerCase().replace('nonexists', 'notexists') : v.value,
          ])
          .sort(),
      );
    for (let i = 0; i < 3000; i++) {
      const cm = expr(
        pick(types),
        ...Array.from({ length: 1 + rand(5) }, (): [string, string] => [pick(names), pick(values)]),
      );
      const { ast } = imported(condition(cm));
      const text = printCondition(ast);
      const reparsed = parseCondition(text);
      assert.deepEqual(reparsed.errors, [], text);
      const back = toConfigMgr(reparsed.ast!).children[0] as CmExpression;
      assert.equal(back.type, cm.type);
      if (ast.children[0].kind === 'unknown') assert.deepEqual(back, cm, text);
      else assert.equal(normalise(back), normalise(cm), text);
    }
  });
});
