// Runs from media (simulator/media-run.ts): stand-alone media have no network — a step that
// needs it fails as ConfigMgr would, content not on the media fails, steps guarded with
// `_SMSTSMediaType != "FullMedia"` are skipped; media of another architecture start and then
// fail; media outside their validity dates do not start; bootable media run a deployment made
// available to media and PXE, with content from the network.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaModel } from '../../server/src/model/media';
import { parseDocument } from '../../server/src/model/document';
import { mediaRunProblem, startFromMedia, type MediaRun } from '../../server/src/simulator/media-run';
import { parseLocalDateTime } from '../../server/src/schedule/local-time';
import { renderRunJson } from '../../server/src/simulator/run-report';
import rules from '../../server/src/simulator/data/deployments-and-media.json';
import defaults from '../../server/src/simulator/data/defaults.json';
import { machineModel, recordOf, statusOf, workspaceOf } from './helpers';

const CATALOG = `catalog: Site
packages:
  - { id: CM100077, name: Scripts, distributed: true }
  - { id: CM100078, name: Branding, distributed: true, sizeMB: 600 }
osImages:
  - { id: CM100042, name: Windows 11, architecture: x64, indexes: [3] }
bootImages:
  - { id: CM100005, name: Boot image (x64), architecture: x64 }
collections:
  - { id: CM100016, name: Pilot laptops }
`;

const SEQUENCE = `sequence: Offline build
bootImage: CM100005
steps:
  - group: Install
    when: _SMSTSInWinPE == "true"
    steps:
      - { name: Partition, action: FormatAndPartitionDisk, with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] } }
      - { name: Apply, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 3 } }
  - { name: Map the share, action: ConnectToNetworkFolder, continueOnError: true, with: { path: '\\\\fs01\\tools', driveLetter: 'T:', account: CONTOSO\\svc } }
  - { name: Drivers from the catalog, action: AutoApplyDrivers, continueOnError: true, when: _SMSTSMediaType != "FullMedia" }
  - { name: Drivers online, action: AutoApplyDrivers, continueOnError: true }
  - { name: Branding, run: cmd /c brand.cmd, package: CM100078, continueOnError: true }
  - { name: Chosen at run time, run: cmd /c tool.cmd, package: "%ToolPackage%", continueOnError: true }
`;

const STANDALONE = `media: Offline
type: standalone
sequence: ./main.tsq.yaml
validFrom: 2025-03-01
validUntil: 2025-06-30 23:59
variables:
  ToolPackage: CM100099
  Ring: offline
`;

function fromMedia(
  media: string,
  machine = 'startsIn: winpe\ndisk: raw',
  options: { at?: string; deployment?: string } = {},
): MediaRun {
  const files: Record<string, string> = { main: SEQUENCE, 'catalog.tsq.yaml': CATALOG, 'media.tsq.yaml': media };
  if (options.deployment) files['dep.tsq.yaml'] = options.deployment;
  const { ws, main } = workspaceOf(files as { main: string });
  const r = startFromMedia(ws, ws.get('/t/media.tsq.yaml')!, main, {
    machine: machineModel(machine),
    at: options.at ? parseLocalDateTime(options.at) : undefined,
    deployment: options.deployment ? ws.get('/t/dep.tsq.yaml') : undefined,
  });
  r.sim?.run();
  return r;
}

describe('stand-alone media: no network', () => {
  it('fail a step that needs the network, as ConfigMgr does, with the reason', () => {
    const r = fromMedia(STANDALONE);
    const sim = r.sim!;
    assert.equal(statusOf(sim, 'Map the share'), 'failed-continued');
    assert.equal(recordOf(sim, 'Map the share').exitCode, rules.exitCodes.networkUnreachable);
    assert.match(
      recordOf(sim, 'Map the share').reason ?? '',
      /needs the network, and stand-alone media run without one: it connects to a network share/,
    );
    assert.equal(statusOf(sim, 'Drivers online'), 'failed-continued');
    assert.match(recordOf(sim, 'Drivers online').reason ?? '', /asks the management point/);
  });

  it('skip what a `_SMSTSMediaType != "FullMedia"` condition keeps off stand-alone media', () => {
    const sim = fromMedia(STANDALONE).sim!;
    assert.equal(sim.vars.get('_SMSTSMediaType'), 'FullMedia');
    assert.equal(statusOf(sim, 'Drivers from the catalog'), 'skipped');
    const fromWindows = fromMedia(STANDALONE, 'startsIn: fullos').sim!;
    assert.equal(fromWindows.vars.get('_SMSTSMediaType'), 'FullMedia', 'also when the media is started from Windows');
    assert.equal(statusOf(fromWindows, 'Drivers from the catalog'), 'skipped');
  });

  it('take the content they carry from the media, without downloads, and fail content they do not carry', () => {
    const sim = fromMedia(STANDALONE).sim!;
    assert.equal(statusOf(sim, 'Branding'), 'succeeded');
    assert.equal(
      recordOf(sim, 'Branding').end - recordOf(sim, 'Branding').start,
      defaults.stepSeconds.RunCommandLine * 1000,
      'no download time: 600 MB come from the media',
    );
    assert.equal(statusOf(sim, 'Chosen at run time'), 'failed-continued');
    assert.match(
      recordOf(sim, 'Chosen at run time').reason ?? '',
      /CM100099 is not on the stand-alone media, and there is no network/,
    );
    assert.equal(recordOf(sim, 'Chosen at run time').exitCode, defaults.exitCodes.contentUnavailable);
  });

  it('fail every step that needs content when the media carries none', () => {
    const sim = fromMedia(`${STANDALONE}includeContent: false\n`).sim!;
    assert.equal(statusOf(sim, 'Install/Apply'), 'failed');
    assert.match(recordOf(sim, 'Install/Apply').reason ?? '', /CM100042 is not on the stand-alone media/);
  });

  it('set the media’s variables, and no deployment ID', () => {
    const sim = fromMedia(STANDALONE).sim!;
    assert.equal(sim.vars.get('Ring'), 'offline');
    assert.equal(sim.vars.get('_SMSTSAdvertID'), '');
  });

  it('list the steps that need the network, leaving out those the conditions skip', () => {
    const r = fromMedia(STANDALONE);
    assert.deepEqual([...r.networkSteps.keys()].map((s) => s.name).sort(), ['Drivers online', 'Map the share']);
    assert.equal(r.network, false);
    const json = renderRunJson({ sim: r.sim, before: r.events, media: r, start: r.sim!.startTime });
    assert.deepEqual(json.media?.stepsNeedingNetwork.sort(), ['Drivers online', 'Map the share']);
  });
});

describe('media dates and architecture', () => {
  it('start on the media’s first valid day by default', () => {
    const r = fromMedia(STANDALONE);
    assert.equal(r.sim?.startTime, parseLocalDateTime('2025-03-01')! * 60_000);
  });

  it('do not start outside their validity dates', () => {
    for (const [when, why] of [
      ['2025-02-28 23:00', /valid only from Saturday 2025-03-01 00:00/],
      ['2025-07-01 08:00', /expired at Monday 2025-06-30 23:59/],
    ] as const) {
      const sim = fromMedia(STANDALONE, undefined, { at: when }).sim!;
      assert.equal(sim.ended, 'failed');
      assert.equal(sim.records.length, 0);
      assert.equal(sim.failure?.exitCode, rules.exitCodes.mediaNotValid);
      assert.match(sim.failure?.reason ?? '', why);
    }
  });

  it('of another architecture than the computer start, and the run then fails whatever continue on error says', () => {
    const r = fromMedia(STANDALONE, 'architecture: arm64\nstartsIn: winpe\ndisk: raw');
    assert.deepEqual(r.architecture, { value: 'x64', source: 'boot image CM100005' });
    const log = r.sim!.log.slice().map((e) => e.message);
    assert.match(log[0], /Task sequence "Offline build" starts on/);
    assert.equal(r.sim?.ended, 'failed');
    assert.equal(r.sim?.failure?.fatal, true);
    assert.match(
      r.sim?.failure?.reason ?? '',
      /the arm64 UEFI computer started the x64 media \(boot image CM100005\), which ConfigMgr does not check up front/,
    );
    assert.ok(r.events.some((e) => /does not check the computer’s architecture/.test(e.message)));
  });

  it('of x86 start on an x64 computer with BIOS, as the engine’s rule for boot images says', () => {
    const media = `${STANDALONE.replace('./main.tsq.yaml', './main.tsq.yaml\narchitecture: x86')}`;
    const { ws, main } = workspaceOf({ main: SEQUENCE.replace('bootImage: CM100005\n', ''), 'media.tsq.yaml': media });
    const r = startFromMedia(ws, ws.get('/t/media.tsq.yaml')!, main, {
      machine: machineModel('architecture: x64\nfirmware: bios'),
    });
    assert.equal(r.architecture?.source, '`architecture:`');
    assert.equal(r.sim?.options.startFailure, undefined);
  });
});

describe('bootable media', () => {
  const BOOTABLE = 'media: Rescue\ntype: bootable\nbootImage: CM100005\n';
  const DEPLOYMENT =
    'deployment: Rebuild\nid: CM120002\nsequence: ./main.tsq.yaml\ncollection: CM100016\nmakeAvailableTo: mediaAndPxe\n';

  it('run a deployment made available to media and PXE, with the network and downloads', () => {
    const r = fromMedia(BOOTABLE, undefined, { deployment: DEPLOYMENT });
    const sim = r.sim!;
    assert.equal(r.network, true);
    assert.equal(sim.vars.get('_SMSTSMediaType'), 'BootMedia');
    assert.equal(sim.vars.get('_SMSTSAdvertID'), 'CM120002');
    assert.equal(statusOf(sim, 'Drivers online'), 'succeeded', 'the network is there');
    assert.ok(
      recordOf(sim, 'Branding').end - recordOf(sim, 'Branding').start > defaults.stepSeconds.RunCommandLine * 1000,
      'the package is downloaded',
    );
  });

  it('are not offered a deployment made available to clients only', () => {
    const r = fromMedia(BOOTABLE, undefined, { deployment: DEPLOYMENT.replace('mediaAndPxe', 'clients') });
    assert.equal(r.sim, undefined);
    assert.match(r.notStarted ?? '', /available to ConfigMgr clients only/);
  });

  it('fail at once when the deployment’s content cannot be found', () => {
    const r = fromMedia(BOOTABLE, 'startsIn: winpe\ndisk: raw\ncontentArrives: { CM100078: never }', {
      deployment: DEPLOYMENT,
    });
    assert.equal(r.sim?.ended, 'failed');
    assert.equal(r.sim?.records.length, 0);
  });
});

describe('which media can run a sequence', () => {
  const media = (text: string) => parseDocument('/m.tsq.yaml', `media: M\n${text}`).model as MediaModel;
  it('names what is missing or does not fit', () => {
    assert.match(mediaRunProblem(media('type: capture\n'), false) ?? '', /run no task sequence/);
    assert.match(mediaRunProblem(media('type: bootable\n'), false) ?? '', /give the deployment too/);
    assert.match(mediaRunProblem(media('type: standalone\n'), true) ?? '', /no deployment applies/);
    assert.equal(mediaRunProblem(media('type: standalone\n'), false), undefined);
    assert.equal(mediaRunProblem(media('type: bootable\n'), true), undefined);
  });
});
