// Set Dynamic Variables rules in the editor: the YAML list is completed and explained like every
// other option, and the XML text ConfigMgr stores gets a quick fix that rewrites it as the list.
// The rule kinds and what they compare are those of the step's Add Rule dialog:
// https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  CompletionRequest,
  HoverRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { useExamples } from './fixture';

const f = useExamples();
const FILE = 'rules-draft.tsq.yaml';

const DRAFT = `sequence: Rules draft
steps:
  - name: Rules
    action: SetDynamicVariables
    with:
      rules:
        - computer:
            serialNumber: ABC123
            
          variables: { OSDComputerName: LAB-01 }
        - taskSequenceVariable: { name: Role, operator:  }
          variables: { Kiosk: "true" }
        - 
  - name: Stored
    action: SetDynamicVariables
    with:
      rules: '<Rules><Rule><condition><expression type="SMS_TaskSequence_MakeModelConditionExpression"><variable name="Make">Dell*</variable><variable name="Model">*</variable></expression></condition><Variables><Variable Name="Vendor" IsSecret="false">Dell</Variable><Variable Name="Key" IsSecret="true">hidden</Variable></Variables></Rule></Rules>'
  - name: Setup
    action: SetupWindowsAndConfigMgr
    continueOnError: true
    with: { clientPackage: CM100010 }
`;

async function complete(needle: string, delta?: number): Promise<CompletionItem[]> {
  const r = (await f.client.connection.sendRequest(
    CompletionRequest.type,
    f.at(FILE, needle, delta),
  )) as CompletionList | null;
  return r?.items ?? [];
}
const labels = (items: CompletionItem[]) => items.map((i) => String(i.label)).sort();

describe('Set Dynamic Variables rules in the editor', () => {
  before(async () => {
    await f.open(FILE, DRAFT);
  });

  test('a new rule offers the four kinds of rule and its variables', async () => {
    const items = await complete('        - \n  - name: Stored', '        - '.length);
    assert.deepEqual(labels(items), ['computer', 'location', 'makeAndModel', 'taskSequenceVariable', 'variables']);
  });

  test('a computer rule offers the values it can compare, without those it has', async () => {
    const items = await complete(
      '            serialNumber: ABC123\n            ',
      '            serialNumber: ABC123\n            '.length,
    );
    assert.deepEqual(labels(items), ['assetTag', 'macAddress', 'uuid']);
  });

  test('a task sequence variable rule offers its operators', async () => {
    const items = await complete('operator:  }', 'operator: '.length);
    assert.ok(labels(items).includes('notExists') && labels(items).includes('like'), labels(items).join(', '));
  });

  test('hover explains a kind of rule', async () => {
    const h = await f.client.connection.sendRequest(HoverRequest.type, f.at(FILE, 'computer:', 2));
    assert.match(JSON.stringify(h?.contents), /true when any of the values it gives matches/);
  });
});

describe('quick fixes of Set Dynamic Variables and continue on error', () => {
  async function fixFor(code: string): Promise<{ action: CodeAction; text: string }> {
    const text = await f.open(FILE, DRAFT);
    const list = f.client.diagnostics.get(f.uri(FILE))!;
    const d = list[list.length - 1].diagnostics.find((x) => x.code === code);
    assert.ok(d, `a ${code} diagnostic`);
    const actions = (await f.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: f.uri(FILE) },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    })) as CodeAction[];
    const action = actions.find((a) => a.isPreferred);
    assert.ok(action, `a preferred fix among ${actions.map((a) => a.title).join(', ')}`);
    const edits = action.edit!.changes![f.uri(FILE)] as TextEdit[];
    return { action, text: TextDocument.applyEdits(TextDocument.create('x', 'tasksequence', 1, text), edits) };
  }

  test('the XML text becomes the YAML list, hidden values marked missing', async () => {
    const { action, text } = await fixFor('dynamic-rules-xml');
    assert.match(
      action.title,
      /Write the rules as a YAML list \(hidden values of `Key` become `\{ missing: true \}`\)/,
    );
    assert.ok(
      text.includes(
        [
          '      rules:',
          '        - makeAndModel: { make: Dell*, model: "*" }',
          '          variables: { Vendor: Dell, Key: { missing: true } }',
          '  - name: Setup',
        ].join('\n'),
      ),
      text,
    );
  });

  test('continueOnError is removed from Setup Windows and ConfigMgr, with its line', async () => {
    const { text } = await fixFor('continue-on-error-ignored');
    assert.ok(text.includes('    action: SetupWindowsAndConfigMgr\n    with: { clientPackage: CM100010 }'), text);
  });
});
