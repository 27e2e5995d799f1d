// A catalog open in the editor, edited, with the `workspace` scope: the sequences that reference
// what the edit changed get new diagnostics, and the others are not checked again
// (semantics/catalog-dependants.ts).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, workspaceFolder } from './client';

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

const CATALOG = `catalog: Site
packages:
  - { id: AAA00001, name: Tools, programs: [Install] }
  - { id: AAA00002, name: Agent, programs: [Install] }
`;
const uses = (id: string) =>
  `sequence: Uses ${id}\nsteps:\n  - name: Install\n    action: InstallPackage\n    with: { package: ${id}, program: Install }\n`;
const FILES = {
  'catalog.tsq.yaml': CATALOG,
  'tools.tsq.yaml': uses('AAA00001'),
  'agent.tsq.yaml': uses('AAA00002'),
  'later.tsq.yaml': uses('AAA00003'),
  'plain.tsq.yaml': `sequence: Plain\nsteps:\n  - name: Note\n    action: SetTaskSequenceVariable\n    with: { variable: Ring, value: "1" }\n`,
};

test('a catalog edit updates exactly the sequences it affects: an entry removed, renamed, added', async () => {
  const ws = workspaceFolder(FILES);
  cleanup.push(ws.dispose);
  const client = await TestClient.start({ folder: ws.folder, settings: { diagnostics: { scope: 'workspace' } } });
  cleanup.push(() => client.stop());
  const names = Object.keys(FILES);
  await client.until(() => (names.every((n) => client.published(ws.uri(n)) > 0) ? true : undefined), 'every file');
  const catalogUri = ws.uri('catalog.tsq.yaml');
  await client.open(catalogUri, CATALOG, 1);
  await client.diagnosticsFor(catalogUri, { version: 1 });
  const broken = () => {
    const out: string[] = [];
    for (const n of names.filter((x) => x !== 'catalog.tsq.yaml')) {
      const list = client.diagnostics.get(ws.uri(n))!;
      if (list[list.length - 1].diagnostics.some((d) => d.code === 'broken-reference')) out.push(n);
    }
    return out.sort();
  };
  assert.deepEqual(broken(), ['later.tsq.yaml']);

  let version = 1;
  let text = CATALOG;
  /** Replaces `from` with `to` in the catalog; returns the files published again until `expected` holds. */
  const edit = async (from: string, to: string, expected: string[]) => {
    const at = text.indexOf(from);
    const position = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return { line: before.length - 1, character: before[before.length - 1].length };
    };
    const range = { start: position(at), end: position(at + from.length) };
    text = text.replace(from, to);
    const counts = new Map(names.map((n) => [n, client.published(ws.uri(n))]));
    await client.change(catalogUri, ++version, [{ range, text: to }]);
    await client.diagnosticsFor(catalogUri, { version });
    await client.until(
      () => (JSON.stringify(broken()) === JSON.stringify(expected) ? true : undefined),
      `the new diagnostics (${JSON.stringify(expected)}; now ${JSON.stringify(broken())})`,
    );
    // Everything due was queued with the edit: wait until nothing more comes.
    for (let quiet = client.publishedTotal; ;) {
      await new Promise((r) => setTimeout(r, 400));
      if (client.publishedTotal === quiet) break;
      quiet = client.publishedTotal;
    }
    return names.filter((n) => n !== 'catalog.tsq.yaml' && client.published(ws.uri(n)) > counts.get(n)!).sort();
  };

  // Removed: its referrer breaks; the sequence with an unresolved reference is asked again (its
  // message lists similar IDs); the others are left alone.
  assert.deepEqual(
    await edit('  - { id: AAA00001, name: Tools, programs: [Install] }\n', '', ['later.tsq.yaml', 'tools.tsq.yaml']),
    ['later.tsq.yaml', 'tools.tsq.yaml'],
  );
  // Renamed: the old referrer breaks, the new one is satisfied.
  assert.deepEqual(await edit('AAA00002', 'AAA00003', ['agent.tsq.yaml', 'tools.tsq.yaml']), [
    'agent.tsq.yaml',
    'later.tsq.yaml',
    'tools.tsq.yaml',
  ]);
  // Added: the errors of the sequences that named it clear.
  assert.deepEqual(
    await edit(
      'packages:\n',
      'packages:\n  - { id: AAA00001, name: Tools, programs: [Install] }\n  - { id: AAA00002, name: Agent, programs: [Install] }\n',
      [],
    ),
    ['agent.tsq.yaml', 'tools.tsq.yaml'],
  );
  assert.deepEqual(client.failures(), []);
});
