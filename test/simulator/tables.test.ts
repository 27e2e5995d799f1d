// The simulator keeps what it works out and what it records in flat tables, each written and read
// in one file behind typed functions: the writes and option texts of steps (step-tables.ts), the
// node flags of a frame program (program.ts), the columns of visits (records.ts), the event log
// (log.ts) and the checkpoints for stepping back (checkpoints.ts). What goes into a table must come
// out as it went in: these tests fill each one with random entries and read them back against a
// plain model of the same entries (and against the slow, obvious way of doing what a run does).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConditionEnvironment, evaluateCondition, parseCondition } from '../../server/src/conditions';
import { parseDocument } from '../../server/src/model/document';
import type { SeqNode, SequenceModel } from '../../server/src/model/sequence';
import { RUN_TASK_SEQUENCE } from '../../server/src/semantics/children';
import { Checkpoints } from '../../server/src/simulator/checkpoints';
import { conditionProgram, type Capture } from '../../server/src/simulator/condition-program';
import { Journal } from '../../server/src/simulator/journal';
import { EventLog, logHead, noteHead } from '../../server/src/simulator/log';
import { CHILD, GROUP, NodeFlag, STEP, frameProgram } from '../../server/src/simulator/program';
import {
  DISABLED,
  FAILED,
  FAILED_CONTINUED,
  RecordStore,
  SKIPPED,
  SUCCEEDED,
  type EndStatus,
  type NodeRecord,
  type RecordFrame,
} from '../../server/src/simulator/records';
import type { StepStatus } from '../../server/src/semantics/run-outcome';
import { Scratch } from '../../server/src/simulator/scratch';
import {
  addText,
  addWrite,
  findText,
  NONE,
  textAt,
  writeAt,
  writeCount,
  writeValue,
  type TextEntry,
  type TextForm,
  type WriteEntry,
} from '../../server/src/simulator/step-tables';
import { Template, VariableStore, variableSlot } from '../../server/src/simulator/variables';
import { random } from './helpers';

type Random = () => number;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const NAMES = ['Ring', 'ring', 'Site', 'OSDComputerName', 'Empty', 'Later', 'Count', 'WorkingDirectory'];
const PARTS = ['%Ring%', '%Site%', '%Empty%', '%Later%', '%Missing%', '%', 'x', ' ', 'cmd /c ', '%%', '%Not Set%'];

function randomText(r: Random): string {
  let text = '';
  for (let i = Math.floor(r() * 4); i >= 0; i--) text += pick(r, PARTS);
  return text;
}

function randomVariables(r: Random): VariableStore {
  const vars = new VariableStore(new Journal(false));
  for (const name of NAMES) if (r() < 0.6) vars.set(name, pick(r, ['', 'pilot', '%Site%', 'C:\\Temp']));
  return vars;
}

/** What a step's writes do, the slow way: expand each value in turn and set it; the command line as ConfigMgr gets it. */
function writeSlowly(
  writes: readonly { name: string; value: string }[],
  commandLine: number,
  vars: VariableStore,
): string | undefined {
  let cmd: string | undefined;
  writes.forEach((w, k) => {
    const value = vars.expand(w.value);
    vars.set(w.name, value);
    if (k === commandLine) cmd = value;
  });
  // A command line made only of references that expands to nothing is expanded again once the step's writes are made.
  const line = writes[commandLine]?.value;
  if (line !== undefined && line.includes('%') && line.startsWith('%') && line.endsWith('%') && !cmd)
    cmd = vars.expand(line);
  return cmd;
}

describe('the write table of a list of steps', () => {
  it('gives back every write as added, a value with a % taken apart once', () => {
    const r = random(31);
    for (let round = 0; round < 400; round++) {
      const out = new Scratch<WriteEntry>();
      const before = Math.floor(r() * 3);
      for (let k = 0; k < before; k++) addWrite(out, variableSlot('Earlier'), 'Earlier', writeValue(randomText(r)));
      const writes = Array.from({ length: 1 + Math.floor(r() * 5) }, () => ({
        name: pick(r, NAMES),
        value: randomText(r),
      }));
      for (const w of writes) addWrite(out, variableSlot(w.name), w.name, writeValue(w.value));
      const table = out.copy();
      assert.equal(writeCount(table), before + writes.length);
      writes.forEach((w, k) => {
        const back = writeAt(table, before + k);
        assert.equal(back.slot, variableSlot(w.name));
        assert.equal(back.name, w.name);
        assert.equal(typeof back.value === 'string' ? back.value : back.value.text, w.value);
        assert.equal(
          back.value instanceof Template,
          w.value.includes('%'),
          `a value with a % is taken apart: ${w.value}`,
        );
      });
    }
  });

  it('makes the writes of each step of a program as expanding each value in turn does', () => {
    const r = random(33);
    const quoted = (text: string) => `'${text}'`;
    let commandLines = 0;
    for (let round = 0; round < 150; round++) {
      const lines: string[] = [];
      for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
        // Run Command Line: its command line and working directory are written before it runs.
        const dir =
          r() < 0.6
            ? `, with: { workingDirectory: ${quoted(pick(r, ['%CommandLine%', '%WorkingDirectory%x', 'C:\\W', ...PARTS]) + randomText(r))} }`
            : '';
        // A command line that is only a reference (to a variable set empty, or that the step sets later) is filled in again.
        const line = pick(r, ['%WorkingDirectory%', '%Ring%', 'cmd /c ']) + (r() < 0.5 ? '' : randomText(r));
        lines.push(`  - { name: S${n}, run: ${quoted(line)}${dir} }`);
      }
      const model = parseDocument('/t/writes.tsq.yaml', `sequence: Writes\nsteps:\n${lines.join('\n')}\n`)
        .model as SequenceModel;
      const program = frameProgram(model.steps);
      model.steps.forEach((step, i) => {
        const { writes, commandLine } = program.writesOf(i);
        const seed = Math.floor(r() * 1e9);
        const fast = randomVariables(random(seed));
        const slow = randomVariables(random(seed));
        const plain = writes.map((w) => ({
          name: w.name,
          value: typeof w.value === 'string' ? w.value : w.value.text,
        }));
        const cmd = program.writeVariables(i, fast);
        assert.equal(cmd, writeSlowly(plain, commandLine, slow), `${step.name}: ${JSON.stringify(plain)}`);
        assert.deepEqual(fast.list(), slow.list(), JSON.stringify(plain));
        if (commandLine >= 0) commandLines++;
      });
    }
    assert.ok(commandLines > 300, `enough command lines were made (${commandLines})`);
  });
});

describe('the option texts of a list of steps', () => {
  it('find the text of each option a step gives, the last one given winning, and nothing of other steps', () => {
    const r = random(37);
    for (let round = 0; round < 300; round++) {
      const out = new Scratch<TextEntry>();
      const steps: { from: number; to: number; given: [number, TextForm][] }[] = [];
      for (let s = 0; s < 3; s++) {
        const from = out.length;
        const given: [number, TextForm][] = [];
        for (let k = Math.floor(r() * 6); k > 0; k--) {
          const text = randomText(r);
          const form: TextForm = r() < 0.15 ? null : writeValue(text);
          const option = Math.floor(r() * 5);
          addText(out, option, form);
          given.push([option, form]);
        }
        steps.push({ from, to: out.length, given });
      }
      const table = out.copy();
      for (const step of steps) {
        for (let option = 0; option < 6; option++) {
          const last = step.given.filter(([o]) => o === option).pop();
          const at = findText(table, step.from, step.to, option);
          if (!last) assert.equal(at, NONE, `option ${option} was not given`);
          else assert.equal(textAt(table, at), last[1], `option ${option}`);
        }
      }
    }
  });
});

/** Nodes of every kind, with and without flags and conditions, from a parsed sequence. */
function randomSequence(r: Random, depth = 0): string {
  const lines: string[] = [];
  for (let i = 1 + Math.floor(r() * 5); i > 0; i--) {
    const extras: string[] = [];
    if (r() < 0.25) extras.push('disabled: true');
    if (r() < 0.3) extras.push('continueOnError: true');
    if (r() < 0.6) extras.push(`when: '${pick(r, CONDITIONS)}'`);
    const name = `N${Math.floor(r() * 1e6)}`;
    const kind = depth < 2 ? r() : r() * 0.7;
    if (kind < 0.5) lines.push(`- name: ${name}`, '  run: cmd /c x');
    else if (kind < 0.7)
      lines.push(`- name: ${name}`, `  action: ${RUN_TASK_SEQUENCE}`, '  with: { sequence: ./child.tsq.yaml }');
    else
      lines.push(
        `- group: ${name}`,
        '  steps:',
        ...randomSequence(r, depth + 1)
          .split('\n')
          .map((l) => `    ${l}`),
      );
    lines.push(...extras.map((e) => `  ${e}`));
  }
  return lines.join('\n');
}

const CONDITIONS = [
  'Ring == "pilot"',
  'Ring == "pilot" and exists(Site)',
  'notExists(Site) and Count >= 3 and Ring like "p%"',
  'Ring == "pilot" or Site == "x"',
  'not exists(Ring)',
  '_SMSTSInWinPE == "false"',
  'Ring ==',
];

describe('the node flags of a frame program', () => {
  it('say of every node what its YAML says, and decide and capture its condition as the evaluator does', () => {
    const r = random(41);
    const facts = createConditionEnvironment({});
    let conditions = 0;
    for (let round = 0; round < 60; round++) {
      const model = parseDocument(
        '/t/flags.tsq.yaml',
        `sequence: Flags\nsteps:\n${randomSequence(r)
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n')}\n`,
      ).model as SequenceModel;
      const lists: (readonly SeqNode[])[] = [model.steps];
      for (let l = 0; l < lists.length; l++) {
        const nodes = lists[l];
        const program = frameProgram(nodes);
        nodes.forEach((node, i) => {
          const flags = program.flags(i);
          const kind = node.kind === 'group' ? GROUP : node.action === RUN_TASK_SEQUENCE ? CHILD : STEP;
          assert.equal(flags & NodeFlag.KIND, kind, node.name);
          assert.equal((flags & NodeFlag.DISABLED) !== 0, node.disabled === true, node.name);
          assert.equal((flags & NodeFlag.CONTINUES_ON_ERROR) !== 0, node.continueOnError === true, node.name);
          assert.equal((flags & NodeFlag.HAS_CONDITION) !== 0, node.when !== undefined, node.name);
          if (node.kind === 'group') lists.push(node.steps);
          if (!node.when) return;
          const { ast, errors } = parseCondition(node.when.text);
          for (let v = 0; v < 4; v++) {
            const vars = randomVariables(r);
            const env = { ...facts, variable: (name: string) => vars.get(name) };
            const expected: { value: boolean; explanation: string } =
              ast && !errors.length
                ? evaluateCondition(ast, env)
                : { value: false, explanation: conditionProgram(node.when).explain(undefined, env) };
            assert.equal(program.conditionHolds(i, vars, env), expected.value, node.when.text);
            const captured = program.capture(i, vars);
            for (const name of NAMES) vars.set(name, 'changed later');
            assert.equal(conditionProgram(node.when).explain(captured, env), expected.explanation, node.when.text);
            conditions++;
          }
        });
      }
    }
    assert.ok(conditions > 500, `enough conditions were decided (${conditions})`);
  });
});

interface ModelVisit {
  node: SeqNode;
  frame: RecordFrame;
  start: number;
  end: number;
  status: StepStatus | 'running';
  exitCode: number | undefined;
  reason: { text: string } | { captured: Capture } | undefined;
}

const END_STATUSES: readonly [EndStatus, StepStatus][] = [
  [SUCCEEDED, 'succeeded'],
  [FAILED, 'failed'],
  [FAILED_CONTINUED, 'failed-continued'],
  [SKIPPED, 'skipped'],
  [DISABLED, 'disabled'],
];

describe('the record columns', () => {
  it('give back every visit as opened and closed, across chunks, and undo exactly to each checkpoint', () => {
    const r = random(43);
    const facts = createConditionEnvironment({});
    const model = parseDocument(
      '/t/records.tsq.yaml',
      'sequence: Records\nsteps:\n  - { name: A, run: cmd /c a, when: Ring == "pilot" and exists(Site) }\n  - { name: B, run: cmd /c b, when: Ring == "x" }\n',
    ).model as SequenceModel;
    const nodes = model.steps;
    const frames: RecordFrame[] = [
      { docId: '/t/a', depth: 0, recordIndex: -1 },
      { docId: '/t/b', depth: 1, recordIndex: 0 },
    ];
    const journal = new Journal(true);
    const store = new RecordStore(journal, facts);
    let visits: ModelVisit[] = [];
    const checkpoints: { journal: number; records: number; visits: ModelVisit[] }[] = [];
    const wordOf = (v: ModelVisit) =>
      !v.reason
        ? undefined
        : 'text' in v.reason
          ? v.reason.text
          : conditionProgram(v.node.when!).explain(v.reason.captured, facts);
    const compare = (when: string) => {
      assert.equal(store.length, visits.length, when);
      visits.forEach((v, i) => {
        const got = {
          node: store.node(i),
          frame: store.frame(i),
          start: store.start(i),
          end: store.end(i),
          status: store.status(i),
          exitCode: store.exitCode(i),
          reason: store.reason(i),
        };
        assert.deepEqual(
          got,
          {
            node: v.node,
            frame: v.frame,
            start: v.start,
            end: v.end,
            status: v.status,
            exitCode: v.exitCode,
            reason: wordOf(v),
          },
          `${when}: visit ${i}`,
        );
      });
    };
    let time = 1000;
    let most = 0;
    for (let op = 0; op < 3000; op++) {
      const k = r();
      time += Math.floor(r() * 5000);
      const i = Math.floor(r() * visits.length);
      if (k < 0.45 || visits.length === 0) {
        const node = pick(r, nodes),
          frame = pick(r, frames);
        assert.equal(store.open(node, frame, time), visits.length);
        visits.push({ node, frame, start: time, end: time, status: 'running', exitCode: undefined, reason: undefined });
        most = Math.max(most, visits.length);
      } else if (k < 0.6) {
        const [status, name] = pick(r, END_STATUSES);
        const exitCode = r() < 0.4 ? NaN : pick(r, [0, 1, 3010, -2147024894]);
        store.close(i, status, time, exitCode);
        visits[i] = {
          ...visits[i],
          status: name,
          end: time,
          exitCode: Number.isNaN(exitCode) ? visits[i].exitCode : exitCode,
        };
      } else if (k < 0.72) {
        const [status, name] = pick(r, END_STATUSES);
        const exitCode = r() < 0.4 ? NaN : pick(r, [0, 1, 3010]);
        const reason = `reason ${op}`;
        store.closeWithReason(i, status, time, exitCode, reason);
        visits[i] = {
          ...visits[i],
          status: name,
          end: time,
          exitCode: Number.isNaN(exitCode) ? visits[i].exitCode : exitCode,
          reason: { text: reason },
        };
      } else if (k < 0.82) {
        const captured: Capture =
          visits[i].node === nodes[0]
            ? [pick(r, ['pilot', 'x', undefined]), pick(r, ['y', undefined])]
            : pick(r, ['pilot', 'x', undefined]);
        store.closeSkipped(i, time, captured);
        visits[i] = { ...visits[i], status: 'skipped', end: time, reason: { captured } };
      } else if (k < 0.95) {
        checkpoints.push({ journal: journal.length, records: store.length, visits: visits.map((v) => ({ ...v })) });
        store.markStable();
      } else if (checkpoints.length) {
        const cp = checkpoints.pop()!;
        journal.rewind(cp.journal);
        store.truncate(cp.records);
        visits = cp.visits;
        compare(`after going back to a checkpoint (operation ${op})`);
      }
    }
    assert.ok(most > 768, `the visits filled three chunks or more (${most})`);
    compare('at the end');
  });
});

describe('the event log', () => {
  it('words every event from the values it was recorded with, notes with their visit, after stepping back too', () => {
    const r = random(47);
    const model = parseDocument(
      '/t/log.tsq.yaml',
      'sequence: Log\nsteps:\n  - { name: Step one, run: cmd /c a }\n  - { name: Step two, run: cmd /c b }\n',
    ).model as SequenceModel;
    const store = new RecordStore(new Journal(false), createConditionEnvironment({}));
    const frame: RecordFrame = { docId: '/t/log.tsq.yaml', depth: 0, recordIndex: -1 };
    model.steps.forEach((node, i) => store.open(node, frame, i));
    const log = new EventLog((i) => store.view(i));

    const fixed = logHead('warning', 'TSManager', 'A fixed message');
    const counted = logHead('info', 'smsswd', (what: string, times: number) => `${what} ran ${times} times`);
    const noted = noteHead(
      'error',
      'OSDApplyOS',
      (visit: NodeRecord, text: string) => `${visit.node.name}: ${text}`,
      (text: string) => text,
    );
    // The compiler holds every event to the values its head words it from.
    const refused = () => {
      // @ts-expect-error a counted event needs how many times
      log.push(0, counted, 'copy');
      // @ts-expect-error the count is a number
      log.push(0, counted, 'copy', '3');
      // @ts-expect-error a fixed message takes no values
      log.push(0, fixed, 'extra');
      // @ts-expect-error a note names its visit by index first
      log.push(0, noted, 'text');
    };
    assert.equal(typeof refused, 'function');

    type Expected = {
      time: number;
      severity: string;
      component: string;
      message: string;
      note: string | undefined;
      visit: NodeRecord | undefined;
    };
    let expected: Expected[] = [];
    const compare = (when: string) => {
      assert.equal(log.length, expected.length, when);
      expected.forEach((e, i) => {
        const got = log.at(i);
        assert.deepEqual(
          {
            time: got.time,
            severity: got.severity,
            component: got.component,
            message: got.message,
            note: got.note,
            visit: got.visit,
          },
          e,
          `${when}: event ${i}`,
        );
      });
    };
    for (let op = 0; op < 4000; op++) {
      const k = r();
      const time = op * 1000;
      if (k < 0.3) {
        log.push(time, fixed);
        expected.push({
          time,
          severity: 'warning',
          component: 'TSManager',
          message: 'A fixed message',
          note: undefined,
          visit: undefined,
        });
      } else if (k < 0.6) {
        const what = pick(r, ['copy', 'robocopy', '']);
        const times = Math.floor(r() * 10);
        log.push(time, counted, what, times);
        expected.push({
          time,
          severity: 'info',
          component: 'smsswd',
          message: `${what} ran ${times} times`,
          note: undefined,
          visit: undefined,
        });
      } else if (k < 0.99) {
        const visit = Math.floor(r() * 2);
        const text = `note ${op}`;
        log.push(time, noted, visit, text);
        expected.push({
          time,
          severity: 'error',
          component: 'OSDApplyOS',
          message: `${model.steps[visit].name}: ${text}`,
          note: text,
          visit: store.view(visit),
        });
      } else {
        const keep = Math.max(0, expected.length - Math.floor(r() * 100));
        log.truncate(keep);
        expected = expected.slice(0, keep);
        compare(`after stepping back to ${keep} events`);
      }
    }
    assert.ok(log.length > 768, `the events fill three chunks or more (${log.length})`);
    compare('at the end');
  });
});

describe('the checkpoints for stepping back', () => {
  it('hand back what was pushed, latest first, and forget only the oldest beyond the limit with their journal entries', () => {
    const r = random(53);
    for (const limit of [1, 3, 10, 40]) {
      const journal = new Journal(true);
      const checkpoints = new Checkpoints<string>(limit, journal);
      const state = { value: 0 };
      const pushed: {
        frame: string | null;
        index: number;
        journal: number;
        records: number;
        log: number;
        visits: number;
        clock: number;
        value: number;
      }[] = [];
      for (let n = 0; n < 200; n++) {
        const cp = {
          frame: r() < 0.1 ? null : `frame ${n}`,
          index: n % 7,
          journal: journal.length,
          records: n * 2,
          log: n * 3,
          visits: n,
          clock: 1.7e12 + n * 1234.5,
          value: state.value,
        };
        checkpoints.push(cp.frame, cp.index, cp.journal, cp.records, cp.log, cp.visits, cp.clock);
        pushed.push(cp);
        for (let c = Math.floor(r() * 3); c > 0; c--) journal.set(state, 'value', state.value + 1);
      }
      let kept = 0;
      for (let cp = checkpoints.pop(); cp; cp = checkpoints.pop()) {
        const want = pushed[pushed.length - 1 - kept];
        const { value, ...without } = want;
        assert.deepEqual(cp, without, `limit ${limit}, checkpoint ${kept} from the latest`);
        journal.rewind(cp.journal);
        assert.equal(state.value, value, `the journal still undoes back to checkpoint ${kept} from the latest`);
        kept++;
      }
      assert.ok(kept >= limit && kept <= limit + Math.max(1, limit >> 2), `limit ${limit}: ${kept} kept`);
    }
  });
});
