// Shared by the incremental-update tests: documents to edit, random edits
// of the kinds people make while typing YAML, and a structural view of trees and models that can
// be compared with deepEqual (parent links and object identity left out).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TextEdit } from '../../server/src/model/yaml/incremental';
import { generateSequence } from '../../bench/generate';

const root = join(__dirname, '..', '..', '..');

function examples(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.tsq.yaml'))) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

/** Sequence, catalog and machine files, well-formed and broken, plus shapes the examples lack. */
export function editableDocuments(): Record<string, string> {
  const docs: Record<string, string> = {
    ...examples(join(root, 'examples')),
    ...Object.fromEntries(
      Object.entries(examples(join(root, 'examples', 'broken'))).map(([k, v]) => [`broken/${k}`, v]),
    ),
    'generated.tsq.yaml': generateSequence(40),
    'shapes.tsq.yaml': [
      'sequence: Shapes',
      'steps:',
      '- name: Same column as the key',
      '  run: cmd /c one',
      '  timeout: 15m',
      '  successCodes:',
      '  - 0',
      '  - 3010',
      '-   name: Wide indent',
      '    action: RunPowerShellScript',
      '    retryCount: 1',
      '    runFromNet: false',
      '    with:',
      '      scriptName: x.ps1',
      '      parameters: >',
      '        -Folded %OSDComputerName%',
      '        text',
      '    description: |',
      '      literal',
      '',
      '      block',
      '- group: Nested',
      '  steps:',
      '    - - not a step',
      '    - name: "quoted \\"name\\""',
      "      run: 'single %X%'",
      '      when: exists(X) and not Y == "1"   # trailing comment',
      '    # a comment between entries',
      '    - name: plain',
      '        multi line',
      '      run: x',
      '  when: _SMSTSInWinPE == "false"',
      '- just a scalar',
      '-',
      '- { name: flow step, run: y }',
      'variables:',
      '  X: 1',
      '',
    ].join('\n'),
  };
  // Disabled setters: a finding names the step and its line, which edits above it move.
  docs['disabled.tsq.yaml'] = [
    'sequence: Disabled',
    'steps:',
    '  - name: Set MyVar',
    '    action: SetTaskSequenceVariable',
    '    with: { variable: MyVar, value: v }',
    '    disabled: true',
    '  - group: Old',
    '    disabled: true',
    '    steps:',
    '      - name: Set Deep',
    '        action: SetTaskSequenceVariable',
    '        with: { variable: Deep, value: v }',
    '      - name: Gather',
    '        action: Gather',
    '  - name: Echo',
    '    run: cmd /c echo %MyVar% %Deep%',
    '    when: Deep == "v" and IsLaptop == "True"',
    '  - name: Set later',
    '    action: SetTaskSequenceVariable',
    '    with: { variable: MyVar, value: w }',
    '    disabled: false',
    '  - name: Echo again',
    '    run: cmd /c echo %MyVar%',
    '',
  ].join('\n');
  docs['crlf.tsq.yaml'] = docs['deploy-windows-11.tsq.yaml'].replace(/\n/g, '\r\n');
  return docs;
}

const PIECES = [
  'a',
  'Z',
  '1',
  ' ',
  ' ',
  ':',
  ': ',
  '-',
  '- ',
  '\n',
  '\n  ',
  '#',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  '|',
  '>',
  '%',
  '&',
  '*',
  '!',
  '\t',
  'name: x',
  '\n  - name: new\n    run: cmd',
  '\n      - name: inner\n        action: RestartComputer',
  'when: A == "b"',
  '%OSDisk%',
  'steps:',
  '    ',
];

/** Small edits that keep a file mostly valid: typing a character, a word, a value. */
const GENTLE = [
  'a',
  'x',
  ' ',
  '1',
  '"',
  "'",
  ':',
  ': ',
  '%',
  '-',
  '#',
  '\n',
  '\n    ',
  'CM100077',
  'InstallPackage',
  '%OSDisk%',
  '_SMSTSInWinPE',
  'Gather',
  'target: winpe',
];

/** A random edit of `text` like those made while typing: a few characters replaced by a short piece. */
export function randomEdit(text: string, rnd: () => number): TextEdit {
  if (rnd() < 0.4) {
    const at = Math.floor(rnd() * (text.length + 1));
    return {
      start: at,
      end: Math.min(text.length, at + (rnd() < 0.7 ? 0 : 1)),
      text: rnd() < 0.2 ? '' : GENTLE[Math.floor(rnd() * GENTLE.length)],
    };
  }
  const start = Math.floor(rnd() * (text.length + 1));
  const r = rnd();
  const removed = r < 0.5 ? 0 : r < 0.85 ? 1 : Math.floor(rnd() * 12);
  const end = Math.min(text.length, start + removed);
  const insert = rnd() < 0.25 ? '' : PIECES[Math.floor(rnd() * PIECES.length)];
  return { start, end, text: insert };
}

/** Plain data for deepEqual: parent links dropped, everything else (YAML nodes included) kept. */
export function structure(value: unknown, seen = new Set<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => structure(v, seen));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      // `parent` points back up the tree; `revision` counts in-place updates, which a full read has not had.
      if (key === 'parent' || key === 'revision') continue;
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = structure(v, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Errors or comments in a stable order (an incremental update keeps them in another order). */
export function sorted<T extends { start: number; end: number; message?: string }>(list: readonly T[]): T[] {
  return [...list].sort(
    (a, b) => a.start - b.start || a.end - b.end || (a.message ?? '').localeCompare(b.message ?? ''),
  );
}
