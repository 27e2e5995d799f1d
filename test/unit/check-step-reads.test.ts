// What the check before a run reads of each step, and what it leaves alone since issue 18's eighth
// pass (docs/performance.md, "The check's reads of each step"): each rule below skips a read on the
// usual step, so each is held here to the findings it must still make where the read matters.
//   - invalid-value looks through a step's keys for `timeout:` and `successCodes:` only in a file
//     whose text may hold them (the words, or a backslash for a double-quoted key's escapes): a
//     time-out or exit code ConfigMgr cannot store is found written plainly, under a key spelled
//     with escapes, and through a merge key;
//   - invalid-value reads an option's span only for a report: a bad variable name and an overlong
//     value are reported where they are written;
//   - the variables a step writes are listed only for a step that writes one (read-only-variable
//     reports each kind of write, at its name);
//   - the placement walk asks a state for its environments by name: a step in the wrong
//     environment is reported with the step that put the sequence there;
//   - the rules that judge each node by its own fields share one walk of the nodes
//     (analysis/node-walk.ts) and look only at the nodes their test lets through: each
//     still reports every node it did, at the top level, in groups and at the first and last node.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, lint, yaml } from '../helpers/lint';
import { variableWrites } from '../../server/src/semantics/variable-flow';
import { parseDocument } from '../../server/src/model/document';
import type { SequenceModel, StepNode } from '../../server/src/model/sequence';

const TOO_LONG = /^A time-out of `.*` is longer than ConfigMgr can store/;
const NOT_AN_EXIT_CODE = /is not an exit code: exit codes are 32-bit numbers/;

function invalid(text: string) {
  return findings('invalid-value', { 'seq.tsq.yaml': text }).map((f) => ({
    line: f.line,
    text: f.text,
    message: f.message,
  }));
}

describe('invalid-value: time-outs and exit codes export cannot store', () => {
  test('written plainly', () => {
    const found = invalid(
      yaml(
        'sequence: Limits',
        'steps:',
        '  - name: Long',
        '    run: cmd /c a',
        '    timeout: 99999999999',
        '  - name: Codes',
        '    run: cmd /c b',
        '    successCodes: [0, 99999999999]',
      ),
    );
    assert.ok(
      found.some((f) => f.line === 5 && TOO_LONG.test(f.message)),
      JSON.stringify(found),
    );
    assert.ok(found.some((f) => f.line === 8 && f.text === '99999999999' && NOT_AN_EXIT_CODE.test(f.message)));
  });

  test('under a key spelled with escapes, the words nowhere in the text', () => {
    const text = yaml(
      'sequence: Escaped',
      'steps:',
      '  - name: Long',
      '    run: cmd /c a',
      '    "time\\x6Fut": 99999999999',
      '  - name: Codes',
      '    run: cmd /c b',
      '    "success\\u0043odes": [99999999999]',
    );
    assert.ok(!text.includes('timeout') && !text.includes('successCodes'));
    const found = invalid(text);
    assert.ok(
      found.some((f) => f.line === 5 && TOO_LONG.test(f.message)),
      JSON.stringify(found),
    );
    assert.ok(
      found.some((f) => f.line === 8 && NOT_AN_EXIT_CODE.test(f.message)),
      JSON.stringify(found),
    );
  });

  test('through a merge key', () => {
    const found = invalid(
      yaml(
        'sequence: Merged',
        'steps:',
        '  - name: First',
        '    run: cmd /c a',
        '    timeout: &long 99999999999',
        '  - <<: { timeout: *long, successCodes: [-4294967296] }',
        '    name: Second',
        '    run: cmd /c b',
      ),
    );
    assert.equal(found.filter((f) => TOO_LONG.test(f.message)).length, 2, JSON.stringify(found));
    assert.ok(
      found.some((f) => f.line === 6 && NOT_AN_EXIT_CODE.test(f.message)),
      JSON.stringify(found),
    );
  });

  test('a file without either word has none', () => {
    assert.deepEqual(invalid(yaml('sequence: Plain', 'steps:', '  - name: A', '    run: cmd /c a')), []);
  });
});

describe('invalid-value: variable names and values of Set Task Sequence Variable', () => {
  test('reported where they are written', () => {
    const found = invalid(
      yaml(
        'sequence: Vars',
        'steps:',
        '  - name: Bad name',
        '    action: SetTaskSequenceVariable',
        '    with: { variable: "bad name", value: x }',
        '  - name: Long value',
        '    action: SetTaskSequenceVariable',
        '    with:',
        '      variable: Fine',
        `      value: ${'v'.repeat(4001)}`,
      ),
    );
    assert.ok(
      found.some((f) => f.line === 5 && f.text === '"bad name"' && /not a valid variable name/.test(f.message)),
    );
    assert.ok(
      found.some((f) => f.line === 10 && f.text === 'v'.repeat(4001) && /4001 characters long/.test(f.message)),
    );
  });
});

describe('read-only-variable: every kind of write', () => {
  const text = yaml(
    'sequence: Writes',
    'steps:',
    '  - name: Quiet',
    '    run: cmd /c a',
    '  - name: Set',
    '    action: SetTaskSequenceVariable',
    '    with: { variable: _SMSTSSet, value: x }',
    '  - name: Output',
    '    action: RunCommandLine',
    '    with: { commandLine: cmd /c b, outputVariable: _Out }',
    '  - name: Download',
    '    action: DownloadPackageContent',
    '    with: { packages: [ABC00001], destination: variable, destinationVariable: _Base }',
    '  - name: Disk',
    '    action: FormatAndPartitionDisk',
    '    with:',
    '      partitions:',
    '        - { type: primary, volumeLetterVariable: _Drive }',
    '  - name: Rules',
    '    action: SetDynamicVariables',
    '    with:',
    '      rules:',
    '        - { when: { make: Dell }, variables: { _Dyn: x } }',
  );

  test('each is reported at its name', () => {
    const found = findings('read-only-variable', { 'seq.tsq.yaml': text });
    assert.deepEqual(
      found.map((f) => f.text),
      ['_SMSTSSet', '_Out', '_Base', '_Drive', '_Dyn'],
      JSON.stringify(found),
    );
  });

  test('each holds its value from the end of its step on; a step without writes gives none', () => {
    const doc = parseDocument('/ws/seq.tsq.yaml', text);
    const steps = (doc.model as SequenceModel).steps as StepNode[];
    const writes = variableWrites(doc);
    assert.deepEqual(
      writes.map((w) => [w.name, w.kind, w.effectiveFrom, w.step?.name]),
      [
        ['_SMSTSSet', 'set-step', steps[1].span.end, 'Set'],
        ['_Out', 'output', steps[2].span.end, 'Output'],
        ['_Base', 'download-base', steps[3].span.end, 'Download'],
        ['_Drive', 'drive-letter', steps[4].span.end, 'Disk'],
        ['_Dyn', 'dynamic-rule', steps[5].span.end, 'Rules'],
      ],
    );
  });
});

describe('run-environment: the step that put the sequence where it is', () => {
  test('after a restart into the full OS, and into Windows PE', () => {
    const found = findings('run-environment', {
      'seq.tsq.yaml': yaml(
        'sequence: Places',
        'steps:',
        '  - name: To the OS',
        '    action: RestartComputer',
        '    with: { target: hd }',
        '  - name: Format',
        '    action: FormatAndPartitionDisk',
        '    with: { partitions: [{ type: primary }] }',
        '  - name: To PE',
        '    action: RestartComputer',
        '    with: { target: winpe }',
        '  - name: Apps',
        '    action: InstallApplication',
        '    with: { applications: [App] }',
      ),
    });
    assert.equal(found.length, 2, JSON.stringify(found));
    assert.match(found[0].message, /To the OS/);
    assert.equal(found[0].text.length > 0, true);
    assert.match(found[1].message, /To PE/);
  });
});

describe('the rules of the shared walk of the nodes', () => {
  test('each reports every node it must, in groups and at the ends', () => {
    const text = yaml(
      'sequence: Walk',
      'steps:',
      `  - group: ${'G'.repeat(60)}`,
      '    when: Ring ===',
      '    steps:',
      '      - name: Bad action',
      '        action: RunCommandLin',
      '      - name: Cased action',
      '        action: runcommandline',
      '        with: { commandLine: cmd /c a }',
      '      - name: No package',
      '        action: InstallPackage',
      '        with: { program: Install }',
      '      - group: Inner',
      '        steps:',
      '          - name: Dyn',
      '            action: SetDynamicVariables',
      '            with:',
      '              rules:',
      '                - { makeAndModel: { make: Dell, model: "" }, variables: { "bad name": x } }',
      '  - name: Set',
      '    action: SetTaskSequenceVariable',
      '    with: { variable: "bad name", value: x }',
      `  - name: ${'N'.repeat(101)}`,
      `    description: ${'d'.repeat(300)}`,
      '    run: cmd /c b',
      '    when: exists(',
      '  - name: Last',
      '    action: InstallPackage',
      '    with: { program: Install }',
    );
    const walked = new Set([
      'name-length',
      'condition-syntax',
      'unknown-action',
      'missing-property',
      'dynamic-rules',
      'invalid-value',
    ]);
    const found = lint({ 'walk.tsq.yaml': text })
      .filter((f) => walked.has(f.code))
      .map((f) => `${f.line}:${f.column} ${f.severity} ${f.code}`);
    assert.deepEqual(found, [
      '3:12 warning name-length',
      '4:16 error condition-syntax',
      '7:17 error unknown-action',
      '9:17 error unknown-action',
      '13:9 error missing-property',
      '20:49 error dynamic-rules',
      '20:75 error invalid-value',
      '23:23 error invalid-value',
      '24:11 error name-length',
      '25:18 error name-length',
      '27:11 error condition-syntax',
      '30:5 error missing-property',
    ]);
  });
});
