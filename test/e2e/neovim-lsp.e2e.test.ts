// The language server in a second real editor: headless Neovim 0.7 with the configuration the
// README gives under "Other editors" (taken from README.md as written) attaches
// `tsq-language-server --stdio` to a broken sequence of a copy of examples/, and gets the
// diagnostics, a hover and completion — plain LSP, nothing VS Code-only.

import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { e2eSkipReason, repoRoot, runNeovimHeadless, scratchFolder } from './harness';

/** The first Lua block of README.md's "Other editors" section. */
function readmeNeovimConfig(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Other editors'));
  const block = section && /```lua\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```lua block under "## Other editors"');
  return block;
}

const SCRIPT = `
dofile(os.getenv('CONFIG'))
vim.cmd('edit deploy-windows-11.tsq.yaml')
local buf = vim.api.nvim_get_current_buf()
local out = {}
local attached = vim.wait(10000, function() return next(vim.lsp.buf_get_clients(buf)) ~= nil end, 50)
table.insert(out, 'attached ' .. tostring(attached))
-- Make a mistake, as a user would, and wait for the server to report it.
vim.api.nvim_buf_set_lines(buf, 0, 0, false, { '# tsq: sequence' })
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
for i, l in ipairs(lines) do
  if l:find('action: InstallPackage', 1, true) then
    vim.api.nvim_buf_set_lines(buf, i - 1, i, false, { (l:gsub('InstallPackage', 'InstallPakage')) })
  end
end
local ok = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
table.insert(out, 'diagnostics ' .. tostring(ok))
for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(out, 'code ' .. tostring(d.code)) end
local uri = vim.uri_from_bufnr(buf)
local function line_of(text)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = l:find(text, 1, true)
    if at then return i - 1, at - 1 end
  end
end
local l, c = line_of('SetupWindowsAndConfigMgr')
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = l, character = c + 2 } }, 10000)
for _, r in pairs(hover or {}) do
  if r.result then table.insert(out, 'hover ' .. (r.result.contents.value or ''):gsub('\\n', ' ')) end
end
l, c = line_of('with: { target: hd')
local items = vim.lsp.buf_request_sync(buf, 'textDocument/completion', { textDocument = { uri = uri }, position = { line = l, character = c + 16 } }, 10000)
for _, r in pairs(items or {}) do
  for _, item in ipairs((r.result and (r.result.items or r.result)) or {}) do table.insert(out, 'completion ' .. item.label) end
end
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.fn.writefile(out, os.getenv('REPORT'))
`;

test(
  'Neovim, configured as the README says, gets diagnostics, hover and completion from tsq-language-server --stdio',
  { skip: e2eSkipReason(), timeout: 120_000 },
  async () => {
    const root = scratchFolder('neovim-lsp');
    try {
      const workspace = join(root, 'workspace');
      cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
      // The README's command, as \`npm install --global .\` would put it on the PATH.
      const bin = join(root, 'bin');
      mkdirSync(bin);
      writeFileSync(
        join(bin, 'tsq-language-server'),
        `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin', 'tsq-language-server.js')}" "$@"\n`,
      );
      chmodSync(join(bin, 'tsq-language-server'), 0o755);
      const config = join(root, 'init.lua');
      writeFileSync(config, readmeNeovimConfig());
      const script = join(root, 'tsq.lua');
      writeFileSync(script, SCRIPT);
      const report = join(root, 'report.txt');
      await runNeovimHeadless({
        luaScript: script,
        root,
        cwd: workspace,
        env: { CONFIG: config, REPORT: report, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
        timeoutMs: 90_000,
      });
      const lines = readFileSync(report, 'utf8').trim().split('\n');
      assert.equal(lines[0], 'attached true', 'the README configuration attached the server to the file');
      assert.equal(lines[1], 'diagnostics true');
      assert.ok(lines.includes('code unknown-action'), lines.join('\n'));
      assert.ok(
        lines.some((l) => l.startsWith('hover ') && l.includes('Setup Windows and ConfigMgr')),
        lines.join('\n'),
      );
      assert.ok(lines.includes('completion hd') && lines.includes('completion winpe'), lines.join('\n'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);
