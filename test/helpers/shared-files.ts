// Where the tests find the material kept beside the repository (the real exported sequences and
// the reference data), and the rule for it: a test that needs one of these files fails, naming
// the path, when it is missing. CI lays the folder beside every clone, so a missing file means a
// broken setup, never a reason to pass quietly.

import * as fs from 'node:fs';
import * as path from 'node:path';

// From out/test/<folder>, four levels up is the folder that holds the repository and shared/.
const SHARED_DIR = path.join(__dirname, '../../../../shared');

/** The path of `parts` below the shared folder; throws (so the test fails) when it is not there. */
export function sharedPath(...parts: string[]): string {
  const p = path.join(SHARED_DIR, ...parts);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: the tests that read the shared samples and reference need the shared folder beside the repository (CI lays it there).`);
  return p;
}
