// `npm run fuzz`: the reliability run. Compiles the project, then runs the parts of
// test/reliability/fuzz.ts against the built servers (dist/server.js, dist/debug.js, bin/tsq.js)
// and prints how many inputs each part tried and its crashes, hangs and mismatches; each failure
// is saved with its seed and smallest input to fuzz-failures/. Exit code 1 when anything failed.
// Usage: npm run fuzz [-- --seed N] [--edits N] [--dap N] [--parts lsp,dap,workspaces] [--workspaces NAME,...]
//   --seed        the random seed (default: a new one, printed first)
//   --edits       edits through the language server (default 100000)
//   --dap         inputs to the debug adapter (default 20000)
//   --parts       which parts to run (default all three; `workspaces` is the hostile-folder part)
//   --workspaces  only the hostile workspaces whose names hold one of these
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    edits: { type: 'string', default: '100000' },
    dap: { type: 'string', default: '20000' },
    parts: { type: 'string', default: 'lsp,dap,workspaces' },
    workspaces: { type: 'string' },
  },
});
const whole = (name, text) => {
  if (!/^\d+$/.test(text)) {
    console.error(`--${name} takes a whole number, not ${text}`);
    process.exit(2);
  }
  return Number(text);
};
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : whole('seed', values.seed);

const build = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
build([join(root, 'node_modules/typescript/bin/tsc'), '-p', root]);
build([join(root, 'scripts/build.mjs')]);

const { runFuzz, PARTS } = createRequire(import.meta.url)(join(root, 'out/test/reliability/fuzz.js'));
const parts = values.parts.split(',').filter(Boolean);
for (const p of parts) {
  if (!PARTS.includes(p)) {
    console.error(`--parts takes ${PARTS.join(', ')}; not ${p}`);
    process.exit(2);
  }
}
console.log(`tsq fuzz: seed ${seed} (run again with --seed ${seed})`);
const reports = await runFuzz({
  seed,
  parts,
  edits: whole('edits', values.edits),
  dapInputs: whole('dap', values.dap),
  workspaces: values.workspaces?.split(',').filter(Boolean),
  print: (line) => console.log(line),
});
process.exit(reports.some((r) => r.failures.length > 0) ? 1 : 0);
