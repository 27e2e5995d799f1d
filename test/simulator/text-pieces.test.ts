// The text of a run is printed in pieces as it is written (server/src/simulator/text-pieces.ts),
// so a large run's text is never held whole. Pinned here: the pieces joined are exactly the text
// rendered whole, and `tsq simulate` prints a long run in several pieces that make that text.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { TextPieces } from '../../server/src/simulator/text-pieces';
import { renderText } from '../../server/src/simulator/report';
import { Simulation } from '../../server/src/simulator/engine';
import { generateSequence, BENCH_CATALOG } from '../../bench/generate';
import { machineModel, workspaceOf } from './helpers';

/** A computer that starts in the full OS, where the generated groups run. */
const MACHINE = 'machine: Test PC\nstartsIn: fullos\n';

describe('the text of a run in pieces', () => {
  it('joins to the lines each followed by a new line, in pieces of bounded size', () => {
    const pieces: string[] = [];
    const text = new TextPieces((p) => pieces.push(p));
    const lines = Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? '' : `line ${i} ✔ ${'·'.repeat(i % 13)}`));
    for (const l of lines) text.line(l);
    text.flush();
    text.flush();
    assert.equal(pieces.join(''), lines.join('\n') + '\n');
    assert.ok(pieces.length > 2, `${pieces.length} pieces`);
    assert.ok(pieces.every((p) => p.length > 0 && p.length < 70_000));
  });

  it('is what tsq simulate prints of a long run, written in several pieces', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-pieces-'));
    try {
      const sequence = generateSequence(3_000);
      fs.writeFileSync(path.join(dir, 'catalog.tsq.yaml'), BENCH_CATALOG);
      fs.writeFileSync(path.join(dir, 'seq.tsq.yaml'), sequence);
      fs.writeFileSync(path.join(dir, 'machine.tsq.yaml'), MACHINE);
      const pieces: string[] = [];
      let err = '';
      const io: CliIO = { out: (s) => void pieces.push(s), err: (s) => void (err += s), color: false, version: '0' };
      const code = await main(
        ['simulate', '--machine', path.join(dir, 'machine.tsq.yaml'), path.join(dir, 'seq.tsq.yaml')],
        io,
      );
      assert.equal(code, 0, err);
      assert.ok(pieces.length > 2, `${pieces.length} pieces`);
      const { ws, main: doc } = workspaceOf({ main: sequence, 'catalog.tsq.yaml': BENCH_CATALOG });
      const sim = new Simulation(ws, doc, machineModel(MACHINE), {});
      sim.run();
      const whole = renderText(sim, { color: false, log: false, fileLabel: path.join(dir, 'seq.tsq.yaml') });
      const printed = pieces.join('');
      // The heading names the file as the CLI shows it; everything after it is the run.
      assert.equal(printed.slice(printed.indexOf('\n')), whole.slice(whole.indexOf('\n')));
      assert.ok(printed.includes('✔ Group 0\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
