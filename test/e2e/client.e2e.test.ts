// The client's extension tests (test/extension/suite.ts, written for @vscode/test-electron) run
// in a real VS Code here: code-server's Node extension host loads the repository as the extension
// under development, on a scratch copy of examples/. They call the extension through VS Code's API;
// what an admin sees through the UI is checked in admin.e2e.test.ts.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eSkipReason, repoRoot, runExtensionTests, scratchFolder, startCodeServer, type CodeServer } from './harness';

const skip = e2eSkipReason();

test('the client passes its extension tests inside VS Code (code-server)', { skip, timeout: 600_000 }, async () => {
  const root = scratchFolder('client-extension-tests');
  let server: CodeServer | undefined;
  try {
    const workspace = join(root, 'workspace');
    mkdirSync(workspace, { recursive: true });
    cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    server = await startCodeServer({ root: join(root, 'code-server'), workspace });
    const result = await runExtensionTests(server, {
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'extension', 'index.js'),
      profileDir: join(root, 'chromium'),
      timeoutMs: 480_000,
    });
    const summary = result.log.filter((l) => /\b(ok|not ok) - |extension tests passed/.test(l));
    assert.equal(result.exitCode, 0, `extension tests failed:\n${result.log.join('\n')}`);
    assert.ok(
      summary.some((l) => /(\d+) of \1 extension tests passed/.test(l)),
      summary.join('\n'),
    );
  } finally {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
