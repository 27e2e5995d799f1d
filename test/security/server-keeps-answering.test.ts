// Threat: a workspace of thousands of sequences that run each other keeps the language server
// busy for a long time after every edit (each file depends on all the others), and the editor
// freezes: hover, completion and the user's own edits wait. The server must keep answering while
// that work proceeds: checks and folder reads run in short slices with a turn of the event loop
// between them, the files open in the editor first, and a newer edit drops work not yet done.
// Pinned by order of events, not by timing (slices of 0 ms run one check each).

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { CheckScheduler } from '../../server/src/lsp/diagnostics';
import { BackgroundJobs } from '../../server/src/lsp/background';
import { TestClient, workspaceFolder } from '../lsp/client';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A scheduler whose slices run one check each (0 ms), disposed whatever the test finds. */
async function withScheduler(
  urgent: (id: string) => boolean,
  body: (scheduler: CheckScheduler, done: string[]) => Promise<void>,
): Promise<void> {
  const done: string[] = [];
  const scheduler = new CheckScheduler((id) => done.push(id), urgent, 0);
  try {
    await body(scheduler, done);
  } finally {
    scheduler.dispose();
  }
}

describe('checks run in slices that give way to incoming messages', () => {
  test('a message arriving while 100 checks are due is handled after the first slice, not after all of them', () =>
    withScheduler(
      () => false,
      async (scheduler, done) => {
        for (let i = 0; i < 100; i++) scheduler.schedule(`file${i}`, 0);
        // What a message from the editor would do: wait for the next turn of the event loop.
        let seenWhenAnswered = -1;
        setImmediate(() => (seenWhenAnswered = done.length));
        while (done.length < 100) await turn();
        assert.ok(seenWhenAnswered >= 0 && seenWhenAnswered < 100, `answered after ${seenWhenAnswered} of 100 checks`);
      },
    ));

  test('files open in the editor are checked before the files that depend on them', () =>
    withScheduler(
      (id) => id === 'open',
      async (scheduler, done) => {
        for (let i = 0; i < 20; i++) scheduler.schedule(`dependent${i}`, 0);
        scheduler.schedule('open', 0);
        while (done.length < 21) await turn();
        assert.equal(done[0], 'open');
      },
    ));

  test('a newer edit drops a check that is due but has not run yet', () =>
    withScheduler(
      () => false,
      async (scheduler, done) => {
        for (let i = 0; i < 10; i++) scheduler.schedule(`file${i}`, 0);
        await turn();
        // The edit arrives between slices: the files that depend on it wait for its pause again.
        for (let i = 0; i < 10; i++) scheduler.schedule(`file${i}`, 60_000);
        await turn();
        await turn();
        assert.ok(done.length < 10, `${done.length} checks ran`);
        for (let i = 0; i < 10; i++) assert.ok(scheduler.pending(`file${i}`), `file${i} waits for the newer pause`);
      },
    ));

  test('background work (reading a folder) yields between units and can be cancelled', async () => {
    const jobs = new BackgroundJobs(() => assert.fail('no job fails here'), 0);
    let units = 0;
    let finished = false;
    const handle = jobs.start(
      'reading',
      (function* () {
        for (let i = 0; i < 1000; i++) {
          units++;
          yield;
        }
        return units;
      })(),
      () => (finished = true),
    );
    try {
      await turn();
      assert.ok(units > 0 && units < 1000, `${units} units in the first turn`);
      handle.cancel();
      const atCancel = units;
      await turn();
      await turn();
      assert.equal(units, atCancel);
      assert.equal(finished, false);
      assert.equal(handle.done, true);
    } finally {
      jobs.dispose();
    }
  });
});

describe('the language server on a ring of 3,000 sequences', () => {
  const folders: { dispose(): void }[] = [];
  after(() => folders.forEach((f) => f.dispose()));

  test('answers hover while the files that depend on an edit are being checked', { timeout: 300_000 }, async () => {
    const n = 3000;
    const name = (i: number) => `s${String(i).padStart(5, '0')}.tsq.yaml`;
    const files: Record<string, string> = {};
    for (let i = 0; i < n; i++)
      files[name(i)] =
        `sequence: S${i}\npackageId: CM${String(i).padStart(6, '0')}\nsteps:\n  - name: Run next\n    action: RunTaskSequence\n    with: { sequence: ./${name((i + 1) % n)} }\n`;
    const ws = workspaceFolder(files);
    folders.push(ws);
    const client = await TestClient.start({ folder: ws.folder, settings: { diagnostics: { scope: 'workspace' } } });
    try {
      const uri = ws.uri(name(0));
      await client.open(uri, files[name(0)]);
      const first = await client.diagnosticsFor(uri, { timeoutMs: 240_000 });
      assert.deepEqual(
        first.map((d) => d.code),
        ['child-cycle'],
      );
      await client.until(() => (client.diagnostics.size >= n ? true : undefined), 'every file checked once', 240_000);
      // An edit of the open file: the 2,999 others depend on it and are checked again.
      const before = client.publishedTotal;
      await client.change(uri, 2, [
        { range: { start: { line: 0, character: 10 }, end: { line: 0, character: 10 } }, text: ' (edited)' },
      ]);
      await client.until(
        () => (client.publishedTotal >= before + 2 ? true : undefined),
        'the first files checked after the edit',
        240_000,
      );
      await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: 4, character: 14 },
      });
      const whenAnswered = client.publishedTotal - before;
      assert.ok(whenAnswered < n, `the hover was answered only after all ${whenAnswered} checks`);
      await client.until(
        () => (client.publishedTotal - before >= n ? true : undefined),
        'every file checked after the edit',
        240_000,
      );
      assert.deepEqual(client.failures(), []);
    } finally {
      await client.stop();
    }
  });
});
