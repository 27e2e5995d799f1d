// Inputs for the tests that hold two ways of running the schema check to the same issues
// (precompiled against run-time compiled validators; with and without the screen): the text of
// every file of every rule fixture case, and the paths to every value of a plain value.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFixture } from '../rules/fixture';
import { EVERY_STEP_CATALOG, everyStepSequence } from './every-step';

/** Every file of every case of test/rules/*.yaml: its name, text and a label for messages. */
export function ruleFixtureFiles(root: string): { name: string; text: string; what: string }[] {
  const dir = path.join(root, 'test/rules');
  const out: { name: string; text: string; what: string }[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const fixture = parseFixture(fs.readFileSync(path.join(dir, name), 'utf8'), name);
    for (const c of fixture.cases)
      for (const f of c.files) {
        const text = f.from
          ? fs.readFileSync(path.join(dir, 'shared', f.from), 'utf8')
          : f.lines.map((l) => l.text).join('\n');
        out.push({ name: f.name, text, what: `${name}: ${c.title}: ${f.name}` });
      }
  }
  return out;
}

/** Every path to a value inside `value` (keys and list indexes), the root excluded. */
export function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (!value || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  return entries.flatMap(([k, v]) => [[...at, k], ...pathsOf(v, [...at, k])]);
}

/** Valid files to make invalid ones from (name and text): a sequence using every action, a catalog, the examples. */
export function validFiles(root: string): [string, string][] {
  return [
    ['every-step.tsq.yaml', everyStepSequence()],
    ['every-step-catalog.tsq.yaml', EVERY_STEP_CATALOG],
    ...fs
      .readdirSync(path.join(root, 'examples'))
      .filter((f) => f.endsWith('.tsq.yaml'))
      .map((f): [string, string] => [f, fs.readFileSync(path.join(root, 'examples', f), 'utf8')]),
  ];
}
