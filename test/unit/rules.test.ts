// Every analysis rule, with a case that trips it (at the right place, with the right words) and
// a case that does not. Fixtures are small in-memory workspaces.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG, findings, lint, yaml } from '../helpers/lint';
import { ALL_RULES } from '../../server/src/analysis/rules';

const seq = (...steps: string[]) => yaml('sequence: Test', 'steps:', ...steps);
const withBootImage = (...steps: string[]) => yaml('sequence: Test', 'bootImage: CM100005', 'steps:', ...steps);

describe('yaml-syntax', () => {
  test('an over-indented line is reported at the line, with a hint', () => {
    const [f, ...rest] = findings('yaml-syntax', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '     timeout: 5m') });
    assert.equal(rest.length, 0);
    assert.equal(f.line, 5);
    assert.equal(f.text, 'timeout: 5m');
    assert.match(f.hint!, /Align it/);
  });
  test('a file that cannot be decoded is reported instead of read', () => {
    const { documentFromBytes } = require('../../server/src/model/document') as typeof import('../../server/src/model/document');
    const doc = documentFromBytes('/x.tsq.yaml', new Uint8Array([0x73, 0x3a, 0x20, 0xff, 0xfe, 0x41]));
    assert.equal(doc.problems[0].code, 'unreadable-file');
    assert.match(doc.problems[0].message, /not valid UTF-8/);
  });
  test('valid YAML has no yaml-syntax finding', () => {
    assert.deepEqual(findings('yaml-syntax', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd') }), []);
  });
});

describe('schema', () => {
  test('an unknown step key is placed on the key, with did-you-mean', () => {
    const [f] = findings('schema', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    contineOnError: true') });
    assert.equal(f.text, 'contineOnError');
    assert.equal(f.message, '`contineOnError` is not a property of a step.');
    assert.equal(f.hint, 'Did you mean `continueOnError`?');
    assert.deepEqual(f.data, { fix: 'replace', candidates: ['continueOnError'] });
  });
  test('a value of the wrong type is described in plain words on the value', () => {
    const [f] = findings('schema', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    continueOnError: sometimes') });
    assert.equal(f.text, 'sometimes');
    assert.equal(f.message, '`continueOnError` must be true or false, not the text `sometimes`.');
  });
  test('a missing required field is reported on the mapping that lacks it', () => {
    const [f] = findings('schema', { 'a.tsq.yaml': seq('  - run: x.cmd') });
    assert.equal(f.message, 'A step needs `name`.');
    assert.equal(f.line, 3);
  });
  test('a step with neither action nor run is told what it needs', () => {
    const [f] = findings('schema', { 'a.tsq.yaml': seq('  - name: Nothing') });
    assert.match(f.message, /an `action:` \(a built-in step\) or a `run:` command line/);
  });
  test('a file that does not say its kind', () => {
    const [f] = findings('schema', { 'a.tsq.yaml': yaml('steps: []') });
    assert.equal(f.message, 'This file does not say what it is.');
  });
  test('catalog entries are checked too', () => {
    const [f] = findings('schema', { 'c.tsq.yaml': yaml('catalog: C', 'osImages:', '  - { id: X1, architecture: x65 }') });
    assert.match(f.message, /is not a valid `architecture`/);
    assert.equal(f.text, 'x65');
  });
  test('a well-formed sequence has no schema finding', () => {
    assert.deepEqual(findings('schema', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    continueOnError: true', '    timeout: 15m') }), []);
  });
});

describe('unknown-action', () => {
  test('a misspelled action suggests the closest step', () => {
    const [f] = findings('unknown-action', { 'a.tsq.yaml': seq('  - name: A', '    action: ApplyOperatingSytemImage') });
    assert.equal(f.text, 'ApplyOperatingSytemImage');
    assert.equal(f.hint, 'Did you mean `ApplyOperatingSystemImage`?');
    assert.deepEqual(f.data, { fix: 'replace', candidates: ['ApplyOperatingSystemImage'] });
  });
  test('the wrong case is reported with the right spelling', () => {
    const [f] = findings('unknown-action', { 'a.tsq.yaml': seq('  - name: A', '    action: restartcomputer', '    with: { target: hd }') });
    assert.equal(f.message, 'Action names are case-sensitive: write `RestartComputer`.');
  });
  test('a built-in action is fine', () => {
    assert.deepEqual(findings('unknown-action', { 'a.tsq.yaml': seq('  - name: A', '    action: RestartComputer', '    with: { target: hd }') }), []);
  });
});

describe('missing-property', () => {
  test('a required option without a default is reported, with an add-property fix', () => {
    const [f, ...rest] = findings('missing-property', { 'a.tsq.yaml': seq('  - name: A', '    action: RestartComputer') });
    assert.equal(rest.length, 0);
    assert.equal(f.message, 'Restart Computer needs `target`.');
    assert.equal(f.data?.fix, 'add-property');
    assert.equal(f.data && 'example' in f.data ? f.data.example : '', 'winpe');
  });
  test('an option required because another is set (index once an image is chosen)', () => {
    const [f] = findings('missing-property', { 'a.tsq.yaml': seq('  - name: A', '    action: ApplyOperatingSystemImage', '    with: { image: X1 }') });
    assert.equal(f.message, 'Apply Operating System Image needs `index` when `image` is set.');
  });
  test('an option required because another is empty (image or upgrade package)', () => {
    const [f] = findings('missing-property', { 'a.tsq.yaml': seq('  - name: A', '    action: ApplyOperatingSystemImage', '    with: { destinationDisk: 0, destinationPartition: 1 }') });
    assert.match(f.message, /needs `(image|upgradePackage)` when `(upgradePackage|image)` is not set/);
  });
  test('options with a default and checkboxes are never missing; run: supplies commandLine', () => {
    assert.deepEqual(findings('missing-property', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '  - name: B', '    action: RestartComputer', '    with: { target: hd }') }), []);
  });
  test('a list entry missing a required field is reported inside the list', () => {
    const [f] = findings('missing-property', { 'a.tsq.yaml': seq('  - name: P', '    action: FormatAndPartitionDisk', '    with:', '      disk: 0', '      partitionStyle: gpt', '      partitions:', '        - { size: 100 }') });
    assert.match(f.message, /needs `type`/);
    assert.equal(f.line, 9);
  });
});

describe('invalid-value', () => {
  test('an enum value outside the list, with did-you-mean', () => {
    const [f] = findings('invalid-value', { 'a.tsq.yaml': seq('  - name: P', '    action: FormatAndPartitionDisk', '    with: { disk: 0, partitionStyle: gtp, partitions: [] }') });
    assert.equal(f.text, 'gtp');
    assert.match(f.message, /`partitionStyle` must be one of `gpt`, `mbr`, or a %Variable%/);
  });
  test('a number outside its range', () => {
    const [f] = findings('invalid-value', { 'a.tsq.yaml': seq('  - name: A', '    action: ApplyDataImage', '    with: { image: X, index: 1, wipeDestinationPartition: true, destinationDisk: 100, destinationPartition: 1 }') });
    assert.match(f.message, /`destinationDisk` must be a whole number from 0 to 99, or a %Variable%/);
  });
  test('a password written in clear is refused', () => {
    const [f] = findings('invalid-value', { 'a.tsq.yaml': seq('  - name: J', '    action: JoinDomainOrWorkgroup', '    with: { joinType: domain, domainName: contoso.com, domainUsername: CONTOSO\\\\join, domainPassword: hunter2 }') });
    assert.equal(f.text, 'hunter2');
    assert.match(f.message, /a reference to the secret, not the secret itself/);
  });
  test('a variable name with spaces and a value over 4000 characters', () => {
    const long = 'x'.repeat(4001);
    const fs = findings('invalid-value', { 'a.tsq.yaml': yaml('sequence: T', 'variables:', `  Big: ${long}`, 'steps:', '  - name: S', '    action: SetTaskSequenceVariable', '    with: { variable: My Var, value: v }') });
    assert.equal(fs.length, 2);
    assert.match(fs[0].message, /4001 characters long; a task sequence variable holds at most 4000/);
    assert.equal(fs[1].message, '`My Var` is not a valid variable name.');
  });
  test('a %Variable% stands in for numbers and choices; env references stand in for secrets', () => {
    assert.deepEqual(findings('invalid-value', { 'a.tsq.yaml': seq('  - name: P', '    action: FormatAndPartitionDisk', '    with: { disk: "%DiskIndex%", partitionStyle: "%Style%", partitions: [] }', '  - name: J', '    action: JoinDomainOrWorkgroup', '    with: { joinType: domain, domainName: contoso.com, domainPassword: { env: JOIN_PASSWORD } }') }), []);
  });
});

describe('broken-reference', () => {
  const files = (body: string) => ({ 'a.tsq.yaml': body, 'catalog.tsq.yaml': CATALOG });
  test('an unknown package, with the closest IDs and a reference fix', () => {
    const [f] = findings('broken-reference', files(seq('  - name: A', '    run: x.cmd', '    package: TST00079')));
    assert.equal(f.text, 'TST00079');
    assert.equal(f.message, 'Package `TST00079` is not in any catalog of the workspace.');
    assert.match(f.hint!, /Did you mean TST00077 \(Scripts, version 4, x64\)/);
    assert.equal(f.data?.fix, 'reference');
  });
  test('a program the package does not have', () => {
    const [f] = findings('broken-reference', files(seq('  - name: A', '    action: InstallPackage', '    with: { package: TST00077, program: Instal }')));
    assert.equal(f.text, 'Instal');
    assert.match(f.hint!, /Its programs: Install, Configure/);
  });
  test('an image index the image does not have', () => {
    const [f] = findings('broken-reference', files(seq('  - name: A', '    action: ApplyOperatingSystemImage', '    with: { image: TST00042, index: 2 }')));
    assert.equal(f.message, 'OS image TST00042 (Windows 11, x64) has no image index 2.');
  });
  test('the boot image, applications and driver packages are checked', () => {
    const fs = findings('broken-reference', files(yaml('sequence: T', 'bootImage: TST00009', 'steps:', '  - name: A', '    action: InstallApplication', '    with: { applications: [App_7zip, App_8zip] }', '  - name: D', '    action: ApplyDriverPackage', '    with: { driverPackage: TST00051 }')));
    assert.deepEqual(fs.map((f) => f.text), ['TST00009', 'App_8zip', 'TST00051']);
  });
  test('undistributed content is a warning', () => {
    const [f] = findings('broken-reference', files(seq('  - name: A', '    run: x.cmd', '    package: TST00078')));
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /not distributed/);
  });
  test('a missing child sequence file, and one named with the wrong case', () => {
    const fs = findings('broken-reference', { 'a.tsq.yaml': seq('  - name: C', '    action: RunTaskSequence', '    with: { sequence: ./nope.tsq.yaml }', '  - name: D', '    action: RunTaskSequence', '    with: { sequence: .\\Child.TSQ.yaml }'), 'child.tsq.yaml': seq('  - name: X', '    run: x.cmd') });
    assert.equal(fs[0].message, 'The child sequence file `./nope.tsq.yaml` does not exist.');
    assert.equal(fs[1].severity, 'warning');
    assert.match(fs[1].message, /the case differs/);
  });
  test('against a partial catalog unknown IDs are warnings', () => {
    const [f] = findings('broken-reference', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    package: TST09999'), 'catalog.tsq.yaml': CATALOG.replace('siteCode: TST', 'siteCode: TST\npartial: true') });
    assert.equal(f.severity, 'warning');
  });
  test('dynamic references (%Var%) and known IDs pass; no catalog means no findings', () => {
    assert.deepEqual(findings('broken-reference', files(seq('  - name: A', '    run: x.cmd', '    package: "%PkgId%"', '  - name: B', '    action: InstallPackage', '    with: { package: tst00077, program: install }'))), []);
    assert.deepEqual(findings('broken-reference', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    package: NOPE0001') }), []);
  });
});

describe('unchecked-references', () => {
  test('without a catalog, one note at the first reference', () => {
    const fs = findings('unchecked-references', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    package: P1', '  - name: B', '    run: y.cmd', '    package: P2') });
    assert.equal(fs.length, 1);
    assert.equal(fs[0].severity, 'information');
    assert.equal(fs[0].text, 'P1');
  });
  test('with a catalog, no note', () => {
    assert.deepEqual(findings('unchecked-references', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    package: TST00077'), 'c.tsq.yaml': CATALOG }), []);
  });
});

describe('architecture-mismatch', () => {
  const files = (body: string) => ({ 'a.tsq.yaml': body, 'catalog.tsq.yaml': CATALOG });
  test('an x86 boot image for an x64 image cannot start the computer: an error', () => {
    const [f] = findings('architecture-mismatch', files(yaml('sequence: T', 'bootImage: TST00006', 'steps:', '  - name: A', '    action: ApplyOperatingSystemImage', '    with: { image: TST00042, index: 3 }')));
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'The boot image TST00006 is x86, but OS image TST00042 (Windows 11) is x64.');
  });
  test('x86 drivers and an x86-only application after an x64 image: warnings', () => {
    const fs = findings('architecture-mismatch', files(yaml('sequence: T', 'bootImage: TST00005', 'steps:', '  - name: A', '    action: ApplyOperatingSystemImage', '    with: { image: TST00042, index: 3 }', '  - name: D', '    action: ApplyDriverPackage', '    with: { driverPackage: TST00059 }', '  - name: S', '    action: InstallApplication', '    with: { applications: [App_legacy] }')));
    assert.deepEqual(fs.map((f) => [f.severity, f.text]), [['warning', 'TST00059'], ['warning', 'App_legacy']]);
  });
  test('an OS condition naming another architecture on the apply step', () => {
    const [f] = findings('architecture-mismatch', files(yaml('sequence: T', 'steps:', '  - name: A', '    action: ApplyOperatingSystemImage', '    when: osVersion("All x86 Windows 10 and higher")', '    with: { image: TST00042, index: 3 }')));
    assert.match(f.message, /only allows x86 platforms/);
  });
  test('matching architectures are fine', () => {
    assert.deepEqual(findings('architecture-mismatch', files(yaml('sequence: T', 'bootImage: TST00005', 'steps:', '  - name: A', '    action: ApplyOperatingSystemImage', '    with: { image: TST00042, index: 3 }', '  - name: D', '    action: ApplyDriverPackage', '    with: { driverPackage: TST00050 }'))), []);
  });
});

describe('read-only-variable', () => {
  test('writes to engine variables in every place they can be written', () => {
    const fs = findings('read-only-variable', { 'a.tsq.yaml': yaml('sequence: T', 'variables:', '  _SMSTSInWinPE: "true"', 'steps:', '  - name: S', '    action: SetTaskSequenceVariable', '    with: { variable: _SMSTSLastActionSucceeded, value: "true" }', '  - name: R', '    run: x.cmd', '    with: { outputVariable: _MyOutput }') });
    assert.deepEqual(fs.map((f) => f.text), ['_SMSTSInWinPE', '_SMSTSLastActionSucceeded', '_MyOutput']);
    assert.match(fs[0].message, /`_SMSTSInWinPE` is read-only: the task sequence engine sets it/);
    assert.match(fs[2].message, /reserved for the task sequence engine/);
  });
  test('collection variables in a catalog and machine variables are checked', () => {
    assert.equal(findings('read-only-variable', { 'c.tsq.yaml': yaml('catalog: C', 'collections:', '  - { id: C1, variables: { _SMSTSMP: x } }') }).length, 1);
    assert.equal(findings('read-only-variable', { 'm.tsq.yaml': yaml('machine: M', 'variables: { _SMSTSInWinPE: "false" }') }).length, 1);
  });
  test('ordinary names are fine', () => {
    assert.deepEqual(findings('read-only-variable', { 'a.tsq.yaml': yaml('sequence: T', 'variables: { OSDComputerName: PC01 }', 'steps: []') }), []);
  });
});

describe('undefined-variable', () => {
  test('a typo of a built-in variable in a command line, with did-you-mean', () => {
    const [f] = findings('undefined-variable', { 'a.tsq.yaml': seq('  - name: A', '    run: cmd /c echo %OSDComptuerName%') });
    assert.equal(f.text, '%OSDComptuerName%');
    assert.equal(f.severity, 'warning');
    assert.equal(f.hint, 'Did you mean `OSDComputerName`?');
  });
  test('a variable read before the step that sets it, and one tested in a condition', () => {
    const fs = findings('undefined-variable', { 'a.tsq.yaml': seq('  - name: A', '    run: cmd /c echo %Later%', '    when: Nobody == "x"', '  - name: S', '    action: SetTaskSequenceVariable', '    with: { variable: Later, value: v }', '  - name: B', '    run: cmd /c echo %Later%') });
    assert.deepEqual(fs.map((f) => f.text), ['%Later%', 'Nobody']);
  });
  test('known: built-ins, Windows variables, collection variables, and what a parent sets before the call', () => {
    const files = {
      'child.tsq.yaml': seq('  - name: A', '    run: cmd /c echo %FromParent% %LabRing% %windir% %_SMSTSMDataPath% %Ring% %OSDisk% %LateParent%', '    when: FromParent == "x"'),
      'parent.tsq.yaml': yaml('sequence: P', 'variables: { Ring: one }', 'steps:', '  - name: S', '    action: SetTaskSequenceVariable', '    with: { variable: FromParent, value: v }', '  - name: F', '    action: FormatAndPartitionDisk', '    with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary, volumeLetterVariable: OSDisk }] }', '  - name: C', '    action: RunTaskSequence', '    with: { sequence: ./child.tsq.yaml }', '  - name: L', '    action: SetTaskSequenceVariable', '    with: { variable: LateParent, value: v }'),
      'catalog.tsq.yaml': CATALOG,
    };
    assert.deepEqual(findings('undefined-variable', files, 'child.tsq.yaml').map((f) => f.text), ['%LateParent%'], 'a variable the parent sets only after the call does not reach the child');
  });
});

describe('condition-syntax', () => {
  test('a mistake is placed inside the condition', () => {
    const [f] = findings('condition-syntax', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    when: Ring = "pilot"') });
    assert.equal(f.line, 5);
    assert.equal(f.text, '=');
    assert.match(f.hint!, /Ring == "value"/);
  });
  test('inside a quoted YAML string the position still lands right', () => {
    const [f] = findings('condition-syntax', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', '    when: "Ring == \\"a\\" andd X == \\"b\\""') });
    assert.equal(f.text, 'andd');
  });
  test('every documented form parses', () => {
    const when = 'exists(A) and not (B == "1" or C like "W%") and wmi("SELECT * FROM Win32_Battery") and fileExists("C:\\Windows\\x.sys") and registry("HKLM\\SOFTWARE\\X", "V") == "1"';
    assert.deepEqual(findings('condition-syntax', { 'a.tsq.yaml': seq('  - name: A', '    run: x.cmd', `    when: '${when}'`) }), []);
  });
});

describe('child-cycle', () => {
  test('A runs B runs A: reported in both files with the chain', () => {
    const files = { 'a.tsq.yaml': seq('  - name: B', '    action: RunTaskSequence', '    with: { sequence: ./b.tsq.yaml }'), 'b.tsq.yaml': seq('  - name: A', '    action: RunTaskSequence', '    with: { sequence: ./A.tsq.yaml }') };
    const [fa] = findings('child-cycle', files, 'a.tsq.yaml');
    assert.equal(fa.message, 'This child sequence runs this sequence again: ./a.tsq.yaml → ./b.tsq.yaml → ./a.tsq.yaml.');
    assert.equal(findings('child-cycle', files, 'b.tsq.yaml').length, 1);
  });
  test('a sequence running itself', () => {
    const [f] = findings('child-cycle', { 'a.tsq.yaml': seq('  - name: Me', '    action: RunTaskSequence', '    with: { sequence: ./a.tsq.yaml }') });
    assert.equal(f.message, 'A sequence cannot run itself as a child.');
  });
  test('a chain without a loop is fine', () => {
    assert.deepEqual(findings('child-cycle', { 'a.tsq.yaml': seq('  - name: B', '    action: RunTaskSequence', '    with: { sequence: ./b.tsq.yaml }'), 'b.tsq.yaml': seq('  - name: X', '    run: x.cmd') }), []);
  });
});

describe('duplicate-id', () => {
  test('the second use of an id is reported, pointing at the first', () => {
    const [f] = findings('duplicate-id', { 'a.tsq.yaml': seq('  - group: G', '    id: x', '    steps:', '      - name: A', '        id: x', '        run: a.cmd') });
    assert.equal(f.line, 7);
    assert.equal(f.text, 'x');
  });
  test('distinct ids are fine', () => {
    assert.deepEqual(findings('duplicate-id', { 'a.tsq.yaml': seq('  - name: A', '    id: a', '    run: a.cmd', '  - name: B', '    id: b', '    run: b.cmd') }), []);
  });
});

describe('run-environment', () => {
  test('a Windows PE step after Setup Windows and ConfigMgr', () => {
    const [f] = findings('run-environment', { 'a.tsq.yaml': seq('  - name: Setup', '    action: SetupWindowsAndConfigMgr', '    with: { clientPackage: P }', '  - name: Part', '    action: FormatAndPartitionDisk', '    with: { disk: 0, partitionStyle: gpt, partitions: [] }') });
    assert.equal(f.text, 'FormatAndPartitionDisk');
    assert.equal(f.message, 'Format and Partition Disk runs only in Windows PE, but the sequence is in the full OS here (since “Setup”).');
  });
  test('a full-OS step in a group that only runs in Windows PE', () => {
    // With a boot image: a sequence without one never runs in Windows PE (winpe-without-boot-image).
    const [f] = findings('run-environment', { 'a.tsq.yaml': withBootImage('  - group: PE', '    when: _SMSTSInWinPE == "true"', '    steps:', '      - name: Apps', '        action: InstallApplication', '        with: { applications: [X] }') });
    assert.match(f.message, /Install Application runs only in the full OS, but the sequence is in Windows PE here/);
  });
  test('a child sequence entered in the wrong environment is reported at the call', () => {
    const files = { 'p.tsq.yaml': seq('  - name: R', '    action: RestartComputer', '    with: { target: hd }', '  - name: C', '    action: RunTaskSequence', '    with: { sequence: ./c.tsq.yaml }'), 'c.tsq.yaml': seq('  - name: Part', '    action: FormatAndPartitionDisk', '    with: { disk: 0, partitionStyle: gpt, partitions: [] }') };
    const [f] = findings('run-environment', files, 'p.tsq.yaml');
    assert.equal(f.text, './c.tsq.yaml');
    assert.match(f.message, /In this child sequence, step “Part”/);
  });
  test('a restart back into Windows PE makes the step fine; unknown start is never an error', () => {
    assert.deepEqual(findings('run-environment', { 'a.tsq.yaml': seq('  - name: Part', '    action: FormatAndPartitionDisk', '    with: { disk: 0, partitionStyle: gpt, partitions: [] }', '  - name: Setup', '    action: SetupWindowsAndConfigMgr', '    with: { clientPackage: P }', '  - name: R', '    action: RestartComputer', '    with: { target: winpe }', '  - name: Part again', '    action: FormatAndPartitionDisk', '    with: { disk: 1, partitionStyle: gpt, partitions: [] }') }), []);
  });
});

describe('suppression comments', () => {
  const body = seq('  - name: A', '    # tsq-disable-next-line unknown-action', '    action: Nope', '  - name: B', '    action: Nope2 # tsq-disable-line', '  - name: C', '    action: Nope3');
  test('next-line and same-line comments silence findings; others stay', () => {
    assert.deepEqual(findings('unknown-action', { 'a.tsq.yaml': body }).map((f) => f.text), ['Nope3']);
  });
  test('an unknown code in a suppression is reported', () => {
    const [f] = findings('suppression', { 'a.tsq.yaml': seq('  - name: A', '    # tsq-disable-next-line broken-refrence', '    run: x.cmd') });
    assert.match(f.message, /`broken-refrence` is not a tsq rule/);
  });
});

describe('severity overrides', () => {
  test('a rule can be turned off or lowered', () => {
    const files = { 'a.tsq.yaml': seq('  - name: A', '    action: Nope') };
    assert.deepEqual(lint(files, undefined, { severity: { 'unknown-action': 'off' } }).filter((f) => f.code === 'unknown-action'), []);
    assert.equal(lint(files, undefined, { severity: { 'unknown-action': 'hint' } }).find((f) => f.code === 'unknown-action')!.severity, 'hint');
  });
});

describe('the rule list', () => {
  test('every rule has a unique code, a title and a description', () => {
    const codes = ALL_RULES.map((r) => r.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const r of ALL_RULES) {
      assert.match(r.code, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      assert.ok(r.title.length > 10 && r.description.length > 40, r.code);
    }
  });
  test('a rule that throws does not stop the others', () => {
    const { analyzeDocument } = require('../../server/src/analysis/analyze') as typeof import('../../server/src/analysis/analyze');
    const { workspaceOf } = require('../helpers/lint') as typeof import('../helpers/lint');
    const ws = workspaceOf({ 'a.tsq.yaml': seq('  - name: A', '    action: Nope') });
    const doc = ws.get('/ws/a.tsq.yaml')!;
    const boom = { code: 'boom', defaultSeverity: 'error' as const, title: 'explodes on purpose', description: 'a rule that always throws', kinds: ['any' as const], check() { throw new Error('kaboom'); } };
    const out = analyzeDocument(ws, doc, { rules: [boom, ...ALL_RULES] });
    assert.ok(out.some((d) => d.code === 'internal-error' && /kaboom/.test(d.message)));
    assert.ok(out.some((d) => d.code === 'unknown-action'));
  });
});
