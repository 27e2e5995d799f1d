// The condition builder: each kind of check the console's Options tab offers
// (https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-editor#conditions)
// becomes `when:` text that reads back as the same ConfigMgr condition.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildCondition, platformName, type CheckChoice } from '../../server/src/conditions/builder';
import { parseCondition, toConfigMgr } from '../../server/src/conditions';

function text(checks: CheckChoice[], join: 'all' | 'any' | 'none' = 'all', existing?: string): string {
  const r = buildCondition({ join, checks }, existing);
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.deepEqual(parseCondition(r.text).errors, [], r.text);
  return r.text;
}

function refused(check: CheckChoice): string {
  const r = buildCondition({ join: 'all', checks: [check] });
  assert.equal(r.ok, false);
  return (r as { message: string }).message;
}

describe('condition builder', () => {
  test('each kind of check', () => {
    assert.equal(
      text([{ kind: 'variable', variable: 'OSDComputerName', operator: 'like', value: 'LAB-%' }]),
      'OSDComputerName like "LAB-%"',
    );
    assert.equal(text([{ kind: 'variable', variable: 'SkipDisk', operator: 'notExists' }]), 'notExists(SkipDisk)');
    assert.equal(
      text([{ kind: 'osVersion', platforms: [platformName('x64', 'Windows 11')] }]),
      'osVersion("All x64 Windows 11 and higher")',
    );
    assert.equal(
      text([{ kind: 'file', path: 'C:\\Windows\\notepad.exe', version: { operator: 'greaterEqual', value: '10.0' } }]),
      'fileExists("C:\\Windows\\notepad.exe", version >= "10.0")',
    );
    assert.equal(text([{ kind: 'folder', path: 'C:\\Logs\\' }]), 'folderExists("C:\\Logs\\\\")');
    assert.equal(
      text([
        { kind: 'registry', key: 'HKLM\\SOFTWARE\\Contoso', valueName: 'Ring', operator: 'equals', data: 'pilot' },
      ]),
      'registry("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso", "Ring") == "pilot"',
    );
    assert.equal(
      text([
        {
          kind: 'registry',
          key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso',
          valueName: '',
          operator: 'exists',
          type: 'REG_SZ',
        },
      ]),
      'registryExists("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso", "", type="REG_SZ")',
    );
    assert.equal(
      text([{ kind: 'wmi', query: "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%7440%'" }]),
      'wmi("SELECT * FROM Win32_ComputerSystem WHERE Model LIKE \'%7440%\'")',
    );
    assert.equal(
      text([
        { kind: 'software', match: 'anyVersion', code: '{b038d5e8-6c93-4a05-9e21-240324cfdf0e}', name: 'Console' },
      ]),
      'installedAnyVersion("{B038D5E8-6C93-4A05-9E21-240324CFDF0E}", name="Console")',
    );
  });

  test('If all / any / none of several checks', () => {
    const a: CheckChoice = { kind: 'variable', variable: 'A', operator: 'equals', value: '1' };
    const b: CheckChoice = { kind: 'variable', variable: 'B', operator: 'exists' };
    assert.equal(text([a, b], 'all'), 'A == "1" and exists(B)');
    assert.equal(text([a, b], 'any'), 'A == "1" or exists(B)');
    assert.equal(text([a, b], 'none'), 'none(A == "1", exists(B))');
    const cm = toConfigMgr(parseCondition(text([a, b], 'none')).ast!);
    assert.equal(JSON.stringify(cm).includes('"not"'), true);
  });

  test('an existing condition stays and must also be true', () => {
    assert.equal(
      text([{ kind: 'variable', variable: 'B', operator: 'exists' }], 'all', '_SMSTSInWinPE == "true"'),
      '(_SMSTSInWinPE == "true") and exists(B)',
    );
    assert.equal(
      buildCondition({ join: 'all', checks: [{ kind: 'variable', variable: 'B', operator: 'exists' }] }, 'A ==').ok,
      false,
    );
  });

  test('what ConfigMgr would not take is refused, saying why', () => {
    assert.match(
      refused({ kind: 'variable', variable: '%OSDisk%', operator: 'equals', value: 'C:' }),
      /not a task sequence variable name/,
    );
    assert.match(
      refused({ kind: 'registry', key: 'HKLM:\\SOFTWARE', valueName: 'x', operator: 'exists' }),
      /without a colon/,
    );
    assert.match(refused({ kind: 'registry', key: 'SOFTWARE\\Contoso', valueName: 'x', operator: 'exists' }), /hive/);
    assert.match(refused({ kind: 'wmi', query: 'Win32_BIOS' }), /starts with SELECT/);
    assert.match(refused({ kind: 'software', match: 'thisVersion', code: 'not-a-guid' }), /product code/);
    assert.match(
      refused({ kind: 'file', path: 'C:\\x', date: { operator: 'less', value: '2024-01-01' } }),
      /yyyymmddHHMMSS/,
    );
    assert.match(refused({ kind: 'osVersion', platforms: [] }), /at least one platform/);
    assert.equal(buildCondition({ join: 'any', checks: [] }).ok, false);
  });
});
