// What the project ships and what its tests say speak of the project alone: sources, docs,
// scripts, examples and tests cite Microsoft's documentation by its public address or our own
// docs, never material that lives outside the repository. Tests may still read the sample
// exports kept beside the checkout, through the one path in test/helpers/outside-samples.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// From out/test/unit, three levels up is the repository.
const REPO = path.join(__dirname, '../../..');
const FOLDERS = [
  'server/src',
  'client/src',
  'docs',
  'scripts',
  'test',
  'bench',
  'examples',
  'snippets',
  'schemas',
  'syntaxes',
];
const FILES = ['README.md', 'ARCHITECTURE.md', 'package.json', 'language-configuration.json'];
/** The one line that may name the folder beside the checkout: where the sample exports are read from. */
const ALLOWED = {
  file: 'test/helpers/outside-samples.ts',
  line: /^const BESIDE_THE_CHECKOUT = path\.join\(__dirname, '(\.\.\/){4}shared'\);$/,
};
/** This file names what it looks for. */
const SELF = 'test/unit/self-contained.test.ts';

const OUTSIDE: [RegExp, string][] = [
  [/\bthe seed\b/i, 'the seed document'],
  [/\bseed['’]s\b/i, 'the seed document'],
  [/\.\.\/shared\b/, 'the folder beside the checkout'],
  [/\/work\/shared\b/, 'the folder beside the checkout'],
  [/\bshared\/(reference|seed|samples)\b/, 'the folder beside the checkout'],
  [/\bFORMAT\.md\b/, 'a reference file outside the repository'],
];

function* textFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* textFiles(p);
    else if (e.isFile() && fs.statSync(p).size < 4_000_000) yield p;
  }
}

test('nothing the project ships, and no test, cites material outside the repository', () => {
  const files = [
    ...FOLDERS.flatMap((d) => [...textFiles(path.join(REPO, d))]),
    ...FILES.map((f) => path.join(REPO, f)),
  ];
  assert.ok(files.length > 300, `${files.length} files read`);
  const found: string[] = [];
  for (const file of files) {
    const rel = path.relative(REPO, file).split(path.sep).join('/');
    if (rel === SELF) continue;
    const bytes = fs.readFileSync(file);
    if (bytes.includes(0)) continue; // binary (zip samples of the interop tests)
    bytes
      .toString('utf8')
      .split(/\r?\n/)
      .forEach((line, i) => {
        if (rel === ALLOWED.file && ALLOWED.line.test(line)) return;
        for (const [pattern, what] of OUTSIDE)
          if (pattern.test(line)) found.push(`${rel}:${i + 1}: ${what}: ${line.trim().slice(0, 100)}`);
      });
  }
  assert.deepEqual(found, [], 'cite https://learn.microsoft.com/... or docs/*.md instead');
});

test('the check sees a citation of the seed document or the folder beside the checkout', () => {
  const hits = (line: string) => OUTSIDE.some(([p]) => p.test(line));
  assert.ok(hits('// ConfigMgr greys out Deploy (the seed)'));
  assert.ok(hits('once started it runs on (the seed’s rule)'));
  assert.ok(hits('see ../shared/reference/FORMAT.md (b)'));
  assert.ok(hits("path.join(__dirname, '../../../../shared/samples')"));
  assert.ok(!hits('The random seed is printed first and `--seed N` repeats a run'));
  assert.ok(
    !hits(
      'https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSRun',
    ),
  );
});
