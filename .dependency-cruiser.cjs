// The layers of tsq, written once. Each folder of server/src sits in one layer and may import only
// the layers below it: never a sibling in its own layer, never a layer above. `npm run lint:layers`
// (part of `npm run lint`) runs dependency-cruiser with this file and fails on any import that
// crosses a layer the wrong way; ARCHITECTURE.md names these rules, test/unit/layers.test.ts
// proves that each of them fires.
'use strict';

/** Lowest first. Folders in one entry are siblings: they may not import each other. */
const LAYERS = [
  ['util'], //                                        small pure helpers
  ['schedule'], //                                    wall-clock time, maintenance-window recurrence
  ['catalog', 'conditions'], //                       built-in ConfigMgr knowledge; the when: language
  ['model'], //                                       the YAML reader (model/yaml) and the typed models
  ['schema'], //                                      JSON Schemas and their validator
  ['semantics'], //                                   the workspace index and the facts everything shares
  ['migrate'], //                                     leaving MDT: what depends on it, what replaces each step
  ['interop'], //                                     ConfigMgr XML, zip, tsqpkg, the YAML emitter (lint reports what export refuses)
  ['analysis', 'simulator', 'runlog'], //             rules; simulated runs; real runs
  ['report'], //                                      documents, run reports, change reports (a small document model, Markdown and HTML)
  ['files'], //                                       every disk access (bounded reads, scans, whole-or-nothing writes)
  ['frontend'], //                                    what the front ends share (loading inputs, wording results)
  ['workers'], //                                     worker threads the front ends start (input check, checking on more cores)
  ['cli', 'lsp', 'debug'], //                         the front ends
];
/** The layers below files/ are the engine: no protocol, no disk, no process, no network. */
const ENGINE = LAYERS.slice(
  0,
  LAYERS.findIndex((layer) => layer.includes('files')),
).flat();
/** What the front ends share, and the front ends: they reach the disk only through files/. */
const FRONT_ENDS = LAYERS.slice(LAYERS.findIndex((layer) => layer.includes('frontend'))).flat();
/** What the VS Code client may use of server/src (esbuild bundles these into the extension). */
const CLIENT_MAY_USE = [
  'files/',
  'frontend/',
  'util/',
  'model/kinds\\.ts$',
  'interop/report\\.ts$',
  'interop/errors\\.ts$',
];
/** Node's built-in modules the engine may use: none of them reaches the disk, a process or the network. */
const ENGINE_CORE_MODULES = ['path', 'crypto', 'util', 'buffer'];

const SRC = '^server/src/';
const folders = (names) => `${SRC}(${names.join('|')})/`;
const FS = '^(node:)?fs(/promises)?$';

const layerRules = LAYERS.flatMap((layer, i) => {
  const below = LAYERS.slice(0, i).flat();
  return layer.map((folder) => ({
    name: `layer-${folder}`,
    severity: 'error',
    comment: `${folder}/ may import only ${below.length ? below.join(', ') : 'nothing else in server/src'} (and itself)`,
    from: { path: `${SRC}${folder}/` },
    to: { path: SRC, pathNot: below.length ? `${folders(below)}|${SRC}${folder}/` : `${SRC}${folder}/` },
  }));
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'folder-has-a-layer',
      severity: 'error',
      comment: `Every folder of server/src is in LAYERS (${LAYERS.flat().join(', ')}); a new one must be given its place`,
      from: { path: SRC, pathNot: folders(LAYERS.flat()) },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle hides which module is the lower one: move the shared piece down',
      from: {},
      to: { circular: true },
    },
    {
      name: 'yaml-parser-stands-alone',
      severity: 'error',
      comment: 'model/yaml is the YAML reader; the typed models build on it, never the other way',
      from: { path: `${SRC}model/yaml/` },
      to: { path: `${SRC}model/(?!yaml/)` },
    },
    {
      name: 'import-and-export-apart',
      severity: 'error',
      comment:
        'What both directions of interop agree on lives beside them (interop/sequence-format.ts, interop/files.ts)',
      from: { path: `${SRC}interop/(import|export)/` },
      to: { path: `${SRC}interop/(import|export)/`, pathNot: `${SRC}interop/$1/` },
    },
    {
      name: 'rules-are-private',
      severity: 'error',
      comment:
        'Only the rule list (analysis/rules/index.ts) is public; shared helpers belong in analysis/ or semantics/',
      from: { pathNot: `${SRC}analysis/rules/index\\.ts$` },
      to: { path: `${SRC}analysis/rules/(?!index\\.ts$)` },
    },
    {
      name: 'engine-reads-no-files',
      severity: 'error',
      comment: 'The engine gets bytes from the front ends; every disk access lives in files/',
      from: { path: folders(ENGINE) },
      to: { dependencyTypes: ['core'], path: FS },
    },
    {
      name: 'engine-runs-nothing',
      severity: 'error',
      comment: `The engine never starts a process, opens a socket or asks the machine it runs on (it may use ${ENGINE_CORE_MODULES.join(', ')})`,
      from: { path: folders(ENGINE) },
      to: { dependencyTypes: ['core'], pathNot: `^(node:)?(${ENGINE_CORE_MODULES.join('|')}|fs(/promises)?)$` },
    },
    {
      name: 'disk-io-lives-in-files',
      severity: 'error',
      comment: 'Front ends read and write through files/, where bounded reads and whole-or-nothing writes live',
      from: { path: `${folders(FRONT_ENDS)}|^client/src/` },
      to: { dependencyTypes: ['core'], path: FS },
    },
    {
      name: 'only-lsp-speaks-lsp',
      severity: 'error',
      comment: 'The language server protocol stays in server/src/lsp',
      from: { pathNot: `${SRC}lsp/` },
      to: { path: '(^|/)(vscode-languageserver[^/]*|vscode-jsonrpc)(/|$)' },
    },
    {
      name: 'only-debug-speaks-dap',
      severity: 'error',
      comment: 'The debug adapter protocol stays in server/src/debug',
      from: { pathNot: `${SRC}debug/` },
      to: { path: '(^|/)@vscode/(debugadapter|debugprotocol)(/|$)' },
    },
    {
      name: 'only-client-knows-vscode',
      severity: 'error',
      comment: 'The VS Code API (and its language client) stays in client/src',
      from: { pathNot: '^client/src/' },
      to: { path: '(^|/)(@types/vscode|vscode-languageclient)(/|$)|^vscode$' },
    },
    {
      name: 'client-uses-shared-pieces-only',
      severity: 'error',
      comment: `client/src may use only ${CLIENT_MAY_USE.join(', ')} of server/src`,
      from: { path: '^client/src/' },
      to: { path: SRC, pathNot: `${SRC}(${CLIENT_MAY_USE.join('|')})` },
    },
    {
      name: 'sources-never-import-tests',
      severity: 'error',
      comment: 'What ships never depends on tests, benchmarks or build scripts',
      from: { path: '^(server|client)/src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (an unresolved one would slip past every other rule)',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'declared-dependencies-only',
      severity: 'error',
      comment: 'Every package imported is listed in package.json',
      from: { path: '^(server|client)/src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a layer may not even name a type from above.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // vscode-languageserver publishes an exports map with node/types conditions only.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
// For test/unit/layers.test.ts and eslint.config.mjs (not enumerable: dependency-cruiser accepts
// only its own keys).
Object.defineProperty(module.exports, 'layers', { value: LAYERS, enumerable: false });
Object.defineProperty(module.exports, 'engine', { value: ENGINE, enumerable: false });
