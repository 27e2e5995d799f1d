// Deployment, media and catalog files of the wrong shape: every key holding a value of another
// type, empty files, lists where mappings belong. Analysis must answer with diagnostics, never
// with an internal error (a rule that threw).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OS_SEQUENCE, findings, workspace } from './deploy-fixtures';

const ODD_VALUES = [
  '',
  '~',
  '[]',
  '{}',
  '[1, 2]',
  '{ a: 1 }',
  '-1',
  '1e400',
  'true',
  '"%Var%"',
  '*nothing',
  '2025-02-30 25:61',
];

const DEPLOYMENT_KEYS = [
  'sequence',
  'collection',
  'purpose',
  'makeAvailableTo',
  'availableAt',
  'deadline',
  'expiresAt',
  'rerun',
  'content',
  'showProgress',
  'outsideMaintenanceWindow',
  'writeFilter',
];
const MEDIA_KEYS = [
  'type',
  'sequence',
  'bootImage',
  'architecture',
  'device',
  'fileSystem',
  'password',
  'validFrom',
  'validUntil',
  'includeContent',
  'machine',
  'variables',
];
const WINDOW_KEYS = ['start', 'duration', 'recurrence', 'every', 'weekday', 'week', 'monthDay', 'appliesTo', 'enabled'];

test('no value of the wrong type makes a deployment, media or catalog rule fail', () => {
  const files: Record<string, string> = { 's.tsq.yaml': OS_SEQUENCE };
  let n = 0;
  for (const value of ODD_VALUES) {
    for (const key of DEPLOYMENT_KEYS)
      files[`d${n++}.tsq.yaml`] =
        `deployment: D\nsequence: ./s.tsq.yaml\ncollection: CM100015\npurpose: required\n${key}: ${value}\n`;
    for (const key of MEDIA_KEYS)
      files[`m${n++}.tsq.yaml`] = `media: M\ntype: standalone\nsequence: ./s.tsq.yaml\n${key}: ${value}\n`;
    const window = WINDOW_KEYS.map(
      (k) => `      ${k}: ${k === 'start' ? '2025-01-04 22:00' : k === 'duration' ? '4h' : 'weekly'}`,
    ).join('\n');
    for (const key of WINDOW_KEYS)
      files[`c${n++}.tsq.yaml`] =
        `catalog: C\nsite: { highRisk: { defaultSize: ${value} }, networkAccessAccount: ${value} }\ncollections:\n  - id: CM100015\n    type: ${value}\n    members: ${value}\n    servers: ${value}\n    maintenanceWindows:\n    -\n${window.replace(new RegExp(`(${key}): .*`), `$1: ${value}`)}\n`;
  }
  files['empty-d.tsq.yaml'] = 'deployment:\n';
  files['empty-m.tsq.yaml'] = 'media:\n';
  files['list-m.tsq.yaml'] = 'media: [1, 2]\ntype: [standalone]\nmachine: [[], {}]\n';
  const ws = workspace(files);
  for (const name of Object.keys(files)) {
    const internal = findings(ws, name, 'internal-error');
    assert.deepEqual(
      internal.map((d) => d.message),
      [],
      `${name}:\n${files[name]}`,
    );
  }
});
