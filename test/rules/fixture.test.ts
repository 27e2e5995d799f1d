// The rule fixtures' own machinery (fixture.ts): a fixture passes only when its annotations say
// exactly what tsq reports, annotations are told apart from the YAML's own comments, and each
// file of a case is linted with the others.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { caseText, FixtureError, parseFixture, renderCase, runCase } from './fixture';

const SHARED = path.join(__dirname, '../../../test/rules/shared');

/** Whether the fixture's one case says exactly what tsq reports. */
function holds(text: string): boolean {
  const fixture = parseFixture(text, 'test');
  const [c] = fixture.cases;
  return renderCase(fixture, c, runCase(c, SHARED)) === caseText(fixture, c);
}

const DUPLICATE = `#### two steps share an id
sequence: Test
steps:
  - name: A
    id: x
    run: a.cmd
  - name: B
    id: x
#       ^ error duplicate-id: The id \`x\` is already used by an earlier step or group in this file.
#         hint: Give this one a different id.
#         related: a.tsq.yaml:4:9 “x”: First use of this id
    run: b.cmd
`;

describe('a rule fixture', () => {
  test('holds when its annotations say exactly what tsq reports', () => {
    assert.ok(holds(DUPLICATE));
  });

  test('fails when a finding is not written down', () => {
    assert.ok(!holds(DUPLICATE.replace(/^#.*\n/gm, (line) => (line.startsWith('####') ? line : ''))));
  });

  test('fails when the place, the severity, the message, the hint or a related place differs', () => {
    assert.ok(!holds(DUPLICATE.replace('#       ^ error', '#      ^^ error')));
    assert.ok(!holds(DUPLICATE.replace('^ error', '^ warning')));
    assert.ok(!holds(DUPLICATE.replace('earlier step', 'earlier node')));
    assert.ok(!holds(DUPLICATE.replace('a different id', 'another id')));
    assert.ok(!holds(DUPLICATE.replace('a.tsq.yaml:4:9', 'a.tsq.yaml:5:9')));
  });

  test('fails when it expects a finding tsq does not report', () => {
    assert.ok(!holds(DUPLICATE.replace('- name: B\n    id: x', '- name: B\n    id: y')));
  });

  test('fails when a quick fix is missing or changes the text otherwise', () => {
    const fixed = `#### an unknown action
sequence: Test
steps:
  - name: A
    action: RestartComputr
#           ^^^^^^^^^^^^^^ error unknown-action: \`RestartComputr\` is not a built-in step.
#             hint: Did you mean \`RestartComputer\`?
#             fix: Change to \`RestartComputer\`
#               -    action: RestartComputr
#               +    action: RestartComputer
    with: { target: hd }
`;
    assert.ok(holds(fixed));
    assert.ok(!holds(fixed.replace('+    action: RestartComputer', '+    action: RestartComputers')));
    assert.ok(!holds(fixed.replace(/^#\s+(fix|[-+]).*\n/gm, '')));
  });

  test('a finding that starts at the first column or spans lines is written with its line and column', () => {
    const fixture = `#### no kind
steps: []
# @1:1-1:6 error schema: This file does not say what it is.
#   hint: Add a top-level key naming its kind: \`sequence:\`, \`catalog:\`, \`machine:\`, \`deployment:\`, \`media:\`.
`;
    assert.ok(holds(fixture));
  });

  test('a comment of the YAML below an annotation stays part of the file', () => {
    const parsed = parseFixture(
      `#### c
sequence: Test
#   ^^^^ error x: y
# a comment of the file
steps: []
`,
      'test',
    );
    assert.deepEqual(
      parsed.cases[0].files[0].lines.map((l) => l.text),
      ['sequence: Test', '# a comment of the file', 'steps: []'],
    );
    assert.deepEqual([...parsed.annotations], [2]);
  });

  test('files of a case are linted together; a shared file must be used as it is', () => {
    const parsed = parseFixture(
      `#### c
#=== d.tsq.yaml
deployment: D
sequence: ./s.tsq.yaml
collection: CM100015
#=== s.tsq.yaml < configure.tsq.yaml
#=== c.tsq.yaml < contoso-site.tsq.yaml
`,
      'test',
    );
    const result = runCase(parsed.cases[0], SHARED);
    assert.deepEqual(
      result.files.map((f) => [f.file.name, f.doc.kind, f.findings.length]),
      [
        ['d.tsq.yaml', 'deployment', 0],
        ['s.tsq.yaml', 'sequence', 0],
        ['c.tsq.yaml', 'catalog', 0],
      ],
    );
    assert.throws(
      () => parseFixture('#### c\n#=== s.tsq.yaml < configure.tsq.yaml\nsequence: X\n', 'test'),
      FixtureError,
    );
    assert.throws(
      () => parseFixture('#### c\nsequence: X\n#=== a.tsq.yaml\nsequence: Y\n', 'test'),
      /already has a file a\.tsq\.yaml/,
    );
  });
});

test('the fixture shown in docs/adding-a-rule.md holds', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../../docs/adding-a-rule.md'), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(doc)![1];
  const indent = /^ */.exec(block)![0].length;
  assert.ok(
    holds(
      block
        .split('\n')
        .map((l) => l.slice(indent))
        .join('\n'),
    ),
  );
});
