// MDT's variables in the editor: a read before the Gather step that sets it is a note where it is,
// hover still says who sets it in MDT, "did you mean" offers the MDT names known there, and an
// edit of a parent's Gather step re-checks the child it runs (test/unit/mdt-variables-known.test.ts
// pins the rule; Gather: https://learn.microsoft.com/mem/configmgr/mdt/task-sequence-steps#gather).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type Hover,
} from 'vscode-languageserver-protocol/node';
import { useExamples } from './fixture';
import { positionOf } from './client';

const f = useExamples();

const SEQUENCE = [
  'sequence: MDT reads',
  'steps:',
  '  - name: Use Toolkit Package',
  '    action: UseToolkitPackage',
  '    with: { package: CM100010 }',
  '  - name: Too early',
  '    when: IsLaptop == "True"',
  '    run: cmd.exe /c echo early',
  '  - name: Gather',
  '    action: Gather',
  '  - name: Misspelt',
  '    when: IsLaptp == "True"',
  '    run: cmd.exe /c echo late',
  '',
].join('\n');

const undefinedOnes = (list: Diagnostic[]) => list.filter((d) => d.code === 'undefined-variable');

describe('MDT variables in the editor', () => {
  test('a read before Gather is a note at the name; hover says who sets it; the misspelt one offers IsLaptop', async () => {
    await f.open('mdt-reads.tsq.yaml', SEQUENCE);
    const list = f.client.diagnostics.get(f.uri('mdt-reads.tsq.yaml'))!;
    const found = undefinedOnes(list[list.length - 1].diagnostics);
    assert.deepEqual(
      found.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.message]),
      [
        [
          6,
          10,
          DiagnosticSeverity.Information,
          "`IsLaptop` is a fact MDT's Gather sets, and no Gather step runs before this point.\nRead it after the Gather step, or run Gather earlier.",
        ],
        [
          11,
          10,
          DiagnosticSeverity.Information,
          '`IsLaptp` is not a built-in variable and nothing sets it before this point.\nDid you mean `IsLaptop`?',
        ],
      ],
    );

    const hover = (await f.client.connection.sendRequest(
      HoverRequest.type,
      f.at('mdt-reads.tsq.yaml', 'IsLaptop', 1),
    )) as Hover | null;
    assert.match(JSON.stringify(hover?.contents), /MDT variable.*ZTIGather/);
    assert.match(
      JSON.stringify(hover?.contents),
      /In lint: Known after a step that runs ZTIGather/,
      'hover says from which point lint knows it',
    );

    const actions = ((await f.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: f.uri('mdt-reads.tsq.yaml') },
      range: found[1].range,
      context: { diagnostics: [found[1]], only: ['quickfix'] },
    })) ?? []) as CodeAction[];
    assert.ok(
      actions.some((a) => a.title === 'Change to `IsLaptop`'),
      actions.map((a) => a.title).join(' | '),
    );
  });

  test("a parent's Gather turned from local only to processing rules re-checks its child", async () => {
    const child =
      'sequence: Child\npackageId: CM1000C9\nsteps:\n  - name: Reads\n    run: cmd.exe /c echo %AdminPassword%\n';
    const parent = [
      'sequence: Parent',
      'steps:',
      '  - name: Gather',
      '    action: Gather',
      '    with: { localOnly: true }',
      '  - name: Child',
      '    action: RunTaskSequence',
      '    with: { sequence: ./mdt-child.tsq.yaml }',
      '',
    ].join('\n');
    await f.open('mdt-parent.tsq.yaml', parent);
    await f.open('mdt-child.tsq.yaml', child);
    const childUri = f.uri('mdt-child.tsq.yaml');
    const before = await f.client.diagnosticsFor(childUri, { matching: (l) => undefinedOnes(l).length > 0 });
    assert.deepEqual(
      undefinedOnes(before).map((d) => (typeof d.message === 'string' ? d.message : d.message.value).split('\n')[0]),
      ['`%AdminPassword%` is not a built-in variable and nothing sets it before this point.'],
    );
    const seen = f.client.published(childUri);
    const at = positionOf(parent, 'localOnly: true', 'localOnly: '.length);
    await f.client.change(f.uri('mdt-parent.tsq.yaml'), 2, [
      { range: { start: at, end: { line: at.line, character: at.character + 'true'.length } }, text: 'false' },
    ]);
    const after = await f.client.diagnosticsFor(childUri, {
      after: seen,
      matching: (l) => undefinedOnes(l).length === 0,
    });
    assert.deepEqual(undefinedOnes(after), []);
  });
});
