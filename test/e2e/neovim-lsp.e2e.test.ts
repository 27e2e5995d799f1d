// The language server in a second real editor: headless Neovim 0.7 starts
// `tsq-language-server --stdio` with its built-in LSP client, opens a broken sequence of a copy
// of examples/, and gets the diagnostics, a hover and completion — plain LSP, nothing VS Code-only.

import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { e2eSkipReason, repoRoot, runNeovimHeadless, scratchFolder } from './harness';

const SCRIPT = `
local root = os.getenv('WORKSPACE')
local file = root .. '/deploy-windows-11.tsq.yaml'
vim.cmd('edit ' .. file)
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'tsq',
  cmd = { os.getenv('NODE'), os.getenv('SERVER'), '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'examples' } },
})
vim.lsp.buf_attach_client(buf, id)
local out = {}
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
vim.lsp.stop_client(id)
vim.fn.writefile(out, os.getenv('REPORT'))
`;

test('Neovim gets diagnostics, hover and completion from tsq-language-server --stdio', { skip: e2eSkipReason(), timeout: 120_000 }, async () => {
  const root = scratchFolder('neovim-lsp');
  try {
    const workspace = join(root, 'workspace');
    cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    const script = join(root, 'tsq.lua');
    writeFileSync(script, SCRIPT);
    const report = join(root, 'report.txt');
    await runNeovimHeadless({
      luaScript: script,
      root,
      env: { WORKSPACE: workspace, REPORT: report, NODE: process.execPath, SERVER: join(repoRoot, 'bin', 'tsq-language-server.js') },
      timeoutMs: 90_000,
    });
    const lines = readFileSync(report, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'diagnostics true');
    assert.ok(lines.includes('code unknown-action'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('hover ') && l.includes('Setup Windows and ConfigMgr')), lines.join('\n'));
    assert.ok(lines.includes('completion hd') && lines.includes('completion winpe'), lines.join('\n'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
