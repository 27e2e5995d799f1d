// Threat: a `.tsqignore` in a folder someone cloned — opened in VS Code, even in Restricted Mode,
// it is read and applied at once. A link to /dev/zero, a named pipe, a huge file or a pattern
// that makes a backtracking matcher run for hours must not hang the CLI or the language server:
// the file is read through the bounded reader, patterns are matched in linear time (util/glob.ts)
// and capped, and what is refused is reported with the file and line.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Glob } from '../../server/src/util/glob';
import {
  IgnoreRules,
  MAX_PATTERN_LENGTH,
  MAX_PATTERNS_IN_SEARCH,
  MAX_PATTERNS_PER_FILE,
} from '../../server/src/files/ignore';
import { finished, findings, hostileFolder, runTsq, SEQUENCE } from './helpers';
import { random } from '../helpers/seeded-random';

const BACKTRACKING = '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c';

/** The same glob as a regular expression: fine for short names, the reference the matcher must agree with. */
function referenceRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length;) {
    const stars = /^\*+/.exec(pattern.slice(i))?.[0].length ?? 0;
    if (stars === 1) {
      re += '[^/]*';
      i++;
    } else if (stars > 1 && pattern[i + stars] === '/') {
      re += '(?:.*/)?';
      i += stars + 1;
    } else if (stars > 1) {
      re += '.*';
      i += stars;
    } else if (pattern[i] === '?') {
      re += '[^/]';
      i++;
    } else if (pattern.startsWith('[!', i)) {
      const end = pattern.indexOf(']', i + 3);
      re += `[^/${pattern.slice(i + 2, end)}]`;
      i = end + 1;
    } else if (pattern[i] === '[') {
      const end = pattern.indexOf(']', i + 2);
      re += `[${pattern.slice(i + 1, end)}]`;
      i = end + 1;
    } else {
      re += pattern[i].replace(/[.+^${}()|\\]/g, '\\$&');
      i++;
    }
  }
  return new RegExp(`^${re}$`, 'i');
}

describe('.tsqignore patterns are matched in linear time, and mean what a glob means', () => {
  test('the backtracking pattern against a long name: answered at once (no match)', { timeout: 20_000 }, () => {
    // A backtracking matcher would need longer than the test's timeout for any of these.
    assert.equal(new Glob(BACKTRACKING).matches('a'.repeat(255)), false);
    assert.equal(new Glob(BACKTRACKING).matches('a'.repeat(100_000)), false);
    assert.equal(new Glob('**/' + BACKTRACKING).matches('a/'.repeat(2000) + 'a'.repeat(4000)), false);
    assert.equal(new Glob(BACKTRACKING).matches('a'.repeat(100_000) + 'c'), true);
  });

  test('agrees with a regular expression of the same glob on 20,000 random patterns and names', () => {
    const next = random(11);
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
    const pieces = ['a', 'b', 'A', '/', '.', '*', '**', '**/', '?', '[ab]', '[!a]', '[a-b]'];
    for (let n = 0; n < 20_000; n++) {
      const pattern = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(pieces)).join('');
      const name = Array.from({ length: Math.floor(next() * 9) }, () => pick(['a', 'b', 'B', '/', '.'])).join('');
      assert.equal(
        new Glob(pattern).matches(name),
        referenceRegex(pattern).test(name),
        `\`${pattern}\` against \`${name}\``,
      );
    }
  });

  test('examples: names, folders, ** at any depth, sets, case', () => {
    assert.ok(new Glob('*.bak.tsq.yaml').matches('Old.BAK.tsq.yaml'));
    assert.ok(!new Glob('*.tsq.yaml').matches('drafts/x.tsq.yaml'));
    assert.ok(new Glob('**/drafts').matches('drafts'));
    assert.ok(new Glob('**/drafts').matches('a/b/drafts'));
    assert.ok(new Glob('lab-[0-9]?.tsq.yaml').matches('lab-42.tsq.yaml'));
    assert.ok(!new Glob('lab-[!0-9]*').matches('lab-4'));
    assert.ok(new Glob('[unclosed').matches('[unclosed'));
  });
});

describe('.tsqignore files: read through the bounded reader, capped, problems reported with file and line', () => {
  test('a pattern over the length cap and patterns past the count cap are not used, each said with its line', () => {
    const f = hostileFolder();
    try {
      const lines = [
        'x'.repeat(MAX_PATTERN_LENGTH + 1),
        ...Array.from({ length: MAX_PATTERNS_PER_FILE + 5 }, (_, i) => `p${i}`),
      ];
      f.write('.tsqignore', lines.join('\n'));
      const rules = new IgnoreRules();
      rules.load(f.dir);
      assert.deepEqual(
        rules.problems.map((p) => [path.basename(p.file), p.line, p.message]),
        [
          [
            '.tsqignore',
            1,
            `This pattern is ${MAX_PATTERN_LENGTH + 1} characters long; a .tsqignore pattern may have up to ${MAX_PATTERN_LENGTH}. It is not used.`,
          ],
          [
            '.tsqignore',
            MAX_PATTERNS_PER_FILE + 2,
            `More than ${MAX_PATTERNS_PER_FILE} patterns: this line and the ones after it are not used.`,
          ],
        ],
      );
      assert.ok(rules.ignores(f.path('p0'), false));
      assert.ok(!rules.ignores(f.path(`p${MAX_PATTERNS_PER_FILE}`), false));
    } finally {
      f.dispose();
    }
  });

  test('patterns of all the .tsqignore files of one search together are capped too', () => {
    const f = hostileFolder();
    try {
      const patterns = (prefix: string) =>
        Array.from({ length: MAX_PATTERNS_PER_FILE }, (_, i) => `${prefix}${i}`).join('\n');
      const folders = Array.from({ length: MAX_PATTERNS_IN_SEARCH / MAX_PATTERNS_PER_FILE + 1 }, (_, i) =>
        'deeper/'.repeat(i),
      );
      for (const [i, dir] of folders.entries()) f.write(`${dir}.tsqignore`, patterns(`f${i}-`));
      const rules = new IgnoreRules();
      for (const dir of folders) rules.load(f.path(dir));
      assert.deepEqual(
        rules.problems.map((p) => [path.relative(f.dir, p.file), p.line, p.message]),
        [
          [
            `${folders[folders.length - 1]}.tsqignore`,
            1,
            `The .tsqignore files of this folder search already hold ${MAX_PATTERNS_IN_SEARCH} patterns: this line and the ones after it are not used.`,
          ],
        ],
      );
    } finally {
      f.dispose();
    }
  });

  test('a .tsqignore linked to /dev/zero: tsq lint of the folder says so and checks every file', () => {
    const f = hostileFolder();
    try {
      f.write('main.tsq.yaml', SEQUENCE);
      f.write('drafts/old.tsq.yaml', 'sequence: Old\nsteps: [\n');
      f.link('.tsqignore', '/dev/zero');
      const r = finished(runTsq(['lint', '--format', 'json', '.'], { cwd: f.dir }));
      assert.match(
        r.err,
        /^tsq lint: warning: \.tsqignore: This file is a link to \/dev\/zero, which is a character device, not a file\. Its patterns are not used\.$/m,
      );
      assert.ok(findings(r).some((x) => x.file === path.join('drafts', 'old.tsq.yaml')));
    } finally {
      f.dispose();
    }
  });

  test('a .tsqignore that is a named pipe, or over 64 KB: refused without waiting or reading it all', () => {
    const f = hostileFolder();
    try {
      f.write('main.tsq.yaml', SEQUENCE);
      f.fifo('.tsqignore');
      const fifo = finished(runTsq(['lint', '.'], { cwd: f.dir }));
      assert.match(
        fifo.err,
        /\.tsqignore: This file is a named pipe \(FIFO\), not a file\. Its patterns are not used\./,
      );
      fs.rmSync(f.path('.tsqignore'));
      f.write('.tsqignore', '*.bak\n'.repeat(20_000));
      const big = finished(runTsq(['lint', '.'], { cwd: f.dir }));
      assert.match(
        big.err,
        /\.tsqignore: This file is 117\.2 KB; tsq reads \.tsqignore files up to 64 KB\. Its patterns are not used\./,
      );
    } finally {
      f.dispose();
    }
  });

  test('the backtracking pattern against a long file name: tsq lint finishes, and a pattern that matches still ignores', () => {
    const f = hostileFolder();
    try {
      const long = 'a'.repeat(200) + '.tsq.yaml';
      f.write(long, 'sequence: Long\nsteps: [\n');
      f.write('.tsqignore', `${BACKTRACKING}\n`);
      const kept = finished(runTsq(['lint', '--format', 'json', '.'], { cwd: f.dir }));
      assert.ok(
        findings(kept).some((x) => x.file === long),
        'the pattern does not match: the file is checked',
      );
      f.write('.tsqignore', `${BACKTRACKING.slice(0, -1)}.yaml\n`);
      const ignored = finished(runTsq(['lint', '.'], { cwd: f.dir }));
      assert.equal(ignored.code, 2, 'every file left out: nothing is checked, which lint refuses');
      assert.match(ignored.err, /No tsq files to check in \./);
    } finally {
      f.dispose();
    }
  });
});
