// The deployment and media examples lint clean, together with the sequences and catalog beside
// them. (examples/broken, where every rule trips: test/rules/rule-fixtures.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';

// From out/test/unit, three levels up is the repository.
const EXAMPLES = nodePath.join(__dirname, '../../../examples');

function lint(dir: string): Diagnostic[] {
  const { ws, targets } = loadPaths([dir]);
  return targets.flatMap((id) => analyzeDocument(ws, ws.get(id)!));
}

test('the examples, deployments and media included, lint without a finding', () => {
  const kinds = fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.tsq.yaml'))
    .map((f) => fs.readFileSync(nodePath.join(EXAMPLES, f), 'utf8').match(/^(deployment|media):/m)?.[1]);
  assert.ok(kinds.includes('deployment') && kinds.includes('media'), 'the examples hold deployment and media files');
  assert.deepEqual(
    lint(EXAMPLES).map((d) => `${nodePath.basename(d.docId)}: ${d.message} [${d.code}]`),
    [],
  );
});
