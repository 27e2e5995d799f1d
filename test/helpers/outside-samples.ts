// What tests read from outside the repository: ConfigMgr's exported sample sequences (interop,
// samples and end-to-end tests) and the reference lists of ConfigMgr's steps and variables (the
// catalog's coverage test), kept in a folder beside the checkout. A test that needs them skips,
// saying why, when they are missing; with TSQ_SAMPLES_REQUIRED=1 (.ci/run sets it) a missing
// folder fails the run instead, so CI cannot pass without having read them.

import * as fs from 'node:fs';
import * as path from 'node:path';

// From out/test/helpers, four levels up is the folder that holds the checkout and the samples.
const BESIDE_THE_CHECKOUT = path.join(__dirname, '../../../../shared');

/** ConfigMgr's exported sequences (XML, zip); `xml/` holds the sequence XML files. */
export const SAMPLES_DIR = path.join(BESIDE_THE_CHECKOUT, 'samples');
/** The reference lists of ConfigMgr's steps (`steps.json`) and variables (`variables.json`). */
export const REFERENCE_DIR = path.join(BESIDE_THE_CHECKOUT, 'reference');

/**
 * `false` when `files` all exist; otherwise why a test that needs them is skipped. Where they are
 * required (TSQ_SAMPLES_REQUIRED=1) a missing file throws instead, failing the test file.
 */
export function skipUnlessPresent(what: string, ...files: string[]): string | false {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return false;
  const why = `${what} ${missing.length === 1 ? 'is' : 'are'} not beside the checkout (${missing.join(', ')})`;
  if (process.env.TSQ_SAMPLES_REQUIRED === '1') throw new Error(`TSQ_SAMPLES_REQUIRED=1, but ${why}`);
  return why;
}
