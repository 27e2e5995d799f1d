// Features asked for at a key over the protocol, for keys written in every way the reader keeps
// them (a bare key is kept as its text, not a node: server/src/model/yaml/nodes.ts, `PairList`):
// hover on a flow mapping's key, and the quick fix that removes a key, in a block mapping and as the
// last key of a flow mapping (where the comma before it goes with it).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { useExamples } from './fixture';

const FILE = 'keys.tsq.yaml';
const TEXT = [
  'sequence: Keys',
  'bootImage: CM100005',
  'steps:',
  '  - { name: Flow, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 }, continueOnError: true }',
  '  - name: Block',
  '    action: SetupWindowsAndConfigMgr',
  '    continueOnError: true',
  '    with: { clientPackage: CM100010 }',
  '',
].join('\n');

const f = useExamples();

async function removeKeyFix(d: Diagnostic): Promise<string> {
  const actions = ((await f.client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: f.uri(FILE) },
    range: d.range,
    context: { diagnostics: [d], only: ['quickfix'] },
  })) ?? []) as CodeAction[];
  const fix = actions.find((a) => a.title === 'Remove `continueOnError`');
  assert.ok(fix, 'the fix is offered');
  const edits = fix.edit!.changes![f.uri(FILE)] as TextEdit[];
  return TextDocument.applyEdits(TextDocument.create('x', 'tasksequence', 1, TEXT), edits);
}

describe('features at a key', () => {
  test('hover on a key of a flow mapping names the option', async () => {
    await f.open(FILE, TEXT);
    const h = (await f.client.connection.sendRequest(HoverRequest.type, f.at(FILE, 'clientPackage', 3))) as Hover;
    assert.match(JSON.stringify(h.contents), /clientPackage.*option of Setup Windows and ConfigMgr/);
  });

  test('the quick fix at a key removes it: the last key of a flow mapping with its comma, a block key with its line', async () => {
    const diagnostics = f.client.diagnostics.get(f.uri(FILE))!.at(-1)!.diagnostics;
    const found = diagnostics.filter((d) => d.code === 'continue-on-error-ignored');
    assert.deepEqual(
      found.map((d) => d.range.start.line),
      [3, 6],
    );
    assert.equal(
      (await removeKeyFix(found[0])).split('\n')[3],
      '  - { name: Flow, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 } }',
    );
    assert.deepEqual((await removeKeyFix(found[1])).split('\n').slice(4, 7), [
      '  - name: Block',
      '    action: SetupWindowsAndConfigMgr',
      '    with: { clientPackage: CM100010 }',
    ]);
  });
});
