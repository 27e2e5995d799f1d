// How long step and group names and descriptions may be, as Microsoft documents it: the console's
// task sequence editor takes names of at most 50 and descriptions of at most 256 characters
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps, "Properties for
// all steps"), while ConfigMgr's WMI classes hold names of 1–100 and descriptions of 0–255
// (https://learn.microsoft.com/mem/configmgr/develop/reference/osd/sms_tasksequence_step-server-wmi-class).
// An imported sequence with longer names runs: a warning; only past what WMI holds, an error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, lint, yaml } from '../helpers/lint';
import { shortened } from '../../server/src/analysis/rules/name-length';

const seq = (...steps: string[]) => ({ 'a.tsq.yaml': yaml('sequence: Imported', 'steps:', ...steps) });
const words = (n: number) =>
  'Install the line-of-business applications for the finance department and more'.padEnd(n, '!').slice(0, n);

describe('name-length', () => {
  test('a 50-character step name is fine; 51 is a warning that names the console editor and says ConfigMgr holds 100', () => {
    assert.deepEqual(findings('name-length', seq(`  - name: ${words(50)}`, '    run: x.cmd')), []);
    const [f, ...rest] = findings('name-length', seq(`  - name: ${words(51)}`, '    run: x.cmd'));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.equal(f.text, words(51));
    assert.equal(
      f.message,
      "This step name is 51 characters long; the console's task sequence editor takes at most 50.",
    );
    assert.match(f.hint!, /ConfigMgr stores and runs names of up to 100 characters/);
    assert.match(f.hint!, /https:\/\/learn\.microsoft\.com\/mem\/configmgr\/osd\/understand\/task-sequence-steps/);
    assert.match(f.hint!, /sms_tasksequence_step-server-wmi-class/);
  });

  test('100 characters is still only a warning; 101 is an error, because WMI holds no more', () => {
    assert.equal(findings('name-length', seq(`  - name: ${words(100)}`, '    run: x.cmd'))[0].severity, 'warning');
    const [f] = findings('name-length', seq(`  - name: ${words(101)}`, '    run: x.cmd'));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /is 101 characters long; ConfigMgr holds at most 100/);
  });

  test('group names follow the same limits', () => {
    const [f] = findings(
      'name-length',
      seq(`  - group: ${words(60)}`, '    steps:', '      - name: A', '        run: x.cmd'),
    );
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /^This group name is 60 characters long/);
  });

  test('the schema rule no longer calls a 51-character name an error', () => {
    const all = lint(seq(`  - name: ${words(70)}`, '    run: x.cmd'));
    assert.deepEqual(
      all.filter((f) => f.severity === 'error'),
      [],
    );
  });

  test('descriptions: 255 fine, 256 a warning (editor and WMI disagree), 257 an error', () => {
    const desc = (n: number) => seq('  - name: A', '    run: x.cmd', `    description: ${'d'.repeat(n)}`);
    assert.deepEqual(findings('name-length', desc(255)), []);
    assert.equal(findings('name-length', desc(256))[0].severity, 'warning');
    const [f] = findings('name-length', desc(257));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /257 characters long; ConfigMgr holds at most 255/);
  });

  test('the quick fix offers the name cut to 50 characters, without trailing blanks or half a surrogate pair', () => {
    const [f] = findings('name-length', seq(`  - name: "${words(49)} and then some more"`, '    run: x.cmd'));
    assert.deepEqual(f.data, { fix: 'replace', candidates: [words(49)] });
    assert.equal(shortened(`${'a'.repeat(49)}😀tail`, 50), 'a'.repeat(49));
  });

  test('a name written as a block scalar gets no quick fix (a replacement there would change its layout)', () => {
    const [f] = findings('name-length', seq('  - name: >-', `      ${words(60)}`, '    run: x.cmd'));
    assert.equal(f.data, undefined);
  });
});
