// A run as a deployment starts it on a client (simulator/deployment-run.ts): an Available
// deployment with content the client cannot find fails at once; a Required one retries until its
// deadline, each retry an event with its time; a Required one starts at its deadline inside a
// maintenance window that applies to task sequences (the plan the maintenance-window rule reports)
// and runs on past the window's end; step durations come from the machine profile.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentModel } from '../../server/src/model/deployment';
import { targetCollection } from '../../server/src/semantics/deployment-targets';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { planDeploymentStart } from '../../server/src/semantics/deployment-start';
import { parseLocalDateTime } from '../../server/src/schedule/local-time';
import { ranPastWindow, startDeployment, type DeploymentRun } from '../../server/src/simulator/deployment-run';
import { fullLog } from '../../server/src/simulator/launch';
import { scheduleSummary } from '../../server/src/simulator/run-report';
import { dateTimeText } from '../../server/src/simulator/log';
import rules from '../../server/src/simulator/data/deployments-and-media.json';
import defaults from '../../server/src/simulator/data/defaults.json';
import { machineModel, workspaceOf } from './helpers';

const at = (s: string) => parseLocalDateTime(s)!;
const clock = (s: string) => at(s) * 60_000;

const CATALOG = `catalog: Site
siteCode: CM1
packages:
  - { id: CM100077, name: Scripts, distributed: true }
  - { id: CM100078, name: Branding, distributed: true }
collections:
  - id: CM100016
    name: Pilot laptops
    maintenanceWindows:
      - { name: Saturday night, start: 2025-01-04 22:00, duration: 4h, recurrence: weekly, weekday: saturday, appliesTo: taskSequences }
  - { id: CM100015, name: Lab }
`;

const SEQUENCE = `sequence: Configure
steps:
  - { name: Run setup script, run: cmd.exe /c setup.cmd, package: CM100077 }
  - { name: Install branding, action: InstallPackage, with: { package: CM100078, program: Install } }
`;

const REQUIRED = `deployment: Pilot
sequence: ./main.tsq.yaml
collection: CM100016
purpose: required
availableAt: 2025-03-03 08:00
deadline: 2025-03-08 22:30
`;

const AVAILABLE = `deployment: Self-service
sequence: ./main.tsq.yaml
collection: CM100016
availableAt: 2025-03-03 08:00
`;

function deploy(deployment: string, machine = 'startsIn: fullos', options: { at?: string } = {}): DeploymentRun {
  const { ws, main } = workspaceOf({ main: SEQUENCE, 'catalog.tsq.yaml': CATALOG, 'dep.tsq.yaml': deployment });
  return startDeployment(ws, main, ws.get('/t/dep.tsq.yaml')!, {
    machine: machineModel(machine),
    at: options.at ? at(options.at) : undefined,
  });
}

function run(deployment: string, machine?: string, options?: { at?: string }): DeploymentRun {
  const r = deploy(deployment, machine, options);
  r.sim?.run();
  return r;
}

const messages = (r: DeploymentRun) =>
  fullLog({ sim: r.sim, before: r.events, deployment: r, start: 0 }).map(
    (e) => `${dateTimeText(e.time)} ${e.component}: ${e.message}`,
  );

describe('available deployments', () => {
  it('fail at once when the client cannot find the content: no step runs', () => {
    const r = run(AVAILABLE, 'startsIn: fullos\ncontentArrives: { CM100078: 2025-03-03 10:40 }');
    assert.equal(r.sim?.ended, 'failed');
    assert.equal(r.sim?.records.length, 0, 'not even the first step ran');
    assert.equal(r.sim?.failure?.exitCode, defaults.exitCodes.contentUnavailable);
    assert.match(
      r.sim?.failure?.reason ?? '',
      /cannot find the content.*CM100078 has not reached the distribution points this computer can reach yet \(it arrives Monday 2025-03-03 10:40\)/,
    );
    assert.equal(r.sim?.startTime, clock('2025-03-03 08:00'), 'when it becomes available');
    assert.deepEqual(
      r.attempts.map((a) => a.problems.map((p) => p.id)),
      [['CM100078']],
      'one lookup, no retries',
    );
    assert.ok(
      messages(r).some((m) =>
        /^2025-03-03 08:00:00 LocationServices: Content not found: .*CM100078 \(Branding\).*reports the error at once/.test(
          m,
        ),
      ),
    );
  });

  it('run at once when the content is there, whatever the maintenance windows say', () => {
    const r = run(AVAILABLE, 'startsIn: fullos', { at: '2025-03-04 11:00' });
    assert.equal(r.sim?.ended, 'succeeded', r.sim?.failure?.reason);
    assert.equal(r.sim?.startTime, clock('2025-03-04 11:00'), 'a Tuesday morning, outside the Saturday window');
    assert.equal(r.window, undefined);
  });
});

describe('required deployments: content retries until the deadline', () => {
  it('look again every interval; each retry is an event with its time, until the content arrives', () => {
    const r = run(REQUIRED, 'startsIn: fullos\ncontentArrives: { CM100078: 2025-03-03 10:40 }');
    assert.deepEqual(
      r.attempts.map((a) => [dateTimeText(a.at * 60_000), a.problems.length]),
      [
        ['2025-03-03 08:00:00', 1],
        ['2025-03-03 09:00:00', 1],
        ['2025-03-03 10:00:00', 1],
        ['2025-03-03 11:00:00', 0],
      ],
    );
    assert.equal(rules.contentRetryMinutes, 60);
    assert.equal(r.contentFound, at('2025-03-03 11:00'));
    const retries = messages(r).filter((m) => / LocationServices: Retry/.test(m));
    assert.deepEqual(
      retries.map((m) => m.slice(0, 19)),
      ['2025-03-03 09:00:00', '2025-03-03 10:00:00', '2025-03-03 11:00:00'],
    );
    assert.match(retries[2], /Retry 3: all content found/);
    assert.equal(r.sim?.ended, 'succeeded', r.sim?.failure?.reason);
    assert.equal(r.sim?.startTime, clock('2025-03-08 22:30'), 'then it waits for its deadline');
  });

  it('fail at the deadline when the content never arrives, after retrying all along', () => {
    const r = run(REQUIRED, 'startsIn: fullos\ncontentArrives: { CM100078: never }');
    const expected = Math.floor((at('2025-03-08 22:30') - at('2025-03-03 08:00')) / rules.contentRetryMinutes);
    assert.equal(r.attempts.length - 1, expected);
    assert.ok(r.attempts.every((a) => a.problems.length === 1));
    assert.equal(r.contentFound, undefined);
    assert.equal(r.sim?.startTime, clock('2025-03-08 22:30'));
    assert.equal(r.sim?.ended, 'failed');
    assert.equal(r.sim?.records.length, 0);
    assert.match(r.sim?.failure?.reason ?? '', /CM100078 is on no distribution point this computer can reach/);
    assert.ok(
      messages(r).some(
        (m) =>
          m.startsWith('2025-03-08 22:30:00 execmgr: The deadline has passed and the content is still missing after') &&
          m.includes(`${expected} retries`),
      ),
    );
  });

  it('do not retry once the deadline has passed: the client gives up at once', () => {
    const r = run(REQUIRED, 'startsIn: fullos\ncontentArrives: { CM100078: never }', { at: '2025-03-10 09:00' });
    assert.equal(r.attempts.length, 1);
    assert.equal(r.sim?.startTime, clock('2025-03-10 09:00'));
    assert.equal(r.sim?.ended, 'failed');
  });

  it('keep a far deadline’s retries countable without an event each beyond the cap', () => {
    const r = deploy(
      REQUIRED.replace('2025-03-08 22:30', '2026-03-07 22:30'),
      'startsIn: fullos\ncontentArrives: { CM100078: never }',
    );
    assert.equal(r.attempts.length, rules.maxRetryEvents + 1);
    assert.ok(r.uncountedRetries > 0);
    assert.equal(
      r.attempts.length - 1 + r.uncountedRetries,
      Math.floor((at('2026-03-07 22:30') - at('2025-03-03 08:00')) / rules.contentRetryMinutes),
    );
  });
});

describe('required deployments: maintenance windows', () => {
  it('start at the deadline inside the window that is open then, named with its occurrence', () => {
    const r = run(REQUIRED);
    assert.equal(r.start, at('2025-03-08 22:30'));
    assert.equal(r.window?.window.name, 'Saturday night');
    assert.deepEqual([r.window?.start, r.window?.end], [at('2025-03-08 22:00'), at('2025-03-09 02:00')]);
    assert.equal(r.plan?.waited, false);
  });

  it('wait for the next window when the deadline falls outside every window, as the maintenance-window rule says', () => {
    const text = REQUIRED.replace('2025-03-08 22:30', '2025-03-10 09:00');
    const r = run(text);
    assert.equal(r.sim?.startTime, clock('2025-03-15 22:00'));
    assert.equal(r.plan?.waited, true);
    assert.ok(
      messages(r).some((m) =>
        m.startsWith(
          '2025-03-10 09:00:00 ServiceWindowManager: No maintenance window that applies to task sequences is open; waiting for “Saturday night”',
        ),
      ),
    );
    // The lint rule plans from the same function and reports the same start.
    const { ws } = workspaceOf({ main: SEQUENCE, 'catalog.tsq.yaml': CATALOG, 'dep.tsq.yaml': text });
    const dep = ws.get('/t/dep.tsq.yaml')!;
    assert.equal(
      planDeploymentStart(dep.model as DeploymentModel, targetCollection(ws, dep.model as DeploymentModel)).at,
      r.start,
    );
    const finding = analyzeDocument(ws, dep).find((f) => f.code === 'maintenance-window');
    assert.match(finding?.message ?? '', /opening Saturday 2025-03-15 22:00/);
  });

  // Once started, a task sequence keeps running when its maintenance window closes:
  // https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSMaintenanceWindow
  it('start at once from --at inside a window, and run on past the window’s end', () => {
    const r = run(REQUIRED, 'startsIn: fullos\noutcomes: { Install branding: { duration: 20m } }', {
      at: '2025-03-09 01:50',
    });
    assert.equal(r.sim?.startTime, clock('2025-03-09 01:50'));
    assert.equal(r.sim?.ended, 'succeeded');
    assert.equal(
      r.sim?.state.clock,
      clock('2025-03-09 01:50') + (10 + 20 * 60) * 1000,
      'the setup script’s default 10 s and the profile’s 20 min',
    );
    assert.equal(ranPastWindow(r), true);
    const log = messages(r);
    const closed = log.findIndex((m) =>
      m.startsWith('2025-03-09 02:00:00 ServiceWindowManager: The maintenance window closed'),
    );
    assert.ok(closed > 0, 'the window’s end is an event of the log');
    assert.ok(
      log.slice(closed + 1).some((m) => /Install branding" succeeded/.test(m)),
      'and the run goes on after it',
    );
    const summary = scheduleSummary({ sim: r.sim, before: r.events, deployment: r, start: 0 });
    assert.match(
      summary ?? '',
      /it went on after the window closed at Sunday 2025-03-09 02:00: once started, a task sequence keeps running when its maintenance window closes \(ConfigMgr’s rule\)\.$/,
    );
  });

  it('are not held back by windows of a collection that has none, nor when they may install outside them', () => {
    assert.equal(
      run(REQUIRED.replace('CM100016', 'CM100015').replace('2025-03-08 22:30', '2025-03-10 09:00')).sim?.startTime,
      clock('2025-03-10 09:00'),
    );
    assert.equal(
      run(REQUIRED.replace('2025-03-08 22:30', '2025-03-10 09:00') + 'outsideMaintenanceWindow: { install: true }\n')
        .sim?.startTime,
      clock('2025-03-10 09:00'),
    );
  });

  it('never start when the deployment expires first', () => {
    const r = run(REQUIRED.replace('2025-03-08 22:30', '2025-03-10 09:00') + 'expiresAt: 2025-03-12 00:00\n');
    assert.equal(r.sim, undefined);
    assert.match(
      r.notStarted ?? '',
      /expires at Wednesday 2025-03-12 00:00, before a maintenance window lets it start/,
    );
  });
});

describe('the deployment’s settings in the run', () => {
  it('uses the deployment’s content option and ID', () => {
    const r = run(REQUIRED + 'id: CM120001\ncontent: downloadAll\n');
    assert.equal(r.sim?.vars.get('_SMSTSAdvertID'), 'CM120001');
    assert.equal(r.sim?.vars.get('_SMSTSDownloadOnDemand'), 'false');
  });
});
