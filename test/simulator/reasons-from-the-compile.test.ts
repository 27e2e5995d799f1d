// The run's text words a skipped node's reason from the checks its frame program decided the node
// with (program.ts `conditionReason`), and reads each visit's notes with a cursor over the log
// (log.ts `visitNotes`), instead of reading every condition's text again and mapping every note.
// Pinned here against the words of the condition's text (`explainCondition`) and the map of notes
// (`notesByVisit`): on a generated run, on every example, on conditions of every check form the
// fast reader takes and of forms it leaves to the parser, and on a log whose notes are out of order.
// A run whose log keeps only those notes (`logNotesOnly`, `tsq simulate` without a log to show)
// gives the same text and JSON as a run that keeps every event.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Simulation } from '../../server/src/simulator/engine';
import { renderJson, renderText } from '../../server/src/simulator/report';
import { explainCondition, type Capture } from '../../server/src/simulator/condition-program';
import { EventLog, noteHead } from '../../server/src/simulator/log';
import { RecordStore, type RecordFrame } from '../../server/src/simulator/records';
import { Journal } from '../../server/src/simulator/journal';
import { createConditionEnvironment } from '../../server/src/conditions';
import { parseDocument } from '../../server/src/model/document';
import type { SequenceModel } from '../../server/src/model/sequence';
import { Workspace } from '../../server/src/semantics/workspace';
import { generateSequence, BENCH_CATALOG } from '../../bench/generate';
import { FIXTURES, ROOT, machineModel, random, workspaceOf } from './helpers';
import type { MachineModel } from '../../server/src/model/machine';

/** Every skipped visit's reason, as the run's text words it and as the condition's text does. */
function assertReasonsAsWritten(sim: Simulation, label: string): number {
  const visits = sim.visits;
  let skipped = 0;
  for (let i = 0; i < visits.length; i++) {
    if (visits.status(i) !== 'skipped') continue;
    const parts = (sim.visits as RecordStore).reasonParts(i);
    const node = visits.node(i);
    const fromText = explainCondition(node.when!, parts.value as Capture, parts.facts);
    assert.equal(visits.reason(i), fromText, `${label}: visit ${i} (${node.name})`);
    assert.equal(sim.records[i].reason, fromText, `${label}: the view of visit ${i}`);
    skipped++;
  }
  return skipped;
}

/** The notes of each visit read in order through the cursor, as `notesByVisit` lists them. */
function notesInOrder(log: EventLog, visits: number): [number, string[]][] {
  const notes = log.visitNotes();
  const out: [number, string[]][] = [];
  for (let i = 0; i < visits; i++) {
    const own: string[] = [];
    notes.take(i, (note) => own.push(note));
    if (own.length) out.push([i, own]);
  }
  return out;
}

/** The run again with a log of notes alone: the same text (with and without colours) and JSON, and only notes in its log. */
function assertSameWithNotesOnly(sim: Simulation, machine: MachineModel | undefined, label: string): void {
  const alone = new Simulation(sim.ws, sim.doc, machine, { ...sim.options, logNotesOnly: true });
  alone.run();
  for (const color of [false, true])
    assert.equal(renderText(alone, { color, log: false }), renderText(sim, { color, log: false }), label);
  assert.deepEqual(renderJson(alone), renderJson(sim), label);
  const notes = [...sim.log].filter((e) => e.visit !== undefined);
  assert.deepEqual(
    [...alone.log].map((e) => e.message),
    notes.map((e) => e.message),
    `${label}: the notes are the log`,
  );
}

/** `notesByVisit` in the order of the visits. */
const notesByVisit = (log: EventLog): [number, string[]][] => [...log.notesByVisit()].sort((a, b) => a[0] - b[0]);

/** A sequence whose steps set variables and are skipped or run on conditions of many forms. */
function conditionsSequence(r: () => number, steps: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const names = ['Ring', 'ring', 'Site', 'Count', 'OSD-Name', 'Missing', '_SMSTSInWinPE', 'Ünïcode'];
  const values = ['"pilot"', '"PILOT"', '""', '"a\\"b"', '"%Lat%"', '10', '9', '-5', '"x"', 'true'];
  const check = () => {
    const k = r();
    if (k < 0.2) return `${pick(['exists', 'notExists', 'EXISTS'])}(${pick(names)})`;
    return `${pick(names)} ${pick(['==', '!=', '<', '<=', '>', '>=', 'like'])} ${pick(values)}`;
  };
  const condition = () => {
    const k = r();
    // Forms the fast reader leaves to the parser: `or`, `not`, parentheses, WMI-free functions.
    if (k < 0.1) return `${check()} or ${check()}`;
    if (k < 0.15) return `not (${check()})`;
    const n = 1 + Math.floor(r() * 3);
    return Array.from({ length: n }, check).join(pick([' and ', ' AND ', '  and\t']));
  };
  const lines = ['sequence: Conditions', 'steps:'];
  for (let s = 0; s < steps; s++) {
    const when = r() < 0.8 ? `\n    when: ${JSON.stringify(condition())}` : '';
    if (r() < 0.4) {
      const value = pick(['pilot', 'PILOT', '10', '9', 'x', '', 'Lat 7']);
      lines.push(
        `  - name: Set ${s}\n    action: SetTaskSequenceVariable\n    with: { variable: ${pick(names.slice(0, 5))}, value: ${JSON.stringify(value)} }${when}`,
      );
    } else lines.push(`  - name: Step ${s}\n    run: cmd /c step ${s}${when}`);
  }
  return lines.join('\n') + '\n';
}

describe('skip reasons worded from the compiled checks, and a log of the notes alone', () => {
  it('are the words of the condition as written, on a generated run', () => {
    const ws = new Workspace();
    ws.upsert(parseDocument('/bench/catalog.tsq.yaml', BENCH_CATALOG));
    const doc = parseDocument('/bench/seq.tsq.yaml', generateSequence(3_000));
    ws.upsert(doc);
    const machine = machineModel('startsIn: fullos');
    const sim = new Simulation(ws, doc, machine);
    sim.run();
    assert.ok(assertReasonsAsWritten(sim, 'generated') > 500);
    assertSameWithNotesOnly(sim, machine, 'generated');
    assert.deepEqual(notesInOrder(sim.log, sim.visits.length), notesByVisit(sim.log));
  });

  it('are the words of the condition as written, on conditions of every form, in runs that set what they read', () => {
    const r = random(53);
    let skipped = 0;
    for (let round = 0; round < 12; round++) {
      const { ws, main } = workspaceOf({ main: conditionsSequence(r, 150) });
      const machine = machineModel(round % 2 ? 'startsIn: winpe' : '');
      const sim = new Simulation(ws, main, machine);
      sim.run();
      skipped += assertReasonsAsWritten(sim, `round ${round}`);
      assertSameWithNotesOnly(sim, machine, `round ${round}`);
      assert.deepEqual(notesInOrder(sim.log, sim.visits.length), notesByVisit(sim.log), `round ${round}`);
    }
    assert.ok(skipped > 300, `enough visits were skipped (${skipped})`);
  });

  it('are the words of the condition as written, in every example and simulator fixture, on every example machine', () => {
    let runs = 0;
    for (const dir of [path.join(ROOT, 'examples'), FIXTURES]) {
      const ws = new Workspace();
      for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.tsq.yaml')))
        ws.upsert(parseDocument(path.join(dir, name), fs.readFileSync(path.join(dir, name), 'utf8')));
      const docs = [...ws.all()];
      const machines = [undefined, ...docs.filter((d) => d.kind === 'machine').map((d) => d.model as MachineModel)];
      for (const doc of docs.filter((d) => d.kind === 'sequence')) {
        for (const machine of machines) {
          const sim = new Simulation(ws, doc, machine);
          sim.run();
          assertReasonsAsWritten(sim, `${doc.id} on ${machine?.name ?? 'no machine'}`);
          assertSameWithNotesOnly(sim, machine, `${doc.id} on ${machine?.name ?? 'no machine'}`);
          assert.deepEqual(notesInOrder(sim.log, sim.visits.length), notesByVisit(sim.log), doc.id);
          runs++;
        }
      }
    }
    assert.ok(runs >= 10, `the examples ran (${runs})`);
  });
});

describe('notes read in the order of their visits', () => {
  it('are each visit’s notes when the log holds them out of order too', () => {
    const model = parseDocument(
      '/t/log.tsq.yaml',
      'sequence: Log\nsteps:\n  - { name: One, run: cmd /c a }\n  - { name: Two, run: cmd /c b }\n  - { name: Three, run: cmd /c c }\n',
    ).model as SequenceModel;
    const store = new RecordStore(new Journal(false), createConditionEnvironment({}));
    const frame: RecordFrame = { docId: '/t/log.tsq.yaml', depth: 0, recordIndex: -1 };
    model.steps.forEach((node, i) => store.open(node, frame, i));
    const head = noteHead(
      'info',
      'Test',
      (_visit, text: string) => text,
      (text: string) => text,
    );
    for (const order of [
      [0, 0, 1, 2, 2],
      [0, 2, 1, 0, 2],
    ]) {
      const log = new EventLog((i) => store.view(i));
      order.forEach((visit, k) => log.push(k, head, visit, `note ${k} of visit ${visit}`));
      assert.deepEqual(notesInOrder(log, 3), notesByVisit(log), order.join());
    }
  });
});
