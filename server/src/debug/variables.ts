// The debugger's Variables view: task sequence variables (editable), the engine's read-only
// variables (names starting with _), and the machine — where it is, its disk, the simulated
// clock, its hardware and the facts conditions read. References are handed out per stop.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Simulation } from '../simulator/engine';
import { environmentLabel } from '../simulator/machine';
import { dateTimeText } from '../simulator/log';

const CUSTOM = 1;
const BUILT_IN = 2;
const MACHINE = 3;

type Children = () => DebugProtocol.Variable[];

export class VariableTree {
  private readonly nested = new Map<number, Children>();
  private nextRef = 100;

  scopes(sim: Simulation): { name: string; ref: number; expensive: boolean }[] {
    const all = sim.vars.list();
    const builtIn = all.filter((v) => v.name.startsWith('_')).length;
    return [
      { name: `Task sequence variables (${all.length - builtIn})`, ref: CUSTOM, expensive: false },
      { name: `Built-in variables, read-only (${builtIn})`, ref: BUILT_IN, expensive: false },
      { name: 'Machine', ref: MACHINE, expensive: false },
    ];
  }

  children(sim: Simulation, ref: number): DebugProtocol.Variable[] {
    if (ref === CUSTOM || ref === BUILT_IN) {
      return sim.vars
        .list()
        .filter((v) => v.name.startsWith('_') === (ref === BUILT_IN))
        .map((v) => ({
          name: v.name,
          value: v.value,
          evaluateName: v.name,
          variablesReference: 0,
          presentationHint: ref === BUILT_IN ? { attributes: ['readOnly'] } : undefined,
        }));
    }
    if (ref === MACHINE) return this.machine(sim);
    return this.nested.get(ref)?.() ?? [];
  }

  /** Why a variable of this scope cannot be set, or undefined when it can. */
  canSet(ref: number, name: string): string | undefined {
    if (ref === CUSTOM) return undefined;
    if (ref === BUILT_IN) return `\`${name}\` is read-only: the task sequence engine sets names starting with _.`;
    return 'Machine facts come from the machine profile; change them there and restart.';
  }

  private machine(sim: Simulation): DebugProtocol.Variable[] {
    const st = sim.state;
    const m = sim.machine;
    const plain = (name: string, value: string): DebugProtocol.Variable => ({
      name,
      value,
      variablesReference: 0,
      presentationHint: { attributes: ['readOnly'] },
    });
    return [
      plain('Environment', environmentLabel(st.env)),
      plain('Disk', st.diskFormatted ? 'formatted' : 'not formatted'),
      plain(
        'Windows on the disk',
        st.os === 'none' ? 'none' : st.os === 'applied' ? 'applied, not yet set up' : 'installed',
      ),
      plain('Clock (UTC)', dateTimeText(st.clock)),
      plain('Restarts', String(st.restarts)),
      plain('Architecture', m.architecture),
      plain('Firmware', m.firmware === 'uefi' ? 'UEFI' : 'BIOS'),
      plain('Content', sim.content.mode + (sim.options.media ? `, ${sim.options.media.type} media` : '')),
      this.value('Hardware', m.hardware),
      this.value('Installed applications', [...sim.applications.keys()]),
      this.value('Facts', Object.fromEntries(Object.entries(m.facts).filter(([, v]) => v !== undefined))),
    ];
  }

  /** A variable for any plain value; objects and lists expand. */
  private value(name: string, value: unknown): DebugProtocol.Variable {
    if (value === null || typeof value !== 'object')
      return {
        name,
        value: value === undefined ? '' : String(value as string | number | boolean),
        variablesReference: 0,
      };
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value as Record<string, unknown>);
    const ref = this.nextRef++;
    this.nested.set(ref, () => entries.map(([k, v]) => this.value(k, v)));
    const summary = Array.isArray(value)
      ? `${value.length} item${value.length === 1 ? '' : 's'}`
      : `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`;
    return {
      name,
      value: summary,
      variablesReference: ref,
      indexedVariables: Array.isArray(value) ? value.length : undefined,
      namedVariables: Array.isArray(value) ? undefined : entries.length,
    };
  }
}
