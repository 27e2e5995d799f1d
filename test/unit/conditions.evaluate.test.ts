// Evaluating conditions against a simulated machine: the comparison rules of conditions.json
// ("evaluationNotes"), groups, machine checks, and the one-line reasons the simulator shows.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createConditionEnvironment,
  evaluateCondition,
  parseCondition,
  type ConditionFacts,
  type Evaluation,
} from '../../server/src/conditions';

function evaluate(text: string, facts: ConditionFacts = {}): Evaluation {
  const { ast, errors } = parseCondition(text);
  assert.deepEqual(errors, [], text);
  return evaluateCondition(ast!, createConditionEnvironment(facts));
}

const isTrue = (text: string, facts: ConditionFacts = {}) =>
  assert.equal(evaluate(text, facts).value, true, `${text} should be true`);
const isFalse = (text: string, facts: ConditionFacts = {}) =>
  assert.equal(evaluate(text, facts).value, false, `${text} should be false`);

describe('variable comparisons', () => {
  it('compares text for equality without regard to case', () => {
    const facts = { variables: { _SMSTSInWinPE: 'TRUE' } };
    isTrue('_SMSTSInWinPE == "true"', facts);
    isFalse('_SMSTSInWinPE != "True"', facts);
  });

  it('does not treat equal numbers in other spellings as equal text', () => {
    isFalse('Index == "01"', { variables: { Index: '1' } });
  });

  it('explains a failed equality with the actual and the expected value', () => {
    const result = evaluate('_SMSTSInWinPE == "true"', { variables: { _SMSTSInWinPE: 'false' } });
    assert.deepEqual(result, { value: false, explanation: '_SMSTSInWinPE is "false", not "true"' });
  });

  it('explains a failed inequality', () => {
    assert.equal(
      evaluate('IsUEFI != "True"', { variables: { IsUEFI: 'true' } }).explanation,
      'IsUEFI is "true", but must not be "True"',
    );
  });

  it('orders numbers as numbers when both sides are numbers', () => {
    const facts = { variables: { Build: '10' } };
    isTrue('Build > "9"', facts);
    isTrue('Build >= 10', facts);
    isTrue('Build <= "10.0"', facts);
    isFalse('Build < "9.5"', facts);
    isTrue('Build > "-3"', facts);
  });

  it('orders as text (ignoring case) when either side is not a number, and says so', () => {
    const facts = { variables: { Ring: 'beta', Build: '10' } };
    isTrue('Ring > "ALPHA"', facts);
    isFalse('Ring < "Alpha"', facts);
    isFalse('Build > "9a"', facts); // "10" sorts before "9A" as text
    assert.match(evaluate('Build > "9a"', facts).explanation, /compared as text/);
  });

  it('describes ordering results in words', () => {
    assert.equal(
      evaluate('Build >= "22000"', { variables: { Build: '19045' } }).explanation,
      'Build is "19045", not at least "22000"',
    );
    assert.equal(
      evaluate('Build < "22000"', { variables: { Build: '19045' } }).explanation,
      'Build is "19045", less than "22000"',
    );
  });

  it('finds variables whatever the case of their names', () => {
    isTrue('osdcomputername == "PC01"', { variables: { OSDComputerName: 'pc01' } });
  });
});

describe('variables that are not set', () => {
  it('makes exists false and notExists true', () => {
    isFalse('exists(SkipDisk)');
    isTrue('notExists(SkipDisk)');
    assert.equal(evaluate('exists(SkipDisk)').explanation, 'SkipDisk is not set');
  });

  it('counts a variable set to empty text as existing', () => {
    isTrue('exists(SkipDisk)', { variables: { SkipDisk: '' } });
    isFalse('notExists(SkipDisk)', { variables: { SkipDisk: '' } });
  });

  it('compares as empty text for every other operator', () => {
    isTrue('Missing == ""');
    isTrue('Missing != "x"');
    isFalse('Missing == "x"');
    isTrue('Missing < "a"');
    isTrue('Missing like "%"');
    assert.equal(evaluate('Missing == "x"').explanation, 'Missing is not set, not "x"');
  });
});

describe('like', () => {
  const matches = (value: string, pattern: string) =>
    evaluate(`V like "${pattern}"`, { variables: { V: value } }).value;

  it('lets % stand for any run of characters, including none', () => {
    assert.equal(matches('Windows 11 Enterprise', 'Windows%'), true);
    assert.equal(matches('Windows', 'Windows%'), true);
    assert.equal(matches('Windows 11', '%11'), true);
    assert.equal(matches('Windows 11', '%10%'), false);
  });

  it('lets _ stand for exactly one character', () => {
    assert.equal(matches('Win10', 'Win1_'), true);
    assert.equal(matches('Win1', 'Win1_'), false);
    assert.equal(matches('Win100', 'Win1_'), false);
  });

  it('ignores case and treats other characters, * and ? included, literally', () => {
    assert.equal(matches('LATITUDE 7440', 'latitude%'), true);
    assert.equal(matches('Latitude 7440', 'Latitude*'), false);
    assert.equal(matches('Latitude*', 'Latitude*'), true);
    assert.equal(matches('a.b', 'a_b'), true);
  });

  it('stays fast on patterns full of %', () => {
    const started = Date.now();
    assert.equal(matches('a'.repeat(5000), '%a%a%a%a%a%a%a%a%a%a%b'), false);
    assert.ok(Date.now() - started < 1000);
  });

  it('explains a miss', () => {
    assert.equal(
      evaluate('Model like "OptiPlex%"', { variables: { Model: 'Latitude 7440' } }).explanation,
      'Model is "Latitude 7440", which does not match "OptiPlex%"',
    );
  });
});

describe('groups', () => {
  const facts = { variables: { A: '1', B: '2' } };

  it('needs every top-level check, and names the first that fails', () => {
    const result = evaluate('A == "1" and B == "3" and C == "4"', facts);
    assert.deepEqual(result, { value: false, explanation: 'B is "2", not "3"' });
    isTrue('A == "1" and B == "2"', facts);
  });

  it('needs one check of an or, and names the one that passes', () => {
    assert.deepEqual(evaluate('A == "9" or B == "2"', facts), { value: true, explanation: 'B is "2"' });
  });

  it('lists every failed alternative when an or fails', () => {
    assert.equal(
      evaluate('A == "9" or B == "9"', facts).explanation,
      'none of these holds: A is "1", not "9"; B is "2", not "9"',
    );
  });

  it('makes not true when none of its children is true, over any number of them', () => {
    isTrue('none(A == "9", B == "9", C == "9")', facts);
    isFalse('none(A == "9", B == "2", C == "9")', facts);
    isFalse('none(A == "1", B == "2")', facts);
    isTrue('not A == "9"', facts);
  });

  it('explains not by the state of its child', () => {
    assert.deepEqual(evaluate('not exists(SkipDisk)', { variables: { SkipDisk: '1' } }), {
      value: false,
      explanation: 'SkipDisk is set',
    });
    assert.deepEqual(evaluate('not exists(SkipDisk)'), { value: true, explanation: 'SkipDisk is not set' });
  });

  it('gives empty groups their ConfigMgr meaning', () => {
    isTrue('all()');
    isFalse('any()');
    isTrue('none()');
  });
});

describe('machine checks', () => {
  it('files: existence, version part by part, timestamps across formats', () => {
    const facts: ConditionFacts = {
      files: { 'C:\\Windows\\System32\\ntdll.dll': { version: '10.0.22621.10', date: '2024-03-01T00:00:00Z' } },
    };
    isTrue('fileExists("c:/windows/system32/NTDLL.dll")', facts);
    isFalse('fileExists("C:\\Windows\\notepad.exe")', facts);
    isTrue('fileExists("C:\\Windows\\System32\\ntdll.dll", version > "10.0.22621.9")', facts);
    isTrue('fileExists("C:\\Windows\\System32\\ntdll.dll", version == "10.0.22621.10.0")', facts);
    isFalse('fileExists("C:\\Windows\\System32\\ntdll.dll", version >= "10.1")', facts);
    isTrue('fileExists("C:\\Windows\\System32\\ntdll.dll", date > "20240201000000.000000+000")', facts);
    isFalse('fileExists("C:\\Windows\\System32\\ntdll.dll", version > "1", date < "2024-01-01")', facts);
    assert.equal(
      evaluate('fileExists("C:\\Windows\\notepad.exe")', facts).explanation,
      'file C:\\Windows\\notepad.exe does not exist',
    );
  });

  it('files without known version or date fail those tests and say why', () => {
    const result = evaluate('fileExists("C:\\x.dll", version >= "1")', { files: ['C:\\x.dll'] });
    assert.deepEqual(result, { value: false, explanation: 'file C:\\x.dll exists, but its version is not known' });
  });

  it('folders: listed ones and the parents of listed files exist', () => {
    const facts: ConditionFacts = {
      files: ['C:\\Program Files\\Contoso\\app.exe'],
      folders: { 'D:\\Logs': { date: '2024-01-01T00:00:00Z' } },
    };
    isTrue('folderExists("C:\\Program Files\\Contoso\\\\")', facts);
    isTrue('folderExists("C:\\Program Files")', facts);
    isTrue('folderExists("D:\\Logs", date <= "2024-06-01T00:00:00Z")', facts);
    isFalse('folderExists("E:\\\\")', facts);
  });

  it('registry: data comparisons, short and long hives, default values', () => {
    const facts: ConditionFacts = {
      registry: {
        'HKLM\\SOFTWARE\\Contoso\\Ring': { type: 'REG_DWORD', data: '2' },
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\\': 'default data',
      },
    };
    isTrue('registry("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso", "Ring") >= "2"', facts);
    isTrue('registry("hklm\\software\\contoso", "ring") == 2', facts);
    isTrue('registry("HKLM\\SOFTWARE\\Contoso", "") == "DEFAULT DATA"', facts);
    isFalse('registry("HKLM\\SOFTWARE\\Contoso", "Missing") != "2"', facts);
    assert.equal(
      evaluate('registry("HKLM\\SOFTWARE\\Contoso", "Ring") == "1"', facts).explanation,
      'registry value HKLM\\SOFTWARE\\Contoso\\Ring is "2", not "1"',
    );
  });

  it('registry existence respects a stated type', () => {
    const facts: ConditionFacts = { registry: { 'HKLM\\SOFTWARE\\Contoso\\Ring': { type: 'REG_DWORD', data: '2' } } };
    isTrue('registryExists("HKLM\\SOFTWARE\\Contoso", "Ring")', facts);
    isTrue('registryExists("HKLM\\SOFTWARE\\Contoso", "Ring", type="REG_DWORD")', facts);
    isFalse('registryExists("HKLM\\SOFTWARE\\Contoso", "Ring", type="REG_SZ")', facts);
    isTrue('registryNotExists("HKLM\\SOFTWARE\\Contoso", "Ring", type="REG_SZ")', facts);
    isTrue('registryNotExists("HKLM\\SOFTWARE\\Contoso", "Other")', facts);
    assert.match(
      evaluate('registryExists("HKLM\\SOFTWARE\\Contoso", "Ring", type="REG_SZ")', facts).explanation,
      /is REG_DWORD, not REG_SZ/,
    );
  });

  it('WMI: results from the facts, unknown queries count as returning nothing', () => {
    const facts: ConditionFacts = { wmi: { 'SELECT * FROM Win32_Battery': true } };
    isTrue('wmi("select *   from win32_battery")', facts);
    isFalse('wmi("SELECT * FROM Win32_Tpm")', facts);
    assert.match(evaluate('wmi("SELECT * FROM Win32_Tpm")', facts).explanation, /not in the machine facts/);
  });

  it('OS language: from the facts, or from the WMI query ConfigMgr would run', () => {
    isTrue('osLanguage(1033)', { osLanguage: 1033 });
    assert.deepEqual(evaluate('osLanguage(1031)', { osLanguage: '1033' }), {
      value: false,
      explanation: 'the OS language is 1033, not 1031',
    });
    isTrue('osLanguage(2108)', {
      wmi: { "SELECT OsLanguage FROM Win32_OperatingSystem WHERE OsLanguage='2108'": true },
    });
    isFalse('osLanguage(2108)');
  });

  it('OS version: by platform name, or by the platform tests when the name is not known', () => {
    isTrue('osVersion("All x64 Windows 10 and higher Client", "All x64 Windows 11 and higher")', {
      osVersions: ['All x64 Windows 11 and higher'],
    });
    isFalse('osVersion("All x64 Windows 10 and higher Client")', { osVersions: ['All x64 Windows 11 and higher'] });
    const byTests = 'osVersion(platform("Custom", wmi("SELECT 1"), wmi("SELECT 2")))';
    isTrue(byTests, { wmi: { 'SELECT 1': true, 'SELECT 2': true } });
    isFalse(byTests, { wmi: { 'SELECT 1': true } });
    assert.equal(evaluate('osVersion("A", "B")').explanation, 'the OS is none of "A", "B"');
  });

  it('installed software: by product code, or any version by upgrade code', () => {
    const facts: ConditionFacts = { installed: ['{23170F69-40C1-2702-2201-000001000000}', { upgradeCode: '{U-1}' }] };
    isTrue('installed("{23170f69-40c1-2702-2201-000001000000}")', facts);
    isFalse('installed("{U-1}")', facts);
    isTrue('installedAnyVersion("{u-1}")', facts);
    assert.equal(
      evaluate('installed("{X}", name="Contoso Agent")', facts).explanation,
      '"Contoso Agent" {X} is not installed',
    );
  });

  it('verbatim expressions count as false unless the environment decides them', () => {
    const text = 'expression("SMS_TaskSequence_ComputerConditionExpression", AssetTag="LAB*")';
    const { ast } = parseCondition(text);
    assert.match(evaluateCondition(ast!, createConditionEnvironment({})).explanation, /cannot evaluate/);
    assert.equal(evaluateCondition(ast!, createConditionEnvironment({})).value, false);
    const env = { ...createConditionEnvironment({}), unknownExpression: () => true };
    assert.equal(evaluateCondition(ast!, env).value, true);
  });
});

describe('robustness', () => {
  it('refuses to recurse through a hand-built tree deeper than the limit', () => {
    let node: import('../../server/src/conditions').ConditionExpr = {
      kind: 'exists',
      variable: { name: 'A', start: 0, end: 0 },
      negated: false,
      start: 0,
      end: 0,
    };
    for (let i = 0; i < 10_000; i++) node = { kind: 'not', children: [node], start: 0, end: 0 };
    const result = evaluateCondition(node, createConditionEnvironment({}));
    assert.equal(result.value, false);
    assert.match(result.explanation, /too deeply/);
  });

  it('needs nothing but variable() from an environment', () => {
    const { ast } = parseCondition(
      'fileExists("C:\\x") or wmi("q") or registryExists("HKLM\\X") or installed("{P}") or osVersion("P") or osLanguage(1033)',
    );
    assert.equal(evaluateCondition(ast!, { variable: () => undefined }).value, false);
  });
});
