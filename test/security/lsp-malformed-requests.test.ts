// Threat: a language client (or anything wired to the server's stdin) sends requests and
// notifications with wrong parameter types, unknown document URIs, positions out of range,
// ranges the wrong way round or no parameters at all. The server must answer every request (an
// empty result, or InvalidParams as LSP says), log each mistake in one line that names the
// method and what was wrong (never a stack trace), and keep its view of the document exactly the
// editor's. LSP: https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RawLanguageServer } from '../reliability/wire';

const INVALID_PARAMS = -32602;
const TEXT =
  'sequence: Malformed requests\nsteps:\n  - name: Partition\n    action: FormatAndPartitionDisk\n    with: { disk: 0 }\n  - name: Run\n    run: cmd /c %OSDisk%\n';

let server: RawLanguageServer;
let folder: string;
let uri: string;
before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'tsq-malformed-'));
  uri = pathToFileURL(join(folder, 'a.tsq.yaml')).href;
  server = await RawLanguageServer.start(pathToFileURL(folder).href);
  server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'tasksequence', version: 1, text: TEXT } });
  await server.until(() => server.diagnostics.get(uri)?.length, 10_000);
});
after(async () => {
  await server.shutdown();
  rmSync(folder, { recursive: true, force: true });
});

/** Log lines added while `body` runs. */
async function logged(body: () => Promise<void>): Promise<string[]> {
  const from = server.log.length;
  await body();
  // A request after the others: its answer means every earlier message has been handled.
  await server.request('workspace/symbol', { query: '' });
  return server.log.slice(from);
}

function assertOneLineEach(lines: string[]): void {
  for (const l of lines) assert.doesNotMatch(l, /\n/, `one line per log entry, got:\n${l}`);
}

describe('language server: malformed requests', () => {
  it('a position of the wrong type is answered with InvalidParams and logged in one line naming the method and the field', async () => {
    let answer;
    const lines = await logged(async () => {
      answer = await server.request('textDocument/hover', {
        textDocument: { uri },
        position: { line: 'x', character: 0 },
      });
    });
    assert.equal(answer!.error?.code, INVALID_PARAMS);
    assert.match(answer!.error!.message, /`position\.line` must be a whole number from 0, not "x"/);
    assert.deepEqual(lines, [
      'tsq: textDocument/hover: `position.line` must be a whole number from 0, not "x" (answered InvalidParams)',
    ]);
  });

  it('requests without parameters, or with parameters that are not an object, are answered with InvalidParams', async () => {
    for (const [method, params] of [
      ['textDocument/hover', null],
      ['textDocument/completion', undefined],
      ['textDocument/documentSymbol', 'a.tsq.yaml'],
      ['workspace/symbol', { query: 5 }],
    ] as const) {
      const answer = await server.request(method, params);
      assert.equal(answer.error?.code, INVALID_PARAMS, `${method} with ${JSON.stringify(params)}`);
    }
    assert.ok(server.alive);
  });

  it('a code action request whose diagnostics are not diagnostics is refused instead of failing inside the server', async () => {
    let answer;
    const lines = await logged(async () => {
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
      answer = await server.request('textDocument/codeAction', {
        textDocument: { uri },
        range,
        context: { diagnostics: [{ source: 'tsq', message: 5 }] },
      });
    });
    assert.equal(answer!.error?.code, INVALID_PARAMS);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^tsq: textDocument\/codeAction: `context\.diagnostics\[0\]\.message` must be text or markup, not 5/,
    );
  });

  it('a document the server does not have gets an empty answer and one log line', async () => {
    let answer;
    const other = pathToFileURL(join(folder, 'nowhere.tsq.yaml')).href;
    const lines = await logged(async () => {
      answer = await server.request('textDocument/documentSymbol', { textDocument: { uri: other } });
    });
    assert.deepEqual(answer!.result, []);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^tsq: textDocument\/documentSymbol: no task sequence file ".*nowhere\.tsq\.yaml" is open/);
  });

  it('a line past the end of the file is read as its end and logged', async () => {
    let answer;
    const lines = await logged(async () => {
      answer = await server.request('textDocument/completion', {
        textDocument: { uri },
        position: { line: 5000, character: 3 },
      });
    });
    assert.equal(answer!.error, undefined);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^tsq: textDocument\/completion: line 5000 is past the end of .*a\.tsq\.yaml \(8 lines; read as its end\)$/,
    );
  });

  it('a notification of the wrong shape is dropped with one line, not a stack trace', async () => {
    const lines = await logged(async () => {
      server.notify('textDocument/didOpen', { textDocument: 5 });
      server.notify('textDocument/didChange', {
        textDocument: { uri, version: 9 },
        contentChanges: [{ range: { start: { line: -1, character: 0 } } }],
      });
      server.notify('textDocument/didClose', null);
    });
    assert.deepEqual(lines, [
      'tsq: textDocument/didOpen: `textDocument` must be an object, not 5 (ignored)',
      'tsq: textDocument/didChange: `contentChanges[0].text` is missing (ignored)',
      'tsq: textDocument/didClose: the parameters must be an object, not null (ignored)',
    ]);
    assertOneLineEach(server.log);
  });
});

describe('language server: edits the wrong way round', () => {
  it('a change whose range ends before it starts is logged, and the text and its diagnostics follow the editor', async () => {
    const reversedUri = pathToFileURL(join(folder, 'reversed.tsq.yaml')).href;
    const freshUri = pathToFileURL(join(folder, 'fresh.tsq.yaml')).href;
    server.notify('textDocument/didOpen', {
      textDocument: { uri: reversedUri, languageId: 'tasksequence', version: 1, text: TEXT },
    });
    // Inside one step's command line, from after `/c ` back to its start: the editor replaces `cmd /c `.
    const change = {
      range: { start: { line: 6, character: 16 }, end: { line: 6, character: 9 } },
      text: 'powershell.exe -File x.ps1 ',
    };
    const lines = await logged(async () => {
      server.notify('textDocument/didChange', {
        textDocument: { uri: reversedUri, version: 2 },
        contentChanges: [change],
      });
    });
    assert.deepEqual(lines, [
      'tsq: textDocument/didChange: a change range ends before it starts (applied from its end to its start)',
    ]);
    const edited = TextDocument.update(
      TextDocument.create(reversedUri, 'tasksequence', 1, TEXT),
      [change],
      2,
    ).getText();
    assert.match(edited, /\n    run: powershell\.exe -File x\.ps1 %OSDisk%\n/);
    server.notify('textDocument/didOpen', {
      textDocument: { uri: freshUri, languageId: 'tasksequence', version: 1, text: edited },
    });
    const published = (u: string, version: number) =>
      server.until(() => server.diagnostics.get(u)?.find((d) => d.version === version)?.diagnostics, 10_000);
    const [afterEdit, fresh] = await Promise.all([published(reversedUri, 2), published(freshUri, 1)]);
    assert.ok(fresh && fresh.length > 0, 'the edited text has findings to compare');
    assert.deepEqual(afterEdit, fresh);
  });
});
