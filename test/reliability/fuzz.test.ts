// A short reliability run with a fixed seed (the long one is `npm run fuzz`): random edits of the
// examples through the language server with requests interleaved, ending with exactly what
// `tsq lint` reports; garbage and malformed requests to the debug adapter. Any failure names its
// reproducer in fuzz-failures/.
// The hostile-workspace part runs with `npm run fuzz -- --parts workspaces`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from './fuzz';

const SEED = 20_251_111;

test(
  'a short fuzz run: the language server agrees with tsq lint and answers everything; the debug adapter survives garbage',
  { timeout: 300_000 },
  async () => {
    const lines: string[] = [];
    const reports = await runFuzz({
      seed: SEED,
      parts: ['lsp', 'dap'],
      edits: 800,
      dapInputs: 800,
      print: (l) => lines.push(l),
    });
    const [lsp, dap] = reports;
    assert.ok(
      lsp.inputs >= 800 && lsp.compared > 0 && lsp.answered > 0,
      'edits were made, findings compared and requests answered',
    );
    assert.ok(dap.inputs >= 800 && dap.answered > 0, 'inputs were sent and requests answered');
    assert.deepEqual(
      reports.flatMap((r) => r.failures.map((f) => `${r.part} ${f.kind}: ${f.summary} ${f.reproducer ?? ''}`)),
      [],
      lines.join('\n'),
    );
  },
);
