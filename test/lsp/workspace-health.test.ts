// The workspace's health over the protocol: under the default `openFiles` scope the server still
// checks every tsq file of the folders in the background, publishes diagnostics only for open
// files, and sends `tsq/workspaceHealth` (counts, files with problems, whether it is still
// checking) whenever that changes, after edits and changes on disk too (docs/editor-features.md).

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
} from 'vscode-languageserver-protocol/node';
import { TestClient, workspaceFolder } from './client';
import {
  WORKSPACE_HEALTH_NOTIFICATION,
  type WorkspaceHealth,
} from '../../server/src/frontend/workspace-health-protocol';
import { HEALTH_PAUSE_MS } from '../../server/src/lsp/workspace-health';

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

const catalog = `catalog: Site\npackages:\n  - { id: AAA00001, name: Tools, programs: [Install] }\n`;
const sequence = (id: string) =>
  `sequence: Install tools\nsteps:\n  - name: Tools\n    action: InstallPackage\n    with: { package: ${id}, program: Install }\n`;
const twoBroken = `sequence: Two broken\nsteps:\n  - name: One\n    action: InstallPackage\n    with: { package: ZZZ00001, program: Install }\n  - name: Two\n    action: InstallPackage\n    with: { package: ZZZ00002, program: Install }\n`;

function healthOf(client: TestClient): WorkspaceHealth[] {
  return (client.notifications.get(WORKSPACE_HEALTH_NOTIFICATION) ?? []) as WorkspaceHealth[];
}

/** The first summary after `after` earlier ones that is done checking and satisfies `matching`. */
function settled(client: TestClient, matching: (h: WorkspaceHealth) => boolean = () => true, after = 0) {
  return client.until(
    () =>
      healthOf(client)
        .slice(after)
        .find((h) => !h.checking && matching(h)),
    'a workspace health summary',
  );
}

function brokenWorkspace() {
  const ws = workspaceFolder({
    'catalog.tsq.yaml': catalog,
    'clean.tsq.yaml': sequence('AAA00001'),
    'broken.tsq.yaml': sequence('ZZZ00009'),
    'nested/two.tsq.yaml': twoBroken,
    'ignored/broken.tsq.yaml': sequence('ZZZ00008'),
    '.tsqignore': 'ignored/\n',
    // Something with a tsq file's name that cannot be read: a folder.
    'unreadable.tsq.yaml/inside.txt': '',
  });
  cleanup.push(ws.dispose);
  return ws;
}

describe('workspace health', () => {
  test('files that are not open are counted, not published; ignored files are left out; unreadable files say why', async () => {
    const ws = brokenWorkspace();
    const client = await TestClient.start({ folder: ws.folder });
    cleanup.push(() => client.stop());
    const health = await settled(client);
    assert.deepEqual(
      {
        errors: health.errors,
        filesWithProblems: health.filesWithProblems,
        checked: health.checked,
        scope: health.scope,
      },
      { errors: 4, filesWithProblems: 3, checked: 5, scope: 'openFiles' },
    );
    assert.deepEqual(
      health.files.map((f) => [f.uri, f.errors, f.first.code]),
      [
        [ws.uri('nested/two.tsq.yaml'), 2, 'broken-reference'],
        [ws.uri('broken.tsq.yaml'), 1, 'broken-reference'],
        // A file tsq cannot read is reported under the rule of files it cannot parse.
        [ws.uri('unreadable.tsq.yaml'), 1, 'yaml-syntax'],
      ],
    );
    const two = health.files[0];
    assert.equal(two.first.line, 4, 'the first error of a file is where the first broken reference is');
    assert.equal(health.files[2].first.message, 'This is a folder, not a file.', 'the reason a file cannot be read');
    assert.equal(client.publishedTotal, 0, 'no diagnostics are published for files that are not open');
    assert.ok(healthOf(client)[0].checking, 'the first summary says the check is still running');
    assert.deepEqual(client.failures(), []);
  });

  test('a change on disk and an edit update the counts; only the open file is published', async () => {
    const ws = brokenWorkspace();
    const client = await TestClient.start({ folder: ws.folder });
    cleanup.push(() => client.stop());
    await settled(client, (h) => h.errors === 4);
    await client.watching();

    // Fixed on disk (as a git checkout would), reported by file watching.
    let seen = healthOf(client).length;
    ws.write('broken.tsq.yaml', sequence('AAA00001'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: ws.uri('broken.tsq.yaml'), type: FileChangeType.Changed }],
    });
    const afterDisk = await settled(client, (h) => h.errors === 3, seen);
    assert.deepEqual(
      afterDisk.files.map((f) => f.uri),
      [ws.uri('nested/two.tsq.yaml'), ws.uri('unreadable.tsq.yaml')],
    );

    // Edited in the editor: the open file is published and counted as it is typed.
    seen = healthOf(client).length;
    await client.open(ws.uri('nested/two.tsq.yaml'), twoBroken);
    const published = await client.diagnosticsFor(ws.uri('nested/two.tsq.yaml'));
    assert.equal(published.length, 2);
    await client.change(ws.uri('nested/two.tsq.yaml'), 2, [{ text: sequence('AAA00001') }]);
    const afterEdit = await settled(client, (h) => h.errors === 1, seen);
    assert.deepEqual(
      afterEdit.files.map((f) => f.uri),
      [ws.uri('unreadable.tsq.yaml')],
    );
    assert.deepEqual(
      [...client.diagnostics.keys()],
      [ws.uri('nested/two.tsq.yaml')],
      'only the open file has diagnostics published',
    );

    // Closed without saving: the text on disk counts again, and the Problems panel forgets the file.
    seen = healthOf(client).length;
    await client.close(ws.uri('nested/two.tsq.yaml'));
    await settled(client, (h) => h.errors === 3, seen);
    assert.deepEqual(client.diagnostics.get(ws.uri('nested/two.tsq.yaml'))?.at(-1)?.diagnostics, []);
    assert.deepEqual(client.failures(), []);
  });

  test('a file a new `.tsqignore` leaves out stops counting', async () => {
    const ws = brokenWorkspace();
    const client = await TestClient.start({ folder: ws.folder });
    cleanup.push(() => client.stop());
    await settled(client, (h) => h.errors === 4);
    await client.watching();
    const seen = healthOf(client).length;
    ws.write('.tsqignore', 'ignored/\nnested/\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: ws.uri('.tsqignore'), type: FileChangeType.Changed }],
    });
    const health = await settled(client, (h) => h.errors === 2, seen);
    assert.equal(health.checked, 4);
    assert.deepEqual(client.failures(), []);
  });

  test('with `tsq.diagnostics.workspaceHealth` off nothing is sent, and turning it on starts the check', async () => {
    const ws = brokenWorkspace();
    const off = { diagnostics: { workspaceHealth: false } };
    const client = await TestClient.start({ folder: ws.folder, settings: off });
    cleanup.push(() => client.stop());
    await client.open(ws.uri('broken.tsq.yaml'), sequence('ZZZ00009'));
    await client.diagnosticsFor(ws.uri('broken.tsq.yaml'));
    // Absence can only be seen by giving it the time it would take: a summary would follow the
    // check above within one pause.
    await new Promise((resolve) => setTimeout(resolve, 4 * HEALTH_PAUSE_MS));
    assert.deepEqual(healthOf(client), [], 'no summary while the setting is off');
    assert.deepEqual([...client.diagnostics.keys()], [ws.uri('broken.tsq.yaml')]);

    client.setSettings({ diagnostics: { workspaceHealth: true } });
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    const health = await settled(client, (h) => h.checked === 5);
    assert.equal(health.errors, 4);
    assert.deepEqual([...client.diagnostics.keys()], [ws.uri('broken.tsq.yaml')]);
    assert.deepEqual(client.failures(), []);
  });

  test('with the `workspace` scope the summary counts what the Problems panel shows', async () => {
    const ws = brokenWorkspace();
    const client = await TestClient.start({ folder: ws.folder, settings: { diagnostics: { scope: 'workspace' } } });
    cleanup.push(() => client.stop());
    const health = await settled(client, (h) => h.checked === 5);
    assert.equal(health.scope, 'workspace');
    assert.equal(health.errors, 4);
    await client.diagnosticsFor(ws.uri('broken.tsq.yaml'), { matching: (l) => l.length === 1 });
  });
});
