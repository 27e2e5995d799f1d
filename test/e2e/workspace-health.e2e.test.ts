// The workspace's health as an admin sees it in VS Code (code-server + Chromium, the packaged
// .vsix): a workspace whose broken sequences are all closed shows their errors in the status bar
// as soon as it opens (the extension starts for a workspace that holds *.tsq.yaml files), while
// the Problems panel stays empty under the default `openFiles` scope; a click on the status bar
// item lists the files with problems, and choosing one opens it at its first error. With the
// background check turned off, the command offers to turn it on; and the list's last entry puts
// every file's problems in the Problems panel. Both write the workspace's own settings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eSkipReason, packageExtensionUnderTest, scratchFolder, withEditor, type EditorSession } from './harness';

const CATALOG = 'catalog: Site\npackages:\n  - { id: AAA00001, name: Tools, programs: [Install] }\n';
const sequence = (id: string) =>
  `sequence: Install tools\nsteps:\n  - name: Tools\n    action: InstallPackage\n    with: { package: ${id}, program: Install }\n`;
const TWO_BROKEN = `sequence: Two broken\nsteps:\n  - name: One\n    action: InstallPackage\n    with: { package: ZZZ00001, program: Install }\n  - name: Two\n    action: InstallPackage\n    with: { package: ZZZ00002, program: Install }\n`;
/** Where the first error of sites/two.tsq.yaml is, as the editor counts (1-based). */
const FIRST_ERROR = { line: 5, column: TWO_BROKEN.split('\n')[4]!.indexOf('ZZZ00001') + 1 };

/**
 * Runs `body` in code-server with the packaged extension on a workspace of a catalog, a clean
 * sequence and two broken ones (three errors in two files under sites/), none of them open.
 */
async function inBrokenWorkspace(
  name: string,
  settings: Record<string, unknown>,
  body: (session: EditorSession) => Promise<void>,
): Promise<void> {
  const { vsix } = await packageExtensionUnderTest(scratchFolder(`${name}-vsix`));
  await withEditor(
    {
      name,
      vsixFiles: [vsix],
      files: {
        'catalog.tsq.yaml': CATALOG,
        'clean.tsq.yaml': sequence('AAA00001'),
        'sites/broken.tsq.yaml': sequence('ZZZ00009'),
        'sites/two.tsq.yaml': TWO_BROKEN,
      },
      settings,
      timeoutMs: 540_000,
    },
    body,
  );
}

test(
  'a workspace with broken files that are not open shows their errors in the status bar, and the list opens one at its error',
  { skip: e2eSkipReason(), timeout: 600_000 },
  async () => {
    await inBrokenWorkspace('workspace-health', {}, async ({ workbench }) => {
      const { page } = workbench;
      const statusBar = page.locator('#workbench\\.parts\\.statusbar');
      // The item's plain-words label says what its icons say, and "(still checking)" until the check ends.
      const health = statusBar.getByRole('button', {
        name: 'Task sequences: 3 errors, 0 warnings in 2 files',
        exact: true,
      });
      await health.waitFor({ state: 'visible', timeout: 120_000 });
      assert.match((await health.textContent()) ?? '', /3\s*0\s*in 2 files/, 'the counts beside the icons');
      await workbench.screenshot('status-bar-counts');

      await health.click();
      await workbench.waitForQuickInput('Open a file at its first problem');
      const rows = page.locator('.quick-input-widget .monaco-list-row');
      // The list is filled a moment after the picker opens: read its first row once it holds a file.
      await rows
        .first()
        .filter({ hasText: /\.tsq\.yaml/ })
        .waitFor({ timeout: 60_000 });
      const first = (await rows.first().textContent()) ?? '';
      assert.match(first, /sites\/two\.tsq\.yaml/, 'the file with the most errors comes first');
      assert.match(first, /2 errors, 0 warnings/, 'with its counts');
      assert.match(first, /Ln 5: Package `ZZZ00001` is not in any catalog of the workspace\./, 'and its first error');
      await workbench.screenshot('workspace-problems-listed');

      await workbench.pickQuickInputRow('two.tsq.yaml');
      await page
        .locator('.tabs-container .tab.active')
        .filter({ hasText: 'two.tsq.yaml' })
        .waitFor({ timeout: 60_000 });
      await page
        .locator('#status\\.editor\\.selection')
        .filter({ hasText: new RegExp(`\\bLn ${FIRST_ERROR.line}, Col ${FIRST_ERROR.column}\\b`) })
        .waitFor({ timeout: 60_000 });
      await workbench.screenshot('opened-at-first-error');
      // Opening it changes nothing about the counts.
      await health.waitFor({ state: 'visible', timeout: 60_000 });
    });
  },
);

/** The workspace's own settings file as VS Code wrote it, read as JSON (none yet: an empty object). */
function workspaceSettings(workspace: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

test(
  'with the background check off, Turn It On starts it; the list then puts every file in the Problems panel',
  { skip: e2eSkipReason(), timeout: 600_000 },
  async () => {
    await inBrokenWorkspace(
      'workspace-health-off',
      { 'tsq.diagnostics.workspaceHealth': false },
      async ({ workbench, workspace }) => {
        const { page } = workbench;
        const statusBar = page.locator('#workbench\\.parts\\.statusbar');
        const health = statusBar.getByRole('button', {
          name: 'Task sequences: 3 errors, 0 warnings in 2 files',
          exact: true,
        });

        // Off, the status bar has no item to click: the command says so and offers to turn it on.
        await workbench.runCommand('Task Sequence: Show Workspace Problems');
        const offer = page
          .locator('.notifications-toasts .notification-list-item')
          .filter({ hasText: 'The background check of the workspace is off' });
        await offer.waitFor({ state: 'visible', timeout: 120_000 });
        assert.equal(await health.count(), 0, 'no counts while the check is off');
        await workbench.screenshot('health-off-offer');
        await offer.locator('.monaco-button', { hasText: 'Turn It On' }).click();

        await health.waitFor({ state: 'visible', timeout: 120_000 });
        assert.equal(
          workspaceSettings(workspace)['tsq.diagnostics.workspaceHealth'],
          true,
          'turned on in the workspace settings, over the user setting that turned it off',
        );
        await workbench.screenshot('health-turned-on');

        // The Problems panel shows open files only (the default scope) until the list's last entry is chosen.
        await health.click();
        await workbench.waitForQuickInput('Open a file at its first problem');
        await workbench.pickQuickInputRow('Show the problems of every file in the Problems panel');
        const problems = page.locator('.markers-panel');
        await problems
          .locator('.monaco-list-row')
          .filter({ hasText: 'Package `ZZZ00002` is not in any catalog of the workspace.' })
          .waitFor({ state: 'visible', timeout: 120_000 });
        for (const file of ['two.tsq.yaml', 'broken.tsq.yaml'])
          await problems.locator('.monaco-list-row').filter({ hasText: file }).first().waitFor({ timeout: 60_000 });
        assert.equal(workspaceSettings(workspace)['tsq.diagnostics.scope'], 'workspace', 'the scope is the workspace');
        await workbench.screenshot('every-file-in-problems');
      },
    );
  },
);
