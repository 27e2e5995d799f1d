// Where the first run of a freshly parsed 100,000-step file spends its CPU, phase by phase, and on
// which thread: the process's CPU (every thread: V8's optimizing compiler and the garbage
// collector's helpers run beside the JavaScript) against the main thread's own (Linux's
// /proc/thread-self/stat, in 10 ms ticks; NaN elsewhere). One fresh process per call, as the
// simulate bench's first-run processes are (tuned as `tsq simulate` tunes itself):
//
//   node out/bench/first-run-split.js first       construct, then run (groups compiled as entered)
//   node out/bench/first-run-split.js split       construct, every group compiled ahead, then run
//   node out/bench/first-run-split.js conditions  every condition of the file read once by the
//                                                 shared reader, each name given its slot: what a
//                                                 first visit must do whatever it lays out
//
// docs/performance.md ("A first visit in place, seventh pass") reads its figures. Not a
// `.bench.ts`: `npm run bench` does not run it.

import * as fs from 'node:fs';
import { parseDocument } from '../server/src/model/document';
import type { MachineModel } from '../server/src/model/machine';
import type { SeqNode, SequenceModel } from '../server/src/model/sequence';
import { Workspace } from '../server/src/semantics/workspace';
import { Simulation } from '../server/src/simulator/engine';
import { frameProgram } from '../server/src/simulator/program';
import { variableSlotIn } from '../server/src/simulator/variables';
import { checkValue, readChecks } from '../server/src/conditions/check-list';
import { tuneForOneRun } from '../server/src/frontend/one-shot-tuning';
import { BENCH_CATALOG, generateSequence } from './generate';

const STEPS = 100_000;

/** CPU of the whole process so far, in ms. */
function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU of this thread so far, in ms (user + system ticks of /proc/thread-self/stat); NaN where there is none. */
function threadCpu(): number {
  try {
    const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    // Fields 14 and 15 of the line (utime, stime), counted after the command's closing parenthesis.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Process and main-thread CPU of each phase, in ms. */
function phases(steps: Record<string, () => void>): Record<string, { process: number; mainThread: number }> {
  const out: Record<string, { process: number; mainThread: number }> = {};
  for (const [name, f] of Object.entries(steps)) {
    const c = processCpu(),
      t = threadCpu();
    f();
    out[name] = { process: Math.round(processCpu() - c), mainThread: threadCpu() - t };
  }
  return out;
}

function eachList(nodes: readonly SeqNode[], f: (nodes: readonly SeqNode[]) => void): void {
  f(nodes);
  for (const n of nodes) if (n.kind === 'group') eachList(n.steps, f);
}

function main(): void {
  const mode = process.argv[2] ?? 'first';
  tuneForOneRun();
  const ws = new Workspace();
  ws.upsert(parseDocument('/bench/catalog.tsq.yaml', BENCH_CATALOG));
  const doc = parseDocument('/bench/seq.tsq.yaml', generateSequence(STEPS));
  ws.upsert(doc);
  const machine = parseDocument('/bench/machine.tsq.yaml', 'machine: Bench PC\nstartsIn: fullos\n')
    .model as MachineModel;
  const model = doc.model as SequenceModel;
  let sim!: Simulation;
  const construct = () => {
    sim = new Simulation(ws, doc, machine, {});
  };
  const run = () => sim.run();
  let result: Record<string, unknown>;
  if (mode === 'first') result = phases({ construct, run });
  else if (mode === 'split')
    result = phases({ construct, compile: () => eachList(model.steps, (nodes) => frameProgram(nodes)), run });
  else if (mode === 'conditions') {
    const texts: string[] = [];
    eachList(model.steps, (nodes) => {
      for (const n of nodes) if (n.when) texts.push(n.when.text);
    });
    let checks = 0;
    const read = phases({
      read: () => {
        for (const text of texts)
          readChecks(text, (_op, nameFrom, nameTo, valueFrom, valueTo) => {
            checkValue(text, valueFrom, valueTo);
            if (variableSlotIn(text, nameFrom, nameTo) >= 0) checks++;
          });
      },
    });
    result = { conditions: texts.length, checks, ...read };
  } else throw new Error(`unknown mode ${mode}: first, split or conditions`);
  process.stdout.write(JSON.stringify({ mode, ...result }) + '\n');
}

main();
