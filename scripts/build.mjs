// Bundles every entry point with esbuild into dist/. Run by `npm run build` and by `npm ci` (prepare).
// Entry points are listed once here; a missing source file is skipped so partial checkouts still build.
import { build, transform } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js' },
  // bin/tsq.js's first step, small: it starts dist/cli.js here or in a process with a larger heap.
  { in: 'server/src/frontend/one-shot-heap.ts', out: 'dist/launch.js' },
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
      }).then(() => latin1Only(join(root, e.out))),
    ),
);
if (!watch)
  console.log(
    `tsq: built ${entries.filter((e) => existsSync(join(root, e.in))).length} bundles in ${Date.now() - started} ms`,
  );

/**
 * Rewrites the characters of a bundle's comments that are not Latin-1. V8 keeps a script's whole
 * source in memory, one byte per character when every character is Latin-1 and two bytes when any
 * is not, and esbuild escapes such characters everywhere but in the comments it keeps (our JSDoc
 * has dashes and arrows): one of them made the server's 3 MB bundle a 6 MB string held for the
 * life of every process (docs/performance.md, "The server's memory at its peak"). Each UTF-16 unit
 * becomes one `?`, so every line and column the source map points to stays where it was. The
 * bundle minified before and after must be the same code, which proves that only comments changed.
 */
async function latin1Only(file) {
  const text = readFileSync(file, 'utf8');
  if (!/[\u0100-\uffff]/.test(text)) return;
  const latin1 = text.replace(/[\u0100-\uffff]/g, '?');
  const code = async (source) => (await transform(source, { minify: true, legalComments: 'none' })).code;
  if ((await code(text)) !== (await code(latin1)))
    throw new Error(`${file}: characters outside Latin-1 outside comments; the bundle would change`);
  writeFileSync(file, latin1);
}
