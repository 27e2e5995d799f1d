// A simulated run started from task sequence media (the media types of
// https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSCreateMedia): stand-alone media
// carry the sequence and its content and run without any network — a step that needs the network
// fails, content not on the media fails, steps guarded by `_SMSTSMediaType != "FullMedia"` are
// skipped; bootable media start Windows PE and run a deployment made available to media and PXE,
// with content from the network; prestaged media run their sequence with the network. Media used
// outside their validity dates do not start; media of another architecture than the computer
// start and the run then fails (ConfigMgr does not check it up front). Drives the engine through
// its public options; the run is returned unstarted.

import type { TsqDocument } from '../model/document';
import type { MachineModel } from '../model/machine';
import type { MediaModel, MediaType } from '../model/media';
import type { SequenceModel, StepNode } from '../model/sequence';
import type { Architecture } from '../model/architecture';
import { reachesMediaAndPxe, type DeploymentModel } from '../model/deployment';
import type { Workspace } from '../semantics/workspace';
import { closureReferences, sequenceClosure } from '../semantics/sequence-closure';
import { standaloneProblems } from '../semantics/standalone-media';
import { describeLocalDateTime, type LocalMinutes } from '../schedule/local-time';
import { Simulation } from './engine';
import { deploymentOptions } from './deployment-options';
import { contentKey } from './content';
import type { LogEvent } from './log';
import type { ContentMode, MediaSource, SimulationOptions } from './types';
import { unreachableAt } from './content-arrival';
import { clientEvent, clockOf, minutesOf, TS_BOOTSTRAP } from './client-events';
import rules from './data/deployments-and-media.json';
import defaults from './data/defaults.json';

export interface MediaRun {
  doc: TsqDocument;
  media: MediaModel;
  type: MediaType;
  /** The media's architecture (its boot image's, else its `architecture:`) and where that comes from. */
  architecture?: { value: Architecture; source: string };
  /** Stand-alone media: no network. */
  network: boolean;
  /** When the computer starts from the media. */
  start: LocalMinutes;
  /** Steps that cannot run here because they need the network, with why. */
  networkSteps: Map<StepNode, string>;
  events: LogEvent[];
  /** The run, ready to `run()` or `tick()`; undefined when it cannot start at all. */
  sim?: Simulation;
  /** Why nothing runs. */
  notStarted?: string;
}

export interface MediaRunOptions {
  machine?: MachineModel;
  /** When the computer starts from the media; default its first valid day, else the simulator's default start. */
  at?: LocalMinutes;
  /** A deployment the media runs (bootable and prestaged media run what the site deploys). */
  deployment?: TsqDocument;
  /** Overrides the deployment's content option. */
  content?: ContentMode;
  history?: boolean;
}

const TYPE_LABEL: Record<MediaType, string> = {
  standalone: 'stand-alone',
  bootable: 'bootable',
  prestaged: 'prestaged',
  capture: 'capture',
};
const DEFAULT_START: LocalMinutes = minutesOf(Date.parse(defaults.startTime));

/**
 * Why this media cannot run a sequence in the simulator, in words; undefined when it can. Front
 * ends ask before loading the sequence: which one runs depends on the media type.
 */
export function mediaRunProblem(media: MediaModel, hasDeployment: boolean): string | undefined {
  const type = media.mediaType;
  if (!type)
    return `the media type ${media.type ? `\`${media.type.value}\` ` : ''}is not one of standalone, bootable, prestaged or capture`;
  if (type === 'capture')
    return 'capture media capture a computer built outside ConfigMgr; they run no task sequence to simulate';
  if (type === 'bootable' && !hasDeployment)
    return 'bootable media run what the site deploys to the computer: give the deployment too';
  if (type === 'standalone' && hasDeployment)
    return 'stand-alone media carry their own sequence and run without the site, so no deployment applies';
  return undefined;
}

/** The media's architecture: its boot image's (bootable media: its own; else the sequence's) when the catalog says, else `architecture:`. */
function mediaArchitecture(ws: Workspace, media: MediaModel, sequence: SequenceModel): MediaRun['architecture'] {
  const bootId = media.bootImage?.value.trim() || sequence.bootImage?.value.trim();
  const archs = bootId ? (ws.catalog.lookup('bootImage', bootId)?.architectures ?? []) : [];
  if (archs.length === 1) return { value: archs[0], source: `boot image ${bootId}` };
  return media.architecture ? { value: media.architecture.value, source: '`architecture:`' } : undefined;
}

/** The engine's rule for boot images: the same architecture, or x86 media on an x64 computer with BIOS. */
function canStart(media: Architecture, machine: Architecture, firmware: string): boolean {
  return media === machine || (media === 'x86' && machine === 'x64' && firmware === 'bios');
}

/** Prepares the run of `sequence` from the media in `mediaDoc` on `options.machine`. */
export function startFromMedia(
  ws: Workspace,
  mediaDoc: TsqDocument,
  sequence: TsqDocument,
  options: MediaRunOptions = {},
): MediaRun {
  const media = mediaDoc.model as MediaModel;
  const type = media.mediaType ?? 'bootable';
  const seqModel = sequence.model as SequenceModel;
  const start = options.at ?? media.validFrom?.value ?? DEFAULT_START;
  const network = type !== 'standalone';
  const run: MediaRun = {
    doc: mediaDoc,
    media,
    type,
    network,
    start,
    networkSteps: new Map(),
    events: [],
    architecture: mediaArchitecture(ws, media, seqModel),
  };
  const say = (severity: 'info' | 'warning' | 'error', message: string) =>
    run.events.push(clientEvent(start, severity, TS_BOOTSTRAP, message));

  const arch = run.architecture;
  say(
    'info',
    `The computer starts from the ${TYPE_LABEL[type]} media "${media.name}"${arch ? ` (${arch.value}, from its ${arch.source})` : ''}`,
  );
  const deployment = options.deployment?.model as DeploymentModel | undefined;
  if (deployment && !reachesMediaAndPxe(deployment)) {
    run.notStarted = `the deployment "${deployment.name}" is made available to ConfigMgr clients only, so computers started from media are not offered it`;
    say('error', `No deployment to run: ${run.notStarted}`);
    return run;
  }

  const members = sequenceClosure(ws, sequence);
  const onMedia = new Set<string>();
  if (type === 'standalone' || type === 'prestaged') {
    for (const r of closureReferences(members)) onMedia.add(contentKey(r.kind, r.id));
    for (const boot of [media.bootImage?.value, seqModel.bootImage?.value])
      if (boot?.trim()) onMedia.add(contentKey('bootImage', boot.trim()));
  }
  const carriesContent = media.includeContent?.value !== false;
  const source: MediaSource = { type, holds: (kind, id) => carriesContent && onMedia.has(contentKey(kind, id)) };
  if (!network) {
    say(
      'info',
      carriesContent
        ? 'No network: the sequence and its content come from the media'
        : 'No network, and the media carries no content (includeContent: false): every step that needs content fails',
    );
    for (const p of standaloneProblems(members)) {
      if (p.step && p.step.action !== 'SetTaskSequenceVariable' && !run.networkSteps.has(p.step))
        run.networkSteps.set(p.step, `it needs the network, and stand-alone media run without one: ${p.reason}`);
    }
  }

  const simOptions: SimulationOptions = { media: source, history: options.history, startTime: clockOf(start) };
  if (deployment) Object.assign(simOptions, deploymentOptions(ws, options.deployment), { failOnContentProblems: true });
  if (options.content) simOptions.content = options.content;
  if (Object.keys(media.variables).length)
    simOptions.collectionVariables = { ...media.variables, ...simOptions.collectionVariables };
  if (network) simOptions.unreachableContent = unreachableAt(options.machine, start);
  if (run.networkSteps.size)
    simOptions.refuseStep = (step) => {
      const reason = run.networkSteps.get(step);
      return reason ? { exitCode: rules.exitCodes.networkUnreachable, reason } : undefined;
    };

  const validity = invalidAt(media, start);
  const machineArch = options.machine?.architecture?.value ?? 'x64';
  const firmware = options.machine?.firmware?.value.toLowerCase() === 'bios' ? 'bios' : 'uefi';
  if (validity) {
    say('error', `The media does not start: ${validity}`);
    simOptions.startFailure = { exitCode: rules.exitCodes.mediaNotValid, reason: validity };
  } else if (arch && !canStart(arch.value, machineArch, firmware)) {
    const reason = `the ${machineArch} ${firmware === 'uefi' ? 'UEFI' : 'BIOS'} computer started the ${arch.value} media (${arch.source}), which ConfigMgr does not check up front, and the task sequence cannot go on with it`;
    say('warning', 'The media does not check the computer’s architecture before it starts');
    simOptions.startFailure = { exitCode: defaults.exitCodes.failed, reason };
  }
  run.sim = new Simulation(ws, sequence, options.machine, simOptions);
  return run;
}

/** Why the media may not run at `at` (its validity dates), or undefined. */
function invalidAt(media: MediaModel, at: LocalMinutes): string | undefined {
  if (media.validFrom && at < media.validFrom.value)
    return `the media is valid only from ${describeLocalDateTime(media.validFrom.value)}`;
  if (media.validUntil && at > media.validUntil.value)
    return `the media expired at ${describeLocalDateTime(media.validUntil.value)}`;
  return undefined;
}
