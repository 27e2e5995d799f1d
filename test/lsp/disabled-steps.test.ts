// Over the protocol: toggling `disabled:` in the editor re-checks what the toggle changes. ConfigMgr
// skips a disabled step ("Disable this step",
// https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps), and a disabled
// group every step in it, so a variable only such a step sets is read before it is set: the
// finding appears when the setter (its group, or the parent's Run Task Sequence step that runs a
// child reading it) is disabled, and goes when it is enabled again. Its quick fix enables the step.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient, positionOf, workspaceFolder } from './client';

const STEP = [
  'sequence: Step',
  'steps:',
  '  - name: Set MyVar',
  '    action: SetTaskSequenceVariable',
  '    with: { variable: MyVar, value: hello }',
  '    disabled: false',
  '  - name: Echo',
  '    run: cmd /c echo %MyVar%',
  '',
].join('\n');

const GROUP = [
  'sequence: Group',
  'steps:',
  '  - group: Setup',
  '    disabled: false',
  '    steps:',
  '      - group: Inner',
  '        steps:',
  '          - name: Set MyVar',
  '            action: SetTaskSequenceVariable',
  '            with: { variable: MyVar, value: hello }',
  '  - name: Echo',
  '    run: cmd /c echo %MyVar%',
  '',
].join('\n');

const PARENT = [
  'sequence: Parent',
  'steps:',
  '  - name: Set FromParent',
  '    action: SetTaskSequenceVariable',
  '    with: { variable: FromParent, value: v }',
  '  - name: Run child',
  '    action: RunTaskSequence',
  '    with: { sequence: ./child.tsq.yaml }',
  '    disabled: false',
  '',
].join('\n');

const CHILD = [
  'sequence: Child',
  'packageId: CM1000C9',
  'steps:',
  '  - name: Echo',
  '    run: cmd /c echo %FromParent%',
  '',
].join('\n');

let client: TestClient;
let ws: ReturnType<typeof workspaceFolder>;
before(async () => {
  ws = workspaceFolder({
    'step.tsq.yaml': STEP,
    'group.tsq.yaml': GROUP,
    'parent.tsq.yaml': PARENT,
    'child.tsq.yaml': CHILD,
  });
  client = await TestClient.start({ folder: ws.folder });
});
after(async () => {
  const failures = client.failures();
  await client.stop();
  ws.dispose();
  assert.deepEqual(failures, []);
});

const unknownVariables = (list: Diagnostic[]) =>
  list.filter((d) => d.code === 'undefined-variable').map((d) => (d.message as string).split('\n')[0]);

/** Replaces the first `from` in `text` (the file's text now) with `to` as one ranged edit, and returns the new text. */
async function edit(file: string, text: string, version: number, from: string, to: string): Promise<string> {
  const start = positionOf(text, from, 0);
  const end = positionOf(text, from, from.length);
  await client.change(ws.uri(file), version, [{ range: { start, end }, text: to }]);
  return text.replace(from, to);
}

/** Waits for the diagnostics of `file` after `seen` earlier ones whose unknown variables are `expected`. */
async function unknownAfter(file: string, seen: number, expected: string[]): Promise<Diagnostic[]> {
  return client.diagnosticsFor(ws.uri(file), {
    after: seen,
    matching: (list) => JSON.stringify(unknownVariables(list)) === JSON.stringify(expected),
  });
}

describe('toggling disabled: in the editor', () => {
  test('a step: disabled, the read is reported and names it; enabled again, the finding goes', async () => {
    const file = 'step.tsq.yaml';
    await client.open(ws.uri(file), STEP);
    await unknownAfter(file, 0, []);
    let seen = client.published(ws.uri(file));
    let text = await edit(file, STEP, 2, 'disabled: false', 'disabled: true');
    const found = await unknownAfter(file, seen, ['`%MyVar%` is set only by the disabled step “Set MyVar” (line 3).']);
    assert.deepEqual(
      found[0].relatedInformation?.map((r) => r.location.range.start.line),
      [2],
      'related information points at the disabled step',
    );
    seen = client.published(ws.uri(file));
    text = await edit(file, text, 3, 'disabled: true', 'disabled: false');
    await unknownAfter(file, seen, []);
    assert.equal(text, STEP);
  });

  test('the quick fix enables the step, and the finding goes', async () => {
    const file = 'step.tsq.yaml';
    let seen = client.published(ws.uri(file));
    const text = await edit(file, STEP, 4, 'disabled: false', 'disabled: true');
    const [d] = (
      await unknownAfter(file, seen, ['`%MyVar%` is set only by the disabled step “Set MyVar” (line 3).'])
    ).filter((x) => x.code === 'undefined-variable');
    const actions = ((await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: ws.uri(file) },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    })) ?? []) as CodeAction[];
    const enable = actions.find((a) => a.title === 'Enable step “Set MyVar”');
    assert.ok(enable, actions.map((a) => a.title).join(' | '));
    assert.equal(enable.isPreferred, true);
    const fixed = TextDocument.applyEdits(
      TextDocument.create('x', 'tasksequence', 1, text),
      enable.edit!.changes![ws.uri(file)] as TextEdit[],
    );
    assert.equal(fixed, STEP.replace('    disabled: false\n', ''), 'the `disabled:` line is taken out');
    seen = client.published(ws.uri(file));
    await client.change(ws.uri(file), 5, [{ text: fixed }]);
    await unknownAfter(file, seen, []);
  });

  test('a group around the setter, two levels up', async () => {
    const file = 'group.tsq.yaml';
    await client.open(ws.uri(file), GROUP);
    await unknownAfter(file, 0, []);
    let seen = client.published(ws.uri(file));
    const text = await edit(file, GROUP, 2, 'disabled: false', 'disabled: true');
    await unknownAfter(file, seen, [
      '`%MyVar%` is set only by the step “Set MyVar” (line 8) in the disabled group “Setup” (line 3).',
    ]);
    seen = client.published(ws.uri(file));
    await edit(file, text, 3, 'disabled: true', 'disabled: false');
    await unknownAfter(file, seen, []);
  });

  test("a parent's Run Task Sequence step: the child that reads the name is checked again", async () => {
    await client.open(ws.uri('child.tsq.yaml'), CHILD);
    await unknownAfter('child.tsq.yaml', 0, []);
    await client.open(ws.uri('parent.tsq.yaml'), PARENT);
    await client.diagnosticsFor(ws.uri('parent.tsq.yaml'));
    let seen = client.published(ws.uri('child.tsq.yaml'));
    const text = await edit('parent.tsq.yaml', PARENT, 2, 'disabled: false', 'disabled: true');
    await unknownAfter('child.tsq.yaml', seen, [
      '`%FromParent%` is set only by ./parent.tsq.yaml, which runs this sequence only from the disabled step “Run child”.',
    ]);
    seen = client.published(ws.uri('child.tsq.yaml'));
    await edit('parent.tsq.yaml', text, 3, 'disabled: true', 'disabled: false');
    await unknownAfter('child.tsq.yaml', seen, []);
  });
});
