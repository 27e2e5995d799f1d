// Neovim as the second real editor, before our language server exists: a headless run executes a
// Lua script that writes a file, and a script that raises makes the run fail fast instead of hang.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eSkipReason, runNeovimHeadless, scratchFolder } from './harness';

const skip = e2eSkipReason();

test('headless Neovim runs a Lua script that writes a file', { skip, timeout: 60_000 }, async () => {
  const root = scratchFolder('neovim');
  try {
    const script = join(root, 'write-report.lua');
    writeFileSync(
      script,
      [
        'local v = vim.version()',
        "local lines = { string.format('nvim %d.%d.%d', v.major, v.minor, v.patch), 'lsp client: ' .. type(vim.lsp.start_client) }",
        "vim.fn.writefile(lines, os.getenv('REPORT'))",
      ].join('\n'),
    );
    const report = join(root, 'report.txt');
    await runNeovimHeadless({ luaScript: script, root, env: { REPORT: report } });
    const [version, lsp] = readFileSync(report, 'utf8').trim().split('\n');
    assert.match(version ?? '', /^nvim \d+\.\d+\.\d+$/);
    assert.equal(lsp, 'lsp client: function', 'the built-in LSP client is there for the language server test');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a Lua error ends headless Neovim with a failure that names the error', { skip, timeout: 60_000 }, async () => {
  const root = scratchFolder('neovim-error');
  try {
    const script = join(root, 'broken.lua');
    writeFileSync(script, "error('the script gave up')\n");
    await assert.rejects(
      runNeovimHeadless({ luaScript: script, root, timeoutMs: 20_000 }),
      /exited with 3[\s\S]*the script gave up/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
