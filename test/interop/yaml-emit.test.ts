// The YAML emitter writes what tsq's own parser reads back to the very same values: hand-picked
// strings that trip YAML writers (paths, %Variables%, leading dashes, `: ` and ` #`, quotes,
// numbers and booleans as text, YAML 1.1 words, line breaks, control characters) and a seeded
// random fuzz of nested documents. Readability choices are pinned too.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/model/yaml/parser';
import { ExpansionBudget, toJS } from '../../server/src/model/yaml/expand';
import { emitYaml, isPlainSafe } from '../../server/src/model/yaml/emit';

function readBack(text: string): unknown {
  const doc = parseYaml(text);
  assert.deepEqual(doc.errors, [], `the emitted YAML has errors:\n${text}`);
  return toJS(doc.root, new ExpansionBudget());
}

const TRICKY = [
  'C:\\Windows\\System32',
  '\\\\server\\share\\x.wim',
  '%OSDisk%',
  '%_SMSTSMachineName%\\x',
  '-SetupSet -SetupPassword x',
  'key: value',
  'a #comment',
  'ends with colon:',
  "it's",
  'say "hi"',
  '"quoted"',
  "'single'",
  '3',
  '3.0',
  '010',
  '0x1F',
  '1e3',
  '.5',
  'true',
  'False',
  'null',
  '~',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  '',
  ' leading',
  'trailing ',
  'two\nlines',
  'ends with newline\n',
  'tab\there',
  'bell\u0007',
  'nel\u0085',
  '[not a list]',
  '{not: a map}',
  '&anchor',
  '*alias',
  '!tag',
  '|pipe',
  '>fold',
  '@at',
  '`tick',
  '? question',
  '---',
  '...',
  '<<',
  'a, b',
  'über',
  '日本語',
  '😀 emoji',
  '10.0.00001',
  '5.10.1010.1010',
  '12:30',
  '0 3010',
  '=',
  'line1\n\nline3\n',
  '  indented\nblock',
  'cmd /c "a & b" 1>>x 2>>&1',
  '{  }',
  'a {  } b',
];

describe('YAML emitter', () => {
  test('every tricky string reads back unchanged as a value, a key and a list item', () => {
    for (const s of TRICKY) {
      const doc = { value: s, [s === '' ? 'empty' : s]: 1, list: [s, 'x'], flow: { a: s } };
      assert.deepEqual(readBack(emitYaml(doc)), doc, `round trip of ${JSON.stringify(s)}`);
    }
  });

  test('a seeded random fuzz of nested documents reads back unchanged', () => {
    let seed = 20240601;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
    const alphabet = [
      'a',
      'B',
      ' ',
      ':',
      '#',
      '-',
      '%',
      '\\',
      '"',
      "'",
      '\n',
      '\t',
      ',',
      '[',
      '{',
      '0',
      '1',
      '.',
      'é',
      '\u0001',
      '!',
      '&',
      '*',
      '|',
      '>',
    ];
    const str = () => Array.from({ length: Math.floor(rnd() * 12) }, () => pick(alphabet)).join('');
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.45)
        return pick([() => str(), () => Math.floor(rnd() * 1e6) - 5000, () => rnd() < 0.5, () => str()])();
      if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 4); i > 0; i--) o[str() || `k${i}`] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 400; i++) {
      const doc: Record<string, unknown> = { root: value(0), other: value(1) };
      assert.deepEqual(readBack(emitYaml(doc)), doc, `fuzz case ${i}:\n${emitYaml(doc)}`);
    }
  });

  test('reads like hand-written YAML: plain words, flow style for short mappings, literal blocks for text', () => {
    const text = emitYaml({
      sequence: 'Deploy',
      steps: [{ name: 'Run it', run: 'cmd.exe /c setup.cmd', with: { disk: 0, style: 'gpt' } }],
      script: 'line one\nline two\n',
    });
    assert.equal(
      text,
      [
        'sequence: Deploy',
        'steps:',
        '  - { name: Run it, run: cmd.exe /c setup.cmd, with: { disk: 0, style: gpt } }',
        'script: |',
        '  line one',
        '  line two',
        '',
      ].join('\n'),
    );
  });

  test('paths are single-quoted only when they must be quoted, variables double-quoted', () => {
    assert.equal(
      emitYaml({ a: 'C:\\Temp', b: '%OSDisk%\\Temp', c: '%OSDisk%' }),
      'a: C:\\Temp\nb: \'%OSDisk%\\Temp\'\nc: "%OSDisk%"\n',
    );
  });

  test('strings that would read as numbers, booleans or null are quoted, also for YAML 1.1 readers', () => {
    for (const s of ['3', '0.5', 'true', 'null', 'yes', 'off', '010', '1:30'])
      assert.equal(isPlainSafe(s, false), false, s);
    for (const s of ['Deploy Windows 11', 'RSC00237', 'LDAP://CN=x,DC=y']) assert.equal(isPlainSafe(s, false), true, s);
  });
});
