// Where the end-to-end suite finds the real editors and the repository. The cache folder rule
// matches scripts/e2e/install-tools.mjs, which puts code-server there.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** The repository root (this file runs from out/test/e2e/harness/). */
export const repoRoot = join(__dirname, '..', '..', '..', '..');

export interface E2eTools {
  cacheDir: string;
  /** code-server's Node entry point; run it with this process's node (code-server 4.100 needs Node 20). */
  codeServerEntry: string;
  chromium: string;
  nvim: string;
}

export function e2eTools(): E2eTools {
  const cacheDir = process.env.TSQ_E2E_CACHE || join(homedir(), '.cache', 'tsq-e2e');
  return {
    cacheDir,
    codeServerEntry: join(cacheDir, `code-server-${CODE_SERVER_VERSION}`, 'node_modules/code-server/out/node/entry.js'),
    chromium: '/usr/bin/chromium',
    nvim: '/usr/bin/nvim',
  };
}

/** Names of the tools that are not installed; empty when the suite can run. */
export function missingE2eTools(tools: E2eTools = e2eTools()): string[] {
  const missing: string[] = [];
  if (!existsSync(tools.codeServerEntry)) missing.push(`code-server ${CODE_SERVER_VERSION} (in ${tools.cacheDir})`);
  if (!existsSync(tools.chromium)) missing.push('chromium');
  if (!existsSync(tools.nvim)) missing.push('neovim');
  return missing;
}

/**
 * Why an end-to-end test should be skipped (tools missing), or undefined when it can run.
 * `npm run test:e2e` sets TSQ_E2E_REQUIRED=1: there a missing tool is an error, never a skip,
 * so CI cannot pass without having driven the editors.
 */
export function e2eSkipReason(): string | undefined {
  const missing = missingE2eTools();
  if (missing.length === 0) return undefined;
  const reason = `needs ${missing.join(', ')}: run node scripts/e2e/install-tools.mjs`;
  if (process.env.TSQ_E2E_REQUIRED === '1') throw new Error(reason);
  return reason;
}
