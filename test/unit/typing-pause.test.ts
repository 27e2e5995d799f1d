// The pause between a keystroke and the check of its file (lsp/diagnostics.ts): judged on the
// checks that followed typing, not on the full check of a file just opened, and only once two of
// them in a row were slow, so that one slow check (a collector's pause) does not delay the next
// keystroke. The scheduler's clock is the test's own: each check "takes" what the test says.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CheckScheduler } from '../../server/src/lsp/diagnostics';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A scheduler whose checks take `took[id]` milliseconds of its clock, and a way to run one check. */
function scheduler() {
  let clock = 0;
  const took = new Map<string, number>();
  const done: string[] = [];
  const s = new CheckScheduler(
    (id) => {
      clock += took.get(id) ?? 1;
      done.push(id);
    },
    () => true,
    1_000_000,
    () => clock,
  );
  const runCheck = async (id: string, ms: number, pause: number) => {
    took.set(id, ms);
    const before = done.length;
    s.schedule(id, pause);
    while (done.length === before) await turn();
  };
  return { s, runCheck };
}

describe('the pause after typing', () => {
  test('the full check of a file just opened does not pause its first keystroke', async () => {
    const { s, runCheck } = scheduler();
    try {
      await runCheck('big', 900, 0);
      assert.equal(s.pauseAfterTyping('big', undefined), 0);
    } finally {
      s.dispose();
    }
  });

  test('one slow check after typing does not pause the next keystroke; two in a row do, by the shorter', async () => {
    const { s, runCheck } = scheduler();
    try {
      await runCheck('f', 5, s.pauseAfterTyping('f', undefined));
      await runCheck('f', 80, s.pauseAfterTyping('f', undefined));
      assert.equal(s.pauseAfterTyping('f', undefined), 0, 'after one slow check');
      await runCheck('f', 60, 0);
      assert.equal(s.pauseAfterTyping('f', undefined), 60, 'after two slow checks');
      await runCheck('f', 4, 0);
      assert.equal(s.pauseAfterTyping('f', undefined), 0, 'after a quick check again');
    } finally {
      s.dispose();
    }
  });

  test('a file whose every keystroke costs a slow check is paused for at most a second', async () => {
    const { s, runCheck } = scheduler();
    try {
      for (let i = 0; i < 3; i++) {
        s.pauseAfterTyping('slow', undefined);
        await runCheck('slow', 5_000, 0);
      }
      assert.equal(s.pauseAfterTyping('slow', undefined), 1000);
      assert.equal(s.pauseAfterTyping('slow', 250), 250, 'a configured delay wins');
    } finally {
      s.dispose();
    }
  });
});
