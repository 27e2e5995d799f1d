// Leaving MDT (docs/migrating-from-mdt.md): the mdt-dependency rule names what replaces each MDT
// step, MDT's variables are known in sequences that use MDT, and migrating a sequence replaces
// each MDT step with the native ConfigMgr step(s) Microsoft documents for the same job, keeps the
// ones nothing replaces and says why.
// Sources: MDT steps https://learn.microsoft.com/mem/configmgr/mdt/task-sequence-steps, MDT scripts
// https://learn.microsoft.com/mem/configmgr/mdt/scripts, ConfigMgr steps
// https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps, MDT retired
// https://learn.microsoft.com/troubleshoot/windows-server/deployment/deployment-toolkit-support.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import { walk, type SequenceModel, type StepNode } from '../../server/src/model/sequence';
import { migrateSequence, migrateStep } from '../../server/src/migrate/migrate-sequence';
import { sequenceReport, migrationReport, formatReportText } from '../../server/src/migrate/report';
import { formatReportMarkdown } from '../../server/src/report/migration-report';
import { findings, lint, yaml } from '../helpers/lint';
import { EVERY_MDT_STEP } from './mdt-fixtures';

function stepNamed(doc: ReturnType<typeof parseDocument>, name: string): StepNode {
  for (const n of walk((doc.model as SequenceModel).steps)) if (n.kind === 'step' && n.name === name) return n;
  throw new Error(`no step ${name}`);
}

describe('the mdt-dependency rule', () => {
  test('names the native replacement of each MDT step, or says none exists, as information', () => {
    const found = findings('mdt-dependency', { 'mdt.tsq.yaml': EVERY_MDT_STEP });
    const about = (text: string) => found.find((f) => f.text.includes(text));
    assert.ok(found.every((f) => f.severity === 'information'));
    // "natively available in Configuration Manager as Check Readiness" (MDT task sequence steps, Validate)
    assert.match(about('Validate')!.message, /Validate is an MDT step\. Native replacement: Check Readiness\./);
    assert.match(
      about('Gather')!.message,
      /ConfigMgr has no step that does all of it \(Set Dynamic Variables covers part\)/,
    );
    assert.match(about('ConfigureADDS')!.message, /ConfigMgr has no native step that does the same\./);
    assert.match(
      about('ZTIBDE.wsf')!.message,
      /This runs MDT's ZTIBDE\.wsf .*Native replacement: Pre-provision BitLocker or Enable BitLocker/,
    );
    assert.equal(about('ConfigureADDS')!.data?.fix, 'migrate-step');
  });

  test('a sequence without MDT gets no finding', () => {
    const text = yaml(
      'sequence: Native',
      'steps:',
      '  - name: Check',
      '    action: CheckReadiness',
      '    with: { checkMemory: true, memory: 2048 }',
      '  - name: Script',
      '    run: cmd.exe /c setup.cmd',
    );
    assert.deepEqual(findings('mdt-dependency', { 'n.tsq.yaml': text }), []);
  });
});

describe('MDT variables in MDT sequences', () => {
  test('Gather facts and rules properties are known after the Gather step (test/unit/mdt-variables-known.test.ts)', () => {
    // IsLaptop is set by ZTIGather: https://learn.microsoft.com/mem/configmgr/mdt/properties#islaptop
    const undefinedOnes = lint({ 'mdt.tsq.yaml': EVERY_MDT_STEP }).filter((f) => f.code === 'undefined-variable');
    assert.deepEqual(
      undefinedOnes.map((f) => f.text),
      [],
    );
    // Without a step that runs ZTIGather, nothing sets Make, even where other MDT scripts run.
    const scriptOnly = yaml(
      'sequence: Script only',
      'steps:',
      '  - name: Tattoo',
      '    run: cscript.exe %SCRIPTROOT%\\ZTITatoo.wsf',
      '  - name: Reads',
      '    when: Make == "Dell Inc."',
      '    run: cmd.exe /c echo',
    );
    assert.deepEqual(
      findings('undefined-variable', { 's.tsq.yaml': scriptOnly }).map((f) => [f.text, f.severity]),
      [['Make', 'information']],
    );
  });

  test('in a sequence without MDT they are unknown as before', () => {
    const native = yaml(
      'sequence: Native',
      'steps:',
      '  - name: Reads',
      '    when: IsLaptop == "True"',
      '    run: cmd.exe /c echo',
    );
    assert.equal(findings('undefined-variable', { 'n.tsq.yaml': native }).length, 1);
  });
});

describe('migrating a sequence', () => {
  const doc = parseDocument('/ws/mdt.tsq.yaml', EVERY_MDT_STEP);
  const migration = migrateSequence(doc);
  const byName = new Map(migration.steps.map((s) => [s.step.name, s]));

  test('every MDT step gets an outcome, with a reason', () => {
    assert.equal(migration.steps.length, 20);
    for (const s of migration.steps) assert.ok(s.reason.length > 20, `${s.path}: ${s.reason}`);
  });

  test('Validate becomes Check Readiness with its thresholds carried over', () => {
    const v = byName.get('Validate')!;
    assert.equal(v.to, 'Check Readiness');
    const step = stepNamed(migration.doc, 'Validate');
    assert.equal(step.action, 'CheckReadiness');
    const opts = Object.fromEntries(step.options.map((o) => [o.name, o.value]));
    assert.equal(opts.checkMemory, true);
    assert.equal(opts.memory, 2048);
    assert.equal(opts.processorSpeed, 800);
    assert.equal(opts.osType, 'client');
    assert.equal(v.status, 'review', 'the image size 0 is read as not checked, which a person confirms');
  });

  test('Install Operating System becomes Apply Operating System Image, to review (the image is ConfigMgr content)', () => {
    const s = byName.get('Install Operating System')!;
    assert.equal(s.to, 'Apply Operating System Image');
    assert.equal(s.status, 'review');
    assert.match(s.reason, /859868ea/);
    const step = stepNamed(migration.doc, 'Install Operating System');
    assert.equal(step.options.find((o) => o.name === 'destinationVariable')?.value, 'OSDisk');
  });

  test('steps with no native counterpart are kept, saying what to provide and what later steps read from them', () => {
    for (const name of [
      'Gather',
      'Install Updates Offline',
      'Language packs offline',
      'Language packs online',
      'Install Roles and Features',
      'Uninstall Roles and Features',
      'Configure ADDS',
      'Configure DNS',
      'Configure DHCP',
      'Execute Runbook',
    ]) {
      assert.equal(byName.get(name)!.status, 'kept', name);
      assert.equal(stepNamed(migration.doc, name).action, stepNamed(doc, name).action, `${name} stays as it was`);
    }
    assert.match(byName.get('Gather')!.reason, /Provide instead: .*Later steps read IsLaptop from it\./);
  });

  test('Use Toolkit Package stays while MDT steps remain, and goes when none do', () => {
    assert.equal(byName.get('Use Toolkit Package')!.status, 'kept');
    assert.match(byName.get('Use Toolkit Package')!.reason, /still depend on MDT/);
    const lone = parseDocument(
      '/ws/t.tsq.yaml',
      yaml(
        'sequence: T',
        'steps:',
        '  - name: Use Toolkit Package',
        '    action: UseToolkitPackage',
        '  - name: Validate',
        '    action: Validate',
        '    with: { imageMemory: 2048, imageProcessorSpeed: 800, imageSize: 10000, verifyOs: CLIENT }',
      ),
    );
    const m = migrateSequence(lone);
    assert.deepEqual(
      m.steps.map((s) => [s.step.name, s.to, s.status]),
      [
        ['Use Toolkit Package', '(removed)', 'migrated'],
        ['Validate', 'Check Readiness', 'migrated'],
      ],
    );
    assert.doesNotMatch(m.text, /UseToolkitPackage/);
    assert.deepEqual(findings('mdt-dependency', { 't.tsq.yaml': m.text }), []);
  });

  test('the names, conditions and other settings of a replaced step stay as written', () => {
    const text = yaml(
      'sequence: T',
      'steps:',
      '  - name: Check the hardware   # kept comment',
      '    id: check',
      '    when: _SMSTSInWinPE == "true"',
      '    continueOnError: true',
      '    action: Validate',
      '    with: { imageMemory: 4096, imageProcessorSpeed: 1000, imageSize: 20000, verifyOs: SERVER }',
    );
    const m = migrateSequence(parseDocument('/ws/t.tsq.yaml', text));
    assert.match(
      m.text,
      /- name: Check the hardware {3}# kept comment\n {4}id: check\n {4}when: _SMSTSInWinPE == "true"\n {4}continueOnError: true\n {4}action: CheckReadiness\n/,
    );
    assert.deepEqual(
      lint({ 't.tsq.yaml': m.text }).filter((f) => f.severity === 'error'),
      [],
    );
  });

  test("comments on lines of their own survive a replaced step: kept before their setting, the old step's above the new options", () => {
    const text = yaml(
      'sequence: T',
      'steps:',
      '  - name: Check the hardware',
      '    # why we check: the lab VMs are small',
      '    id: check',
      '    # the old MDT check',
      '    action: Validate   # MDT step',
      '    with:',
      '      # 4 GB, as the hardware standard says',
      '      imageMemory: 4096',
      '    # it must run in Windows PE',
      '    when: _SMSTSInWinPE == "true"',
    );
    const m = migrateSequence(parseDocument('/ws/t.tsq.yaml', text));
    assert.match(
      m.text,
      new RegExp(
        [
          '- name: Check the hardware',
          '    # why we check: the lab VMs are small',
          '    id: check',
          '    action: CheckReadiness',
          '    # it must run in Windows PE',
          '    when: _SMSTSInWinPE == "true"',
          '    # the old MDT check',
          '    # MDT step',
          '    # 4 GB, as the hardware standard says',
          '    with:',
        ].join('\n'),
      ),
    );
    for (const comment of text.match(/#.*$/gm)!) assert.ok(m.text.includes(comment), `${comment} is kept`);
    assert.deepEqual(
      lint({ 't.tsq.yaml': m.text }).filter((f) => f.severity === 'error'),
      [],
    );
  });

  test('one step at a time (the quick fix) gives the same step as the whole file', () => {
    const edit = migrateStep(doc, stepNamed(doc, 'Validate'))!.edit!;
    const one = doc.text.slice(0, edit.start) + edit.text + doc.text.slice(edit.end);
    const after = parseDocument('/ws/mdt.tsq.yaml', one);
    assert.equal(stepNamed(after, 'Validate').action, 'CheckReadiness');
    assert.equal(migrateStep(doc, stepNamed(doc, 'Gather'))!.edit, undefined, 'a kept step has no edit');
  });

  test('the report counts, names the MDT scripts and variables still used, in text, JSON and Markdown', () => {
    const report = migrationReport([sequenceReport('mdt.tsq.yaml', 'out/mdt.tsq.yaml', migration)]);
    const s = report.sequences[0];
    assert.equal(s.counts.migrated + s.counts.review + s.counts.kept, 20);
    assert.ok(s.counts.kept >= 11);
    assert.ok(s.scripts.some((x) => x.name === 'ZTIGather.wsf'));
    const laptop = s.variables.find((v) => v.name === 'IsLaptop')!;
    assert.match(laptop.setBy, /ZTIGather/);
    assert.deepEqual(laptop.readBy, ['State Restore/Laptop only']);
    for (const step of report.steps)
      assert.deepEqual(Object.keys(step).sort(), ['file', 'from', 'name', 'path', 'reason', 'status', 'to']);
    assert.match(formatReportText(report), /mdt\.tsq\.yaml → out\/mdt\.tsq\.yaml/);
    assert.match(
      formatReportText(report),
      /kept +State Restore\/Configure ADDS: Configure ADDS \(MDT step\) → \(kept\)/,
    );
    assert.match(
      formatReportMarkdown(report),
      /\| Validation\/Validate \| Validate \(MDT step\) \| Check Readiness \| review \|/,
    );
  });
});

describe('the migration report in Markdown', () => {
  test('names from the MDT sequence stay text: no HTML, no live link, no extra column', () => {
    const text = yaml(
      'sequence: "<b>Build</b> | x"',
      'steps:',
      '  - name: "<img src=x onerror=alert(1)> [c](javascript:alert(1))"',
      '    action: Validate',
      '  - name: "**bold** | `tick`"',
      '    action: Gather',
      '  - name: Laptop',
      '    action: RunCommandLine',
      '    when: IsLaptop == "True"',
      '    with: { commandLine: cmd /c echo }',
    );
    const migration = migrateSequence(parseDocument('/ws/hostile.tsq.yaml', text));
    const md = formatReportMarkdown(migrationReport([sequenceReport('hostile.tsq.yaml', undefined, migration)]));
    assert.doesNotMatch(md, /<img|<b>/i, 'no HTML from a name');
    assert.match(md, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(md, /(?<!\\)\]\(javascript:/i, 'no live link from a name');
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| step') && !l.startsWith('| ---'));
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length - 2, 5, `five columns: ${row}`);
    assert.match(md, /^## &lt;b&gt;Build&lt;\/b&gt; \\\| x$/m);
    // The variable's page from tsq's own MDT catalog is the one link written.
    assert.match(md, /^- \[IsLaptop\]\(<https:\/\/learn\.microsoft\.com\/[^>]+>\), set by /m);
  });
});

describe('migrating odd input', () => {
  test('lists, maps and numbers where MDT wrote text are read as written, never thrown on', () => {
    const text = yaml(
      'sequence: Odd',
      'steps:',
      '  - name: a',
      '    action: Validate',
      '    with: { imageMemory: [1, 2], imageProcessorSpeed: { x: 1 }, imageSize: -5, verifyOs: 7 }',
      '  - name: b',
      '    action: RecoverFromDomain',
      '    with: { domainErrorRecovery: [MANUAL] }',
      '  - { name: e, action: Gather }',
      '  - name: g',
      '    action: RunPowerShellScriptMdt',
      '    with: { scriptName: 5 }',
    );
    const m = migrateSequence(parseDocument('/ws/odd.tsq.yaml', text));
    const a = m.steps.find((s) => s.step.name === 'a')!;
    assert.match(a.reason, /minimum processor speed as `\{"x":1\}`/);
    assert.equal(m.steps.find((s) => s.step.name === 'b')!.status, 'kept');
    assert.equal(m.steps.find((s) => s.step.name === 'e')!.status, 'kept');
    assert.match(m.text, /action: RunPowerShellScript\n {4}with: \{ scriptName: "5" \}/);
  });
});
