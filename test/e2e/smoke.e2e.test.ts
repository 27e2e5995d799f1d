// Smoke test of the end-to-end harness in a real VS Code (code-server + Debian's Chromium): a packaged
// .vsix installs, a *.tsq.yaml file opens as "Task Sequence" through quick open and through a URL,
// palette commands run, screenshots are saved, and nothing the session started outlives it.
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { test } from 'node:test';
import {
  e2eSkipReason, packageExtensionUnderTest, processesInGroup, processesMentioning, scratchFolder, withEditor,
} from './harness';

const SEQUENCE = `sequence: Smoke test
description: Opened by the end-to-end smoke test
steps:
  - name: Say hello
    action: RunCommandLine
    commandLine: cmd /c echo hello
`;

test('the packaged extension makes VS Code show a *.tsq.yaml file as "Task Sequence"', { skip: e2eSkipReason(), timeout: 300_000 }, async (t) => {
  const packaging = scratchFolder('smoke-vsix');
  try {
    const packaged = await packageExtensionUnderTest(packaging);
    if (packaged.standIn) t.diagnostic('client/ is not built yet: installed the stand-in extension that only declares the language');

    let sessionRoot = '';
    let codeServerGroup = 0;
    await withEditor({ name: 'smoke', vsixFiles: [packaged.vsix], files: { 'sequences/hello.tsq.yaml': SEQUENCE } }, async (session) => {
      sessionRoot = session.root;
      codeServerGroup = session.server.process.pid;
      const { workbench } = session;

      await workbench.openFile('sequences/hello.tsq.yaml');
      assert.equal(await workbench.waitForLanguageMode('Task Sequence'), 'Task Sequence');
      const shot = await workbench.screenshot('opened-with-quick-open');
      assert.ok(statSync(shot).size > 10_000, 'the screenshot holds a rendered window');

      await workbench.runCommand('View: Close All Editors');
      assert.equal(await workbench.page.locator('.tabs-container .tab').count(), 0, 'the palette command closed the editor');
      await workbench.screenshot('after-close-all-editors');

      await workbench.openFileByUrl(`${session.workspace}/sequences/hello.tsq.yaml`);
      assert.equal(await workbench.waitForLanguageMode('Task Sequence'), 'Task Sequence');
      await workbench.screenshot('opened-by-url');
    });

    assert.deepEqual(processesInGroup(codeServerGroup), [], "code-server's process group has ended");
    assert.deepEqual(processesMentioning(sessionRoot), [], 'no process refers to the session folder any more');
  } finally {
    rmSync(packaging, { recursive: true, force: true });
  }
});
