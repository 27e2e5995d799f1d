// `tsq simulate` as the CLI contract of design.md says: text for people, json for machines, exit
// 0 / 1 / 2, invalid input refused with the diagnostics — and Microsoft's continue-on-error example
// through the command line.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { FIXTURES, ROOT } from '../simulator/helpers';

async function tsq(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const io: CliIO = { out: (s) => void (out += s), err: (s) => void (err += s), color: false, version: '0.0.0-test' };
  const code = await main(args, io);
  return { code, out, err };
}

const table = path.join(FIXTURES, 'continue-on-error-table.tsq.yaml');
const machine = (n: number) => path.join(FIXTURES, `step${n}-fails.tsq.yaml`);
const example = (name: string) => path.join(ROOT, 'examples', name);

interface Run {
  result: string;
  steps: { path: string; name: string; kind: string; status: string; exitCode?: number; reason?: string }[];
  variables: Record<string, string>;
}

async function json(...args: string[]): Promise<{ code: number; run: Run }> {
  const r = await tsq('simulate', '--format', 'json', ...args);
  assert.equal(r.err, '', r.err);
  return { code: r.code, run: JSON.parse(r.out) as Run };
}

const status = (run: Run, p: string) => run.steps.find((s) => s.path === p)?.status ?? 'absent';

/** Runs `body` with a fresh folder that is removed afterwards. */
async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-sim-'));
  try {
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("tsq simulate: Microsoft's continue-on-error example", () => {
  it('step 1 fails: step 2 runs next, and the sequence succeeds (exit 0)', async () => {
    const { code, run } = await json('--machine', machine(1), table);
    assert.equal(code, 0);
    assert.equal(run.result, 'succeeded');
    assert.equal(status(run, 'Task sequence group 1/Task sequence step 1'), 'failed-continued');
    const paths = run.steps.map((s) => s.path);
    assert.equal(
      paths[paths.indexOf('Task sequence group 1/Task sequence step 1') + 1],
      'Task sequence group 1/Task sequence step 2',
    );
  });

  it('step 2 fails: step 3 is absent, group 1 continues, step 4 runs next (exit 0)', async () => {
    const { code, run } = await json('--machine', machine(2), table);
    assert.equal(code, 0);
    assert.equal(status(run, 'Task sequence group 1/Task sequence step 3'), 'absent');
    assert.equal(status(run, 'Task sequence group 1'), 'failed-continued');
    const paths = run.steps.map((s) => s.path);
    assert.deepEqual(paths.slice(paths.indexOf('Task sequence group 1/Task sequence step 2') + 1).slice(0, 2), [
      'Task sequence group 2',
      'Task sequence group 2/Task sequence step 4',
    ]);
  });

  it('step 4 fails: steps 5 and 6 are absent and the sequence fails (exit 1)', async () => {
    const { code, run } = await json('--machine', machine(4), table);
    assert.equal(code, 1);
    assert.equal(run.result, 'failed');
    assert.equal(status(run, 'Task sequence group 2/Task sequence step 4'), 'failed');
    assert.equal(status(run, 'Task sequence group 2/Task sequence step 5'), 'absent');
    assert.equal(status(run, 'Task sequence group 2/Task sequence step 6'), 'absent');
  });
});

describe('tsq simulate: output', () => {
  it('prints the contract’s JSON: result, steps with path, name, kind, status, exit code and reason, variables', async () => {
    const { code, run } = await json('--machine', example('lab-vm.tsq.yaml'), example('deploy-windows-11.tsq.yaml'));
    assert.equal(code, 0);
    assert.deepEqual(Object.keys(run), ['result', 'steps', 'variables']);
    const skipped = run.steps.find((s) => s.status === 'skipped');
    assert.ok(skipped?.reason, 'a skipped step says why');
    for (const s of run.steps) {
      assert.ok(['succeeded', 'failed', 'failed-continued', 'skipped', 'disabled'].includes(s.status));
      assert.ok(['group', 'step'].includes(s.kind));
      assert.ok(s.path.endsWith(s.name));
    }
    assert.equal(run.variables.OSDComputerName, 'LAB-PC01');
    assert.equal(run.variables._SMSTSInWinPE, 'false');
  });

  it('shows people a tree with ✔ and ↷ and the reason for each skip', async () => {
    const { code, out } = await tsq(
      'simulate',
      '--machine',
      example('lab-vm.tsq.yaml'),
      example('deploy-windows-11.tsq.yaml'),
    );
    assert.equal(code, 0);
    assert.match(out, /^✔ Prepare the disk$/m);
    assert.match(out, /^  ✔ Partition disk 0 \(UEFI\)/m);
    assert.match(out, /^    ↷ HP EliteBook 840 G10 — skipped: WMI query/m);
    assert.match(out, /✔ Succeeded in /);
  });

  it('marks failures with ✘ and says where the run failed', async () => {
    const { code, out } = await tsq('simulate', '--machine', machine(4), table);
    assert.equal(code, 1);
    assert.match(out, /^  ✘ Task sequence step 4 — failed: exit code 1 is not a success code/m);
    assert.match(out, /✘ Failed at "Task sequence group 2\/Task sequence step 4"/);
  });

  it('prints the log on request and writes it in the CMTrace format', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'smsts.log');
      const { out } = await tsq('simulate', '--log', '--log-file', file, '--machine', machine(1), table);
      assert.match(out, /Log \(in the manner of smsts\.log\):\n08:00:00 +TSManager +Task sequence/);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      assert.match(
        lines[0],
        /^<!\[LOG\[Task sequence "Continue on error \(Microsoft's example\)" starts.*\]LOG\]!><time="08:00:00\.000\+000" date="01-06-2025" component="TSManager"/,
      );
    }));

  it('starts the simulated clock where --start says', async () => {
    const { out } = await tsq('simulate', '--start', '2025-03-01T22:15:00Z', '--machine', machine(1), table);
    assert.match(out, /22:15:00–22:1\d:\d\d/);
  });
});

describe('tsq simulate: a deployment', () => {
  it('takes the content option and the variables of the targeted collection from a deployment file', () =>
    inTempDir(async (dir) => {
      const d = path.join(dir, 'lab.tsq.yaml');
      fs.writeFileSync(
        d,
        `deployment: Lab rollout\nid: CM120001\nsequence: ${example('deploy-windows-11.tsq.yaml')}\ncollection: CM100015\ncontent: downloadAll\n`,
      );
      const { code, run } = await json(
        '--machine',
        example('lab-vm.tsq.yaml'),
        '--deployment',
        d,
        example('deploy-windows-11.tsq.yaml'),
      );
      assert.equal(code, 0);
      assert.equal(run.variables.OSDDomainOU, 'OU=Workstations,DC=contoso,DC=com');
      assert.equal(run.variables._SMSTSAdvertID, 'CM120001');
      assert.equal(run.variables._SMSTSDownloadOnDemand, 'false');
    }));
});

describe('tsq simulate: refusing input', () => {
  it('refuses a sequence with lint errors, printing them (exit 2)', async () => {
    const { code, out, err } = await tsq('simulate', example('broken/deploy.tsq.yaml'));
    assert.equal(code, 2);
    assert.equal(out, '');
    assert.match(err, /deploy\.tsq\.yaml:\d+:\d+ error .*\[broken-reference\]/);
    assert.match(err, /fix them first/);
  });

  it('refuses a machine profile with an unknown key (exit 2)', () =>
    inTempDir(async (dir) => {
      const m = path.join(dir, 'm.tsq.yaml');
      fs.writeFileSync(m, 'machine: Typo\nstartIn: fullos\n');
      const { code, err } = await tsq('simulate', '--machine', m, table);
      assert.equal(code, 2);
      assert.match(err, /`startIn` is not a property of a machine file/);
    }));

  it('refuses files of the wrong kind and bad options (exit 2)', async () => {
    assert.equal((await tsq('simulate', machine(1))).code, 2);
    assert.match((await tsq('simulate', '--machine', table, table)).err, /not a machine profile/);
    assert.equal((await tsq('simulate', '--format', 'xml', table)).code, 2);
    assert.equal((await tsq('simulate', '--content', 'sometimes', table)).code, 2);
    assert.equal((await tsq('simulate')).code, 2);
    assert.equal((await tsq('simulate', path.join(FIXTURES, 'no-such.tsq.yaml'))).code, 2);
  });

  it('warns about outcomes that name no step, and still runs', () =>
    inTempDir(async (dir) => {
      const m = path.join(dir, 'm.tsq.yaml');
      fs.writeFileSync(m, 'machine: Stale\noutcomes:\n  step9: { exitCode: 1 }\n');
      const { code, err } = await tsq('simulate', '--machine', m, table);
      assert.equal(code, 0);
      assert.match(err, /warning No step of the sequence has the id or name `step9`/);
    }));
});
