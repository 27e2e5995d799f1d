// Threat: a file that is wrong everywhere — a bad search-and-replace, a generated file, or an
// attacker's text — made the schema check's time grow faster than the number of errors, found by
// `npm run fuzz`'s hostile texts: 25,000 steps each with an invalid `timeout:` (1 MB, no alias)
// took `tsq lint` 7 s, and 30,000 aliases to one such step (210 KB) 18 s, during which the
// language server did not answer. ajv concatenated the errors of the recursive step `$ref` at
// every level, and every error was compared with every "explained" error before it.
// Now the schema check validates one entry of `steps:` at a time (an alias to an entry already
// checked is not checked again), which keeps it linear, and each rule shows at most 100 findings
// per file, then one finding that counts the rest (server/src/analysis/finding-cap.ts says why
// 100). These tests pin what both front ends show; the times are in `npm run bench -- flood`.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { parseDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis } from '../../server/src/analysis/incremental';
import { capFindings, MAX_FINDINGS_PER_RULE } from '../../server/src/analysis/finding-cap';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';
import { schemaValidator } from '../../server/src/semantics/knowledge';
import { SchemaValidator } from '../../server/src/schema/validate';
import { compiledAtRunTime } from '../../server/src/schema/compile';
import { allSteps } from '../../server/src/catalog';
import type { StepDefinition } from '../../server/src/catalog/types';
import { LineMap } from '../../server/src/model/text';
import { aliasFloodSequence, timeoutFloodSequence } from '../../bench/generate';
import { TestClient } from '../lsp/client';
import { finished, findings, fromEditor, fromLint, hostileFolder, runTsq, type Folder } from './helpers';

const TIMEOUT_MESSAGE =
  '`timeout` must be minutes as a number, or a duration such as `90s`, `15m` or `2h`; it is the text `soon`.';
const BUDGET_MESSAGE = /^Aliases in this file expand to more than 200,000 values/;
const more = (n: number, code: string) =>
  `${n.toLocaleString('en-US')} more \`${code}\` findings from here to the end of the file are not shown: tsq shows the first ${MAX_FINDINGS_PER_RULE} of each check in a file.`;

const TIMEOUTS = timeoutFloodSequence(25_000);
const ALIASES = aliasFloodSequence(30_000);

function analyse(
  text: string,
  options: Parameters<typeof analyzeDocument>[2] = {},
): { diagnostics: Diagnostic[]; lines: LineMap } {
  const doc = parseDocument('/flood/file.tsq.yaml', text);
  const ws = new Workspace();
  ws.upsert(doc);
  return { diagnostics: analyzeDocument(ws, doc, options), lines: new LineMap(text) };
}

/** 1-based line of each finding. */
const linesOf = (list: Diagnostic[], lines: LineMap) => list.map((d) => lines.positionAt(d.start).line + 1);

describe('the schema check of a file with an error in every step', () => {
  test('still finds every error, one per step, each on its own `timeout:` value', () => {
    const doc = parseDocument('/flood/file.tsq.yaml', TIMEOUTS);
    const issues = schemaValidator().validate(doc);
    assert.equal(issues.length, 25_000);
    assert.ok(issues.every((i) => i.message === TIMEOUT_MESSAGE && TIMEOUTS.slice(i.start, i.end) === 'soon'));
    assert.equal(new Set(issues.map((i) => i.start)).size, 25_000);
  });

  test('reports the error of a step that aliases repeat once, at the anchor, not once per alias', () => {
    const doc = parseDocument('/flood/file.tsq.yaml', ALIASES);
    const issues = schemaValidator().validate(doc);
    const timeouts = issues.filter((i) => i.message === TIMEOUT_MESSAGE);
    assert.equal(timeouts.length, 1);
    assert.equal(new LineMap(ALIASES).positionAt(timeouts[0].start).line + 1, 3);
    // Aliases past the expansion budget stand for nothing: each is an empty step, said where it is.
    const cutAt = doc.budget.errors[0].start;
    const empty = issues.filter((i) => i !== timeouts[0]);
    assert.ok(empty.length > 0);
    assert.ok(
      empty.every(
        (i) =>
          i.message === 'This value must be a mapping (`key: value` entries), not empty.' &&
          i.start >= cutAt &&
          ALIASES.slice(i.start, i.end) === '*bad',
      ),
    );
  });

  test('judges each step on its own: a wrong value one step may take in several forms hides no error of another step', () => {
    // Two actions with an option of the same name: a whole number in one, short text in the other.
    // A wrong number explains its own branch errors; it used to hide the other step's error too.
    const [a, b] = allSteps();
    const steps: StepDefinition[] = [
      {
        ...a,
        key: 'Counted',
        properties: [{ name: 'size', xmlProperty: 'Size', type: 'integer', minimum: 1, summary: 'How many.' }],
      },
      {
        ...b,
        key: 'Named',
        properties: [{ name: 'size', xmlProperty: 'Size', type: 'string', maxLength: 5, summary: 'A short name.' }],
      },
    ];
    const text =
      'sequence: Same option names\nsteps:\n  - name: One\n    action: Counted\n    with: { size: large }\n  - name: Two\n    action: Named\n    with: { size: far too long }\n';
    const issues = new SchemaValidator(steps, compiledAtRunTime(steps)).validate(
      parseDocument('/flood/file.tsq.yaml', text),
    );
    assert.deepEqual(
      issues.map((i) => text.slice(i.start, i.end)),
      ['large', 'far too long'],
    );
  });
});

describe('each rule shows at most 100 findings in a file, then one finding that counts the rest', () => {
  test('25,000 bad timeouts: the first 100, then one finding at the 101st that counts the 24,900 others', () => {
    const { diagnostics, lines } = analyse(TIMEOUTS);
    assert.equal(diagnostics.length, MAX_FINDINGS_PER_RULE + 1);
    assert.ok(diagnostics.slice(0, 100).every((d) => d.code === 'schema' && d.message === TIMEOUT_MESSAGE));
    assert.deepEqual(
      linesOf(diagnostics, lines),
      Array.from({ length: 101 }, (_, i) => i + 3),
    );
    const closing = diagnostics[100];
    assert.deepEqual(
      {
        code: closing.code,
        severity: closing.severity,
        message: closing.message,
        at: TIMEOUTS.slice(closing.start, closing.end),
      },
      { code: 'schema', severity: 'error', message: more(24_900, 'schema'), at: 'soon' },
    );
    assert.ok(closing.hint);
  });

  test('30,000 aliases: the one bad timeout, the budget, the first 100 empty steps past it and a count of the others', () => {
    const { diagnostics } = analyse(ALIASES);
    assert.equal(diagnostics.filter((d) => d.message === TIMEOUT_MESSAGE).length, 1);
    assert.equal(diagnostics.filter((d) => BUDGET_MESSAGE.test(d.message)).length, 1);
    const schema = diagnostics.filter((d) => d.code === 'schema');
    assert.equal(schema.length, MAX_FINDINGS_PER_RULE + 1);
    assert.match(schema[100].message, /^1,330 more `schema` findings from here to the end of the file are not shown/);
  });

  test('every rule has its own cap and its own closing finding; a rule under the cap is untouched', () => {
    let text = 'sequence: Two floods\nsteps:\n';
    for (let i = 0; i < 150; i++) text += `  - { name: Step ${i}, action: NoSuchAction, timeout: soon }\n`;
    text += '  - { name: Last, run: setup.cmd, description: ' + 'x'.repeat(300) + ' }\n';
    const { diagnostics } = analyse(text);
    const byCode = (code: string) => diagnostics.filter((d) => d.code === code);
    assert.equal(byCode('unknown-action').length, 101);
    assert.equal(byCode('unknown-action')[100].message, more(50, 'unknown-action'));
    // 150 bad timeouts: the 101st finding of `schema` counts 50. The description too long is
    // name-length's one finding, under its own cap and untouched.
    assert.equal(byCode('schema').length, 101);
    assert.equal(byCode('schema')[100].message, more(50, 'schema'));
    assert.equal(byCode('name-length').length, 1);
    const fixed = analyse(text.replace(/timeout: soon/g, 'timeout: 5m')).diagnostics;
    assert.deepEqual(
      fixed.filter((d) => d.code === 'schema' || d.code === 'name-length').map((d) => d.code),
      ['name-length'],
    );
  });

  test('exactly 100 findings of a rule are all shown, without a closing finding', () => {
    const { diagnostics } = analyse(timeoutFloodSequence(100));
    assert.equal(diagnostics.length, 100);
    assert.ok(diagnostics.every((d) => d.message === TIMEOUT_MESSAGE));
  });

  test('findings silenced by a comment or turned off do not count', () => {
    const suppressed = timeoutFloodSequence(101).replace(
      '  - { name: Step 7,',
      '  # tsq-disable-next-line schema\n  - { name: Step 7,',
    );
    assert.ok(analyse(suppressed).diagnostics.every((d) => d.message === TIMEOUT_MESSAGE));
    assert.equal(analyse(suppressed).diagnostics.length, 100);
    assert.deepEqual(analyse(TIMEOUTS, { severity: { schema: 'off' } }).diagnostics, []);
    const lowered = analyse(TIMEOUTS, { severity: { schema: 'warning' } }).diagnostics;
    assert.deepEqual([lowered.length, lowered[100].severity], [101, 'warning']);
  });

  test('the closing finding is as severe as the most severe finding it hides, so the error count never drops to none', () => {
    const finding = (start: number, severity: Diagnostic['severity']): Diagnostic => ({
      docId: 'f',
      start,
      end: start + 1,
      severity,
      code: 'some-rule',
      message: `at ${start}`,
    });
    const list = [
      ...Array.from({ length: 101 }, (_, i) => finding(i, 'warning')),
      finding(101, 'error'),
      finding(102, 'hint'),
    ];
    const capped = capFindings(list);
    assert.equal(capped.length, 101);
    assert.deepEqual(
      [capped[100].start, capped[100].severity, capped[100].message],
      [100, 'error', more(3, 'some-rule')],
    );
  });

  test('typing gives what reading the file again gives: fixing one of the first 100 brings the 101st into view', () => {
    const text = timeoutFloodSequence(25_000);
    let doc = parseDocument('/flood/file.tsq.yaml', text);
    const ws = new Workspace();
    ws.upsert(doc);
    const analysis = new IncrementalAnalysis();
    analysis.analyze(ws, doc);
    const at = text.indexOf('timeout: soon') + 'timeout: '.length;
    const edit = { start: at, end: at + 'soon'.length, text: '15m' };
    const next = text.slice(0, at) + '15m' + text.slice(edit.end);
    const update = updateDocument(doc, edit, next, 2);
    assert.ok(update.change, 'the edit is carried through incrementally');
    const previous = doc;
    doc = update.doc;
    ws.upsert(doc);
    const typed = analysis.analyze(ws, doc, {}, { previous, change: update.change });
    const fresh = parseDocument('/flood/file.tsq.yaml', next);
    const freshWs = new Workspace();
    freshWs.upsert(fresh);
    const read = analyzeDocument(freshWs, fresh);
    assert.deepEqual(typed, read);
    const lines = new LineMap(next);
    assert.deepEqual(
      linesOf(typed, lines),
      Array.from({ length: 101 }, (_, i) => i + 4),
    );
    assert.equal(typed[100].message, more(24_899, 'schema'));
  });
});

describe('both front ends show the same capped findings', () => {
  const clients: TestClient[] = [];
  const folders: Folder[] = [];
  after(async () => {
    for (const c of clients) await c.stop();
    for (const f of folders) f.dispose();
  });
  const folder = () => {
    const f = hostileFolder();
    folders.push(f);
    return f;
  };
  const uriOf = (file: string) => pathToFileURL(file).href;

  test('tsq lint prints the first 100 and the count, and exits 1', () => {
    const f = folder();
    f.write('timeouts.tsq.yaml', TIMEOUTS);
    const r = finished(runTsq(['lint', '--format', 'json', 'timeouts.tsq.yaml'], { cwd: f.dir }));
    assert.equal(r.code, 1, r.err);
    const found = findings(r);
    assert.equal(found.length, 101);
    assert.deepEqual(
      [found[100].line, found[100].code, found[100].severity, found[100].message],
      [103, 'schema', 'error', more(24_900, 'schema')],
    );
    const text = finished(runTsq(['lint', 'timeouts.tsq.yaml'], { cwd: f.dir }));
    assert.match(text.out, /24,900 more `schema` findings/);
  });

  test('the language server publishes what tsq lint prints, opened and after a typed fix, and logs no failure', async () => {
    const f = folder();
    const client = await TestClient.start({ folder: f.dir, settings: {} });
    clients.push(client);
    for (const [name, text] of [
      ['timeouts.tsq.yaml', TIMEOUTS],
      ['aliases.tsq.yaml', ALIASES],
    ]) {
      const uri = uriOf(f.path(name));
      await client.open(uri, text);
      const editor = fromEditor(await client.diagnosticsFor(uri, { version: 1, timeoutMs: 60_000 }));
      f.write(name, text);
      assert.deepEqual(editor, fromLint(name, f.dir), name);
      assert.equal(editor.length, name.startsWith('timeouts') ? 101 : 102);
    }
    // Typed: the first step's timeout fixed, carried through the incremental path.
    const uri = uriOf(f.path('timeouts.tsq.yaml'));
    const line = 2,
      character = TIMEOUTS.split('\n')[2].indexOf('soon');
    await client.change(uri, 2, [
      { range: { start: { line, character }, end: { line, character: character + 4 } }, text: '15m' },
    ]);
    const typed = fromEditor(await client.diagnosticsFor(uri, { version: 2, timeoutMs: 60_000 }));
    f.write('timeouts.tsq.yaml', TIMEOUTS.replace('timeout: soon', 'timeout: 15m'));
    assert.deepEqual(typed, fromLint('timeouts.tsq.yaml', f.dir));
    assert.match(typed[100].message, /^24,899 more `schema` findings/);
    assert.deepEqual(client.failures(), []);
  });
});
