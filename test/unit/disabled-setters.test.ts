// A disabled step sets nothing. "Disable this step" on the Options tab of the task sequence editor:
// "The task sequence skips this step when it runs on a computer"
// (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps); the steps of a
// group run only inside it, so a disabled group skips every step it holds, at any depth. So for
// undefined-variable a name that only a disabled step (or a step in a disabled group) sets before
// a read is not set there: not by Set Task Sequence Variable, not by MDT's Gather
// (https://learn.microsoft.com/mem/configmgr/mdt/task-sequence-steps#gather), and not by a parent
// whose Run Task Sequence step (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence)
// is disabled. The finding names the step that would have set it, and the editor keeps up when
// `disabled:` is toggled.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findings, lint, yaml } from '../helpers/lint';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { updateDocument } from '../../server/src/model/incremental';
import { applyEdit, type TextEdit } from '../../server/src/model/yaml/incremental';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { IncrementalAnalysis } from '../../server/src/analysis/incremental';
import { keepsLinks } from '../../server/src/semantics/link-fingerprint';

const unknown = (files: Record<string, string>, file?: string) => findings('undefined-variable', files, file);
const names = (list: { text: string }[]) => list.map((f) => f.text);

const disabledSetter = yaml(
  'sequence: S',
  'steps:',
  '  - name: Set MyVar',
  '    action: SetTaskSequenceVariable',
  '    with: { variable: MyVar, value: hello }',
  '    disabled: true',
  '  - name: Echo',
  '    run: cmd /c echo %MyVar% %OtherVar%',
);

describe('a disabled step sets nothing (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps)', () => {
  test('a variable that only a disabled Set Task Sequence Variable sets is read before it is set, and the finding names the step', () => {
    const found = unknown({ 'a.tsq.yaml': disabledSetter });
    assert.deepEqual(names(found), ['%MyVar%', '%OtherVar%']);
    assert.equal(found[0].message, '`%MyVar%` is set only by the disabled step “Set MyVar” (line 3).');
    assert.match(found[0].hint!, /enable it/);
    assert.deepEqual(found[0].data, {
      fix: 'enable-step',
      stepStart: disabledSetter.indexOf('  - name: Set MyVar') + 4,
      stepEnd: disabledSetter.indexOf('  - name: Echo') - 1,
    });
    assert.match(found[1].message, /nothing sets it before this point/);
  });

  test('the finding points at the disabled step', () => {
    const ws = new Workspace();
    const doc = parseDocument('/ws/a.tsq.yaml', disabledSetter);
    ws.upsert(doc);
    const [d] = analyzeDocument(ws, doc).filter((f) => f.code === 'undefined-variable');
    assert.deepEqual(
      d.related?.map((r) => [doc.text.slice(r.start, r.end), r.message]),
      [['Set MyVar', 'The step “Set MyVar” is disabled: the task sequence skips it.']],
    );
  });

  test('`disabled: false` and an enabled setter before the read count as set', () => {
    const text = yaml(
      'sequence: S',
      'steps:',
      '  - name: Off',
      '    action: SetTaskSequenceVariable',
      '    with: { variable: A, value: x }',
      '    disabled: true',
      '  - name: On',
      '    action: SetTaskSequenceVariable',
      '    with: { variable: A, value: y }',
      '  - name: Said false',
      '    action: SetTaskSequenceVariable',
      '    with: { variable: B, value: y }',
      '    disabled: false',
      '  - name: Echo',
      '    run: cmd /c echo %A% %B%',
    );
    assert.deepEqual(unknown({ 'a.tsq.yaml': text }), []);
  });

  test('every step in a disabled group, at any depth, sets nothing; the finding names the group', () => {
    const text = yaml(
      'sequence: S',
      'steps:',
      '  - group: Old',
      '    disabled: true',
      '    steps:',
      '      - group: Inner',
      '        steps:',
      '          - name: Probe',
      '            action: RunCommandLine',
      '            with: { commandLine: cmd /c exit 0, outputVariable: ProbeOut }',
      '  - name: Echo',
      '    run: cmd /c echo %ProbeOut%',
    );
    const [f] = unknown({ 'a.tsq.yaml': text });
    assert.equal(
      f.message,
      '`%ProbeOut%` is set only by the step “Probe” (line 8) in the disabled group “Old” (line 3).',
    );
  });

  test('a disabled Gather step runs no ZTIGather (https://learn.microsoft.com/mem/configmgr/mdt/task-sequence-steps#gather)', () => {
    const gather = (disabled: boolean) =>
      yaml(
        'sequence: S',
        'steps:',
        '  - name: Gather',
        '    action: Gather',
        ...(disabled ? ['    disabled: true'] : []),
        '  - name: Laptop only',
        '    when: IsLaptop == "True"',
        '    run: cmd /c echo laptop',
      );
    assert.deepEqual(unknown({ 'a.tsq.yaml': gather(false) }), []);
    const [f] = unknown({ 'a.tsq.yaml': gather(true) });
    assert.equal(
      f.message,
      "`IsLaptop` is a fact MDT's Gather sets, and the only step before this point that runs Gather is the disabled step “Gather” (line 3).",
    );
  });

  test('reads of one name before and after a disabled setter are worded each for its place', () => {
    const text = yaml(
      'sequence: S',
      'steps:',
      '  - name: Early',
      '    when: IsLaptop == "True" and Ring == "a"',
      '    run: cmd /c echo %Ring%',
      '  - name: Gather',
      '    action: Gather',
      '    disabled: true',
      '  - name: Set Ring',
      '    action: SetTaskSequenceVariable',
      '    with: { variable: Ring, value: b }',
      '    disabled: true',
      '  - name: Late',
      '    when: IsLaptop == "True" and Ring == "a"',
      '    run: cmd /c echo %Ring%',
    );
    assert.deepEqual(
      unknown({ 'a.tsq.yaml': text }).map((f) => `${f.line} ${f.text}: ${f.message}`),
      [
        "4 IsLaptop: `IsLaptop` is a fact MDT's Gather sets, and no Gather step runs before this point.",
        '4 Ring: `Ring` is not a built-in variable and nothing sets it before this point.',
        '5 %Ring%: `%Ring%` is not a built-in variable and nothing sets it before this point.',
        "14 IsLaptop: `IsLaptop` is a fact MDT's Gather sets, and the only step before this point that runs Gather is the disabled step “Gather” (line 6).",
        '14 Ring: `Ring` is set only by the disabled step “Set Ring” (line 9).',
        '15 %Ring%: `%Ring%` is set only by the disabled step “Set Ring” (line 9).',
      ],
    );
  });

  test('a disabled step that runs a Lite Touch script still says LiteTouch.wsf starts the sequence, which gathers first (https://learn.microsoft.com/mem/configmgr/mdt/scripts#litetouchwsf)', () => {
    const text = yaml(
      'sequence: S',
      'steps:',
      '  - name: Laptop only',
      '    when: IsLaptop == "True"',
      '    run: cmd /c echo laptop',
      '  - name: Apply',
      '    run: cscript.exe "%SCRIPTROOT%\\LTIApply.wsf"',
      '    disabled: true',
    );
    assert.deepEqual(unknown({ 'a.tsq.yaml': text }), []);
  });

  const child = yaml(
    'sequence: Child',
    'packageId: CM1000C9',
    'steps:',
    '  - name: A',
    '    run: cmd /c echo %FromParent%',
  );
  const parent = (callOff: boolean, setterOff: boolean) =>
    yaml(
      'sequence: P',
      'steps:',
      '  - name: S',
      '    action: SetTaskSequenceVariable',
      '    with: { variable: FromParent, value: v }',
      ...(setterOff ? ['    disabled: true'] : []),
      '  - group: Calls',
      ...(callOff ? ['    disabled: true'] : []),
      '    steps:',
      '      - name: Run child',
      '        action: RunTaskSequence',
      '        with: { sequence: ./child.tsq.yaml }',
    );

  test('a parent passes nothing down through a Run Task Sequence step in a disabled group', () => {
    assert.deepEqual(unknown({ 'child.tsq.yaml': child, 'p.tsq.yaml': parent(false, false) }), []);
    const [f] = unknown({ 'child.tsq.yaml': child, 'p.tsq.yaml': parent(true, false) });
    assert.equal(
      f.message,
      '`%FromParent%` is set only by ./p.tsq.yaml, which runs this sequence only from the step “Run child” in the disabled group “Calls”.',
    );
    assert.equal(f.data, undefined, 'the fix would edit another file');
  });

  test("a parent's disabled setter before its call sets nothing for the child", () => {
    const [f] = unknown({ 'child.tsq.yaml': child, 'p.tsq.yaml': parent(false, true) });
    assert.equal(
      f.message,
      '`%FromParent%` is set only by the disabled step “S” of ./p.tsq.yaml, before it runs this sequence.',
    );
  });

  test("a parent's Gather reaches a child only through a Run Task Sequence step that runs", () => {
    const mdtChild = yaml(
      'sequence: Child',
      'packageId: CM1000C9',
      'steps:',
      '  - name: Laptop only',
      '    when: IsLaptop == "True"',
      '    run: cmd /c echo laptop',
    );
    const gatheringParent = (gatherOff: boolean, callOff: boolean) =>
      yaml(
        'sequence: P',
        'steps:',
        '  - name: Gather',
        '    action: Gather',
        ...(gatherOff ? ['    disabled: true'] : []),
        '  - name: Run child',
        '    action: RunTaskSequence',
        '    with: { sequence: ./child.tsq.yaml }',
        ...(callOff ? ['    disabled: true'] : []),
      );
    const messages = (gatherOff: boolean, callOff: boolean) =>
      unknown({ 'child.tsq.yaml': mdtChild, 'p.tsq.yaml': gatheringParent(gatherOff, callOff) }).map((f) => f.message);
    assert.deepEqual(messages(false, false), []);
    assert.deepEqual(messages(false, true), [
      "`IsLaptop` is a fact MDT's Gather sets; ./p.tsq.yaml runs Gather before it runs this sequence, but runs it only from the disabled step “Run child”.",
    ]);
    assert.deepEqual(messages(true, false), [
      "`IsLaptop` is a fact MDT's Gather sets, and the only step of ./p.tsq.yaml that runs Gather before it runs this sequence is the disabled step “Gather”.",
    ]);
  });

  test('other rules of the file are left as they are', () => {
    const codes = lint({ 'a.tsq.yaml': disabledSetter }).map((f) => f.code);
    assert.deepEqual(codes, ['undefined-variable', 'undefined-variable']);
  });
});

describe('the editor sees `disabled:` toggled', () => {
  /** Applies `edits` one by one incrementally, and after each compares with a full analysis of the same text. */
  function follow(files: Record<string, string>, file: string, edits: ((text: string) => TextEdit)[]): string[][] {
    const ws = new Workspace();
    for (const [name, text] of Object.entries(files)) ws.upsert(parseDocument(`/ws/${name}`, text));
    let doc = ws.get(`/ws/${file}`)!;
    const analysis = new IncrementalAnalysis();
    const messages = (list: { code: string; message: string }[]) =>
      list.filter((d) => d.code === 'undefined-variable').map((d) => d.message);
    const seen = [messages(analysis.analyze(ws, doc))];
    for (const make of edits) {
      const edit = make(doc.text);
      const previous: TsqDocument = doc;
      const next = applyEdit(doc.text, edit);
      const update = updateDocument(doc, edit, next, doc.version + 1);
      assert.ok(update.change, `the edit ${JSON.stringify(edit)} is incremental`);
      doc = update.doc;
      ws.upsert(doc);
      const got = messages(analysis.analyze(ws, doc, {}, { previous, change: update.change }));
      const fresh = new Workspace();
      for (const d of ws.all()) fresh.upsert(parseDocument(d.id, d.text));
      assert.deepEqual(got, messages(analyzeDocument(fresh, fresh.get(doc.id)!)), JSON.stringify(edit));
      seen.push(got);
    }
    return seen;
  }
  const replace = (from: string, to: string) => (text: string) => {
    const at = text.indexOf(from);
    assert.ok(at >= 0, from);
    return { start: at, end: at + from.length, text: to };
  };

  test('toggling a step, adding a line above it and renaming it: the finding follows', () => {
    const text = yaml(
      'sequence: S',
      'steps:',
      '  - name: First',
      '    run: cmd /c echo one',
      '  - name: Set MyVar',
      '    action: SetTaskSequenceVariable',
      '    with: { variable: MyVar, value: hello }',
      '    disabled: false',
      '  - name: Echo',
      '    run: cmd /c echo %MyVar%',
    );
    const seen = follow({ 'a.tsq.yaml': text }, 'a.tsq.yaml', [
      replace('disabled: false', 'disabled: true'),
      replace('    run: cmd /c echo one', '    description: two\n    run: cmd /c echo one'),
      replace('name: Set MyVar', 'name: Set it'),
      replace('disabled: true', 'disabled: false'),
    ]);
    assert.deepEqual(seen, [
      [],
      ['`%MyVar%` is set only by the disabled step “Set MyVar” (line 5).'],
      ['`%MyVar%` is set only by the disabled step “Set MyVar” (line 6).'],
      ['`%MyVar%` is set only by the disabled step “Set it” (line 6).'],
      [],
    ]);
  });

  test('toggling a group', () => {
    const text = yaml(
      'sequence: S',
      'steps:',
      '  - group: Setup',
      '    disabled: false',
      '    steps:',
      '      - name: Set MyVar',
      '        action: SetTaskSequenceVariable',
      '        with: { variable: MyVar, value: hello }',
      '  - name: Echo',
      '    run: cmd /c echo %MyVar%',
    );
    const seen = follow({ 'a.tsq.yaml': text }, 'a.tsq.yaml', [
      replace('disabled: false', 'disabled: true'),
      replace('disabled: true', 'disabled: false'),
    ]);
    assert.deepEqual(
      seen.map((s) => s.length),
      [0, 1, 0],
    );
  });

  test("toggling a parent's Run Task Sequence step changes the links its children read", () => {
    const parentText = yaml(
      'sequence: P',
      'steps:',
      '  - name: S',
      '    action: SetTaskSequenceVariable',
      '    with: { variable: FromParent, value: v }',
      '  - name: Run child',
      '    action: RunTaskSequence',
      '    with: { sequence: ./child.tsq.yaml }',
      '    disabled: false',
    );
    const before = parseDocument('/ws/p.tsq.yaml', parentText);
    const edit = replace('disabled: false', 'disabled: true')(parentText);
    const update = updateDocument(before, edit, applyEdit(parentText, edit), 2);
    assert.ok(update.change);
    assert.equal(keepsLinks(before, update.doc, update.change), false);
    const rename = replace('name: S', 'name: T')(parentText);
    const renamed = updateDocument(before, rename, applyEdit(parentText, rename), 2);
    assert.ok(renamed.change);
    assert.equal(keepsLinks(before, renamed.doc, renamed.change), true, 'an enabled step renamed keeps the links');
  });
});
