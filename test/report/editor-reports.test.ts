// The documentation and the run report as the editor gets them: the language server answers
// `tsq/documentation` for the open file as it is now (unsaved edits included) with the HTML of
// `tsq doc`, and the debug adapter sends the run report (HTML and Markdown) as a custom event
// when a run ends, which the VS Code client turns into "Open Run Report".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestClient, read, workspaceFolder } from '../lsp/client';
import { DocumentationRequest } from '../../server/src/lsp/documentation';
import type { DocumentationResult } from '../../server/src/frontend/documentation-protocol';
import { RUN_REPORT_EVENT, type RunReportEventBody } from '../../server/src/frontend/run-report-event';
import { launch, nextEvent, startClient } from '../debug/helpers';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

describe('tsq/documentation', () => {
  const ws = workspaceFolder({}, EXAMPLES);
  let client: TestClient;
  const uri = ws.uri('deploy-windows-11.tsq.yaml');
  before(async () => {
    client = await TestClient.start({ folder: ws.folder });
    await client.open(uri, read(ws.path('deploy-windows-11.tsq.yaml')));
    await client.diagnosticsFor(uri);
  });
  after(async () => {
    await client.stop();
    ws.dispose();
  });

  test('answers the HTML document of the open sequence, following unsaved edits', async () => {
    const first = (await client.connection.sendRequest(DocumentationRequest, { textDocument: { uri } })) as Extract<
      DocumentationResult,
      { ok: true }
    >;
    assert.equal(first.ok, true);
    assert.equal(first.title, 'Deploy Windows 11');
    assert.match(first.html, /<td>Apply Windows 11 Enterprise<\/td><td>Apply Operating System Image<\/td>/);
    assert.match(first.html, /Content-Security-Policy" content="default-src &#39;none&#39;/);
    await client.change(uri, 2, [
      {
        text: read(ws.path('deploy-windows-11.tsq.yaml')).replace(
          'name: Run setup script',
          'name: Run <b>setup</b> script',
        ),
      },
    ]);
    const second = (await client.connection.sendRequest(DocumentationRequest, { textDocument: { uri } })) as Extract<
      DocumentationResult,
      { ok: true }
    >;
    assert.match(second.html, /Run &lt;b&gt;setup&lt;\/b&gt; script/);
  });

  test('says why for a file that is not a sequence', async () => {
    const catalog = ws.uri('catalog.tsq.yaml');
    await client.open(catalog, read(ws.path('catalog.tsq.yaml')));
    const r = await client.connection.sendRequest(DocumentationRequest, { textDocument: { uri: catalog } });
    assert.equal(r.ok, false);
  });
});

describe('the run report after F5', () => {
  test('the debug adapter sends the run report as the run ends', async () => {
    const dc = await startClient();
    try {
      const report = nextEvent<DebugProtocol.Event & { body: RunReportEventBody }>(dc, RUN_REPORT_EVENT);
      await (
        await launch(dc, {
          program: path.join(EXAMPLES, 'deploy-windows-11.tsq.yaml'),
          machine: path.join(EXAMPLES, 'lab-vm.tsq.yaml'),
        })
      ).terminated;
      const body = (await report).body;
      assert.equal(body.result, 'succeeded');
      assert.equal(body.title, 'Run report: Deploy Windows 11');
      assert.match(body.html, /✔ Succeeded in 39 min 34 s/);
      assert.match(body.markdown, /^## Restarts \(2\)$/m);
    } finally {
      await dc.stop();
    }
  });
});
