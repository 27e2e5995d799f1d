// The server on stdio writes its messages itself (server/src/lsp/kept-json.ts): the outline goes
// out from bytes kept per revision, framed with its length in bytes, and the server still ends as
// the library's own stdio connection does when the client's end of stdin closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RawLanguageServer } from '../reliability/wire';

const TEXT = [
  'sequence: Sortie ✓',
  'steps:',
  '  - group: Préparer le disque 日本語',
  '    id: prep',
  '    steps:',
  '      - name: "Formater \\"C:\\" 😀"',
  '        action: FormatAndPartitionDisk',
  '        with: { disk: 0 }',
  '  - name: Exécuter',
  '    id: run1',
  '    run: cmd /c echo é',
  '',
].join('\n');

test('the outline arrives whole over stdio, the same each time it is asked for in a revision', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'tsq-stdio-'));
  const uri = pathToFileURL(join(folder, 'a.tsq.yaml')).href;
  const server = await RawLanguageServer.start(pathToFileURL(folder).href);
  try {
    server.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'tasksequence', version: 1, text: TEXT },
    });
    const first = await server.request('textDocument/documentSymbol', { textDocument: { uri } });
    const again = await server.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(server.unreadable, [], 'every frame is read by its Content-Length');
    assert.deepEqual(again.result, first.result);
    const outline = first.result as Array<{ name: string; detail: string; children?: Array<{ name: string }> }>;
    assert.deepEqual(
      outline.map((s) => [s.name, s.detail, s.children?.map((c) => c.name)]),
      [
        ['Préparer le disque 日本語', 'group · prep', ['Formater "C:" 😀']],
        ['Exécuter', 'command line · run1', undefined],
      ],
    );
    assert.deepEqual((outline[1] as unknown as { selectionRange: unknown }).selectionRange, {
      start: { line: 8, character: 10 },
      end: { line: 8, character: 18 },
    });
  } finally {
    await server.shutdown();
    rmSync(folder, { recursive: true, force: true });
  }
});

test('the server ends when the client closes its stdin: exit code 1 without a shutdown request', async () => {
  const server = await RawLanguageServer.start();
  server.process.stdin!.end();
  const exit = await server.until(() => server.exit, 10_000);
  assert.deepEqual(exit, { code: 1, signal: null });
});

test('after a shutdown request, closing stdin ends the server with exit code 0', async () => {
  const server = await RawLanguageServer.start();
  await server.request('shutdown');
  server.process.stdin!.end();
  const exit = await server.until(() => server.exit, 10_000);
  assert.deepEqual(exit, { code: 0, signal: null });
});
