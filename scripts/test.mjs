// Runs every test: type-checks and compiles the sources and tests (tsc -> out/), builds the bundles,
// then hands the out/test/**/*.test.js files to node's built-in test runner (spec reporter) in two
// rounds, each ending with the runner's summary (tests / pass / fail / skipped):
//   1. unit, protocol and integration tests, two files at a time;
//   2. end-to-end tests (*.e2e.test.js: real VS Code, Chromium, Neovim), one file at a time, when
//      the editors they drive are installed; otherwise one line names what is missing.
// The exit code is non-zero when either round failed; a last line sums both up.
// Usage: npm test [-- <substring filter on test file paths>]
//        npm run test:e2e [-- <filter>]   (= install-tools, then this script with --e2e: round 2 only)
// With --e2e, or with TSQ_E2E_REQUIRED=1 in the environment (.ci/run sets it), a missing editor is
// an error rather than a reason to skip, so CI cannot pass without having driven the editors.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const started = Date.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const e2eOnly = process.argv.includes('--e2e');
const e2eRequired = e2eOnly || process.env.TSQ_E2E_REQUIRED === '1';
const filters = process.argv.slice(2).filter((a) => a !== '--e2e');
const build = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

rmSync(join(root, 'out'), { recursive: true, force: true });
build(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root]);
build(process.execPath, [join(root, 'scripts/build.mjs')]);

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(join(root, 'out/test'));
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s))).sort();
const unitFiles = e2eOnly ? [] : chosen.filter((f) => !f.endsWith('.e2e.test.js'));
const e2eFiles = chosen.filter((f) => f.endsWith('.e2e.test.js'));
if (unitFiles.length === 0 && e2eFiles.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

/** Runs one round; returns 'passed' or 'failed'. */
function round(title, testFiles, concurrency, env = process.env) {
  console.log(`\n== ${title}: ${testFiles.length} file(s)\n`);
  const r = spawnSync(
    process.execPath,
    ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...testFiles],
    { cwd: root, stdio: 'inherit', env },
  );
  return r.status === 0 ? 'passed' : 'failed';
}

const outcomes = [];
if (unitFiles.length > 0)
  outcomes.push(['unit, protocol and integration tests', round('unit, protocol and integration tests', unitFiles, 2)]);
if (e2eFiles.length > 0) {
  // The harness knows where the editors live (compiled by tsc above).
  const { missingE2eTools } = createRequire(import.meta.url)(join(root, 'out/test/e2e/harness/tools.js'));
  const missing = missingE2eTools();
  if (missing.length === 0) {
    // Each e2e file starts an editor and a browser; on two cores they run better one after another.
    outcomes.push([
      'end-to-end tests',
      round('end-to-end tests in real editors', e2eFiles, 1, { ...process.env, TSQ_E2E_REQUIRED: '1' }),
    ]);
  } else {
    const what = `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed`;
    console.log(
      `\n== end-to-end tests ${e2eRequired ? 'cannot run' : 'skipped'}: ${what}; \`npm run test:e2e\` installs the tools and runs them.`,
    );
    outcomes.push(['end-to-end tests', e2eRequired ? 'failed (tools missing)' : 'skipped']);
  }
}

const failed = outcomes.some(([, outcome]) => outcome.startsWith('failed'));
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`\n== ${outcomes.map(([what, outcome]) => `${what} ${outcome}`).join('; ')} (${minutes} min in all)`);
process.exit(failed ? 1 : 0);
