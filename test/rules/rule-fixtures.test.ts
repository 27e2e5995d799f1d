// Every rule, pinned down by its fixture test/rules/<code>.yaml: each case's files are linted
// together and what tsq reports (place, severity, code, message, hint, related places, and the
// text after each quick fix) must be exactly what the fixture has written under the lines. Then:
// every rule has a fixture with a case that trips it and one that does not, and trips in
// examples/broken. `TSQ_UPDATE_FIXTURES=1 npm test -- rule-fixtures` writes the findings into the
// fixtures instead (read the diff before committing it). The format: docs/adding-a-rule.md.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, RULE_CODES } from '../../server/src/analysis/rules';
import { tsq } from '../helpers/cli';
import { caseText, parseFixture, renderCase, renderFixture, runCase, type CaseResult, type Fixture } from './fixture';

// From out/test/rules, three levels up is the repository.
const REPO = path.join(__dirname, '../../..');
const FIXTURES = path.join(REPO, 'test/rules');
const SHARED = path.join(FIXTURES, 'shared');
const UPDATE = process.env.TSQ_UPDATE_FIXTURES === '1';

const names = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

interface Loaded {
  fixture: Fixture;
  results: CaseResult[];
}

const loaded = new Map<string, Loaded>();
function load(name: string): Loaded {
  let l = loaded.get(name);
  if (!l) {
    const fixture = parseFixture(fs.readFileSync(path.join(FIXTURES, name), 'utf8'), `test/rules/${name}`);
    l = { fixture, results: fixture.cases.map((c) => runCase(c, SHARED)) };
    loaded.set(name, l);
  }
  return l;
}

for (const name of names) {
  describe(`test/rules/${name}`, () => {
    const { fixture, results } = load(name);
    fixture.cases.forEach((c, i) => {
      test(c.title, () => {
        for (const r of results[i].files) {
          if (r.file.from)
            assert.deepEqual(
              r.findings.map((d) => `${d.code}: ${d.message}`),
              [],
              `${r.file.name} comes from shared/${r.file.from}, which must give no finding; write the file into the case to annotate it`,
            );
        }
        if (UPDATE) return;
        assert.equal(
          renderCase(fixture, c, results[i]),
          caseText(fixture, c),
          `tsq reports something else than test/rules/${name}:${c.at + 1} says. If the change is meant, run TSQ_UPDATE_FIXTURES=1 npm test -- rule-fixtures and read the diff.`,
        );
      });
    });
    if (UPDATE) {
      after(() => {
        const file = path.join(FIXTURES, name);
        const text = renderFixture(fixture, results);
        if (text === fs.readFileSync(file, 'utf8')) return;
        fs.writeFileSync(`${file}.tmp`, text);
        fs.renameSync(`${file}.tmp`, file);
      });
    }
  });
}

describe('every rule has fixtures', () => {
  test('each fixture is named after a rule code', () => {
    assert.deepEqual(
      names.filter((n) => !RULE_CODES.has(n.replace(/\.yaml$/, ''))),
      [],
    );
  });

  for (const rule of ALL_RULES) {
    test(`${rule.code}: a case that trips it and a case that does not`, () => {
      const name = `${rule.code}.yaml`;
      assert.ok(names.includes(name), `test/rules/${name} is missing (docs/adding-a-rule.md)`);
      const { fixture, results } = load(name);
      const trips = results.map((r) => r.files.some((f) => f.findings.some((d) => d.code === rule.code)));
      assert.ok(trips.includes(true), `no case of test/rules/${name} gives a finding of ${rule.code}`);
      assert.ok(
        trips.includes(false),
        `every case of test/rules/${name} gives a finding of ${rule.code}; add one where it rightly stays quiet`,
      );
      assert.ok(fixture.cases.length >= 2);
    });
  }
});

describe('every rule trips in examples/broken', () => {
  // without-catalog/ is linted on its own: a catalog beside it would check its references.
  const folders = ['examples/broken', 'examples/broken/without-catalog'];
  const codes = ALL_RULES.map((r) => r.code);
  type Found = { file: string; line: number; code: string };
  let linted: Promise<Found[]> | undefined;
  /** What `tsq lint --format json` reports for the folders, with absolute file paths. */
  const lint = () =>
    (linted ??= (async () => {
      const all: Found[] = [];
      for (const folder of folders) {
        const r = await tsq('lint', '--format', 'json', path.join(REPO, folder));
        assert.notEqual(r.code, 2, r.err);
        all.push(...(JSON.parse(r.out) as Found[]).map((d) => ({ ...d, file: path.resolve(d.file) })));
      }
      return all;
    })());
  /** The rule codes the comment at the end of a line names. */
  const named = (line: string) => {
    const comment = /^\s*#/.test(line) || !line.includes('#') ? '' : line.slice(line.indexOf('#'));
    return codes.filter((c) => new RegExp(`(?<![\\w-])${c}(?![\\w-])`).test(comment));
  };
  const linesOf = (file: string) => fs.readFileSync(file, 'utf8').split(/\r?\n/);

  for (const code of codes) {
    test(`tsq lint lists ${code}`, async () => {
      assert.ok(
        (await lint()).some((d) => d.code === code),
        `no file under examples/broken shows ${code}; add one, with a comment naming the rule on the line it trips`,
      );
    });
  }

  test('each finding is on a line whose comment names its rule, and each rule a comment names is found there', async () => {
    const found = await lint();
    assert.deepEqual(
      found
        .filter((d) => !named(linesOf(d.file)[d.line - 1]).includes(d.code))
        .map((d) => `${path.relative(REPO, d.file)}:${d.line} ${d.code}`),
      [],
      'findings on lines that do not say so',
    );
    const missing: string[] = [];
    for (const folder of folders) {
      for (const name of fs.readdirSync(path.join(REPO, folder)).filter((f) => f.endsWith('.tsq.yaml'))) {
        const file = path.join(REPO, folder, name);
        linesOf(file).forEach((line, i) => {
          for (const c of named(line))
            if (!found.some((d) => d.file === file && d.line === i + 1 && d.code === c))
              missing.push(`${folder}/${name}:${i + 1} ${c}`);
        });
      }
    }
    assert.deepEqual(missing, [], 'lines whose comment names a rule that tsq does not report there');
  });
});
