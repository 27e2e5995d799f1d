// What an admin sees after installing the packaged .vsix in VS Code (code-server + Debian's
// Chromium), driven through the UI — keyboard and mouse, the command palette, VS Code's own
// dialogs — and, where the point is what another program does, by files written on disk; on a
// copy of examples/. One editor session serves every check, to keep the suite fast; each check is
// a subtest with its own screenshot folder, test-results/e2e/admin/<check>/, and a failure
// screenshot there when it fails. Afterwards nothing the session started is left running.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Locator } from 'playwright-core';
import {
  e2eSkipReason,
  packageExtensionUnderTest,
  processesInGroup,
  processesMentioning,
  repoRoot,
  scratchFolder,
  until,
  withEditor,
  type EditorSession,
} from './harness';
import { findStep, stepByKey, stepKeys } from '../../server/src/catalog';
import { readXml } from '../../server/src/interop/xml/read';
import { diffSequences } from '../../server/src/interop/diff/diff';
import { parseDocument } from '../../server/src/model/document';
import type { SequenceModel } from '../../server/src/model/sequence';
import { addStep, moveNode, nodeAt, setCondition, setDisabled, type TreeEdit } from '../../server/src/model/tree-edits';
import { buildCondition, type ConditionChoice } from '../../server/src/conditions/builder';
import { SAMPLES_DIR, skipUnlessPresent } from '../helpers/outside-samples';

const SAMPLE = join(SAMPLES_DIR, 'xml', 'forevanyeung-tasksequences-RSC002A6-sequence.xml');
/** A real-format run whose child sequence fails (test/fixtures/runlog/04-child-failure), copied to runlog/ in the workspace. */
const RUN = join(repoRoot, 'test', 'fixtures', 'runlog', '04-child-failure');
const EXAMPLES = join(repoRoot, 'examples');
/** The sequence most checks use, and the lines of it they act on (1-based, as the editor counts). */
const SEQUENCE = 'deploy-windows-11.tsq.yaml';
const SEQUENCE_LINES = readFileSync(join(EXAMPLES, SEQUENCE), 'utf8').split('\n');

/** A sequence that uses a package of another site, whose catalog a check moves into the workspace later. */
const LAB_PACKAGE = 'LAB00001';
const LAB_SEQUENCE = 'lab/lab-tools.tsq.yaml';
const LAB_SEQUENCE_TEXT = `sequence: Lab tools\nsteps:\n  - name: Install the lab tools\n    run: cmd /c setup.cmd\n    package: ${LAB_PACKAGE}\n`;
const LAB_CATALOG = `catalog: Lab site\nsiteCode: LAB\npackages:\n  - { id: ${LAB_PACKAGE}, name: Lab tools }\n`;

/** A machine profile with an error (no such architecture) that no check opens: F5 must not offer it. */
const BROKEN_PROFILE = 'machines/broken-vm.tsq.yaml';
const BROKEN_PROFILE_TEXT = 'machine: Broken VM\narchitecture: x65\nfirmware: uefi\nstartsIn: winpe\n';

function lineOf(text: string, lines = SEQUENCE_LINES): number {
  const index = lines.findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`examples/${SEQUENCE} no longer holds \`${text}\`; the check needs updating`);
  return index + 1;
}

/** The sequence the Task Sequence view checks work on, written into view/lab.tsq.yaml of the workspace. */
const VIEW_LAB = `# The Task Sequence view's lab: a group, a comment and three steps.
sequence: View lab
steps:
  - group: Prepare
    steps:
      - name: Step A
        run: cmd.exe /c echo a
      - name: Step B
        run: cmd.exe /c echo b
  # the last step
  - name: Step C
    run: cmd.exe /c echo c
`;

/** The text `edit` (a function of model/tree-edits.ts, given the text and its model) makes of `text`: what the view must write. */
function edited(text: string, edit: (text: string, model: SequenceModel) => TreeEdit): string {
  const result = edit(text, parseDocument('file:///lab.tsq.yaml', text).model as SequenceModel);
  if (!result.ok) throw new Error(result.message);
  for (const c of [...result.changes].sort((a, b) => b.start - a.start))
    text = text.slice(0, c.start) + c.text + text.slice(c.end);
  return text;
}

/** Waits for `locator`; a timeout fails with `what` (what the admin should have seen) in the message. */
async function see(what: string, locator: Locator, timeoutMs = 60_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    throw new Error(`not seen within ${timeoutMs / 1000} s: ${what}`);
  }
}

/** Waits until `locator` matches nothing visible any more. */
async function seeGone(what: string, locator: Locator, timeoutMs = 60_000): Promise<void> {
  await until(async () => (await locator.filter({ visible: true }).count()) === 0, timeoutMs).catch(() => {
    throw new Error(`still shown after ${timeoutMs / 1000} s: ${what}`);
  });
}

/** Waits until the file on disk holds `expected` (an editor saves a moment after Ctrl+S). */
async function fileBecomes(path: string, expected: string, what: string, timeoutMs = 60_000): Promise<void> {
  await until(() => readFileSync(path, 'utf8') === expected, timeoutMs).catch(() => undefined);
  assert.equal(readFileSync(path, 'utf8'), expected, what);
}

/**
 * What the workbench showed when a check failed, as text beside the failure screenshot: the tabs,
 * the panel's views, the Problems filter with its count and the rows it has drawn, and the
 * notifications. A wait that ran out under load can then be told apart: the
 * language server never answered, or the page showed the answer somewhere the check did not look.
 */
async function describeWorkbench(workbench: EditorSession['workbench']): Promise<string> {
  const { page } = workbench;
  const texts = async (selector: string) =>
    (await page.locator(selector).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const filter = page.getByPlaceholder('Filter (e.g. text, **/*.ts');
  const filterValue = (await filter.count()) ? await filter.first().inputValue() : '(no Problems filter on the page)';
  return [
    `editor tabs: ${(await texts('.tabs-container .tab')).join(' | ')}`,
    `active tab: ${(await texts('.tabs-container .tab.active')).join(' | ')}`,
    `panel views: ${(await texts('.part.panel .composite-bar .action-item')).join(' | ')}`,
    `panel view shown: ${(await texts('.part.panel .composite-bar .action-item.checked')).join(' | ')}`,
    `Problems filter: ${filterValue}`,
    `Problems filter result: ${(await texts('.viewpane-filter-badge')).join(' | ')}`,
    'Problems rows:',
    ...(await texts('.markers-panel .monaco-list-row')).map((row) => `  ${row}`),
    'notifications:',
    ...(await texts('.notifications-toasts .notification-list-item-message')).map((n) => `  ${n}`),
    '',
  ].join('\n');
}

/**
 * Runs one check as a subtest: its screenshots go to test-results/e2e/admin/<folder>/; when it fails,
 * a failure screenshot is added and open pop-ups are closed so that the next check can start.
 */
function checker(t: TestContext, session: EditorSession) {
  return (folder: string, title: string, body: (session: EditorSession) => Promise<void>, skip?: string | false) =>
    t.test(title, { timeout: 180_000, skip: skip || undefined }, async () => {
      const { workbench } = session;
      workbench.useScreenshotFolder(join(session.artifacts, folder));
      try {
        await body(session);
      } catch (err) {
        await workbench.screenshot('failure').catch(() => undefined);
        const state = await describeWorkbench(workbench).catch((e: unknown) => `not described: ${String(e)}\n`);
        writeFileSync(join(session.artifacts, folder, 'failure-state.txt'), state);
        await workbench.page.mouse.move(0, 0);
        for (let i = 0; i < 3; i++) await workbench.page.keyboard.press('Escape');
        throw err;
      }
    });
}

test(
  'an admin sees the extension at work in VS Code: language, problems, fixes, completion, hover, outline, debugging and the run report, import and export, run logs, documentation, new files from templates',
  {
    skip: e2eSkipReason(),
    timeout: 900_000,
  },
  async (t) => {
    const packaging = scratchFolder('admin-vsix');
    let sessionRoot = '';
    let codeServerGroup = 0;
    try {
      const { vsix } = await packageExtensionUnderTest(packaging);
      // The sample is the XML an admin exported from the console into the workspace.
      const files: Record<string, Uint8Array> = existsSync(SAMPLE) ? { 'RSC002A6.xml': readFileSync(SAMPLE) } : {};
      for (const name of ['sequence.tsq.yaml', 'child.tsq.yaml', 'smsts.log'])
        files[`runlog/${name}`] = readFileSync(join(RUN, name));
      files[LAB_SEQUENCE] = Buffer.from(LAB_SEQUENCE_TEXT);
      files['view/lab.tsq.yaml'] = new TextEncoder().encode(VIEW_LAB);
      files[BROKEN_PROFILE] = Buffer.from(BROKEN_PROFILE_TEXT);
      await withEditor(
        { name: 'admin', vsixFiles: [vsix], workspaceFrom: EXAMPLES, files, timeoutMs: 840_000 },
        async (session) => {
          sessionRoot = session.root;
          codeServerGroup = session.server.process.pid;
          const check = checker(t, session);

          await check(
            '01-language-mode',
            'a *.tsq.yaml file opened with Ctrl+P shows "Task Sequence" in the status bar',
            async ({ workbench }) => {
              await workbench.openFile(SEQUENCE);
              assert.equal(
                await workbench.waitForLanguageMode('Task Sequence'),
                'Task Sequence',
                'the language mode in the status bar',
              );
              const shot = await workbench.screenshot('sequence-opened');
              assert.ok(statSync(shot).size > 10_000, 'the screenshot holds a rendered window');
            },
          );

          const brokenFile = 'broken/deploy.tsq.yaml';
          const brokenLines = readFileSync(join(EXAMPLES, brokenFile), 'utf8').split('\n');
          const brokenLine = lineOf('package: CM100099', brokenLines);
          const problemRows = (text: string) =>
            session.workbench.page.locator('.markers-panel .monaco-list-row').filter({ hasText: text });
          // The Problems list only renders the rows in view, so the checks filter it down to one entry.
          // The filter is set at once and checked, so no key typed while the panel opens is lost. The
          // panel, still opening, can put its previous filter back over the new text (a run once showed
          // "CM100099" for a minute after "runs only in the full OS" was filled in): set it again
          // until it holds. Filling is idempotent, so setting it twice filters the same.
          const filterProblems = async (text: string) => {
            const { page } = session.workbench;
            await session.workbench.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
            const filter = page.getByPlaceholder('Filter (e.g. text, **/*.ts');
            // Held on two looks in a row (100 ms apart), so a late put-back is seen here, not later.
            let held = 0;
            await until(
              async () => {
                if ((await filter.inputValue()) === text) return ++held >= 2;
                held = 0;
                await filter.fill(text, { timeout: 60_000 });
                return false;
              },
              60_000,
              `the Problems filter holding "${text}"`,
            );
          };

          await check(
            '02-problems-panel',
            'the Problems panel lists a broken reference with its rule code, message and place',
            async ({ workbench }) => {
              await workbench.openFile(brokenFile);
              await filterProblems('CM100099');
              const row = problemRows('CM100099');
              await see('a Problems entry for package CM100099', row, 60_000);
              const text = (await row.first().textContent()) ?? '';
              assert.match(text, /Package `CM100099` is not in any catalog of the workspace/, 'the message');
              assert.match(text, /tsq\s*broken-reference/, 'the source and rule code');
              assert.match(text, new RegExp(`\\[Ln ${brokenLine}, Col \\d+\\]`), 'the place');
              await workbench.screenshot('broken-reference-in-problems');
            },
          );

          await check(
            '03-quick-fix',
            'Ctrl+. on the broken reference offers the closest IDs, and picking one repairs the file',
            async ({ workbench, workspace }) => {
              const page = workbench.page;
              await filterProblems('CM100099');
              // Enter on the Problems entry puts the cursor on the squiggle, as a double click would.
              await problemRows('CM100099').first().click();
              await page.keyboard.press('Enter');
              await see(
                'the cursor on the broken reference',
                page.locator('#status\\.editor\\.selection').filter({ hasText: `Ln ${brokenLine},` }),
              );
              await page.keyboard.press('Control+.');
              const fixes = page.locator('.action-widget .monaco-list-row.action');
              await see('the quick fix menu', fixes);
              const titles = await fixes.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
              assert.ok(
                titles.some((title) => title.startsWith('Delete step')) &&
                  titles.some((title) => title.startsWith('Disable step')),
                titles.join(' | '),
              );
              await workbench.screenshot('quick-fixes-offered');
              const closest = titles.find((title) => title.startsWith('Change to `'));
              assert.ok(closest, `a "Change to" fix is offered: ${titles.join(' | ')}`);
              assert.ok(
                titles.indexOf(closest) < titles.findIndex((title) => title.startsWith('Delete step')),
                'the closest IDs come first',
              );
              const id = /`([^`]+)`/.exec(closest)![1];
              // The menu opens with its first fix chosen; arrow down to the closest ID and press Enter.
              for (
                let i = 0;
                i < titles.length &&
                (await fixes.filter({ hasText: closest }).getAttribute('class'))?.includes('focused') !== true;
                i++
              ) {
                await page.keyboard.press('ArrowDown');
              }
              await page.keyboard.press('Enter');
              await see(
                `package: ${id} in the editor`,
                page.locator('.view-lines .view-line').filter({ hasText: new RegExp(`^\\s*package:\\s+${id}\\b`) }),
              );
              await page.keyboard.press('Control+S');
              const repaired = brokenLines
                .map((line, i) => (i === brokenLine - 1 ? line.replace('CM100099', id) : line))
                .join('\n');
              await fileBecomes(
                join(workspace, brokenFile),
                repaired,
                'the saved file differs from the original only in the ID',
              );
              await seeGone('the Problems entry of CM100099', problemRows('CM100099'));
              await see(
                '"No results" for CM100099 in the Problems panel',
                page.locator('.markers-panel').getByText('No results found with provided filter criteria'),
              );
              await workbench.screenshot('repaired-and-gone-from-problems');
            },
          );

          const actionLine = lineOf('action: InstallPackage');
          const actionColumn = SEQUENCE_LINES[actionLine - 1]!.indexOf('InstallPackage') + 1;

          await check(
            '04-completion',
            'Ctrl+Space after `action:` lists the built-in steps, and accepting one writes it',
            async ({ workbench, workspace }) => {
              const page = workbench.page;
              await workbench.openFile(SEQUENCE);
              await workbench.goTo(actionLine, actionColumn);
              await page.keyboard.press('Shift+End');
              await page.keyboard.press('Delete');
              await page.keyboard.press('Control+Space');
              const entries = page.locator('.suggest-widget .monaco-list-row');
              await see('the suggestion list', entries);
              const labels = await entries.evaluateAll((rows) =>
                rows.map((r) => (r.getAttribute('aria-label') ?? '').split(',')[0]!),
              );
              const builtIn = new Set(stepKeys());
              assert.ok(labels.length >= 8, `a screenful of suggestions: ${labels.join(', ')}`);
              assert.deepEqual(
                labels.filter((label) => !builtIn.has(label)),
                [],
                'every suggestion is a built-in step',
              );
              await workbench.screenshot('built-in-steps-suggested');
              await page.keyboard.type('InstallP');
              await see(
                'InstallPackage chosen',
                page.locator('.suggest-widget .monaco-list-row.focused').filter({ hasText: /^InstallPackage/ }),
              );
              await workbench.screenshot('narrowed-to-install-package');
              await page.keyboard.press('Enter');
              await seeGone('the suggestion list', page.locator('.suggest-widget .monaco-list-row'));
              await page.keyboard.press('Control+S');
              await fileBecomes(
                join(workspace, SEQUENCE),
                SEQUENCE_LINES.join('\n'),
                'the accepted step restores the file exactly',
              );
            },
          );

          await check('05-hover', "hovering over an action shows the step's documentation", async ({ workbench }) => {
            const page = workbench.page;
            const step = stepByKey('SetupWindowsAndConfigMgr')!;
            await workbench.goTo(lineOf(`action: ${step.key}`), 1);
            await page
              .locator('.view-lines .view-line span', { hasText: new RegExp(`^${step.key}$`) })
              .last()
              .hover();
            const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: step.displayName });
            await see(`a hover naming "${step.displayName}"`, hover);
            const text = (await hover.first().textContent()) ?? '';
            assert.match(text, /Runs in /, 'where the step runs');
            const required = step.properties.filter((p) => p.required).map((p) => p.name);
            for (const option of required) assert.ok(text.includes(option), `the options table lists ${option}`);
            await workbench.screenshot('step-documentation');
          });

          await check(
            '06-outline',
            'the Outline view shows the sequence as a tree of groups and steps',
            async ({ workbench }) => {
              const page = workbench.page;
              // Fold the file list so the whole outline fits (its list only renders what is visible).
              const folders = page.locator('.pane-header[aria-label^="Explorer Section"][aria-expanded="true"]');
              if (await folders.count()) await folders.click();
              await workbench.runCommand('Explorer: Focus on Outline View');
              const rows = page.locator('.outline-pane .monaco-list-row');
              await see('the group "Configure" in the outline', rows.filter({ hasText: 'Configure' }), 30_000);
              const tree = await rows.evaluateAll((all) =>
                all.map((r) => `${r.getAttribute('aria-level')} ${r.querySelector('.label-name')?.textContent ?? ''}`),
              );
              for (const expected of [
                '1 Prepare the disk',
                '2 Partition disk 0 (UEFI)',
                '1 Install Windows',
                '2 Drivers',
                '3 Dell Latitude 7440',
                '2 Setup Windows and ConfigMgr',
                '1 Configure',
                '2 Run setup script',
              ]) {
                assert.ok(tree.includes(expected), `outline entry (level, name) "${expected}" in:\n${tree.join('\n')}`);
              }
              assert.match(
                (await rows.filter({ hasText: 'Partition disk 0 (UEFI)' }).textContent()) ?? '',
                /Format and Partition Disk · partition/,
                'a step shows its action and id',
              );
              await workbench.screenshot('outline-tree');
              if (await page.locator('.pane-header[aria-label^="Explorer Section"][aria-expanded="false"]').count()) {
                await page.locator('.pane-header[aria-label^="Explorer Section"]').click();
              }
            },
          );

          await check(
            '07-debugging',
            'F5 simulates the sequence: it stops at a breakpoint set with F9, shows the variables, and ends with the result',
            async ({ workbench }) => {
              const page = workbench.page;
              await workbench.openFile(SEQUENCE);
              const breakpointLine = lineOf('- name: Run setup script');
              await workbench.goTo(breakpointLine, 1);
              await page.keyboard.press('F9');
              await see('a breakpoint in the gutter', page.locator('.monaco-editor .codicon-debug-breakpoint'));
              await workbench.screenshot('breakpoint-set');

              await page.keyboard.press('F5');
              await workbench.waitForQuickInput('Machine profile to simulate on');
              // The broken profile was never opened: the language server read and checked it anyway.
              const pickerRows = page.locator('.quick-input-widget .monaco-list-row');
              await see('lab-vm.tsq.yaml offered', pickerRows.filter({ hasText: 'lab-vm.tsq.yaml' }));
              await see(
                'the broken profile below "Not offered", with its error',
                pickerRows.filter({ hasText: BROKEN_PROFILE }).filter({ hasText: /\d+ errors?: line 2: .*x65/ }),
              );
              await see(
                'the "Not offered" separator',
                page.locator('.quick-input-widget').getByText('Not offered: profiles with errors'),
              );
              await workbench.screenshot('machine-picker');
              await workbench.pickQuickInputRow('lab-vm.tsq.yaml');
              const topFrame = page.locator('.debug-call-stack .monaco-list-row').first();
              await see(
                'the run stopped on entry at "Prepare the disk"',
                topFrame.filter({ hasText: 'group Prepare the disk' }),
                60_000,
              );
              await page.keyboard.press('F10');
              await see(
                'Step Over ran the whole group and stopped at "Install Windows"',
                topFrame.filter({ hasText: 'group Install Windows' }),
              );
              await page.keyboard.press('F5');
              await see(
                'the run stopped at the breakpoint on "Run setup script"',
                topFrame.filter({ hasText: 'Run setup script' }),
              );
              await see(
                '"Paused on breakpoint"',
                page
                  .locator('.pane-header')
                  .filter({ hasText: /call stack/i })
                  .filter({ hasText: /paused on breakpoint/i }),
              );
              const variables = page.locator('.debug-variables .monaco-list-row');
              await see('the task sequence variables', variables.filter({ hasText: /Task sequence variables/ }));
              await see(
                'ContosoDeployedRing, set by the step before the breakpoint',
                variables.filter({ hasText: /ContosoDeployedRing\s*=\s*pilot/ }),
              );
              await see(
                'OSDComputerName from the machine profile',
                variables.filter({ hasText: /OSDComputerName\s*=\s*LAB-PC01/ }),
              );
              await workbench.screenshot('stopped-at-breakpoint');

              await page.keyboard.press('F5');
              const debugConsole = page.locator('.repl .monaco-list-row');
              await see(
                'the result in the Debug Console',
                debugConsole.filter({ hasText: /Succeeded in .* of simulated time/ }),
                60_000,
              );
              await see(
                'the summary counts',
                debugConsole.filter({ hasText: /\d+ steps ran \(\d+ succeeded, 0 failed\)/ }),
              );
              await seeGone('the debug toolbar (the session has ended)', page.locator('.debug-toolbar'));
              await workbench.screenshot('run-finished');

              // The run report: offered when the run ends, shown in a webview (VS Code nests the page in two frames).
              const offer = page
                .locator('.notifications-toasts .notification-list-item')
                .filter({ hasText: 'The simulated run succeeded' });
              await see('the offer to open the run report', offer, 60_000);
              await offer.locator('.monaco-button', { hasText: 'Open Run Report' }).click();
              await see(
                'the run report beside the editor',
                page.locator('.tab').filter({ hasText: 'Run report: Deploy Windows 11' }),
              );
              const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
              await see(
                'the result in the report',
                report.locator('p.good').filter({ hasText: /✔ Succeeded in .* of simulated time/ }),
                60_000,
              );
              await see(
                'the skipped driver step with its reason',
                report.locator('li.quiet').filter({ hasText: /HP EliteBook 840 G10.*skipped: WMI query/ }),
              );
              await see('the restarts', report.locator('h2', { hasText: 'Restarts (2)' }));
              await workbench.screenshot('run-report');
              // Leave the editors as the next checks expect them: one group, no webview.
              await workbench.runCommand('View: Close All Editors');
            },
          );

          await check(
            '08-import-export',
            "the Explorer imports a ConfigMgr XML, and the palette exports it back to XML through VS Code's dialogs, unchanged",
            async ({ workbench }) => {
              const page = workbench.page;
              // With no editor open, the editor the import opens is the imported sequence.
              await workbench.runCommand('File: Save All Files');
              await workbench.runCommand('View: Close All Editors');
              await seeGone('open editors', page.locator('.tabs-container .tab'));
              // The XML the admin saved from the console is in the workspace: right-click it in the Explorer.
              await workbench.runCommand('View: Show Explorer');
              await workbench.runCommand('Collapse Folders in Explorer');
              const xmlFile = page
                .locator('.explorer-folders-view .monaco-list-row')
                .filter({ hasText: /^RSC002A6\.xml$/ });
              await see('RSC002A6.xml in the Explorer', xmlFile);
              await xmlFile.click({ button: 'right' });
              const importItem = page
                .locator('.monaco-menu .action-item')
                .filter({ hasText: 'Import from ConfigMgr (XML, .zip, .tsqpkg)…' });
              await see('the import command in the context menu of an .xml file', importItem);
              await workbench.screenshot('import-in-explorer-menu');
              await workbench.chooseMenuItem('Import from ConfigMgr (XML, .zip, .tsqpkg)…');
              // VS Code's folder dialog fills in its path a moment after it appears; its button acts on that path.
              await workbench.waitForQuickInput('Folder for the imported', { value: /\/$/ });
              await workbench.screenshot('import-folder-dialog');
              await workbench.pressQuickInputButton('Folder for the imported', 'Import here');
              const folder = await workbench.waitForQuickInput('Write the files into this folder');
              await page.keyboard.press('Enter');
              // Nothing is written before the admin has seen the list of files and said yes.
              const question = page.locator('.monaco-dialog-box').filter({ hasText: 'Import RSC002A6.xml into' });
              await see(
                'the question listing the files the import will write',
                question.filter({ hasText: /catalog\.tsq\.yaml/ }),
              );
              assert.ok(!existsSync(folder), `nothing is written into ${folder} before the answer`);
              await workbench.screenshot('import-question');
              await question.locator('.monaco-button', { hasText: /^Import$/ }).click();
              await see(
                'the imported sequence open in the editor',
                page.locator('.tabs-container .tab.active').filter({ hasText: '.tsq.yaml' }),
                60_000,
              );
              assert.ok(existsSync(join(folder, 'catalog.tsq.yaml')), `the import wrote a catalog into ${folder}`);
              const notifications = page.locator('.notifications-toasts .notification-list-item-message');
              await see(
                'the notification that the import is done',
                notifications.filter({ hasText: /Imported \d+ file\(s\) into RSC002A6/ }),
              );
              await workbench.screenshot('imported-sequence');
              await workbench.runCommand('Notifications: Clear All Notifications');

              // The catalog the import wrote beside the sequence counts at once, without a restart: none of
              // the imported IDs is "not in any catalog", and the sequence's real problems are listed.
              await filterProblems('runs only in the full OS');
              await see(
                "the imported sequence's real problems: full-OS steps placed in Windows PE",
                problemRows('Install Application runs only in the full OS'),
                60_000,
              );
              await workbench.screenshot('imported-real-problems');
              await filterProblems('not in any catalog');
              await seeGone('"not in any catalog" for the imported IDs', problemRows('not in any catalog'), 20_000);
              await see(
                '"No results" for "not in any catalog"',
                page.locator('.markers-panel').getByText('No results found with provided filter criteria'),
              );
              await workbench.screenshot('imported-ids-in-the-imported-catalog');

              await workbench.runCommand('Task Sequence: Export to ConfigMgr (XML, .zip, .tsqpkg)…');
              await workbench.waitForQuickInput('Export as');
              await workbench.screenshot('export-format-picker');
              await workbench.pickQuickInputRow('ConfigMgr sequence XML');
              const target = await workbench.waitForQuickInput('Export task sequence', { value: /\.xml$/ });
              await workbench.screenshot('export-save-dialog');
              await page.keyboard.press('Enter');
              const baseName = target.split('/').pop()!;
              await see(
                `the notification "Exported to ${baseName}"`,
                notifications.filter({ hasText: `Exported to ${baseName}` }),
                60_000,
              );
              await workbench.screenshot('exported');
              const original = readXml(readFileSync(SAMPLE), { source: 'sample' }).root;
              const exported = readXml(readFileSync(target), { source: 'exported' }).root;
              assert.deepEqual(
                diffSequences(original, exported),
                [],
                'the exported XML means the same as the imported one',
              );
            },
            skipUnlessPresent('The exported ConfigMgr sample', SAMPLE),
          );

          await check(
            '09-run-log',
            'Open Run Log… marks each step with what the real run did, shows the log lines on hover and the failures in Problems, and Clear takes it away',
            async ({ workbench, workspace }) => {
              const page = workbench.page;
              await workbench.runCommand('View: Close All Editors');
              await workbench.openFile('runlog/sequence.tsq.yaml');
              await workbench.runCommand('Task Sequence: Open Run Log…');
              // VS Code's own file dialog: the admin pastes the path of the log and presses Enter. Pasted,
              // not typed key by key: each keystroke makes the dialog list a folder again, and at a load
              // of 10 those listings once finished out of order and the file was never listed.
              await workbench.waitForQuickInput('smsts.log files of the run', { value: /\/$/ });
              await workbench.screenshot('log-file-dialog');
              const logPath = join(workspace, 'runlog', 'smsts.log');
              await workbench.enterQuickInputText(logPath);
              // The dialog checks a typed path before it takes it: wait until it lists the file, then press its button.
              await workbench.waitForQuickInput('smsts.log files of the run', {
                value: new RegExp(`^${logPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
              });
              await see(
                'smsts.log listed in the dialog',
                page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'smsts.log' }),
              );
              await workbench.pressQuickInputButton('smsts.log files of the run', 'Open Run Log');
              const notifications = page.locator('.notifications-toasts .notification-list-item-message');
              await see(
                'the summary naming the failing step',
                notifications.filter({
                  hasText:
                    'The run failed at "Applications/Standard applications/Line-of-business app" (smsts.log:104)',
                }),
                60_000,
              );
              const marks = page.locator('.monaco-editor .cgmr');
              await see('run marks in the gutter', marks);
              assert.ok((await marks.count()) >= 5, 'a mark for every group and step of the file');
              await workbench.screenshot('run-marks-and-step-numbers');

              // Monaco draws blanks as no-break spaces, which \s matches.
              await page
                .locator('.view-lines .view-line span', { hasText: /^Check\sfree\sspace$/ })
                .first()
                .hover();
              const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'Run log' });
              await see('a hover with what the run did to "Check free space"', hover);
              const text = (await hover.first().textContent()) ?? '';
              assert.match(text, /failed, continued on error/, 'the status');
              assert.match(text, /exit code 5/, 'the exit code');
              assert.match(text, /ConfigMgr step 2/, 'the step number smsts.log shows');
              assert.match(text, /smsts\.log:47/, 'the log line that says so');
              await workbench.screenshot('run-log-hover');
              await page.mouse.move(0, 0);

              await filterProblems('Failed in the run');
              const row = problemRows('Failed in the run');
              await see('the failure in the Problems panel', row);
              assert.match((await row.first().textContent()) ?? '', /tsq run log/, 'under its own source');
              await workbench.screenshot('run-failures-in-problems');

              await workbench.runCommand('Task Sequence: Clear Run Log');
              await seeGone('the run marks', marks);
              await seeGone('the run failures in Problems', problemRows('Failed in the run'));
              await workbench.screenshot('run-log-cleared');
            },
          );

          const viewRows = session.workbench.page.locator('.part.sidebar .monaco-list-row');
          const viewRow = (name: string) =>
            viewRows.filter({
              has: session.workbench.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }),
            });
          // The list places its rows by data-index, not by their order in the page.
          const rowNames = () =>
            viewRows.evaluateAll((all) =>
              all
                .map((r) => ({
                  at: Number(r.getAttribute('data-index')),
                  name: r.querySelector('.label-name')?.textContent ?? '',
                }))
                .sort((a, b) => a.at - b.at)
                .map((r) => r.name),
            );
          /**
           * Waits until the view lists `expected` in order, then pins it. The tree draws a group's children a moment
           * after the group itself, so seeing the group and the last step does not mean the rows between are drawn.
           */
          const rowsBecome = async (expected: string[], what: string) => {
            const same = async () => JSON.stringify(await rowNames()) === JSON.stringify(expected);
            await until(same, 60_000).catch(() => undefined);
            assert.deepEqual(await rowNames(), expected, what);
          };
          /**
           * Right-click on a row of the view, then the menu entry (the harness points at it until the menu marks it
           * focused, then presses Enter, again if the menu was drawn anew). The list focuses the row it opened the menu
           * for; waiting for that proves the click landed on this row and not on the one an earlier step left selected.
           */
          const chooseFromMenu = async (row: Locator, label: string) => {
            const { page } = session.workbench;
            await row.first().click({ button: 'right' });
            await see('the right-clicked row focused', row.and(page.locator('.focused')));
            await session.workbench.chooseMenuItem(label);
            await seeGone('the context menu', page.locator('.monaco-menu'));
          };
          // What the view writes, worked out with the engine's own edits.
          const withRestart = edited(VIEW_LAB, (text, model) =>
            addStep(text, model, { parent: [], index: 2 }, findStep('RestartComputer')!),
          );
          const withMove = edited(withRestart, (text, model) =>
            moveNode(text, model, nodeAt(model, [0, 1])!, { parent: [0], index: 0 }),
          );
          const afterView = edited(withMove, (text, model) => setDisabled(text, nodeAt(model, [1])!, true));

          await check(
            '10-sequence-view',
            'the Task Sequence view shows the sequence; a step added, dragged and disabled with the mouse changes the YAML',
            async ({ workbench, workspace }) => {
              const page = workbench.page;
              await workbench.runCommand('View: Close All Editors');
              await workbench.openFile('view/lab.tsq.yaml');
              await page.locator('.part.activitybar [aria-label^="Task Sequence"]').first().click();
              await see('the group "Prepare" in the Task Sequence view', viewRow('Prepare'));
              await see('the step "Step C" in the view', viewRow('Step C'));
              await rowsBecome(['Prepare', 'Step A', 'Step B', 'Step C'], 'groups and steps in file order');
              await workbench.screenshot('view-shows-the-sequence');

              await page.locator('.part.sidebar').hover();
              await page.locator('.part.sidebar .action-label[aria-label^="Add Step"]').first().click();
              await workbench.waitForQuickInput('Built-in step to add');
              await workbench.pickQuickInputRow('RestartComputer', { filter: 'Restart Computer' });
              await see('the new step in the view', viewRow('Restart Computer'));
              await workbench.screenshot('step-added');

              await viewRow('Step B').first().dragTo(viewRow('Step A').first());
              await see(
                '"Step B" in the place of "Step A"',
                viewRows.and(page.locator('[data-index="1"]')).filter({ hasText: 'Step B' }),
              );
              await rowsBecome(
                ['Prepare', 'Step B', 'Step A', 'Step C', 'Restart Computer'],
                'Step B dropped before Step A',
              );
              await workbench.screenshot('step-dragged');

              await chooseFromMenu(viewRow('Step C'), 'Disable');
              await see('"Step C" marked disabled', viewRow('Step C').filter({ hasText: 'disabled' }));
              await workbench.screenshot('step-disabled');

              await page.keyboard.press('Control+S');
              await fileBecomes(
                join(workspace, 'view', 'lab.tsq.yaml'),
                afterView,
                'the YAML holds the added, moved and disabled steps, its comments kept',
              );
              await see(
                'the disabled line in the editor',
                page.locator('.view-lines .view-line', { hasText: /disabled:\strue/ }),
              );
              await workbench.screenshot('yaml-changed');
            },
          );

          await check(
            '11-condition-builder',
            "Build Condition… on a step walks through the Options tab's checks and writes its when: line",
            async ({ workbench, workspace }) => {
              const page = workbench.page;
              const choice: ConditionChoice = {
                join: 'all',
                checks: [
                  { kind: 'wmi', query: "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%Latitude%'" },
                  { kind: 'osVersion', platforms: ['All x64 Windows 11 and higher'] },
                ],
              };
              const built = buildCondition(choice);
              assert.ok(built.ok);
              const expected = edited(afterView, (text, model) =>
                setCondition(text, nodeAt(model, [0, 1])!, built.text),
              );
              await see('the step "Step A" in the view', viewRow('Step A'));
              await chooseFromMenu(viewRow('Step A'), 'Build Condition…');
              await workbench.waitForQuickInput('If statement');
              await workbench.pickQuickInputRow('All conditions are true');
              await workbench.waitForQuickInput('check 1');
              await workbench.pickQuickInputRow('Query WMI');
              await workbench.waitForQuickInput('WQL query');
              await workbench.enterQuickInputText(choice.checks[0].kind === 'wmi' ? choice.checks[0].query : '');
              await workbench.screenshot('wmi-query');
              await page.keyboard.press('Enter');
              await workbench.waitForQuickInput('Namespace');
              await page.keyboard.press('Enter');
              await workbench.waitForQuickInput('1 check');
              await workbench.pickQuickInputRow('Add another check');
              await workbench.waitForQuickInput('check 2');
              await workbench.pickQuickInputRow('Operating System Version');
              await workbench.waitForQuickInput('architecture');
              await workbench.pickQuickInputRow('x64');
              await workbench.waitForQuickInput('Operating System Version: x64');
              await workbench.pickQuickInputRow('Windows 11');
              await workbench.waitForQuickInput('2 checks');
              await workbench.screenshot('two-checks');
              await workbench.pickQuickInputRow('Write the condition');
              await see('"Step A" marked as conditioned', viewRow('Step A').filter({ hasText: 'if …' }));
              await page.keyboard.press('Control+S');
              await fileBecomes(join(workspace, 'view', 'lab.tsq.yaml'), expected, 'the when: line the builder wrote');
              await see(
                'the condition in the editor',
                page.locator('.view-lines .view-line', { hasText: /when:\swmi\(/ }),
              );
              await workbench.screenshot('condition-written');
              await workbench.runCommand('View: Show Explorer');
            },
          );

          await check(
            '12-files-on-disk',
            'a catalog folder that another program moves into the workspace counts at once, and its deletion is seen too, without a restart',
            async ({ workbench, workspace, root }) => {
              await workbench.runCommand('View: Close All Editors');
              await workbench.openFile(LAB_SEQUENCE);
              await filterProblems(LAB_PACKAGE);
              const missing = problemRows(`Package \`${LAB_PACKAGE}\` is not in any catalog`);
              await see(`"${LAB_PACKAGE} is not in any catalog" before the catalog is there`, missing, 60_000);
              await workbench.screenshot('lab-package-missing');

              // As `tsq import` in a terminal does: the folder is written elsewhere and renamed into
              // place, so the editor's file watcher reports one new folder and nothing about the files in it.
              const staging = join(root, 'lab-site-staging');
              mkdirSync(staging);
              writeFileSync(join(staging, 'catalog.tsq.yaml'), LAB_CATALOG);
              renameSync(staging, join(workspace, 'lab-site'));
              await seeGone(
                `"${LAB_PACKAGE} is not in any catalog" once lab-site/catalog.tsq.yaml is there`,
                missing,
                30_000,
              );
              await see(
                '"No results" for the lab package',
                workbench.page.locator('.markers-panel').getByText('No results found with provided filter criteria'),
              );
              await workbench.screenshot('lab-package-found');

              rmSync(join(workspace, 'lab-site'), { recursive: true });
              await see(`"${LAB_PACKAGE} is not in any catalog" again once the folder is deleted`, missing, 30_000);
              await workbench.screenshot('lab-package-missing-again');
            },
          );

          await check(
            '13-documentation',
            "Open Documentation shows the sequence's document beside the editor: every step numbered, conditions in words",
            async ({ workbench }) => {
              const page = workbench.page;
              await workbench.runCommand('View: Close All Editors');
              await workbench.openFile(SEQUENCE);
              await workbench.runCommand('Task Sequence: Open Documentation');
              await see(
                'the documentation beside the editor',
                page.locator('.tab').filter({ hasText: 'Documentation: Deploy Windows 11' }),
                60_000,
              );
              const doc = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
              await see('the steps table', doc.locator('h2', { hasText: 'Groups and steps' }), 60_000);
              await see(
                'a step with its instruction number and type',
                doc
                  .locator('tr')
                  .filter({ hasText: /^3Install WindowsApply Windows 11 EnterpriseApply Operating System Image/ }),
              );
              await see(
                'a condition in words',
                doc.locator('td', {
                  hasText:
                    'the WMI query "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE \'%Latitude 7440%\'" returns something',
                }),
              );
              await workbench.screenshot('documentation');
              await workbench.runCommand('View: Close All Editors');
            },
          );

          await check(
            '14-new-from-template',
            "New from Template asks for the catalogs' OS image, boot image and client package, and the new file has no problems",
            async ({ workbench, workspace }) => {
              const page = workbench.page;
              const rows = page.locator('.quick-input-widget .monaco-list-row');
              const newFile = async (template: string, name: string) => {
                await workbench.runCommand('Task Sequence: New from Template');
                await workbench.waitForQuickInput('Which kind of file?');
                await workbench.pickQuickInputRow(template);
                await workbench.waitForQuickInput('File name, relative to');
                await workbench.enterQuickInputText(name);
                await page.keyboard.press('Enter');
              };

              await newFile('Install an existing OS image', 'install-from-template');
              await workbench.waitForQuickInput('Which OS image of the catalogs?');
              await see(
                'the OS image with its name, version and architecture',
                rows
                  .filter({ hasText: 'CM100042' })
                  .filter({ hasText: 'Windows 11 Enterprise 24H2' })
                  .filter({ hasText: /version 26100\.2033 · x64/ }),
              );
              await workbench.screenshot('os-image-picker');
              await workbench.pickQuickInputRow('CM100042');
              await workbench.waitForQuickInput('Which boot image of the catalogs?');
              await see(
                'the x64 boot image',
                rows.filter({ hasText: 'CM100005' }).filter({ hasText: 'Boot image (x64)' }),
              );
              await workbench.pickQuickInputRow('CM100005');
              await workbench.waitForQuickInput('Which ConfigMgr client package of the catalogs?');
              await see(
                'the client package with its name',
                rows.filter({ hasText: 'CM100010' }).filter({ hasText: 'Configuration Manager client' }),
              );
              await workbench.screenshot('client-package-picker');
              await workbench.pickQuickInputRow('CM100010');
              const installed = join(workspace, 'install-from-template.tsq.yaml');
              await see(
                'the new file open with its first placeholder (the sequence name) selected',
                page.locator('.statusbar-item').filter({ hasText: /Ln 1, Col 29 \(18 selected\)/ }),
              );
              await seeGone(
                'unsaved changes in the new file',
                page.locator('.tab.dirty').filter({ hasText: 'install-from-template.tsq.yaml' }),
              );
              // Leaves the snippet's placeholders, so that the keys that follow go where they are sent.
              await page.keyboard.press('Escape');
              const text = readFileSync(installed, 'utf8');
              assert.match(text, /^bootImage: CM100005$/m);
              assert.match(text, /image: CM100042, index: 1,/);

              // A file opened after the new one, with a known problem: once its problem is listed, the
              // new file (checked first) would have its problems listed too.
              await workbench.openFile(brokenFile);
              await filterProblems('**/broken/deploy.tsq.yaml');
              await see('the invalid `gtp` of a file opened afterwards', problemRows('it is the text `gtp`'), 60_000);
              await filterProblems('**/install-from-template.tsq.yaml');
              await see(
                '"No results" for the file made with the chosen entries',
                page.locator('.markers-panel').getByText('No results found with provided filter criteria'),
              );
              await workbench.screenshot('new-file-without-problems');
              await workbench.runCommand('View: Close All Editors');
            },
          );
        },
      );

      assert.deepEqual(processesInGroup(codeServerGroup), [], "code-server's process group has ended");
      assert.deepEqual(processesMentioning(sessionRoot), [], 'no process refers to the session folder any more');
    } finally {
      rmSync(packaging, { recursive: true, force: true });
    }
  },
);
