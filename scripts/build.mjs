// Bundles every entry point with esbuild into dist/. Run by `npm run build` and by `npm ci` (prepare).
// Entry points are listed once here; a missing source file is skipped so partial checkouts still build.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js' },
  { in: 'server/src/lsp/server.ts', out: 'dist/server.js' },
  { in: 'server/src/debug/main.ts', out: 'dist/debug.js' },
  // The one worker bundle: the CLI, the server and the debug adapter start their worker threads
  // from it (server/src/workers/worker-threads.ts).
  { in: 'server/src/workers/check-worker.ts', out: 'dist/check-worker.js' },
  { in: 'client/src/extension.ts', out: 'dist/client/extension.js', external: ['vscode'] },
];
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

mkdirSync(join(root, 'dist'), { recursive: true });
// A bundle no entry makes any more (renamed or merged away) would still be packaged into the .vsix.
const made = new Set(entries.flatMap((e) => [e.out, `${e.out}.map`]));
for (const name of readdirSync(join(root, 'dist'))) {
  if (/\.js(\.map)?$/.test(name) && !made.has(`dist/${name}`)) rmSync(join(root, 'dist', name));
}
const started = Date.now();
await Promise.all(
  entries
    .filter((e) => existsSync(join(root, e.in)))
    .map((e) =>
      build({
        entryPoints: [join(root, e.in)],
        outfile: join(root, e.out),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: true,
        minify,
        external: e.external ?? [],
        logLevel: 'warning',
        legalComments: 'none',
      }),
    ),
);
if (!watch)
  console.log(
    `tsq: built ${entries.filter((e) => existsSync(join(root, e.in))).length} bundles in ${Date.now() - started} ms`,
  );
