// `tsq doc`, `tsq simulate --report` and `tsq diff --format md` as a terminal or CI sees them:
// exit codes, what they print and write, hostile names kept as text, outputs never written over
// an input, and the change report telling a move from a remove and an add, and a rename.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tsq, inTempDir } from '../helpers/cli';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const BASE = `sequence: Hostile <script>alert(1)</script>
description: Builds | lab machines
steps:
  - group: Prepare
    when: _SMSTSInWinPE == "true"
    steps:
      - name: Partition
        action: FormatAndPartitionDisk
        with: { disk: 0, partitionStyle: gpt }
      - name: Set ring
        action: SetTaskSequenceVariable
        with: { variable: Ring, value: pilot }
  - group: Configure
    steps:
      - name: Setup
        run: cmd.exe /c setup.cmd %Ring%
        continueOnError: true
      - name: Cleanup
        run: cmd.exe /c cleanup.cmd
        disabled: true
`;

test('tsq doc prints a Markdown document with every step in order, numbered as ConfigMgr counts', async () => {
  const r = await tsq('doc', path.join(EXAMPLES, 'deploy-windows-11.tsq.yaml'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^# Deploy Windows 11$/m);
  assert.match(r.out, /Boot image: CM100005 — Boot image \(x64\), 10.0.26100, x64/);
  assert.match(r.out, /\| 0 \| {3}\| ▸ Prepare the disk \| Group \|/);
  assert.match(
    r.out,
    /\| 18 \| Configure \| Restart into Windows \| Restart Computer \|/,
    "the child sequence's instructions count before the next step",
  );
  assert.match(
    r.out,
    /the WMI query "SELECT \\\* FROM Win32\\_ComputerSystem WHERE Model LIKE '%Latitude 7440%'" returns something/,
  );
  assert.match(r.out, /\| OS image \| CM100042 \| Windows 11 Enterprise 24H2 \| 26100.2033 \| x64 \|/);
  assert.match(r.out, /\| ContosoDeployedRing \| 10 Record the deployment ring \| 11 Run setup script \|/);
});

test('tsq doc writes HTML and a linked folder of documents; hostile names stay text', async () => {
  await inTempDir(async (dir) => {
    const seq = write(dir, 'lab.tsq.yaml', BASE);
    const out = path.join(dir, 'lab.html');
    const r = await tsq('doc', seq, '--out', out);
    assert.equal(r.code, 0, r.err);
    const html = fs.readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /Hostile &lt;script&gt;/);
    assert.match(html, /Content-Security-Policy/);
    assert.match(html, /<td>yes<\/td>/, 'continue on error');
    assert.match(html, /<td>disabled<\/td>/);

    fs.mkdirSync(path.join(dir, 'ws'));
    for (const f of ['deploy-windows-11.tsq.yaml', 'install-apps.tsq.yaml', 'catalog.tsq.yaml'])
      fs.copyFileSync(path.join(EXAMPLES, f), path.join(dir, 'ws', f));
    const folder = await tsq(
      'doc',
      path.join(dir, 'ws', 'deploy-windows-11.tsq.yaml'),
      path.join(dir, 'ws', 'install-apps.tsq.yaml'),
      '--out',
      path.join(dir, 'docs'),
    );
    assert.equal(folder.code, 0, folder.err);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'docs')).sort(), ['deploy-windows-11.md', 'install-apps.md']);
    assert.match(
      fs.readFileSync(path.join(dir, 'docs', 'deploy-windows-11.md'), 'utf8'),
      /\[Install standard applications\]\(<install-apps\.md>\)/,
    );
  });
});

test('tsq doc exit codes: 2 for usage, for no sequence, and for an output over an input (nothing written)', async () => {
  await inTempDir(async (dir) => {
    const seq = write(dir, 'lab.tsq.yaml', BASE);
    assert.equal((await tsq('doc')).code, 2);
    assert.equal((await tsq('doc', seq, '--format', 'pdf')).code, 2);
    const none = await tsq('doc', path.join(EXAMPLES, 'catalog.tsq.yaml'));
    assert.equal(none.code, 2);
    assert.match(none.err, /no task sequence/);
    const over = await tsq('doc', seq, '--out', seq, '--format', 'md');
    assert.equal(over.code, 2);
    assert.equal(fs.readFileSync(seq, 'utf8'), BASE, 'the input is untouched');
    fs.symlinkSync(path.join(dir, 'elsewhere.md'), path.join(dir, 'link.md'));
    const link = await tsq('doc', seq, '--out', path.join(dir, 'link.md'));
    assert.equal(link.code, 2);
    assert.ok(!fs.existsSync(path.join(dir, 'elsewhere.md')), 'nothing written through the link');
  });
});

test('tsq simulate --report writes the run report (HTML or Markdown) beside the usual output', async () => {
  await inTempDir(async (dir) => {
    const html = path.join(dir, 'run.html');
    const r = await tsq(
      'simulate',
      path.join(EXAMPLES, 'deploy-windows-11.tsq.yaml'),
      '--machine',
      path.join(EXAMPLES, 'lab-vm.tsq.yaml'),
      '--report',
      html,
    );
    assert.equal(r.code, 0, r.err);
    const text = fs.readFileSync(html, 'utf8');
    assert.match(text, /<h1>Run report: Deploy Windows 11<\/h1>/);
    assert.match(text, /✔ Succeeded in 39 min 34 s/);
    assert.match(text, /↷<\/span>HP EliteBook 840 G10 <span class="detail">— skipped: WMI query/);
    assert.match(text, /<h2 id="restarts">Restarts \(2\)<\/h2>/);
    assert.match(text, /Downloaded the OS image CM100042/);
    assert.match(text, /<td>ContosoDeployedRing<\/td><td>pilot<\/td>/);
    assert.doesNotMatch(text, /<script|https?:\/\//);

    const md = path.join(dir, 'run.md');
    assert.equal(
      (
        await tsq(
          'simulate',
          path.join(EXAMPLES, 'deploy-windows-11.tsq.yaml'),
          '--machine',
          path.join(EXAMPLES, 'lab-vm.tsq.yaml'),
          '--report',
          md,
        )
      ).code,
      0,
    );
    assert.match(fs.readFileSync(md, 'utf8'), /^ {2}- ✔ Partition disk 0 \(UEFI\) — exit code 0; 20 s$/m);
    const bad = await tsq(
      'simulate',
      path.join(EXAMPLES, 'deploy-windows-11.tsq.yaml'),
      '--report',
      path.join(dir, 'run.pdf'),
    );
    assert.equal(bad.code, 2);
  });
});

async function diffMd(dir: string, a: string, b: string) {
  return tsq('diff', write(dir, 'a.tsq.yaml', a), write(dir, 'b.tsq.yaml', b), '--format', 'md');
}

test('tsq diff --format md: a step moved to another group is a move, not a remove and an add', async () => {
  await inTempDir(async (dir) => {
    const moved = BASE.replace(/      - name: Set ring\n.*\n.*\n/, '').replace(
      '  - group: Configure\n    steps:\n',
      '  - group: Configure\n    steps:\n      - name: Set ring\n        action: SetTaskSequenceVariable\n        with: { variable: Ring, value: pilot }\n',
    );
    const r = await diffMd(dir, BASE, moved);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /## Moved \(1\)\n\n- step “Set ring” moved from Prepare to Configure/);
    assert.doesNotMatch(r.out, /## (Added|Removed)/);
  });
});

test('tsq diff --format md: a rename, a changed condition and option in words, a real remove and add', async () => {
  await inTempDir(async (dir) => {
    const changed = BASE.replace('name: Partition', 'name: Partition disk 0')
      .replace('_SMSTSInWinPE == "true"', '_SMSTSInWinPE == "false"')
      .replace('value: pilot', 'value: broad')
      .replace(
        '      - name: Cleanup\n        run: cmd.exe /c cleanup.cmd\n        disabled: true\n',
        '      - name: Report\n        run: cmd.exe /c report.cmd\n',
      );
    const r = await diffMd(dir, BASE, changed);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /step “Partition” in Prepare is now called “Partition disk 0”/);
    assert.match(
      r.out,
      /group “Prepare” at the top: runs when \\_SMSTSInWinPE is "false" \(was: \\_SMSTSInWinPE is "true"\)/,
    );
    assert.match(r.out, /step “Set ring” in Prepare: value: “pilot” → “broad”/);
    assert.match(r.out, /## Removed \(1\)\n\n- step “Cleanup” in Configure/);
    assert.match(r.out, /## Added \(1\)\n\n- step “Report” in Configure/);
    const same = await diffMd(dir, BASE, BASE);
    assert.equal(same.code, 0);
    assert.match(same.out, /No changes/);
  });
});
