// What a run keeps is worded when read: skip reasons and log messages come from the values a
// condition saw, records are views of compact columns, and stepping back forgets visits. These
// tests read things long after they happened and check they still tell what happened then.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition, parseCondition } from '../../server/src/conditions';
import { chunkOf, chunkSize, chunksFor, offsetOf } from '../../server/src/simulator/chunks';
import { start, simulate, indent } from './helpers';

const LATE = `sequence: Read late
variables: { Ring: pilot }
steps:
  - name: Only broad
    when: Ring == "broad"
    run: cmd /c a
  - name: Pilot at one site
    when: Ring == "pilot" and Site == "x"
    run: cmd /c b
  - name: Widen
    action: SetTaskSequenceVariable
    with: { variable: Ring, value: broad }
  - name: Pick a site
    action: SetTaskSequenceVariable
    with: { variable: Site, value: x }
  - name: Only broad again
    when: Ring == "broad"
    run: cmd /c c
`;

describe('reasons read after later steps ran', () => {
  it('tell the values the condition saw, not the values at the end', () => {
    const sim = start(LATE);
    // What the evaluator says just before each visit is what the record and the log must say later.
    const expected = new Map<string, string>();
    for (;;) {
      const node = sim.currentNode;
      if (node?.when) {
        const { ast } = parseCondition(node.when.text);
        expected.set(node.name, evaluateCondition(ast!, sim.conditionEnv).explanation);
      }
      if (!sim.tick()) break;
    }
    assert.equal(sim.vars.get('Ring'), 'broad', 'the run changed the variable the first conditions read');
    const skipped = sim.records.filter((r) => r.status === 'skipped');
    assert.deepEqual(
      skipped.map((r) => r.node.name),
      ['Only broad', 'Pilot at one site'],
    );
    for (const r of skipped) assert.equal(r.reason, expected.get(r.node.name));
    assert.match(skipped[0].reason!, /"pilot"/);
    const messages = sim.log.slice().map((e) => e.message);
    for (const [name, why] of expected) {
      assert.ok(
        messages.some((m) => m.includes(`"${name}"`) && m.endsWith(why)),
        `the log explains "${name}" with: ${why}`,
      );
    }
  });

  it('tell each visit of a rerun step what that visit saw', () => {
    const sim = simulate(
      `sequence: Rerun
variables: { Round: "1" }
steps:
  - name: Again
    id: again
    when: Round != "9" and exists(Round)
    run: cmd /c round %Round%
`,
      `startsIn: fullos
outcomes:
  again:
    runs:
      - { variables: { Round: "2", SMSTSRebootRequested: HD, SMSTSRetryRequested: "true" } }
      - { variables: { Round: "3", SMSTSRebootRequested: HD, SMSTSRetryRequested: "true" } }
      - { variables: { Round: "4" } }`,
    );
    const decided = sim.log
      .slice()
      .map((e) => e.message)
      .filter((m) => m.startsWith('The condition of "Again"'));
    assert.deepEqual(
      decided.map((m) => /Round is "(\d)"/.exec(m)?.[1]),
      ['1', '2', '3'],
    );
  });
});

describe('records', () => {
  it('are the same objects every time they are asked for', () => {
    const sim = simulate(LATE);
    assert.equal(sim.records, sim.records);
    assert.equal(sim.records[1], sim.records[1]);
    assert.equal(sim.records[1].parent, null);
  });

  it('fill an array taken before the run as visits start, as a plain array would', () => {
    const sim = start(LATE);
    const records = sim.records;
    assert.equal(records.length, 0);
    sim.tick();
    assert.equal(records.length, 1);
    sim.run();
    assert.equal(records, sim.records);
    assert.deepEqual(
      records.map((r) => `${r.path}: ${r.status}`),
      [
        'Only broad: skipped',
        'Pilot at one site: skipped',
        'Widen: succeeded',
        'Pick a site: succeeded',
        'Only broad again: succeeded',
      ],
    );
  });

  it('held across stepping back keep showing the visit they were, not a later one at the same place', () => {
    const sim = start(LATE, '', { history: true });
    sim.run();
    const held = sim.records[sim.records.length - 1];
    const before = JSON.stringify(held);
    sim.back();
    sim.back();
    assert.equal(sim.setVariable('Ring', 'narrow'), undefined);
    sim.run();
    const now = sim.records[sim.records.length - 1];
    assert.notEqual(now, held);
    assert.equal(JSON.stringify(held), before);
    assert.notEqual(now.status, held.status, 'the later visit at the same place ended differently');
  });

  it('keep every visit of a run long enough to fill several chunks, and step back across chunk borders', () => {
    const steps = Array.from(
      { length: 400 },
      (_, i) => `- name: S${i}\n  when: Toggle != "${i % 3}"\n  run: cmd /c s${i}`,
    ).join('\n');
    const sim = start(`sequence: Long\nvariables: { Toggle: "1" }\nsteps:\n${indent(steps, 2)}\n`, 'startsIn: fullos', {
      history: true,
    });
    const seen: string[] = [];
    for (let t = sim.tick(); t; t = sim.tick())
      seen.push(`${t.record!.path} ${t.record!.status} ${t.record!.reason ?? ''}`);
    assert.equal(sim.ended, 'succeeded');
    const all = () => sim.records.map((r) => `${r.path} ${r.status} ${r.reason ?? ''}`);
    assert.deepEqual(all(), seen);
    const logLength = sim.log.length;
    const endText = JSON.stringify(sim.log.slice().map((e) => e.message));
    for (let i = 0; i < 150; i++) assert.ok(sim.back());
    assert.equal(sim.records.length, 250);
    assert.deepEqual(all(), seen.slice(0, 250));
    sim.run();
    assert.deepEqual(all(), seen);
    assert.equal(sim.log.length, logLength);
    assert.equal(JSON.stringify(sim.log.slice().map((e) => e.message)), endText);
  });
});

describe('the history for stepping back', () => {
  it('is bounded: the oldest visits are forgotten, the kept ones undo exactly', () => {
    const steps = Array.from(
      { length: 60 },
      (_, i) => `- name: S${i}\n  action: SetTaskSequenceVariable\n  with: { variable: V${i % 4}, value: "${i}" }`,
    ).join('\n');
    const sim = start(`sequence: Bounded\nsteps:\n${indent(steps, 2)}\n`, 'startsIn: fullos', {
      history: true,
      historyLimit: 10,
    });
    const snapshot = () =>
      JSON.stringify({
        vars: sim.vars.list(),
        records: sim.records.map((r) => [r.path, r.status]),
        log: sim.log.length,
        state: sim.state,
      });
    const seen = [snapshot()];
    while (sim.tick()) seen.push(snapshot());
    let back = 0;
    while (sim.back()) {
      back++;
      assert.equal(snapshot(), seen[seen.length - 1 - back], `after going back ${back} visits`);
    }
    assert.ok(back >= 10, `at least the limit of 10 visits can be undone (${back})`);
    assert.ok(back < 20, `far fewer than the 60 visits are kept (${back})`);
    assert.equal(sim.canGoBack, false);
  });
});

describe('the chunk layout of records and log events', () => {
  it('puts every entry in exactly one place, chunk after chunk', () => {
    let chunk = 0;
    let offset = 0;
    for (let i = 0; i < 60_000; i++) {
      assert.equal(chunkOf(i), chunk);
      assert.equal(offsetOf(i), offset);
      assert.equal(chunksFor(i + 1), chunk + 1);
      if (++offset === chunkSize(chunk)) {
        chunk++;
        offset = 0;
      }
    }
    assert.equal(chunksFor(0), 0);
  });
});
