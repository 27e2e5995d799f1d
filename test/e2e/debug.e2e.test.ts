// The debugger in a real VS Code (code-server + Chromium): with no launch.json, "Start Debugging"
// on an open *.tsq.yaml file simulates it on the workspace's only machine profile, stops on the
// first node, steps over a group, shows the variables, and ends with the summary in the Debug
// Console.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { e2eSkipReason, packageExtensionUnderTest, scratchFolder, withEditor } from './harness';

const SEQUENCE = `sequence: Debug in VS Code
steps:
  - group: Prepare
    when: _SMSTSInWinPE == "true"
    steps:
      - name: Note the start
        action: SetTaskSequenceVariable
        with: { variable: Started, value: "yes" }
  - name: Greet
    run: cmd.exe /c echo hello %OSDComputerName%
`;

const MACHINE = `machine: Test VM
startsIn: winpe
variables: { OSDComputerName: E2E-PC }
`;

test('Start Debugging on a *.tsq.yaml file without launch.json steps through a simulated run', { skip: e2eSkipReason(), timeout: 300_000 }, async (t) => {
  const packaging = scratchFolder('debug-vsix');
  try {
    const packaged = await packageExtensionUnderTest(packaging);
    if (packaged.standIn) {
      t.skip('client/ is not built: the stand-in extension has no debugger');
      return;
    }
    await withEditor({ name: 'debug-f5', vsixFiles: [packaged.vsix], files: { 'deploy.tsq.yaml': SEQUENCE, 'test-vm.tsq.yaml': MACHINE } }, async ({ workbench }) => {
      const page = workbench.page;
      await workbench.openFile('deploy.tsq.yaml');
      assert.equal(await workbench.waitForLanguageMode('Task Sequence'), 'Task Sequence');
      await workbench.runCommand('Debug: Start Debugging');
      const frames = page.locator('.debug-call-stack .monaco-list-row');
      await frames.filter({ hasText: 'group Prepare' }).first().waitFor({ timeout: 60_000 });
      await workbench.screenshot('stopped-on-entry');

      await page.keyboard.press('F10');
      await frames.filter({ hasText: 'Greet' }).first().waitFor({ timeout: 20_000 });
      const variables = page.locator('.debug-variables .monaco-list-row');
      await variables.filter({ hasText: 'Started' }).first().waitFor({ timeout: 20_000 });
      await workbench.screenshot('stepped-over-the-group');

      await page.keyboard.press('F5');
      const console = page.locator('.repl .monaco-list-row');
      await console.filter({ hasText: 'Succeeded in' }).first().waitFor({ timeout: 30_000 });
      assert.ok(await console.filter({ hasText: 'echo hello E2E-PC' }).count() > 0, 'the log shows the expanded command line');
      await workbench.screenshot('run-finished');
    });
  } finally {
    rmSync(packaging, { recursive: true, force: true });
  }
});
