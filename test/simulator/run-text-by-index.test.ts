// The run's text reads every visit by its index from the record store and the notes from the log
// without making a view or an event of each (simulator/report.ts `writeText`, log.ts
// `notesByVisit`, read in order by `visitNotes`). Pinned here against the per-visit views the
// rest of the simulator hands out: the notes of each visit are the same, and so is every line of
// the tree, with and without colours, on runs that fail, continue on error, skip, retry, restart
// and run children — and on a run the debugger stepped back in.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../server/src/simulator/engine';
import { notesOf, renderText } from '../../server/src/simulator/report';
import { COLORS, durationText, SYMBOL, type Color } from '../../server/src/semantics/run-outcome';
import type { NodeRecord } from '../../server/src/simulator/records';
import { generateSequence, BENCH_CATALOG } from '../../bench/generate';
import { machineModel, workspaceOf } from './helpers';

/** The tree's lines as the views word them: each finished visit, then its notes. */
function treeFromViews(sim: Simulation, color: boolean): string[] {
  const c = (k: Color, s: string) => (color ? COLORS[k] + s + COLORS.reset : s);
  const notes = notesOf(sim);
  const lines: string[] = [];
  for (const r of sim.records) {
    if (r.status === 'running') continue;
    const indent = '  '.repeat(r.depth);
    const [sym, col] = SYMBOL[r.status];
    const took =
      r.kind === 'step' && r.end - r.start >= 1000 && r.status !== 'skipped' && r.status !== 'disabled'
        ? c('dim', `  ${durationText(r.end - r.start)}`)
        : '';
    const tail =
      r.status === 'skipped'
        ? c('dim', ` — skipped: ${r.reason}`)
        : r.status === 'disabled'
          ? c('dim', ' — disabled')
          : r.status === 'failed'
            ? c('red', ` — failed: ${r.reason}`)
            : r.status === 'failed-continued'
              ? c('yellow', ` — failed, continued on error: ${r.reason}`)
              : '';
    const name = r.status === 'skipped' || r.status === 'disabled' ? c('dim', r.node.name) : r.node.name;
    lines.push(`${indent}${c(col, sym)} ${name}${tail}${took}`);
    for (const note of notes.get(r) ?? []) lines.push(`${indent}    ${c('dim', `· ${note}`)}`);
  }
  return lines;
}

/** The tree's lines of the text the CLI prints: between the heading's blank line and the summary's. */
function treeOfText(sim: Simulation, color: boolean): string[] {
  const lines = renderText(sim, { color, log: false }).split('\n');
  const from = lines.indexOf('') + 1;
  return lines.slice(from, lines.indexOf('', from));
}

function notesByIndex(sim: Simulation): [number, string[]][] {
  const index = new Map<NodeRecord, number>(sim.records.map((r, i) => [r, i]));
  return [...notesOf(sim)].map(([r, n]) => [index.get(r)!, n]);
}

function assertSame(sim: Simulation): void {
  assert.deepEqual([...sim.log.notesByVisit()], notesByIndex(sim));
  for (const color of [false, true]) assert.deepEqual(treeOfText(sim, color), treeFromViews(sim, color));
}

const CHILDREN = {
  main: `sequence: Main
steps:
  - group: Prepare
    continueOnError: true
    steps:
      - name: Fails
        action: RunCommandLine
        with: { commandLine: cmd /c exit 5 }
      - name: Never
        action: RunCommandLine
        with: { commandLine: cmd /c echo never }
  - name: Off
    action: RunCommandLine
    disabled: true
    with: { commandLine: cmd /c echo off }
  - name: Set it
    action: SetTaskSequenceVariable
    with: { variable: Ring, value: '2' }
  - name: Ring one only
    action: RunCommandLine
    when: Ring == "1"
    with: { commandLine: cmd /c echo one }
  - name: Restart
    action: RestartComputer
    with: { target: hd, messageTimeout: 60 }
  - name: Child
    action: RunTaskSequence
    with: { sequence: ./child.tsq.yaml }
`,
  'child.tsq.yaml': `sequence: Child
steps:
  - name: Slow
    action: RunCommandLine
    timeout: 1
    with: { commandLine: cmd /c echo slow }
  - name: Last
    action: RunCommandLine
    with: { commandLine: cmd /c echo %Ring% }
`,
};

describe('the run text read by index', () => {
  it('says what the views say, on a run with every kind of visit', () => {
    for (const machine of [
      'startsIn: fullos',
      'startsIn: fullos\noutcomes:\n  Fails: { exitCode: 5 }\n  Slow: { exitCode: 1 }',
    ]) {
      const { ws, main } = workspaceOf(CHILDREN);
      const sim = new Simulation(ws, main, machineModel(machine));
      sim.run();
      assertSame(sim);
    }
  });

  it('says what the views say, on generated runs of every group shape', () => {
    const { ws } = workspaceOf({ main: generateSequence(1_500), 'catalog.tsq.yaml': BENCH_CATALOG });
    const sim = new Simulation(ws, ws.get('/t/main.tsq.yaml')!, machineModel('startsIn: fullos'));
    sim.run();
    assert.ok(sim.log.notesByVisit().size > 0);
    assertSame(sim);
  });

  it('says what the views say after the debugger stepped back', () => {
    const { ws, main } = workspaceOf(CHILDREN);
    const sim = new Simulation(ws, main, machineModel('startsIn: fullos'), { history: true });
    for (let i = 0; i < 8; i++) sim.tick();
    sim.back();
    sim.back();
    assertSame(sim);
  });
});
