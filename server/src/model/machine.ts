// The typed model of a `machine:` file: a simulated destination computer for the simulator and
// the debugger — its hardware, where it starts, its disk, its collection and device variables,
// facts that conditions test (files, registry, WMI, installed software), and the outcome each step
// should have. Defaults for anything missing are applied by the simulator, not here.

import type { YMap } from './yaml/nodes';
import { ExpansionBudget, resolve, toJS } from './yaml/expand';
import { MapReader, spanOf, type Located } from './fields';
import type { Span } from './text';
import { normaliseArchitecture, type Architecture } from './site-catalog';

export interface MachineVariable {
  name: string;
  value: string;
  /** `collection` or `device` (device wins when both set a name), or `machine` for the flat map. */
  source: 'collection' | 'device' | 'machine';
  span: Span;
}

export interface StepOutcome {
  /** Step `id` or step name this outcome applies to. */
  target: string;
  targetSpan: Span;
  exitCode?: number;
  /** Variables the step sets when it runs (e.g. a script's outputs). */
  variables: Record<string, string>;
  /** Simulated run time in seconds. */
  durationSeconds?: number;
  /** Further fields as written (e.g. `restart`, `timesOut`), for the simulator. */
  raw: Record<string, unknown>;
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
  variables: MachineVariable[];
  /** Facts for conditions, as written (`files`, `folders`, `registry`, `wmi`, `installed`, `osVersion`, ...). */
  facts: Record<string, unknown>;
  outcomes: StepOutcome[];
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
    variables: [],
    facts: (r.map('facts') ? r.js('facts') : {}) as Record<string, unknown>,
    outcomes: [],
    raw: toJS(root, budget) as Record<string, unknown>,
    root,
  };
  const addVars = (map: YMap | undefined, source: MachineVariable['source']) => {
    if (!map) return;
    for (const p of new MapReader(map, budget).pairs) {
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
    for (const p of new MapReader(outcomes, budget).pairs) {
      const v = resolve(p.value, budget);
      if (p.key.kind !== 'scalar' || !v || v.kind !== 'map') continue;
      const or = new MapReader(v, budget);
      const varsMap = or.map('variables');
      const variables: Record<string, string> = {};
      if (varsMap) for (const vp of new MapReader(varsMap, budget).pairs) {
        const vv = resolve(vp.value, budget);
        if (vp.key.kind === 'scalar' && vv && vv.kind === 'scalar') variables[vp.key.text] = vv.value === null ? '' : vv.text;
      }
      const dur = or.scalar('duration');
      model.outcomes.push({
        target: p.key.text,
        targetSpan: spanOf(p.key),
        exitCode: or.integer('exitCode')?.value,
        variables,
        durationSeconds: dur ? parseDuration(dur.text, dur.value) : undefined,
        raw: toJS(v, budget) as Record<string, unknown>,
        span: spanOf(v),
      });
    }
  }
  return model;
}

/** `90` (seconds), `90s`, `15m`, `2h`, `1h30m`. */
export function parseDuration(text: string, value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const re = /(\d+(?:\.\d+)?)\s*(h|m|s)/gi;
  let total = 0, matched = '', m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const n = Number(m[1]);
    total += m[2].toLowerCase() === 'h' ? n * 3600 : m[2].toLowerCase() === 'm' ? n * 60 : n;
    matched += m[0];
  }
  return matched.replace(/\s/g, '') === text.replace(/\s/g, '') && matched ? total : undefined;
}
