// The typed model of a `machine:` file: a simulated destination computer for the simulator and
// the debugger — its hardware, where it starts, its disk, its collection and device variables,
// facts that conditions test (files, registry, WMI, installed software), and the outcome each step
// should have, run by run. Defaults for anything missing are applied by the simulator
// (simulator/machine.ts, documented in docs/simulator.md), not here.

import { pairsOf, type YMap } from './yaml/nodes';
import { ExpansionBudget, resolve, toJS } from './yaml/expand';
import { MapReader, parseDuration, spanOf, type Located } from './fields';
import type { Span } from './text';
import { normaliseArchitecture, type Architecture } from './architecture';
import { parseLocalDateTime, type LocalMinutes } from '../schedule/local-time';

export interface MachineVariable {
  name: string;
  value: string;
  /** `collection` or `device` (device wins when both set a name), or `machine` for the flat map. */
  source: 'collection' | 'device' | 'machine';
  span: Span;
}

/** What happens on one run of a step. */
export interface RunOutcome {
  exitCode?: number;
  /** Variables the step sets when it runs (e.g. a script's outputs). */
  variables: Record<string, string>;
  /** Simulated run time in seconds. */
  durationSeconds?: number;
  /** Text the command writes (what a Run Command Line / PowerShell output variable receives). */
  output?: string;
  /** How many times the computer restarts unexpectedly while the step runs. */
  unexpectedRestarts?: number;
}

export interface StepOutcome extends RunOutcome {
  /** Step `id` or step name this outcome applies to. */
  target: string;
  targetSpan: Span;
  /**
   * One entry per run of the step (a rerun after SMSTSRetryRequested, a jump back in the
   * debugger); the last entry repeats. Without `runs:` the outcome's own fields are the only run.
   */
  runs: RunOutcome[];
  /** Further fields as written, for the simulator. */
  raw: Record<string, unknown>;
  span: Span;
}

/** Content that reaches the distribution points this computer can use late, or never. */
export interface LateContent {
  /** Object ID (package, image, application ...), as written. */
  id: string;
  /** When it arrives there (wall clock), or `never`. */
  arrives: LocalMinutes | 'never';
  span: Span;
}

export interface MachineModel {
  kind: 'machine';
  name: string;
  nameSpan: Span;
  architecture?: Located<Architecture>;
  firmware?: Located<string>;
  startsIn?: Located<string>;
  disk?: Located<string>;
  /** Hardware identity (`make`, `model`, `serialNumber`, `uuid`, `assetTag`, `macAddress`, ...), as text. */
  hardware: Record<string, string>;
  /** Download speed from the distribution point in MB per second. */
  downloadMBps?: Located<number>;
  variables: MachineVariable[];
  /** Facts for conditions, as written (`files`, `folders`, `registry`, `wmi`, `installed`, `osVersion`, ...). */
  facts: Record<string, unknown>;
  outcomes: StepOutcome[];
  /** `contentArrives:` entries that can be read (the schema rule reports the others). */
  contentArrives: LateContent[];
  raw: Record<string, unknown>;
  root: YMap;
}

export function buildMachine(root: YMap, budget: ExpansionBudget): MachineModel {
  const r = new MapReader(root, budget);
  const name = r.string('machine');
  const arch = r.string('architecture');
  const normArch = arch ? normaliseArchitecture(arch.value) : undefined;
  const model: MachineModel = {
    kind: 'machine',
    name: name?.value ?? '',
    nameSpan: name?.span ?? spanOf(root),
    architecture: arch && normArch ? { value: normArch, span: arch.span } : undefined,
    firmware: r.string('firmware'),
    startsIn: r.string('startsIn'),
    disk: r.string('disk'),
    hardware: {},
    variables: [],
    facts: (r.map('facts') ? r.js('facts') : {}) as Record<string, unknown>,
    outcomes: [],
    contentArrives: [],
    raw: toJS(root, budget) as Record<string, unknown>,
    root,
  };
  const late = r.map('contentArrives');
  if (late) {
    for (const p of pairsOf(new MapReader(late, budget).pairs)) {
      const v = resolve(p.value, budget);
      if (p.key.kind !== 'scalar' || !v || v.kind !== 'scalar') continue;
      const arrives = v.text.trim().toLowerCase() === 'never' ? 'never' : parseLocalDateTime(v.text);
      if (arrives !== undefined) model.contentArrives.push({ id: p.key.text, arrives, span: spanOf(p.key) });
    }
  }
  const hardware = r.map('hardware');
  if (hardware) model.hardware = scalarMap(hardware, budget);
  const speed = r.scalar('downloadMBps');
  if (speed && typeof speed.value === 'number' && speed.value > 0)
    model.downloadMBps = { value: speed.value, span: spanOf(speed) };
  const addVars = (map: YMap | undefined, source: MachineVariable['source']) => {
    if (!map) return;
    for (const p of pairsOf(new MapReader(map, budget).pairs)) {
      const v = resolve(p.value, budget);
      if (p.key.kind !== 'scalar' || !v || v.kind !== 'scalar') continue;
      model.variables.push({ name: p.key.text, value: v.value === null ? '' : v.text, source, span: spanOf(p.key) });
    }
  };
  const vars = r.map('variables');
  if (vars) {
    const vr = new MapReader(vars, budget);
    const coll = vr.map('collection');
    const dev = vr.map('device');
    if (coll || dev) {
      addVars(coll, 'collection');
      addVars(dev, 'device');
    } else addVars(vars, 'machine');
  }
  const outcomes = r.map('outcomes');
  if (outcomes) {
    for (const p of pairsOf(new MapReader(outcomes, budget).pairs)) {
      const v = resolve(p.value, budget);
      if (p.key.kind !== 'scalar' || !v || v.kind !== 'map') continue;
      const first = readRun(v, budget);
      const runs = new MapReader(v, budget)
        .list('runs')
        .filter((n): n is YMap => n.kind === 'map')
        .map((n) => readRun(n, budget));
      model.outcomes.push({
        ...first,
        target: p.key.text,
        targetSpan: spanOf(p.key),
        runs: runs.length ? runs : [first],
        raw: toJS(v, budget) as Record<string, unknown>,
        span: spanOf(v),
      });
    }
  }
  return model;
}

function scalarMap(map: YMap, budget: ExpansionBudget): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairsOf(new MapReader(map, budget).pairs)) {
    const v = resolve(p.value, budget);
    if (p.key.kind === 'scalar' && v && v.kind === 'scalar') out[p.key.text] = v.value === null ? '' : v.text;
  }
  return out;
}

function readRun(map: YMap, budget: ExpansionBudget): RunOutcome {
  const r = new MapReader(map, budget);
  const vars = r.map('variables');
  const dur = r.scalar('duration');
  const restarts = r.integer('unexpectedRestarts');
  return {
    exitCode: r.integer('exitCode')?.value,
    variables: vars ? scalarMap(vars, budget) : {},
    durationSeconds: dur ? parseDuration(dur.text, dur.value) : undefined,
    output: r.string('output')?.value,
    unexpectedRestarts: restarts && restarts.value >= 0 ? restarts.value : undefined,
  };
}
