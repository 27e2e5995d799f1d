// The deployment rules, each with a case that must be reported and one that must not: user
// collections, broken sequences, high-risk targets, content options, the network access account
// in every case FORMAT.md (d) lists, Windows Embedded devices and maintenance windows.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CUSTOM_SEQUENCE, OS_SEQUENCE, catalog, covered, deployment, findings, path, workspace } from './deploy-fixtures';

describe('user-collection', () => {
  test('a deployment to a user collection is an error, with device collections offered', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100061') });
    const [f] = findings(ws, 'd.tsq.yaml', 'user-collection');
    assert.equal(f.severity, 'error');
    assert.equal(covered(ws, f), 'CM100061');
    assert.match(f.message, /Finance users.*user collection/);
    assert.deepEqual(f.data, { fix: 'replace', candidates: ['CM100015'] });
  });

  test('a device collection is fine', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015') });
    assert.deepEqual(findings(ws, 'd.tsq.yaml'), []);
  });
});

describe('broken-reference in deployment files', () => {
  test('a missing sequence file and an unknown collection are broken references', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./z.tsq.yaml', 'Lab') });
    const found = findings(ws, 'd.tsq.yaml', 'broken-reference');
    assert.deepEqual(found.map((f) => covered(ws, f)), ['./z.tsq.yaml', 'Lab']);
    assert.deepEqual(found[0].data, { fix: 'replace', candidates: ['./s.tsq.yaml'] });
    assert.match(found[1].hint ?? '', /by its ID: CM100015/);
    assert.deepEqual(found[1].data, { fix: 'replace', candidates: ['CM100015'] });
  });

  test('naming a file of another kind is reported', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 'd.tsq.yaml': deployment('./c.tsq.yaml', 'CM100015') });
    assert.match(findings(ws, 'd.tsq.yaml', 'broken-reference')[0].message, /catalog file, not a sequence/);
  });

  test('without any catalog the collection is not checked', () => {
    const ws = workspace({ 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM999999') });
    assert.deepEqual(findings(ws, 'd.tsq.yaml', 'broken-reference'), []);
  });
});

describe('deploy-broken-sequence', () => {
  const broken = OS_SEQUENCE.replace('image: CM100042', 'image: CM100099');

  test('deploying a sequence with a broken reference is an error that points at it', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': broken, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015') });
    const [f] = findings(ws, 'd.tsq.yaml', 'deploy-broken-sequence');
    assert.equal(covered(ws, f), './s.tsq.yaml');
    assert.match(f.message, /1 broken reference \(first at \.\/s\.tsq\.yaml:\d+: OS image `CM100099`/);
    assert.equal(f.related?.[0].docId, path('s.tsq.yaml'));
  });

  test('a broken reference in a child sequence blocks the deployment too', () => {
    const parent = `sequence: Parent\nsteps:\n  - name: Child\n    action: RunTaskSequence\n    with: { sequence: ./child.tsq.yaml }\n`;
    const ws = workspace({ 'c.tsq.yaml': catalog(), 'p.tsq.yaml': parent, 'child.tsq.yaml': broken, 'd.tsq.yaml': deployment('./p.tsq.yaml', 'CM100015') });
    assert.equal(findings(ws, 'd.tsq.yaml', 'deploy-broken-sequence')[0].related?.[0].docId, path('child.tsq.yaml'));
  });

  test('a sequence whose references all resolve deploys', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015') });
    assert.deepEqual(findings(ws, 'd.tsq.yaml', 'deploy-broken-sequence'), []);
  });

  test('against a partial catalog unknown IDs are only warnings, so the deployment is not blocked', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog() + 'partial: true\n', 's.tsq.yaml': broken, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015') });
    assert.deepEqual(findings(ws, 'd.tsq.yaml', 'deploy-broken-sequence'), []);
  });
});

describe('high-risk-deployment', () => {
  const collections = `  - { id: CM100070, name: All workstations, type: device, members: 2500 }
  - { id: CM100071, name: Big wave, type: device, members: 300 }
  - { id: CM100072, name: Servers too, type: device, members: 20, servers: 3 }
  - { id: CM100073, name: Site systems too, type: device, members: 20, siteSystems: true }
  - { id: SMS00001, name: All Systems, type: device }
  - { id: SMS000US, name: All Unknown Computers, type: device }
`;
  const site = '  highRisk: { defaultSize: 100, maximumSize: 1000, siteSystems: block }';
  const run = (collection: string, purpose = 'required', seq = OS_SEQUENCE, siteLines = site) => {
    const ws = workspace({ 'c.tsq.yaml': catalog({ site: siteLines, collections }), 's.tsq.yaml': seq, 'd.tsq.yaml': deployment('./s.tsq.yaml', collection, `purpose: ${purpose}\n`) });
    return findings(ws, 'd.tsq.yaml', 'high-risk-deployment');
  };

  test('over the maximum size is an error; over the default size a warning', () => {
    assert.deepEqual(run('CM100070').map((f) => f.severity), ['error']);
    assert.match(run('CM100070')[0].message, /2500 members, more than the site’s maximum of 1000/);
    assert.deepEqual(run('CM100071').map((f) => f.severity), ['warning']);
  });

  test('site systems are an error when the site blocks them, a warning when it asks', () => {
    assert.deepEqual(run('CM100073').map((f) => f.severity), ['error']);
    assert.deepEqual(run('CM100073', 'required', OS_SEQUENCE, '  highRisk: { siteSystems: warn }').map((f) => f.severity), ['warning']);
  });

  test('servers need confirmation', () => {
    const [f] = run('CM100072');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /contains servers/);
  });

  test('built-in collections other than All Unknown Computers are refused', () => {
    assert.match(run('SMS00001')[0].message, /built-in collection/);
    assert.deepEqual(run('SMS000US'), []);
  });

  test('without site settings ConfigMgr’s default size of 100 applies', () => {
    assert.deepEqual(run('CM100071', 'required', OS_SEQUENCE, '').map((f) => f.severity), ['warning']);
    assert.deepEqual(run('CM100070', 'required', OS_SEQUENCE, '').map((f) => f.severity), ['warning'], 'no maximum by default');
  });

  test('available deployments and sequences that install no OS are not high-risk', () => {
    assert.deepEqual(run('CM100070', 'available'), []);
    assert.deepEqual(run('CM100070', 'required', CUSTOM_SEQUENCE), []);
  });

  test('the finding names the step that installs the OS', () => {
    const [f] = run('CM100071');
    assert.match(f.message, /step “Apply Windows”/);
    assert.equal(f.related?.[0].docId, path('s.tsq.yaml'));
  });
});

describe('content-option', () => {
  test('downloading everything first cannot go with boot media and PXE', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015', 'makeAvailableTo: mediaAndPxe\ncontent: downloadAll\n') });
    const [f] = findings(ws, 'd.tsq.yaml', 'content-option');
    assert.equal(covered(ws, f), 'downloadAll');
    assert.deepEqual(f.data, { fix: 'replace', candidates: ['downloadWhenNeeded'] });
  });

  test('downloading everything first is fine for clients only', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015', 'makeAvailableTo: clients\ncontent: downloadAll\n') });
    assert.deepEqual(findings(ws, 'd.tsq.yaml', 'content-option'), []);
  });

  test('running from the distribution point needs package shares: none is an error, unknown a warning', () => {
    const seq = OS_SEQUENCE.replace('package: CM100078', 'package: CM100077') + '  - name: Branding\n    action: InstallPackage\n    with: { package: CM100078, program: Install }\n';
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': seq, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015', 'content: runFromDistributionPoint\n') });
    const found = findings(ws, 'd.tsq.yaml', 'content-option');
    assert.deepEqual(found.map((f) => f.severity), ['error', 'warning']);
    assert.match(found[0].message, /package CM100077 \(Scripts\) has none/);
    assert.match(found[1].message, /CM100078/);
  });

  test('running from the distribution point with shares everywhere is fine', () => {
    const seq = OS_SEQUENCE.replace('    run: cmd.exe /c setup.cmd\n    package: CM100078\n', '    run: cmd.exe /c setup.cmd\n');
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': seq, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015', 'content: runFromDistributionPoint\n') });
    assert.deepEqual(findings(ws, 'd.tsq.yaml', 'content-option'), []);
  });
});

describe('network-access-account', () => {
  const noNaa = (ehttp: boolean) => `  networkAccessAccount: false\n  enhancedHttp: ${ehttp}`;
  const lint = (files: Record<string, string>, name: string) => findings(workspace(files), name, 'network-access-account');

  test('boot media and PXE read content in Windows PE: an error without the account or Enhanced HTTP', () => {
    const files = { 'c.tsq.yaml': catalog({ site: noNaa(false) }), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015', 'makeAvailableTo: clientsMediaAndPxe\n') };
    const [f] = lint(files, 'd.tsq.yaml');
    assert.match(f.message, /Boot media and PXE/);
    files['c.tsq.yaml'] = catalog({ site: noNaa(true) });
    assert.deepEqual(lint(files, 'd.tsq.yaml'), [], 'Enhanced HTTP lifts it');
  });

  test('from Software Center, a sequence that reads content in Windows PE needs it too, unless Enhanced HTTP is on', () => {
    const files = { 'c.tsq.yaml': catalog({ site: noNaa(false) }), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015') };
    const [f] = lint(files, 'd.tsq.yaml');
    assert.match(f.message, /reads content in Windows PE/);
    assert.equal(f.related?.[0].docId, path('s.tsq.yaml'));
    files['c.tsq.yaml'] = catalog({ site: noNaa(true) });
    assert.deepEqual(lint(files, 'd.tsq.yaml'), []);
  });

  test('a custom sequence from Software Center reads content in the full OS: no account needed', () => {
    const files = { 'c.tsq.yaml': catalog({ site: noNaa(false) }), 's.tsq.yaml': CUSTOM_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015') };
    assert.deepEqual(lint(files, 'd.tsq.yaml'), []);
  });

  test('running from the distribution point needs it even with Enhanced HTTP', () => {
    const files = { 'c.tsq.yaml': catalog({ site: noNaa(true) }), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015', 'content: runFromDistributionPoint\n') };
    const [f] = lint(files, 'd.tsq.yaml');
    assert.equal(covered(workspace(files), f), 'runFromDistributionPoint');
  });

  test('members in an untrusted domain need it', () => {
    const files = { 'c.tsq.yaml': catalog({ site: noNaa(true), collections: '  - { id: CM100080, name: Partner PCs, type: device, untrustedDomain: true }\n' }), 's.tsq.yaml': OS_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100080') };
    assert.match(lint(files, 'd.tsq.yaml')[0].message, /domain the site does not trust/);
  });

  test('in a sequence: direct access, the state store fallback, multicast and “Run another program first”', () => {
    const seq = `sequence: Uses the account
bootImage: CM100005
configMgr:
  DependentProgram: "CM100077;;Install"
steps:
  - name: Apply from the share
    action: ApplyOperatingSystemImage
    with: { image: CM100042, index: 3, runFromNet: true }
  - name: Apply by multicast
    action: ApplyOperatingSystemImage
    with: { image: CM100044, index: 1 }
  - name: State store
    action: RequestStateStore
    with: { requestType: capture, fallbackToNaa: true }
`;
    const ws = workspace({ 'c.tsq.yaml': catalog({ site: noNaa(true) }), 's.tsq.yaml': seq });
    const found = findings(ws, 's.tsq.yaml', 'network-access-account');
    assert.deepEqual(found.map((f) => covered(ws, f)), ['"CM100077;;Install"', 'true', 'CM100044', 'true']);
  });

  test('nothing is reported while the catalog does not say the account is missing', () => {
    const seq = OS_SEQUENCE.replace('index: 3 }', 'index: 3, runFromNet: true }');
    const files = { 'c.tsq.yaml': catalog({ site: '  enhancedHttp: false' }), 's.tsq.yaml': seq, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100015', 'makeAvailableTo: mediaAndPxe\ncontent: runFromDistributionPoint\n') };
    assert.deepEqual(lint(files, 'd.tsq.yaml'), []);
    assert.deepEqual(lint(files, 's.tsq.yaml'), []);
  });

  test('disabled steps do not count', () => {
    const seq = OS_SEQUENCE.replace('index: 3 }', 'index: 3, runFromNet: true }\n    disabled: true');
    assert.deepEqual(lint({ 'c.tsq.yaml': catalog({ site: noNaa(true) }), 's.tsq.yaml': seq }, 's.tsq.yaml'), []);
  });
});

describe('Windows Embedded', () => {
  const kiosks = (windows: string) => `  - id: CM100090\n    name: Kiosks\n    type: device\n    windowsEmbedded: true\n${windows}`;
  const nightly = '    maintenanceWindows:\n      - { start: 2025-01-01 02:00, duration: 2h, recurrence: daily }\n';
  const updatesOnly = '    maintenanceWindows:\n      - { start: 2025-01-01 02:00, duration: 2h, recurrence: daily, appliesTo: softwareUpdates }\n';

  test('write-filter: changes left in the overlay are a warning with a fix', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog({ collections: kiosks(nightly) }), 's.tsq.yaml': CUSTOM_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100090', 'writeFilter: { commitChanges: false }\n') });
    const [f] = findings(ws, 'd.tsq.yaml', 'write-filter');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { fix: 'replace', candidates: ['true'] });
  });

  test('write-filter: committing the changes (the default) is fine, and so is a collection without Embedded devices', () => {
    const ok = workspace({ 'c.tsq.yaml': catalog({ collections: kiosks(nightly) }), 's.tsq.yaml': CUSTOM_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100090', 'writeFilter: { commitChanges: true }\n') });
    assert.deepEqual(findings(ok, 'd.tsq.yaml', 'write-filter'), []);
    const plain = workspace({ 'c.tsq.yaml': catalog({ collections: '  - { id: CM100091, type: device, windowsEmbedded: false }\n' }), 's.tsq.yaml': CUSTOM_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100091', 'writeFilter: { commitChanges: false }\n') });
    assert.deepEqual(findings(plain, 'd.tsq.yaml', 'write-filter'), []);
  });

  test('embedded-maintenance-window: Embedded devices without a window for task sequences', () => {
    for (const windows of ['', updatesOnly]) {
      const ws = workspace({ 'c.tsq.yaml': catalog({ collections: kiosks(windows) }), 's.tsq.yaml': CUSTOM_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100090') });
      const [f] = findings(ws, 'd.tsq.yaml', 'embedded-maintenance-window');
      assert.equal(covered(ws, f), 'CM100090');
      assert.equal(f.related?.[0].docId, path('c.tsq.yaml'));
    }
  });

  test('embedded-maintenance-window: a window that applies is enough', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog({ collections: kiosks(nightly) }), 's.tsq.yaml': CUSTOM_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100090') });
    assert.deepEqual(findings(ws, 'd.tsq.yaml', 'embedded-maintenance-window'), []);
  });
});

describe('maintenance-window', () => {
  const branch = `  - id: CM100095
    name: Branch PCs
    type: device
    members: 40
    maintenanceWindows:
      - { name: Saturday night, start: 2025-01-04 22:00, duration: 4h, recurrence: weekly, weekday: saturday }
      - { name: Updates, start: 2025-01-01 20:00, duration: 2h, recurrence: daily, appliesTo: softwareUpdates }
`;
  const lint = (extra: string, collections = branch) => {
    const ws = workspace({ 'c.tsq.yaml': catalog({ collections }), 's.tsq.yaml': CUSTOM_SEQUENCE, 'd.tsq.yaml': deployment('./s.tsq.yaml', 'CM100095', extra) });
    return { ws, found: findings(ws, 'd.tsq.yaml', 'maintenance-window') };
  };

  test('a deadline outside every window tells when the sequence will start', () => {
    // 2025-03-10 is a Monday; the next Saturday night window opens 2025-03-15 22:00.
    const { ws, found } = lint('purpose: required\ndeadline: 2025-03-10 09:00\n');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'information');
    assert.equal(covered(ws, found[0]), '2025-03-10 09:00');
    assert.match(found[0].message, /open at the deadline \(Monday 2025-03-10 09:00\)\. It waits for “Saturday night” \(every Saturday at 22:00 for 4 h\), opening Saturday 2025-03-15 22:00/);
  });

  test('the software-update window open at the deadline does not let it start', () => {
    const { found } = lint('purpose: required\ndeadline: 2025-03-10 21:00\n');
    assert.equal(found.length, 1);
  });

  test('a deadline inside a window starts at once: nothing to say', () => {
    assert.deepEqual(lint('purpose: required\ndeadline: 2025-03-15 23:00\n').found, []);
  });

  test('starting outside windows, available deployments and collections without windows are quiet', () => {
    assert.deepEqual(lint('purpose: required\ndeadline: 2025-03-10 09:00\noutsideMaintenanceWindow: { install: true }\n').found, []);
    assert.deepEqual(lint('purpose: available\n').found, []);
    assert.deepEqual(lint('purpose: required\ndeadline: 2025-03-10 09:00\n', '  - { id: CM100095, type: device }\n').found, []);
  });

  test('as soon as possible waits for the first window', () => {
    const { found } = lint('purpose: required\ndeadline: asap\n');
    assert.match(found[0].message, /first maintenance window, “Saturday night”.*opening Saturday 2025-01-04 22:00/);
  });

  test('a window that never opens again means the sequence never starts: a warning', () => {
    const once = '  - id: CM100095\n    type: device\n    maintenanceWindows:\n      - { start: 2025-01-04 22:00, duration: 4h }\n';
    const [f] = lint('purpose: required\ndeadline: 2025-03-10 09:00\n', once).found;
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /never start/);
  });

  test('a deployment that expires before the next window never starts either', () => {
    const [f] = lint('purpose: required\ndeadline: 2025-03-10 09:00\nexpiresAt: 2025-03-14 00:00\n').found;
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /expires at Friday 2025-03-14 00:00/);
  });
});
