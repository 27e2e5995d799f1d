// How an F5 on a task sequence becomes a launch configuration, free of the VS Code API so it can
// be tested: with no launch.json the open *.tsq.yaml file is the program (unless a deployment or
// media names the sequence); the machine profile is the only one in the workspace, or the one the
// user picks, or none (the simulator's default) — media name their own. The profiles are the
// language server's (`tsq/machineProfiles`, every file of the folder, open or not): one with errors
// is not offered, and the picker says which were left out and why.

import type { MachineProfile } from '../../server/src/frontend/machine-profiles-protocol';

export const DEBUG_TYPE = 'tasksequence';

export interface LaunchConfiguration {
  type: string;
  request: string;
  name: string;
  program?: string;
  machine?: string;
  deployment?: string;
  media?: string;
  stopOnEntry?: boolean;
  [key: string]: unknown;
}

/** The configurations a new launch.json starts with. */
export function initialConfigurations(): LaunchConfiguration[] {
  return [
    {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Simulate this task sequence',
      program: '${file}',
      machine: '${command:tsq.pickMachine}',
      stopOnEntry: true,
    },
  ];
}

export function isTaskSequenceFile(fileName: string | undefined, languageId?: string): boolean {
  return languageId === 'tasksequence' || (!!fileName && /\.tsq\.ya?ml$/i.test(fileName));
}

export type Resolution =
  | { config: LaunchConfiguration }
  /** The machine is still to be chosen among these files. */
  | { pickMachine: string[]; config: LaunchConfiguration }
  | { problem: string };

/**
 * Completes a configuration: an empty one (F5 without launch.json) becomes "simulate the active
 * file"; a missing machine is filled when exactly one profile exists, and left to a pick when
 * there are several.
 */
export function resolveConfiguration(
  config: Partial<LaunchConfiguration>,
  activeFile: string | undefined,
  activeLanguage: string | undefined,
  machines: string[],
): Resolution {
  let c = config as LaunchConfiguration;
  if (!c.type && !c.request && !c.name) {
    if (!isTaskSequenceFile(activeFile, activeLanguage))
      return {
        problem:
          'Open a task sequence (*.tsq.yaml) to simulate it, or add a launch configuration of type "tasksequence".',
      };
    c = {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Simulate this task sequence',
      program: activeFile,
      stopOnEntry: true,
    };
  }
  // A deployment or media names its own sequence (and media their machines).
  if (!c.program && !c.deployment && !c.media) {
    if (!isTaskSequenceFile(activeFile, activeLanguage))
      return {
        problem:
          'The launch configuration needs `program` (the task sequence file to simulate), `deployment` or `media`.',
      };
    c = { ...c, program: activeFile };
  }
  if (c.media) return { config: c };
  if (c.machine === undefined && machines.length === 1) c = { ...c, machine: machines[0] };
  else if (c.machine === undefined && machines.length > 1) return { pickMachine: machines, config: c };
  return { config: c };
}

export interface MachineOffer {
  /** The profiles the simulator can use: their paths, in order. */
  offered: string[];
  /** Profiles with errors, not offered, each with why (its error count and first error). */
  withheld: { path: string; reason: string }[];
}

/** Splits the server's machine profiles into those to offer and those with errors. */
export function machineOffer(profiles: readonly MachineProfile[]): MachineOffer {
  const offered: string[] = [];
  const withheld: MachineOffer['withheld'] = [];
  for (const p of profiles) {
    if (p.errors === 0) {
      offered.push(p.path);
      continue;
    }
    const first = p.firstError ? `: line ${p.firstError.line}: ${p.firstError.message}` : '';
    withheld.push({ path: p.path, reason: `${p.errors} error${p.errors === 1 ? '' : 's'}${first}` });
  }
  return { offered, withheld };
}
