// `tsq simulate --deployment D [--at TIME]` and `tsq simulate --media M` on the bundled examples:
// the Required retry and the maintenance-window start of the pilot deployment, the run from the
// offline media, and the JSON that keeps the CLI contract's shape and adds start, end, the
// window, the retries and the media.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../simulator/helpers';
import { inTempDir, tsq } from '../helpers/cli';
import type { JsonScheduledRun } from '../../server/src/simulator/run-report';

const example = (name: string) => path.join(ROOT, 'examples', name);
const PILOT = example('pilot-deployment.tsq.yaml');
const LAPTOP = example('pilot-laptop.tsq.yaml');
const OFFLINE = example('offline-media.tsq.yaml');

async function json(...args: string[]): Promise<{ code: number; run: JsonScheduledRun }> {
  const r = await tsq('simulate', '--format', 'json', ...args);
  assert.equal(r.err, '', r.err);
  return { code: r.code, run: JSON.parse(r.out) as JsonScheduledRun };
}

describe('tsq simulate --deployment: the pilot deployment on the branch laptop', () => {
  it('retries the content until it arrives, then starts at the deadline inside the Saturday window (JSON)', async () => {
    const { code, run } = await json('--deployment', PILOT, '--machine', LAPTOP);
    assert.equal(code, 0);
    assert.equal(run.result, 'succeeded');
    assert.ok(run.steps.length > 0 && Object.keys(run.variables).length > 0, 'the contract’s fields are all there');
    assert.equal(run.start, '2025-03-08T22:30:00Z');
    assert.ok(run.end! > run.start!);
    const d = run.deployment!;
    assert.equal(d.purpose, 'required');
    assert.equal(d.received, '2025-03-03T08:00:00Z');
    assert.deepEqual(
      d.contentChecks.map((c) => [c.time, c.missing.map((m) => m.id)]),
      [
        ['2025-03-03T08:00:00Z', ['CM100078']],
        ['2025-03-03T09:00:00Z', ['CM100078']],
        ['2025-03-03T10:00:00Z', ['CM100078']],
        ['2025-03-03T11:00:00Z', []],
      ],
    );
    assert.equal(d.retries, 3);
    assert.equal(d.contentFound, '2025-03-03T11:00:00Z');
    assert.deepEqual(d.window, {
      name: 'Saturday night',
      schedule: 'every Saturday at 22:00 for 4 h',
      start: '2025-03-08T22:00:00Z',
      end: '2025-03-09T02:00:00Z',
    });
    assert.equal(d.waited, false);
    assert.equal(d.ranPastWindowEnd, false);
  });

  it('tells people the retries, the window and where the run started and ended (text)', async () => {
    const { code, out } = await tsq('simulate', '--deployment', PILOT, '--machine', LAPTOP);
    assert.equal(code, 0);
    assert.match(out, /^Deployment "Windows 11 to pilot laptops" \(required\)\n/);
    assert.match(
      out,
      /Monday 2025-03-03 09:00 +! Retry 1: content still not found: the package CM100078 \(Contoso branding\) has not reached/,
    );
    assert.match(out, /Monday 2025-03-03 11:00 +Retry 3: all content found/);
    assert.match(
      out,
      /Saturday 2025-03-08 22:30 +“Saturday night” \(every Saturday at 22:00 for 4 h\) is open from Saturday 2025-03-08 22:00 to Sunday 2025-03-09 02:00/,
    );
    assert.match(
      out,
      /Started Saturday 2025-03-08 22:30:00 in the maintenance window “Saturday night” \(Saturday 2025-03-08 22:00 to Sunday 2025-03-09 02:00\), ended Saturday 2025-03-08 22:3\d:\d\d\./,
    );
  });

  it('waits for the next window when the client gets the deployment after its deadline (--at)', async () => {
    const { run } = await json('--deployment', PILOT, '--machine', LAPTOP, '--at', '2025-03-10 09:00');
    assert.equal(run.start, '2025-03-15T22:00:00Z');
    assert.equal(run.deployment?.waited, true);
    assert.match(run.deployment?.startReason ?? '', /waits for “Saturday night”/);
  });

  it('writes the retries into the log file with their dates and times', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'smsts.log');
      await tsq('simulate', '--deployment', PILOT, '--machine', LAPTOP, '--log-file', file);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      const retry = lines.find((l) => l.includes('Retry 2'));
      assert.match(retry ?? '', /time="10:00:00\.000\+000" date="03-03-2025" component="LocationServices"/);
      const start = lines.findIndex((l) => l.includes('Task sequence "Deploy Windows 11" starts'));
      assert.ok(start > lines.indexOf(retry!), 'the run’s own log follows');
    }));

  it('says why a deployment never starts (exit 1), in the contract’s shape', () =>
    inTempDir(async (dir) => {
      const d = path.join(dir, 'late.tsq.yaml');
      fs.writeFileSync(
        d,
        fs
          .readFileSync(PILOT, 'utf8')
          .replace('deadline: 2025-03-08 22:30', 'deadline: 2025-03-10 09:00')
          .replace('sequence: ./', `sequence: ${path.join(ROOT, 'examples')}/`) + 'expiresAt: 2025-03-12 00:00\n',
      );
      const { code, run } = await json('--deployment', d, '--machine', LAPTOP);
      assert.equal(code, 1);
      assert.deepEqual([run.result, run.steps, run.variables], ['failed', [], {}]);
      assert.match(run.deployment?.notStarted ?? '', /expires at Wednesday 2025-03-12 00:00/);
      const text = await tsq('simulate', '--deployment', d, '--machine', LAPTOP);
      assert.match(text.out, /✘ Nothing ran: the deployment expires at Wednesday 2025-03-12 00:00/);
    }));

  it('refuses a sequence the deployment does not deploy, and bad times (exit 2)', async () => {
    const other = await tsq('simulate', '--deployment', PILOT, example('install-apps.tsq.yaml'));
    assert.equal(other.code, 2);
    assert.match(
      other.err,
      /pilot-deployment\.tsq\.yaml runs .*deploy-windows-11\.tsq\.yaml, not .*install-apps\.tsq\.yaml/,
    );
    assert.match(
      (await tsq('simulate', '--deployment', PILOT, '--at', 'Saturday night')).err,
      /--at takes a date and time/,
    );
    assert.equal(
      (await tsq('simulate', '--deployment', PILOT, '--at', '2025-03-08 22:30', '--start', '2025-03-08T22:30:00Z'))
        .code,
      2,
    );
  });

  it('leaves a plain run’s JSON as the contract has it', async () => {
    const { run } = await json('--machine', example('lab-vm.tsq.yaml'), example('deploy-windows-11.tsq.yaml'));
    assert.deepEqual(Object.keys(run).sort(), ['result', 'steps', 'variables']);
  });
});

describe('tsq simulate --media', () => {
  it('runs the offline media’s sequence on its machine profile, without a network, on its first valid day', async () => {
    const { code, run } = await json('--media', OFFLINE);
    assert.equal(code, 0);
    assert.equal(run.start, '2025-03-01T00:00:00Z');
    assert.deepEqual(
      { type: run.media?.type, network: run.media?.network, architecture: run.media?.architecture },
      { type: 'standalone', network: false, architecture: 'x64' },
    );
    assert.equal(run.variables._SMSTSMediaType, 'FullMedia');
    assert.equal(run.variables.ContosoDeployedRing, 'offline', 'the media’s variables');
    const text = await tsq('simulate', '--media', OFFLINE);
    assert.match(text.out, /on "Lab VM \(Latitude 7440\)"/, 'the machine profile the media names');
  });

  it('does not start after the media expired (exit 1)', async () => {
    const { code, run } = await json('--media', OFFLINE, '--at', '2025-07-01 08:00');
    assert.equal(code, 1);
    assert.equal(run.steps.length, 0);
  });

  it('runs a deployment from bootable media, and asks for one without it', async () => {
    const alone = await tsq('simulate', '--media', example('pxe-rescue-media.tsq.yaml'));
    assert.equal(alone.code, 2);
    assert.match(alone.err, /bootable media run what the site deploys to the computer: give the deployment too/);
    const { code, run } = await json('--media', example('pxe-rescue-media.tsq.yaml'), '--deployment', PILOT);
    assert.equal(code, 0);
    assert.equal(run.variables._SMSTSMediaType, 'BootMedia');
    assert.equal(run.media?.network, true);
    assert.equal(run.deployment, undefined, 'started from media, not by the client’s schedule');
  });
});
