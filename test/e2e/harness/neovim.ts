// Debian's Neovim, headless, as a second real editor: runs a Lua script (which talks to whatever it
// likes, later our language server over stdio) in a clean editor whose state stays in a run folder.
// Debian 12 ships Neovim 0.7: the script must use vim.lsp.start_client/buf_attach_client, not
// vim.lsp.start (0.8+); it is run with dofile, as `nvim -l` (0.9+) does not exist there.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runOwned } from './processes';
import { e2eTools } from './tools';

export interface NeovimRun {
  /** The Lua script to execute; when it returns, Neovim quits with status 0. */
  luaScript: string;
  /** Folder for Neovim's XDG folders (logs such as lsp.log end up here). */
  root: string;
  cwd?: string;
  /** Handed to the script as environment variables (read them with os.getenv). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

// Runs the script named by $TSQ_NVIM_SCRIPT and quits: 0 when it returned, 3 (after printing the
// error to stderr) when it raised, so a broken script fails fast instead of leaving Neovim waiting.
const RUN_SCRIPT_AND_QUIT =
  "lua local ok, err = pcall(dofile, os.getenv('TSQ_NVIM_SCRIPT')); " +
  "if not ok then io.stderr:write(tostring(err) .. '\\n'); vim.cmd('cquit 3') else vim.cmd('qall!') end";

/**
 * Runs `nvim --headless --clean` on the script; resolves with what Neovim printed (Lua's print goes
 * to stderr in headless mode), rejects on a non-zero exit or on timeout (the process group is killed).
 */
export async function runNeovimHeadless(run: NeovimRun): Promise<string> {
  const xdg = (name: string) => {
    const dir = join(run.root, `xdg-${name}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_STATE_HOME: xdg('state'),
    XDG_CACHE_HOME: xdg('cache'),
    ...run.env,
    TSQ_NVIM_SCRIPT: run.luaScript,
  };
  return runOwned(e2eTools().nvim, ['--headless', '--clean', '-c', RUN_SCRIPT_AND_QUIT], {
    cwd: run.cwd ?? run.root,
    env,
    timeoutMs: run.timeoutMs ?? 30_000,
  });
}
