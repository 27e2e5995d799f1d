// The server never crashes or stops answering on any text: random and hostile documents, edited
// at random, while every feature is asked for at random places. No feature may fail (each would
// be logged), and the server must still answer at the end.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  SemanticTokensRequest,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import { TestClient, workspaceFolder } from './client';
import { random } from '../helpers/seeded-random';
import { editableDocuments, randomEdit } from '../unit/incremental-fixtures';

const ws = workspaceFolder(editableDocuments());
let client: TestClient;
after(async () => {
  await client?.stop();
  ws.dispose();
});

const HOSTILE = [
  '',
  '\t\t- :\n  ? x\n---\n...\n',
  `${'['.repeat(3000)}\n`,
  `${'- '.repeat(2000)}x\n`,
  'a: &a [*a, *a]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n',
  'sequence: "unclosed\nsteps:\n  - name: \'x\n    when: ((((\n    with: {{{{\n',
  `sequence: S\nsteps:\n${Array.from({ length: 50 }, (_, i) => `${'  '.repeat(i + 1)}- group: g${i}\n${'  '.repeat(i + 2)}steps:`).join('\n')}\n`,
  'sequence: S\r\nsteps:\r\n  - name: crlf\r\n    run: x %Y%\r\n',
  '\u0000\u0001binary\u00ff\n',
  'machine: M\noutcomes: { x: 1, : }\nvariables: [1, 2]\n',
];

function positionIn(text: string, rnd: () => number): { line: number; character: number } {
  const lines = text.split('\n');
  const line = Math.floor(rnd() * (lines.length + 1));
  return { line, character: Math.floor(rnd() * ((lines[line]?.length ?? 0) + 2)) };
}

test('random and hostile documents, random edits, every feature at random places', { timeout: 120_000 }, async () => {
  client = await TestClient.start({ folder: ws.folder });
  const rnd = random(4242);
  const docs = [
    ...Object.entries(editableDocuments()),
    ...HOSTILE.map((t, i) => [`hostile-${i}.tsq.yaml`, t] as [string, string]),
  ];
  for (const [name, original] of docs) {
    const uri = ws.uri(name);
    let text = original;
    let version = 1;
    await client.open(uri, text, version);
    for (let round = 0; round < 12; round++) {
      const edit = randomEdit(text, rnd);
      const before = text.slice(0, edit.start);
      const start = { line: before.split('\n').length - 1, character: edit.start - before.lastIndexOf('\n') - 1 };
      const upto = text.slice(0, edit.end);
      const end = { line: upto.split('\n').length - 1, character: edit.end - upto.lastIndexOf('\n') - 1 };
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
      await client.change(uri, ++version, [{ range: { start, end }, text: edit.text }]);
      const textDocument = { uri };
      const position = positionIn(text, rnd);
      await Promise.all([
        client.connection.sendRequest(CompletionRequest.type, { textDocument, position }),
        client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
        client.connection.sendRequest(DefinitionRequest.type, { textDocument, position }),
        client.connection.sendRequest(ReferencesRequest.type, {
          textDocument,
          position,
          context: { includeDeclaration: true },
        }),
        client.connection.sendRequest(PrepareRenameRequest.type, { textDocument, position }).catch(() => null),
        client.connection.sendRequest(CodeActionRequest.type, {
          textDocument,
          range: { start: position, end: position },
          context: { diagnostics: [] },
        }),
        client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument }),
        client.connection.sendRequest(FoldingRangeRequest.type, { textDocument }),
        client.connection.sendRequest(DocumentLinkRequest.type, { textDocument }),
        client.connection.sendRequest(SemanticTokensRequest.type, { textDocument }),
      ]);
    }
    await client.diagnosticsFor(uri, { version });
    await client.close(uri);
  }
  const symbols = await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: '' });
  assert.ok(Array.isArray(symbols), 'the server still answers');
  assert.deepEqual(client.failures(), []);
});
