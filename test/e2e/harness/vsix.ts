// Packaging for the end-to-end suite: the repository as a .vsix (what an admin installs), or, while
// the client is not built yet, a stand-in extension that only declares the language.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOwned } from './processes';
import { repoRoot } from './tools';

// Offline packaging: the .vsix carries esbuild bundles, so no dependency walk (--no-dependencies);
// no LICENSE or repository is required yet, and README links are left as written.
const VSCE_FLAGS = ['--no-dependencies', '--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links'];

/** Packages the extension in `extensionDir` into `outFile` with @vscode/vsce; returns `outFile`. */
export async function packageVsix(extensionDir: string, outFile: string): Promise<string> {
  const vsce = join(repoRoot, 'node_modules/@vscode/vsce/vsce');
  await runOwned(process.execPath, [vsce, 'package', ...VSCE_FLAGS, '--out', outFile], { cwd: extensionDir, timeoutMs: 120_000 });
  if (!existsSync(outFile)) throw new Error(`vsce reported success but wrote no ${outFile}`);
  return outFile;
}

/** True when the repository's extension entry point is built, so the real extension can be packaged. */
export function repoExtensionIsBuilt(): boolean {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main?: string };
  return manifest.main !== undefined && existsSync(join(repoRoot, manifest.main));
}

/**
 * Writes a minimal extension that contributes the `tasksequence` language for *.tsq.yaml and
 * nothing else; used to prove the harness before the real client exists.
 */
export function writeStandInExtension(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'tsq-stand-in',
    displayName: 'tsq stand-in (e2e harness)',
    description: 'Declares the Task Sequence language so the end-to-end harness can be tested without the client.',
    version: '0.0.1',
    publisher: 'tsq',
    license: 'MIT',
    engines: { vscode: '^1.91.0' },
    contributes: {
      languages: [{ id: 'tasksequence', aliases: ['Task Sequence', 'tasksequence'], extensions: ['.tsq.yaml', '.tsq.yml'] }],
    },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'README.md'), '# tsq stand-in\n\nA language declaration used only by the end-to-end harness.\n');
  return dir;
}

export interface PackagedExtension {
  vsix: string;
  /** True when the real client was not built and the stand-in was packaged instead. */
  standIn: boolean;
}

/** Packages the repository if its client is built, otherwise the stand-in, into `workDir`. */
export async function packageExtensionUnderTest(workDir: string): Promise<PackagedExtension> {
  if (repoExtensionIsBuilt()) {
    return { vsix: await packageVsix(repoRoot, join(workDir, 'tsq.vsix')), standIn: false };
  }
  const standInDir = writeStandInExtension(join(workDir, 'stand-in-extension'));
  return { vsix: await packageVsix(standInDir, join(workDir, 'tsq-stand-in.vsix')), standIn: true };
}
