// The record store and the log keep their entries in chunks of 256, 512, ... 8,192 entries, then
// 8,192 each (simulator/chunks.ts). Where an entry lives is worked out with arithmetic alone; it
// must agree with laying the chunks out one after another, across the change of kind at 7,936.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chunkOf, chunkSize, chunksFor, offsetOf } from '../../server/src/simulator/chunks';

describe('chunked column layout', () => {
  it('puts every entry in the chunk and place that laying the chunks end to end gives', () => {
    let chunk = 0,
      start = 0;
    for (let i = 0; i < 200_000; i++) {
      if (i - start === chunkSize(chunk)) {
        start = i;
        chunk++;
      }
      assert.equal(chunkOf(i), chunk, `chunk of entry ${i}`);
      assert.equal(offsetOf(i), i - start, `place of entry ${i}`);
    }
    assert.deepEqual(
      [256, 512, 1024, 2048, 4096, 8192, 8192].map((_, k) => chunkSize(k)),
      [256, 512, 1024, 2048, 4096, 8192, 8192],
    );
    assert.equal(chunksFor(0), 0);
    assert.equal(chunksFor(7936), 5);
    assert.equal(chunksFor(7937), 6);
  });
});
