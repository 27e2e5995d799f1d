// ConfigMgr's documented rules that qualify the general ones, each pinned to the page that states
// it: Setup Windows and ConfigMgr ignores continue on error; Install Package retries after an
// unexpected restart (2403 and later) unless it continues on error, and Install Software Updates
// does not retry in OS deployments; Set Dynamic Variables' computer rules match on any value;
// `_SMSTSLogPath` follows the log as it moves; a Restart Computer that cannot restart fails itself.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, start, runPast, statusOf, recordOf, notes } from './helpers';
import { renderText } from '../../server/src/simulator/report';
import defaults from '../../server/src/simulator/data/defaults.json';
import { allSteps } from '../../server/src/catalog';
import { BEHAVIOURS } from '../../server/src/simulator/actions';

const CATALOG = `catalog: Site
bootImages: [{ id: CM100005, architecture: x64 }]
osImages: [{ id: CM100042, architecture: x64, indexes: [1] }]
packages:
  - { id: CM100010, name: Client }
  - { id: CM100078, name: Branding, programs: [Install] }
`;

describe('Setup Windows and ConfigMgr ignores continue on error', () => {
  // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr
  // "Don't enable Continue on error on the Options tab. If there's an error during this step, the
  // task sequence fails whether or not you enable this setting."
  const seq = `sequence: OSD
bootImage: CM100005
steps:
  - group: Install
    continueOnError: true
    steps:
      - { name: Partition, action: FormatAndPartitionDisk, with: { disk: 0, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] } }
      - { name: Apply, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 1 } }
      - { name: Setup, id: setup, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 }, continueOnError: true }
  - { name: After, run: cmd /c after }
`;

  it('fails the run when the step fails, though the step and its group continue on error', () => {
    const sim = simulate({ main: seq, 'catalog.tsq.yaml': CATALOG }, 'outcomes: { setup: { exitCode: 1 } }');
    assert.equal(sim.ended, 'failed');
    assert.equal(statusOf(sim, 'Install/Setup'), 'failed', 'not failed-continued');
    assert.equal(statusOf(sim, 'Install'), 'failed');
    assert.equal(
      sim.records.find((r) => r.node.name === 'After'),
      undefined,
      'nothing runs after it',
    );
    assert.equal(sim.failure?.fatal, true);
    assert.match(sim.failure?.reason ?? '', /fails the task sequence whatever continue on error says/);
  });

  it('is the one step the linter and the simulator both treat so (catalog and behaviour agree)', () => {
    const linted = allSteps()
      .filter((d) => d.failureFailsSequence)
      .map((d) => d.key);
    const simulated = Object.entries(BEHAVIOURS)
      .filter(([, b]) => b.failureEndsRun)
      .map(([key]) => key);
    assert.deepEqual(linted, ['SetupWindowsAndConfigMgr']);
    assert.deepEqual(simulated, linted);
  });

  it('leaves continue on error alone for other steps', () => {
    const other = seq.replace(
      'action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 }',
      'run: cmd /c setup',
    );
    const sim = simulate({ main: other, 'catalog.tsq.yaml': CATALOG }, 'outcomes: { setup: { exitCode: 1 } }');
    assert.equal(statusOf(sim, 'Install/Setup'), 'failed-continued');
    assert.equal(sim.ended, 'succeeded');
  });
});

describe('retrying after an unexpected restart', () => {
  const apps = `catalog: Apps
packages: [{ id: CM100078, name: Branding, programs: [Install] }]
applications: [{ id: ScopeId_1/Application_1, name: 7-Zip }]
`;
  const install = (extra = '') => `sequence: Software
steps:
  - { name: Branding, id: pkg, action: InstallPackage, with: { package: CM100078, program: Install }${extra} }
`;

  it('retries Install Package twice by default, as the step reference says since 2403', () => {
    // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_InstallPackage
    // "If one of the package installations unexpectedly restarts the computer, retry this step. The
    // step enables this setting by default with two retries. You can specify from one to five retries."
    const twice = simulate(
      { main: install(), 'catalog.tsq.yaml': apps },
      'startsIn: fullos\noutcomes: { pkg: { unexpectedRestarts: 2 } }',
    );
    assert.equal(statusOf(twice, 'Branding'), 'succeeded');
    assert.match(notes(twice, 'Branding'), /retry 2 of 2/);
    const thrice = simulate(
      { main: install(), 'catalog.tsq.yaml': apps },
      'startsIn: fullos\noutcomes: { pkg: { unexpectedRestarts: 3 } }',
    );
    assert.equal(statusOf(thrice, 'Branding'), 'failed');
    assert.equal(recordOf(thrice, 'Branding').exitCode, defaults.exitCodes.unexpectedRestart);
  });

  it('takes the retry count the step gives, and none with `retryCount: 0`', () => {
    const five = simulate(
      { main: install(', retryCount: 5'), 'catalog.tsq.yaml': apps },
      'startsIn: fullos\noutcomes: { pkg: { unexpectedRestarts: 5 } }',
    );
    assert.equal(statusOf(five, 'Branding'), 'succeeded');
    const none = simulate(
      { main: install(', retryCount: 0'), 'catalog.tsq.yaml': apps },
      'startsIn: fullos\noutcomes: { pkg: { unexpectedRestarts: 1 } }',
    );
    assert.equal(statusOf(none, 'Branding'), 'failed');
  });

  it('does not retry Install Package while the step continues on error', () => {
    // https://learn.microsoft.com/mem/configmgr/core/plan-design/changes/whats-new-in-version-2403
    // "This retry mechanism is activated only when the 'Continue on error' checkbox is unchecked."
    const sim = simulate(
      { main: install(', continueOnError: true'), 'catalog.tsq.yaml': apps },
      'startsIn: fullos\noutcomes: { pkg: { unexpectedRestarts: 1 } }',
    );
    assert.equal(statusOf(sim, 'Branding'), 'failed-continued');
    assert.match(notes(sim, 'Branding'), /does not retry .* while the step continues on error/);
  });

  it('keeps Install Application retrying while it continues on error', () => {
    const seq =
      'sequence: S\nsteps:\n  - { name: Apps, id: app, action: InstallApplication, with: { applications: [ScopeId_1/Application_1] }, continueOnError: true }\n';
    const sim = simulate(
      { main: seq, 'catalog.tsq.yaml': apps },
      'startsIn: fullos\noutcomes: { app: { unexpectedRestarts: 2 } }',
    );
    assert.equal(statusOf(sim, 'Apps'), 'succeeded');
  });

  it('does not retry Install Software Updates in a sequence that deploys Windows with Setup Windows and ConfigMgr', () => {
    // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_InstallSoftwareUpdates
    // "This option only applies to stand-alone task sequences. It doesn't work with OSD task
    // sequences that deploy an OS and utilize the Setup Windows and ConfigMgr task."
    const updates = '  - { name: Updates, id: upd, action: InstallSoftwareUpdates, with: { target: all } }\n';
    const standalone = simulate(
      `sequence: Patch\nsteps:\n${updates}`,
      'startsIn: fullos\noutcomes: { upd: { unexpectedRestarts: 1 } }',
    );
    assert.equal(statusOf(standalone, 'Updates'), 'succeeded');
    const osd = `sequence: OSD\nsteps:\n  - { name: Setup, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 }, when: _SMSTSInWinPE == "true" }\n${updates}`;
    const sim = simulate(
      { main: osd, 'catalog.tsq.yaml': CATALOG },
      'startsIn: fullos\noutcomes: { upd: { unexpectedRestarts: 1 } }',
    );
    assert.equal(statusOf(sim, 'Updates'), 'failed');
    assert.match(notes(sim, 'Updates'), /SMSTSWaitForSecondReboot/);
  });
});

describe('Set Dynamic Variables rules', () => {
  // https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetDynamicVariables
  const run = (rules: string, hardware: string, vars = '') =>
    simulate(
      `sequence: D\n${vars}steps:\n  - name: Dynamic\n    action: SetDynamicVariables\n    with:\n      rules:\n${rules}`,
      `hardware: ${hardware}`,
    );

  it('makes a computer rule true when any of its values matches', () => {
    // "Computer: Evaluate values for hardware asset tag, UUID, serial number, or MAC address. Set
    // multiple values as necessary. If any value is true, then the rule evaluates as true."
    const rules =
      '        - computer: { serialNumber: "5892087", macAddress: 26-78-13-5A-A4-22 }\n          variables: { Kiosk: "yes" }\n';
    const bySerial = run(rules, '{ serialNumber: "5892087", macAddress: "00:15:5D:00:00:01" }');
    assert.equal(bySerial.vars.get('Kiosk'), 'yes');
    assert.match(notes(bySerial, 'Dynamic'), /rule 1 applies \(the serial number is "5892087"\)/);
    const byMac = run(rules, '{ serialNumber: "1", macAddress: "26:78:13:5A:A4:22" }');
    assert.equal(byMac.vars.get('Kiosk'), 'yes', 'a MAC address matches with `:` or `-`');
    const neither = run(rules, '{ serialNumber: "1", macAddress: "00:15:5D:00:00:01" }');
    assert.equal(neither.vars.get('Kiosk'), undefined);
  });

  it('also reads the XML ConfigMgr stores, with the same any-value rule', () => {
    const xml =
      '<Rules><Rule><condition><expression type="SMS_TaskSequence_ComputerConditionExpression"><variable name="AssetTag">TAG-1</variable><variable name="MACAddress"></variable><variable name="SerialNumber">NOPE</variable><variable name="UUID"></variable></expression></condition><Variables><Variable Name="Tagged" IsSecret="false">yes</Variable></Variables></Rule></Rules>';
    const sim = run(`        ${JSON.stringify(xml)}\n`, '{ assetTag: TAG-1, serialNumber: ABC }');
    assert.equal(sim.vars.get('Tagged'), 'yes');
  });

  it('matches make and model with * and ?, both required', () => {
    // "Make and Model: ... Both the make and model must evaluate to true for the rule to evaluate to
    // true." "the string DELL*900? matches both DELL-ABC-9001 and DELL9009."
    const rules =
      '        - makeAndModel: { make: "Dell*", model: "DELL*900?" }\n          variables: { Drivers: dell }\n';
    assert.equal(run(rules, '{ make: Dell Inc., model: DELL-ABC-9001 }').vars.get('Drivers'), 'dell');
    assert.equal(run(rules, '{ make: Dell Inc., model: DELL9009 }').vars.get('Drivers'), 'dell');
    assert.equal(run(rules, '{ make: Dell Inc., model: DELL90010 }').vars.get('Drivers'), undefined);
    assert.equal(run(rules, '{ make: HP, model: DELL9009 }').vars.get('Drivers'), undefined);
  });

  it('compares the default gateway in a location rule', () => {
    const rules = '        - location: { defaultGateway: 192.168.10.1 }\n          variables: { Site: HQ }\n';
    assert.equal(run(rules, '{ defaultGateway: 192.168.10.1 }').vars.get('Site'), 'HQ');
    assert.equal(run(rules, '{ defaultGateway: 10.0.0.1 }').vars.get('Site'), undefined);
  });

  it('tests a task sequence variable as a step condition does, and sets variables without a rule always', () => {
    const rules = [
      '        - taskSequenceVariable: { name: Ring, operator: equals, value: PILOT }',
      '          variables: { Early: "true" }',
      '        - taskSequenceVariable: { name: Missing, operator: notExists }',
      '          variables: { NoMissing: "true" }',
      '        - taskSequenceVariable: { name: Ring, operator: like, value: "pil%" }',
      '          variables: { Liked: "true" }',
      '        - variables: { Always: set }',
      '',
    ].join('\n');
    const sim = run(rules, '{}', 'variables: { Ring: pilot }\n');
    assert.equal(sim.vars.get('Early'), 'true', 'text equality ignores case');
    assert.equal(sim.vars.get('NoMissing'), 'true');
    assert.equal(sim.vars.get('Liked'), 'true');
    assert.equal(sim.vars.get('Always'), 'set');
  });

  it('decides every rule in order, so a later true rule wins for the same variable', () => {
    // New-CMTSRule: "it evaluates the dynamic rules and variables in order"
    // (https://learn.microsoft.com/powershell/module/configurationmanager/new-cmtsrule)
    const rules =
      '        - variables: { Ring: broad }\n        - makeAndModel: { make: "*", model: "Virtual*" }\n          variables: { Ring: lab }\n';
    assert.equal(run(rules, '{ model: Virtual Machine }').vars.get('Ring'), 'lab');
  });

  it('sets a value kept out of logs without showing it, and refuses read-only names', () => {
    const rules = '        - variables: { JoinPassword: { env: JOIN_PASSWORD }, _SMSTSMake: nope }\n';
    const sim = run(rules, '{ make: Contoso }');
    assert.equal(sim.vars.get('JoinPassword'), '');
    assert.equal(sim.vars.get('_SMSTSMake'), 'Contoso');
    const said = notes(sim, 'Dynamic');
    assert.match(said, /JoinPassword set \(a value kept out of logs/);
    assert.match(said, /cannot set `_SMSTSMake`: it is read-only/);
  });

  it('writes the rules list into the step’s variable as the XML ConfigMgr stores', () => {
    const sim = run('        - variables: { A: b }\n', '{}');
    assert.equal(
      sim.vars.get('OSDSetDynamicVariablesRules'),
      '<Rules><Rule><Variables><Variable Name="A" IsSecret="false">b</Variable></Variables></Rule></Rules>\n',
    );
  });
});

describe('_SMSTSLogPath follows the log', () => {
  // https://learn.microsoft.com/mem/configmgr/core/plan-design/hierarchy/about-log-files
  // "In Windows PE before Format and Partition Disk step: X:\Windows\temp\smstslog\smsts.log"
  // "In Windows PE after Format and Partition Disk step: X:\smstslog\smsts.log"
  // "In the new Windows OS before the client is installed: C:\_SMSTaskSequence\Logs\smstslog\smsts.log"
  // "In Windows after the client is installed: C:\Windows\CCM\Logs\smstslog\smsts.log"
  // TIP: "The read-only task sequence variable _SMSTSLogPath always contains the path of the current log file."
  const osd = `sequence: OSD
bootImage: CM100005
steps:
  - { name: Partition, action: FormatAndPartitionDisk, with: { disk: 0, partitions: [{ type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent }] } }
  - { name: Apply, action: ApplyOperatingSystemImage, with: { image: CM100042, index: 1 } }
  - { name: Setup, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 } }
  - { name: In Windows, run: cmd /c x }
`;

  it('moves from the Windows PE RAM drive to the disk and then to the client’s log folder', () => {
    const sim = start({ main: osd, 'catalog.tsq.yaml': CATALOG }, 'startsIn: winpe\ndisk: raw');
    assert.equal(sim.vars.get('_SMSTSLogPath'), 'X:\\Windows\\Temp\\SMSTSLog');
    runPast(sim, 'Partition');
    assert.equal(sim.vars.get('_SMSTSLogPath'), 'X:\\SMSTSLog');
    runPast(sim, 'Setup');
    assert.equal(sim.vars.get('_SMSTSLogPath'), 'C:\\Windows\\CCM\\Logs\\SMSTSLog');
    sim.run();
    assert.equal(sim.ended, 'succeeded');
  });

  it('stays on the disk in a new Windows that has no client yet', () => {
    const noClient = osd.replace(
      '{ name: Setup, action: SetupWindowsAndConfigMgr, with: { clientPackage: CM100010 } }',
      '{ name: Setup, action: RestartComputer, with: { target: hd } }',
    );
    const sim = start({ main: noClient, 'catalog.tsq.yaml': CATALOG }, 'startsIn: winpe\ndisk: raw');
    runPast(sim, 'Setup');
    assert.equal(sim.vars.get('_SMSTSInWinPE'), 'false');
    assert.equal(sim.vars.get('_SMSTSLogPath'), 'C:\\_SMSTaskSequence\\Logs\\SMSTSLog');
  });

  it('is the client’s log folder from the start of a run in Windows', () => {
    assert.equal(
      start('sequence: S\nsteps: []\n', 'startsIn: fullos').vars.get('_SMSTSLogPath'),
      'C:\\Windows\\CCM\\Logs\\SMSTSLog',
    );
  });
});

describe('a Restart Computer that cannot restart', () => {
  // Every restart needs a formatted partition: "If a task sequence step requires the computer to
  // restart, the client must be able to boot to a formatted disk partition. Otherwise, the task
  // sequence fails regardless of any error handling that you specify in the task sequence."
  // (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#run-a-task-sequence)
  const seq =
    'sequence: R\nbootImage: CM100005\nsteps:\n  - { name: Reboot, action: RestartComputer, with: { target: hd }, continueOnError: true }\n  - { name: After, run: cmd /c x }\n';

  it('fails itself, and the run with it, whatever continue on error says', () => {
    const sim = simulate(seq, 'startsIn: winpe\ndisk: raw');
    assert.equal(statusOf(sim, 'Reboot'), 'failed');
    assert.equal(
      sim.records.find((r) => r.node.name === 'After'),
      undefined,
    );
    assert.equal(sim.failure?.record?.node.name, 'Reboot');
    assert.equal(sim.vars.get('_SMSTSLastActionSucceeded'), 'false');
    assert.equal(sim.state.restarts, 0);
  });

  it('shows the failure on the step in the text report, not ✔ followed by a failed run', () => {
    const text = renderText(simulate(seq, 'startsIn: winpe\ndisk: raw'), { color: false, log: false });
    assert.match(text, /^✘ Reboot — failed: the computer must restart .* no formatted partition/m);
    assert.doesNotMatch(text, /✔ Reboot/);
    assert.match(text, /1 steps? ran \(0 succeeded, 1 failed\)/);
  });
});
