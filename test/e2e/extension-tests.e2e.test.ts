// Pins down how extension tests (the @vscode/test-electron style: a module exporting run()) run in
// code-server here: the CLI refuses --extensionDevelopmentPath, the workbench URL payload works, and
// the exit code tells passing tests from failing ones.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  e2eSkipReason,
  e2eTools,
  runExtensionTests,
  runOwned,
  scratchFolder,
  startCodeServer,
  type CodeServer,
} from './harness';

const skip = e2eSkipReason();

/** An extension under development with one command, plus two test modules: one passes, one throws. */
function writeDevelopmentExtension(dir: string, reportFile: string): { passing: string; failing: string } {
  mkdirSync(join(dir, 'tests'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'tsq-dev-probe',
      version: '0.0.1',
      publisher: 'tsq',
      engines: { vscode: '^1.91.0' },
      main: './extension.js',
      activationEvents: ['onCommand:tsqProbe.answer'],
      contributes: { commands: [{ command: 'tsqProbe.answer', title: 'tsq probe: answer' }] },
    }),
  );
  writeFileSync(
    join(dir, 'extension.js'),
    [
      "const vscode = require('vscode');",
      "exports.activate = (context) => context.subscriptions.push(vscode.commands.registerCommand('tsqProbe.answer', () => 42));",
    ].join('\n'),
  );
  const passing = join(dir, 'tests', 'passing.js');
  writeFileSync(
    passing,
    [
      "const vscode = require('vscode');",
      "const fs = require('fs');",
      'exports.run = async () => {',
      "  const answer = await vscode.commands.executeCommand('tsqProbe.answer');",
      `  fs.writeFileSync(${JSON.stringify(reportFile)}, JSON.stringify({ answer, vscode: vscode.version, node: process.version }));`,
      "  console.log('probe tests ran');",
      '};',
    ].join('\n'),
  );
  const failing = join(dir, 'tests', 'failing.js');
  writeFileSync(failing, "exports.run = async () => { throw new Error('probe test failed on purpose'); };\n");
  return { passing, failing };
}

test(
  'code-server runs extension tests given through the workbench URL and reports their exit code',
  { skip, timeout: 300_000 },
  async () => {
    const root = scratchFolder('extension-tests');
    let server: CodeServer | undefined;
    try {
      const workspace = join(root, 'workspace');
      mkdirSync(workspace, { recursive: true });
      const report = join(root, 'report.json');
      const { passing, failing } = writeDevelopmentExtension(join(root, 'dev-extension'), report);
      server = await startCodeServer({ root: join(root, 'code-server'), workspace });

      const passed = await runExtensionTests(server, {
        extensionDevelopmentPath: join(root, 'dev-extension'),
        extensionTestsPath: passing,
        profileDir: join(root, 'chromium-1'),
      });
      assert.equal(passed.exitCode, 0);
      assert.ok(
        passed.log.some((line) => line.includes('probe tests ran')),
        "the tests' console output reaches us",
      );
      const seen = JSON.parse(readFileSync(report, 'utf8')) as { answer: number; vscode: string; node: string };
      assert.deepEqual({ answer: seen.answer, vscode: seen.vscode }, { answer: 42, vscode: '1.100.3' });
      assert.match(seen.node, /^v20\./, 'tests run in the Node extension host, not a web worker');

      const failed = await runExtensionTests(server, {
        extensionDevelopmentPath: join(root, 'dev-extension'),
        extensionTestsPath: failing,
        profileDir: join(root, 'chromium-2'),
      });
      assert.equal(failed.exitCode, 1);
      assert.ok(failed.log.some((line) => line.includes('probe test failed on purpose')));
    } finally {
      await server?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  },
);

test("code-server's command line refuses --extensionDevelopmentPath", { skip, timeout: 60_000 }, async () => {
  const root = scratchFolder('extension-tests-cli');
  try {
    const attempt = runOwned(
      process.execPath,
      [e2eTools().codeServerEntry, '--config', join(root, 'config.yaml'), '--extensionDevelopmentPath', root, root],
      { timeoutMs: 50_000, env: { ...process.env, XDG_DATA_HOME: root, XDG_CONFIG_HOME: root } },
    );
    await assert.rejects(attempt, /Unknown option --extensionDevelopmentPath/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
