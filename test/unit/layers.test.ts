// The layer check (`npm run lint:layers`: dependency-cruiser with .dependency-cruiser.cjs) checks:
// on a small tree with one offending import per rule it reports exactly those imports, each under
// its rule, and nothing for the imports the layers allow; on the real tree it reports nothing; and
// ARCHITECTURE.md's layer table lists the layers the check enforces, in its order.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '../../..');
const CONFIG = path.join(root, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Cruises `server/src` and `client/src` below `cwd` with the project's layer rules. */
function violations(cwd: string): Violation[] {
  const r = spawnSync(
    process.execPath,
    [DEPCRUISE, 'server/src', 'client/src', '--config', CONFIG, '--output-type', 'json'],
    { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** Rule names of the configuration, the generated layer rules included. */
function ruleNames(): string[] {
  // The configuration is CommonJS: read it as dependency-cruiser does.
  const config = require(CONFIG) as { forbidden: { name: string }[] };
  return config.forbidden.map((r) => r.name);
}

let probeFindings: Violation[] | undefined;
/** The probe tree's violations (cruised once for the tests that read them). */
function probeViolations(): Violation[] {
  return (probeFindings ??= violations(path.join(root, 'test/fixtures/layers')));
}

describe('the layer check', () => {
  test('finds each offending import of the probe tree under its own rule, and nothing else', () => {
    const found = probeViolations()
      .map((v) => `${v.rule.name}: ${v.from}`)
      .sort();
    const layerProbes = [
      'util',
      'schedule',
      'catalog',
      'conditions',
      'model',
      'schema',
      'semantics',
      'migrate',
      'analysis',
      'simulator',
      'interop',
      'runlog',
      'report',
      'files',
      'frontend',
      'workers',
      'cli',
      'lsp',
      'debug',
    ].map((f) => `layer-${f}: server/src/${f}/probe.ts`);
    const expected = [
      ...layerProbes,
      'folder-has-a-layer: server/src/elsewhere/probe.ts',
      'no-circular: server/src/util/circle-a.ts',
      'yaml-parser-stands-alone: server/src/model/yaml/probe.ts',
      'import-and-export-apart: server/src/interop/import/probe.ts',
      'rules-are-private: server/src/lsp/rules-probe.ts',
      'engine-reads-no-files: server/src/semantics/disk-probe.ts',
      'engine-runs-nothing: server/src/semantics/process-probe.ts',
      'disk-io-lives-in-files: server/src/cli/disk-probe.ts',
      'only-lsp-speaks-lsp: server/src/cli/lsp-probe.ts',
      'only-debug-speaks-dap: server/src/lsp/dap-probe.ts',
      'only-client-knows-vscode: server/src/debug/vscode-probe.ts',
      'client-uses-shared-pieces-only: client/src/probe.ts',
      'sources-never-import-tests: server/src/util/test-probe.ts',
      'not-to-unresolvable: server/src/util/unresolved-probe.ts',
      'declared-dependencies-only: server/src/interop/undeclared-probe.ts',
    ].sort();
    assert.deepEqual(found, expected);
  });

  test('every rule of the configuration has its probe', () => {
    const probed = new Set(probeViolations().map((v) => v.rule.name));
    assert.deepEqual(
      ruleNames().filter((name) => !probed.has(name)),
      [],
    );
  });

  test('`npm run lint:layers`, as package.json writes it, fails on the probe tree and names the rule', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const [command, ...args] = pkg.scripts['lint:layers'].split(' ');
    assert.equal(command, 'depcruise');
    const r = spawnSync(
      process.execPath,
      [DEPCRUISE, ...args.map((a) => (a === '.dependency-cruiser.cjs' ? CONFIG : a))],
      {
        cwd: path.join(root, 'test/fixtures/layers'),
        encoding: 'utf8',
      },
    );
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /error layer-model: server\/src\/model\/probe\.ts → server\/src\/schema\/leaf\.ts/);
  });

  test('the real tree crosses no layer', () => {
    assert.deepEqual(
      violations(root).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
      [],
    );
  });

  test("ARCHITECTURE.md's layer table is the check's, in the same order", () => {
    const { layers } = require(CONFIG) as { layers: string[][] };
    const text = fs.readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');
    const section = text.slice(text.indexOf('## Layers'), text.indexOf('\n## ', text.indexOf('## Layers') + 1));
    const rows = [...section.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)].map((m) =>
      [...m[2].matchAll(/`([a-z]+)\/`/g)].map((f) => f[1]),
    );
    assert.deepEqual(rows, layers);
  });
});
