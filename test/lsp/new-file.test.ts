// "Task Sequence: New from Template" over the protocol, as the VS Code client does it: the
// catalog entries a template can reference come from `tsq/catalogEntries`, the template is filled
// in with the chosen ones (client/src/template-references.ts) and `tsq/createFile` writes it. The
// new file checks clean against the workspace's catalogs, carries none of the examples' IDs, and is
// never written over a file or through a link. F5's `tsq/machineProfiles` lists the folder's machine
// profiles with their errors, unopened files included, and never a media or deployment file.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { TestClient, repoRoot, workspaceFolder } from './client';
import {
  CATALOG_ENTRIES_REQUEST,
  CREATE_FILE_REQUEST,
  type CatalogEntriesResult,
  type CatalogEntryChoice,
  type CreateFileResult,
  type TemplateReferenceKind,
} from '../../server/src/frontend/new-file-protocol';
import {
  MACHINE_PROFILES_REQUEST,
  type MachineProfilesResult,
} from '../../server/src/frontend/machine-profiles-protocol';
import { fillReferences, imageArchitecture, offers, referenceSlots } from '../../client/src/template-references';
import { snippetText } from '../../server/src/util/snippet-text';

const SNIPPETS = JSON.parse(readFileSync(join(repoRoot, 'snippets', 'tasksequence.json'), 'utf8')) as Record<
  string,
  { prefix: string; body: string[] }
>;
const bodyOf = (prefix: string): string =>
  Object.values(SNIPPETS)
    .find((s) => s.prefix === prefix)!
    .body.join('\n');

/** A site whose IDs are not the examples': two boot images of two architectures, an image with index 2 only. */
const CATALOG = `catalog: Fabrikam
siteCode: FAB
packages:
  - { id: FAB00001, name: Setup scripts, version: "3", distributed: true }
  - { id: FAB00002, name: Configuration Manager client, version: 5.00.9128, distributed: true }
osImages:
  - { id: FAB00020, name: Windows 11 Enterprise, version: 26100.1, architecture: x64, indexes: [{ index: 2, name: Enterprise }] }
upgradePackages:
  - { id: FAB00030, name: Windows 11 setup, version: 26100.1, architecture: x64, indexes: [3] }
bootImages:
  - { id: FAB00003, name: Boot image (x86), version: 10.0.26100, architecture: x86 }
  - { id: FAB00004, name: Boot image (x64), version: 10.0.26100, architecture: x64 }
`;

const GOOD_VM = 'machines/good-vm.tsq.yaml';
const BROKEN_VM = 'machines/broken-vm.tsq.yaml';

const ws = workspaceFolder({
  'site/catalog.tsq.yaml': CATALOG,
  [GOOD_VM]: 'machine: Good VM\narchitecture: x64\nfirmware: uefi\nstartsIn: winpe\n',
  [BROKEN_VM]: 'machine: Broken VM\narchitecture: x65\nfirmware: uefi\n',
  'media/usb.tsq.yaml': `media: Rescue USB\ntype: bootable\nsequence: ../deploy.tsq.yaml\nmachine: ../${GOOD_VM}\n`,
  'pilot.tsq.yaml': `deployment: Pilot\nsequence: ./deploy.tsq.yaml\nmachine: ./${GOOD_VM}\n`,
  'deploy.tsq.yaml': 'sequence: Deploy\nsteps: []\n',
  'existing.tsq.yaml': 'sequence: Mine\nsteps: []\n',
});
let client: TestClient;

before(async () => {
  client = await TestClient.start({ folder: ws.folder });
});
after(async () => {
  assert.deepEqual(client.failures(), []);
  await client.stop();
  ws.dispose();
});

async function entries(kinds: TemplateReferenceKind[], uri = ws.uri('new.tsq.yaml')): Promise<CatalogEntriesResult> {
  return client.connection.sendRequest(CATALOG_ENTRIES_REQUEST, { uri, kinds });
}

async function create(relative: string, text: string): Promise<CreateFileResult> {
  return client.connection.sendRequest(CREATE_FILE_REQUEST, { uri: ws.uri(relative), text });
}

/** What the client writes for `prefix` when the admin takes the first entry offered for each reference. */
async function templateFilled(prefix: string): Promise<string> {
  const body = bodyOf(prefix);
  const slots = referenceSlots(body);
  const known = await entries(slots.map((s) => s.kind));
  const chosen = new Map<TemplateReferenceKind, CatalogEntryChoice | undefined>();
  for (const slot of slots)
    chosen.set(slot.kind, offers(slot.kind, known.entries, imageArchitecture(chosen))[0]?.entry);
  return snippetText(`${fillReferences(body, slots, chosen)}\n`);
}

async function errorsOf(relative: string): Promise<string[]> {
  await client.open(ws.uri(relative), readFileSync(ws.path(relative), 'utf8'));
  const published = await client.diagnosticsFor(ws.uri(relative), { version: 1 });
  return published
    .filter((d) => d.severity === 1)
    .map((d) => `${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
}

describe('New from Template over the protocol', () => {
  test('tsq/catalogEntries lists the catalogs’ entries of the kinds asked for, with name, version and architecture', async () => {
    const known = await entries(['bootImage', 'package']);
    assert.equal(known.catalogs, true);
    assert.deepEqual(
      known.entries.map((e) => [e.kind, e.id, e.name, e.version, e.architectures]),
      [
        ['bootImage', 'FAB00003', 'Boot image (x86)', '10.0.26100', ['x86']],
        ['bootImage', 'FAB00004', 'Boot image (x64)', '10.0.26100', ['x64']],
        ['package', 'FAB00001', 'Setup scripts', '3', []],
        ['package', 'FAB00002', 'Configuration Manager client', '5.00.9128', []],
      ],
    );
    assert.ok(known.entries.every((e) => e.catalog === ws.uri('site/catalog.tsq.yaml')));
  });

  test('the boot image of the chosen OS image’s architecture is offered first, the client package before other packages', async () => {
    const known = await entries(['osImage', 'bootImage', 'package']);
    const image = known.entries.find((e) => e.kind === 'osImage')!;
    const boot = offers('bootImage', known.entries, imageArchitecture(new Map([['osImage', image]])));
    assert.deepEqual(
      boot.map((o) => [o.entry.id, o.otherArchitecture]),
      [
        ['FAB00004', false],
        ['FAB00003', true],
      ],
    );
    assert.equal(offers('package', known.entries, undefined)[0].entry.id, 'FAB00002');
  });

  for (const prefix of ['tsq-template-install-image', 'tsq-template-build-capture', 'tsq-template-upgrade']) {
    test(`${prefix}: the file written with the chosen entries has no errors against the workspace’s catalogs`, async () => {
      const file = `new/${prefix}.tsq.yaml`;
      const text = await templateFilled(prefix);
      for (const example of ['CM100005', 'CM100042', 'CM100060', 'CM100010'])
        assert.ok(!text.includes(example), `the examples' ${example} is not written`);
      assert.ok(!/_ID\b/.test(text), 'every reference is an ID of the catalog, not a placeholder');
      assert.deepEqual(await create(file, text), { ok: true });
      assert.equal(readFileSync(ws.path(file), 'utf8'), text);
      assert.deepEqual(await errorsOf(file), []);
    });
  }

  test('the install template names the x64 boot image, the image’s own index and the client package', async () => {
    const text = await templateFilled('tsq-template-install-image');
    assert.match(text, /^bootImage: FAB00004$/m);
    assert.match(text, /image: FAB00020, index: 2,/);
    assert.match(text, /clientPackage: FAB00002 /);
  });

  test('a kind the catalogs do not list gets a named placeholder with a comment, which the checks point at', async () => {
    const body = bodyOf('tsq-template-install-image');
    const slots = referenceSlots(body);
    const known = await entries(['osImage', 'package']);
    const chosen = new Map<TemplateReferenceKind, CatalogEntryChoice | undefined>([
      ['osImage', known.entries.find((e) => e.kind === 'osImage')],
      ['bootImage', undefined],
      ['package', known.entries.find((e) => e.id === 'FAB00002')],
    ]);
    const text = snippetText(`${fillReferences(body, slots, chosen)}\n`);
    assert.match(
      text,
      /^# BOOT_IMAGE_ID: the workspace's catalogs list no boot image\. Add it under `bootImages:` of a catalog, then put its ID here\.\nbootImage: BOOT_IMAGE_ID$/m,
    );
    assert.deepEqual(await create('new/no-boot-image.tsq.yaml', text), { ok: true });
    const errors = await errorsOf('new/no-boot-image.tsq.yaml');
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^4: Boot image `BOOT_IMAGE_ID` is not in any catalog/);
  });

  test('tsq/createFile never writes over a file, through a link, or through a dangling link', async () => {
    const before = readFileSync(ws.path('existing.tsq.yaml'), 'utf8');
    const over = await create('existing.tsq.yaml', 'sequence: Replaced\nsteps: []\n');
    assert.equal(over.ok, false);
    assert.match(!over.ok ? over.message : '', /exists already .*does not write over it/);
    assert.equal(readFileSync(ws.path('existing.tsq.yaml'), 'utf8'), before);

    symlinkSync(ws.path('existing.tsq.yaml'), ws.path('link.tsq.yaml'));
    const throughLink = await create('link.tsq.yaml', 'sequence: Replaced\nsteps: []\n');
    assert.match(!throughLink.ok ? throughLink.message : '', /is a symbolic link .*never writes through links/);
    assert.equal(readFileSync(ws.path('existing.tsq.yaml'), 'utf8'), before);

    symlinkSync(ws.path('nowhere/target.tsq.yaml'), ws.path('dangling.tsq.yaml'));
    const dangling = await create('dangling.tsq.yaml', 'sequence: Planted\nsteps: []\n');
    assert.match(!dangling.ok ? dangling.message : '', /is a symbolic link .*never writes through links/);
    assert.ok(lstatSync(ws.path('dangling.tsq.yaml')).isSymbolicLink(), 'the link is left as it was');
    assert.ok(!existsSync(ws.path('nowhere/target.tsq.yaml')), 'nothing was created where the link points');

    const notTsq = await create('notes.txt', 'hello');
    assert.match(!notTsq.ok ? notTsq.message : '', /not a task sequence file name/);
    assert.ok(!existsSync(ws.path('notes.txt')));
  });
});

describe('F5’s machine profiles over the protocol', () => {
  test('tsq/machineProfiles lists the folder’s profiles, none of them open, with their errors; never media or deployments', async () => {
    const answer: MachineProfilesResult = await client.connection.sendRequest(MACHINE_PROFILES_REQUEST, {
      uri: ws.uri('deploy.tsq.yaml'),
    });
    const byPath = answer.profiles.map((p) => [p.path.slice(ws.folder.length + 1), p.name, p.errors > 0]);
    assert.deepEqual(byPath, [
      [BROKEN_VM, 'Broken VM', true],
      [GOOD_VM, 'Good VM', false],
    ]);
    const broken = answer.profiles.find((p) => p.name === 'Broken VM')!;
    assert.equal(broken.firstError?.line, 2);
    assert.match(broken.firstError?.message ?? '', /x65/);
    const good = answer.profiles.find((p) => p.name === 'Good VM')!;
    assert.deepEqual([good.architecture, good.firmware, good.startsIn], ['x64', 'uefi', 'winpe']);
    assert.equal(client.published(ws.uri(BROKEN_VM)), 0, 'the broken profile was never opened nor published');
  });

  test('asked without a file, it answers for every workspace folder', async () => {
    const answer: MachineProfilesResult = await client.connection.sendRequest(MACHINE_PROFILES_REQUEST, {});
    assert.deepEqual(
      answer.profiles.map((p) => p.name),
      ['Broken VM', 'Good VM'],
    );
  });
});

describe('the new requests refuse malformed parameters', () => {
  test('a kind that is not a catalog list, a missing text or a number for a URI is answered InvalidParams', async () => {
    for (const [method, params] of [
      [CATALOG_ENTRIES_REQUEST, { uri: ws.uri('new.tsq.yaml'), kinds: ['everything'] }],
      [CREATE_FILE_REQUEST, { uri: ws.uri('new/missing-text.tsq.yaml') }],
      [MACHINE_PROFILES_REQUEST, { uri: 42 }],
    ] as const) {
      await assert.rejects(
        client.connection.sendRequest(method, params),
        (e: { code?: number }) => e.code === -32602,
        `${method} with ${JSON.stringify(params)}`,
      );
    }
    assert.ok(!existsSync(ws.path('new/missing-text.tsq.yaml')));
  });
});
