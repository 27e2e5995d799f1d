// Runs every test: type-checks and compiles the sources and tests (tsc -> out/), builds the bundles,
// then hands every out/test/**/*.test.js file to node's built-in test runner with the spec reporter,
// whose summary line (tests / pass / fail / skipped) ends the output.
// End-to-end files (*.e2e.test.js: real VS Code, Chromium, Neovim) are left out unless --e2e is
// given; then only they run, one file at a time, and missing editors fail instead of skipping.
// Usage: npm test [-- <substring filter on test file paths>]
//        npm run test:e2e [-- <substring filter>]   (= install-tools, then this script with --e2e)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const e2e = process.argv.includes('--e2e');
const filters = process.argv.slice(2).filter((a) => a !== '--e2e');
const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

rmSync(join(root, 'out'), { recursive: true, force: true });
run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root]);
run(process.execPath, [join(root, 'scripts/build.mjs')]);

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(join(root, 'out/test'));
const chosen = files
  .filter((f) => f.endsWith('.e2e.test.js') === e2e)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();
if (chosen.length === 0) { console.error('no test files matched'); process.exit(1); }
if (e2e) {
  // Each e2e file starts an editor and a browser; on two cores they run better one after another.
  run(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...chosen], { ...process.env, TSQ_E2E_REQUIRED: '1' });
} else {
  run(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...chosen]);
}
