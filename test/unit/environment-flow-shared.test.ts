// A child sequence's walk of where the run is (server/src/analysis/environment-flow.ts) is shared
// by every caller that enters it in the same environments, whichever step put each caller there.
// Pinned here: in one workspace revision, callers restarted by differently named steps each see
// their own step named, in the findings inside the child and in the state after the call.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { ROOT, workspaceOf, yaml } from '../helpers/lint';

const child = yaml(
  'sequence: Child',
  'packageId: CM1000C7',
  'steps:',
  '  - name: Part',
  '    action: FormatAndPartitionDisk',
  '    with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary }] }',
);

/** A parent that restarts into the full OS with a step called `restart`, runs the child, then formats a disk itself. */
function parent(name: string, restart: string): string {
  return yaml(
    `sequence: ${name}`,
    'bootImage: CM100005',
    'steps:',
    `  - name: ${restart}`,
    '    action: RestartComputer',
    '    with: { target: hd }',
    '  - name: Call',
    '    action: RunTaskSequence',
    '    with: { sequence: ./child.tsq.yaml }',
    '  - name: Own',
    '    action: FormatAndPartitionDisk',
    '    with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary }] }',
  );
}

describe('a child’s environment walk shared between callers', () => {
  test('names each caller’s own step, inside the child and after the call', () => {
    const ws = workspaceOf({
      'a.tsq.yaml': parent('A', 'Restart A'),
      'b.tsq.yaml': parent('B', 'Restart B'),
      'child.tsq.yaml': child,
    });
    for (const [file, restart] of [
      ['a.tsq.yaml', 'Restart A'],
      ['b.tsq.yaml', 'Restart B'],
    ]) {
      const messages = analyzeDocument(ws, ws.get(`${ROOT}/${file}`)!)
        .filter((d) => d.code === 'run-environment')
        .map((d) => d.message);
      assert.deepEqual(
        messages,
        [
          `In this child sequence, step “Part”: Format and Partition Disk runs only in Windows PE, but the sequence is in the full OS here (since “${restart}”).`,
          `Format and Partition Disk runs only in Windows PE, but the sequence is in the full OS here (since “${restart}”).`,
        ],
        file,
      );
    }
  });
});
