// A machine profile (`machine:` file, docs/simulator.md) that replays a real run in the simulator
// and the debugger: where the run started (Windows PE or Windows, from _SMSTSInWinPE), the
// firmware and hardware the engine reported, the variables the log shows set before the first
// step (collection and device variables), and per step the outcome the log shows — its exit code
// (run by run when it ran more than once), how long it took and the variables set while it ran.
// Outcomes are keyed by the step's `id` in the sequence when it has one, else by its name; two
// steps that share a name but not an outcome cannot be told apart by name, which the warnings say.
// Variables whose names start with `_` are the engine's own (read-only) and are never written.

import { emitYaml } from '../model/yaml/emit';
import type { RunLog } from './read';
import type { Execution } from './types';

export interface MachineProfile {
  text: string;
  warnings: string[];
}

interface OutcomeRun {
  exitCode: number;
  duration?: number;
  variables?: Record<string, string>;
}

const HARDWARE: Record<string, string> = {
  _SMSTSMake: 'make',
  _SMSTSModel: 'model',
  _SMSTSSerialNumber: 'serialNumber',
  _SMSTSUUID: 'uuid',
  _SMSTSAssetTag: 'assetTag',
  _SMSTSMacAddresses: 'macAddress',
  _SMSTSIPAddresses: 'ipAddress',
  _SMSTSDefaultGateways: 'defaultGateway',
};

function ranOutcome(e: Execution): OutcomeRun | undefined {
  if (e.status !== 'succeeded' && e.status !== 'failed' && e.status !== 'failed-continued') return undefined;
  const run: OutcomeRun = { exitCode: e.exitCode ?? (e.status === 'succeeded' ? 0 : 1) };
  if (e.startTime && e.endTime) {
    const seconds = Math.round((e.endTime.utc - e.startTime.utc) / 1000);
    if (seconds >= 1 && seconds < 7 * 24 * 3600) run.duration = seconds;
  }
  const vars: Record<string, string> = {};
  for (const v of e.variables) if (!v.name.startsWith('_') && v.name.trim()) vars[v.name] = v.value;
  if (Object.keys(vars).length) run.variables = vars;
  return run;
}

function sameRuns(a: OutcomeRun[], b: OutcomeRun[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (r, i) =>
        r.exitCode === b[i].exitCode && JSON.stringify(r.variables ?? {}) === JSON.stringify(b[i].variables ?? {}),
    )
  );
}

function outcomeValue(runs: OutcomeRun[]): Record<string, unknown> {
  const one = (r: OutcomeRun) => {
    const o: Record<string, unknown> = { exitCode: r.exitCode };
    if (r.duration !== undefined) o.duration = r.duration;
    if (r.variables) o.variables = r.variables;
    return o;
  };
  if (runs.length === 1 || runs.every((r) => sameRuns([r], [runs[0]]))) return one(runs[0]);
  return { runs: runs.map(one) };
}

export function machineProfileFor(log: RunLog, label: string): MachineProfile {
  const run = log.run;
  const scan = run.scan;
  const warnings: string[] = [];
  const profile: Record<string, unknown> = {
    machine: `Replay of ${scan.sequenceName ?? 'a run'} (${label})`,
    description: `Written by tsq log from ${log.order.map((i) => log.files[i].name).join(', ')}: the outcomes the log shows, so that tsq simulate and the debugger go the same way.`,
  };
  const firstSession = scan.sessions.find((s) => s.inWinPE !== undefined);
  const allVariables = [...scan.startVariables, ...run.executions.flatMap((e) => e.variables)];
  const lastValue = (name: string) => [...allVariables].reverse().find((v) => v.name === name)?.value;
  const uefi = lastValue('_SMSTSBootUEFI');
  if (uefi !== undefined) profile.firmware = uefi.trim().toLowerCase() === 'true' ? 'uefi' : 'bios';
  // Where the run started; without _SMSTSInWinPE, the folder of the first log says (X: is Windows PE's RAM drive).
  const firstLogPath = allVariables.find((v) => v.name === '_SMSTSLogPath')?.value.trim();
  if (firstSession) profile.startsIn = firstSession.inWinPE ? 'winpe' : 'fullos';
  else if (firstLogPath) profile.startsIn = /^x:/i.test(firstLogPath) ? 'winpe' : 'fullos';
  const hardware: Record<string, string> = {};
  for (const [variable, key] of Object.entries(HARDWARE)) {
    const value = lastValue(variable);
    if (value !== undefined && value.trim()) hardware[key] = value;
  }
  if (Object.keys(hardware).length) profile.hardware = hardware;
  const startVariables: Record<string, string> = {};
  for (const v of scan.startVariables) if (!v.name.startsWith('_') && v.name.trim()) startVariables[v.name] = v.value;
  if (Object.keys(startVariables).length) profile.variables = startVariables;

  // Runs per step, keyed as the simulator looks outcomes up: id, else name.
  const table = log.match?.table;
  const byKey = new Map<string, { runs: OutcomeRun[]; node: string; path: string }>();
  const order: string[] = [];
  // A Run Task Sequence step ends as its child does; only one whose child never started has an outcome of its own.
  const parents = new Set(run.executions.map((e) => e.parent));
  for (const e of run.executions) {
    if (e.kind !== 'step' || e.synthetic || parents.has(e)) continue;
    const outcome = ranOutcome(e);
    if (!outcome) continue;
    const node = e.entry !== undefined && table ? table[e.entry] : undefined;
    const key = node?.node.id?.value ?? node?.name ?? e.name;
    const nodeKey = node ? `${node.docId}#${node.node.span.start}` : `log#${e.pointer ?? e.name}`;
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, { runs: [outcome], node: nodeKey, path: e.path ?? e.name });
      order.push(key);
    } else if (known.node === nodeKey) {
      known.runs.push(outcome);
    } else if (!sameRuns([outcome], [known.runs[0]])) {
      warnings.push(
        `"${e.path ?? e.name}" and "${known.path}" share the name "${key}" but ended differently; the profile gives both the outcome of "${known.path}". Give the steps an \`id:\` in the sequence (and run tsq log with --sequence) to tell them apart.`,
      );
    }
  }
  const outcomes: Record<string, unknown> = {};
  for (const key of order) outcomes[key] = outcomeValue(byKey.get(key)!.runs);
  if (order.length) profile.outcomes = outcomes;

  const header = [
    `# Machine profile written by \`tsq log\` from the run in ${log.order.map((i) => log.files[i].name).join(', ')}.`,
    '# `tsq simulate --machine THIS_FILE SEQUENCE` (or F5 in VS Code with this machine) replays it: see docs/run-logs.md.',
    ...warnings.map((w) => `# Note: ${w.replace(/[\r\n]+/g, ' ')}`),
  ];
  return { text: `${header.join('\n')}\n${emitYaml(profile)}`, warnings };
}
