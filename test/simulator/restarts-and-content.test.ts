// Restarts and the environment (Windows PE / full OS), the disk, and content: Restart Computer,
// Setup Windows and ConfigMgr, 3010 from installs, script-requested restarts, ConfigMgr's rule that
// a restart without a formatted partition fails the run whatever the error handling
// (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSRun), steps in the
// wrong environment, and the client's content check in each content mode.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, statusOf, recordOf, notes } from './helpers';
import defaults from '../../server/src/simulator/data/defaults.json';

const CATALOG = `catalog: Site
siteCode: CM1
packages:
  - { id: CM100077, name: Scripts, distributed: true, share: true }
  - { id: CM100078, name: Branding, distributed: false }
  - { id: CM100079, name: No share, share: false }
osImages:
  - { id: CM100042, name: Windows 11, architecture: x64, indexes: [3], sizeMB: 6000 }
bootImages:
  - { id: CM100005, name: Boot image (x64), architecture: x64 }
`;

const BARE_METAL = `sequence: Bare metal
bootImage: CM100005
steps:
  - { name: Partition, action: FormatAndPartitionDisk, with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] } }
  - { name: Apply, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 3 } }
  - { name: Setup, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100077 } }
  - { name: In Windows, run: cmd /c echo %_SMSTSInWinPE% }
  - { name: Back to PE, action: RestartComputer, with: { target: winpe } }
  - { name: In PE, run: cmd /c echo %_SMSTSInWinPE% }
`;

describe('environments and restarts', () => {
  it('moves from Windows PE into the new Windows with Setup Windows and ConfigMgr, and back with Restart Computer', () => {
    const sim = simulate({ main: BARE_METAL, 'catalog.tsq.yaml': CATALOG }, 'startsIn: winpe\ndisk: raw');
    assert.equal(sim.ended, 'succeeded', sim.failure?.reason);
    const log = sim.log
      .slice()
      .map((e) => e.message)
      .join('\n');
    assert.match(log, /In Windows.*echo false/);
    assert.match(log, /In PE.*echo true/);
    assert.equal(sim.state.restarts, 2);
    assert.match(notes(sim, 'Setup'), /restarted into the full OS/);
  });

  it('restarts into Windows PE after Prepare Windows for Capture, where Capture Operating System Image runs (build and capture)', () => {
    // "This step runs Sysprep, and then reboots the computer into the Windows PE boot image specified
    // for the task sequence": https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_PrepareWindowsforCapture
    const capture =
      BARE_METAL.replace(/  - \{ name: Back to PE.*\n[^]*$/, '') +
      `  - { name: Sysprep, action: PrepareWindowsForCapture }
  - { name: Capture, action: CaptureOperatingSystemImage, with: { captureDestination: '\\\\server\\captures\\ref.wim', captureUsername: 'CONTOSO\\capture' } }
`;
    const sim = simulate({ main: capture, 'catalog.tsq.yaml': CATALOG }, 'startsIn: winpe\ndisk: raw');
    assert.equal(statusOf(sim, 'Capture'), 'succeeded', recordOf(sim, 'Capture').reason);
    assert.match(notes(sim, 'Sysprep'), /restarted into Windows PE/);
  });

  it('fails Setup Windows and ConfigMgr when no Windows was applied', () => {
    const sim = simulate(
      { main: BARE_METAL.replace(/  - \{ name: Apply.*\n/, ''), 'catalog.tsq.yaml': CATALOG },
      'disk: raw',
    );
    assert.equal(statusOf(sim, 'Setup'), 'failed');
    assert.match(recordOf(sim, 'Setup').reason ?? '', /no Windows has been applied/);
  });

  it('fails Restart Computer into Windows PE when the sequence has no boot image', () => {
    const sim = simulate(
      'sequence: S\nsteps:\n  - { name: To PE, action: RestartComputer, with: { target: winpe }, continueOnError: true }\n',
      'startsIn: fullos',
    );
    assert.equal(statusOf(sim, 'To PE'), 'failed-continued');
    assert.match(recordOf(sim, 'To PE').reason ?? '', /no boot image/);
  });

  it('fails the whole run when a restart finds no formatted partition, whatever continue on error says', () => {
    const sim = simulate(
      `sequence: S
bootImage: CM100005
steps:
  - group: Lenient
    continueOnError: true
    steps:
      - { name: Restart, action: RestartComputer, with: { target: winpe }, continueOnError: true }
  - { name: Never, run: cmd /c x }
`,
      'startsIn: winpe\ndisk: raw',
    );
    assert.equal(sim.ended, 'failed');
    assert.equal(sim.failure?.fatal, true);
    assert.match(sim.failure?.reason ?? '', /no formatted partition/);
    assert.equal(statusOf(sim, 'Never'), 'not reached');
    assert.equal(statusOf(sim, 'Lenient'), 'failed');
  });

  it('lets Format and Partition Disk make a restart possible', () => {
    const sim = simulate(
      {
        main: `sequence: S
bootImage: CM100005
steps:
  - { name: Partition, action: FormatAndPartitionDisk, with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] } }
  - { name: Restart, action: RestartComputer, with: { target: winpe } }
`,
        'catalog.tsq.yaml': CATALOG,
      },
      'disk: raw',
    );
    assert.equal(sim.ended, 'succeeded', sim.failure?.reason);
  });

  it('restarts after an install that returns 3010 and goes on with the next step', () => {
    const sim = simulate(
      {
        main: `sequence: S
steps:
  - { name: Branding, id: b, action: InstallPackage, with: { package: CM100077, program: Install } }
  - { name: Next, run: cmd /c x }
`,
        'catalog.tsq.yaml': CATALOG,
      },
      'startsIn: fullos\noutcomes: { b: { exitCode: 3010 } }',
    );
    assert.equal(statusOf(sim, 'Branding'), 'succeeded');
    assert.equal(sim.state.restarts, 1);
    assert.equal(statusOf(sim, 'Next'), 'succeeded');
  });

  it('restarts after a step when a script sets SMSTSRebootRequested', () => {
    const sim = simulate(
      'sequence: S\nsteps:\n  - { name: Script, id: s, run: cmd /c x }\n',
      'startsIn: fullos\noutcomes: { s: { variables: { SMSTSRebootRequested: HD } } }',
    );
    assert.equal(sim.state.restarts, 1);
    assert.equal(sim.vars.get('_SMSTSInWinPE'), 'false');
  });

  it('cannot start a boot image of another architecture, at the start or on a restart into Windows PE', () => {
    const arm = simulate({ main: BARE_METAL, 'catalog.tsq.yaml': CATALOG }, 'architecture: arm64\nstartsIn: winpe');
    assert.equal(arm.ended, 'failed');
    assert.equal(arm.records.length, 0);
    assert.match(arm.failure?.reason ?? '', /arm64 UEFI computer cannot start the x64 boot image CM100005/);
    const x86Catalog = CATALOG.replace(
      '{ id: CM100005, name: Boot image (x64), architecture: x64 }',
      '{ id: CM100005, name: Boot image (x86), architecture: x86 }',
    );
    const toPe =
      'sequence: S\nbootImage: CM100005\nsteps:\n  - { name: Back to PE, action: RestartComputer, with: { target: winpe } }\n';
    const uefi = simulate({ main: toPe, 'catalog.tsq.yaml': x86Catalog }, 'startsIn: fullos');
    assert.equal(statusOf(uefi, 'Back to PE'), 'failed', 'the step that cannot restart has failed itself');
    assert.match(uefi.failure?.reason ?? '', /x64 UEFI computer cannot start the x86 boot image/);
    const bios = simulate({ main: toPe, 'catalog.tsq.yaml': x86Catalog }, 'startsIn: fullos\nfirmware: bios');
    assert.equal(bios.ended, 'succeeded', 'an x64 BIOS computer starts an x86 boot image');
  });

  it('fails a step whose environment does not match where the computer is', () => {
    const sim = simulate(
      'sequence: S\nsteps:\n  - { name: Apps, action: InstallApplication, with: { applications: [A] } }\n',
      'startsIn: winpe',
    );
    const r = recordOf(sim, 'Apps');
    assert.equal(r.status, 'failed');
    assert.equal(r.exitCode, defaults.exitCodes.wrongEnvironment);
    assert.match(r.reason ?? '', /runs only in the full OS, but the computer is in Windows PE/);
  });

  it('fails Apply Operating System Image on a disk without a formatted partition', () => {
    const sim = simulate(
      {
        main: 'sequence: S\nsteps:\n  - { name: Apply, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 3 } }\n',
        'catalog.tsq.yaml': CATALOG,
      },
      'disk: raw',
    );
    assert.match(recordOf(sim, 'Apply').reason ?? '', /no formatted partition/);
  });
});

describe('content', () => {
  const seq = `sequence: Content
steps:
  - { name: First, run: cmd /c x, package: CM100077 }
  - { name: Undistributed, run: cmd /c x, package: CM100078, continueOnError: true }
  - { name: Last, run: cmd /c x }
`;
  const files = { main: seq, 'catalog.tsq.yaml': CATALOG };

  it('with "download all content before starting", a problem fails the run before any step', () => {
    const sim = simulate(files, 'startsIn: fullos', { content: 'downloadAll' });
    assert.equal(sim.ended, 'failed');
    assert.equal(sim.records.length, 0);
    assert.match(sim.failure?.reason ?? '', /package CM100078 is not distributed/);
  });

  it('with "download when needed", the step that needs the content fails', () => {
    const sim = simulate(files, 'startsIn: fullos', { content: 'downloadWhenNeeded' });
    assert.equal(statusOf(sim, 'First'), 'succeeded');
    assert.equal(statusOf(sim, 'Undistributed'), 'failed-continued');
    assert.equal(recordOf(sim, 'Undistributed').exitCode, defaults.exitCodes.contentUnavailable);
    assert.equal(statusOf(sim, 'Last'), 'succeeded');
    assert.deepEqual(
      sim.contentProblems.map((p) => p.id),
      ['CM100078'],
      'the check before the first step already knew',
    );
  });

  it('fails a reference the site does not have', () => {
    const sim = simulate(
      {
        main: 'sequence: S\nsteps:\n  - { name: Missing, run: cmd /c x, package: CM100099 }\n',
        'catalog.tsq.yaml': CATALOG,
      },
      'startsIn: fullos',
    );
    assert.match(recordOf(sim, 'Missing').reason ?? '', /CM100099 does not exist on the site/);
  });

  it('running from the distribution point needs a package share', () => {
    const sim = simulate(
      {
        main: 'sequence: S\nsteps:\n  - { name: No share, run: cmd /c x, package: CM100079 }\n',
        'catalog.tsq.yaml': CATALOG,
      },
      'startsIn: fullos',
      { content: 'runFromDistributionPoint' },
    );
    assert.match(recordOf(sim, 'No share').reason ?? '', /no package share/);
  });

  it('without a catalog, assumes content is there and says it did not check', () => {
    const sim = simulate(seq, 'startsIn: fullos');
    assert.equal(sim.ended, 'succeeded');
    assert.match(
      sim.log
        .slice()
        .map((e) => e.message)
        .join('\n'),
      /not checked: no catalog/,
    );
  });

  it('from stand-alone media, fails content the media does not carry', () => {
    const sim = simulate({ main: seq, 'catalog.tsq.yaml': CATALOG }, 'startsIn: fullos', {
      media: { type: 'standalone', holds: (_kind, id) => id !== 'CM100077' },
    });
    assert.match(recordOf(sim, 'First').reason ?? '', /not on the stand-alone media/);
    assert.equal(sim.vars.get('_SMSTSAdvertID'), '');
  });

  it('downloads content once, taking time by its size', () => {
    const sim = simulate(
      {
        main: `sequence: S
steps:
  - { name: Partition, action: FormatAndPartitionDisk, with: { disk: 0, partitionStyle: gpt, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] } }
  - { name: Apply, id: a, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 3 } }
  - { name: Apply again, id: b, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 3 } }
`,
        'catalog.tsq.yaml': CATALOG,
      },
      'downloadMBps: 100\noutcomes: { a: { duration: 0 }, b: { duration: 0 } }',
    );
    assert.equal(recordOf(sim, 'Apply').end - recordOf(sim, 'Apply').start, 60_000, '6000 MB at 100 MB/s');
    assert.equal(recordOf(sim, 'Apply again').end - recordOf(sim, 'Apply again').start, 0, 'already in the cache');
  });
});
