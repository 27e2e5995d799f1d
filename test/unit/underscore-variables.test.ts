// Underscore variables as Microsoft documents them. ConfigMgr: "Read-only task sequence variables
// can be read by steps in a task sequence but they can't be set"
// (https://learn.microsoft.com/mem/configmgr/osd/understand/using-task-sequence-variables), and its
// variable reference documents no `_` variable as settable; `_SMSTSOrgName` is called read-only
// there ("The task sequence stores this value in the read-only variable",
// https://learn.microsoft.com/mem/configmgr/osd/understand/user-experience). MDT documents setting
// `_SMSTSOrgName` in Bootstrap.ini, CustomSettings.ini or its database, for ZTI (ConfigMgr) too
// (https://learn.microsoft.com/mem/configmgr/mdt/toolkit-reference#_smstsorgname).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, yaml } from '../helpers/lint';
import { findVariable } from '../../server/src/catalog';

const setOrgName = [
  '  - name: Brand the progress window',
  '    action: SetTaskSequenceVariable',
  '    with: { variable: _SMSTSOrgName, value: Contoso IT }',
];
const gather = ['  - name: Gather', '    action: Gather', '    with: { localOnly: true }'];

describe('read-only-variable and the documented access of underscore variables', () => {
  test('in a ConfigMgr sequence, setting _SMSTSOrgName is an error whose hint names the client setting and MDT’s page', () => {
    const [f] = findings('read-only-variable', { 'a.tsq.yaml': yaml('sequence: Plain', 'steps:', ...setOrgName) });
    assert.equal(f.severity, 'error');
    assert.equal(
      f.message,
      '`_SMSTSOrgName` is read-only: the task sequence engine sets it, so it cannot be set with Set Task Sequence Variable.',
    );
    assert.match(f.hint!, /Organization name client setting/);
    assert.match(f.hint!, /mdt\/toolkit-reference#_smstsorgname/);
  });

  test('in a sequence that uses MDT steps, it is a warning citing MDT’s documentation', () => {
    const [f] = findings('read-only-variable', {
      'a.tsq.yaml': yaml('sequence: MDT', 'steps:', ...gather, ...setOrgName),
    });
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /read-only in ConfigMgr, but MDT documents setting it, and this sequence uses MDT/);
    assert.match(f.hint!, /https:\/\/learn\.microsoft\.com\/mem\/configmgr\/mdt\/toolkit-reference#_smstsorgname/);
  });

  test('as a sequence variable of an MDT sequence, also a warning', () => {
    const [f] = findings('read-only-variable', {
      'a.tsq.yaml': yaml('sequence: MDT', 'variables:', '  _SMSTSOrgName: Contoso', 'steps:', ...gather),
    });
    assert.equal(f.severity, 'warning');
  });

  test('other underscore variables stay errors in MDT sequences: none is documented as settable', () => {
    const fs = findings('read-only-variable', {
      'a.tsq.yaml': yaml(
        'sequence: MDT',
        'steps:',
        ...gather,
        '  - name: S',
        '    action: SetTaskSequenceVariable',
        '    with: { variable: _SMSTSPackageName, value: x }',
        '  - name: T',
        '    action: SetTaskSequenceVariable',
        '    with: { variable: _MyOwn, value: x }',
      ),
    });
    assert.deepEqual(
      fs.map((f) => f.severity),
      ['error', 'error'],
    );
  });

  test('a collection variable named _SMSTSOrgName stays an error: MDT documents its rules, not collection variables', () => {
    const fs = findings('read-only-variable', {
      'c.tsq.yaml': yaml(
        'catalog: Site',
        'collections:',
        '  - { id: CM100015, name: Lab, variables: { _SMSTSOrgName: Contoso } }',
      ),
    });
    assert.equal(fs[0].severity, 'error');
  });

  test('only _SMSTSOrgName carries MDT’s page in the variable catalog', () => {
    assert.equal(
      findVariable('_SMSTSOrgName')?.settableByMdt,
      'https://learn.microsoft.com/mem/configmgr/mdt/toolkit-reference#_smstsorgname',
    );
    const { allVariables } = require('../../server/src/catalog') as typeof import('../../server/src/catalog');
    assert.deepEqual(
      allVariables()
        .filter((v) => v.settableByMdt)
        .map((v) => v.name),
      ['_SMSTSOrgName'],
    );
  });
});

describe('undefined-variable shows names as they are written', () => {
  // %SCRIPTROOT% would make the sequence one that uses MDT, where it is a known MDT variable (docs/migrating-from-mdt.md).
  test('`%PKGROOT%` keeps its percent signs and its spelling; a condition variable is shown bare', () => {
    const fs = findings('undefined-variable', {
      'a.tsq.yaml': yaml(
        'sequence: S',
        'steps:',
        '  - name: A',
        '    run: cscript.exe "%PKGROOT%\\x.vbs"',
        '    when: Flavour == "x"',
      ),
    });
    assert.deepEqual(
      fs.map((f) => f.message).sort(),
      [
        '`%PKGROOT%` is not a built-in variable and nothing sets it before this point.',
        '`Flavour` is not a built-in variable and nothing sets it before this point.',
      ].sort(),
    );
  });
});
