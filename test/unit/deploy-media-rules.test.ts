// The media rules, each with a case that must be reported and one that must not: stand-alone
// media (network steps at the step and on the media, no boot image, custom sequences, content
// left off), FAT32's 4 GB limit, and the media's architecture against images, drivers and the
// target machines.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CUSTOM_SEQUENCE, OS_SEQUENCE, catalog, covered, findings, path, workspace } from './deploy-fixtures';

function media(lines: string): string {
  return `media: Test media\n${lines}`;
}

const standalone = (extra = '') => media(`type: standalone\nsequence: ./s.tsq.yaml\ndevice: iso\n${extra}`);

/** OS_SEQUENCE with steps that need the network. */
const NETWORK_SEQUENCE = OS_SEQUENCE + `  - name: Find drivers
    action: AutoApplyDrivers
  - name: Updates
    action: InstallSoftwareUpdates
    with: { target: mandatory }
  - name: Dynamic apps
    action: InstallApplication
    with: { baseVariableName: APPS }
  - name: Logs share
    action: ConnectToNetworkFolder
    with: { path: '\\\\server\\logs', driveLetter: 'L:', username: CONTOSO\\tsq, password: { env: LOG_SHARE_PASSWORD } }
`;

describe('standalone-media', () => {
  test('each step that needs the network is reported at the step, naming why, with a fix that skips it on media', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': NETWORK_SEQUENCE, 'm.tsq.yaml': standalone() });
    const found = findings(ws, 's.tsq.yaml', 'standalone-media');
    assert.deepEqual(found.map((f) => [covered(ws, f), f.severity]), [
      ['AutoApplyDrivers', 'error'],
      ['InstallSoftwareUpdates', 'error'],
      ['APPS', 'error'],
      ['ConnectToNetworkFolder', 'warning'],
    ]);
    assert.match(found[0].message, /Auto Apply Drivers cannot run from stand-alone media “Test media” \(\.\/m\.tsq\.yaml\): it asks the management point/);
    const data = found[0].data;
    assert.ok(data && data.fix === 'add-condition');
    assert.equal(data.condition, '_SMSTSMediaType != "FullMedia"');
    assert.match(ws.get(path('s.tsq.yaml'))!.text.slice(data.stepStart, data.stepEnd), /^name: Find drivers/);
  });

  test('the media file sums them up, errors and warnings apart, with every step as related information', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': NETWORK_SEQUENCE, 'm.tsq.yaml': standalone() });
    const found = findings(ws, 'm.tsq.yaml', 'standalone-media');
    assert.deepEqual(found.map((f) => [covered(ws, f), f.severity, f.related?.length]), [['./s.tsq.yaml', 'error', 3], ['./s.tsq.yaml', 'warning', 1]]);
  });

  test('a step guarded with _SMSTSMediaType != "FullMedia" is skipped on the media and not reported', () => {
    const guarded = OS_SEQUENCE + `  - group: Online only
    when: _SMSTSMediaType != "FullMedia" and _SMSTSInWinPE == "false"
    steps:
      - name: Find drivers
        action: AutoApplyDrivers
  - name: Updates on PXE only
    when: _SMSTSMediaType == "PXE"
    action: InstallSoftwareUpdates
`;
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': guarded, 'm.tsq.yaml': standalone() });
    assert.deepEqual(findings(ws, 's.tsq.yaml', 'standalone-media'), []);
    assert.deepEqual(findings(ws, 'm.tsq.yaml', 'standalone-media'), []);
  });

  test('steps of a child sequence are reported in the child, and counted on the media', () => {
    const parent = OS_SEQUENCE + '  - name: Extras\n    action: RunTaskSequence\n    with: { sequence: ./child.tsq.yaml }\n';
    const child = 'sequence: Extras\nsteps:\n  - name: Download\n    action: DownloadPackageContent\n    with: { packages: [CM100078], destination: tsCache }\n';
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': parent, 'child.tsq.yaml': child, 'm.tsq.yaml': standalone() });
    assert.equal(findings(ws, 'child.tsq.yaml', 'standalone-media').length, 1);
    assert.equal(findings(ws, 's.tsq.yaml', 'standalone-media').length, 0);
    assert.equal(findings(ws, 'm.tsq.yaml', 'standalone-media')[0].related?.[0].docId, path('child.tsq.yaml'));
  });

  test('the pre-production client and user device affinity need the site', () => {
    const seq = OS_SEQUENCE.replace('clientPackage: CM100010 }', 'clientPackage: CM100010, preProductionClientPackage: CM100010 }').replace('bootImage: CM100005\n', 'bootImage: CM100005\nvariables:\n  SMSTSAssignUsersMode: Auto\n');
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': seq, 'm.tsq.yaml': standalone() });
    assert.deepEqual(findings(ws, 's.tsq.yaml', 'standalone-media').map((f) => covered(ws, f)), ['SMSTSAssignUsersMode', 'CM100010']);
  });

  test('a sequence without a boot image, or that installs no OS, cannot go on stand-alone media', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': CUSTOM_SEQUENCE, 'm.tsq.yaml': standalone() });
    const messages = findings(ws, 'm.tsq.yaml', 'standalone-media').map((f) => f.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /no boot image/);
    assert.match(messages[1], /installs no operating system/);
  });

  test('content left off stand-alone media is an error with a fix', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'm.tsq.yaml': standalone('includeContent: false\n') });
    const [f] = findings(ws, 'm.tsq.yaml', 'standalone-media');
    assert.equal(covered(ws, f), 'false');
    assert.deepEqual(f.data, { fix: 'replace', candidates: ['true'] });
  });

  test('an OS sequence without network steps is fine on stand-alone media', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'm.tsq.yaml': standalone() });
    assert.deepEqual(findings(ws, 'm.tsq.yaml'), []);
    assert.deepEqual(findings(ws, 's.tsq.yaml', 'standalone-media'), []);
  });

  test('network steps are fine on bootable media and in sequences no stand-alone media carries', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': NETWORK_SEQUENCE, 'm.tsq.yaml': media('type: bootable\nbootImage: CM100005\n') });
    assert.deepEqual(findings(ws, 's.tsq.yaml', 'standalone-media'), []);
    assert.deepEqual(findings(ws, 'm.tsq.yaml', 'standalone-media'), []);
  });
});

describe('fat32-file-size', () => {
  test('an OS image of 4 GB or more cannot go on a FAT32 drive', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'm.tsq.yaml': media('type: standalone\nsequence: ./s.tsq.yaml\ndevice: usb\n') });
    const [f] = findings(ws, 'm.tsq.yaml', 'fat32-file-size');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /CM100042 \(Windows 11\) is a single 5\.1 GB file/);
    assert.deepEqual(f.related?.map((r) => r.docId), [path('s.tsq.yaml'), path('c.tsq.yaml')]);
  });

  test('other content that large may hold such a file: a warning', () => {
    const seq = OS_SEQUENCE.replace('image: CM100042, index: 3', 'upgradePackage: CM100045, editionIndex: 1').replace('index: 3', '');
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': seq, 'm.tsq.yaml': media('type: standalone\nsequence: ./s.tsq.yaml\nfileSystem: fat32\n') });
    const found = findings(ws, 'm.tsq.yaml', 'fat32-file-size');
    assert.deepEqual(found.map((f) => [covered(ws, f), f.severity]), [['fat32', 'warning']]);
  });

  test('ISO files, NTFS drives and images under 4 GB are fine', () => {
    for (const lines of ['device: iso\n', 'device: usb\nfileSystem: ntfs\n']) {
      const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'm.tsq.yaml': media(`type: standalone\nsequence: ./s.tsq.yaml\n${lines}`) });
      assert.deepEqual(findings(ws, 'm.tsq.yaml', 'fat32-file-size'), [], lines);
    }
    const small = OS_SEQUENCE.replace('image: CM100042, index: 3', 'image: CM100043, index: 1').replace('bootImage: CM100005', 'bootImage: CM100006');
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': small, 'm.tsq.yaml': media('type: standalone\nsequence: ./s.tsq.yaml\n') });
    assert.deepEqual(findings(ws, 'm.tsq.yaml', 'fat32-file-size'), []);
  });
});

describe('architecture-mismatch on media', () => {
  const machine = (arch: string) => `machine: Laptop\narchitecture: ${arch}\nfirmware: uefi\n`;

  test('media that cannot start the computers its OS image is for is an error', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'm.tsq.yaml': media('type: prestaged\nsequence: ./s.tsq.yaml\nbootImage: CM100006\n') });
    const found = findings(ws, 'm.tsq.yaml', 'architecture-mismatch');
    assert.deepEqual(found.map((f) => [covered(ws, f), f.severity]), [['CM100006', 'error'], ['CM100006', 'warning']]);
    assert.match(found[0].message, /media is x86 \(boot image CM100006\), but OS image CM100042 \(Windows 11\) is x64/);
    assert.match(found[1].message, /driver package CM100050/);
  });

  test('a target machine of another architecture is an error at its path', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 'arm.tsq.yaml': machine('arm64'), 'x64.tsq.yaml': machine('x64'), 'm.tsq.yaml': media('type: bootable\nbootImage: CM100005\nmachine: [./arm.tsq.yaml, ./x64.tsq.yaml]\n') });
    const found = findings(ws, 'm.tsq.yaml', 'architecture-mismatch');
    assert.deepEqual(found.map((f) => [covered(ws, f), f.severity]), [['./arm.tsq.yaml', 'error']]);
    assert.match(found[0].message, /starts the media and the sequence then fails/);
  });

  test('a stated architecture that disagrees with the boot image is a warning', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 'm.tsq.yaml': media('type: bootable\nbootImage: CM100005\narchitecture: x86\n') });
    const [f] = findings(ws, 'm.tsq.yaml', 'architecture-mismatch');
    assert.equal(f.severity, 'warning');
    assert.equal(covered(ws, f), 'x86');
  });

  test('without a catalog the stated architecture is compared with the machines', () => {
    const ws = workspace({ 'x64.tsq.yaml': machine('x64'), 'm.tsq.yaml': media('type: capture\nbootImage: CM100006\narchitecture: x86\nmachine: ./x64.tsq.yaml\n') });
    assert.equal(findings(ws, 'm.tsq.yaml', 'architecture-mismatch').length, 1);
  });

  test('matching media, images, drivers and machines are fine', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'x64.tsq.yaml': machine('x64'), 'm.tsq.yaml': standalone('architecture: x64\nmachine: ./x64.tsq.yaml\n') });
    assert.deepEqual(findings(ws, 'm.tsq.yaml'), []);
  });
});

describe('broken-reference in media files', () => {
  test('an unknown boot image, a missing sequence and a machine path that is not a machine', () => {
    const ws = workspace({ 'c.tsq.yaml': catalog(), 's.tsq.yaml': OS_SEQUENCE, 'm.tsq.yaml': media('type: prestaged\nsequence: ./S.tsq.yaml\nbootImage: CM100007\nmachine: ./s.tsq.yaml\n') });
    const found = findings(ws, 'm.tsq.yaml', 'broken-reference');
    assert.deepEqual(found.map((f) => [covered(ws, f), f.severity]), [['./S.tsq.yaml', 'warning'], ['CM100007', 'error'], ['./s.tsq.yaml', 'error']]);
    assert.deepEqual(found[0].data, { fix: 'replace', candidates: ['./s.tsq.yaml'] });
  });
});
