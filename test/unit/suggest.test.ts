// "Did you mean": the edit distance counts one edit per typo (including two swapped letters), and
// suggestions are the close candidates, best first, ignoring case.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, suggest } from '../../server/src/util/suggest';

describe('edit distance', () => {
  test('counts inserted, deleted and replaced characters', () => {
    assert.equal(editDistance('disk', 'disk'), 0);
    assert.equal(editDistance('disk', 'disks'), 1);
    assert.equal(editDistance('disk', 'dsk'), 1);
    assert.equal(editDistance('disk', 'desk'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  test('counts two swapped neighbours as one edit', () => {
    assert.equal(editDistance('Sytem', 'Sytme'), 1);
    assert.equal(editDistance('partitionStlye', 'partitionStyle'), 1);
  });

  test('with a limit, is exact up to it and only says "further" beyond it', () => {
    assert.equal(editDistance('kitten', 'sitting', 3), 3);
    assert.equal(editDistance('kitten', 'sitting', 5), 3);
    assert.ok(editDistance('kitten', 'sitting', 2) > 2);
    assert.ok(editDistance('OSDComputerName', 'SkipStep12', 4) > 4);
    assert.equal(editDistance('partitionStlye', 'partitionStyle', 1), 1);
  });
});

describe('suggest', () => {
  const names = ['RunCommandLine', 'RunPowerShellScript', 'RestartComputer', 'RunTaskSequence'];

  test('returns close candidates, best first', () => {
    assert.deepEqual(suggest('RunComandLine', names), ['RunCommandLine']);
    assert.deepEqual(suggest('RunTaskSequnece', names), ['RunTaskSequence']);
  });

  test('ignores case and returns an exact case-insensitive match alone', () => {
    assert.deepEqual(suggest('restartcomputer', names), ['RestartComputer']);
  });

  test('returns nothing when no candidate is close enough', () => {
    assert.deepEqual(suggest('FormatDisk', names), []);
    assert.deepEqual(suggest('', names), []);
  });

  test('honours the limit and an explicit distance', () => {
    assert.deepEqual(suggest('Run', ['Rum', 'Ran', 'Run1', 'Rx'], { limit: 2 }), ['Rum', 'Ran']);
    assert.deepEqual(suggest('abc', ['xyz'], { maxDistance: 3 }), ['xyz']);
  });
});
