// Which deployments and media carry a sequence (semantics/deployment-targets.ts `carriersOf`),
// directly or through the sequences that run it. The answer is kept per revision of the links
// between files; these tests pin that it follows every change that can alter it and survives a
// keystroke that cannot.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carriersOf } from '../../server/src/semantics/deployment-targets';
import { parseDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import { workspaceOf, ROOT } from '../helpers/lint';

const PARENT = `sequence: Parent
steps:
  - name: First
    run: cmd /c echo 1
  - name: Child
    action: RunTaskSequence
    with: { sequence: ./child.tsq.yaml }
`;
const CHILD = 'sequence: Child\nsteps:\n  - name: Inside\n    run: cmd /c echo 2\n';
const OTHER = 'sequence: Other\nsteps:\n  - name: Alone\n    run: cmd /c echo 3\n';
const media = (sequence: string) => `media: Offline\ntype: standalone\nsequence: ./${sequence}\n`;
const id = (name: string) => `${ROOT}/${name}`;
const carriers = (ws: ReturnType<typeof workspaceOf>, name: string) => carriersOf(ws, id(name)).map((c) => c.doc.id);

test('a media carries its sequence and the children that sequence runs', () => {
  const ws = workspaceOf({
    'parent.tsq.yaml': PARENT,
    'child.tsq.yaml': CHILD,
    'other.tsq.yaml': OTHER,
    'm.tsq.yaml': media('parent.tsq.yaml'),
  });
  assert.deepEqual(carriers(ws, 'parent.tsq.yaml'), [id('m.tsq.yaml')]);
  assert.deepEqual(carriers(ws, 'child.tsq.yaml'), [id('m.tsq.yaml')]);
  assert.deepEqual(carriers(ws, 'other.tsq.yaml'), []);
});

test('the answer follows a media that names another sequence, and a parent that stops running its child', () => {
  const ws = workspaceOf({
    'parent.tsq.yaml': PARENT,
    'child.tsq.yaml': CHILD,
    'other.tsq.yaml': OTHER,
    'm.tsq.yaml': media('parent.tsq.yaml'),
  });
  assert.deepEqual(carriers(ws, 'child.tsq.yaml'), [id('m.tsq.yaml')]);
  ws.upsert(parseDocument(id('m.tsq.yaml'), media('other.tsq.yaml')));
  assert.deepEqual(carriers(ws, 'other.tsq.yaml'), [id('m.tsq.yaml')]);
  assert.deepEqual(carriers(ws, 'child.tsq.yaml'), []);

  ws.upsert(parseDocument(id('m.tsq.yaml'), media('parent.tsq.yaml')));
  assert.deepEqual(carriers(ws, 'child.tsq.yaml'), [id('m.tsq.yaml')]);
  // The parent's call retargeted in place, as a keystroke changes it: a new revision of the links.
  const previous = ws.get(id('parent.tsq.yaml'))!;
  const at = previous.text.indexOf('./child') + 2;
  const text = previous.text.slice(0, at) + 'x' + previous.text.slice(at);
  const { doc, change } = updateDocument(previous, { start: at, end: at, text: 'x' }, text, 2);
  ws.upsert(doc, { previous, change });
  assert.deepEqual(carriers(ws, 'child.tsq.yaml'), []);
});

test('a keystroke that keeps the calls keeps the answer, and it is still right', () => {
  const ws = workspaceOf({
    'parent.tsq.yaml': PARENT,
    'child.tsq.yaml': CHILD,
    'm.tsq.yaml': media('parent.tsq.yaml'),
  });
  const before = carriersOf(ws, id('child.tsq.yaml'));
  const previous = ws.get(id('parent.tsq.yaml'))!;
  const at = previous.text.indexOf('First') + 1;
  const text = previous.text.slice(0, at) + 'x' + previous.text.slice(at);
  const { doc, change } = updateDocument(previous, { start: at, end: at, text: 'x' }, text, 2);
  assert.ok(change, 'the edit rebuilt one step in place');
  ws.upsert(doc, { previous, change });
  assert.equal(carriersOf(ws, id('child.tsq.yaml')), before, 'the kept list, not a new one');
  assert.deepEqual(carriers(ws, 'child.tsq.yaml'), [id('m.tsq.yaml')]);
});
