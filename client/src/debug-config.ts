// How an F5 on a task sequence becomes a launch configuration, free of the VS Code API so it can
// be tested: with no launch.json the open *.tsq.yaml file is the program (unless a deployment or
// media names the sequence); the machine profile is the only one in the workspace, or the one the
// user picks, or none (the simulator's default) — media name their own.

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

/**
 * A file's text declares a machine profile: the modeline says `machine`, or it has a top-level
 * `machine:` key and no other kind's key (media and deployments name their machine with a
 * top-level `machine:` too, and are not profiles).
 */
export function isMachineProfile(text: string): boolean {
  const modeline = /^#\s*tsq:\s*([A-Za-z]+)/m.exec(text);
  if (modeline) return modeline[1] === 'machine';
  const kinds = new Set([...text.matchAll(/^(sequence|catalog|machine|deployment|media)\s*:/gm)].map((m) => m[1]));
  return kinds.has('machine') && kinds.size === 1;
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
