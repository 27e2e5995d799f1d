// The checks `npm run lint` makes with ESLint (eslint.config.mjs) that ARCHITECTURE.md names for its
// invariants: a catch that swallows an error is refused everywhere (no-silent-catch), node's
// disk-writing calls are refused in server/src and client/src except in files/write.ts
// (writes-only-in-files-write), and the engine may not touch `process`
// (engine-asks-nothing-of-the-process). Each rule is taken from the configuration as ESLint
// computes it for a path, then run on a probe.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';

const root = path.join(__dirname, '../../..');

const PROBE = `import * as fs from 'node:fs';
import { writeFileSync } from 'node:fs';
export const write = writeFileSync;
export const move = (): void => fs.renameSync('a', 'b');
export function list(): string[] {
  try {
    return fs.readdirSync('.');
  } catch {
    return [];
  }
}
export function nothing(): void {
  try {
    list();
  } catch {}
}
`;

const PROCESS_PROBE = `export const home = process.env.HOME;
export const here = (): string => process.cwd();
`;

/** The probe's findings (`line rule (check)`) under the rules ESLint's configuration gives `file`. */
async function findings(file: string, rules: string[], probe = PROBE): Promise<string[]> {
  const { ESLint, Linter } = await import('eslint');
  const { parser } = (await import('typescript-eslint')).default;
  const config = (await new ESLint({ cwd: root }).calculateConfigForFile(file)) as { rules: Record<string, unknown> };
  const chosen = Object.fromEntries(
    rules.filter((r) => config.rules[r] !== undefined).map((r) => [r, config.rules[r]]),
  );
  const messages = new Linter().verify(
    probe,
    [{ files: ['**/*.ts'], languageOptions: { parser }, rules: chosen as never }],
    { filename: file },
  );
  return messages.map((m) => {
    // The check's name opens the configured message (ESLint may put its own words before it).
    const check = /(?:^|\. )([a-z]+(?:-[a-z]+)+): /.exec(m.message)?.[1];
    return `${m.line} ${m.ruleId}${check ? ` (${check})` : ''}`;
  });
}

describe('the lint rules behind the invariants', () => {
  test('in a front end, disk writes and a catch that hides its error are refused', async () => {
    assert.deepEqual(await findings('server/src/cli/probe.ts', ['no-restricted-syntax', 'no-empty']), [
      '2 no-restricted-syntax (writes-only-in-files-write)',
      '4 no-restricted-syntax (writes-only-in-files-write)',
      '9 no-restricted-syntax (no-silent-catch)',
      '15 no-empty',
    ]);
  });

  test('files/write.ts may write; it may not hide errors either', async () => {
    assert.deepEqual(await findings('server/src/files/write.ts', ['no-restricted-syntax', 'no-empty']), [
      '9 no-restricted-syntax (no-silent-catch)',
      '15 no-empty',
    ]);
  });

  test('the VS Code client writes through files/write.ts too', async () => {
    assert.deepEqual(await findings('client/src/probe.ts', ['no-restricted-syntax']), [
      '2 no-restricted-syntax (writes-only-in-files-write)',
      '4 no-restricted-syntax (writes-only-in-files-write)',
      '9 no-restricted-syntax (no-silent-catch)',
    ]);
  });

  test('in the engine, `process` is refused; a front end may read it', async () => {
    assert.deepEqual(await findings('server/src/semantics/probe.ts', ['no-restricted-globals'], PROCESS_PROBE), [
      '1 no-restricted-globals (engine-asks-nothing-of-the-process)',
      '2 no-restricted-globals (engine-asks-nothing-of-the-process)',
    ]);
    assert.deepEqual(await findings('server/src/cli/probe.ts', ['no-restricted-globals'], PROCESS_PROBE), []);
  });
});
