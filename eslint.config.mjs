// ESLint for tsq: correctness rules only. Layout is Prettier's job (.prettierrc.json), which
// folder may import which is dependency-cruiser's (.dependency-cruiser.cjs); `npm run lint` runs
// all three. Type-aware (typescript-eslint's recommendedTypeChecked) over the sources, tests,
// benchmarks and scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createRequire } from 'node:module';

/** A catch that swallows the error and answers "nothing" hides bugs: say why it cannot matter, or handle it. */
const SILENT_CATCH =
  'no-silent-catch: this catch hides the error; handle it, or disable this line saying why it cannot matter.';
const SILENT_CATCHES = [
  '[argument=null]',
  " > Identifier[name='undefined']",
  ' > ArrayExpression[elements.length=0]',
  ' > Literal[value=null]',
  ' > Literal[value=false]',
].map((answer) => ({
  selector: `CatchClause > BlockStatement[body.length=1] > ReturnStatement${answer}`,
  message: SILENT_CATCH,
}));

/** Node's calls that change the disk: outputs are written only by server/src/files/write.ts. */
const DISK_WRITES =
  '^(appendFile|copyFile|cp|createWriteStream|link|mkdir|mkdtemp|rename|rm|rmdir|symlink|truncate|unlink|writeFile|write)(Sync)?$';
const WRITES_MESSAGE =
  'writes-only-in-files-write: outputs are written whole or not at all, only by server/src/files/write.ts (ARCHITECTURE.md, Invariants).';
const WRITES_ELSEWHERE = [
  {
    selector: `ImportDeclaration[source.value=/^(node:)?fs/] ImportSpecifier[imported.name=/${DISK_WRITES}/]`,
    message: WRITES_MESSAGE,
  },
  { selector: `MemberExpression[object.name='fs'][property.name=/${DISK_WRITES}/]`, message: WRITES_MESSAGE },
];

/**
 * Each layer's folders, written once in .dependency-cruiser.cjs. The engine may not touch `process`:
 * no environment, working folder or exit code decides what it answers (ARCHITECTURE.md, Layers).
 */
const { engine: ENGINE } = createRequire(import.meta.url)('./.dependency-cruiser.cjs');
const ENGINE_FILES = ENGINE.map((folder) => `server/src/${folder}/**/*.ts`);
const PROCESS_MESSAGE =
  'engine-asks-nothing-of-the-process: the engine is given what it needs by a front end (ARCHITECTURE.md, Layers).';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test/fixtures/**',
      'schemas/**',
      'server/src/schema/validators.generated.ts',
      'examples/**',
      '.e2e/**',
      '.bench/**',
      '.cache/**',
      '.scratch/**',
      'test-results/**',
      'fuzz-failures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'prefer-const': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Rethrowing what a catch caught is fine; throwing a string or a plain object is not.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Control-flow signals of the parsers: thrown and caught in the same file, no stack trace wanted.
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'file', name: ['TooDeep', 'ParseFailure', 'Stop'] }] },
      ],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...SILENT_CATCHES],
      // An async function without await is how a promise-returning interface is kept uniform
      // (subcommands, request handlers, test callbacks); the promise bugs are no-floating-promises'
      // and no-misused-promises'.
      '@typescript-eslint/require-await': 'off',
      // Tidiness, not bugs: `eslint --fix` removes today's redundant assertions in one go; turn it on
      // with the formatting pass, which touches every file anyway.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['server/src/**/*.ts', 'client/src/**/*.ts'],
    ignores: ['server/src/files/write.ts'],
    rules: { 'no-restricted-syntax': ['error', ...SILENT_CATCHES, ...WRITES_ELSEWHERE] },
  },
  { files: ['server/src/**/*.ts'], rules: { 'no-console': 'error' } },
  {
    files: ENGINE_FILES,
    rules: { 'no-restricted-globals': ['error', { name: 'process', message: PROCESS_MESSAGE }] },
  },
  {
    // Tests poke at parsed JSON and protocol messages on purpose, write expected output with its
    // spaces as printed, and load some modules late (in the one test that needs them, or after
    // preparing what the module reads when it loads).
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-regex-spaces': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The launchers in bin/ and the dependency-cruiser configuration are CommonJS.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
