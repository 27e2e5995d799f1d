// `tsq migrate PATH... --out DIR` as an admin runs it on a folder of MDT task sequences: copies
// written beside nothing they came from, the report (text, JSON, Markdown) and its exit codes,
// and on every MDT and PSD sample export (test/helpers/outside-samples.ts): the copy lints with no errors but those
// the report names, simulates on a machine profile once those are answered, and exports to
// ConfigMgr XML whose only MDT (BDD_*) steps are the ones the report says are kept.
// MDT is retired: https://learn.microsoft.com/troubleshoot/windows-server/deployment/deployment-toolkit-support

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tsq, inTempDir } from '../helpers/cli';
import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { walk, type SequenceModel, type StepNode } from '../../server/src/model/sequence';
import { stepEdit } from '../../server/src/migrate/step-text';
import { EVERY_MDT_STEP } from './mdt-fixtures';
import { yaml } from '../helpers/lint';
import { SAMPLES_DIR } from '../helpers/outside-samples';

// Needed, not optional: the test fails (never skips) when they are missing.
const SAMPLES = path.join(SAMPLES_DIR, 'xml');

interface JsonReport {
  steps: { file: string; path: string; name: string; from: string; to: string; status: string; reason: string }[];
  sequences: {
    file: string;
    out: string;
    name: string;
    counts: Record<string, number>;
    problems: { line: number; code: string; message: string }[];
    scripts: { name: string }[];
    variables: { name: string }[];
  }[];
}

const CATALOG = yaml(
  'catalog: Lab',
  'packages:',
  '  - { id: CM100010, name: MDT toolkit }',
  '  - { id: CM100077, name: Scripts }',
);

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

describe('tsq migrate on a folder', () => {
  test('writes migrated copies at the same paths, copies the catalog, leaves the originals, exit 1 while steps are left', async () => {
    await inTempDir(async (dir) => {
      const src = path.join(dir, 'mdt');
      write(src, { 'client/template.tsq.yaml': EVERY_MDT_STEP, 'catalog.tsq.yaml': CATALOG });
      const r = await tsq('migrate', src, '--out', path.join(dir, 'native'), '--format', 'json');
      assert.equal(r.code, 1, r.err);
      assert.equal(fs.readFileSync(path.join(src, 'client/template.tsq.yaml'), 'utf8'), EVERY_MDT_STEP);
      assert.equal(fs.readFileSync(path.join(dir, 'native/catalog.tsq.yaml'), 'utf8'), CATALOG);
      const copy = fs.readFileSync(path.join(dir, 'native/client/template.tsq.yaml'), 'utf8');
      assert.match(copy, /action: CheckReadiness/);
      const report = JSON.parse(r.out) as JsonReport;
      assert.equal(report.steps.length, 20);
      for (const s of report.steps)
        assert.ok(
          ['migrated', 'review', 'kept'].includes(s.status) && s.reason && s.from && s.to && s.path && s.name,
          JSON.stringify(s),
        );
      assert.equal(report.sequences[0].out, path.join(dir, 'native/client/template.tsq.yaml'));
    });
  });

  test('exit 0 when every MDT step is migrated; text and Markdown say so', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'in/t.tsq.yaml': yaml(
          'sequence: T',
          'steps:',
          '  - name: Use Toolkit Package',
          '    action: UseToolkitPackage',
          '  - name: Validate',
          '    action: Validate',
          '    with: { imageMemory: 2048, imageProcessorSpeed: 800, imageSize: 10000, verifyOs: CLIENT }',
        ),
      });
      const text = await tsq('migrate', path.join(dir, 'in'), '--out', path.join(dir, 'out'));
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /2 migrated, 0 to review, 0 kept/);
      const md = await tsq(
        'migrate',
        path.join(dir, 'in/t.tsq.yaml'),
        '--out',
        path.join(dir, 'out'),
        '--format',
        'md',
        '--force',
      );
      assert.equal(md.code, 0, md.err);
      assert.match(md.out, /^# MDT migration report/);
      assert.match(md.out, /\| Validate \| Validate \(MDT step\) \| Check Readiness \| migrated \|/);
    });
  });

  test('never writes over an original, through a link, or over files without --force', async () => {
    await inTempDir(async (dir) => {
      write(dir, { 'in/t.tsq.yaml': EVERY_MDT_STEP });
      const same = await tsq('migrate', path.join(dir, 'in'), '--out', path.join(dir, 'in'), '--force');
      assert.equal(same.code, 2);
      assert.match(same.err, /never writes an output over its input/);
      assert.equal(fs.readFileSync(path.join(dir, 'in/t.tsq.yaml'), 'utf8'), EVERY_MDT_STEP);
      fs.mkdirSync(path.join(dir, 'elsewhere'));
      fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'link'));
      const link = await tsq('migrate', path.join(dir, 'in'), '--out', path.join(dir, 'link'));
      assert.equal(link.code, 2);
      assert.match(link.err, /symbolic link/);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'elsewhere')), []);
      assert.equal((await tsq('migrate', path.join(dir, 'in'), '--out', path.join(dir, 'out'))).code, 1);
      const again = await tsq('migrate', path.join(dir, 'in'), '--out', path.join(dir, 'out'));
      assert.equal(again.code, 2);
      assert.match(again.err, /already exist/);
    });
  });

  test('a folder search passes over .tsqignore entries and an output folder inside it; XML that is no sequence is skipped with a note', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'a.tsq.yaml': EVERY_MDT_STEP,
        'drafts/b.tsq.yaml': EVERY_MDT_STEP,
        '.tsqignore': 'drafts/\n',
        'unattend.xml': '<unattend xmlns="urn:schemas-microsoft-com:unattend"/>',
      });
      const first = await tsq('migrate', dir, '--out', path.join(dir, 'native'), '--format', 'json');
      assert.equal(first.code, 1, first.err);
      assert.match(first.err, /skipped .*unattend\.xml/);
      assert.deepEqual(
        (JSON.parse(first.out) as JsonReport).sequences.map((s) => path.basename(s.file)),
        ['a.tsq.yaml'],
      );
      const again = await tsq('migrate', dir, '--out', path.join(dir, 'native'), '--force', '--format', 'json');
      assert.equal(
        (JSON.parse(again.out) as JsonReport).sequences.length,
        1,
        'the copies in native/ are not migrated again',
      );
    });
  });

  test('usage problems: no --out, nothing to migrate, an unknown format', async () => {
    await inTempDir(async (dir) => {
      write(dir, { 'in/readme.txt': 'no sequences here' });
      assert.match((await tsq('migrate', path.join(dir, 'in'))).err, /--out DIR/);
      assert.match(
        (await tsq('migrate', path.join(dir, 'in'), '--out', path.join(dir, 'o'))).err,
        /No \*\.tsq\.yaml or task sequence XML/,
      );
      assert.equal(
        (await tsq('migrate', path.join(dir, 'in'), '--out', path.join(dir, 'o'), '--format', 'html')).code,
        2,
      );
      assert.equal(fs.existsSync(path.join(dir, 'o')), false);
    });
  });
});

/** Answers what the report asks for that lint calls an error (a missing option), as an admin would: with an example value. */
function answerMissingOptions(text: string, id: string): string {
  for (let round = 0; round < 50; round++) {
    const doc = parseDocument(id, text);
    const ws = new Workspace();
    ws.upsert(doc);
    const missing = analyzeDocument(ws, doc).find((d) => d.data?.fix === 'add-property');
    if (!missing || missing.data?.fix !== 'add-property') return text;
    const data = missing.data;
    const step = [...walk((doc.model as SequenceModel).steps)].find(
      (n): n is StepNode => n.kind === 'step' && n.span.start === data.stepStart,
    )!;
    const options = Object.fromEntries(step.options.map((o) => [o.name, o.value]));
    const edit = stepEdit(doc, step, {
      kind: 'replace',
      action: step.action,
      options: { ...options, [data.property]: /^\d+$/.test(data.example) ? Number(data.example) : data.example },
    })!;
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  throw new Error('missing options did not settle');
}

/** The errors `tsq lint` reports on a file, as `code: message`. */
async function errorsOf(file: string): Promise<string[]> {
  const lint = await tsq('lint', '--format', 'json', file);
  return (JSON.parse(lint.out) as { code: string; severity: string; message: string }[])
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code}: ${d.message}`);
}

/** The errors of a sample as `tsq import` gives it, before any migration (none for a file that is YAML already). */
async function errorsBeforeMigration(file: string, into: string): Promise<string[]> {
  if (!file.endsWith('.xml')) return [];
  assert.equal((await tsq('import', file, '--out', into)).code, 0);
  const out: string[] = [];
  for (const f of fs.readdirSync(into)) if (f.endsWith('.tsq.yaml')) out.push(...(await errorsOf(path.join(into, f))));
  return out;
}

const LAB_VM = yaml('machine: Lab VM', 'architecture: x64', 'firmware: uefi', 'startsIn: winpe', 'disk: raw');

describe('tsq migrate on the MDT and PSD samples', () => {
  test('each sample: the report names every lint error, the copy simulates once they are answered, and exports with only kept MDT steps', async (t) => {
    assert.ok(fs.existsSync(SAMPLES), `the sample exports must be at ${SAMPLES}`);
    const samples = fs
      .readdirSync(SAMPLES)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => path.join(SAMPLES, f));
    const mdt = samples.filter((f) => /BDD_|ZTI\w*\.wsf|%SCRIPTROOT%/i.test(fs.readFileSync(f, 'utf8')));
    assert.ok(mdt.length >= 4, `MDT and PSD samples: ${mdt.join(', ')}`);
    await inTempDir(async (dir) => {
      write(dir, { 'lab-vm.tsq.yaml': LAB_VM, 'every/template.tsq.yaml': EVERY_MDT_STEP });
      const r = await tsq(
        'migrate',
        ...mdt,
        path.join(dir, 'every'),
        '--out',
        path.join(dir, 'out'),
        '--format',
        'json',
      );
      assert.equal(r.code, 1, r.err);
      const report = JSON.parse(r.out) as JsonReport;
      assert.equal(report.sequences.length, mdt.length + 1);
      let simulated = 0;
      for (const s of report.sequences) {
        const where = `${path.basename(s.file)}`;
        assert.ok(s.counts.migrated + s.counts.review + s.counts.kept > 0, `${where}: some step depends on MDT`);
        // The copy lints with exactly the errors the report names.
        const lint = await tsq('lint', '--format', 'json', s.out);
        const errors = (JSON.parse(lint.out) as { line: number; code: string; severity: string }[]).filter(
          (d) => d.severity === 'error',
        );
        assert.deepEqual(
          errors.map((e) => `${e.line}:${e.code}`),
          s.problems.map((p) => `${p.line}:${p.code}`),
          where,
        );
        // ConfigMgr XML with no MDT step but those kept.
        const xmlOut = path.join(dir, `${path.basename(s.out, '.tsq.yaml')}.xml`);
        const exported = await tsq('export', s.out, '--format', 'xml', '--out', xmlOut);
        assert.equal(exported.code, 0, `${where}: ${exported.err}`);
        const kept = new Set(report.steps.filter((x) => x.file === s.file && x.status === 'kept').map((x) => x.name));
        const xml = fs.readFileSync(xmlOut, 'utf8');
        for (const m of xml.matchAll(/<step type="(BDD_\w+)" name="([^"]*)"/g))
          assert.ok(
            kept.has(m[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&')),
            `${where}: ${m[1]} “${m[2]}” is exported but the report does not keep it`,
          );
        // Once the options the report asks for are given, the copy simulates on a machine profile.
        const answered = path.join(path.dirname(s.out), 'answered.tsq.yaml');
        fs.writeFileSync(answered, answerMissingOptions(fs.readFileSync(s.out, 'utf8'), answered));
        const before = await errorsBeforeMigration(s.file, path.join(dir, 'imported', path.basename(s.file)));
        if (before.length) {
          // A sample that was already broken before migration (forevanyeung's lists every step type in
          // one run): migration adds no error of its own.
          const after = await errorsOf(answered);
          assert.deepEqual(
            after.filter((e) => !before.includes(e)),
            [],
            where,
          );
          continue;
        }
        const sim = await tsq('simulate', '--machine', path.join(dir, 'lab-vm.tsq.yaml'), '--format', 'json', answered);
        assert.notEqual(sim.code, 2, `${where}: ${sim.err}`);
        assert.ok((JSON.parse(sim.out) as { steps: unknown[] }).steps.length > 0, where);
        simulated++;
      }
      assert.ok(simulated >= report.sequences.length - 1, `simulated ${simulated} of ${report.sequences.length}`);
      const counts = report.sequences.map(
        (s) =>
          `${path.basename(s.file)}: ${s.counts.migrated} migrated, ${s.counts.review} review, ${s.counts.kept} kept`,
      );
      t.diagnostic(counts.join('\n'));
    });
  });
});
