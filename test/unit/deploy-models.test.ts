// Deployment, media and catalog models and schemas: what the files' keys read into, how kinds are
// told apart when a deployment names its `sequence:`, that every key the editor completes has a
// description, and that a media password written in clear is refused without being repeated.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import type { DeploymentModel } from '../../server/src/model/deployment';
import type { MediaModel } from '../../server/src/model/media';
import type { SiteCatalogModel } from '../../server/src/model/site-catalog';
import { parseLocalDateTime } from '../../server/src/schedule/local-time';
import { catalogSchema } from '../../server/src/schema/generate';
import { deploymentSchema, mediaSchema } from '../../server/src/schema/deployment-schemas';
import { catalog, findings, workspace } from './deploy-fixtures';

describe('file kinds', () => {
  test('a deployment names its sequence with `sequence:`, before or after `deployment:`', () => {
    for (const text of [
      'deployment: D\nsequence: ./s.tsq.yaml\ncollection: C\n',
      'sequence: ./s.tsq.yaml\ndeployment: D\ncollection: C\n',
    ]) {
      const doc = parseDocument('/d.tsq.yaml', text);
      assert.equal(doc.kind, 'deployment');
      assert.deepEqual(doc.problems, []);
      assert.equal((doc.model as DeploymentModel).sequence?.value, './s.tsq.yaml');
    }
  });

  test('media name their sequence and machine profiles the same way', () => {
    const doc = parseDocument(
      '/m.tsq.yaml',
      'machine: ./vm.tsq.yaml\nmedia: M\ntype: bootable\nbootImage: CM100005\nsequence: ./s.tsq.yaml\n',
    );
    assert.equal(doc.kind, 'media');
    assert.deepEqual(doc.problems, []);
    assert.deepEqual(
      (doc.model as MediaModel).machines.map((m) => m.value),
      ['./vm.tsq.yaml'],
    );
  });

  test('two real kinds in one file are still refused', () => {
    const doc = parseDocument('/x.tsq.yaml', 'sequence: S\ndeployment: D\nmedia: M\n');
    assert.equal(doc.kind, 'deployment');
    assert.match(doc.problems[0].message, /already starts with `deployment:`/);
  });
});

describe('deployment model', () => {
  test('every setting reads into the model; defaults are left to the readers', () => {
    const doc = parseDocument(
      '/d.tsq.yaml',
      `deployment: Pilot
id: CM120001
sequence: ./s.tsq.yaml
collection: CM100016
purpose: required
makeAvailableTo: clientsMediaAndPxe
availableAt: 2025-03-03 08:00
deadline: 2025-03-08T22:30
expiresAt: 2025-04-01
rerun: ifFailed
content: runFromDistributionPoint
showProgress: false
outsideMaintenanceWindow: { install: true, restart: false }
writeFilter: { commitChanges: false }
`,
    );
    const d = doc.model as DeploymentModel;
    assert.equal(d.purpose?.value, 'required');
    assert.equal(d.makeAvailableTo?.value, 'clientsMediaAndPxe');
    assert.equal(d.content?.value, 'runFromDistributionPoint');
    assert.equal(d.rerun?.value, 'ifFailed');
    assert.equal(d.availableAt?.value, parseLocalDateTime('2025-03-03 08:00'));
    assert.equal(d.deadline?.value, parseLocalDateTime('2025-03-08 22:30'));
    assert.equal(d.expiresAt?.value, parseLocalDateTime('2025-04-01'));
    assert.equal(d.showProgress?.value, false);
    assert.equal(d.outsideMaintenanceWindow.install?.value, true);
    assert.equal(d.outsideMaintenanceWindow.restart?.value, false);
    assert.equal(d.writeFilter.commitChanges?.value, false);
    assert.equal(d.id?.value, 'CM120001');
  });

  test('`asap` is a deadline; values that are not valid stay out of the model and the schema says why', () => {
    const ws = workspace({
      'd.tsq.yaml':
        'deployment: D\nsequence: ./s.tsq.yaml\ncollection: C\npurpose: requird\ndeadline: next week\ncontent: downloadAll\n',
    });
    const d = ws.get(ws.all().next().value!.id)!.model as DeploymentModel;
    assert.equal(d.purpose, undefined);
    assert.equal(d.deadline, undefined);
    const schema = findings(ws, 'd.tsq.yaml', 'schema');
    assert.match(schema[0].message, /not a valid `purpose`/);
    assert.equal(schema[0].hint, 'Did you mean `required`?');
    assert.match(schema[1].message, /`deadline` must be a date and time such as `2025-03-15 22:00`, or `asap`/);
    const asap = parseDocument('/a.tsq.yaml', 'deployment: D\nsequence: ./s.tsq.yaml\ncollection: C\ndeadline: asap\n');
    assert.equal((asap.model as DeploymentModel).deadline?.value, 'asap');
  });

  test('a misspelled key gets a did-you-mean', () => {
    const ws = workspace({
      'd.tsq.yaml': 'deployment: D\nsequence: ./s.tsq.yaml\ncollection: C\nmakeAvailableTo: clients\ndeadLine: asap\n',
    });
    assert.equal(findings(ws, 'd.tsq.yaml', 'schema')[0].hint, 'Did you mean `deadline`?');
  });
});

describe('catalog collections and site settings', () => {
  const text = catalog({
    site: '  highRisk: { defaultSize: 50, maximumSize: 500, siteSystems: block }\n  enhancedHttp: true\n  networkAccessAccount: false',
    collections: `  - id: SMS00001
    name: All Systems
  - id: CM100090
    type: device
    servers: true
    siteSystems: 2
    windowsEmbedded: true
    untrustedDomain: true
    maintenanceWindows:
      - { name: Nightly, start: 2025-01-01 02:00, duration: 90, recurrence: daily, every: 2 }
      - { name: Patch, start: 2025-01-01 20:00, duration: 3h30m, recurrence: monthlyByWeekday, week: second, weekday: tuesday, appliesTo: softwareUpdates, enabled: false }
      - { name: Broken, start: someday, duration: 2h }
`,
  });

  test('collections read with their windows; built-in is inferred from an SMS ID', () => {
    const model = parseDocument('/c.tsq.yaml', text).model as SiteCatalogModel;
    const [lab, , all, custom] = model.collections;
    assert.equal(all.builtIn, true);
    assert.equal(custom.builtIn, false);
    assert.equal(lab.builtIn, false);
    assert.equal(custom.servers, 1, 'true counts as some');
    assert.equal(custom.siteSystems, 2);
    assert.equal(custom.windowsEmbedded, true);
    assert.equal(custom.untrustedDomain, true);
    assert.deepEqual(
      custom.maintenanceWindows.map((w) => [w.name, w.durationMinutes, w.recurrence, w.every, w.appliesTo, w.enabled]),
      [
        ['Nightly', 90, 'daily', 2, 'all', true],
        ['Patch', 210, 'monthlyByWeekday', 1, 'softwareUpdates', false],
      ],
    );
    assert.equal(custom.maintenanceWindows[1].week, 'second');
    assert.equal(custom.maintenanceWindows[1].weekday, 'tuesday');
  });

  test('a window that cannot be read is left out and reported by the schema', () => {
    const ws = workspace({ 'c.tsq.yaml': text });
    const messages = findings(ws, 'c.tsq.yaml', 'schema').map((f) => f.message);
    assert.equal(messages.length, 1);
    assert.match(messages[0], /`start` must be a date and time/);
  });

  test('site settings read typed', () => {
    const model = parseDocument('/c.tsq.yaml', text).model as SiteCatalogModel;
    assert.deepEqual(model.siteSettings?.highRisk, { defaultSize: 50, maximumSize: 500, siteSystems: 'block' });
    assert.equal(model.siteSettings?.enhancedHttp, true);
    assert.equal(model.siteSettings?.networkAccessAccount, false);
  });

  test('window keys that belong to another recurrence are refused', () => {
    const ws = workspace({
      'c.tsq.yaml': catalog({
        collections:
          '  - id: CM100091\n    maintenanceWindows:\n      - { start: 2025-01-01 02:00, duration: 2h, recurrence: weekly, week: last }\n',
      }),
    });
    assert.match(findings(ws, 'c.tsq.yaml', 'schema')[0].message, /`recurrence` must be `monthlyByWeekday`/);
  });
});

describe('media model and password', () => {
  test('a password is a reference: an environment variable or a prompt', () => {
    const env = parseDocument(
      '/m.tsq.yaml',
      'media: M\ntype: bootable\nbootImage: B\npassword: { env: TSQ_MEDIA_PASSWORD }\n',
    ).model as MediaModel;
    assert.deepEqual(env.password && 'env' in env.password && env.password.env, 'TSQ_MEDIA_PASSWORD');
    const prompt = parseDocument('/m.tsq.yaml', 'media: M\ntype: bootable\nbootImage: B\npassword: { prompt: true }\n')
      .model as MediaModel;
    assert.ok(prompt.password && 'prompt' in prompt.password);
  });

  test('a password written in clear is refused, never repeated, and kept out of the model', () => {
    const secret = 'Winter2025!';
    const ws = workspace({ 'm.tsq.yaml': `media: M\ntype: bootable\nbootImage: B\npassword: ${secret}\n` });
    const [f] = findings(ws, 'm.tsq.yaml', 'schema');
    assert.match(f.message, /`password` must be a reference to the password.*written here in clear/);
    assert.ok(!JSON.stringify(f).includes(secret));
    assert.deepEqual(f.data, { fix: 'replace', candidates: ['{ prompt: true }'] });
    const model = ws.all().next().value!.model as MediaModel;
    assert.equal(model.password, undefined);
    assert.ok(!JSON.stringify(model.raw).includes(secret));
  });

  test('each media type asks for what it needs', () => {
    const ws = workspace({
      'a.tsq.yaml': 'media: A\ntype: standalone\n',
      'b.tsq.yaml': 'media: B\ntype: bootable\n',
      'c.tsq.yaml': 'media: C\ntype: stand-alone\nsequence: ./s.tsq.yaml\n',
    });
    assert.match(findings(ws, 'a.tsq.yaml', 'schema')[0].message, /needs `sequence`/);
    assert.match(findings(ws, 'b.tsq.yaml', 'schema')[0].message, /needs `bootImage`/);
    assert.equal(findings(ws, 'c.tsq.yaml', 'schema')[0].hint, 'Did you mean `standalone`?');
  });
});

describe('schemas for completion and hover', () => {
  /** Every property of every object schema below `s`, with its path. */
  function* properties(s: unknown, at: string): Generator<[string, Record<string, unknown>]> {
    if (!s || typeof s !== 'object') return;
    const o = s as Record<string, unknown>;
    for (const [k, v] of Object.entries((o.properties as Record<string, unknown>) ?? {})) {
      yield [`${at}.${k}`, v as Record<string, unknown>];
      yield* properties(v, `${at}.${k}`);
    }
    if (o.items) yield* properties(o.items, `${at}[]`);
    for (const key of ['oneOf', 'anyOf']) for (const b of (o[key] as unknown[]) ?? []) yield* properties(b, at);
  }

  test('every key of deployments, media, collections, windows and site settings has a description', () => {
    const collections = (catalogSchema().properties as Record<string, unknown>).collections;
    const site = (catalogSchema().properties as Record<string, unknown>).site;
    for (const [name, schema] of [
      ['deployment', deploymentSchema()],
      ['media', mediaSchema()],
      ['collections', collections],
      ['site', site],
    ] as const) {
      const missing = [...properties(schema, name)]
        .filter(([, p]) => typeof p.description !== 'string' || (p.description as string).length < 10)
        .map(([k]) => k);
      assert.deepEqual(missing, [], `${name}: keys without a description`);
    }
  });

  test('every enum value has its own description', () => {
    for (const schema of [deploymentSchema(), mediaSchema()]) {
      for (const [key, p] of properties(schema, '')) {
        if (!Array.isArray(p.enum) || key.endsWith('architecture')) continue;
        assert.equal((p.enumDescriptions as unknown[] | undefined)?.length, p.enum.length, key);
      }
    }
  });
});
