// What an admin sees after `tsq import` of each real sequence among the public samples (the XML
// files in SAMPLES_DIR) and `tsq lint` of the result: ConfigMgr runs these sequences as they are,
// so tsq must not call anything in them an error that is not one. Every finding is listed here
// with the reason it is real; a new finding fails the test until it is classified. The samples
// must be there: without them the test fails rather than passing on nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inTempDir, tsq } from '../helpers/cli';
import { SAMPLES_DIR } from './helpers';

interface Finding {
  file: string;
  line: number;
  severity: string;
  code: string;
  message: string;
}

const CONFIGMGR_SAMPLE = 'forevanyeung-tasksequences-RSC002A6-sequence.xml';

/**
 * The console export is a catalogue of every step type, grouped by kind rather than in running
 * order: after its Restart Computer into Windows PE, the full-OS steps really cannot run, and
 * after Prepare Windows for Capture (which restarts into Windows PE) neither can these two.
 * https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps gives each step's
 * environment ("This step runs only in the full OS. It doesn't run in Windows PE.").
 */
const REAL_ENVIRONMENT_ERRORS = [
  'Install Application',
  'Install Package',
  'Install Software Updates',
  'Enable BitLocker',
  'Disable BitLocker',
  'Restore User State',
  'Install Language Packs Online',
  'Capture Network Settings',
];

function classify(f: Finding, sample: string): string | undefined {
  if (f.code === 'missing-secret' && f.severity === 'information') return 'exports never carry passwords';
  if (f.code === 'mdt-dependency' && (f.severity === 'information' || f.severity === 'hint'))
    return 'a step that needs the retired MDT (docs/migrating-from-mdt.md)';
  if (sample === CONFIGMGR_SAMPLE && f.code === 'run-environment') {
    if (f.severity === 'error' && REAL_ENVIRONMENT_ERRORS.some((step) => f.message.startsWith(`${step} runs only in`)))
      return 'a step placed where it cannot run';
    if (f.severity === 'warning' && f.message.includes('documentation says Release State Store runs in the full OS'))
      return 'documented environment differs from the export';
  }
  return undefined;
}

async function importAndLint(dir: string, sample: string): Promise<Finding[]> {
  const out = path.join(dir, sample.replace(/\.xml$/, ''));
  const imported = await tsq('import', path.join(SAMPLES_DIR, sample), '--out', out);
  assert.equal(imported.code, 0, imported.err);
  const linted = await tsq('lint', '--format', 'json', out);
  return JSON.parse(linted.out) as Finding[];
}

describe('imports of the public samples lint without false findings', () => {
  test('the samples are there', () => {
    assert.ok(fs.existsSync(SAMPLES_DIR), `the public samples are missing: ${SAMPLES_DIR}`);
    assert.ok(
      fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.xml')).length >= 5,
      'at least five sample sequences',
    );
  });

  const samples = fs.existsSync(SAMPLES_DIR)
    ? fs
        .readdirSync(SAMPLES_DIR)
        .filter((f) => f.endsWith('.xml'))
        .sort()
    : [];
  for (const sample of samples) {
    test(`${sample}: every finding after import is a real one`, () =>
      inTempDir(async (dir) => {
        const findings = await importAndLint(dir, sample);
        const unexplained = findings
          .filter((f) => !classify(f, sample))
          .map((f) => `${path.basename(f.file)}:${f.line} ${f.severity} ${f.code}: ${f.message}`);
        assert.deepEqual(unexplained, []);
      }));
  }

  test('the console export: its real environment errors are found, and Capture Operating System Image after Prepare Windows for Capture is not one', () =>
    inTempDir(async (dir) => {
      const errors = (await importAndLint(dir, CONFIGMGR_SAMPLE)).filter((f) => f.severity === 'error');
      const steps = errors.map((f) =>
        REAL_ENVIRONMENT_ERRORS.find((step) => f.message.startsWith(`${step} runs only in`)),
      );
      assert.deepEqual(steps, REAL_ENVIRONMENT_ERRORS);
      assert.ok(!errors.some((f) => f.message.startsWith('Capture Operating System Image')));
    }));

  test('imported side by side in one workspace, no sample’s partial catalog turns another’s references into errors', () =>
    inTempDir(async (dir) => {
      for (const sample of samples)
        assert.equal(
          (await tsq('import', path.join(SAMPLES_DIR, sample), '--out', path.join(dir, sample.replace(/\.xml$/, ''))))
            .code,
          0,
        );
      const findings = JSON.parse((await tsq('lint', '--format', 'json', dir)).out) as Finding[];
      const unexplained = findings
        .filter((f) => !classify(f, path.basename(path.dirname(f.file)) + '.xml'))
        .map((f) => `${f.file}:${f.line} ${f.code}: ${f.message}`);
      assert.deepEqual(unexplained, []);
    }));
});
