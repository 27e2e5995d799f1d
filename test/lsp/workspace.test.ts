// The workspace index over the protocol: each folder of a multi-root workspace is checked on its
// own (its catalogs apply to its sequences), folders can come and go, and with the `workspace`
// scope every tsq file of the folders gets diagnostics, open or not.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWorkspaceFoldersNotification,
  WorkspaceSymbolRequest,
  type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { TestClient, workspaceFolder } from './client';

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

const catalog = (id: string) => `catalog: Site\npackages:\n  - { id: ${id}, name: Tools, programs: [Install] }\n`;
const sequence = (id: string) =>
  `sequence: Install tools\nsteps:\n  - name: Tools\n    action: InstallPackage\n    with: { package: ${id}, program: Install }\n`;

describe('workspace folders', () => {
  test('each folder of a multi-root workspace is checked against its own catalogs; folders come and go', async () => {
    const a = workspaceFolder({
      'catalog.tsq.yaml': catalog('AAA00001'),
      'tools.tsq.yaml': sequence('AAA00001'),
      'other.tsq.yaml': sequence('BBB00001'),
    });
    const b = workspaceFolder({
      'catalog.tsq.yaml': catalog('BBB00001'),
      'tools.tsq.yaml': sequence('BBB00001'),
      'spare.tsq.yaml': sequence('BBB00001'),
    });
    const c = workspaceFolder({ 'later.tsq.yaml': sequence('CCC00001') });
    cleanup.push(a.dispose, b.dispose, c.dispose);
    const multi = await TestClient.start({ folder: a.folder });
    cleanup.push(() => multi.stop());
    await multi.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: pathToFileURL(b.folder).href, name: 'b' }], removed: [] },
    });
    for (const [ws, file, broken] of [
      [a, 'tools.tsq.yaml', false],
      [a, 'other.tsq.yaml', true],
      [b, 'tools.tsq.yaml', false],
    ] as const) {
      await multi.open(
        ws.uri(file),
        sequence(file === 'other.tsq.yaml' ? 'BBB00001' : ws === a ? 'AAA00001' : 'BBB00001'),
      );
      const d = await multi.diagnosticsFor(ws.uri(file));
      assert.equal(
        d.some((x) => x.code === 'broken-reference'),
        broken,
        `${file} in ${ws === a ? 'a' : 'b'}`,
      );
    }
    // A third folder is read when it is added: its sequence shows up in workspace symbols.
    const find = async () =>
      (
        (await multi.connection.sendRequest(WorkspaceSymbolRequest.type, {
          query: 'Install tools',
        })) as SymbolInformation[]
      ).map((s) => s.location.uri);
    const before = await find();
    assert.ok(!before.includes(c.uri('later.tsq.yaml')));
    assert.ok(before.includes(b.uri('spare.tsq.yaml')), 'files that are not open are known');
    await multi.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: {
        added: [{ uri: pathToFileURL(c.folder).href, name: 'c' }],
        removed: [{ uri: pathToFileURL(b.folder).href, name: 'b' }],
      },
    });
    // Requests are answered in order, so this one sees both folder changes.
    const after = await find();
    assert.ok(after.includes(c.uri('later.tsq.yaml')), 'the added folder is read');
    assert.ok(after.includes(b.uri('tools.tsq.yaml')), 'a file of the removed folder that is open stays known');
    assert.ok(!after.includes(b.uri('spare.tsq.yaml')), 'the other files of the removed folder are forgotten');
    assert.deepEqual(multi.failures(), []);
  });

  test('workspace symbols asked right after a folder is added list every file of it', async () => {
    // A folder is read in slices between messages; the answer must not be the part read so far.
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`seq${i}.tsq.yaml`] = sequence('DDD00001');
    const a = workspaceFolder({ 'catalog.tsq.yaml': catalog('DDD00001') });
    const big = workspaceFolder(files);
    cleanup.push(a.dispose, big.dispose);
    const client = await TestClient.start({ folder: a.folder });
    cleanup.push(() => client.stop());
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: pathToFileURL(big.folder).href, name: 'big' }], removed: [] },
    });
    const found = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, {
      query: 'Install tools',
    })) as SymbolInformation[];
    const listed = new Set(found.map((s) => s.location.uri));
    assert.equal(
      Object.keys(files).filter((f) => listed.has(big.uri(f))).length,
      400,
      'every sequence of the added folder is listed',
    );
    assert.deepEqual(client.failures(), []);
  });

  test('with the `workspace` scope, files that are not open get diagnostics too', async () => {
    const ws = workspaceFolder({ 'catalog.tsq.yaml': catalog('AAA00001'), 'closed.tsq.yaml': sequence('ZZZ00009') });
    cleanup.push(ws.dispose);
    const client = await TestClient.start({ folder: ws.folder, settings: { diagnostics: { scope: 'workspace' } } });
    cleanup.push(() => client.stop());
    const d = await client.diagnosticsFor(ws.uri('closed.tsq.yaml'), { matching: (l) => l.length > 0 });
    assert.deepEqual(
      d.map((x) => x.code),
      ['broken-reference'],
    );
  });

  test('a file outside every folder is checked with the files beside it', async () => {
    const ws = workspaceFolder({ 'catalog.tsq.yaml': catalog('AAA00001'), 'tools.tsq.yaml': sequence('AAA00009') });
    cleanup.push(ws.dispose);
    const client = await TestClient.start({});
    cleanup.push(() => client.stop());
    await client.open(ws.uri('tools.tsq.yaml'), sequence('AAA00009'));
    const d = await client.diagnosticsFor(ws.uri('tools.tsq.yaml'));
    assert.deepEqual(
      d.map((x) => x.code),
      ['broken-reference'],
      'the catalog beside it is read',
    );
  });
});
