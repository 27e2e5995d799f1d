// The harness's promise to clean up, checked where it is hardest to keep: a session that runs out of
// time in the middle of starting the editor (it must fail at once, not after the start-up's own
// time limits), a workbench that is still loading when its session ends, and a session whose test
// body throws.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import {
  e2eSkipReason,
  processesMentioning,
  scratchFolder,
  scratchPrefix,
  startCodeServer,
  withEditor,
  Workbench,
  type CodeServer,
} from './harness';

const skip = e2eSkipReason();

function leftoversOf(name: string): { processes: number[]; folders: string[] } {
  const prefix = scratchPrefix(name);
  return {
    processes: processesMentioning(prefix),
    folders: readdirSync(tmpdir()).filter((entry) => entry.startsWith(basename(prefix))),
  };
}

test(
  'a session that runs out of time while starting fails at once, and leaves no process or folder behind',
  { skip, timeout: 120_000 },
  async () => {
    const name = 'harness-timeout';
    let bodyRan = false;
    const started = Date.now();
    await assert.rejects(
      withEditor({ name, timeoutMs: 1000 }, async () => {
        bodyRan = true;
      }),
      /editor session "harness-timeout" took longer than 1000 ms/,
    );
    const tookMs = Date.now() - started;
    assert.equal(bodyRan, false, 'the editor cannot start in 1 s, so the body never ran');
    // Waiting out the workbench's 60 s readiness limit (or code-server's) would take a minute.
    assert.ok(tookMs < 20_000, `the start-up was abandoned, not waited out: the failure came after ${tookMs} ms`);
    assert.deepEqual(leftoversOf(name), { processes: [], folders: [] });
  },
);

test(
  'a workbench that is still loading when its session ends is closed at once',
  { skip, timeout: 120_000 },
  async () => {
    const root = scratchFolder('harness-abort-load');
    let server: CodeServer | undefined;
    try {
      const workspace = join(root, 'workspace');
      mkdirSync(workspace);
      server = await startCodeServer({ root: join(root, 'code-server'), workspace });
      const session = new AbortController();
      const started = Date.now();
      // The session ends the moment Chromium has started to load the workbench: a state, not a time,
      // so a fast machine cannot have the workbench ready first (a fixed 500 ms used to assume so).
      let loading = false;
      const opening = Workbench.open({
        server,
        profileDir: join(root, 'chromium'),
        screenshotDir: join(root, 'screenshots'),
        signal: session.signal,
        onLoading: () => {
          loading = true;
          session.abort(new Error('the session ended'));
        },
      });
      await assert.rejects(opening, /the session ended/);
      assert.ok(loading, 'the session ended while the workbench was loading');
      const tookMs = Date.now() - started;
      assert.ok(tookMs < 15_000, `the open gave up when the session ended, after ${tookMs} ms`);
      assert.deepEqual(processesMentioning(join(root, 'chromium')), [], 'Chromium has exited');
    } finally {
      await server?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  },
);

test(
  'a session whose body throws passes the error on, saves a failure screenshot and cleans up',
  { skip, timeout: 180_000 },
  async () => {
    const name = 'harness-body-error';
    let artifacts = '';
    await assert.rejects(
      withEditor({ name }, async (session) => {
        artifacts = session.artifacts;
        throw new Error('the check failed');
      }),
      /the check failed/,
    );
    assert.ok(existsSync(`${artifacts}/01-failure.png`), 'a screenshot of the moment of failure');
    assert.deepEqual(leftoversOf(name), { processes: [], folders: [] });
  },
);
