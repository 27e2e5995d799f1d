// When a deployment's run begins (the plan the maintenance-window rule reports and the simulator's
// clock follows): available deployments start when asked, required ones wait for a window that
// applies to task sequences unless they may install outside windows, never before the available
// time, and never after they expire.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import type { DeploymentModel } from '../../server/src/model/deployment';
import type { SiteCatalogModel } from '../../server/src/model/site-catalog';
import { planDeploymentStart } from '../../server/src/semantics/deployment-start';
import { parseLocalDateTime } from '../../server/src/schedule/local-time';

const at = (s: string) => parseLocalDateTime(s)!;

const collection = (
  parseDocument(
    '/c.tsq.yaml',
    `catalog: C
collections:
  - id: CM100095
    maintenanceWindows:
      - { name: Saturday night, start: 2025-01-04 22:00, duration: 4h, recurrence: weekly, appliesTo: taskSequences }
      - { name: Every evening, start: 2025-01-01 18:00, duration: 2h, recurrence: daily }
`,
  ).model as SiteCatalogModel
).collections[0];

const deployment = (lines: string) =>
  parseDocument('/d.tsq.yaml', `deployment: D\nsequence: ./s.tsq.yaml\ncollection: CM100095\n${lines}`)
    .model as DeploymentModel;

describe('planDeploymentStart', () => {
  test('a required deployment waits from its deadline for the next task-sequence window', () => {
    const plan = planDeploymentStart(deployment('purpose: required\ndeadline: 2025-03-10 09:00\n'), collection);
    assert.equal(plan.requested, at('2025-03-10 09:00'));
    assert.equal(plan.at, at('2025-03-15 22:00'));
    assert.equal(
      plan.window?.window.name,
      'Saturday night',
      'the all-deployments evening window does not apply: the collection has task-sequence windows',
    );
    assert.equal(plan.waited, true);
  });

  test('the simulator’s start time replaces the deadline; inside a window the run starts at once', () => {
    const plan = planDeploymentStart(
      deployment('purpose: required\ndeadline: 2025-03-10 09:00\n'),
      collection,
      at('2025-03-15 23:30'),
    );
    assert.equal(plan.at, at('2025-03-15 23:30'));
    assert.equal(plan.waited, false);
    assert.equal(plan.window?.end, at('2025-03-16 02:00'), 'the window it started in, which it may outlast');
  });

  test('nothing starts before the deployment is available', () => {
    const plan = planDeploymentStart(
      deployment('purpose: available\navailableAt: 2025-03-03 08:00\n'),
      collection,
      at('2025-03-01 12:00'),
    );
    assert.equal(plan.at, at('2025-03-03 08:00'));
  });

  test('available deployments and installs allowed outside windows are not held back', () => {
    assert.equal(
      planDeploymentStart(deployment('purpose: available\n'), collection, at('2025-03-10 09:00')).at,
      at('2025-03-10 09:00'),
    );
    const outside = planDeploymentStart(
      deployment('purpose: required\ndeadline: 2025-03-10 09:00\noutsideMaintenanceWindow: { install: true }\n'),
      collection,
    );
    assert.equal(outside.at, at('2025-03-10 09:00'));
    assert.match(outside.reason, /may install outside maintenance windows/);
  });

  test('a deployment that expires first never starts', () => {
    const plan = planDeploymentStart(
      deployment('purpose: required\ndeadline: 2025-03-10 09:00\nexpiresAt: 2025-03-12\n'),
      collection,
    );
    assert.equal(plan.at, undefined);
    assert.match(plan.reason, /expires/);
  });

  test('without any time, a required deployment starts in the first window; with no windows either, nothing is known', () => {
    assert.equal(planDeploymentStart(deployment('purpose: required\n'), collection).at, at('2025-01-04 22:00'));
    const unknown = planDeploymentStart(deployment('purpose: required\n'), undefined);
    assert.equal(unknown.at, undefined);
    assert.match(unknown.reason, /No start time is known/);
  });
});
