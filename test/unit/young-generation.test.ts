// The language server holds V8's young generation at YOUNG_GENERATION_MB (lsp/young-generation.ts)
// although V8 takes its size only at start: a process that keeps many objects alive for a while,
// across many turns of the event loop as the server does, must end with that size, where the same
// work without it grows the space to V8's maximum. Each run is a fresh Node process, since a
// young generation that has grown never shrinks back while work goes on.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { YOUNG_GENERATION_MB } from '../../server/src/lsp/young-generation';

const MODULE = path.join(__dirname, '..', '..', 'server', 'src', 'lsp', 'young-generation.js');

/**
 * One semi-space's size in MB at the end of a run that keeps about 20 MB of small objects alive
 * at a time over 300 turns of the event loop, with the young generation held or not.
 */
function semiSpaceAfterWork(held: boolean): number {
  const script = `
    const young = require(${JSON.stringify(MODULE)});
    if (${held}) young.holdYoungGeneration();
    const kept = [];
    let round = 0;
    (function turn() {
      for (let k = 0; k < 5; k++, round++) {
        const batch = [];
        for (let i = 0; i < 20000; i++) batch.push({ i, name: 'x' + i });
        kept.push(batch);
        if (kept.length > 20) kept.shift();
      }
      if (round < 300) setImmediate(turn);
      else process.stdout.write(String(young.semiSpaceMB()));
    })();
  `;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout);
}

describe('the language server’s young generation', () => {
  it('is held at its size through work that would grow it', () => {
    assert.equal(semiSpaceAfterWork(true) * 2, YOUNG_GENERATION_MB);
  });

  it('grows past that size without it (so the first test shows the hold, not V8’s default)', () => {
    assert.ok(semiSpaceAfterWork(false) * 2 > YOUNG_GENERATION_MB);
  });
});
