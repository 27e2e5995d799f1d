// Small helpers for the simulator's tests: a workspace from in-memory files, a run on a machine
// written inline, and readable views of what happened (paths with their status).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { getHeapSnapshot } from 'node:v8';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import type { MachineModel } from '../../server/src/model/machine';
import { Workspace } from '../../server/src/semantics/workspace';
import { Simulation } from '../../server/src/simulator/engine';
import type { SimulationOptions } from '../../server/src/simulator/types';
import { notesOf } from '../../server/src/simulator/report';
import { repositoryRoot } from '../../scripts/catalog-docs';

export const ROOT = repositoryRoot(__dirname);
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'simulator');

export interface Files {
  /** The sequence to run (`main.tsq.yaml`). */
  main: string;
  /** Further files by name (children, catalogs). */
  [name: string]: string;
}

/** Builds a workspace of the files under /t/ and runs `main.tsq.yaml` on the machine (YAML after `machine: Test`). */
export function simulate(files: Files | string, machine = '', options: SimulationOptions = {}): Simulation {
  const sim = start(files, machine, options);
  sim.run();
  return sim;
}

/** Like `simulate`, but before the first node: the test drives it with `tick()`. */
export function start(files: Files | string, machine = '', options: SimulationOptions = {}): Simulation {
  const { ws, main } = workspaceOf(typeof files === 'string' ? { main: files } : files);
  return new Simulation(ws, main, machineModel(machine), options);
}

/** Ticks until the visit of the node named `name` has ended (or the run ends). */
export function runPast(sim: Simulation, name: string): void {
  for (;;) {
    const t = sim.tick();
    if (!t || (t.record?.node.name === name && t.record.status !== 'running') || sim.ended) return;
  }
}

export function workspaceOf(files: Files): { ws: Workspace; main: TsqDocument } {
  const ws = new Workspace();
  for (const [name, text] of Object.entries(files))
    ws.upsert(parseDocument(`/t/${name === 'main' ? 'main.tsq.yaml' : name}`, text));
  return { ws, main: ws.get('/t/main.tsq.yaml')! };
}

export function machineModel(yaml: string): MachineModel | undefined {
  if (!yaml.trim()) return undefined;
  return parseDocument('/t/machine.tsq.yaml', yaml.startsWith('machine:') ? yaml : `machine: Test\n${yaml}`)
    .model as MachineModel;
}

/** `path: status` for every node visit, in order. */
export function statuses(sim: Simulation): string[] {
  return sim.records.map((r) => `${r.path}: ${r.status}`);
}

/** The status of the (last) visit of the node at `path`, or `not reached`. */
export function statusOf(sim: Simulation, nodePath: string): string {
  const hits = sim.records.filter((r) => r.path === nodePath);
  return hits.length ? hits[hits.length - 1].status : 'not reached';
}

export function recordOf(sim: Simulation, nodePath: string) {
  const hit = sim.records.filter((r) => r.path === nodePath).pop();
  if (!hit) throw new Error(`${nodePath} was not reached; reached: ${statuses(sim).join(', ')}`);
  return hit;
}

/** The notes of the (last) visit of the node at `path`, joined by new lines. */
export function notes(sim: Simulation, nodePath: string): string {
  return notesOf(sim).get(recordOf(sim, nodePath))?.join('\n') ?? '';
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Indents a block of YAML lines by `n` spaces (for composing sequences in tests). */
export function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');
}

/** A seeded generator of numbers in [0, 1), so a failure can be replayed from its seed. */
export { random } from '../helpers/seeded-random';

/**
 * The texts of every string on the heap, from a heap snapshot: V8 collects what is unreachable
 * before it takes one, so what is left is what something still holds. A snapshot names a string by
 * its first 1,024 characters.
 */
export async function stringsOnTheHeap(): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(String(chunk));
  return (JSON.parse(chunks.join('')) as { strings: string[] }).strings;
}
