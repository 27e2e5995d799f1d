// Threat: a folder opened in the editor (in Restricted Mode too) whose files the language server
// reads by itself: links to /dev/zero and /dev/urandom, a named pipe and a folder with tsq file
// names, a `.tsqignore` linked to /dev/zero or holding a backtracking pattern, files over the size
// cap. The server must read the rest, report each of these once, and keep answering. And text that
// holds NUL bytes or other control characters must get the same findings in the editor (text from
// the editor) as from `tsq lint` (bytes from disk): one code path decides for both.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DidChangeConfigurationNotification, DocumentSymbolRequest } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../lsp/client';
import { fromEditor, fromLint, headline, hostileFolder, parentOf, SEQUENCE, type Folder } from './helpers';

const clients: TestClient[] = [];
const folders: Folder[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  for (const f of folders) f.dispose();
});

async function serverOn(f: Folder, settings: unknown = { diagnostics: { scope: 'workspace' } }): Promise<TestClient> {
  const c = await TestClient.start({ folder: f.dir, settings });
  clients.push(c);
  return c;
}

function folder(): Folder {
  const f = hostileFolder();
  folders.push(f);
  return f;
}

const uriOf = (file: string) => pathToFileURL(file).href;

describe('NUL bytes and control characters: the editor and tsq lint report the same', () => {
  const texts: Record<string, string> = {
    'nul-in-a-name.tsq.yaml':
      'sequence: Nul in a name\nsteps:\n  - name: Say\u0000hello\n    action: RunCommandLine\n    with: { commandLine: cmd.exe /c echo hello }\n',
    'nul-first.tsq.yaml': '\u0000\u0000\u0000sequence: Nul first\nsteps: []\n',
    'controls.tsq.yaml':
      'sequence: Controls\u0001\nsteps:\n  - name: Bell\u0007 and escape\u001b[0m\n    action: RunCommandLine\n    with: { commandLine: "cmd.exe /c echo \u007f" }\n',
    'noncharacter.tsq.yaml': 'sequence: Odd \uFFFE\nsteps: []\n',
    'tab-cr-lf.tsq.yaml':
      'sequence: Plain\r\nsteps:\r\n  - name: Tab\there\r\n    action: RunCommandLine\r\n    with: { commandLine: cmd.exe /c echo hello }\r\n',
  };

  test('each file as opened in the editor gives what tsq lint gives for it on disk', async () => {
    const f = folder();
    // The files are written only after the server has looked at the folder, so that what it
    // checks is the editor's text, not what it read from disk.
    const client = await serverOn(f, {});
    for (const [name, text] of Object.entries(texts)) {
      await client.open(uriOf(f.path(name)), text);
      const editor = fromEditor(await client.diagnosticsFor(uriOf(f.path(name))));
      f.write(name, text);
      assert.deepEqual(editor, fromLint(name, f.dir), name);
      if (name.startsWith('nul')) assert.match(editor[0].message, /NUL bytes; it looks like a binary file/, name);
      if (name === 'controls.tsq.yaml')
        assert.ok(
          editor.some((d) => d.message === 'This file contains 4 control characters that YAML does not allow.'),
        );
    }
    assert.deepEqual(client.failures(), []);
  });

  test('typing a NUL or a control character and taking it out again: after each edit, what tsq lint gives for that text', async () => {
    const f = folder();
    const name = 'typed.tsq.yaml';
    let text = SEQUENCE;
    f.write(name, text);
    const client = await serverOn(f, {});
    const uri = uriOf(f.path(name));
    await client.open(uri, text);
    await client.diagnosticsFor(uri, { version: 1 });
    const at = text.indexOf('hello');
    const edits: { insert?: string; remove?: number }[] = [
      { insert: '\u0000' },
      { remove: 1 },
      { insert: '\u0007' },
      { insert: '\u0000' },
      { remove: 1 },
      { remove: 1 },
    ];
    let version = 1;
    for (const e of edits) {
      version++;
      const change =
        e.insert !== undefined
          ? {
              range: {
                start: { line: 2, character: at - text.lastIndexOf('\n', at) - 1 },
                end: { line: 2, character: at - text.lastIndexOf('\n', at) - 1 },
              },
              text: e.insert,
            }
          : {
              range: {
                start: { line: 2, character: at - text.lastIndexOf('\n', at) - 1 },
                end: { line: 2, character: at - text.lastIndexOf('\n', at) - 1 + e.remove! },
              },
              text: '',
            };
      text =
        e.insert !== undefined
          ? text.slice(0, at) + e.insert + text.slice(at)
          : text.slice(0, at) + text.slice(at + e.remove!);
      await client.change(uri, version, [change]);
      const editor = fromEditor(await client.diagnosticsFor(uri, { version }));
      f.write(name, text);
      assert.deepEqual(
        editor,
        fromLint(name, f.dir),
        `after edit ${version - 1}: ${JSON.stringify(text.slice(at - 3, at + 3))}`,
      );
    }
    assert.equal(text, SEQUENCE);
  });
});

describe('a hostile workspace folder: the server reads the rest, says what each thing is, keeps answering', () => {
  test('links to /dev/zero and /dev/urandom, a named pipe, a folder named x.tsq.yaml, a /dev/zero child, a .tsqignore linked to /dev/zero', async () => {
    const f = folder();
    f.write('main.tsq.yaml', SEQUENCE);
    f.link('zero.tsq.yaml', '/dev/zero');
    f.link('random.tsq.yaml', '/dev/urandom');
    f.fifo('pipe.tsq.yaml');
    f.folder('folder.tsq.yaml');
    f.write('folder.tsq.yaml/inside.tsq.yaml', SEQUENCE.replace('Main', 'Inside'));
    f.write('child.tsq.yaml', parentOf('/dev/zero'));
    f.link('.tsqignore', '/dev/zero');
    const client = await serverOn(f);
    const message = async (name: string) => (await client.diagnosticsFor(uriOf(f.path(name)))).map(headline);
    assert.deepEqual(await message('zero.tsq.yaml'), [
      'This is a link to /dev/zero, which is a character device, not a file.',
    ]);
    assert.deepEqual(await message('random.tsq.yaml'), [
      'This is a link to /dev/urandom, which is a character device, not a file.',
    ]);
    assert.deepEqual(await message('pipe.tsq.yaml'), ['This is a named pipe (FIFO), not a file.']);
    assert.deepEqual(await message('folder.tsq.yaml'), ['This is a folder, not a file.']);
    assert.deepEqual(await message('folder.tsq.yaml/inside.tsq.yaml'), []);
    assert.deepEqual(await message('main.tsq.yaml'), []);
    assert.deepEqual(await message('child.tsq.yaml'), [
      'The child sequence file `/dev/zero` cannot be read: it is a character device, not a file.',
    ]);
    await client.until(
      () =>
        client.log.some((l) =>
          l.includes(
            '.tsqignore: This file is a link to /dev/zero, which is a character device, not a file. Its patterns are not used.',
          ),
        )
          ? true
          : undefined,
      'the .tsqignore warning in the log',
    );
    const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: uriOf(f.path('main.tsq.yaml')) },
    });
    assert.match(JSON.stringify(symbols), /Say hello/, 'the server still answers requests');
  });

  test('a .tsqignore holding the backtracking pattern, a file with a long name: the scan finishes and checks it', async () => {
    const f = folder();
    const long = 'a'.repeat(200) + '.tsq.yaml';
    f.write(long, 'sequence: Long\nsteps: [\n');
    f.write('.tsqignore', '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c\n');
    const client = await serverOn(f);
    const list = await client.diagnosticsFor(uriOf(f.path(long)));
    assert.ok(list.some((d) => d.code === 'yaml-syntax'));
  });
});

describe('tsq.files.maxSizeMB: the size cap in the editor', () => {
  test('a file over it gets the finding tsq lint --max-file-mb gives, from disk and as opened; raising it reads the file', async () => {
    const f = folder();
    const line = '  - { name: Step, run: cmd.exe /c echo padding padding padding padding padding }\n';
    const text = 'sequence: Big\nsteps:\n' + line.repeat(Math.ceil((1.5 * 1048576) / line.length));
    f.write('big.tsq.yaml', text);
    const settings = { diagnostics: { scope: 'workspace' }, files: { maxSizeMB: 1 } };
    const client = await serverOn(f, settings);
    const uri = uriOf(f.path('big.tsq.yaml'));
    const expected = fromLint('big.tsq.yaml', f.dir, ['--max-file-mb', '1']);
    assert.deepEqual(
      expected.map((x) => x.message),
      ['This file is 1.5 MB; tsq reads files up to 1 MB.'],
    );
    assert.deepEqual(fromEditor(await client.diagnosticsFor(uri)), expected, 'read from disk by the folder scan');
    const before = client.published(uri);
    await client.open(uri, text);
    assert.deepEqual(
      fromEditor(await client.diagnosticsFor(uri, { after: before, version: 1 })),
      expected,
      'the same text from the editor',
    );
    const beforeRaise = client.published(uri);
    client.setSettings({ ...settings, files: { maxSizeMB: 2 } });
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const raised = await client.diagnosticsFor(uri, {
      after: beforeRaise,
      matching: (l) => !l.some((d) => /tsq reads files up to/.test(headline(d))),
    });
    assert.ok(!raised.some((d) => /tsq reads files up to/.test(headline(d))));
    assert.ok(fs.existsSync(f.path('big.tsq.yaml')));
  });
});
