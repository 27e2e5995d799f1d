// The harness's promise to clean up, checked where it is hardest to keep: a session that runs out of
// time in the middle of starting the editor, and a session whose test body throws.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { test } from 'node:test';
import { e2eSkipReason, processesMentioning, scratchPrefix, withEditor } from './harness';

const skip = e2eSkipReason();

function leftoversOf(name: string): { processes: number[]; folders: string[] } {
  const prefix = scratchPrefix(name);
  return {
    processes: processesMentioning(prefix),
    folders: readdirSync(tmpdir()).filter((entry) => entry.startsWith(basename(prefix))),
  };
}

test('a session that runs out of time while starting fails, and leaves no process or folder behind', { skip, timeout: 120_000 }, async () => {
  const name = 'harness-timeout';
  let bodyRan = false;
  await assert.rejects(
    withEditor({ name, timeoutMs: 1000 }, async () => { bodyRan = true; }),
    /editor session "harness-timeout" took longer than 1000 ms/,
  );
  assert.equal(bodyRan, false, 'the editor cannot start in 1 s, so the body never ran');
  assert.deepEqual(leftoversOf(name), { processes: [], folders: [] });
});

test('a session whose body throws passes the error on, saves a failure screenshot and cleans up', { skip, timeout: 180_000 }, async () => {
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
});
