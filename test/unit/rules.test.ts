// The rule framework around the rules: what no text fixture can show (a file that is not text, a
// value longer than a fixture line should be), suppression comments, severity overrides, the rule
// list, and a rule that fails. What each rule reports is pinned down by its fixture in test/rules/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, lint, yaml } from '../helpers/lint';
import { ALL_RULES } from '../../server/src/analysis/rules';

const seq = (...steps: string[]) => yaml('sequence: Test', 'steps:', ...steps);

describe('findings no fixture can hold', () => {
  test('yaml-syntax: a file that cannot be decoded is reported instead of read', () => {
    const { documentFromBytes } =
      require('../../server/src/model/document') as typeof import('../../server/src/model/document');
    const doc = documentFromBytes('/x.tsq.yaml', new Uint8Array([0x73, 0x3a, 0x20, 0xff, 0xfe, 0x41]));
    assert.equal(doc.problems[0].code, 'unreadable-file');
    assert.match(doc.problems[0].message, /not valid UTF-8/);
  });
  test('invalid-value: a variable value over 4000 characters', () => {
    const long = 'x'.repeat(4001);
    const [f, ...rest] = findings('invalid-value', {
      'a.tsq.yaml': yaml('sequence: T', 'variables:', `  Big: ${long}`, 'steps: []'),
    });
    assert.equal(rest.length, 0);
    assert.match(f.message, /4001 characters long; a task sequence variable holds at most 4000/);
  });
});

describe('suppression comments', () => {
  const body = seq(
    '  - name: A',
    '    # tsq-disable-next-line unknown-action',
    '    action: Nope',
    '  - name: B',
    '    action: Nope2 # tsq-disable-line',
    '  - name: C',
    '    action: Nope3',
  );
  test('next-line and same-line comments silence findings; others stay', () => {
    assert.deepEqual(
      findings('unknown-action', { 'a.tsq.yaml': body }).map((f) => f.text),
      ['Nope3'],
    );
  });
  test('an unknown code in a suppression is reported', () => {
    const [f] = findings('suppression', {
      'a.tsq.yaml': seq('  - name: A', '    # tsq-disable-next-line broken-refrence', '    run: x.cmd'),
    });
    assert.match(f.message, /`broken-refrence` is not a tsq rule/);
  });
});

describe('severity overrides', () => {
  test('a rule can be turned off or lowered', () => {
    const files = { 'a.tsq.yaml': seq('  - name: A', '    action: Nope') };
    assert.deepEqual(
      lint(files, undefined, { severity: { 'unknown-action': 'off' } }).filter((f) => f.code === 'unknown-action'),
      [],
    );
    assert.equal(
      lint(files, undefined, { severity: { 'unknown-action': 'hint' } }).find((f) => f.code === 'unknown-action')!
        .severity,
      'hint',
    );
  });
});

describe('the rule list', () => {
  test('every rule has a unique code, a title and a description', () => {
    const codes = ALL_RULES.map((r) => r.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const r of ALL_RULES) {
      assert.match(r.code, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      assert.ok(r.title.length > 10, `${r.code}: the title says in one line what the rule catches`);
      assert.ok(
        r.description.length > 40,
        `${r.code}: the description says in a few sentences what the rule checks and why (docs/rules.md shows it)`,
      );
    }
  });
  test('a rule that throws does not stop the others', () => {
    const { analyzeDocument } =
      require('../../server/src/analysis/analyze') as typeof import('../../server/src/analysis/analyze');
    const { workspaceOf } = require('../helpers/lint') as typeof import('../helpers/lint');
    const ws = workspaceOf({ 'a.tsq.yaml': seq('  - name: A', '    action: Nope') });
    const doc = ws.get('/ws/a.tsq.yaml')!;
    const boom = {
      code: 'boom',
      defaultSeverity: 'error' as const,
      mostSevere: 'error' as const,
      title: 'explodes on purpose',
      description: 'a rule that always throws',
      kinds: ['any' as const],
      incremental: 'whole-file' as const,
      check() {
        throw new Error('kaboom');
      },
    };
    const out = analyzeDocument(ws, doc, { rules: [boom, ...ALL_RULES] });
    assert.ok(out.some((d) => d.code === 'internal-error' && /kaboom/.test(d.message)));
    assert.ok(out.some((d) => d.code === 'unknown-action'));
  });
});
