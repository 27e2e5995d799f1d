// The lint rules that pin ConfigMgr's documented qualifications of where a step may be and what
// its options do: each with a case that trips it (at the right place, with the right words), a
// case that does not, and the address of the documentation it follows.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, lint, yaml } from '../helpers/lint';

const seq = (...steps: string[]) => yaml('sequence: Test', 'steps:', ...steps);
const withBootImage = (...steps: string[]) => yaml('sequence: Test', 'bootImage: CM100005', 'steps:', ...steps);
const PARTITION = ['    action: FormatAndPartitionDisk', '    with: { disk: 0, partitionStyle: gpt, partitions: [] }'];
const SETUP = ['    action: SetupWindowsAndConfigMgr', '    with: { clientPackage: P }'];

describe('child-boot-image', () => {
  // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence
  // "You can't select a task sequence with a boot image reference. For any deployment that
  // requires a boot image, specify it on the parent task sequence."
  const parent = withBootImage('  - name: Child', '    action: RunTaskSequence', '    with: { sequence: ./c.tsq.yaml }');
  test('a child with a boot image of its own is reported at the call, pointing at the child’s boot image', () => {
    const [f, ...rest] = findings('child-boot-image', { 'p.tsq.yaml': parent, 'c.tsq.yaml': yaml('sequence: Child', 'bootImage: CM100006', 'steps:', '  - { name: X, run: cmd /c x }') });
    assert.equal(rest.length, 0);
    assert.equal(f.text, './c.tsq.yaml');
    assert.equal(f.message, 'The child sequence “Child” has a boot image of its own (CM100006); Run Task Sequence cannot run a sequence that references a boot image.');
    assert.match(f.hint!, /give it to the sequence at the top/);
  });
  test('a child without a boot image is fine', () => {
    assert.deepEqual(findings('child-boot-image', { 'p.tsq.yaml': parent, 'c.tsq.yaml': seq('  - { name: X, run: cmd /c x }') }), []);
  });
});

describe('continue-on-error-ignored', () => {
  // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr
  // "Don't enable Continue on error on the Options tab. If there's an error during this step, the
  // task sequence fails whether or not you enable this setting."
  test('continueOnError on Setup Windows and ConfigMgr is a warning on the key, with a fix that removes it', () => {
    const [f] = findings('continue-on-error-ignored', { 'a.tsq.yaml': withBootImage('  - name: Setup', '    continueOnError: true', ...SETUP) });
    assert.equal(f.severity, 'warning');
    assert.equal(f.text, 'continueOnError: true');
    assert.equal(f.message, 'Setup Windows and ConfigMgr fails the task sequence when it fails, whatever continue on error says.');
    assert.deepEqual(f.data, { fix: 'remove-key' });
  });
  test('continueOnError on other steps, or set to false, is not reported', () => {
    assert.deepEqual(findings('continue-on-error-ignored', { 'a.tsq.yaml': withBootImage('  - name: Part', '    continueOnError: true', ...PARTITION, '  - name: Setup', '    continueOnError: false', ...SETUP) }), []);
  });
});

describe('setup-windows-in-full-os', () => {
  // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr
  // "...it can only be added during the Windows PE portion of the task sequence."
  test('a second Setup Windows and ConfigMgr, after the first moved the run into the new OS', () => {
    const [f, ...rest] = findings('setup-windows-in-full-os', { 'a.tsq.yaml': withBootImage('  - name: Setup', ...SETUP, '  - name: Setup again', ...SETUP) });
    assert.equal(rest.length, 0);
    assert.equal(f.line, 8);
    assert.equal(f.text, 'SetupWindowsAndConfigMgr');
    assert.equal(f.message, 'Setup Windows and ConfigMgr moves the sequence from Windows PE into the new Windows, but here the sequence is already in the full OS (since “Setup”).');
  });
  test('after a restart into the installed OS, and under `_SMSTSInWinPE == "false"`', () => {
    const restart = findings('setup-windows-in-full-os', { 'a.tsq.yaml': withBootImage('  - name: To OS', '    action: RestartComputer', '    with: { target: hd }', '  - name: Setup', ...SETUP) });
    assert.match(restart[0].message, /already in the full OS \(since “To OS”\)/);
    const condition = findings('setup-windows-in-full-os', { 'a.tsq.yaml': withBootImage('  - name: Setup', '    when: _SMSTSInWinPE == "false"', ...SETUP) });
    assert.equal(condition.length, 1);
  });
  test('in Windows PE, or where the environment is not known, it is fine', () => {
    assert.deepEqual(findings('setup-windows-in-full-os', { 'a.tsq.yaml': withBootImage('  - name: Part', ...PARTITION, '  - name: Setup', ...SETUP) }), []);
    assert.deepEqual(findings('setup-windows-in-full-os', { 'a.tsq.yaml': withBootImage('  - name: Setup', ...SETUP, '  - name: Back', '    action: RestartComputer', '    with: { target: winpe }', '  - name: Setup again', ...SETUP) }), []);
  });
});

describe('winpe-without-boot-image', () => {
  // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence
  // "For any deployment that requires a boot image, specify it on the parent task sequence."
  // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RestartComputer
  // "The boot image assigned to this task sequence": a restart into Windows PE uses the sequence's.
  test('a Windows PE step, a restart into Windows PE and Setup Windows and ConfigMgr in a sequence without a boot image', () => {
    const found = findings('winpe-without-boot-image', { 'a.tsq.yaml': seq('  - name: Part', ...PARTITION, '  - name: To PE', '    action: RestartComputer', '    with: { target: winpe }', '  - name: Setup', ...SETUP) });
    assert.deepEqual(found.map((f) => f.text), ['FormatAndPartitionDisk', 'RestartComputer', 'SetupWindowsAndConfigMgr']);
    assert.equal(found[0].message, 'Format and Partition Disk runs only in Windows PE, but “Test” has no boot image, so it never runs in Windows PE.');
    assert.equal(found[1].message, 'Restart Computer into Windows PE needs the boot image of the sequence, but “Test” has no boot image, so it never runs in Windows PE.');
    assert.match(found[2].message, /^Setup Windows and ConfigMgr starts in Windows PE/);
  });
  test('a Windows PE step waiting for `_SMSTSInWinPE == "true"` is still reported: the condition is never true', () => {
    const [f] = findings('winpe-without-boot-image', { 'a.tsq.yaml': seq('  - group: PE', '    when: _SMSTSInWinPE == "true"', '    steps:', '      - name: Part', '        action: FormatAndPartitionDisk', '        with: { disk: 0, partitionStyle: gpt, partitions: [] }') });
    assert.equal(f.text, 'FormatAndPartitionDisk');
  });
  test('with a boot image, or as the child of a sequence that has one, it is fine', () => {
    assert.deepEqual(findings('winpe-without-boot-image', { 'a.tsq.yaml': withBootImage('  - name: Part', ...PARTITION) }), []);
    const parent = withBootImage('  - name: Child', '    action: RunTaskSequence', '    with: { sequence: ./c.tsq.yaml }');
    assert.deepEqual(findings('winpe-without-boot-image', { 'c.tsq.yaml': seq('  - name: Part', ...PARTITION), 'p.tsq.yaml': parent }), []);
  });
  test('the run-environment rule does not report the same steps again', () => {
    const codes = lint({ 'a.tsq.yaml': seq('  - name: Part', ...PARTITION) }).map((f) => f.code);
    assert.ok(codes.includes('winpe-without-boot-image'));
    assert.ok(!codes.includes('run-environment'));
  });
});
