// Runs the extension tests in a desktop VS Code downloaded by @vscode/test-electron (where VS
// Code can be downloaded), on a scratch copy of examples/:
//   npx tsc -p . && node scripts/build.mjs && node out/test/extension/runTest.js
// On machines without that download, test/e2e/client.e2e.test.ts runs the same tests in
// code-server (`npm run test:e2e -- client`).

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repoRoot = join(__dirname, '..', '..', '..');
  const workspace = mkdtempSync(join(tmpdir(), 'tsq-extension-tests-'));
  cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(__dirname, 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
