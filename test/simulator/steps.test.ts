// What a step does when it runs: success codes, time limits, retries, the variables set around it,
// %Var% expansion, read-only variables, Set Task Sequence Variable and Set Dynamic Variables,
// Install Application's detection against Install Package's "always", output variables, reruns.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, start, statusOf, recordOf, notes } from './helpers';
import defaults from '../../server/src/simulator/data/defaults.json';

const messages = (sim: ReturnType<typeof simulate>) =>
  sim.log
    .slice()
    .map((e) => e.message)
    .join('\n');

describe('success codes', () => {
  const seq = `sequence: Codes
steps:
  - { name: Command, id: cmd, run: cmd /c x, continueOnError: true }
  - { name: Builtin, id: builtin, action: SetTaskSequenceVariable, with: { variable: A, value: b }, continueOnError: true }
  - { name: Custom, id: custom, run: cmd /c x, successCodes: [0, 17], continueOnError: true }
`;

  it('counts 0 and 3010 as success for command lines, and only 0 for most built-in steps', () => {
    const sim = simulate(seq, 'outcomes: { cmd: { exitCode: 3010 }, builtin: { exitCode: 3010 } }');
    assert.equal(statusOf(sim, 'Command'), 'succeeded');
    assert.equal(statusOf(sim, 'Builtin'), 'failed-continued');
    assert.match(recordOf(sim, 'Builtin').reason ?? '', /not a success code \(0\)/);
  });

  it('uses the codes a step lists instead', () => {
    const sim = simulate(seq, 'outcomes: { custom: { exitCode: 17 }, cmd: { exitCode: 17 } }');
    assert.equal(statusOf(sim, 'Custom'), 'succeeded');
    assert.equal(statusOf(sim, 'Command'), 'failed-continued');
  });

  it('treats 3010 from a command line as plain success, without a restart', () => {
    const sim = simulate(seq, 'outcomes: { cmd: { exitCode: 3010 } }');
    assert.equal(sim.state.restarts, 0);
  });
});

describe('time limits', () => {
  it('stops a step that runs past its timeout, which then fails with a timeout code', () => {
    const sim = simulate(
      `sequence: T
steps:
  - { name: Slow, id: slow, run: cmd /c x, timeout: 15m }
`,
      'outcomes: { slow: { duration: 20m } }',
    );
    const r = recordOf(sim, 'Slow');
    assert.equal(r.status, 'failed');
    assert.equal(r.exitCode, defaults.exitCodes.timeout);
    assert.match(r.reason ?? '', /time limit of 15 min/);
    assert.equal(r.end - r.start, 15 * 60_000, 'the step is stopped at its limit');
    assert.equal(sim.ended, 'failed');
  });

  it('lets a step within its limit succeed', () => {
    const sim = simulate(
      'sequence: T\nsteps:\n  - { name: Quick, id: q, run: cmd /c x, timeout: 15m }\n',
      'outcomes: { q: { duration: 14m } }',
    );
    assert.equal(statusOf(sim, 'Quick'), 'succeeded');
  });
});

describe('retries after unexpected restarts', () => {
  const apps = `sequence: R
steps:
  - name: Apps
    id: apps
    action: InstallApplication
    with: { applications: [App1] }
`;

  it('starts Install Application again up to its retry count (2 by default)', () => {
    const sim = simulate(apps, 'startsIn: fullos\noutcomes: { apps: { unexpectedRestarts: 2 } }');
    assert.equal(statusOf(sim, 'Apps'), 'succeeded');
    assert.equal(
      notes(sim, 'Apps')
        .split('\n')
        .filter((n) => /restarted unexpectedly/.test(n)).length,
      2,
    );
  });

  it('fails when the computer restarts more often than the retries allow', () => {
    const sim = simulate(apps, 'startsIn: fullos\noutcomes: { apps: { unexpectedRestarts: 3 } }');
    assert.equal(statusOf(sim, 'Apps'), 'failed');
    assert.equal(recordOf(sim, 'Apps').exitCode, defaults.exitCodes.unexpectedRestart);
  });

  it('honours a retry count written on the step', () => {
    const sim = simulate(
      apps.replace('    id: apps\n', '    id: apps\n    retryCount: 4\n'),
      'startsIn: fullos\noutcomes: { apps: { unexpectedRestarts: 3 } }',
    );
    assert.equal(statusOf(sim, 'Apps'), 'succeeded');
  });

  it('fails a step without retries at the first unexpected restart', () => {
    const sim = simulate(
      'sequence: R\nsteps:\n  - { name: Cmd, id: c, run: cmd /c x }\n',
      'outcomes: { c: { unexpectedRestarts: 1 } }',
    );
    assert.equal(statusOf(sim, 'Cmd'), 'failed');
  });
});

describe('variables around a step', () => {
  it('sets _SMSTSCurrentActionName and the step’s own variables before it runs, expanded', () => {
    const sim = start(
      `sequence: V
variables: { OSDTimeZone: Pacific Standard Time }
steps:
  - name: Settings
    action: ApplyWindowsSettings
    with: { registeredUserName: Contoso, registeredOrgName: Contoso Ltd, timeZone: "%OSDTimeZone%" }
`,
      'disk: formatted',
    );
    const t = sim.tick();
    assert.equal(t?.record?.status, 'succeeded');
    assert.equal(sim.vars.get('_SMSTSCurrentActionName'), 'Settings');
    assert.equal(sim.vars.get('OSDRegisteredUserName'), 'Contoso');
    assert.equal(sim.vars.get('OSDTimeZone'), 'Pacific Standard Time');
  });

  it('writes enum options in the form ConfigMgr stores and list options with their count', () => {
    const sim = start(`sequence: V
steps:
  - name: Partition
    action: FormatAndPartitionDisk
    with:
      disk: 0
      partitionStyle: gpt
      partitions:
        - { type: efi, fileSystem: fat32, size: 500, sizeUnits: mb }
        - { type: primary, fileSystem: ntfs, size: 100, sizeUnits: percent, volumeLetterVariable: OSDisk }
`);
    sim.tick();
    assert.equal(sim.vars.get('OSDPartitionStyle'), 'GPT');
    assert.equal(sim.vars.get('OSDPartitions'), '2');
    assert.equal(sim.vars.get('OSDPartitions0Type'), 'EFI');
    assert.equal(sim.vars.get('OSDPartitions1SizeUnits'), 'PERCENT');
    assert.equal(sim.vars.get('OSDisk'), 'C:');
  });

  it('expands %Var% in command lines; a variable that is not set stays as written', () => {
    const sim = simulate(
      'sequence: V\nsteps:\n  - { name: Cmd, run: "cmd /c setup.cmd %OSDComputerName% %NotSet%" }\n',
      'variables: { OSDComputerName: PC01 }',
    );
    assert.match(messages(sim), /cmd \/c setup\.cmd PC01 %NotSet%/);
    assert.equal(sim.vars.get('CommandLine'), 'cmd /c setup.cmd PC01 %NotSet%');
  });

  it('gives device variables the last word over collection variables and the sequence’s own', () => {
    const sim = simulate(
      'sequence: V\nvariables: { Ring: seq, Site: seq }\nsteps: []\n',
      'variables:\n  collection: { Ring: coll, Site: coll }\n  device: { Ring: dev }\n',
    );
    assert.equal(sim.vars.get('Ring'), 'dev');
    assert.equal(sim.vars.get('Site'), 'coll');
  });
});

describe('read-only variables', () => {
  it('fails Set Task Sequence Variable when the name (here after expansion) starts with _', () => {
    const sim = simulate(
      `sequence: RO
variables: { Target: _SMSTSInWinPE }
steps:
  - { name: Sneaky, action: SetTaskSequenceVariable, with: { variable: "%Target%", value: "true" } }
`,
      'startsIn: fullos',
    );
    const r = recordOf(sim, 'Sneaky');
    assert.equal(r.status, 'failed');
    assert.match(r.reason ?? '', /read-only/);
    assert.equal(sim.vars.get('_SMSTSInWinPE'), 'false');
  });

  it('ignores read-only names a step’s outcome tries to set, and says so', () => {
    const sim = simulate(
      'sequence: RO\nsteps:\n  - { name: Script, id: s, run: cmd /c x }\n',
      'outcomes: { s: { variables: { _SMSTSInWinPE: "false", Mine: "yes" } } }',
    );
    assert.equal(sim.vars.get('_SMSTSInWinPE'), 'true');
    assert.equal(sim.vars.get('Mine'), 'yes');
    assert.match(notes(sim, 'Script'), /cannot set `_SMSTSInWinPE`/);
  });

  it('refuses a read-only name set from the debugger with a reason', () => {
    const sim = start('sequence: RO\nsteps: []\n');
    assert.match(sim.setVariable('_SMSTSLastActionName', 'x') ?? '', /read-only/);
    assert.equal(sim.setVariable('Mine', 'x'), undefined);
    assert.equal(sim.vars.get('Mine'), 'x');
  });
});

describe('Set Dynamic Variables', () => {
  const rules = `<Rules>
  <Rule><condition><expression type="SMS_TaskSequence_MakeModelConditionExpression"><variable name="Make">Dell*</variable><variable name="Model">Latitude 7440</variable></expression></condition>
    <Variables><Variable Name="DriverRing" IsSecret="false">dell</Variable></Variables></Rule>
  <Rule><condition><expression type="SMS_TaskSequence_ComputerConditionExpression"><variable name="SerialNumber">ABC*</variable><variable name="AssetTag"></variable></expression></condition>
    <Variables><Variable Name="Tagged" IsSecret="false">yes</Variable></Variables></Rule>
  <Rule><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">Ring</variable><variable name="Operator">equals</variable><variable name="Value">pilot</variable></expression></condition>
    <Variables><Variable Name="Early" IsSecret="false">true</Variable><Variable Name="_SMSTSMake" IsSecret="false">nope</Variable></Variables></Rule>
  <Rule><Variables><Variable Name="Always" IsSecret="false">set</Variable></Variables></Rule>
</Rules>`;
  const seq = `sequence: D
variables: { Ring: pilot }
steps:
  - name: Dynamic
    action: SetDynamicVariables
    with:
      rules: ${JSON.stringify(rules)}
`;

  it('fills the hardware variables and sets the variables of every rule that matches the machine', () => {
    const sim = simulate(seq, 'hardware: { make: Dell Inc., model: Latitude 7440, serialNumber: XYZ123 }');
    assert.equal(sim.vars.get('_SMSTSMake'), 'Dell Inc.');
    assert.equal(sim.vars.get('_SMSTSModel'), 'Latitude 7440');
    assert.equal(sim.vars.get('DriverRing'), 'dell');
    assert.equal(sim.vars.get('Tagged'), undefined, 'the serial number does not match ABC*');
    assert.equal(sim.vars.get('Early'), 'true');
    assert.equal(sim.vars.get('Always'), 'set');
    assert.equal(sim.vars.get('_SMSTSMake'), 'Dell Inc.', 'a rule cannot overwrite a read-only variable');
    assert.match(notes(sim, 'Dynamic'), /rule 2 does not apply/);
  });

  it('leaves hardware variables unset until the step runs', () => {
    const sim = start(seq, 'hardware: { make: Dell Inc. }');
    assert.equal(sim.vars.get('_SMSTSMake'), undefined);
  });
});

describe('installing software', () => {
  const catalog = `catalog: Site
applications:
  - { id: ScopeId_1/Application_1, name: 7-Zip }
  - { id: ScopeId_1/Application_2, name: Company Portal }
packages:
  - { id: CM100078, name: Branding, programs: [Install] }
`;
  const files = {
    main: `sequence: Software
steps:
  - { name: Apps, action: InstallApplication, with: { applications: [ScopeId_1/Application_1, ScopeId_1/Application_2] } }
  - { name: Apps again, action: InstallApplication, with: { applications: [ScopeId_1/Application_2] } }
  - { name: Branding, action: InstallPackage, with: { package: CM100078, program: Install } }
`,
    'catalog.tsq.yaml': catalog,
  };

  it('installs an application only when detection does not find it, and never twice', () => {
    const sim = simulate(files, 'startsIn: fullos\nfacts: { applications: [7-Zip] }');
    const said = notes(sim, 'Apps');
    assert.match(said, /already installed .*: 7-Zip/);
    assert.match(said, /installed: Company Portal/);
    assert.match(notes(sim, 'Apps again'), /already installed .*: Company Portal/);
    assert.equal(sim.vars.get('_TSAppInstallStatus'), 'Success');
  });

  it('installs a package every time, already installed or not', () => {
    const sim = simulate(files, 'startsIn: fullos\nfacts: { applications: [Branding] }');
    assert.match(notes(sim, 'Branding'), /installs even when the software is already there/);
    assert.equal(statusOf(sim, 'Branding'), 'succeeded');
  });
});

describe('outputs and reruns', () => {
  it('stores what a command writes in its output variable', () => {
    const sim = simulate(
      'sequence: O\nsteps:\n  - { name: Probe, id: p, action: RunCommandLine, with: { commandLine: hostname, outputVariable: Host } }\n',
      'outcomes: { p: { output: LAB-PC01 } }',
    );
    assert.equal(sim.vars.get('Host'), 'LAB-PC01');
  });

  it('runs a step again after a restart when it sets SMSTSRetryRequested, using the next run of its outcome', () => {
    const sim = simulate(
      'sequence: O\nsteps:\n  - { name: Twice, id: t, run: cmd /c x }\n  - { name: After, run: cmd /c x }\n',
      `disk: formatted
outcomes:
  t:
    runs:
      - { exitCode: 0, variables: { SMSTSRebootRequested: WinPE, SMSTSRetryRequested: "true" } }
      - { exitCode: 0 }
`,
    );
    // No boot image: restarting into Windows PE is impossible, and that ends the run.
    assert.equal(sim.ended, 'failed');
    assert.match(sim.failure?.reason ?? '', /no boot image/);
    const ok = simulate(
      'sequence: O\nbootImage: CM100005\nsteps:\n  - { name: Twice, id: t, run: cmd /c x }\n  - { name: After, run: cmd /c x }\n',
      `disk: formatted
outcomes:
  t:
    runs:
      - { exitCode: 0, variables: { SMSTSRebootRequested: WinPE, SMSTSRetryRequested: "true" } }
      - { exitCode: 0 }
`,
    );
    assert.deepEqual(
      ok.records.map((r) => `${r.path}: ${r.status}`),
      ['Twice: succeeded', 'Twice: succeeded', 'After: succeeded'],
    );
    assert.equal(ok.state.env, 'WinPE');
    assert.equal(ok.vars.get('SMSTSRebootRequested'), undefined, 'the request is cleared after the restart');
  });

  it('stops a step that keeps asking to be run again', () => {
    const sim = simulate(
      'sequence: O\nsteps:\n  - { name: Loop, id: l, run: cmd /c x }\n',
      'disk: formatted\nstartsIn: fullos\noutcomes: { l: { variables: { SMSTSRebootRequested: HD, SMSTSRetryRequested: "true" } } }',
    );
    assert.equal(sim.ended, 'failed');
    assert.match(sim.failure?.reason ?? '', /asked to be run again/);
    assert.ok(sim.records.length <= 60);
  });
});

describe('the run’s own variables', () => {
  it('sets the engine variables a run starts with', () => {
    const sim = start('sequence: Mine\npackageId: CM100200\nbootImage: CM100005\nsteps: []\n', 'firmware: uefi');
    assert.equal(sim.vars.get('_SMSTSInWinPE'), 'true');
    assert.equal(sim.vars.get('_SMSTSBootUEFI'), 'true');
    assert.equal(sim.vars.get('_SMSTSPackageID'), 'CM100200');
    assert.equal(sim.vars.get('_SMSTSPackageName'), 'Mine');
    assert.equal(sim.vars.get('_SMSTSBootImageID'), 'CM100005');
    assert.equal(sim.vars.get('_SMSTSMediaType'), 'PXE');
    assert.equal(sim.vars.get('_SMSTSDownloadOnDemand'), 'true');
  });
});
