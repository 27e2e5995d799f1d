// What each built-in action does to the simulated machine, beyond running and returning an exit
// code: partitioning formats the disk, applying an image puts Windows on it, Setup Windows and
// ConfigMgr moves into the new Windows, restarts, installs (detection for applications, none for
// packages), variables that steps set, and Set Dynamic Variables' rules. Actions not listed here
// only run: their exit code comes from the machine profile.

import { logPath, type StepBehaviour, type StepFailure, type StepRun } from './behaviour';
import { walk, type SequenceModel } from '../model/sequence';
import { decideRules } from './dynamic-rules';
import { rulesOf, type DynamicRule } from '../semantics/dynamic-rules';
import { environmentLabel, type Hardware } from './machine';
import defaults from './data/defaults.json';

const CODES = defaults.exitCodes;

function fail(exitCode: number, reason: string): StepFailure {
  return { exitCode, reason };
}

/** Steps that write into the Windows just applied (drivers, unattend settings) need one there. */
const needsWindowsOnDisk: StepBehaviour = {
  check(run) {
    const { state } = run.ctx;
    if (state.env === 'WinPE' && state.os === 'none') {
      return fail(
        CODES.notFound,
        `there is no Windows on the disk for ${run.label} to work on (apply an OS image first)`,
      );
    }
    return undefined;
  },
};

function listValue(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A dynamic list: `BASE01`, `BASE02`, ... (applications) or `BASE001`, ... (packages) until one is not set. */
function baseVariableList(run: StepRun, digits: number): string[] {
  const base = run.value('baseVariableName')?.trim();
  if (!base) return [];
  const out: string[] = [];
  for (let i = 1; i < 1000; i++) {
    const v = run.ctx.vars.get(base + String(i).padStart(digits, '0'));
    if (v === undefined) break;
    if (v.trim()) out.push(v.trim());
  }
  return out;
}

function applicationName(run: StepRun, id: string): string {
  return run.ctx.catalog.lookup('application', id)?.name ?? id;
}

function isInstalled(run: StepRun, id: string): boolean {
  const apps = run.ctx.applications;
  const name = run.ctx.catalog.lookup('application', id)?.name;
  return apps.has(id.toLowerCase()) || (name !== undefined && apps.has(name.toLowerCase()));
}

const installApplication: StepBehaviour = {
  check(run) {
    const listed = listValue(run.value('applications'));
    const dynamic = listed.length === 0 ? baseVariableList(run, 2) : [];
    for (const id of dynamic) {
      const got = run.ctx.content.fetch('application', id);
      if (got.problem) return fail(CODES.contentUnavailable, `application ${id} ${got.problem}`);
      run.addSeconds(got.seconds);
    }
    const apps = [...listed, ...dynamic];
    if (apps.length === 0) {
      run.note('no applications to install');
      return 'done';
    }
    const already = apps.filter((id) => isInstalled(run, id));
    const missing = apps.filter((id) => !isInstalled(run, id));
    if (already.length)
      run.note(
        `already installed (found by detection), not installed again: ${already.map((id) => applicationName(run, id)).join(', ')}`,
      );
    if (missing.length === 0) return 'done';
    run.scratch = missing;
    return undefined;
  },
  succeed(run) {
    const installed = (run.scratch as string[] | undefined) ?? [];
    for (const id of installed) {
      run.ctx.journal.mapSet(run.ctx.applications, id.toLowerCase(), true);
      const name = run.ctx.catalog.lookup('application', id)?.name;
      if (name) run.ctx.journal.mapSet(run.ctx.applications, name.toLowerCase(), true);
    }
    if (installed.length) run.note(`installed: ${installed.map((id) => applicationName(run, id)).join(', ')}`);
  },
  after(run, succeeded) {
    run.ctx.vars.set('_TSAppInstallStatus', succeeded ? 'Success' : 'Error');
  },
};

const packageWords = (program: string, pkg: string) =>
  `runs ${program} from ${pkg} (Install Package installs even when the software is already there)`;

const installPackage: StepBehaviour = {
  // The 2403 release notes: the retry "is activated only when the 'Continue on error' checkbox is
  // unchecked" (https://learn.microsoft.com/mem/configmgr/core/plan-design/changes/whats-new-in-version-2403).
  retries(_run, configured, continueOnError) {
    if (!continueOnError || configured === 0) return undefined;
    return {
      count: 0,
      why: 'Install Package does not retry after an unexpected restart while the step continues on error',
    };
  },
  check(run) {
    const pkg = run.value('package')?.trim();
    const dynamic = pkg ? [] : baseVariableList(run, 3);
    for (const entry of dynamic) {
      const id = entry.split(':')[0].trim();
      const got = run.ctx.content.fetch('package', id);
      if (got.problem) return fail(CODES.contentUnavailable, `package ${id} ${got.problem}`);
      run.addSeconds(got.seconds);
    }
    if (!pkg && dynamic.length === 0) {
      run.note('no packages to install');
      return 'done';
    }
    if (pkg)
      run.noteWith(
        packageWords,
        run.value('program') ?? 'its program',
        run.ctx.content.availability('package', pkg).name ?? pkg,
      );
    else run.noteWith(packageWords, 'the listed programs', dynamic.join(', '));
    return undefined;
  },
};

/** Sequences that use Setup Windows and ConfigMgr, remembered per parsed sequence. */
const deploysWithSetupWindows = new WeakMap<SequenceModel, boolean>();

function usesSetupWindows(model: SequenceModel): boolean {
  let found = deploysWithSetupWindows.get(model);
  if (found === undefined) {
    found = false;
    for (const n of walk(model.steps)) if (n.kind === 'step' && n.action === 'SetupWindowsAndConfigMgr') found = true;
    deploysWithSetupWindows.set(model, found);
  }
  return found;
}

const installSoftwareUpdates: StepBehaviour = {
  // The retry option "only applies to stand-alone task sequences. It doesn't work with OSD task
  // sequences that deploy an OS and utilize the Setup Windows and ConfigMgr task"
  // (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_InstallSoftwareUpdates).
  retries(run, configured) {
    if (configured === 0 || !usesSetupWindows(run.ctx.root)) return undefined;
    return {
      count: 0,
      why: 'Install Software Updates does not retry after an unexpected restart in a sequence that deploys Windows with Setup Windows and ConfigMgr (SMSTSWaitForSecondReboot is the setting there)',
    };
  },
};

const formatAndPartitionDisk: StepBehaviour = {
  succeed(run) {
    const { journal, state, vars } = run.ctx;
    journal.set(state, 'diskFormatted', true);
    journal.set(state, 'os', 'none');
    journal.set(state, 'client', false);
    // "In Windows PE after Format and Partition Disk step: X:\smstslog\smsts.log" (about-log-files).
    if (state.env === 'WinPE') vars.set('_SMSTSLogPath', 'X:\\SMSTSLog');
    const raw = run.node.options.find((o) => o.name === 'partitions')?.value;
    const letters: string[] = [];
    let next = 'C'.charCodeAt(0);
    for (const p of Array.isArray(raw) ? raw : []) {
      if (!p || typeof p !== 'object') continue;
      const part = p as Record<string, unknown>;
      const type = (typeof part.type === 'string' ? part.type : 'primary').toLowerCase();
      if (type === 'msr' || type === 'efi' || type === 'recovery' || type === 'hidden' || part.fileSystem === undefined)
        continue;
      const letter = `${String.fromCharCode(next++)}:`;
      letters.push(letter);
      if (typeof part.volumeLetterVariable === 'string' && part.volumeLetterVariable.trim())
        vars.set(part.volumeLetterVariable.trim(), letter);
    }
    run.note(
      `disk ${run.value('disk') ?? '0'} wiped, partitioned (${run.value('partitionStyle') ?? 'GPT'}) and formatted${letters.length ? `: ${letters.join(', ')}` : ''}`,
    );
  },
};

const applyImage = (what: 'Windows' | 'data'): StepBehaviour => ({
  check(run) {
    if (!run.ctx.state.diskFormatted)
      return fail(
        CODES.notFound,
        'the disk has no formatted partition to apply the image to (partition and format it first)',
      );
    return undefined;
  },
  succeed(run) {
    const { journal, state, catalog, vars } = run.ctx;
    const id = run.value('image') ?? run.value('upgradePackage') ?? '';
    const entry = catalog.lookup('osImage', id) ?? catalog.lookup('osUpgradePackage', id);
    const target = run.value('destinationVariable');
    const drive = target ? vars.get(target) : run.value('destinationDrive');
    const index = run.value('index') ?? run.value('editionIndex');
    if (what === 'Windows') {
      journal.set(state, 'os', 'applied');
      journal.set(state, 'client', false);
    }
    run.note(`${entry?.name ?? id}${index ? ` (index ${index})` : ''} applied${drive ? ` to ${drive}` : ''}`);
  },
});

const setupWindows: StepBehaviour = {
  // "Don't enable Continue on error on the Options tab. If there's an error during this step, the
  // task sequence fails whether or not you enable this setting."
  // (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr)
  failureEndsRun: 'Setup Windows and ConfigMgr fails the task sequence whatever continue on error says',
  check(run) {
    const { state } = run.ctx;
    if (state.env === 'WinPE' && state.os === 'none')
      return fail(CODES.failed, 'no Windows has been applied to the disk, so there is nothing to set up');
    return undefined;
  },
  succeed(run) {
    const { journal, state, vars } = run.ctx;
    journal.set(state, 'client', true);
    if (state.env === 'WinPE') {
      journal.set(state, 'os', 'installed');
      run.restart('FullOS', 'Windows setup finishes and the new Windows starts with the ConfigMgr client');
    } else {
      vars.set('_SMSTSLogPath', logPath(state));
      run.note('ConfigMgr client installed');
    }
  },
};

function restartTarget(run: StepRun): 'WinPE' | 'FullOS' {
  return /^winpe$/i.test(run.value('target')?.trim() ?? '') ? 'WinPE' : 'FullOS';
}

/** A restart into Windows PE needs the sequence's boot image, and the time to fetch it. */
function bootImageForRestart(run: StepRun): StepFailure | undefined {
  const boot = run.ctx.root.bootImage?.value.trim();
  if (!boot)
    return fail(
      CODES.notFound,
      'the task sequence has no boot image to restart into (set `bootImage:` on the top sequence)',
    );
  const got = run.ctx.content.fetch('bootImage', boot);
  if (got.problem) return fail(CODES.contentUnavailable, `boot image ${boot} ${got.problem}`);
  run.addSeconds(got.seconds);
  return undefined;
}

const restartComputer: StepBehaviour = {
  check(run) {
    return restartTarget(run) === 'WinPE' ? bootImageForRestart(run) : undefined;
  },
  succeed(run) {
    const wait = Number(run.value('messageTimeout') ?? 0);
    if (Number.isFinite(wait) && wait > 0) run.addSeconds(wait);
    const target = restartTarget(run);
    run.restart(target, `Restart Computer into ${environmentLabel(target)}`);
  },
};

/**
 * "This step runs Sysprep, and then reboots the computer into the Windows PE boot image specified
 * for the task sequence" (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_PrepareWindowsforCapture),
 * which is where Capture Operating System Image runs. Told to shut down instead, it does not restart.
 */
const prepareWindowsForCapture: StepBehaviour = {
  check(run) {
    return run.value('shutdownPreparedOs') === 'true' ? undefined : bootImageForRestart(run);
  },
  succeed(run) {
    if (run.value('shutdownPreparedOs') === 'true') run.note('Sysprep ran; the computer shuts down');
    else run.restart('WinPE', 'Sysprep ran; the computer restarts into the boot image');
  },
};

const joinDomain: StepBehaviour = {
  succeed(run) {
    const domain = /^(1|workgroup)$/i.test(run.value('joinType') ?? '')
      ? `workgroup ${run.value('workgroupName') ?? ''}`
      : `domain ${run.value('domainName') ?? ''}`;
    run.note(`joined ${domain.trim()}`);
    if (run.value('skipReboot') !== 'true') run.restart('FullOS', 'joining takes effect after a restart');
  },
};

const upgradeOs: StepBehaviour = {
  succeed(run) {
    run.restart('FullOS', 'Windows Setup restarts to finish the upgrade');
  },
  after(run, _succeeded, exitCode) {
    run.ctx.vars.set('_SMSTSOSUpgradeActionReturnCode', String(exitCode));
  },
};

const setWords = (name: string, value: string) => `${name} = "${value}"`;
const hiddenWords = (name: string) => `${name} set (value hidden)`;

const setVariable: StepBehaviour = {
  check(run) {
    const name = run.value('variable')?.trim() ?? '';
    if (!name) return fail(CODES.failed, 'no variable name given');
    if (name.startsWith('_'))
      return fail(
        CODES.accessDenied,
        `\`${name}\` is read-only: names starting with _ belong to the task sequence engine`,
      );
    return undefined;
  },
  succeed(run) {
    const name = run.value('variable')!.trim();
    const value = run.value('value') ?? '';
    // Set Task Sequence Variable is everywhere: skip looking its (usually fixed) name up again.
    const slot = run.variableSlot('variable');
    if (slot >= 0) run.ctx.vars.setAt(slot, name, value);
    else run.ctx.vars.set(name, value);
    if (run.value('hideValue') === 'true') run.noteWith(hiddenWords, name);
    else run.noteWith(setWords, name, value);
  },
};

const HARDWARE_VARIABLES: [string, keyof Hardware][] = [
  ['_SMSTSMake', 'make'],
  ['_SMSTSModel', 'model'],
  ['_SMSTSSerialNumber', 'serialNumber'],
  ['_SMSTSUUID', 'uuid'],
  ['_SMSTSAssetTag', 'assetTag'],
  ['_SMSTSMacAddresses', 'macAddress'],
  ['_SMSTSIPAddresses', 'ipAddress'],
  ['_SMSTSDefaultGateways', 'defaultGateway'],
];

const secretWords = (name: string, known: boolean) =>
  known
    ? `${name} set (value hidden)`
    : `${name} set (a value kept out of logs, not in the file: the simulation sets it empty)`;

/** The rules of a step, read once per parsed option (the XML form is parsed, the YAML form checked). */
const rulesByOption = new WeakMap<object, DynamicRule[]>();

function stepRules(run: StepRun): DynamicRule[] {
  const opt = run.node.options.find((o) => o.name === 'rules');
  if (!opt) return [];
  let rules = rulesByOption.get(opt);
  if (!rules) rulesByOption.set(opt, (rules = rulesOf(opt.value)));
  return rules;
}

const setDynamicVariables: StepBehaviour = {
  succeed(run) {
    const { vars, machine, conditionEnv } = run.ctx;
    for (const [name, field] of HARDWARE_VARIABLES) vars.set(name, machine.hardware[field]);
    // Every rule is decided in order against the machine as it is when the step starts; each true
    // rule sets its variables, so a later rule wins over an earlier one for the same variable.
    decideRules(stepRules(run), conditionEnv, machine.hardware).forEach((d, i) => {
      const which = d.rule.condition ? `rule ${i + 1}` : `entry ${i + 1} (variables without a rule)`;
      if (!d.applies) {
        run.note(`${which} does not apply: ${d.why}`);
        return;
      }
      const set: string[] = [];
      for (const v of d.rule.variables) {
        if (v.name.startsWith('_')) {
          run.note(`${which} cannot set \`${v.name}\`: it is read-only`, 'warning');
          continue;
        }
        vars.set(v.name, v.value);
        set.push(v.secret ? secretWords(v.name, v.value !== '') : `${v.name} = "${v.value}"`);
      }
      run.note(`${which} applies (${d.why})${set.length ? `: ${set.join(', ')}` : ''}`);
    });
  },
};

const commandLine: StepBehaviour = {
  after(run) {
    const out = run.value('outputVariable')?.trim();
    if (out && !out.startsWith('_')) run.ctx.vars.set(out, run.outcome?.output ?? '');
  },
};

const downloadPackageContent: StepBehaviour = {
  succeed(run) {
    const base = run.value('destinationVariable')?.trim();
    const ids = listValue(run.value('packages'));
    if (base)
      ids.forEach((id, i) =>
        run.ctx.vars.set(`${base}${String(i + 1).padStart(2, '0')}`, `C:\\_SMSTaskSequence\\Packages\\${id}`),
      );
    run.note(`downloaded ${ids.join(', ') || 'nothing'}`);
  },
};

export const BEHAVIOURS: Readonly<Record<string, StepBehaviour>> = {
  FormatAndPartitionDisk: formatAndPartitionDisk,
  ApplyOperatingSystemImage: applyImage('Windows'),
  ApplyDataImage: applyImage('data'),
  ApplyDriverPackage: needsWindowsOnDisk,
  AutoApplyDrivers: needsWindowsOnDisk,
  ApplyWindowsSettings: needsWindowsOnDisk,
  ApplyNetworkSettings: needsWindowsOnDisk,
  SetupWindowsAndConfigMgr: setupWindows,
  RestartComputer: restartComputer,
  PrepareWindowsForCapture: prepareWindowsForCapture,
  JoinDomainOrWorkgroup: joinDomain,
  UpgradeOperatingSystem: upgradeOs,
  InstallApplication: installApplication,
  InstallPackage: installPackage,
  InstallSoftwareUpdates: installSoftwareUpdates,
  SetTaskSequenceVariable: setVariable,
  SetDynamicVariables: setDynamicVariables,
  RunCommandLine: commandLine,
  RunPowerShellScript: commandLine,
  DownloadPackageContent: downloadPackageContent,
};
