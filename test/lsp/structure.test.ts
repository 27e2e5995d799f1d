// Outline, workspace symbols, folding, document links and semantic tokens over the protocol.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DocumentLinkRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  SemanticTokensRangeRequest,
  SemanticTokensRequest,
  WorkspaceSymbolRequest,
  type DocumentSymbol,
  type SemanticTokensLegend,
  type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { useExamples } from './fixture';

const DEPLOY = 'deploy-windows-11.tsq.yaml';
const f = useExamples([DEPLOY]);

describe('document structure', () => {
  test('the outline is the tree of groups and steps', async () => {
    const symbols = (await f.client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: f.uri(DEPLOY) },
    })) as DocumentSymbol[];
    const tree = (list: DocumentSymbol[] | undefined): unknown[] =>
      (list ?? []).map((s) => (s.children?.length ? { [s.name]: tree(s.children) } : s.name));
    assert.deepEqual(tree(symbols), [
      { variables: ['OSDTimeZone', 'ContosoRing'] },
      { 'Prepare the disk': ['Partition disk 0 (UEFI)'] },
      {
        'Install Windows': [
          'Apply Windows 11 Enterprise',
          'Apply Windows settings',
          { Drivers: ['Dell Latitude 7440', 'HP EliteBook 840 G10'] },
          'Setup Windows and ConfigMgr',
        ],
      },
      {
        Configure: [
          'Record the deployment ring',
          'Run setup script',
          'Install Contoso branding',
          'Applications',
          'Restart into Windows',
        ],
      },
    ]);
    const apply = symbols[2].children![0];
    assert.equal(apply.detail, 'Apply Operating System Image · apply-os');
  });

  test('the outline is kept per revision: every edit shows in the next answer', async () => {
    const file = 'outline-edits.tsq.yaml';
    const uri = f.uri(file);
    await f.open(file, 'sequence: Outline\nsteps:\n  - name: Before\n    run: cmd.exe /c exit 0\n');
    const names = async () =>
      (
        (await f.client.connection.sendRequest(DocumentSymbolRequest.type, {
          textDocument: { uri },
        })) as DocumentSymbol[]
      ).map((s) => s.name);
    assert.deepEqual(await names(), ['Before']);
    assert.deepEqual(await names(), ['Before'], 'asked again for the same revision');
    await f.client.change(uri, 2, [
      { range: { start: { line: 2, character: 10 }, end: { line: 2, character: 16 } }, text: 'After' },
    ]);
    assert.deepEqual(await names(), ['After']);
    await f.client.change(uri, 3, [
      { text: 'sequence: Outline\nsteps:\n  - group: Whole\n    steps:\n      - { name: New, run: x.cmd }\n' },
    ]);
    const symbols = (await f.client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => [s.name, s.children?.map((c) => c.name)]),
      [['Whole', ['New']]],
    );
    await f.client.close(uri);
  });

  test('workspace symbols find steps, ids and catalog content in every file', async () => {
    const found = (await f.client.connection.sendRequest(WorkspaceSymbolRequest.type, {
      query: 'setupscr',
    })) as SymbolInformation[];
    const names = found.map((s) => `${s.name} @ ${s.location.uri.split('/').pop()}`);
    assert.ok(names.includes('CM100077 Setup scripts @ catalog.tsq.yaml'), names.join(', '));
    assert.ok(names.includes('Run setup script @ deploy-windows-11.tsq.yaml'));
    const ids = (await f.client.connection.sendRequest(WorkspaceSymbolRequest.type, {
      query: 'apply-os',
    })) as SymbolInformation[];
    assert.ok(ids.some((s) => s.name === 'apply-os'));
  });

  test('groups, steps and `with:` fold', async () => {
    const ranges = await f.client.connection.sendRequest(FoldingRangeRequest.type, {
      textDocument: { uri: f.uri(DEPLOY) },
    });
    const lines = f.text(DEPLOY).split('\n');
    const startsAt = new Set((ranges ?? []).map((r) => lines[r.startLine].trim()));
    for (const expected of ['steps:', '- group: Prepare the disk', 'with:', 'partitions:', 'variables:'])
      assert.ok(startsAt.has(expected), `folds at ${expected}`);
  });

  test('child sequence paths are links to the file', async () => {
    const links = await f.client.connection.sendRequest(DocumentLinkRequest.type, {
      textDocument: { uri: f.uri(DEPLOY) },
    });
    assert.deepEqual(
      (links ?? []).map((l) => l.target?.split('/').pop()),
      ['install-apps.tsq.yaml'],
    );
  });

  test('semantic tokens mark variables (built-in, read-only, set here) and actions inside strings', async () => {
    const legend = f.client.initializeResult!.capabilities.semanticTokensProvider!.legend as SemanticTokensLegend;
    const data = (await f.client.connection.sendRequest(SemanticTokensRequest.type, {
      textDocument: { uri: f.uri(DEPLOY) },
    }))!.data;
    const lines = f.text(DEPLOY).split('\n');
    const tokens: string[] = [];
    let line = 0,
      char = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
      const mods = legend.tokenModifiers.filter((_, b) => data[i + 4] & (1 << b));
      tokens.push(
        `${lines[line].slice(char, char + data[i + 2])}:${legend.tokenTypes[data[i + 3]]}${mods.length ? `+${mods.join('+')}` : ''}`,
      );
    }
    assert.ok(tokens.includes('%OSDComputerName%:variable+defaultLibrary'));
    assert.ok(tokens.includes('_SMSTSInWinPE:variable+readonly+defaultLibrary'));
    assert.ok(tokens.includes('%ContosoRing%:variable'));
    assert.ok(tokens.includes('ContosoRing:variable+declaration'));
    assert.ok(tokens.includes('wmi:function+defaultLibrary'));
    assert.ok(tokens.includes('==:operator'));
    assert.ok(tokens.includes('InstallPackage:function+defaultLibrary'));
    const ranged = await f.client.connection.sendRequest(SemanticTokensRangeRequest.type, {
      textDocument: { uri: f.uri(DEPLOY) },
      range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } },
    });
    assert.ok(ranged && ranged.data.length > 0 && ranged.data.length < data.length);
  });
});
