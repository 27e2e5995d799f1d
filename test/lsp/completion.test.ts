// Completion over the protocol, at each kind of place a cursor can be in a tsq file.

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompletionRequest,
  CompletionResolveRequest,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-protocol/node';
import { useExamples } from './fixture';

const f = useExamples();

async function complete(relative: string, needle: string, delta?: number): Promise<CompletionItem[]> {
  const r = (await f.client.connection.sendRequest(
    CompletionRequest.type,
    f.at(relative, needle, delta),
  )) as CompletionList | null;
  return r?.items ?? [];
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const newText = (item: CompletionItem | undefined) =>
  item?.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : undefined;

const DRAFT = `sequence: Draft
bootImage: 
variables:
  Ring: pilot
steps:
  - name: Drivers
    action: 
  - name: Partition
    action: FormatAndPartitionDisk
    with:
      partitionStyle: 
      
  - name: Install
    action: InstallPackage
    with: { package: , program: Install }
  - name: Script
    run: cmd.exe /c echo %
    when: 
  - name: Check
    run: x
    when: Ring 
  - name: Child
    action: RunTaskSequence
    with:
      sequence: 
  - name: Keys
    run: y
    
`;

describe('completion in a sequence', () => {
  before(async () => {
    await f.open('draft.tsq.yaml', DRAFT);
  });

  test('action names, inserting the options an action requires', async () => {
    const items = await complete('draft.tsq.yaml', '    action: \n', '    action: '.length);
    assert.ok(items.length >= 50, 'every built-in step is offered');
    const drivers = items.find((i) => i.label === 'ApplyDriverPackage');
    assert.equal(newText(drivers), 'ApplyDriverPackage\n    with:\n      driverPackage: ${1:""}');
    const resolved = await f.client.connection.sendRequest(CompletionResolveRequest.type, drivers!);
    assert.match(JSON.stringify(resolved.documentation), /Apply Driver Package/);
  });

  test('option names under `with:`, the missing ones', async () => {
    const items = await complete(
      'draft.tsq.yaml',
      '      partitionStyle: \n      ',
      'partitionStyle: \n      '.length + 6,
    );
    assert.ok(labels(items).includes('disk'));
    assert.ok(labels(items).includes('partitions'));
    assert.ok(!labels(items).includes('partitionStyle'), 'options already written are not offered');
  });

  test('option names in an empty `with:`, the moment the list is needed', async () => {
    // The step's `with:` holds nothing yet: the parser reads it as null, not as a mapping.
    const text =
      'sequence: E\nsteps:\n  - name: Partition\n    action: FormatAndPartitionDisk\n    with:\n      \n  - name: Next\n    run: x\n';
    await f.open('empty-with.tsq.yaml', text);
    const items = labels(await complete('empty-with.tsq.yaml', '    with:\n      ', '    with:\n      '.length));
    assert.ok(
      items.includes('disk') && items.includes('partitions') && items.includes('partitionStyle'),
      items.join(', '),
    );
    assert.ok(!items.includes('when'), 'keys of the step are not options');
    await f.open('empty-with-typing.tsq.yaml', text.replace('    with:\n      \n', '    with:\n      pa\n'));
    const typing = labels(
      await complete('empty-with-typing.tsq.yaml', '    with:\n      pa', '    with:\n      pa'.length),
    );
    assert.ok(typing.includes('partitions'), 'a word typed under `with:` is still an option name');
  });

  test('option names in an unclosed `with: {`, without those already written', async () => {
    const text = 'sequence: U\nsteps:\n  - name: Install\n    action: InstallPackage\n    with: { \n';
    await f.open('open-brace.tsq.yaml', text);
    const first = labels(await complete('open-brace.tsq.yaml', 'with: { ', 'with: { '.length));
    assert.ok(first.includes('package') && first.includes('program'), first.join(', '));
    const text2 =
      'sequence: U\nsteps:\n  - name: Install\n    action: InstallPackage\n    with: { package: CM100077, \n';
    await f.open('open-brace-2.tsq.yaml', text2);
    const next = labels(await complete('open-brace-2.tsq.yaml', 'CM100077, ', 'CM100077, '.length));
    assert.ok(next.includes('program') && !next.includes('package'), next.join(', '));
  });

  test('choices of an option', async () => {
    assert.deepEqual(labels(await complete('draft.tsq.yaml', 'partitionStyle: ')).sort(), ['gpt', 'mbr']);
  });

  test('IDs from the catalogs, with name, version and architecture', async () => {
    const items = await complete('draft.tsq.yaml', 'with: { package: ');
    const scripts = items.find((i) => i.label === 'CM100077');
    assert.ok(scripts, 'packages of the catalog are offered');
    assert.match(scripts.detail ?? '', /Setup scripts · version 4 · x64/);
    assert.ok(!labels(items).includes('CM100042'), 'an OS image is not a package');
    assert.ok(labels(await complete('draft.tsq.yaml', 'bootImage: ')).includes('CM100005'));
  });

  test('variables inside %...%, built-in and set in the workspace, read-only ones marked', async () => {
    const items = await complete('draft.tsq.yaml', 'echo %');
    const names = labels(items);
    assert.ok(names.includes('OSDComputerName'));
    assert.ok(names.includes('Ring'), 'set in this file');
    assert.ok(names.includes('ContosoRing'), 'set in another file of the workspace');
    assert.match(items.find((i) => i.label === '_SMSTSInWinPE')?.detail ?? '', /read-only/);
    assert.equal(newText(items.find((i) => i.label === 'OSDComputerName')), 'OSDComputerName%');
  });

  test('conditions: variables and functions first, then operators', async () => {
    const start = labels(await complete('draft.tsq.yaml', 'echo %\n    when: '));
    assert.ok(
      start.includes('wmi') && start.includes('exists') && start.includes('_SMSTSInWinPE') && start.includes('not'),
    );
    const afterVariable = labels(await complete('draft.tsq.yaml', 'when: Ring '));
    assert.ok(afterVariable.includes('==') && afterVariable.includes('like') && afterVariable.includes('and'));
  });

  test('inside a condition function: its options, their values, platforms, variables for exists', async () => {
    const text =
      'sequence: C\nsteps:\n  - name: A\n    run: x\n    when: wmi("SELECT * FROM Win32_BIOS", \n  - name: B\n    run: x\n    when: registryExists("HKLM\\X", "V", type=\n  - name: C\n    run: x\n    when: osVersion(\n  - name: D\n    run: x\n    when: exists(\n  - name: E\n    run: x\n    when: all(\n';
    await f.open('calls.tsq.yaml', text);
    const wmiOptions = await complete('calls.tsq.yaml', 'Win32_BIOS", ', 'Win32_BIOS", '.length);
    assert.deepEqual(labels(wmiOptions), ['namespace=']);
    assert.deepEqual(labels(await complete('calls.tsq.yaml', 'type=', 'type='.length)).slice(0, 2), [
      '"REG_SZ"',
      '"REG_EXPAND_SZ"',
    ]);
    assert.ok(
      labels(await complete('calls.tsq.yaml', 'osVersion(', 'osVersion('.length)).includes(
        '"All x64 Windows 11 and higher"',
      ),
    );
    const vars = labels(await complete('calls.tsq.yaml', 'exists(', 'exists('.length));
    assert.ok(vars.includes('_SMSTSInWinPE') && !vars.includes('wmi'), 'exists( takes a variable, not a check');
    const checks = labels(await complete('calls.tsq.yaml', 'all(', 'all('.length));
    assert.ok(checks.includes('wmi') && checks.includes('_SMSTSInWinPE'), 'all( takes checks');
  });

  test('child sequence files for Run Task Sequence', async () => {
    assert.ok(labels(await complete('draft.tsq.yaml', '      sequence: ')).includes('./install-apps.tsq.yaml'));
  });

  test('keys of a step, without those it has', async () => {
    const items = labels(await complete('draft.tsq.yaml', '    run: y\n    ', '    run: y\n    '.length));
    assert.ok(items.includes('when') && items.includes('continueOnError') && items.includes('timeout'));
    assert.ok(!items.includes('run') && !items.includes('name'));
  });

  test('top-level keys of a sequence', async () => {
    const text = 'sequence: S\n\nsteps: []\n';
    await f.open('top.tsq.yaml', text);
    const items = labels(await complete('top.tsq.yaml', 'sequence: S\n', 'sequence: S\n'.length));
    assert.ok(items.includes('description') && items.includes('packageId') && items.includes('variables'));
    assert.ok(!items.includes('sequence') && !items.includes('steps'));
  });
});

describe('completion in other files', () => {
  test('an empty file offers the kinds of tsq file', async () => {
    await f.open('empty.tsq.yaml', '');
    const items = await f.client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: f.uri('empty.tsq.yaml') },
      position: { line: 0, character: 0 },
    });
    assert.deepEqual(labels((items as CompletionList).items), [
      'sequence:',
      'catalog:',
      'machine:',
      'deployment:',
      'media:',
    ]);
  });

  test('a line holding a Unicode line separator (U+2028, not a line break for editors) still completes', async () => {
    const text = 'sequence: S\nsteps:\n  - name: a\u2028b\n    run: x\n    when: \u2028 \n';
    await f.open('separator.tsq.yaml', text);
    const items = labels(await complete('separator.tsq.yaml', 'when: \u2028 ', 'when: \u2028 '.length));
    assert.ok(items.includes('_SMSTSInWinPE'), 'the variables a condition can read are offered');
  });

  test('catalog and machine keys and values come from the schemas', async () => {
    await f.open('site.tsq.yaml', 'catalog: Site\npackages:\n  - id: CM1\n    \n');
    const keys = labels(await complete('site.tsq.yaml', '  - id: CM1\n    ', '  - id: CM1\n    '.length));
    assert.ok(keys.includes('distributed') && keys.includes('programs') && !keys.includes('id'));
    await f.open('vm.tsq.yaml', 'machine: VM\nfirmware: \n');
    assert.deepEqual(labels(await complete('vm.tsq.yaml', 'firmware: ')).sort(), ['bios', 'uefi']);
  });
});
