// The .vsix an admin installs, as vsce 3.9.2 packages it (--no-dependencies): it carries the bundles
// and every file its manifest points to, the README and licence, and nothing a developer only needs
// (node_modules, source maps, TypeScript sources, tests); it activates only on our language, our
// commands and debugging; and packaging prints no warning.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { packageExtensionUnderTest, type PackagedExtension } from '../e2e/harness/vsix';
import { repoRoot } from '../e2e/harness/tools';
import { readZip, type ZipEntry } from '../../server/src/interop/opc/zip';

interface Manifest {
  main: string;
  activationEvents?: string[];
  contributes: {
    languages?: Array<{ id: string; configuration?: string }>;
    grammars?: Array<{ path: string }>;
    snippets?: Array<{ path: string }>;
    commands?: Array<{ command: string }>;
    debuggers?: Array<{ type: string; program?: string }>;
  };
}

const workDir = mkdtempSync(join(tmpdir(), 'tsq-vsix-test-'));
let packaged: PackagedExtension;
let entries: ZipEntry[];
/** Paths inside the extension folder of the .vsix (the `extension/` prefix taken off). */
let files: string[];
let manifest: Manifest;

before(async () => {
  packaged = await packageExtensionUnderTest(workDir);
  entries = await readZip(readFileSync(packaged.vsix), packaged.vsix);
  files = entries.filter((e) => e.name.startsWith('extension/')).map((e) => e.name.slice('extension/'.length));
  manifest = JSON.parse(entries.find((e) => e.name === 'extension/package.json')!.data.toString('utf8')) as Manifest;
});

after(() => rmSync(workDir, { recursive: true, force: true }));

const withoutDotSlash = (path: string) => path.replace(/^\.\//, '');

test('vsce packages the extension without a warning', () => {
  assert.doesNotMatch(packaged.output, /WARNING/, packaged.output);
});

test('the .vsix carries the bundles and every file its manifest names', () => {
  const named = [
    manifest.main,
    // The client starts the language server from this bundle (client/src/extension.ts).
    'dist/server.js',
    // The language server, `tsq lint`, `tsq simulate` and the debug adapter start their worker threads from this bundle (server/src/workers/worker-threads.ts).
    'dist/check-worker.js',
    ...(manifest.contributes.debuggers ?? []).flatMap((d) => d.program ?? []),
    ...(manifest.contributes.grammars ?? []).map((g) => g.path),
    ...(manifest.contributes.snippets ?? []).map((s) => s.path),
    ...(manifest.contributes.languages ?? []).flatMap((l) => l.configuration ?? []),
    'package.json',
  ].map(withoutDotSlash);
  const missing = named.filter((path) => !files.includes(path));
  assert.deepEqual(missing, [], `missing from the .vsix: ${missing.join(', ')}\nit holds: ${files.join(', ')}`);
  assert.ok(manifest.contributes.debuggers?.length, 'the manifest declares the debugger');
});

test('the .vsix carries the README, and the CHANGELOG and LICENSE when the repository has them', () => {
  // vsce stores README.md as readme.md, CHANGELOG.md as changelog.md and LICENSE as LICENSE.txt.
  const lower = files.map((f) => f.toLowerCase());
  assert.ok(lower.includes('readme.md'), 'readme.md is in the .vsix');
  if (existsSync(join(repoRoot, 'CHANGELOG.md')))
    assert.ok(lower.includes('changelog.md'), 'changelog.md is in the .vsix');
  if (existsSync(join(repoRoot, 'LICENSE')))
    assert.ok(
      lower.some((f) => /^license(\.txt|\.md)?$/.test(f)),
      'the licence is in the .vsix',
    );
});

test('the .vsix holds nothing only developers need: no node_modules, source maps, TypeScript sources or tests', () => {
  const unwanted = files.filter(
    (f) =>
      /(^|\/)node_modules\//.test(f) ||
      f.endsWith('.map') ||
      /\.tsx?$/.test(f) ||
      /\.test\.[cm]?js$/.test(f) ||
      /^(test|out|client\/src|server\/src|scripts|bench)\//.test(f),
  );
  assert.deepEqual(unwanted, []);
  const dist = files.filter((f) => f.startsWith('dist/'));
  assert.ok(dist.length > 0 && dist.every((f) => f.endsWith('.js')), `dist/ holds bundles only: ${dist.join(', ')}`);
});

test('the extension activates only on its language, its commands, debugging and a workspace that holds task sequence files', () => {
  const events = manifest.activationEvents ?? [];
  const languages = new Set((manifest.contributes.languages ?? []).map((l) => l.id));
  const commands = new Set((manifest.contributes.commands ?? []).map((c) => c.command));
  const debugTypes = new Set((manifest.contributes.debuggers ?? []).map((d) => d.type));
  const foreign = events.filter((event) => {
    const [kind, argument] = event.split(':', 2);
    if (kind === 'onLanguage') return !languages.has(argument ?? '');
    if (kind === 'onCommand') return !commands.has(argument ?? '');
    if (kind?.startsWith('onDebug')) return argument !== undefined && !debugTypes.has(argument);
    // A workspace that holds task sequence files starts the extension, for the workspace's health in the status bar.
    if (kind === 'workspaceContains') return !/^\*\*\/\*\.tsq\.ya?ml$/.test(argument ?? '');
    return true;
  });
  assert.ok(events.length > 0, 'the manifest lists activation events');
  assert.deepEqual(
    foreign,
    [],
    'every activation event names our language, one of our commands, our debug type or our files',
  );
});
