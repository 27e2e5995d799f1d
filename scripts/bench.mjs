// `npm run bench`: compiles the project and runs every bench/*.bench.ts (one process each, in
// name order), printing each one's table. Speed and memory targets are checked here, not in
// timed unit tests, because these machines are shared and noisy.
// Usage: npm run bench [-- <substring of a bench file name>]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run([join(root, 'node_modules/typescript/bin/tsc'), '-p', root]);
run([join(root, 'scripts/build.mjs')]);
const benches = readdirSync(join(root, 'out/bench'))
  .filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter)))
  .sort();
for (const b of benches) run([join(root, 'out/bench', b)]);
