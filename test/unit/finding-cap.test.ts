// The closing finding of a capped rule (server/src/analysis/finding-cap.ts) counts what it hides
// as English writes numbers, a comma between thousands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capFindings } from '../../server/src/analysis/finding-cap';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';

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
