// Quick fixes over the protocol: applied to the text, each must remove the problem it offers to fix.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { examplesFixture, type Fixture } from './fixture';

let f: Fixture;
const BROKEN = 'broken/deploy.tsq.yaml';
let diagnostics: Diagnostic[];
before(async () => {
  f = await examplesFixture();
  await f.open(BROKEN);
  const list = f.client.diagnostics.get(f.uri(BROKEN))!;
  diagnostics = list[list.length - 1].diagnostics;
});
after(async () => {
  assert.deepEqual(f.client.failures(), []);
  await f.stop();
});

async function actionsFor(d: Diagnostic): Promise<CodeAction[]> {
  return ((await f.client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: f.uri(BROKEN) },
    range: d.range,
    context: { diagnostics: [d], only: ['quickfix'] },
  })) ?? []) as CodeAction[];
}

function apply(text: string, action: CodeAction): string {
  const edits = action.edit!.changes![f.uri(BROKEN)] as TextEdit[];
  return TextDocument.applyEdits(TextDocument.create('x', 'tasksequence', 1, text), edits);
}

/** Applies `action` in the editor and returns the codes reported afterwards. */
async function codesAfter(action: CodeAction, version: number): Promise<string[]> {
  const text = apply(f.text(BROKEN), action);
  const uri = f.uri(BROKEN);
  await f.client.change(uri, version, [{ text }]);
  const after = await f.client.diagnosticsFor(uri, { version });
  await f.client.change(uri, version + 1, [{ text: f.text(BROKEN) }]);
  await f.client.diagnosticsFor(uri, { version: version + 1 });
  return after.map((d) => `${d.code}:${d.severity}:${(d.message as string).split('\n')[0]}`);
}

const find = (code: string, text: string) => {
  const d = diagnostics.find((x) => x.code === code && (x.message as string).includes(text));
  assert.ok(d, `a ${code} diagnostic about ${text}`);
  return d;
};

describe('quick fixes', () => {
  test('a broken reference: the closest IDs, delete the step, disable the step', async () => {
    const d = find('broken-reference', 'CM100099');
    const titles = (await actionsFor(d)).map((a) => a.title);
    assert.ok(
      titles.some((t) => /^Change to `CM100\d+`/.test(t)),
      titles.join(' | '),
    );
    assert.ok(titles.includes('Delete step “Run setup script”'));
    assert.ok(titles.includes('Disable step “Run setup script”'));
    const actions = await actionsFor(d);
    const deleted = actions.find((a) => a.title === 'Delete step “Run setup script”')!;
    assert.ok(!apply(f.text(BROKEN), deleted).includes('Run setup script'));
    assert.ok(
      !(await codesAfter(deleted, 10)).some((c) => c.includes('CM100099')),
      'deleting the step removes the problem',
    );
    const disabled = actions.find((a) => a.title === 'Disable step “Run setup script”')!;
    assert.match(
      apply(f.text(BROKEN), disabled),
      /package: CM100099 +# broken-reference: no such package\n {8}disabled: true\n/,
    );
    const left = (await codesAfter(disabled, 12)).filter((c) => c.includes('CM100099'));
    assert.deepEqual(
      left.map((c) => c.split(':').slice(0, 2).join(':')),
      ['broken-reference:4'],
      'a disabled step keeps only a hint, as ConfigMgr accepts it until the reference is corrected',
    );
  });

  test('did you mean, for an unknown action', async () => {
    const d = find('unknown-action', 'RunComandLine');
    const fix = (await actionsFor(d)).find((a) => a.title === 'Change to `RunCommandLine`');
    assert.ok(fix);
    assert.ok(!(await codesAfter(fix, 20)).some((c) => c.startsWith('unknown-action')));
  });

  test('adding a missing required option', async () => {
    const d = find('missing-property', 'registeredUserName');
    const fix = (await actionsFor(d)).find((a) => a.title === 'Add `registeredUserName` to the step');
    assert.ok(fix, 'offered');
    // The option is added with a value to fill in (an empty one counts as missing until then).
    assert.match(apply(f.text(BROKEN), fix), /with: \{ randomAdminPassword: true, registeredUserName: "" \}/);
  });

  test('silencing one rule on one line', async () => {
    const d = find('undefined-variable', 'OSDComptuerName');
    const fix = (await actionsFor(d)).find((a) => a.title === 'Ignore `undefined-variable` on this line');
    assert.ok(fix);
    assert.match(apply(f.text(BROKEN), fix), /\n {8}# tsq-disable-next-line undefined-variable\n {8}run: cmd\.exe/);
    assert.ok(!(await codesAfter(fix, 40)).some((c) => c.startsWith('undefined-variable')));
  });
});

describe('quick fixes for what a carrier of the sequence forbids', () => {
  const SEQUENCE = 'broken/os-deploy.tsq.yaml';

  test('a step stand-alone media cannot run gets the condition that skips it there', async () => {
    await f.open(SEQUENCE);
    const uri = f.uri(SEQUENCE);
    const list = f.client.diagnostics.get(uri)!;
    const d = list[list.length - 1].diagnostics.find(
      (x) => x.code === 'standalone-media' && (x.message as string).startsWith('Auto Apply Drivers'),
    );
    assert.ok(d, 'the stand-alone media finding on Auto Apply Drivers');
    const actions = ((await f.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    })) ?? []) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Run “') && a.title.includes('_SMSTSMediaType != "FullMedia"'));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const text = TextDocument.applyEdits(
      TextDocument.create('x', 'tasksequence', 1, f.text(SEQUENCE)),
      fix.edit!.changes![uri] as TextEdit[],
    );
    assert.match(text, /action: AutoApplyDrivers[\s\S]*?when: .*_SMSTSMediaType != "FullMedia"/);
    await f.client.change(uri, 50, [{ text }]);
    const after = await f.client.diagnosticsFor(uri, { version: 50 });
    assert.ok(
      !after.some((x) => x.code === 'standalone-media' && (x.message as string).startsWith('Auto Apply Drivers')),
      'the step is skipped on stand-alone media now',
    );
    assert.ok(
      !after.some((x) => x.code === 'yaml-syntax' || x.code === 'condition-syntax'),
      'the condition reads back',
    );
  });
});
