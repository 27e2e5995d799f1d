// Threat: a file that `tsq lint` passes but `tsq export` then refuses — or, worse, exports after
// quietly dropping or rewriting a value (a time-out of `.inf` left out, `1e20` minutes written as
// `6e+21`, success codes replaced by the defaults, a control character pasted into a name). CI
// that gates on lint must be able to trust that a clean file exports as written. Pinned: for
// generated values, lint clean ⇒ export succeeds and writes what the file says; export refuses ⇒
// lint reports an error at the same place, in the same words.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { sequenceXmlBytes } from '../../server/src/interop/export/sequence-xml';
import { Report } from '../../server/src/interop/report';
import { writeXml } from '../../server/src/interop/xml/write';
import { unwritableCharacterIndex } from '../../server/src/interop/xml/characters';
import { MAX_TIMEOUT_SECONDS, MAX_EXIT_CODE, MIN_EXIT_CODE } from '../../server/src/interop/exportable';
// Seeded, so that a failing case can be replayed.
import { random } from '../helpers/seeded-random';

const TEXTS = [
  'Copy logs',
  'a\u0001b',
  'tab\there',
  'two\nlines',
  '\u0007',
  '\u000b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\ufffe',
  '\uffff',
  '\ud800x',
  'x\udc00',
  '😀 ok',
  '<&>"\'',
  '',
  'x'.repeat(60),
  'é€',
];
// Minutes as numbers, durations as text; the edges of ConfigMgr's UInt32 seconds among them.
const TIMEOUTS = [
  '0',
  '1',
  '0.5',
  '1.5',
  '0.001',
  '90',
  '1e10',
  '1e20',
  '1e21',
  '-1',
  '.inf',
  '-.inf',
  '.nan',
  '71582788',
  '71582789',
  '"90s"',
  '"0.5s"',
  '"1193046h"',
  '"1193047h"',
  '"4294967295s"',
  '"4294967296s"',
  '"2 h"',
  '"soon"',
];
const CODES = [
  '0',
  '3010',
  '-1',
  '1.5',
  '2147942405',
  '-2147024891',
  '4294967295',
  '4294967296',
  '-2147483648',
  '-2147483649',
  '1e20',
  '.inf',
  '-.inf',
  '.nan',
  '"x"',
];
const INTEGERS = [
  '0',
  '30',
  '-1',
  '1.5',
  '4294967295',
  '9007199254740991',
  '9007199254740993',
  '1e21',
  '.inf',
  '"%Wait%"',
  '"soon"',
];
const KEPT_XML = ['<condition/>', '<expr', 'not xml', '<a><b/></a>', '<a>\u0001</a>'];
const ATTRIBUTE_NAMES = ['foo', 'bad name', 'a<b', 'x:y', '1st', 'ok-name'];

const q = (s: string) => JSON.stringify(s);

/** One sequence file with a handful of generated values in the places export writes them; most values are fine, some not. */
function generate(next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  // A value from the first `fine` of the list most of the time, from the whole list otherwise.
  const mostly = <T>(list: readonly T[], fine: number) => (next() < 0.9 ? list[Math.floor(next() * fine)] : pick(list));
  const text = () => mostly(TEXTS, 1);
  const lines = [`sequence: ${q(`Seq ${text()}`)}`, 'packageId: CM100001'];
  if (next() < 0.3) lines.push(`description: ${q(text())}`);
  if (next() < 0.3) lines.push('variables:', `  ${q(next() < 0.95 ? 'Ring' : pick(TEXTS))}: ${q(text())}`);
  if (next() < 0.1)
    lines.push(
      `configMgr: { xml: { ${next() < 0.5 ? `elements: [${q(pick(KEPT_XML))}]` : `attributes: { ${q(pick(ATTRIBUTE_NAMES))}: ${q(text())} }`} } }`,
    );
  lines.push('steps:', `  - group: ${q(`Group ${text()}`)}`, '    steps:');
  const steps = 1 + Math.floor(next() * 3);
  for (let i = 0; i < steps; i++) {
    const kind = pick(['run', 'set', 'restart', 'child']);
    lines.push(`      - name: ${q(`Step ${i} ${text()}`.trim())}`);
    if (kind === 'run') lines.push(`        run: ${q(`cmd.exe /c ${text() || 'x'}`)}`);
    if (kind === 'set')
      lines.push('        action: SetTaskSequenceVariable', `        with: { variable: Ring, value: ${q(text())} }`);
    if (kind === 'restart')
      lines.push(
        '        action: RestartComputer',
        `        with: { target: hd, message: ${q(text())}, messageTimeout: ${mostly(INTEGERS, 2)} }`,
      );
    if (kind === 'child')
      lines.push(
        '        action: RunTaskSequence',
        `        with: { sequence: ${next() < 0.9 ? './child.tsq.yaml' : './bare-child.tsq.yaml'} }`,
      );
    if (kind !== 'child' && next() < 0.5) lines.push(`        timeout: ${mostly(TIMEOUTS, 6)}`);
    if (kind === 'run' && next() < 0.5)
      lines.push(`        successCodes: [${mostly(CODES, 3)}${next() < 0.5 ? `, ${mostly(CODES, 3)}` : ''}]`);
    if (next() < 0.15) lines.push(`        when: ${q(`Ring == "${text().replace(/["\\]/g, '')}"`)}`);
    if (next() < 0.08)
      lines.push(
        `        xml: { ${pick([`attributes: { ${q(pick(ATTRIBUTE_NAMES))}: ${q(text())} }`, `elements: [${q(pick(KEPT_XML))}]`, `condition: ${q(pick(KEPT_XML))}`, 'type: 5'])} }`,
      );
  }
  return lines.join('\n') + '\n';
}

interface Outcome {
  errors: { line: number; column: number; message: string }[];
  exported?: string;
  refused?: string;
  droppedNotes: string[];
}

function lintAndExport(text: string): Outcome {
  const ws = new Workspace();
  ws.upsert(parseDocument('/ws/child.tsq.yaml', 'sequence: Child\npackageId: CM100002\nsteps: []\n'));
  ws.upsert(parseDocument('/ws/bare-child.tsq.yaml', 'sequence: Child without a package ID\nsteps: []\n'));
  const doc = parseDocument('/ws/main.tsq.yaml', text);
  ws.upsert(doc);
  const errors = analyzeDocument(ws, doc)
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const p = doc.lineMap.positionAt(d.start);
      return { line: p.line + 1, column: p.character + 1, message: d.message };
    });
  const report = new Report();
  try {
    const exported = sequenceXmlBytes(doc, ws, {}, report).bytes.toString('utf8');
    return {
      errors,
      exported,
      droppedNotes: report.notes.filter((n) => /left out|cannot store|replaced/.test(n.message)).map((n) => n.message),
    };
  } catch (e) {
    return { errors, refused: e instanceof Error ? e.message : String(e), droppedNotes: [] };
  }
}

describe('lint and export agree on generated files', () => {
  test('lint clean ⇒ export succeeds; export refuses ⇒ lint has an error at that place, in the same words', () => {
    const next = random(0x7e5_11);
    let clean = 0,
      refused = 0;
    for (let i = 0; i < 1500; i++) {
      const text = generate(next);
      const o = lintAndExport(text);
      const replay = `case ${i}:\n${text}`;
      if (o.errors.length === 0) {
        clean++;
        assert.equal(o.refused, undefined, `lint was clean but export refused: ${o.refused}\n${replay}`);
        assert.deepEqual(o.droppedNotes, [], replay);
      }
      if (o.refused !== undefined) {
        refused++;
        assert.ok(o.errors.length > 0, `export refused (${o.refused}) but lint was clean\n${replay}`);
        const placed = /^\/ws\/main\.tsq\.yaml:(\d+):(\d+): (.*)$/s.exec(o.refused);
        if (placed) {
          const [, line, column, message] = placed;
          assert.ok(
            o.errors.some((e) => e.line === Number(line) && e.column === Number(column) && e.message === message),
            `export refused at ${line}:${column} with “${message}”; lint said ${JSON.stringify(o.errors)}\n${replay}`,
          );
        }
      }
    }
    // The generator reaches both sides often enough for the statement to mean something.
    assert.ok(clean > 100 && refused > 100, `${clean} clean files, ${refused} refused`);
  });

  test('what lint passes is exported as written: time-outs in whole seconds, success codes as given', () => {
    const cases: [string, string][] = [
      ['90', '5400'],
      ['1.5', '90'],
      ['"90s"', '90'],
      ['"4294967295s"', '4294967295'],
      ['71582788', '4294967280'],
    ];
    for (const [timeout, seconds] of cases) {
      const o = lintAndExport(
        `sequence: S\nsteps:\n  - name: Wait\n    run: cmd.exe /c wait.cmd\n    timeout: ${timeout}\n    successCodes: [0, 3010, -2147024891, 4294967295]\n`,
      );
      assert.deepEqual(o.errors, [], timeout);
      assert.match(
        o.exported!,
        new RegExp(`timeout="${seconds}" [^>]*successCodeList="0 3010 -2147024891 4294967295"`),
        timeout,
      );
    }
  });
});

describe('what ConfigMgr cannot store is reported by lint and refused by export', () => {
  // SMS_TaskSequence_Action: `UInt32 Timeout`, in seconds
  // (https://learn.microsoft.com/en-us/mem/configmgr/develop/reference/osd/sms_tasksequence_action-server-wmi-class).
  test('a time-out is at most 4,294,967,295 seconds and whole seconds', () => {
    assert.equal(MAX_TIMEOUT_SECONDS, 4294967295);
    for (const [timeout, words] of [
      ['"4294967296s"', /longer than ConfigMgr can store: at most 4,294,967,295 seconds/],
      ['.inf', /longer than ConfigMgr can store/],
      ['1e20', /longer than ConfigMgr can store/],
      ['"0.5s"', /whole seconds; `0\.5s` is 0\.5 seconds, which export would change to 1/],
    ] as const) {
      const o = lintAndExport(
        `sequence: S\nsteps:\n  - name: Wait\n    run: cmd.exe /c wait.cmd\n    timeout: ${timeout}\n`,
      );
      assert.equal(o.errors.length, 1, timeout);
      assert.deepEqual([o.errors[0].line, o.errors[0].column], [5, 14], timeout);
      assert.match(o.errors[0].message, words, timeout);
      assert.equal(o.refused, `/ws/main.tsq.yaml:5:14: ${o.errors[0].message}`);
    }
  });

  // A process exit code is a 32-bit value (GetExitCodeProcess,
  // https://learn.microsoft.com/en-us/windows/win32/api/processthreadsapi/nf-processthreadsapi-getexitcodeprocess).
  test('a success code is a 32-bit number, written signed or unsigned', () => {
    assert.deepEqual([MIN_EXIT_CODE, MAX_EXIT_CODE], [-2147483648, 4294967295]);
    for (const code of ['4294967296', '-2147483649', '.inf']) {
      const o = lintAndExport(
        `sequence: S\nsteps:\n  - name: Install\n    run: msiexec.exe /i agent.msi\n    successCodes: [0, ${code}]\n`,
      );
      assert.equal(o.errors.length, 1, code);
      assert.match(o.errors[0].message, /is not an exit code: exit codes are 32-bit numbers/);
      assert.deepEqual([o.errors[0].line, o.errors[0].column], [5, 23]);
      assert.ok(o.refused?.endsWith(o.errors[0].message), o.refused);
    }
  });

  test('a control character is reported at the character, with the words export refuses with', () => {
    const o = lintAndExport('sequence: S\nsteps:\n  - name: "Copy\\alogs"\n    run: cmd.exe /c copy.cmd\n');
    // The character is written as the escape `\a`, which starts at column 16.
    assert.deepEqual(o.errors, [
      { line: 3, column: 16, message: 'This text contains the character U+0007, which XML cannot hold.' },
    ]);
    assert.equal(o.refused, '/ws/main.tsq.yaml:3:16: This text contains the character U+0007, which XML cannot hold.');
  });

  test('a child sequence without a package ID is reported at the reference', () => {
    const o = lintAndExport(
      'sequence: S\nsteps:\n  - name: Apps\n    action: RunTaskSequence\n    with: { sequence: ./bare-child.tsq.yaml }\n',
    );
    assert.deepEqual(o.errors, [
      {
        line: 5,
        column: 23,
        message: 'The child sequence `./bare-child.tsq.yaml` has no packageId; ConfigMgr needs one.',
      },
    ]);
    assert.equal(o.refused, `/ws/main.tsq.yaml:5:23: ${o.errors[0].message}`);
  });
});

describe('the XML writer and lint agree on every character', () => {
  test('each of the 65,536 UTF-16 code units, and a surrogate pair, is refused by both or by neither', () => {
    const writerRefuses = (s: string) => {
      try {
        writeXml({ kind: 'element', name: 'step', attrs: { name: s }, children: [{ kind: 'text', text: s }] });
        return false;
      } catch {
        return true;
      }
    };
    for (let c = 0; c <= 0xffff; c++) {
      const s = `a${String.fromCharCode(c)}b`;
      assert.equal(writerRefuses(s), unwritableCharacterIndex(s) >= 0, `U+${c.toString(16).padStart(4, '0')}`);
    }
    assert.equal(writerRefuses('a😀b'), false);
    assert.equal(unwritableCharacterIndex('a😀b'), -1);
  });
});
