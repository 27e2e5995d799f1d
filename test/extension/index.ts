// The entry point VS Code's test runner loads (extensionTestsPath): runs the extension tests one
// after another inside the extension host, logs each result, and fails when any test failed.

import { TESTS } from './suite';

const TIMEOUT_MS = 60_000;

export async function run(): Promise<void> {
  const failed: string[] = [];
  for (const t of TESTS) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        t.run(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`took longer than ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        }),
      ]);
      console.log(`ok - ${t.name}`);
    } catch (e) {
      failed.push(t.name);
      console.log(`not ok - ${t.name}\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  console.log(`${TESTS.length - failed.length} of ${TESTS.length} extension tests passed`);
  if (failed.length) throw new Error(`${failed.length} extension test(s) failed: ${failed.join('; ')}`);
}
