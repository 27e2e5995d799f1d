// The language server lets V8 size its heap while it reads a folder of many files, and keeps it
// near its live size otherwise (server/src/lsp/memory.ts): a folder of one large sequence and its
// catalog must not pay the peak memory that free growth costs (docs/performance.md, "Where issue 18
// stands"), while a reading of a large repository must get it from its FILES_FOR_FREE_GROWTH-th file.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FILES_FOR_FREE_GROWTH, growFreely, growingFreelyWhenLarge, growsFreely } from '../../server/src/lsp/memory';
import { runToEnd, type Job } from '../../server/src/lsp/background';

/** A folder reading that reads `files` files, one per slice, and says what `growsFreely` was after each. */
function* reading(files: number, read: { count: number }, seen: boolean[]): Job<string> {
  for (let i = 0; i < files; i++) {
    read.count++;
    yield undefined;
    seen.push(growsFreely());
  }
  return 'read';
}

describe('the heap while a folder is read', () => {
  afterEach(() => growFreely(false));

  it('a folder of a few files is read with the heap kept near its live size', () => {
    const read = { count: 0 },
      seen: boolean[] = [];
    const result = runToEnd(growingFreelyWhenLarge(reading(3, read, seen), () => read.count));
    assert.equal(result, 'read', 'the reading returns its own result');
    assert.deepEqual(seen, [false, false, false]);
    assert.equal(growsFreely(), false);
  });

  it('a folder of many files lets the heap grow freely from the file that reaches the threshold on', () => {
    const read = { count: 0 },
      seen: boolean[] = [];
    runToEnd(growingFreelyWhenLarge(reading(FILES_FOR_FREE_GROWTH + 5, read, seen), () => read.count));
    assert.equal(seen.indexOf(true), FILES_FOR_FREE_GROWTH - 1, 'from the slice that read that many files');
    assert.ok(seen.slice(FILES_FOR_FREE_GROWTH - 1).every(Boolean), 'and for the rest of the reading');
    assert.equal(growsFreely(), true, 'until the server settles the heap when every first check is done');
  });

  it('a folder read again that already holds many files grows freely from its first slice', () => {
    const seen: boolean[] = [];
    runToEnd(growingFreelyWhenLarge(reading(2, { count: 0 }, seen), () => FILES_FOR_FREE_GROWTH));
    assert.deepEqual(seen, [true, true]);
  });
});
