// A catalog marked `partial: true` (an import writes one listing what the imported sequence uses)
// softens only the references it could speak for: IDs of its own site code, applications of its
// own scope. Everything else keeps the error a complete catalog gives.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, yaml } from '../helpers/lint';
import { applicationScopeOf, scopeOf, siteCodeOf, speaksFor } from '../../server/src/semantics/catalog-scope';
import { parseDocument } from '../../server/src/model/document';
import type { SiteCatalogModel } from '../../server/src/model/site-catalog';

/** The site's own catalog, complete. */
const SITE = yaml(
  'catalog: Contoso',
  'siteCode: CM1',
  'packages:',
  '  - { id: CM100077, name: Scripts }',
  'applications:',
  '  - { id: ScopeId_AAAA1111-0000-0000-0000-000000000000/Application_1, name: 7-Zip }',
);
/** What `tsq import` of another site's XML writes: no site code, IDs of site RSC. */
const IMPORTED = yaml(
  'catalog: Objects RSC002A6 references',
  'partial: true',
  'packages:',
  '  - { id: RSC001A4 }',
  'applications:',
  '  - id: ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED/Application_00e2caa8',
);
const run = (pkg: string) => yaml('sequence: S', 'steps:', '  - name: A', '    run: x.cmd', `    package: ${pkg}`);
const install = (app: string) =>
  yaml(
    'sequence: S',
    'steps:',
    '  - name: A',
    '    action: InstallApplication',
    `    with: { applications: ["${app}"] }`,
  );

describe('partial catalogs speak for their own site only', () => {
  test('an unrelated sequence keeps its errors when an import adds a partial catalog of another site', () => {
    const [f] = findings('broken-reference', {
      'deploy.tsq.yaml': run('CM100099'),
      'catalog.tsq.yaml': SITE,
      'RSC002A6/catalog.tsq.yaml': IMPORTED,
    });
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'Package `CM100099` is not in any catalog of the workspace.');
    assert.match(f.hint!, /The catalogs marked partial speak only for site RSC; `CM100099` is not one of theirs\./);
  });

  test('an ID of the partial catalog’s own site is a warning, and the message names that catalog and site', () => {
    const [f] = findings('broken-reference', {
      'deploy.tsq.yaml': run('RSC00999'),
      'catalog.tsq.yaml': SITE,
      'RSC002A6/catalog.tsq.yaml': IMPORTED,
    });
    assert.equal(f.severity, 'warning');
    assert.equal(
      f.message,
      'Package `RSC00999` is not in any catalog of the workspace; the catalog “Objects RSC002A6 references” is marked partial and lists only part of site RSC, so it may exist.',
    );
  });

  test('applications go by their scope: one of the imported scope is a warning, one of another scope an error', () => {
    const files = (app: string) => ({
      'deploy.tsq.yaml': install(app),
      'catalog.tsq.yaml': SITE,
      'RSC002A6/catalog.tsq.yaml': IMPORTED,
    });
    assert.equal(
      findings('broken-reference', files('ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED/Application_ffff'))[0].severity,
      'warning',
    );
    assert.equal(
      findings('broken-reference', files('ScopeId_AAAA1111-0000-0000-0000-000000000000/Application_2'))[0].severity,
      'error',
    );
  });

  test('a declared siteCode counts as the partial catalog’s site', () => {
    const partial = yaml('catalog: Part of CM1', 'siteCode: CM1', 'partial: true', 'packages:', '  - { id: CM100001 }');
    assert.equal(
      findings('broken-reference', { 'a.tsq.yaml': run('CM100099'), 'c.tsq.yaml': partial })[0].severity,
      'warning',
    );
    assert.equal(
      findings('broken-reference', { 'a.tsq.yaml': run('PS100099'), 'c.tsq.yaml': partial })[0].severity,
      'error',
    );
  });

  test('child sequences by package ID and deployments’ collections follow the same rule', () => {
    const child = (id: string) =>
      yaml('sequence: S', 'steps:', '  - name: C', '    action: RunTaskSequence', `    with: { sequence: ${id} }`);
    const [own] = findings('broken-reference', {
      'a.tsq.yaml': child('RSC00300'),
      'catalog.tsq.yaml': SITE,
      'i/catalog.tsq.yaml': IMPORTED,
    });
    assert.equal(own.severity, 'warning');
    assert.match(
      own.message,
      /^Task sequence `RSC00300` is not a file of the workspace, nor in any catalog of the workspace; the catalog “Objects RSC002A6 references” is marked partial/,
    );
    assert.equal(
      findings('broken-reference', {
        'a.tsq.yaml': child('CM100300'),
        'catalog.tsq.yaml': SITE,
        'i/catalog.tsq.yaml': IMPORTED,
      })[0].severity,
      'error',
    );
    const deployment = yaml(
      'deployment: Pilot',
      'sequence: ./a.tsq.yaml',
      'collection: CM100020',
      'purpose: available',
    );
    const collection = findings('broken-reference', {
      'd.tsq.yaml': deployment,
      'a.tsq.yaml': run('CM100077'),
      'catalog.tsq.yaml': SITE,
      'i/catalog.tsq.yaml': IMPORTED,
    });
    assert.deepEqual(
      collection.map((f) => [f.severity, f.message]),
      [['error', 'Collection `CM100020` is not in any catalog of the workspace.']],
    );
  });

  test('a partial catalog that names no site (IDs of no ConfigMgr form) may speak for any ID, as before', () => {
    const loose = yaml('catalog: Hand-written', 'partial: true', 'packages:', '  - { id: scripts }');
    assert.equal(
      findings('broken-reference', { 'a.tsq.yaml': run('CM100099'), 'c.tsq.yaml': loose })[0].severity,
      'warning',
    );
  });
});

describe('what an ID says about its site', () => {
  test('package-style IDs carry the site code; application model names carry the scope', () => {
    assert.equal(siteCodeOf('rsc001a4'), 'RSC');
    assert.equal(siteCodeOf('CM1000ZZ'), undefined);
    assert.equal(siteCodeOf('App_7zip'), undefined);
    assert.equal(
      applicationScopeOf('ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED/Application_00e2'),
      'SCOPEID_BB614B4D-843E-46E6-B4B0-2017EA2812ED',
    );
    assert.equal(applicationScopeOf('7-Zip'), undefined);
  });

  test('an ID of no recognisable form is one any partial catalog may have left out', () => {
    const model = parseDocument('/c.tsq.yaml', IMPORTED).model as SiteCatalogModel;
    const scope = scopeOf(model);
    assert.deepEqual([...scope.sites], ['RSC']);
    assert.ok(speaksFor(scope, 'package', 'tools'));
    assert.ok(!speaksFor(scope, 'package', 'PS100001'));
  });
});
