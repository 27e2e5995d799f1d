// Hover, go to definition, find references and rename over the protocol, across the files of
// examples/ (a sequence, its child, the catalog and a machine).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DefinitionRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  ResponseError,
  type Hover,
  type Location,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { useExamples } from './fixture';

const DEPLOY = 'deploy-windows-11.tsq.yaml';
const f = useExamples([DEPLOY, 'install-apps.tsq.yaml', 'catalog.tsq.yaml']);

async function hoverText(relative: string, needle: string, delta = 1): Promise<string> {
  const h = (await f.client.connection.sendRequest(HoverRequest.type, f.at(relative, needle, delta))) as Hover | null;
  return h ? JSON.stringify(h.contents) : '';
}

const where = (locs: Location[] | null) =>
  (locs ?? []).map((l) => `${l.uri.split('/').pop()}:${l.range.start.line}`).sort();

describe('hover', () => {
  test('a step: what it does, where it runs, what it takes', async () => {
    const text = await hoverText(DEPLOY, 'action: InstallPackage', 'action: '.length + 2);
    assert.match(text, /Install Package/);
    assert.match(text, /Runs in the installed OS only/);
    assert.match(text, /`program`/);
  });

  test('an option and its choices', async () => {
    assert.match(await hoverText(DEPLOY, 'partitionStyle'), /partitionStyle.*option of Format and Partition Disk/);
    assert.match(await hoverText(DEPLOY, 'partitionStyle: gpt', 'partitionStyle: '.length + 1), /`gpt`/);
  });

  test('a built-in variable: meaning, read-only or not, who sets it', async () => {
    const text = await hoverText(DEPLOY, '%OSDComputerName%', 3);
    assert.match(text, /built-in task sequence variable/);
    assert.match(text, /Capture Windows Settings/);
    assert.match(await hoverText(DEPLOY, '_SMSTSInWinPE'), /read-only/);
  });

  test('a variable of the workspace: where it is set', async () => {
    const text = await hoverText('install-apps.tsq.yaml', 'ContosoRing ==');
    assert.match(text, /Set in this workspace/);
    assert.match(text, /deploy-windows-11\.tsq\.yaml, line \d+: sequence variable/);
  });

  test('a reference: the content it names', async () => {
    const text = await hoverText(DEPLOY, 'package: CM100077', 'package: '.length + 2);
    assert.match(text, /Setup scripts/);
    assert.match(text, /Architecture: x64/);
    assert.match(text, /Distributed: yes/);
  });

  test('a child sequence and a condition function', async () => {
    assert.match(
      await hoverText(DEPLOY, './install-apps.tsq.yaml', 3),
      /Install standard applications.*child task sequence/,
    );
    assert.match(await hoverText(DEPLOY, 'when: wmi(', 'when: '.length + 1), /wmi\(/);
  });

  test('the arguments of a condition function: the WMI query, an option, a registry value name', async () => {
    assert.match(
      await hoverText(DEPLOY, 'when: wmi("SELECT', 'when: wmi("'.length + 2),
      /query.*argument 1 of `wmi`: WQL query/,
    );
    await f.open(
      'args.tsq.yaml',
      'sequence: A\nsteps:\n  - name: S\n    run: x\n    when: registryExists("HKLM\\SOFTWARE\\Contoso", "Ring", type="REG_SZ") and wmi("SELECT * FROM Win32_BIOS", namespace="root\\cimv2")\n',
    );
    assert.match(await hoverText('args.tsq.yaml', '"Ring"', 2), /value name.*argument 2 of `registryExists`/);
    assert.match(await hoverText('args.tsq.yaml', 'namespace=', 2), /namespace.*option of `wmi`: WMI namespace/);
    assert.match(await hoverText('args.tsq.yaml', '"REG_SZ"', 2), /type.*option of `registryExists`/);
  });

  test('names the admin wrote are shown as text: no HTML, no links, no code span closed early', async () => {
    // VS Code renders hovers as Markdown; a step name, an ID or a reference is the admin's text and
    // must come out as written, whatever punctuation it holds.
    await f.open(
      'hostile.tsq.yaml',
      [
        'sequence: Hostile',
        'steps:',
        '  - name: "<img src=x onerror=alert(1)> **b** [l](javascript:alert(1))"',
        '    id: first',
        '    run: x',
        '  - name: Second',
        '    run: y',
        '    package: "PKG<script>[x](javascript:alert(1))"',
        '  - name: Third',
        '    action: "Not`A<b>Step"',
        '',
      ].join('\n'),
    );
    const stepId = JSON.parse(await hoverText('hostile.tsq.yaml', 'id: first', 'id: '.length + 1)).value as string;
    assert.match(stepId, /&lt;img src=x onerror=alert\(1\)&gt; \\\*\\\*b\\\*\\\* \\\[l\\\]\(javascript:alert\(1\)\)/);
    const reference = JSON.parse(await hoverText('hostile.tsq.yaml', 'package: "PKG', 'package: "'.length + 1))
      .value as string;
    assert.match(reference, /^\*\*PKG&lt;script&gt;\\\[x\\\]\(javascript:alert\(1\)\)\*\* — no package/);
    const action = JSON.parse(await hoverText('hostile.tsq.yaml', 'action: "Not', 'action: "'.length + 1))
      .value as string;
    assert.equal(action, '``Not`A<b>Step`` is not a built-in step.');
    for (const text of [stepId, reference, action]) assert.doesNotMatch(text, /<img|<script|(?<!\\)\]\(javascript:/);
  });

  test('keys of other files, from their schema', async () => {
    await f.open('catalog.tsq.yaml');
    assert.match(await hoverText('catalog.tsq.yaml', 'siteCode'), /site code/i);
  });
});

describe('go to definition', () => {
  test('a reference ID leads to its catalog entry', async () => {
    const locs = (await f.client.connection.sendRequest(
      DefinitionRequest.type,
      f.at(DEPLOY, 'package: CM100077', 'package: '.length + 1),
    )) as Location[];
    const catalog = f.text('catalog.tsq.yaml').split('\n');
    assert.deepEqual(where(locs), [`catalog.tsq.yaml:${catalog.findIndex((l) => l.includes('id: CM100077'))}`]);
  });

  test('a child sequence path leads to the file', async () => {
    const locs = (await f.client.connection.sendRequest(
      DefinitionRequest.type,
      f.at(DEPLOY, './install-apps', 3),
    )) as Location[];
    assert.deepEqual(where(locs), ['install-apps.tsq.yaml:0']);
  });

  test('a variable leads to where it is set', async () => {
    const locs = (await f.client.connection.sendRequest(
      DefinitionRequest.type,
      f.at('install-apps.tsq.yaml', 'ContosoRing ==', 2),
    )) as Location[];
    const lines = f.text(DEPLOY).split('\n');
    assert.deepEqual(where(locs), [`${DEPLOY}:${lines.findIndex((l) => l.includes('ContosoRing: pilot'))}`]);
  });

  test('a machine outcome leads to the step with that id', async () => {
    await f.open('lab-vm.tsq.yaml');
    const locs = (await f.client.connection.sendRequest(
      DefinitionRequest.type,
      f.at('lab-vm.tsq.yaml', 'apply-os', 2),
    )) as Location[];
    assert.deepEqual(where(locs), [
      `${DEPLOY}:${f
        .text(DEPLOY)
        .split('\n')
        .findIndex((l) => l.includes('id: apply-os'))}`,
    ]);
  });
});

describe('find references', () => {
  test('a package: every step that uses it, in every sequence, and its entry', async () => {
    const locs = (await f.client.connection.sendRequest(ReferencesRequest.type, {
      ...f.at('catalog.tsq.yaml', 'id: CM100077', 6),
      context: { includeDeclaration: true },
    })) as Location[];
    assert.deepEqual(
      where(locs).map((w) => w.split(':')[0]),
      ['catalog.tsq.yaml', DEPLOY, 'install-apps.tsq.yaml'],
    );
  });

  test('a variable: its reads and writes across files', async () => {
    const locs = (await f.client.connection.sendRequest(ReferencesRequest.type, {
      ...f.at(DEPLOY, 'ContosoRing: pilot', 2),
      context: { includeDeclaration: true },
    })) as Location[];
    assert.deepEqual(
      where(locs).map((w) => w.split(':')[0]),
      [DEPLOY, DEPLOY, 'install-apps.tsq.yaml'],
    );
  });
});

describe('rename', () => {
  test('a variable is renamed in every file, inside %...% and in conditions', async () => {
    const edit = (await f.client.connection.sendRequest(RenameRequest.type, {
      ...f.at(DEPLOY, 'ContosoRing: pilot', 2),
      newName: 'Ring',
    })) as WorkspaceEdit;
    const changes = edit.changes!;
    assert.equal(changes[f.uri(DEPLOY)].length, 2, 'the `variables:` key and the %ContosoRing% read');
    assert.equal(changes[f.uri('install-apps.tsq.yaml')].length, 1, 'the condition');
    for (const list of Object.values(changes))
      for (const e of list) assert.equal(e.range.end.character - e.range.start.character, 'ContosoRing'.length);
  });

  test('a step id is renamed with the machine outcomes that address it', async () => {
    await f.open('lab-vm.tsq.yaml');
    const edit = (await f.client.connection.sendRequest(RenameRequest.type, {
      ...f.at(DEPLOY, 'id: apply-os', 5),
      newName: 'apply-windows',
    })) as WorkspaceEdit;
    assert.deepEqual(
      Object.keys(edit.changes!)
        .map((u) => u.split('/').pop())
        .sort(),
      [DEPLOY, 'lab-vm-troubled.tsq.yaml', 'lab-vm.tsq.yaml'],
    );
  });

  test('built-in variables cannot be renamed, and the editor is told why', async () => {
    const prepared = await f.client.connection
      .sendRequest(PrepareRenameRequest.type, f.at(DEPLOY, '%OSDComputerName%', 3))
      .catch((e: unknown) => e);
    assert.ok(prepared instanceof ResponseError);
    assert.match(prepared.message, /built-in variable/);
    const ok = await f.client.connection.sendRequest(PrepareRenameRequest.type, f.at(DEPLOY, '%ContosoRing%', 3));
    assert.deepEqual(ok && 'placeholder' in ok ? ok.placeholder : undefined, 'ContosoRing');
  });
});
