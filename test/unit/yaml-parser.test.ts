// The YAML reader: it must agree with the `yaml` package on valid documents, keep exact ranges,
// recover from mistakes with one message each, and survive hostile input quickly.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as YAML from 'yaml';
import { parseYaml } from '../../server/src/model/yaml/parser';
import { toJS, ExpansionBudget } from '../../server/src/model/yaml/expand';
import { findPair, type YMap, type YNode, type YSeq } from '../../server/src/model/yaml/nodes';
import { scalarSpan } from '../../server/src/model/yaml/sourcemap';

function value(src: string): unknown {
  return toJS(parseYaml(src).root, new ExpansionBudget());
}
function oracle(src: string): unknown {
  return YAML.parse(src, { merge: true });
}
function errorsOf(src: string) {
  return parseYaml(src).errors.filter((e) => e.severity !== 'warning');
}

describe('YAML reader agrees with the yaml package on valid documents', () => {
  const cases: Record<string, string> = {
    'scalars and core schema types':
      "a: 1\nb: two\nc: true\nd: ~\ne:\nf: 1.5\ng: \"q\\\"x\"\nh: 'it''s'\nn: -12\nhex: 0x1F\noct: 0o17\ninf: .inf\nexp: 1e3\nlead0: 012\n",
    'block sequences, nested and compact': '- a\n- b\n-\n- - x\n  - y\n- k: v\n  k2: v2\n',
    'a sequence at the same indentation as its key': 'steps:\n- a\n- b\nname: x\n',
    'flow collections inside blocks':
      'seq:\n  - name: A\n    with: { disk: 0, style: gpt }\n    list: [a, b, "c d", {x: 1}]\n',
    'literal block scalar': 'text: |\n  line1\n  line2\n\n  line4\nnext: 1\n',
    'folded block scalar with a more-indented line': 'text: >\n  folded\n  line\n\n  para\n    more\n  back\nnext: 1\n',
    'chomping indicators': 'keep: |+\n  a\n\n\nstrip: |-\n  b\n\nclip: |\n  c\n\n',
    'explicit indentation indicator': 'lit: |2\n    indented\n  base\n',
    'multi-line plain scalar': 'plain: this is\n  a multi line\n\n  plain\nx: y\n',
    'multi-line quoted scalars': 'dq: "a\n  b\n\n  c"\nsq: \'x\n  y\'\n',
    'merge keys': 'base: &b\n  a: 1\n  b: 2\nuse:\n  <<: *b\n  b: 3\n',
    'aliases of scalars': 'a: &x hello\nb: *x\nc: [*x, *x]\n',
    'comments everywhere': '# comment\nkey: value # trailing\n# end\n',
    'document markers': '---\na: 1\n...\n',
    'colons and backslashes in values': 'url: http://example.com/x\npath: C:\\Windows\\x\nq: "C:\\\\Windows"\n',
    'empty collections': 'empty: []\nemptym: {}\n',
    'quoted keys': '"quoted key": 1\n\'single\': 2\n',
    tags: 'a: !!str 123\nb: !!int "7"\n',
    escapes: 'dq: "\\x41\\u00e9\\n\\t"\n',
    'tricky plain scalars': 'tricky: a:b\nt2: a :b\nt3: -x\nt4: "#no"\nt5: a#b\n',
    'flow collection across lines': 'flow: [a,\n  b,\n  c]\nm: {a: 1,\n  b: 2}\n',
    'CRLF line ends': 'a: 1\r\nb:\r\n  - x\r\n  - y\r\n',
    'a typical sequence file':
      'sequence: Deploy Windows 11\nsteps:\n  - group: Install Windows\n    when: _SMSTSInWinPE == "true"\n    steps:\n      - name: Partition disk 0\n        action: FormatAndPartitionDisk\n        with: { disk: 0, partitionStyle: gpt }\n  - name: Run setup script\n    run: cmd.exe /c setup.cmd %OSDComputerName%\n    continueOnError: true\n',
  };
  for (const [name, src] of Object.entries(cases)) {
    test(name, () => {
      assert.deepEqual(errorsOf(src), []);
      assert.deepEqual(value(src), oracle(src));
    });
  }
});

describe('ranges', () => {
  const src = 'sequence: Demo\nsteps:\n  - name: "Apply"\n    with: { disk: 0 }\n';
  const root = parseYaml(src).root as YMap;

  test('keys and values have exact spans', () => {
    const seq = findPair(root, 'sequence')!;
    assert.equal(src.slice(seq.key.start, seq.key.end), 'sequence');
    assert.equal(src.slice(seq.value.start, seq.value.end), 'Demo');
  });

  test('quoted scalars span their quotes; flow values span their text', () => {
    const step = (findPair(root, 'steps')!.value as YSeq).items[0] as YMap;
    const name = findPair(step, 'name')!.value;
    assert.equal(src.slice(name.start, name.end), '"Apply"');
    const withMap = findPair(step, 'with')!.value as YMap;
    assert.equal(src.slice(withMap.start, withMap.end), '{ disk: 0 }');
    const disk = findPair(withMap, 'disk')!.value;
    assert.equal(src.slice(disk.start, disk.end), '0');
  });

  test('an offset inside a quoted, escaped string maps back to the file', () => {
    const s = 'run: "echo \\"%Name%\\""\n';
    const node = findPair(parseYaml(s).root as YMap, 'run')!.value;
    assert.equal(node.kind, 'scalar');
    if (node.kind !== 'scalar') return;
    const i = node.text.indexOf('%Name%');
    const span = scalarSpan(s, node, i, i + 6);
    assert.equal(s.slice(span.start, span.end), '%Name%');
  });

  test('an offset inside a literal block maps back to the file', () => {
    const s = 'run: |\n  first line\n  echo %Name%\n';
    const node = findPair(parseYaml(s).root as YMap, 'run')!.value;
    if (node.kind !== 'scalar') return assert.fail('expected a scalar');
    const i = node.text.indexOf('%Name%');
    const span = scalarSpan(s, node, i, i + 6);
    assert.equal(s.slice(span.start, span.end), '%Name%');
  });
});

describe('recovery: one message per mistake, the rest still read', () => {
  test('an over-indented line is reported once and its siblings survive', () => {
    const src = 'steps:\n  - name: A\n     action: X\n  - name: B\n';
    const doc = parseYaml(src);
    assert.equal(doc.errors.length, 1);
    assert.match(doc.errors[0].message, /indented more/);
    assert.equal(src.slice(doc.errors[0].start, doc.errors[0].end), 'action: X');
    assert.deepEqual(toJS(doc.root, new ExpansionBudget()), { steps: [{ name: 'A' }, { name: 'B' }] });
  });

  test('a line without a colon in a mapping is reported and skipped', () => {
    const doc = parseYaml('a: 1\nact\nb: 2\n');
    assert.equal(doc.errors.length, 1);
    assert.match(doc.errors[0].message, /Expected `key: value`/);
    assert.deepEqual(toJS(doc.root, new ExpansionBudget()), { a: 1, b: 2 });
  });

  test('an unclosed quote ends with its line instead of swallowing the file', () => {
    const doc = parseYaml('a: "open\nb: 2\nc: 3\n');
    assert.equal(doc.errors.length, 1);
    assert.match(doc.errors[0].message, /no closing/);
    assert.equal(doc.errors[0].start, 3);
    assert.deepEqual(toJS(doc.root, new ExpansionBudget()), { a: 'open', b: 2, c: 3 });
  });

  test('an unclosed bracket stops at the next less-indented line', () => {
    const doc = parseYaml('with: { disk: 0\nname: next\n');
    assert.equal(doc.errors.length, 1);
    assert.match(doc.errors[0].message, /never closed/);
    assert.deepEqual(toJS(doc.root, new ExpansionBudget()), { with: { disk: 0 }, name: 'next' });
  });

  test('a list on the same line as its key is reported', () => {
    const doc = parseYaml('key: - a\nnext: 1\n');
    assert.equal(doc.errors.length, 1);
    assert.match(doc.errors[0].message, /list cannot start on the same line/);
  });

  test('tabs in indentation are reported', () => {
    const doc = parseYaml('a:\n\tb: 1\n');
    assert.ok(doc.errors.some((e) => /Tabs/.test(e.message)));
  });

  test('duplicate keys are reported at the second key', () => {
    const src = 'a: 1\nb: 2\na: 3\n';
    const doc = parseYaml(src);
    assert.equal(doc.errors.length, 1);
    assert.equal(doc.errors[0].start, src.lastIndexOf('a'));
  });

  test('a second document is reported, not silently read', () => {
    const doc = parseYaml('a: 1\n---\nb: 2\n');
    assert.equal(doc.errors.length, 1);
    assert.match(doc.errors[0].message, /one YAML document/);
  });

  test('an alias to an unknown or enclosing anchor is an error, never a cycle', () => {
    assert.match(parseYaml('a: *nope\n').errors[0].message, /No anchor/);
    const doc = parseYaml('a: &x [1, *x]\n');
    assert.ok(doc.errors.some((e) => /No anchor/.test(e.message)));
    assert.deepEqual(toJS(doc.root, new ExpansionBudget()), { a: [1, null] });
  });
});

describe('hostile input', () => {
  test('10,000 levels of block nesting give one error quickly', () => {
    let src = '';
    for (let i = 0; i < 10000; i++) src += ' '.repeat(i) + `k${i}:\n`;
    const t = Date.now();
    const doc = parseYaml(src);
    assert.ok(Date.now() - t < 2000);
    assert.ok(doc.errors.some((e) => /nested deeper/.test(e.message)));
  });

  test('10,000 levels of flow nesting give one error quickly', () => {
    const src = 'a: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n';
    const t = Date.now();
    const doc = parseYaml(src);
    assert.ok(Date.now() - t < 2000);
    assert.ok(doc.errors.some((e) => /nested deeper/.test(e.message)));
  });

  test('exponentially expanding aliases are cut off with a message at the alias', () => {
    let src = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++)
      src += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const doc = parseYaml(src);
    const budget = new ExpansionBudget();
    const t = Date.now();
    toJS(doc.root, budget);
    assert.ok(Date.now() - t < 2000);
    assert.equal(budget.errors.length, 1);
    assert.match(budget.errors[0].message, /expand to more than/);
  });

  test('a list or mapping as a key is one error at the outermost key, and its pair is left out of the value', () => {
    const cases: Record<string, [string, string]> = {
      'a list in block context': ['[a, b]: 1\nc: 2\n', '[a, b]'],
      'a mapping in a flow mapping': ['c: { {a: 1}: 2 }\n', '{a: 1}'],
      'an alias to a list': ['l: &l [a]\n*l : 1\n', '*l'],
      'mappings as keys, 40 levels deep': [
        'c: ' + '{'.repeat(40) + 'a' + '}'.repeat(40) + '\n',
        '{'.repeat(39) + 'a' + '}'.repeat(39),
      ],
    };
    for (const [name, [src, key]] of Object.entries(cases)) {
      const errors = errorsOf(src);
      assert.deepEqual(
        errors.map((e) => src.slice(e.start, e.end)),
        [key],
        name,
      );
      assert.match(errors[0].message, /^A (list|mapping) cannot be a key in a tsq file\.$/, name);
    }
    assert.deepEqual(value('[a, b]: 1\nc: 2\n'), { c: 2 });
    assert.deepEqual(value('c: ' + '{'.repeat(40) + 'a' + '}'.repeat(40) + '\n'), { c: {} });
    assert.deepEqual(errorsOf('[ {a}, [b] ]\n'), [], 'lists and mappings as entries of a list are values, not keys');
  });

  test('a long text counts by its length in the expansion budget, a short one as one value', () => {
    const long = 'x'.repeat(64 * 100);
    const cutAt = (src: string) => {
      const budget = new ExpansionBudget(1000);
      toJS(parseYaml(src).root, budget);
      return budget.errors.map((e) => e.start);
    };
    const longTexts = `t: &t ${long}\nl: [${Array(10).fill('*t').join(', ')}]\n`;
    assert.deepEqual(
      cutAt(longTexts),
      [longTexts.lastIndexOf('*t')],
      '10 copies of 6,400 characters weigh 1,010 values',
    );
    assert.deepEqual(cutAt(`t: &t short\nl: [${Array(900).fill('*t').join(', ')}]\n`), []);
  });

  test('random bytes never make the reader throw', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = 'ab: -[]{},"\'#&*!|>%@`?\n\n    \t\\x';
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(rnd() * 80);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      assert.doesNotThrow(() => toJS(parseYaml(s).root, new ExpansionBudget()), JSON.stringify(s));
    }
  });
});

describe('differential fuzz against the yaml package', () => {
  test('1,500 random documents in every serialisation style read the same', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
    const words = [
      'a',
      'Name',
      'x y',
      'with: colon',
      'hash #x',
      "it's",
      'q"d',
      'true',
      '12',
      '1.5',
      'null',
      '',
      ' lead',
      'trail ',
      'multi\nline',
      '-dash',
      '- item',
      '%Var%',
      'C:\\Win',
      '[br]',
      'a,b',
      '*star',
      '&amp',
      '!bang',
      '|pipe',
      'é ü',
      'end\n',
    ];
    const val = (d: number): unknown => {
      const r = rnd();
      if (d > 3 || r < 0.45) return pick([pick(words), Math.floor(rnd() * 1000) - 500, rnd() < 0.5, null]);
      if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => val(d + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(rnd() * 4); i++) o[pick(words).replace(/\n/g, ' ') || `k${i}`] = val(d + 1);
      return o;
    };
    let compared = 0;
    for (let i = 0; i < 1500; i++) {
      const v = { root: val(0), list: [val(1), val(1)] };
      const src = YAML.stringify(v, {
        collectionStyle: pick(['any', 'block', 'flow'] as const),
        defaultStringType: pick(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const),
        indent: pick([2, 3, 4]),
        indentSeq: rnd() < 0.5,
        lineWidth: pick([0, 20, 80]),
      });
      // yaml.stringify occasionally writes text that yaml itself rejects (e.g. `key:\n[]` at the
      // key's column); such documents are not valid YAML and say nothing about agreement.
      if (YAML.parseDocument(src).errors.length > 0) continue;
      assert.deepEqual(errorsOf(src), [], JSON.stringify(src));
      assert.deepEqual(value(src), oracle(src), JSON.stringify(src));
      compared++;
    }
    assert.ok(compared > 1400, `only ${compared} documents compared`);
  });
});

describe('node kinds', () => {
  test('an empty value is an implicit null scalar placed after the colon', () => {
    const src = 'a:\nb: 1\n';
    const a = findPair(parseYaml(src).root as YMap, 'a')!.value as YNode;
    assert.equal(a.kind, 'scalar');
    assert.equal(a.kind === 'scalar' && a.implicit, true);
    assert.equal(a.start, 2);
  });
});
