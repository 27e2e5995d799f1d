// The Task Sequence view's requests over the protocol: the tree is the server's model of the file
// (child sequences expanded in place, problems on their nodes), and each change comes back as text
// edits that, applied, give the tree the admin asked for, with the checks following.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { useExamples } from './fixture';
import {
  SEQUENCE_EDIT_REQUEST,
  SEQUENCE_TREE_REQUEST,
  STEP_CHOICES_REQUEST,
  type SequenceEditOperation,
  type SequenceEditResult,
  type SequenceTreeNode,
  type SequenceTreeResult,
  type StepChoice,
} from '../../server/src/frontend/sequence-tree-protocol';

const DEPLOY = 'deploy-windows-11.tsq.yaml';
const BROKEN = 'broken/deploy.tsq.yaml';
const f = useExamples([DEPLOY, BROKEN]);

async function tree(relative: string): Promise<SequenceTreeResult> {
  return f.client.connection.sendRequest(SEQUENCE_TREE_REQUEST, { textDocument: { uri: f.uri(relative) } });
}

async function edit(relative: string, op: SequenceEditOperation): Promise<SequenceEditResult> {
  return f.client.connection.sendRequest(SEQUENCE_EDIT_REQUEST, { textDocument: { uri: f.uri(relative) }, edit: op });
}

const names = (nodes: SequenceTreeNode[]): unknown[] =>
  nodes.map((n) => (n.children && !n.child ? { [n.name]: names(n.children) } : n.name));
const named = (nodes: SequenceTreeNode[] | undefined, name: string): SequenceTreeNode | undefined => {
  for (const n of nodes ?? []) {
    if (n.name === name) return n;
    const inner = named(n.children, name);
    if (inner) return inner;
  }
  return undefined;
};

describe('Task Sequence view requests', () => {
  test('the tree: groups and steps in order, flags, conditions, and the child sequence in place', async () => {
    const t = (await tree(DEPLOY))!;
    assert.equal(t.name, 'Deploy Windows 11');
    assert.deepEqual(names(t.nodes).slice(0, 2), [
      { 'Prepare the disk': ['Partition disk 0 (UEFI)'] },
      {
        'Install Windows': [
          'Apply Windows 11 Enterprise',
          'Apply Windows settings',
          { Drivers: ['Dell Latitude 7440', 'HP EliteBook 840 G10'] },
          'Setup Windows and ConfigMgr',
        ],
      },
    ]);
    const drivers = named(t.nodes, 'Drivers')!;
    assert.equal(drivers.continueOnError, true);
    assert.deepEqual(drivers.path, [1, 2]);
    assert.match(named(t.nodes, 'Dell Latitude 7440')!.condition!, /^wmi\(/);
    assert.equal(named(t.nodes, 'Apply Windows 11 Enterprise')!.action, 'Apply Operating System Image');
    const apps = named(t.nodes, 'Applications')!;
    assert.equal(apps.child?.name, 'Install standard applications');
    assert.ok(apps.child.uri.endsWith('install-apps.tsq.yaml'));
    assert.equal(apps.children![0].name, 'Standard applications');
    assert.ok(apps.children![0].uri.endsWith('install-apps.tsq.yaml'), "the child's nodes are in the child's file");
  });

  test('a step with a problem carries it, for the icon and the tooltip', async () => {
    const t = (await tree(BROKEN))!;
    const step = named(t.nodes, 'Run setup script')!;
    assert.ok(step.problemCount >= 1);
    assert.equal(step.problems[0].severity, 1);
    assert.match(step.problems.map((p) => p.message).join('\n'), /CM100099/);
  });

  test('a change comes back as text edits; applied, the tree is what was asked and the file stays clean', async () => {
    const text = f.text(DEPLOY);
    const before = (await tree(DEPLOY))!;
    const hp = named(before.nodes, 'HP EliteBook 840 G10')!;
    const moved = await edit(DEPLOY, { op: 'moveBy', path: hp.path, delta: -1 });
    assert.ok(moved.ok, moved.ok ? '' : moved.message);
    assert.deepEqual(moved.path, [1, 2, 0]);
    const after = TextDocument.applyEdits(TextDocument.create('x', 'tasksequence', 1, text), moved.edits);
    await f.client.change(f.uri(DEPLOY), 2, [{ text: after }]);
    const diagnostics = await f.client.diagnosticsFor(f.uri(DEPLOY), { version: 2 });
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 1),
      [],
      'no errors after the move',
    );
    assert.deepEqual(names(named((await tree(DEPLOY))!.nodes, 'Drivers')!.children!), [
      'HP EliteBook 840 G10',
      'Dell Latitude 7440',
    ]);
    await f.client.change(f.uri(DEPLOY), 3, [{ text }]);
  });

  test('an added step has its required options; a condition from the builder; refusals say why', async () => {
    const added = await edit(DEPLOY, { op: 'addStep', action: 'ApplyDriverPackage', at: { parent: [1, 2], index: 2 } });
    assert.ok(added.ok);
    assert.match(
      added.edits[0].newText,
      /- name: Apply Driver Package\n {12}action: ApplyDriverPackage\n {12}with:\n {14}driverPackage: ""\n/,
    );
    const built = await edit(DEPLOY, {
      op: 'buildCondition',
      path: [2, 0],
      keep: false,
      choice: {
        join: 'any',
        checks: [
          { kind: 'osVersion', platforms: ['All x64 Windows 11 and higher'] },
          { kind: 'variable', variable: 'ContosoRing', operator: 'equals', value: 'pilot' },
        ],
      },
    });
    assert.ok(built.ok, built.ok ? '' : built.message);
    assert.equal(
      built.edits[0].newText,
      '\n        when: osVersion("All x64 Windows 11 and higher") or ContosoRing == "pilot"',
    );
    const bad = await edit(DEPLOY, {
      op: 'buildCondition',
      path: [2, 0],
      keep: false,
      choice: { join: 'all', checks: [{ kind: 'wmi', query: 'Win32_BIOS' }] },
    });
    assert.equal(bad.ok, false);
    const gone = await edit(DEPLOY, { op: 'delete', path: [40] });
    assert.deepEqual(gone, {
      ok: false,
      message: 'That group or step is not there any more; the view was out of date.',
    });
  });

  test('the built-in steps for "Add Step", by category', async () => {
    const choices: StepChoice[] = await f.client.connection.sendRequest(STEP_CHOICES_REQUEST, {});
    const apply = choices.find((c) => c.key === 'ApplyOperatingSystemImage')!;
    assert.equal(apply.category, 'Images');
    assert.ok(choices.some((c) => c.source === 'mdt'));
  });

  test('malformed parameters are answered InvalidParams', async () => {
    await assert.rejects(
      f.client.connection.sendRequest(SEQUENCE_EDIT_REQUEST, {
        textDocument: { uri: f.uri(DEPLOY) },
        edit: { op: 'move', path: [-1], to: { parent: [], index: 0 } },
      }),
      (e: unknown) => e instanceof ResponseError && e.code === -32602 && /tree edit/.test(e.message),
    );
    await assert.rejects(
      f.client.connection.sendRequest(SEQUENCE_EDIT_REQUEST, {
        textDocument: { uri: f.uri(DEPLOY) },
        edit: {
          op: 'buildCondition',
          path: [0],
          keep: false,
          choice: { join: 'all', checks: [{ kind: 'wmi', query: 42 }] },
        },
      }),
      (e: unknown) => e instanceof ResponseError && e.code === -32602,
    );
  });
});
