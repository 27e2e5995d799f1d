// Installs the real editors the end-to-end suite drives, outside the repository's node_modules:
// code-server (a real VS Code: server, workbench and Node extension host) into a cache folder,
// and Debian's chromium, neovim and the libraries code-server's native modules build against.
// Idempotent: a second run checks what is there and returns in about a second.
// Usage: node scripts/e2e/install-tools.mjs   (cache: $TSQ_E2E_CACHE or ~/.cache/tsq-e2e)
//
// Three things stand between `npm install code-server` and a working install on these machines,
// and each is handled here (see docs/e2e.md):
// - native modules need Debian's headers (krb5, xkbfile, libsecret) and pkg-config;
// - as root the postinstall insists on npm_config_unsafe_perm, and a nested `npx node-gyp`
//   needs npm_config_yes in a non-interactive run;
// - @vscode/ripgrep downloads `rg` from GitHub, which is unreachable; it accepts a cached archive
//   instead, which we build from Debian's /usr/bin/rg.
// npm 11 also polices dependency install scripts (allowScripts). code-server's postinstall runs two
// more `npm install`s inside its own folders, which only read their own package.json; so we install
// with scripts off, write the reviewed allow-list into those package.json files, and then let
// `npm rebuild` run the scripts with the policy strict, so a new unreviewed script fails loudly.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const APT_PACKAGES = [
  'libkrb5-dev',
  'libxkbfile-dev',
  'libsecret-1-dev',
  'pkg-config',
  'ripgrep',
  'chromium',
  'neovim',
];

// Install scripts reviewed for code-server 4.100.3, per package.json that governs them.
const ALLOWED_SCRIPTS = {
  '.': { 'code-server': true, argon2: true },
  'node_modules/code-server/lib/vscode': {
    '@parcel/watcher': true,
    '@vscode/deviceid': true,
    '@vscode/ripgrep': true,
    '@vscode/spdlog': true,
    '@vscode/windows-process-tree': true,
    '@vscode/windows-registry': true,
    kerberos: true,
    'native-watchdog': true,
    'node-pty': true,
  },
  // Dev-only there and omitted by the postinstall's --omit=dev, yet still checked by npm.
  'node_modules/code-server/lib/vscode/extensions': { '@parcel/watcher': false, esbuild: false },
};

export const cacheDir = () => process.env.TSQ_E2E_CACHE || join(homedir(), '.cache', 'tsq-e2e');
export const codeServerDir = () => join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = () => join(codeServerDir(), 'node_modules/code-server/out/node/entry.js');

const log = (msg) => console.log(`install-tools: ${msg}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${tail}`);
  }
  return r.stdout;
}

function isDebianPackageInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function installDebianPackages() {
  const missing = APT_PACKAGES.filter((p) => !isDebianPackageInstalled(p));
  if (missing.length === 0) return 'already installed';
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}; install them with\n  sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  return `installed ${missing.join(' ')}`;
}

function provideRipgrepArchive() {
  const dir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(dir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return `already at ${archive}`;
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'tsq-rg-'));
  try {
    copyFileSync('/usr/bin/rg', join(staging, 'rg'));
    // Written beside the final name and renamed, so a half-written archive is never picked up.
    run('tar', ['-czf', `${archive}.partial`, '-C', staging, 'rg']);
    run('mv', [`${archive}.partial`, archive]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return `built ${archive} from /usr/bin/rg`;
}

function codeServerVersion() {
  if (!existsSync(codeServerEntry())) return undefined;
  // --config and the XDG folders keep code-server from writing its config and logs into the home folder.
  const scratch = mkdtempSync(join(tmpdir(), 'tsq-cs-version-'));
  try {
    const env = { ...process.env, XDG_DATA_HOME: scratch, XDG_CONFIG_HOME: scratch };
    const r = spawnSync(process.execPath, [codeServerEntry(), '--version', '--config', join(scratch, 'config.yaml')], {
      encoding: 'utf8',
      env,
    });
    // It may log a line before the version ("Wrote default config file ..."); the version line starts with digits.
    return r.status === 0 ? /^(\d+\.\d+\.\d+)\s/m.exec(r.stdout)?.[1] : undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function installCodeServer() {
  const marker = join(codeServerDir(), '.installed');
  if (existsSync(marker) && codeServerVersion() === CODE_SERVER_VERSION) return `already at ${codeServerDir()}`;
  const dir = codeServerDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'tsq-e2e-tools',
        private: true,
        description: 'code-server for tsq end-to-end tests',
        allowScripts: ALLOWED_SCRIPTS['.'],
      },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_strict_allow_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--ignore-scripts', '--save-exact', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  for (const [folder, allowScripts] of Object.entries(ALLOWED_SCRIPTS)) {
    if (folder === '.') continue;
    const file = join(dir, folder, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...pkg, allowScripts }, null, 2));
  }
  run('npm', ['rebuild'], { cwd: dir, env });
  const version = codeServerVersion();
  if (version !== CODE_SERVER_VERSION)
    throw new Error(`code-server installed but reports version ${version ?? '(none)'}`);
  writeFileSync(marker, `${CODE_SERVER_VERSION}\n`);
  return `installed code-server ${version} into ${dir}`;
}

function main() {
  const started = Date.now();
  const steps = [
    ['Debian packages', installDebianPackages],
    ['ripgrep archive', provideRipgrepArchive],
    ['code-server', installCodeServer],
  ];
  for (const [name, step] of steps) {
    const t = Date.now();
    const outcome = step();
    log(`${name}: ${outcome} (${seconds(Date.now() - t)})`);
  }
  log(`chromium: ${run('/usr/bin/chromium', ['--version']).trim()}`);
  log(`neovim: ${run('nvim', ['--version']).split('\n')[0]}`);
  log(`done in ${seconds(Date.now() - started)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (err) {
    console.error(`install-tools: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
