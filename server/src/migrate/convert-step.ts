// Mapping one MDT step to what replaces it in ConfigMgr: the native step with the options that
// carry over (MDT's Validate thresholds become Check Readiness checks, Install Operating System's
// destination becomes Apply Operating System Image's, …), nothing at all (a step ConfigMgr does
// not need), or the step left as it is. The outcome says `migrated`, `review` (a person must check
// what the reason says) or `kept`; whatever tsq infers rather than reads in Microsoft's
// documentation makes it `review`. The editor's quick fix and `tsq migrate` both call this.

import type { TsqDocument } from '../model/document';
import { option, pathOf, walk, type SeqNode, type SequenceModel, type StepNode } from '../model/sequence';
import { findStep } from '../catalog';
import { variableReads } from '../semantics/variable-flow';
import { keptVariable, mdtDependencies, mdtDependency, type MdtDependency } from './detect';
import type { MappingEntry, MigrationStatus } from './table';

export type StepOutcome =
  { kind: 'replace'; action: string; options: Record<string, unknown> } | { kind: 'remove' } | { kind: 'keep' };

export interface StepMigration {
  step: StepNode;
  dependency: MdtDependency;
  /** `Group/Step`, as `tsq simulate` names steps. */
  path: string;
  /** What the step is now, in words (`Validate (MDT step)`). */
  from: string;
  /** What it becomes: a native step's name, `(removed)` or `(kept)`. */
  to: string;
  status: MigrationStatus;
  reason: string;
  outcome: StepOutcome;
}

interface Converted {
  outcome: StepOutcome;
  /** What a person must check, beyond the table's reason (each makes the step `review`). */
  review?: string[];
  /** Facts that do not need a person (e.g. what was left out because it was empty). */
  notes?: string[];
  /** Overrides the table's status (e.g. a step kept because nothing can replace it here). */
  status?: MigrationStatus;
  /** Replaces the table's reason. */
  reason?: string;
}

interface Context {
  doc: TsqDocument;
  step: StepNode;
  dependency: MdtDependency;
  entry: MappingEntry;
}

const str = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : typeof v === 'string'
      ? v.trim()
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v as number | boolean | bigint);
const value = (step: StepNode, name: string): string => str(option(step, name)?.value);
const positive = (s: string): number | undefined => (/^\d+$/.test(s) && Number(s) > 0 ? Number(s) : undefined);
const replace = (action: string, options: Record<string, unknown> = {}): StepOutcome => ({
  kind: 'replace',
  action,
  options,
});

/** What replaces `step`, given how it depends on MDT. */
export function convertStep(doc: TsqDocument, step: StepNode, dependency: MdtDependency): StepMigration {
  const entry = dependency.entry;
  const ctx: Context = { doc, step, dependency, entry };
  const c = CONVERSIONS[entry.convert](ctx);
  const status: MigrationStatus =
    c.status ?? (c.outcome.kind === 'keep' ? 'kept' : c.review?.length ? 'review' : entry.status);
  const reason = [c.reason ?? entry.reason, ...(c.review ?? []), ...(c.notes ?? [])];
  if (status === 'kept' && entry.provide) reason.push(`Provide instead: ${entry.provide}.`);
  if (status === 'kept') {
    const later = readLater(doc, step, entry);
    if (later.length) reason.push(`Later steps read ${later.join(', ')} from it.`);
  }
  return {
    step,
    dependency,
    path: pathOf(step),
    from: describeFrom(step, dependency),
    to: describeTo(c.outcome),
    status,
    reason: reason.join(' '),
    outcome: c.outcome,
  };
}

/** The variables of the entry's `readLater` that steps after `step` read (names as the sequence writes them). */
function readLater(doc: TsqDocument, step: StepNode, entry: MappingEntry): string[] {
  const names = new Map<string, string>();
  for (const wanted of entry.readLater ?? []) {
    // Reads of each name, in text order: the last one tells whether any comes after the step.
    const reads = readsByName(doc).get(wanted.toLowerCase());
    const last = reads?.[reads.length - 1];
    if (last && last.start >= step.span.end) names.set(wanted.toLowerCase(), last.name);
  }
  return [...names.values()];
}

const READS = new WeakMap<TsqDocument, Map<string, ReturnType<typeof variableReads>>>();
function readsByName(doc: TsqDocument): Map<string, ReturnType<typeof variableReads>> {
  let byName = READS.get(doc);
  if (!byName) {
    byName = new Map();
    for (const r of [...variableReads(doc)].sort((a, b) => a.start - b.start)) {
      const list = byName.get(r.name.toLowerCase()) ?? [];
      list.push(r);
      byName.set(r.name.toLowerCase(), list);
    }
    READS.set(doc, byName);
  }
  return byName;
}

function describeFrom(step: StepNode, d: MdtDependency): string {
  switch (d.use.kind) {
    case 'step':
      return `${d.entry.mdt} (MDT step)`;
    case 'script':
      return `${d.entry.mdt === 'MDT script' ? 'MDT script' : d.entry.mdt} (${d.use.script}${d.use.args ? ` ${d.use.args}` : ''})`;
    case 'share':
      return `${findStep(step.action)?.displayName ?? step.action} reading ${d.use.path}`;
    case 'form':
      return d.entry.mdt;
  }
}

function describeTo(outcome: StepOutcome): string {
  if (outcome.kind === 'remove') return '(removed)';
  if (outcome.kind === 'keep') return '(kept)';
  return findStep(outcome.action)?.displayName ?? outcome.action;
}

const CONVERSIONS: Record<MappingEntry['convert'], (ctx: Context) => Converted> = {
  keep: () => ({ outcome: { kind: 'keep' } }),
  remove: () => ({ outcome: { kind: 'remove' } }),
  toolkit: toolkit,
  'native-form': nativeForm,
  'check-readiness': checkReadiness,
  'apply-os': applyOs,
  drivers: drivers,
  'install-application': installApplication,
  powershell: powershell,
  'join-domain': joinDomain,
  bitlocker: bitlocker,
  'disable-bitlocker': () => ({ outcome: replace('DisableBitLocker') }),
  'capture-user-state': () => ({
    outcome: replace('CaptureUserState'),
    review: ['Choose the USMT package, the mode and how files in use are handled.'],
  }),
  'restore-user-state': () => ({ outcome: replace('RestoreUserState'), review: ['Choose the USMT package.'] }),
  'software-updates': () => ({
    outcome: replace('InstallSoftwareUpdates', { target: 'all' }),
    review: [
      'The step installs all deployed updates that apply (target all), the nearest to what Windows Update offered.',
    ],
  }),
  'prepare-capture': () => ({ outcome: replace('PrepareWindowsForCapture') }),
  'windows-settings': windowsSettings,
  'next-phase': nextPhase,
  'connect-folder': connectFolder,
};

/**
 * Use Toolkit Package and Copy Scripts: not needed once nothing else in the sequence depends on
 * MDT or reads where the toolkit lives; kept while something does.
 */
function toolkit({ doc, step, entry }: Context): Converted {
  const others = mdtDependencies(doc).filter(
    (d) => d.step !== step && d.dependency.use.kind !== 'form' && d.dependency.entry.convert !== 'toolkit',
  );
  const readers = new Set(['scriptroot', 'deployroot', 'toolroot', 'resourceroot', 'deploymentmethod']);
  const reads = variableReads(doc).filter((r) => readers.has(r.name.toLowerCase()) && r.node !== step);
  if (others.length === 0 && reads.length === 0) return { outcome: { kind: 'remove' } };
  const what = others.length
    ? `${others.length} other step${others.length === 1 ? '' : 's'} still depend${others.length === 1 ? 's' : ''} on MDT (first: “${others[0].step.name}”)`
    : `“${reads[0].node.name}” reads ${reads[0].name}`;
  return {
    outcome: { kind: 'keep' },
    status: 'kept',
    reason: `Kept while ${what}: ${entry.mdt} goes once every MDT step and script is replaced.`,
  };
}

/** A native step MDT wrote its own way: the same step, written as ConfigMgr writes it. */
function nativeForm({ step, dependency }: Context): Converted {
  const def = findStep(step.action);
  const options: Record<string, unknown> = {};
  const review: string[] = [];
  for (const o of step.options) {
    const p = def?.properties.find((x) => x.name === o.name);
    if (p?.mdtOnly) {
      if (str(o.value) && str(o.value).toLowerCase() !== 'false')
        review.push(`MDT's own setting \`${o.name}: ${str(o.value)}\` has no ConfigMgr counterpart and was left out.`);
      continue;
    }
    options[o.name] = o.value;
  }
  const xml = step.xml as { attributes?: { startIn?: unknown }; variables?: unknown } | undefined;
  const kept = Array.isArray(xml?.variables) ? (xml!.variables as { name?: unknown; value?: unknown }[]) : [];
  if (dependency.use.kind === 'form' && dependency.use.form === 'untyped-command') {
    if (str(keptVariable(xml, 'RunAsUser')).toLowerCase() === 'true') options.runAsUser = true;
    const user = str(keptVariable(xml, 'SMSTSRunCommandLineUserName'));
    if (user) options.userName = user;
    if (str(keptVariable(xml, 'LoadProfile')).toLowerCase() === 'true')
      review.push("MDT's 'load the user's profile' has no ConfigMgr counterpart and was left out.");
    const startIn = str(xml?.attributes?.startIn);
    if (startIn && options.workingDirectory === undefined) options.workingDirectory = startIn;
  } else {
    for (const v of kept) {
      if (typeof v.name === 'string' && str(v.value) && v.name.toLowerCase() !== 'target')
        review.push(`The MDT setting \`${v.name}=${str(v.value)}\` has no ConfigMgr counterpart and was left out.`);
    }
  }
  if (dependency.use.kind === 'form' && dependency.use.form === 'restart')
    review.unshift('Add `target: winpe` or `target: hd`.');
  return { outcome: replace(step.action, options), review };
}

function checkReadiness({ step, dependency }: Context): Converted {
  if (dependency.use.kind !== 'step') {
    return {
      outcome: replace('CheckReadiness'),
      review: [
        'The command line took its thresholds from the ImageMemory, ImageProcessorSpeed, ImageSize and VerifyOS variables: switch on the matching checks.',
      ],
    };
  }
  const options: Record<string, unknown> = {};
  const review: string[] = [];
  const carry = (mdt: string, check: string, amount: string, label: string) => {
    const raw = value(step, mdt);
    const n = positive(raw);
    if (n !== undefined) {
      options[check] = true;
      options[amount] = n;
    } else
      review.push(
        `MDT wrote ${label} as \`${raw || 'empty'}\`, read here as 'not checked' (how MDT stores a box left clear is not documented).`,
      );
  };
  carry('imageMemory', 'checkMemory', 'memory', 'the minimum memory');
  carry('imageProcessorSpeed', 'checkProcessorSpeed', 'processorSpeed', 'the minimum processor speed');
  carry('imageSize', 'checkFreeDiskSpace', 'freeDiskSpace', 'the image size');
  const os = value(step, 'verifyOs').toLowerCase();
  if (os === 'client' || os === 'server') {
    options.checkOsType = true;
    options.osType = os;
  } else if (os)
    review.push(`MDT's OS kind \`${os}\` is neither CLIENT nor SERVER; Check Readiness knows only those two.`);
  return { outcome: replace('CheckReadiness', options), review };
}

function applyOs({ step, dependency }: Context): Converted {
  const review: string[] = [];
  const options: Record<string, unknown> = {};
  if (dependency.use.kind !== 'step')
    return {
      outcome: replace('ApplyOperatingSystemImage'),
      review: [
        'Choose the OS image and its index, and where it goes (LTIApply took them from OSGUID and the Destination* variables).',
      ],
    };
  const guid = value(step, 'osGuid');
  review.push(
    `Choose the OS image and index that hold what MDT's operating system ${guid || '(none given)'} installed.`,
  );
  const type = value(step, 'destinationOsInstallType');
  const variable = value(step, 'destinationOsVariable');
  const drive = value(step, 'destinationOsDriveLetter');
  const disk = value(step, 'destinationDisk');
  const partition = value(step, 'destinationPartition');
  if (type.toLowerCase() === 'byvariable' && variable) options.destinationVariable = variable;
  else if (type.toLowerCase() === 'nextpartition' || (!type && !drive)) {
    // Apply Operating System Image goes to the next available partition when no destination is given.
  } else if (drive) options.destinationDrive = drive;
  else if (disk !== '' && partition !== '') {
    options.destinationDisk = Number(disk);
    options.destinationPartition = Number(partition);
  }
  if (type && !['byvariable', 'nextpartition'].includes(type.toLowerCase()))
    review.push(`MDT's destination type \`${type}\` is not documented: check the destination.`);
  else
    review.push(
      `The destination follows MDT's \`${type || 'next partition'}\` by its name (MDT does not document its destination types).`,
    );
  if (value(step, 'destinationOsRefresh'))
    review.push(
      `MDT's \`destinationOsRefresh: ${value(step, 'destinationOsRefresh')}\` has no documented meaning and was left out.`,
    );
  return { outcome: replace('ApplyOperatingSystemImage', options), review };
}

function drivers({ step, dependency }: Context): Converted {
  if (dependency.use.kind !== 'step') {
    return {
      outcome: replace('AutoApplyDrivers', { bestMatch: true }),
      review: [
        'The command line took its mode and drivers from DriverInjectionMode, DriverSelectionProfile and DriverGroup: choose driver categories, or a driver package with Apply Driver Package.',
      ],
    };
  }
  const mode = value(step, 'driverInjectionMode').toUpperCase();
  const profile = value(step, 'driverSelectionProfile');
  if (mode === 'ALL')
    return {
      outcome: replace('ApplyDriverPackage'),
      review: [
        `Build a driver package from the drivers of MDT's selection profile \`${profile || 'none'}\` and choose it.`,
      ],
    };
  const review =
    mode === 'AUTO' || mode === ''
      ? []
      : [`MDT's injection mode \`${mode}\` is not documented; the step matches drivers as MDT's AUTO did.`];
  if (profile && profile.toLowerCase() !== 'all drivers')
    review.push(
      `MDT's selection profile \`${profile}\` does not exist in ConfigMgr: limit the step to the driver categories that hold those drivers.`,
    );
  else review.push("Profile 'All Drivers' becomes 'consider drivers from all categories'.");
  return { outcome: replace('AutoApplyDrivers', { bestMatch: true }), review };
}

function installApplication({ step, dependency }: Context): Converted {
  const guid = dependency.use.kind === 'step' ? value(step, 'applicationGuid') : '';
  const review = guid
    ? [`Add the ConfigMgr application that replaces MDT application ${guid} to \`applications\`.`]
    : [
        'MDT installed the applications its Applications and MandatoryApplications lists named: list the ConfigMgr applications in `applications`, or name a dynamic list in `baseVariableName`.',
      ];
  const codes = dependency.use.kind === 'step' ? option(step, 'applicationSuccessCodes')?.value : undefined;
  if (Array.isArray(codes) ? codes.length : str(codes))
    review.push(`MDT's success codes (${Array.isArray(codes) ? codes.join(' ') : str(codes)}) were left out.`);
  return { outcome: replace('InstallApplication'), review };
}

function powershell({ step, dependency }: Context): Converted {
  if (dependency.use.kind !== 'step')
    return {
      outcome: replace('RunPowerShellScript'),
      review: [
        "The command line took the script and its parameters from the step's ScriptName and Parameters: give the script name and package.",
      ],
    };
  const options: Record<string, unknown> = {};
  const script = value(step, 'scriptName').replace(/^%scriptroot%[\\/]/i, '');
  if (script) options.scriptName = script;
  const parameters = value(step, 'parameters');
  if (parameters) options.parameters = parameters;
  const pkg = value(step, 'package');
  if (pkg) options.package = pkg;
  const review = [
    pkg
      ? `Check that package ${pkg} holds ${script || 'the script'} at its top level.`
      : `Put ${script || 'the script'} into a ConfigMgr package and choose it in \`package\`.`,
  ];
  return { outcome: replace('RunPowerShellScript', options), review };
}

function joinDomain({ step, dependency }: Context): Converted {
  const mode =
    (dependency.use.kind === 'step'
      ? value(step, 'domainErrorRecovery')
      : (/\/DomainErrorRecovery:(\w+)/i.exec(dependency.use.kind === 'script' ? dependency.use.args : '')?.[1] ?? '')
    ).toUpperCase() || 'AUTO';
  if (mode !== 'AUTO') {
    return {
      outcome: { kind: 'keep' },
      status: 'kept',
      reason:
        mode === 'MANUAL'
          ? 'MDT paused here for a person to join the domain by hand; ConfigMgr has no step that pauses a task sequence.'
          : `With recovery ${mode}, MDT only failed the deployment when the join had failed; ConfigMgr's join steps fail by themselves, so nothing replaces this check.`,
    };
  }
  return {
    outcome: replace('JoinDomainOrWorkgroup', {
      joinType: 'domain',
      domainName: '%JoinDomain%',
      domainOu: '%MachineObjectOU%',
      domainUsername: '%DomainAdminDomain%\\%DomainAdmin%',
      domainPassword: { missing: true },
    }),
  };
}

/** Whether an OS is applied after `step` (then BitLocker is switched on in Windows PE). */
function osAppliedAfter(doc: TsqDocument, step: StepNode): boolean {
  let seen = false;
  for (const n of walk((doc.model as SequenceModel).steps)) {
    if (n === step) seen = true;
    else if (seen && n.kind === 'step' && appliesOs(doc, n)) return true;
  }
  return false;
}

function appliesOs(doc: TsqDocument, n: StepNode): boolean {
  if (n.action === 'ApplyOperatingSystemImage' || n.action === 'InstallOperatingSystem') return true;
  return mdtDependency(doc, n)?.entry.convert === 'apply-os';
}

function bitlocker({ doc, step }: Context): Converted {
  if (osAppliedAfter(doc, step)) {
    return {
      outcome: replace('PreProvisionBitLocker'),
      review: [
        'The OS is applied after this step, so BitLocker is switched on in Windows PE: choose the drive (the OS partition), and add Enable BitLocker after the OS is installed for the protectors and the recovery key.',
      ],
    };
  }
  return {
    outcome: replace('EnableBitLocker'),
    review: [
      'Choose the protectors (`mode`) and where the recovery password goes (`createRecoveryPassword`), as BDEInstall and BDERecoveryKey said in the rules.',
    ],
  };
}

/** Configure: the first one becomes Apply Windows Settings; later ones wrote the same answer file again. */
function windowsSettings({ doc, step }: Context): Converted {
  for (const n of walk((doc.model as SequenceModel).steps)) {
    if (n === step) break;
    if (n.kind !== 'step') continue;
    const earlier = n.action === 'ApplyWindowsSettings' || mdtDependency(doc, n)?.entry.convert === 'windows-settings';
    if (earlier)
      return {
        outcome: { kind: 'remove' },
        reason: `“${n.name}” before it already writes the answer file (Apply Windows Settings); this step is not needed.`,
      };
  }
  return {
    outcome: replace('ApplyWindowsSettings'),
    review: [
      'Give the registered user and organization and the time zone (FullName, OrgName and TimeZoneName in the rules); add Apply Network Settings if the rules joined a domain.',
    ],
  };
}

const PHASES = ['VALIDATION', 'STATECAPTURE', 'PREINSTALL', 'INSTALL', 'POSTINSTALL', 'STATERESTORE'];
const PHASE_TEST = /\bphase\s*==\s*["']?([A-Za-z]+)/i;

/** Next Phase: sets Phase to the phase after the one its group runs in, while conditions read Phase. */
function nextPhase({ doc, step }: Context): Converted {
  const readers = variableReads(doc).filter((r) => r.name.toLowerCase() === 'phase' && r.inCondition);
  if (readers.length === 0)
    return {
      outcome: { kind: 'remove' },
      status: 'migrated',
      reason: 'No condition reads Phase, so no step is needed.',
    };
  let current: string | undefined;
  for (let g: SeqNode | null = step.parent; g && !current; g = g.parent) {
    const m = g.when ? PHASE_TEST.exec(g.when.text) : null;
    if (m && PHASES.includes(m[1].toUpperCase())) current = m[1].toUpperCase();
  }
  const next = current ? PHASES[PHASES.indexOf(current) + 1] : undefined;
  if (!next)
    return {
      outcome: { kind: 'keep' },
      status: 'kept',
      reason: `${readers.length} condition${readers.length === 1 ? ' reads' : 's read'} Phase, but the step is in no group of a known phase, so tsq cannot tell which phase follows.`,
    };
  return {
    outcome: replace('SetTaskSequenceVariable', { variable: 'Phase', value: next }),
    review: [`The step sets Phase to ${next}, the phase after ${current}.`],
  };
}

function connectFolder({ dependency }: Context): Converted {
  const path =
    dependency.use.kind === 'script'
      ? /\/uncpath:("[^"]+"|\S+)/i.exec(dependency.use.args)?.[1]?.replace(/"/g, '')
      : undefined;
  return {
    outcome: replace('ConnectToNetworkFolder', { ...(path ? { path } : {}), password: { missing: true } }),
    review: [path ? 'Give the account that connects.' : 'Give the folder and the account that connects.'],
  };
}
