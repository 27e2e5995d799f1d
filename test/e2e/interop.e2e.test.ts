// The import and export commands in a real VS Code (code-server): the extension under development
// imports a shared sample through `tsq.importTaskSequence` (arguments instead of dialogs), opens
// the imported sequence, and exports it again as XML through `tsq.exportTaskSequence`; the files
// on disk and `tsq diff` against the sample prove the round trip.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eSkipReason, repoRoot, repoExtensionIsBuilt, runExtensionTests, scratchFolder, startCodeServer, type CodeServer } from './harness';
import { readXml } from '../../server/src/interop/xml/read';
import { diffSequences } from '../../server/src/interop/diff/diff';

const SAMPLE = join(repoRoot, '..', 'shared', 'samples', 'xml', 'forevanyeung-tasksequences-RSC002A6-sequence.xml');
const skip = e2eSkipReason() || (!existsSync(SAMPLE) && 'the shared samples are not beside the repository') || (!repoExtensionIsBuilt() && 'dist/client/extension.js is not built');

test('VS Code imports a sample with the import command and exports it back unchanged', { skip, timeout: 300_000 }, async () => {
  const root = scratchFolder('interop');
  let server: CodeServer | undefined;
  try {
    const workspace = join(root, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const report = join(root, 'report.json');
    const tests = join(root, 'tests.js');
    writeFileSync(tests, [
      "const vscode = require('vscode');",
      "const fs = require('fs');",
      'exports.run = async () => {',
      `  const written = await vscode.commands.executeCommand('tsq.importTaskSequence', vscode.Uri.file(${JSON.stringify(SAMPLE)}), { out: ${JSON.stringify(join(workspace, 'imported'))} });`,
      "  const active = vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.fsPath;",
      '  const sequence = written.find((w) => w.endsWith(".tsq.yaml") && !w.endsWith("catalog.tsq.yaml"));',
      `  const exported = await vscode.commands.executeCommand('tsq.exportTaskSequence', vscode.Uri.file(sequence), { format: 'xml', out: ${JSON.stringify(join(workspace, 'exported.xml'))} });`,
      `  fs.writeFileSync(${JSON.stringify(report)}, JSON.stringify({ written, active, exported }));`,
      '};',
    ].join('\n'));
    server = await startCodeServer({ root: join(root, 'code-server'), workspace });
    const result = await runExtensionTests(server, { extensionDevelopmentPath: repoRoot, extensionTestsPath: tests, profileDir: join(root, 'chromium') });
    assert.equal(result.exitCode, 0, result.log.join('\n'));
    const seen = JSON.parse(readFileSync(report, 'utf8')) as { written: string[]; active: string; exported: string };
    assert.ok(seen.written.some((w) => w.endsWith('catalog.tsq.yaml')));
    assert.match(seen.active, /forevanyeung-tasksequences-rsc002a6-sequence\.tsq\.yaml$/, 'the imported sequence is opened');
    const original = readXml(readFileSync(SAMPLE), { source: 'sample' }).root;
    const back = readXml(readFileSync(seen.exported), { source: 'exported' }).root;
    assert.deepEqual(diffSequences(original, back), []);
  } finally {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
