// Leaving MDT in the editor: the mdt-dependency findings show as information, hover says what the
// MDT step did and where an MDT variable comes from, and the quick fix replaces one step (or the
// whole file) exactly as `tsq migrate` does. docs/migrating-from-mdt.md.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  HoverRequest,
  type CodeAction,
  type Hover,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { useExamples } from './fixture';
import { EVERY_MDT_STEP } from '../unit/mdt-fixtures';
import { parseDocument } from '../../server/src/model/document';
import { migrateSequence } from '../../server/src/migrate/migrate-sequence';

const f = useExamples();
const FILE = 'mdt-template.tsq.yaml';

async function hoverText(needle: string, delta = 1): Promise<string> {
  const h = (await f.client.connection.sendRequest(HoverRequest.type, f.at(FILE, needle, delta))) as Hover | null;
  return h ? JSON.stringify(h.contents) : '';
}

describe('MDT sequences in the editor', () => {
  test('findings, hover, and quick fixes that match tsq migrate', async () => {
    await f.open(FILE, EVERY_MDT_STEP);
    const list = f.client.diagnostics.get(f.uri(FILE))!;
    const diagnostics = list[list.length - 1].diagnostics;
    const mdt = diagnostics.filter((d) => d.code === 'mdt-dependency');
    assert.equal(mdt.length, 20);
    assert.ok(mdt.every((d) => d.severity === DiagnosticSeverity.Information));
    assert.ok(!diagnostics.some((d) => d.code === 'undefined-variable'), 'IsLaptop is an MDT variable here');

    assert.match(await hoverText('action: Gather', 10), /gathered facts about the computer/);
    assert.match(await hoverText('action: Gather', 10), /mdt\/task-sequence-steps#gather/);
    assert.match(await hoverText('IsLaptop'), /MDT variable.*ZTIGather/);

    const validate = mdt.find((d) => /Validate is an MDT step/.test(d.message as string))!;
    const actions = ((await f.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: f.uri(FILE) },
      range: validate.range,
      context: { diagnostics: [validate], only: ['quickfix'] },
    })) ?? []) as CodeAction[];
    const titles = actions.map((a) => a.title);
    const one = actions.find((a) => a.title.startsWith('Replace with Check Readiness: “Validate” without MDT'));
    assert.ok(one, titles.join(' | '));
    const apply = (a: CodeAction) =>
      TextDocument.applyEdits(
        TextDocument.create('x', 'tasksequence', 1, EVERY_MDT_STEP),
        a.edit!.changes![f.uri(FILE)] as TextEdit[],
      );
    const fixed = apply(one);
    assert.match(fixed, /action: CheckReadiness/);
    assert.match(fixed, /action: Gather/, 'only the one step changes');
    const whole = actions.find((a) => a.title.startsWith('Migrate every MDT step in this file'))!;
    assert.equal(apply(whole), migrateSequence(parseDocument('/x.tsq.yaml', EVERY_MDT_STEP)).text);
  });
});
