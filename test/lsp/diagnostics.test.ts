// Diagnostics over the protocol: the built server reports every engine finding when a file opens,
// again while typing and on save, re-checks files that depend on a changed catalog or child
// sequence (open in the editor or changed on disk), honours the severity and "only on save"
// settings, and cancels requests it has not started.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  CancellationTokenSource,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  LSPErrorCodes,
  ResponseError,
} from 'vscode-languageserver-protocol/node';
import { TestClient, workspaceFolder, read, repoRoot, positionOf } from './client';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { normalisePath } from '../../server/src/util/paths';
import { generateSequence } from '../../bench/generate';

const clients: TestClient[] = [];
const folders: { dispose: () => void }[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  for (const f of folders) f.dispose();
});

async function start(folder: string, settings?: unknown): Promise<TestClient> {
  const c = await TestClient.start({ folder, settings });
  clients.push(c);
  return c;
}

/** A server on a scratch copy of `from` (under the repository) with `file` open. */
async function openInCopy(from: string, file: string, settings?: unknown) {
  const ws = workspaceFolder({}, join(repoRoot, from));
  folders.push(ws);
  const client = await start(ws.folder, settings);
  const uri = ws.uri(file);
  const text = read(ws.path(file));
  await client.open(uri, text);
  return { ws, client, uri, text };
}

describe('diagnostics', () => {
  test('opening a file reports what `tsq lint` reports for it, at the same places', async () => {
    const ws = workspaceFolder({}, join(repoRoot, 'examples', 'broken'));
    folders.push(ws);
    const client = await start(ws.folder);
    const text = read(ws.path('deploy.tsq.yaml'));
    await client.open(ws.uri('deploy.tsq.yaml'), text);
    const got = await client.diagnosticsFor(ws.uri('deploy.tsq.yaml'));
    const { ws: lintWs } = loadPaths([ws.folder]);
    const expected = analyzeDocument(lintWs, lintWs.get(normalisePath(ws.path('deploy.tsq.yaml')))!);
    assert.ok(expected.length >= 8, 'the broken example has many findings');
    const lines = text.split('\n');
    const where = (offset: number) => {
      let line = 0,
        rest = offset;
      while (rest > lines[line].length) {
        rest -= lines[line].length + 1;
        line++;
      }
      return `${line}:${rest}`;
    };
    assert.deepEqual(
      got.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`).sort(),
      expected.map((d) => `${d.code} ${where(d.start)}`).sort(),
    );
    assert.ok(got.every((d) => d.source === 'tsq'));
    const broken = got.find((d) => d.code === 'broken-reference' && (d.message as string).includes('CM100099'));
    assert.ok(broken?.data, 'quick-fix facts travel with the diagnostic');
    assert.deepEqual(client.failures(), []);
  });

  test('typing updates the diagnostics of the version typed, and fixing the mistake clears it', async () => {
    const { client, uri, text } = await openInCopy('examples', 'deploy-windows-11.tsq.yaml');
    assert.deepEqual(await client.diagnosticsFor(uri), [], 'the example is clean');
    const at = positionOf(text, 'action: InstallPackage', 'action: Install'.length);
    await client.change(uri, 2, [{ range: { start: at, end: at }, text: 'x' }]);
    const v2 = await client.diagnosticsFor(uri, { version: 2 });
    assert.deepEqual(
      v2.map((d) => d.code),
      ['unknown-action'],
    );
    assert.match(v2[0].message as string, /InstallxPackage/);
    await client.change(uri, 3, [
      { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' },
    ]);
    assert.deepEqual(await client.diagnosticsFor(uri, { version: 3 }), []);
  });

  test('a catalog edited in the editor re-checks the sequences that use it', async () => {
    const ws = workspaceFolder({}, join(repoRoot, 'examples'));
    folders.push(ws);
    const client = await start(ws.folder);
    const seq = ws.uri('deploy-windows-11.tsq.yaml');
    const cat = ws.uri('catalog.tsq.yaml');
    await client.open(seq, read(ws.path('deploy-windows-11.tsq.yaml')));
    assert.deepEqual(await client.diagnosticsFor(seq), []);
    const catText = read(ws.path('catalog.tsq.yaml'));
    await client.open(cat, catText);
    const seen = client.published(seq);
    const at = positionOf(catText, 'id: CM100078', 'id: CM10007'.length);
    await client.change(cat, 2, [
      { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '9' },
    ]);
    const after = await client.diagnosticsFor(seq, { after: seen, matching: (list) => list.length > 0 });
    assert.deepEqual(
      after.map((d) => d.code),
      ['broken-reference'],
      'the branding package is gone from the catalog',
    );
  });

  test('a child sequence changed on disk re-checks its parent', async () => {
    const ws = workspaceFolder({}, join(repoRoot, 'examples'));
    folders.push(ws);
    const client = await start(ws.folder);
    const parent = ws.uri('deploy-windows-11.tsq.yaml');
    await client.open(parent, read(ws.path('deploy-windows-11.tsq.yaml')));
    assert.deepEqual(await client.diagnosticsFor(parent), []);
    await client.watching();
    const seen = client.published(parent);
    // The child now runs its parent: a loop, reported at the parent's Run Task Sequence step.
    ws.write(
      'install-apps.tsq.yaml',
      `${read(ws.path('install-apps.tsq.yaml'))}  - name: Back to the parent\n    action: RunTaskSequence\n    with: { sequence: ./deploy-windows-11.tsq.yaml }\n`,
    );
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: ws.uri('install-apps.tsq.yaml'), type: FileChangeType.Changed }],
    });
    const after = await client.diagnosticsFor(parent, { after: seen, matching: (list) => list.length > 0 });
    assert.deepEqual(
      after.map((d) => d.code),
      ['child-cycle'],
    );
  });

  test('a sequence edited in the editor re-checks the deployments and media that carry it, through its parents', async () => {
    // The deployment and the stand-alone media name deploy-windows-11, which runs install-apps
    // as a child. A package reference broken in the child makes a deployment ConfigMgr will not
    // create (https://learn.microsoft.com/mem/configmgr/osd/deploy-use/deploy-a-task-sequence),
    // and Auto Apply Drivers cannot run from stand-alone media
    // (https://learn.microsoft.com/mem/configmgr/osd/deploy-use/create-stand-alone-media#unsupported-actions-for-stand-alone-media).
    const ws = workspaceFolder({}, join(repoRoot, 'examples'));
    folders.push(ws);
    const client = await start(ws.folder);
    const deployment = ws.uri('pilot-deployment.tsq.yaml');
    const media = ws.uri('offline-media.tsq.yaml');
    const child = ws.uri('install-apps.tsq.yaml');
    const codes = (list: { code?: string | number }[]) => list.map((d) => d.code);
    await client.open(deployment, read(ws.path('pilot-deployment.tsq.yaml')));
    await client.open(media, read(ws.path('offline-media.tsq.yaml')));
    assert.ok(!codes(await client.diagnosticsFor(deployment)).includes('deploy-broken-sequence'));
    assert.ok(!codes(await client.diagnosticsFor(media)).includes('standalone-media'));
    const childText = read(ws.path('install-apps.tsq.yaml'));
    await client.open(child, childText);
    await client.diagnosticsFor(child);

    let seen = client.published(deployment);
    const at = positionOf(childText, 'package: CM100077', 'package: CM10007'.length);
    const digit = (version: number, text: string) =>
      client.change(child, version, [
        { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text },
      ]);
    await digit(2, '9');
    await client.diagnosticsFor(deployment, {
      after: seen,
      matching: (list) => codes(list).includes('deploy-broken-sequence'),
    });
    seen = client.published(deployment);
    await digit(3, '7');
    await client.diagnosticsFor(deployment, {
      after: seen,
      matching: (list) => !codes(list).includes('deploy-broken-sequence'),
    });

    const seenMedia = client.published(media);
    const end = { line: childText.split('\n').length - 1, character: 0 };
    await client.change(child, 4, [
      { range: { start: end, end }, text: '  - name: Drivers\n    action: AutoApplyDrivers\n' },
    ]);
    const onMedia = await client.diagnosticsFor(media, {
      after: seenMedia,
      matching: (list) => codes(list).includes('standalone-media'),
    });
    const finding = onMedia.find((d) => d.code === 'standalone-media');
    assert.match(typeof finding?.message === 'string' ? finding.message : '', /Auto Apply Drivers/);
  });

  test('severity settings change and silence rules', async () => {
    const ws = workspaceFolder({}, join(repoRoot, 'examples', 'broken'));
    folders.push(ws);
    const client = await start(ws.folder, {
      diagnostics: { severity: { 'undefined-variable': 'off', 'unknown-action': 'hint' } },
    });
    const uri = ws.uri('deploy.tsq.yaml');
    await client.open(uri, read(ws.path('deploy.tsq.yaml')));
    // Settings arrive after start-up: wait for the check that honours them.
    const final = await client.diagnosticsFor(uri, {
      matching: (list) => list.length > 0 && !list.some((d) => d.code === 'undefined-variable'),
    });
    assert.ok(!final.some((d) => d.code === 'undefined-variable'));
    assert.equal(final.find((d) => d.code === 'unknown-action')?.severity, 4);
  });

  test('with "only on save", typing publishes nothing and saving does', async () => {
    const { client, uri, text } = await openInCopy('examples', 'install-apps.tsq.yaml', {
      diagnostics: { run: 'onSave' },
    });
    await client.diagnosticsFor(uri);
    await new Promise((r) => setTimeout(r, 300));
    const seen = client.published(uri);
    const at = positionOf(text, 'action: InstallApplication', 'action: Install'.length);
    await client.change(uri, 2, [{ range: { start: at, end: at }, text: 'x' }]);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(client.published(uri), seen, 'nothing while typing');
    await client.save(uri);
    const saved = await client.diagnosticsFor(uri, { after: seen });
    assert.deepEqual(
      saved.map((d) => d.code),
      ['unknown-action'],
    );
  });
});

describe('cancellation', () => {
  test('a request cancelled before the server reaches it answers "cancelled"', async () => {
    const ws = workspaceFolder({ 'big.tsq.yaml': generateSequence(4000) });
    folders.push(ws);
    const client = await start(ws.folder);
    const uri = ws.uri('big.tsq.yaml');
    // The server is busy reading and checking this file when the request and its cancellation arrive.
    await client.open(uri, `${generateSequence(4000)}# edited\n`);
    const source = new CancellationTokenSource();
    const answer = client.connection.sendRequest(
      HoverRequest.type,
      { textDocument: { uri }, position: { line: 8, character: 10 } },
      source.token,
    );
    source.cancel();
    await assert.rejects(
      answer,
      (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled,
    );
    await client.diagnosticsFor(uri);
  });
});

describe('files the folder search passes over', () => {
  test('a file in a folder `.tsqignore` excludes is checked with the files beside it, as `tsq lint` checks it', async () => {
    const { ws, client, uri } = await openInCopy('examples', 'broken/deploy.tsq.yaml');
    const got = await client.diagnosticsFor(uri);
    const { ws: lintWs } = loadPaths([ws.path('broken/deploy.tsq.yaml')]);
    const expected = analyzeDocument(lintWs, lintWs.get(normalisePath(ws.path('broken/deploy.tsq.yaml')))!);
    assert.deepEqual(got.map((d) => d.code).sort(), expected.map((d) => d.code).sort());
    assert.ok(
      got.some((d) => d.code === 'architecture-mismatch'),
      'the x86 drivers of broken/catalog.tsq.yaml are known',
    );
  });
});
