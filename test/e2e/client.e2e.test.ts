// The client's extension tests (test/extension/suite.ts, written for @vscode/test-electron) run
// in a real VS Code here: code-server's Node extension host loads the repository as the extension
// under development, on a scratch copy of examples/. Then the packaged .vsix is installed in a
// fresh code-server and an admin's view is checked: a broken file shows its problems in the
// Problems panel (with a screenshot).

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eSkipReason, packageExtensionUnderTest, repoRoot, runExtensionTests, scratchFolder, startCodeServer, withEditor, type CodeServer } from './harness';

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
    assert.ok(summary.some((l) => /(\d+) of \1 extension tests passed/.test(l)), summary.join('\n'));
  } finally {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('the packaged extension shows the problems of a broken sequence in the Problems panel', { skip, timeout: 300_000 }, async (t) => {
  const packaging = scratchFolder('client-vsix');
  try {
    const packaged = await packageExtensionUnderTest(packaging);
    if (packaged.standIn) return t.skip('client/ is not built');
    await withEditor({ name: 'client-problems', vsixFiles: [packaged.vsix], workspaceFrom: join(repoRoot, 'examples') }, async ({ workbench }) => {
      await workbench.openFile('broken/deploy.tsq.yaml');
      assert.equal(await workbench.waitForLanguageMode('Task Sequence'), 'Task Sequence');
      await workbench.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
      const rows = workbench.page.locator('.markers-panel .monaco-list-row');
      await workbench.page.waitForFunction("[...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => r.textContent.includes('broken-reference'))", undefined, { timeout: 60_000 });
      await workbench.screenshot('problems-of-a-broken-sequence');
      const texts = await rows.allTextContents();
      // The list is virtual: only the rows that fit are in the page.
      const codes = new Set(texts.flatMap((t) => /tsq\(?([a-z-]+)\)?\[Ln/.exec(t)?.[1] ?? []));
      assert.ok(codes.size >= 3, `the Problems panel lists problems of several rules: ${[...codes].join(', ')}`);
    });
  } finally {
    rmSync(packaging, { recursive: true, force: true });
  }
});
