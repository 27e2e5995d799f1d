// The closing finding of a capped rule (server/src/analysis/finding-cap.ts) counts what it hides
// as English writes numbers, a comma between thousands; and capping without sorting the findings
// not shown (`sortAndCap`, what every analysis finishes with) gives what sorting all of them would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capFindings, sortAndCap } from '../../server/src/analysis/finding-cap';
import { compareDiagnostics, type Diagnostic } from '../../server/src/analysis/diagnostic';
import { random } from '../helpers/seeded-random';

function findings(count: number): Diagnostic[] {
  return Array.from({ length: count }, (_, i) => ({
    docId: 'a.tsq.yaml',
    start: i,
    end: i + 1,
    severity: 'warning' as const,
    code: 'undefined-variable',
    message: `finding ${i}`,
  }));
}

test('the closing finding counts the hidden ones with a comma between thousands', () => {
  for (const [hidden, written] of [
    [1, '1 more `undefined-variable` finding from here to the end of the file is not shown'],
    [999, '999 more'],
    [1000, '1,000 more'],
    [49_900, '49,900 more'],
    [1_234_567, '1,234,567 more'],
  ] as const) {
    const shown = capFindings(findings(1 + hidden), 1);
    assert.equal(shown.length, 2);
    assert.ok(shown[1].message.startsWith(written), `${hidden}: ${shown[1].message}`);
  }
});

test('capping without sorting what is not shown gives the findings and order of sorting all, then capping', () => {
  const rnd = random(18_020);
  const codes = ['undefined-variable', 'unknown-option', 'broken-reference', 'internal-error'];
  const severities = ['error', 'warning', 'information', 'hint'] as const;
  let capped = 0;
  for (let round = 0; round < 300; round++) {
    const max = 1 + Math.floor(rnd() * 6);
    const list: Diagnostic[] = [];
    // Runs of one code, each in text order or not, on few offsets so that ties (start, end, code) are common.
    for (let runs = Math.floor(rnd() * 8); runs > 0; runs--) {
      const code = codes[Math.floor(rnd() * codes.length)];
      const ordered = rnd() < 0.6;
      let at = Math.floor(rnd() * 10);
      for (let n = Math.floor(rnd() * 3 * max); n > 0; n--) {
        at = ordered ? at + Math.floor(rnd() * 2) : Math.floor(rnd() * 12);
        list.push({
          docId: rnd() < 0.05 ? 'b.tsq.yaml' : 'a.tsq.yaml',
          start: at,
          end: at + Math.floor(rnd() * 2),
          severity: severities[Math.floor(rnd() * severities.length)],
          code,
          message: `finding ${list.length}`,
        });
      }
    }
    const expected = capFindings([...list].sort(compareDiagnostics), max);
    const got = sortAndCap([...list], max);
    assert.deepEqual(got, expected, `round ${round}`);
    // The same objects, not copies: the editor's checker copies only what it shows.
    got.forEach((d, i) => {
      if (!d.message.includes('more `')) assert.equal(d, expected[i]);
    });
    if (got.length < list.length) capped++;
  }
  assert.ok(capped > 50, `${capped} rounds capped something`);
});
