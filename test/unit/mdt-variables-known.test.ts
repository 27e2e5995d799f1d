// Which MDT variables lint knows at a point of a sequence: once something before that point has
// set them (catalog/data/mdt-variables.json, `known`; docs/rules.md, undefined-variable).
// Sources, Microsoft Learn:
// - the Gather step "gathers data and processing rules for the target computer"; "Gather only
//   local data" processes only the properties of ZTIGather.xml, "Gather local data and process
//   rules" (the default) also the Rules file: https://learn.microsoft.com/mem/configmgr/mdt/task-sequence-steps#gather
// - ZTIGather.wsf "gathers the properties and processing rules that control the deployment
//   process"; /localonly "does not parse the input .ini file": https://learn.microsoft.com/mem/configmgr/mdt/scripts#ztigatherwsf
// - local facts such as IsLaptop are "dynamically set by MDT scripts"; rules properties are
//   configured in CustomSettings.ini or the MDT database: https://learn.microsoft.com/mem/configmgr/mdt/properties
// - LiteTouch.wsf runs the Deployment Wizard, then the task sequence, with the environment
//   ZTIGather.wsf populated: https://learn.microsoft.com/mem/configmgr/mdt/scripts#litetouchwsf
// - BootStrap.ini is read when the computer cannot yet reach the deployment share:
//   https://learn.microsoft.com/mem/configmgr/mdt/support-files#bootstrapini
// - MDT scripts that write rules properties (each script's Properties table marks them Write):
//   ZTIUserState.wsf writes StatePath: https://learn.microsoft.com/mem/configmgr/mdt/scripts#ztiuserstatewsf
//   ZTIGroups.wsf writes Groups: https://learn.microsoft.com/mem/configmgr/mdt/scripts#ztigroupswsf
//   ZTIAppXmlGen.wsf writes USMTMigFiles: https://learn.microsoft.com/mem/configmgr/mdt/scripts#ztiappxmlgenwsf
//   ZTIConfigure.wsf writes ComputerName: https://learn.microsoft.com/mem/configmgr/mdt/scripts#zticonfigurewsf
//   ZTIBde.wsf writes BDEDriveLetter: https://learn.microsoft.com/mem/configmgr/mdt/scripts#ztibdewsf
// - the template step Create BitLocker Partition "sets the BDEInstall property to True":
//   https://learn.microsoft.com/mem/configmgr/mdt/task-sequence-steps#create-bitlocker-partition

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findings, yaml } from '../helpers/lint';
import { parseDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import { applyEdit } from '../../server/src/model/yaml/incremental';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis } from '../../server/src/analysis/incremental';
import { allMdtVariables, findMdtVariable, knownFrom, knownFromWords } from '../../server/src/catalog/mdt-variables';
import data from '../../server/src/catalog/data/mdt-variables.json';
import external from '../../server/src/semantics/data/external-variables.json';

const unknown = (files: Record<string, string>, file?: string) => findings('undefined-variable', files, file);

/** A sequence of MDT: Use Toolkit Package, then `steps` (each an array of YAML lines at step level). */
function mdtSequence(...steps: string[][]): string {
  return yaml(
    'sequence: MDT sequence',
    'steps:',
    '  - name: Use Toolkit Package',
    '    action: UseToolkitPackage',
    '    with: { package: CM100010 }',
    ...steps.flat(),
  );
}

const gather = (localOnly = false) => [
  `  - name: ${localOnly ? 'Gather local only' : 'Gather'}`,
  '    action: Gather',
  ...(localOnly ? ['    with: { localOnly: true }'] : []),
];
const reads = (name: string, text: string) => [`  - name: ${name}`, `    run: cmd.exe /c echo ${text}`];
const when = (name: string, condition: string) => [
  `  - name: ${name}`,
  `    when: ${condition}`,
  '    run: cmd.exe /c echo',
];

describe('MDT facts that ZTIGather sets are known after a step that runs it', () => {
  test('a sequence that runs Gather and then reads IsLaptop is clean', () => {
    assert.deepEqual(unknown({ 'a.tsq.yaml': mdtSequence(gather(true), when('Laptop', 'IsLaptop == "True"')) }), []);
  });

  test('a read before the Gather step is reported where it is, saying that only the later Gather sets it', () => {
    const found = unknown({ 'a.tsq.yaml': mdtSequence(when('Early', 'IsLaptop == "True"'), gather()) });
    assert.deepEqual(
      found.map((f) => [f.line, f.column, f.text, f.severity, f.message, f.hint]),
      [
        [
          7,
          11,
          'IsLaptop',
          'information',
          "`IsLaptop` is a fact MDT's Gather sets, and no Gather step runs before this point.",
          'Read it after the Gather step, or run Gather earlier.',
        ],
      ],
    );
  });

  test("the Gather step's own condition is tested before it runs", () => {
    const text = mdtSequence(['  - name: Gather', '    action: Gather', '    when: Make == "Dell Inc."']);
    assert.deepEqual(
      unknown({ 'a.tsq.yaml': text }).map((f) => f.text),
      ['Make'],
    );
  });

  test('a command line that runs ZTIGather.wsf sets them too, with /localonly or without', () => {
    for (const args of ['/localonly', '']) {
      const text = mdtSequence(
        ['  - name: Gather', `    run: cscript.exe "%SCRIPTROOT%\\ZTIGather.wsf" ${args}`],
        when('Laptop', 'IsLaptop == "True"'),
      );
      assert.deepEqual(unknown({ 'a.tsq.yaml': text }), [], args);
    }
  });

  test('a percent reference in a command line is reported with its percent signs', () => {
    const found = unknown({ 'a.tsq.yaml': mdtSequence(reads('Serial', '%SerialNumber%'), gather(true)) });
    assert.deepEqual(
      found.map((f) => [f.line, f.text, f.message]),
      [
        [
          7,
          '%SerialNumber%',
          "`%SerialNumber%` is a fact MDT's Gather sets, and no Gather step runs before this point.",
        ],
      ],
    );
  });
});

describe('a Lite Touch sequence starts with them gathered', () => {
  test('a sequence that runs an LTI script reads IsUEFI, Make and AdminPassword before any Gather step', () => {
    const text = yaml(
      'sequence: Lite Touch',
      'steps:',
      ...when('Firmware', 'IsUEFI != "True" and Make == "Lenovo"'),
      '  - name: Apply Windows PE',
      '    run: cscript.exe "%SCRIPTROOT%\\LTIApply.wsf" /PE',
      ...reads('Password', '%AdminPassword%'),
    );
    assert.deepEqual(unknown({ 'lti.tsq.yaml': text }), []);
  });

  test('without the LTI script, the same reads are reported', () => {
    const text = yaml(
      'sequence: Zero Touch',
      'steps:',
      ...when('Firmware', 'IsUEFI != "True"'),
      '  - name: Tattoo',
      '    run: cscript.exe "%SCRIPTROOT%\\ZTITatoo.wsf"',
    );
    assert.deepEqual(
      unknown({ 'zti.tsq.yaml': text }).map((f) => f.text),
      ['IsUEFI'],
    );
  });
});

describe('properties of CustomSettings.ini and the MDT database are known after a Gather that processes the rules', () => {
  test('after a Gather that processes rules (the default), AdminPassword is known', () => {
    assert.deepEqual(unknown({ 'a.tsq.yaml': mdtSequence(gather(), reads('Set', '%AdminPassword%')) }), []);
  });

  test('after "Gather only local data" it is not: the finding says which Gather it waits for', () => {
    const found = unknown({ 'a.tsq.yaml': mdtSequence(gather(true), reads('Set', '%AdminPassword%')) });
    assert.deepEqual(
      found.map((f) => [f.line, f.text, f.severity, f.message, f.hint]),
      [
        [
          10,
          '%AdminPassword%',
          'information',
          "`%AdminPassword%` comes from MDT's rules (CustomSettings.ini or the MDT database), and no Gather step that processes rules runs before this point.",
          'Read it after a Gather step without `localOnly: true` (“Gather only local data” reads no rules), or set it earlier with Set Task Sequence Variable.',
        ],
      ],
    );
  });

  test('ZTIGather.wsf /localonly does not parse the rules either', () => {
    const text = mdtSequence(
      ['  - name: Gather', '    run: cscript.exe "%SCRIPTROOT%\\ZTIGather.wsf" /localonly'],
      reads('Set', '%AdminPassword%'),
    );
    assert.deepEqual(
      unknown({ 'a.tsq.yaml': text }).map((f) => f.text),
      ['%AdminPassword%'],
    );
  });
});

describe('where Microsoft does not say at which step MDT sets a variable, it is known anywhere in a sequence that uses MDT', () => {
  // DeployRoot: BootStrap.ini or Use Toolkit Package; ScriptRoot: the MDT scripts; SkipWizard: rules
  // or the Deployment Wizard; DomainErrorRecovery: a setting of Recover From Domain Join Failure;
  // IsOnBattery: a Gather fact Microsoft Learn does not document.
  const names = ['DeployRoot', 'ScriptRoot', 'SkipWizard', 'DomainErrorRecovery', 'IsOnBattery'];

  test('read before any Gather in a sequence that uses MDT, they are known', () => {
    const text = mdtSequence(when('Early', names.map((n) => `${n} == "x"`).join(' and ')), gather());
    assert.deepEqual(unknown({ 'a.tsq.yaml': text }), []);
  });

  test('in a sequence without MDT, they are unknown as before', () => {
    const text = yaml('sequence: Native', 'steps:', ...when('Reads', names.map((n) => `${n} == "x"`).join(' and ')));
    const found = unknown({ 'n.tsq.yaml': text });
    assert.deepEqual(
      found.map((f) => [f.text, f.severity]),
      names.map((n) => [n, 'warning']),
    );
    assert.match(found[0].message, /is not a built-in variable and nothing sets it before this point/);
  });

  test('the data says so for each of them', () => {
    for (const n of names) assert.equal(knownFrom(findMdtVariable(n)!).anywhere, true, n);
    assert.equal(knownFrom(findMdtVariable('IsLaptop')!).anywhere, false);
    assert.equal(knownFrom(findMdtVariable('AdminPassword')!).anywhere, false);
  });
});

describe('a rules property that an MDT script or step also writes is known before Gather in a sequence that uses MDT', () => {
  // Each is marked Write in its script's Properties table, or set by a template step (see the header).
  const written = ['StatePath', 'Groups001', 'USMTMigFiles001', 'ComputerName', 'BDEDriveLetter', 'BDEInstall'];
  const readsBeforeGather = (names: string[]) =>
    mdtSequence(when('Early', names.map((n) => `${n} == "x"`).join(' and ')), gather());

  test('read before any Gather, they are known', () => {
    assert.deepEqual(unknown({ 'a.tsq.yaml': readsBeforeGather(written) }), []);
  });

  test('a rules property nothing else writes, read at the same point, is still reported', () => {
    assert.deepEqual(
      unknown({ 'a.tsq.yaml': readsBeforeGather(['OrgName', 'StatePath']) }).map((f) => f.text),
      ['OrgName'],
    );
  });

  test('in a sequence without MDT, they are unknown as before', () => {
    // ComputerName is left out: it is also Windows' own environment variable, known everywhere.
    const mdtOnly = written.filter((n) => n !== 'ComputerName');
    const text = yaml('sequence: Native', 'steps:', ...when('Reads', mdtOnly.map((n) => `${n} == "x"`).join(' and ')));
    assert.deepEqual(
      unknown({ 'n.tsq.yaml': text }).map((f) => f.text),
      mdtOnly,
    );
  });

  test('the data cites Microsoft Learn for what else writes them', () => {
    for (const n of ['StatePath', 'Groups', 'USMTMigFiles', 'ComputerName', 'BDEDriveLetter', 'BDEInstall']) {
      const v = findMdtVariable(n)!;
      assert.equal(knownFrom(v).anywhere, true, n);
      assert.match(
        v.alsoSetByDocs ?? '',
        /^https:\/\/learn\.microsoft\.com\/mem\/configmgr\/mdt\/(scripts|task-sequence-steps)#/,
        n,
      );
    }
    assert.equal(findMdtVariable('StatePath')!.alsoSetBy, 'script');
    assert.equal(findMdtVariable('BDEInstall')!.alsoSetBy, 'step');
    for (const v of allMdtVariables().filter((x) => x.alsoSetByDocs)) {
      assert.ok(v.alsoSetBy, `${v.name} cites a writer it does not name`);
      assert.ok(v.alsoSetByDocs!.startsWith('https://learn.microsoft.com/'), v.name);
    }
  });
});

describe('what a parent sequence gathers before it runs a child is known in the child', () => {
  const parent = (gatherFirst: boolean) =>
    mdtSequence(
      ...(gatherFirst ? [gather()] : []),
      ['  - name: Child', '    action: RunTaskSequence', '    with: { sequence: ./child.tsq.yaml }'],
      ...(gatherFirst ? [] : [gather()]),
    );
  const child = yaml('sequence: Child', 'packageId: CM1000C9', 'steps:', ...when('Dell', 'Make == "Dell Inc."'));

  test('a child run after the Gather knows Make, though it uses no MDT itself', () => {
    assert.deepEqual(unknown({ 'child.tsq.yaml': child, 'parent.tsq.yaml': parent(true) }), []);
  });

  test('a child run before it does not', () => {
    assert.deepEqual(
      unknown({ 'child.tsq.yaml': child, 'parent.tsq.yaml': parent(false) }).map((f) => [f.text, f.severity]),
      [['Make', 'warning']],
    );
  });
});

describe("the admin's own writes count as they do for any variable", () => {
  test('a Set Task Sequence Variable step before the read, or a collection variable, sets IsLaptop', () => {
    const set = mdtSequence(
      ['  - name: Set', '    action: SetTaskSequenceVariable', '    with: { variable: IsLaptop, value: "True" }'],
      when('Laptop', 'IsLaptop == "True"'),
    );
    assert.deepEqual(unknown({ 'a.tsq.yaml': set }), []);
    const catalog = yaml(
      'catalog: Site',
      'siteCode: CM1',
      'collections:',
      '  - { id: CM100015, name: Lab, type: device, variables: { IsLaptop: "True" } }',
    );
    assert.deepEqual(
      unknown({ 'a.tsq.yaml': mdtSequence(when('Laptop', 'IsLaptop == "True"')), 'catalog.tsq.yaml': catalog }),
      [],
    );
  });
});

describe('"did you mean" offers the MDT variables known at that point', () => {
  test('after Gather, a misspelt IsLaptop gets IsLaptop; before it, it does not', () => {
    const after = unknown({ 'a.tsq.yaml': mdtSequence(gather(), when('Laptop', 'IsLaptp == "True"')) });
    assert.equal(after[0].hint, 'Did you mean `IsLaptop`?');
    assert.deepEqual(after[0].data, { fix: 'replace', candidates: ['IsLaptop'] });
    const before = unknown({ 'a.tsq.yaml': mdtSequence(when('Laptop', 'IsLaptp == "True"'), gather()) });
    assert.ok(!JSON.stringify(before[0].data ?? {}).includes('IsLaptop'), before[0].hint);
  });
});

describe('in the editor, an edit of a Gather step is seen at once', () => {
  test('typing localOnly, or turning the command line into another script, changes the findings as a full check does', () => {
    let doc = parseDocument(
      '/w/a.tsq.yaml',
      mdtSequence(
        ['  - name: Gather', '    run: cscript.exe "%SCRIPTROOT%\\ZTIGather.wsf"'],
        reads('Reads', '%AdminPassword% %IsLaptop%'),
      ),
    );
    const ws = new Workspace();
    ws.upsert(doc);
    const analysis = new IncrementalAnalysis();
    const names = (list: { code: string; message: string }[]) =>
      list.filter((d) => d.code === 'undefined-variable').map((d) => d.message.split(' ')[0]);
    assert.deepEqual(names(analysis.analyze(ws, doc)), []);
    const expected = [['`%AdminPassword%`'], ['`%AdminPassword%`', '`%IsLaptop%`']];
    for (const [i, [from, to]] of [
      ['ZTIGather.wsf"', 'ZTIGather.wsf" /localonly'],
      ['ZTIGather.wsf" /localonly', 'ZTITatoo.wsf"'],
    ].entries()) {
      const start = doc.text.indexOf(from);
      const edit = { start, end: start + from.length, text: to };
      const next = applyEdit(doc.text, edit);
      const update = updateDocument(doc, edit, next, doc.version + 1);
      const previous = doc;
      doc = update.doc;
      ws.upsert(doc);
      analysis.update(ws, doc, { previous, change: update.change });
      const full = parseDocument(doc.id, next, doc.version);
      const fullWs = new Workspace();
      fullWs.upsert(full);
      assert.deepEqual(names(analysis.analyze(ws, doc)), expected[i], to);
      assert.deepEqual(names(analyzeDocument(fullWs, full)), expected[i], to);
    }
  });
});

describe('one source of truth', () => {
  test('no second list of MDT names is kept beside the catalog', () => {
    assert.deepEqual(Object.keys(external).sort(), ['_about', 'windows']);
  });

  test('every rule of `known` cites Microsoft Learn, and each origin has a rule', () => {
    for (const key of ['gather', 'rules-gather', 'anywhere'] as const) {
      const rule = data.known[key];
      assert.ok(rule.docs.length > 0 && rule.docs.every((u) => u.startsWith('https://learn.microsoft.com/')), key);
    }
    for (const v of allMdtVariables()) {
      const known = knownFrom(v);
      assert.ok(known.after || known.anywhere, `${v.name} is known somewhere`);
    }
  });

  test('every Gather fact Microsoft Learn documents is tied to Gather, and only to it', () => {
    const facts = allMdtVariables().filter((v) => v.origin === 'gather' && v.docs);
    assert.ok(facts.length >= 30);
    for (const v of facts) assert.deepEqual(knownFrom(v), { after: 'gather', anywhere: false }, v.name);
  });
});

describe('hover words the same rule', () => {
  test('a Gather fact, a rules property and a BootStrap.ini property each say from which point lint knows them', () => {
    const words = (name: string) => knownFromWords(findMdtVariable(name)!);
    assert.match(words('IsLaptop'), /^Known after a step that runs ZTIGather \(a Gather step/);
    assert.match(words('AdminPassword'), /^Known after a step that runs ZTIGather and processes the rules/);
    assert.match(words('DeployRoot'), /^Known anywhere in a sequence that uses MDT/);
  });
});
