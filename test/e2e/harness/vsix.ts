// Packaging for the end-to-end suite and the package test: the repository as a .vsix, the file an
// admin installs, made by @vscode/vsce from the bundles that `npm test` builds first.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOwned } from './processes';
import { repoRoot } from './tools';

// The .vsix carries esbuild bundles, so vsce must not walk node_modules (--no-dependencies, which
// also keeps packaging offline). README links stay as written: the repository URL in package.json
// is a placeholder, so there is nowhere true to point them.
const VSCE_FLAGS = ['--no-dependencies', '--no-rewrite-relative-links'];

export interface PackagedExtension {
  vsix: string;
  /** What vsce printed (its warnings among it). */
  output: string;
}

/** Packages the extension in `extensionDir` into `outFile` with @vscode/vsce. */
export async function packageVsix(extensionDir: string, outFile: string): Promise<PackagedExtension> {
  const vsce = join(repoRoot, 'node_modules/@vscode/vsce/vsce');
  const output = await runOwned(process.execPath, [vsce, 'package', ...VSCE_FLAGS, '--out', outFile], {
    cwd: extensionDir,
    timeoutMs: 120_000,
  });
  if (!existsSync(outFile)) throw new Error(`vsce reported success but wrote no ${outFile}`);
  return { vsix: outFile, output };
}

/** Packages the repository into `workDir`/tsq.vsix; its bundles must be built (npm test builds them). */
export async function packageExtensionUnderTest(workDir: string): Promise<PackagedExtension> {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main?: string };
  if (manifest.main === undefined || !existsSync(join(repoRoot, manifest.main))) {
    throw new Error(
      `the extension is not built (${manifest.main ?? 'package.json has no main'} is missing): run node scripts/build.mjs`,
    );
  }
  return packageVsix(repoRoot, join(workDir, 'tsq.vsix'));
}
