// Deployment and media files in the editor: their keys and values are completed and explained
// like those of sequences, collections come from the catalogs, and the rules about them show
// while typing.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompletionRequest,
  HoverRequest,
  type CompletionItem,
  type CompletionList,
  type Hover,
} from 'vscode-languageserver-protocol/node';
import { useExamples } from './fixture';

const f = useExamples(['catalog.tsq.yaml']);

async function complete(relative: string, needle: string, delta?: number): Promise<CompletionItem[]> {
  const r = (await f.client.connection.sendRequest(
    CompletionRequest.type,
    f.at(relative, needle, delta),
  )) as CompletionList | null;
  return r?.items ?? [];
}

async function hoverText(relative: string, needle: string, delta = 1): Promise<string> {
  const h = (await f.client.connection.sendRequest(HoverRequest.type, f.at(relative, needle, delta))) as Hover | null;
  return h ? JSON.stringify(h.contents) : '';
}

const labels = (items: CompletionItem[]) => items.map((i) => String(i.label));

const DEPLOYMENT = `deployment: Draft rollout
sequence: ./deploy-windows-11.tsq.yaml
collection: 
purpose: 
makeAvailableTo: 
content: 

`;

const MEDIA = `media: Draft media
type: 
sequence: ./deploy-windows-11.tsq.yaml
machine: 

`;

describe('completion and hover in deployment and media files', () => {
  before(async () => {
    await f.open('draft-deployment.tsq.yaml', DEPLOYMENT);
    await f.open('draft-media.tsq.yaml', MEDIA);
  });

  test('a deployment offers the keys it does not have yet', async () => {
    const keys = labels(await complete('draft-deployment.tsq.yaml', 'content: \n\n', 'content: \n\n'.length));
    for (const k of ['deadline', 'rerun', 'outsideMaintenanceWindow'])
      assert.ok(
        keys.some((l) => l.startsWith(k)),
        `${k} in ${keys.join(', ')}`,
      );
    assert.ok(!keys.some((l) => l.startsWith('purpose')), 'a key already written is not offered again');
  });

  test("a deployment's choices: purpose, who it is available to, how content arrives", async () => {
    assert.deepEqual(labels(await complete('draft-deployment.tsq.yaml', 'purpose: ')).sort(), [
      'available',
      'required',
    ]);
    const audiences = labels(await complete('draft-deployment.tsq.yaml', 'makeAvailableTo: '));
    assert.ok(audiences.includes('clientsMediaAndPxe') && audiences.includes('mediaAndPxe'), audiences.join(', '));
    assert.deepEqual(labels(await complete('draft-deployment.tsq.yaml', 'content: ')).sort(), [
      'downloadAll',
      'downloadWhenNeeded',
      'runFromDistributionPoint',
    ]);
  });

  test('the collection of a deployment is completed from the catalog collections', async () => {
    const items = await complete('draft-deployment.tsq.yaml', 'collection: ');
    const pilot = items.find((i) => i.label === 'CM100016');
    assert.ok(pilot, `the pilot collection of examples/catalog.tsq.yaml in ${labels(items).join(', ')}`);
    assert.match(JSON.stringify([pilot.detail, pilot.documentation, pilot.labelDetails]), /[Pp]ilot/);
  });

  test('the type of a media is one of the four kinds of media', async () => {
    assert.deepEqual(labels(await complete('draft-media.tsq.yaml', 'type: ')).sort(), [
      'bootable',
      'capture',
      'prestaged',
      'standalone',
    ]);
  });

  test('the sequence of a deployment or media and the machines of a media are files of the folder', async () => {
    const sequences = labels(await complete('draft-deployment.tsq.yaml', 'sequence: ', 'sequence: '.length));
    assert.ok(
      sequences.includes('./deploy-windows-11.tsq.yaml') || sequences.includes('deploy-windows-11.tsq.yaml'),
      sequences.join(', '),
    );
    assert.ok(!sequences.some((l) => l.includes('lab-vm')), 'machines are not sequences');
    const machines = labels(await complete('draft-media.tsq.yaml', 'machine: '));
    assert.ok(
      machines.some((l) => l.includes('lab-vm.tsq.yaml')) && !machines.some((l) => l.includes('deploy-windows-11')),
      machines.join(', '),
    );
  });

  test('hover explains deployment and media keys', async () => {
    await f.open('pilot-deployment.tsq.yaml');
    assert.match(await hoverText('pilot-deployment.tsq.yaml', 'makeAvailableTo'), /PXE|media/i);
    assert.match(
      await hoverText('pilot-deployment.tsq.yaml', 'collection: CM100016', 'collection: '.length + 2),
      /Pilot laptops/,
    );
    await f.open('offline-media.tsq.yaml');
    assert.match(await hoverText('offline-media.tsq.yaml', 'includeContent'), /content/i);
  });
});
