// A machine profile with every default filled in: what the simulator actually runs on. The
// defaults are written down in docs/simulator.md and live in data/defaults.json; without a
// profile the simulator uses a freshly unboxed x64 UEFI virtual machine that starts in Windows PE
// from the network (PXE) with an empty disk.

import type { MachineModel, StepOutcome } from '../model/machine';
import type { Architecture } from '../model/architecture';
import type { ConditionFacts } from '../conditions';
import defaults from './data/defaults.json';

export type Environment = 'WinPE' | 'FullOS';

export interface Hardware {
  make: string;
  model: string;
  serialNumber: string;
  uuid: string;
  assetTag: string;
  macAddress: string;
  ipAddress: string;
  defaultGateway: string;
}

export interface MachineSetup {
  name: string;
  architecture: Architecture;
  firmware: 'uefi' | 'bios';
  startsIn: Environment;
  /** The disk has a formatted partition at start (and so an installed Windows). */
  diskFormatted: boolean;
  hardware: Hardware;
  downloadMBps: number;
  /** Collection variables, then device variables (later entries win). */
  variables: { name: string; value: string; source: 'collection' | 'device' }[];
  /** What conditions see (files, registry, WMI, installed products, OS version). */
  facts: ConditionFacts;
  /** Applications installed at start, by ID or name (Install Application's detection). */
  applications: string[];
  /** Outcomes by step id, then by step name. */
  outcomes: Map<string, StepOutcome>;
}

function lower(v: string | undefined): string | undefined {
  return v?.trim().toLowerCase();
}

function record<T>(value: unknown): Record<string, T> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, T>) : undefined;
}

function listOrRecord<T>(value: unknown): string[] | Record<string, T> | undefined {
  return Array.isArray(value) ? list(value) : record<T>(value);
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : [];
}

export function machineSetup(model?: MachineModel): MachineSetup {
  const startsIn: Environment = lower(model?.startsIn?.value) === 'fullos' ? 'FullOS' : 'WinPE';
  const disk = lower(model?.disk?.value);
  const facts = (model?.facts ?? {}) as Record<string, unknown>;
  const outcomes = new Map<string, StepOutcome>();
  for (const o of model?.outcomes ?? []) if (!outcomes.has(o.target)) outcomes.set(o.target, o);
  const hw = model?.hardware ?? {};
  return {
    name: model?.name || 'Default machine',
    architecture: model?.architecture?.value ?? 'x64',
    firmware: lower(model?.firmware?.value) === 'bios' ? 'bios' : 'uefi',
    startsIn,
    diskFormatted: disk ? disk === 'formatted' : startsIn === 'FullOS',
    hardware: { ...defaults.hardware, ...hw },
    downloadMBps: model?.downloadMBps?.value ?? defaults.downloadMBps,
    variables: [
      ...(model?.variables ?? [])
        .filter((v) => v.source === 'collection')
        .map((v) => ({ name: v.name, value: v.value, source: 'collection' as const })),
      ...(model?.variables ?? [])
        .filter((v) => v.source !== 'collection')
        .map((v) => ({ name: v.name, value: v.value, source: 'device' as const })),
    ],
    facts: {
      // The schema checks these shapes; a file that skipped it must still not break the run.
      wmi: record<boolean>(facts.wmi),
      files: listOrRecord(facts.files),
      folders: listOrRecord(facts.folders),
      registry: record(facts.registry),
      installed: Array.isArray(facts.installed)
        ? (facts.installed.filter(
            (x) => typeof x === 'string' || (x && typeof x === 'object'),
          ) as ConditionFacts['installed'])
        : undefined,
      osVersions: facts.osVersions === undefined ? undefined : list(facts.osVersions),
      osLanguage:
        typeof facts.osLanguage === 'string' || typeof facts.osLanguage === 'number' ? facts.osLanguage : undefined,
    },
    applications: list(facts.applications),
    outcomes,
  };
}

export function environmentLabel(env: Environment): string {
  return env === 'WinPE' ? 'Windows PE' : 'the full OS';
}
