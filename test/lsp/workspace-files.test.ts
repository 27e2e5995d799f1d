// Files that come, go and move on disk while the editor is open: the server's index follows at
// once, and the files that depend on them are checked again — no restart. A catalog created (by
// Import from ConfigMgr, or by hand), deleted or renamed; a folder moved in whole (as an import
// puts its finished folder in place, which sends one event for the folder and none for the files
// inside), deleted or renamed; and the editor's own file operations (workspace/didCreateFiles,
// didRenameFiles, didDeleteFiles).

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DidChangeWatchedFilesNotification,
  DidCreateFilesNotification,
  DidDeleteFilesNotification,
  DidRenameFilesNotification,
  FileChangeType,
  WatchKind,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { TestClient, workspaceFolder } from './client';

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** The site's catalog (complete), the catalog an import writes (partial), and a sequence of the imported site. */
const SITE_CATALOG = 'catalog: Contoso\nsiteCode: CM1\npackages:\n  - { id: CM100077, name: Scripts }\n';
const IMPORTED_CATALOG =
  'catalog: Objects RSC002A6 references\npartial: true\npackages:\n  - { id: RSC001A4 }\n  - { id: RSC00254 }\n';
const IMPORTED =
  'sequence: RSC002A6\nsteps:\n  - name: Script\n    run: cmd /c x.cmd\n    package: RSC001A4\n  - name: Client\n    run: cmd /c y.cmd\n    package: RSC00254\n';

/** The imported catalog as a reading that races its writer may find it: the first package only. */
const HALF_WRITTEN = IMPORTED_CATALOG.slice(0, IMPORTED_CATALOG.indexOf('  - { id: RSC00254 }'));

const notInCatalog = (list: Diagnostic[]) => list.filter((d) => /not in any catalog/.test(d.message as string));
const isClean = (list: Diagnostic[]) => notInCatalog(list).length === 0;
const isBroken = (list: Diagnostic[]) => notInCatalog(list).length === 2;

async function setUp(files: Record<string, string>) {
  const ws = workspaceFolder(files);
  cleanup.push(ws.dispose);
  const client = await TestClient.start({ folder: ws.folder });
  cleanup.push(() => client.stop());
  await client.watching();
  return { ws, client };
}

async function watched(client: TestClient, changes: { uri: string; type: FileChangeType }[]): Promise<void> {
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
}

describe('files that come and go on disk', () => {
  test('the server watches tsq files for changes and everything for creation and deletion, and hears the editor’s file operations', async () => {
    const { client } = await setUp({ 'catalog.tsq.yaml': SITE_CATALOG });
    const watchers = await client.until(
      () =>
        client.registrations.find((r) => r.method === DidChangeWatchedFilesNotification.method)?.registerOptions as
          { watchers: { globPattern: string; kind?: number }[] } | undefined,
      'the file watchers',
    );
    assert.deepEqual(watchers.watchers, [
      { globPattern: '**/*.{tsq.yaml,tsq.yml}', kind: WatchKind.Change },
      { globPattern: '**/.tsqignore', kind: WatchKind.Change },
      { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
    ]);
    const operations = client.initializeResult!.capabilities.workspace?.fileOperations;
    for (const op of [operations?.didCreate, operations?.didRename, operations?.didDelete]) {
      assert.deepEqual(
        op?.filters.map((f) => [f.pattern.glob, f.pattern.matches]),
        [
          ['**/*.{tsq.yaml,tsq.yml}', 'file'],
          ['**/.tsqignore', 'file'],
          ['**/*', 'folder'],
        ],
      );
    }
  });

  test('a catalog created on disk is used at once; deleted, its references are broken again; renamed, it still counts', async () => {
    const { ws, client } = await setUp({ 'catalog.tsq.yaml': SITE_CATALOG, 'RSC002A6/rsc002a6.tsq.yaml': IMPORTED });
    const seq = ws.uri('RSC002A6/rsc002a6.tsq.yaml');
    await client.open(seq, IMPORTED);
    await client.diagnosticsFor(seq, { matching: isBroken });

    ws.write('RSC002A6/catalog.tsq.yaml', IMPORTED_CATALOG);
    let seen = client.published(seq);
    await watched(client, [{ uri: ws.uri('RSC002A6/catalog.tsq.yaml'), type: FileChangeType.Created }]);
    await client.diagnosticsFor(seq, { after: seen, matching: isClean });

    renameSync(ws.path('RSC002A6/catalog.tsq.yaml'), ws.path('RSC002A6/imported.tsq.yaml'));
    seen = client.published(seq);
    await client.connection.sendNotification(DidRenameFilesNotification.type, {
      files: [{ oldUri: ws.uri('RSC002A6/catalog.tsq.yaml'), newUri: ws.uri('RSC002A6/imported.tsq.yaml') }],
    });
    const renamed = await client.diagnosticsFor(seq, { after: seen });
    assert.ok(isClean(renamed), 'the renamed catalog still counts');

    rmSync(ws.path('RSC002A6/imported.tsq.yaml'));
    seen = client.published(seq);
    await watched(client, [{ uri: ws.uri('RSC002A6/imported.tsq.yaml'), type: FileChangeType.Deleted }]);
    await client.diagnosticsFor(seq, { after: seen, matching: isBroken });
    assert.deepEqual(client.failures(), []);
  });

  test('a folder moved in whole, as an import writes it, is read from its one event', async () => {
    const { ws, client } = await setUp({ 'catalog.tsq.yaml': SITE_CATALOG });
    // The import stages the folder out of sight, then renames it into place.
    const staging = ws.path('.RSC002A6.staging');
    mkdirSync(staging);
    writeFileSync(join(staging, 'catalog.tsq.yaml'), IMPORTED_CATALOG);
    writeFileSync(join(staging, 'rsc002a6.tsq.yaml'), IMPORTED);
    renameSync(staging, ws.path('RSC002A6'));
    await watched(client, [{ uri: ws.uri('RSC002A6'), type: FileChangeType.Created }]);
    const seq = ws.uri('RSC002A6/rsc002a6.tsq.yaml');
    await client.open(seq, IMPORTED);
    assert.ok(isClean(await client.diagnosticsFor(seq)), 'the first check already knows the imported catalog');
    assert.deepEqual(client.failures(), []);
  });

  test('a sequence opened before its folder was announced brings the catalog beside it', async () => {
    const { ws, client } = await setUp({ 'catalog.tsq.yaml': SITE_CATALOG });
    ws.write('RSC002A6/catalog.tsq.yaml', IMPORTED_CATALOG);
    ws.write('RSC002A6/rsc002a6.tsq.yaml', IMPORTED);
    const seq = ws.uri('RSC002A6/rsc002a6.tsq.yaml');
    await client.open(seq, IMPORTED);
    assert.ok(
      isClean(await client.diagnosticsFor(seq)),
      'no false "not in any catalog" while the file events are on their way',
    );
    // The events that arrive afterwards change nothing.
    const seen = client.published(seq);
    await watched(client, [
      { uri: ws.uri('RSC002A6'), type: FileChangeType.Created },
      { uri: ws.uri('RSC002A6/catalog.tsq.yaml'), type: FileChangeType.Created },
    ]);
    await client.connection.sendNotification(DidCreateFilesNotification.type, {
      files: [{ uri: ws.uri('RSC002A6/catalog.tsq.yaml') }],
    });
    // An edit is checked after the events (notifications are handled in order): every check they caused is in by then.
    await client.change(seq, 2, [{ text: `${IMPORTED}# edited\n` }]);
    await client.diagnosticsFor(seq, { after: seen, version: 2 });
    const since = (client.diagnostics.get(seq) ?? []).slice(seen);
    for (const p of since) assert.ok(isClean(p.diagnostics));
  });

  test('a catalog the folder read caught half written is read again when a sequence beside it opens before its events', async () => {
    // The first reading of the folder finds the catalog a tool is still writing in place: half of it.
    const { ws, client } = await setUp({ 'catalog.tsq.yaml': SITE_CATALOG, 'RSC002A6/catalog.tsq.yaml': HALF_WRITTEN });
    await client.until(() => client.log.find((l) => /^tsq: read \d+ task sequence file/.test(l)), 'the folder read');
    // The tool finishes and writes the sequence; it is opened while the file events are still on their way.
    ws.write('RSC002A6/catalog.tsq.yaml', IMPORTED_CATALOG);
    ws.write('RSC002A6/rsc002a6.tsq.yaml', IMPORTED);
    const seq = ws.uri('RSC002A6/rsc002a6.tsq.yaml');
    await client.open(seq, IMPORTED);
    assert.deepEqual(notInCatalog(await client.diagnosticsFor(seq)), [], 'the catalog as it is now counts');
    assert.deepEqual(client.failures(), []);
  });

  test('a catalog the folder read caught half written, finished before the file watcher was in place, is read again once it is', async () => {
    // The editor is slow to take the file watcher: the tool finishes its write before then, so no event will come.
    let answerRegistrations!: () => void;
    const registrationsAnswered = new Promise<void>((resolve) => (answerRegistrations = resolve));
    const ws = workspaceFolder({
      'catalog.tsq.yaml': SITE_CATALOG,
      'RSC002A6/catalog.tsq.yaml': HALF_WRITTEN,
      'RSC002A6/rsc002a6.tsq.yaml': IMPORTED,
    });
    cleanup.push(ws.dispose);
    const client = await TestClient.start({
      folder: ws.folder,
      settings: { diagnostics: { scope: 'workspace' } },
      registrationsAnswered,
    });
    cleanup.push(() => client.stop());
    const seq = ws.uri('RSC002A6/rsc002a6.tsq.yaml');
    // The sequence stays closed, so nothing opened beside the catalog makes the server look at it again.
    const first = await client.diagnosticsFor(seq);
    assert.equal(notInCatalog(first).length, 1, 'read half written, the catalog lacks the second package');
    const seen = client.published(seq);
    ws.write('RSC002A6/catalog.tsq.yaml', IMPORTED_CATALOG);
    answerRegistrations();
    await client.diagnosticsFor(seq, { after: seen, matching: isClean });
    assert.deepEqual(client.failures(), []);
  });

  test('a folder deleted, or renamed in the editor, takes its files along; the new name brings them back', async () => {
    const { ws, client } = await setUp({
      'catalog.tsq.yaml': SITE_CATALOG,
      'imports/RSC002A6/catalog.tsq.yaml': IMPORTED_CATALOG,
      'main.tsq.yaml': IMPORTED,
    });
    const seq = ws.uri('main.tsq.yaml');
    await client.open(seq, IMPORTED);
    await client.diagnosticsFor(seq, { matching: isClean });

    renameSync(ws.path('imports'), ws.path('imported'));
    let seen = client.published(seq);
    await client.connection.sendNotification(DidRenameFilesNotification.type, {
      files: [{ oldUri: ws.uri('imports'), newUri: ws.uri('imported') }],
    });
    assert.ok(isClean(await client.diagnosticsFor(seq, { after: seen })), 'the catalog is known under its new folder');

    rmSync(ws.path('imported'), { recursive: true });
    seen = client.published(seq);
    await watched(client, [{ uri: ws.uri('imported'), type: FileChangeType.Deleted }]);
    await client.diagnosticsFor(seq, { after: seen, matching: isBroken });

    ws.write('again/catalog.tsq.yaml', IMPORTED_CATALOG);
    seen = client.published(seq);
    await client.connection.sendNotification(DidCreateFilesNotification.type, { files: [{ uri: ws.uri('again') }] });
    await client.diagnosticsFor(seq, { after: seen, matching: isClean });
    seen = client.published(seq);
    await client.connection.sendNotification(DidDeleteFilesNotification.type, { files: [{ uri: ws.uri('again') }] });
    // An edit is checked after the notification (notifications are handled in order): every check it caused is in by then.
    await client.change(seq, 2, [{ text: `${IMPORTED}# edited\n` }]);
    await client.diagnosticsFor(seq, { after: seen, version: 2 });
    for (const p of (client.diagnostics.get(seq) ?? []).slice(seen))
      assert.ok(isClean(p.diagnostics), 'a folder reported deleted that is still there keeps its files');
    assert.deepEqual(client.failures(), []);
  });

  test('a folder that a .tsqignore or a hidden name keeps out of the search stays out when it appears', async () => {
    const { ws, client } = await setUp({
      'catalog.tsq.yaml': SITE_CATALOG,
      '.tsqignore': 'drafts/\n',
      'main.tsq.yaml': IMPORTED,
    });
    const seq = ws.uri('main.tsq.yaml');
    await client.open(seq, IMPORTED);
    await client.diagnosticsFor(seq, { matching: isBroken });
    ws.write('drafts/catalog.tsq.yaml', IMPORTED_CATALOG);
    ws.write('.hidden/catalog.tsq.yaml', IMPORTED_CATALOG);
    await watched(client, [
      { uri: ws.uri('drafts'), type: FileChangeType.Created },
      { uri: ws.uri('.hidden'), type: FileChangeType.Created },
    ]);
    const seen = client.published(seq);
    // A change to the sequence is checked after both events (notifications are handled in order).
    await client.change(seq, 2, [{ text: `${IMPORTED}# edited\n` }]);
    assert.ok(isBroken(await client.diagnosticsFor(seq, { after: seen, version: 2 })), 'neither catalog counts');
  });

  test('hostile events: a path that is not there, a file URI of a file, an unknown scheme — nothing breaks', async () => {
    const { ws, client } = await setUp({ 'catalog.tsq.yaml': SITE_CATALOG, 'main.tsq.yaml': IMPORTED });
    await watched(client, [
      { uri: ws.uri('nowhere'), type: FileChangeType.Created },
      { uri: ws.uri('nowhere'), type: FileChangeType.Deleted },
      { uri: ws.uri('catalog.tsq.yaml/inside'), type: FileChangeType.Created },
      { uri: 'untitled:Untitled-1', type: FileChangeType.Deleted },
      { uri: 'https://example.com/x', type: FileChangeType.Created },
    ]);
    await client.connection.sendNotification(DidRenameFilesNotification.type, {
      files: [{ oldUri: ws.uri('nowhere'), newUri: ws.uri('elsewhere') }],
    });
    const seq = ws.uri('main.tsq.yaml');
    await client.open(seq, IMPORTED);
    assert.ok(isBroken(await client.diagnosticsFor(seq)));
    assert.deepEqual(client.failures(), []);
  });
});
