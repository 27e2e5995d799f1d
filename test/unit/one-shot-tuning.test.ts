// The V8 tuning of a process that runs one sequence (frontend/one-shot-tuning.ts). V8 ignores a
// setting it does not know, saying so only on stderr, which would silently undo the tuning: a
// process that tunes itself and then simulates says nothing on stderr, while a misspelt setting
// is reported there (so the first check would catch one).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { FIXTURES } from '../simulator/helpers';

const TUNING = path.join(__dirname, '..', '..', 'server', 'src', 'frontend', 'one-shot-tuning');
const CLI = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'main');

/** Runs `script` in a fresh Node process; its exit code, stdout and stderr. */
function node(script: string) {
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

describe('a process tuned for one run', () => {
  it('is tuned without a word from V8 and then simulates', () => {
    const sequence = path.join(FIXTURES, 'continue-on-error-table.tsq.yaml');
    const r = node(`
      require(${JSON.stringify(TUNING)}).tuneForOneRun();
      require(${JSON.stringify(TUNING)}).tuneForOneRun();
      let out = '';
      const io = { out: (s) => void (out += s), err: (s) => process.stderr.write(s), color: false, version: '0' };
      require(${JSON.stringify(CLI)}).main(['simulate', ${JSON.stringify(sequence)}], io).then((code) => {
        process.stdout.write(JSON.stringify({ code, out }));
      });
    `);
    assert.equal(r.stderr, '', 'nothing on stderr');
    const { out } = JSON.parse(r.stdout) as { code: number; out: string };
    assert.match(out, /steps? ran/, 'the run was simulated');
  });

  it('would be told on stderr if V8 did not know the setting', () => {
    const r = node(`require('node:v8').setFlagsFromString('--max-inlined-bytecode-size-cumulativ=300');`);
    assert.match(r.stderr, /unrecognized flag/);
  });
});
