// Incremental updates must give exactly what a full read gives: the YAML tree, its errors and
// comments, the document's kind and problems, and the sequence model, after every one of
// thousands of random edits applied one after another. They must also actually be incremental
// for ordinary typing inside steps, or the editor gains nothing.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/model/yaml/parser';
import { applyEdit, updateYaml, type TextEdit } from '../../server/src/model/yaml/incremental';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { MODEL_FIELDS, updateDocument } from '../../server/src/model/incremental';
import { walk, type SequenceModel, type StepNode } from '../../server/src/model/sequence';
import { Workspace } from '../../server/src/semantics/workspace';
import { childCalls } from '../../server/src/semantics/children';
import { random } from '../helpers/seeded-random';
import { editableDocuments, randomEdit, sorted, structure } from './incremental-fixtures';

const EDITS_PER_DOCUMENT = 150;

describe('incremental YAML reading equals a full read', () => {
  let reusedInAll = 0,
    editsInSequences = 0;
  for (const [name, original] of Object.entries(editableDocuments())) {
    test(name, () => {
      const rnd = random(name.length * 7919 + 17);
      let text = original;
      let yaml = parseYaml(text);
      let reused = 0;
      for (let i = 0; i < EDITS_PER_DOCUMENT; i++) {
        const edit = randomEdit(text, rnd);
        const next = applyEdit(text, edit);
        const full = parseYaml(next);
        const update = updateYaml(yaml, edit, next);
        if (update) {
          reused++;
          const where = `${name}, edit ${i} ${JSON.stringify(edit)}`;
          assert.deepEqual(structure(update.yaml.root), structure(full.root), `tree after ${where}`);
          assert.deepEqual(sorted(update.yaml.errors), sorted(full.errors), `errors after ${where}`);
          assert.deepEqual(update.yaml.comments, full.comments, `comments after ${where}`);
          yaml = update.yaml;
        } else {
          yaml = full;
        }
        text = next;
      }
      // Only sequence files have long step lists; typing elsewhere is read in full by design.
      if (parseDocument(`/work/${name}`, original).kind === 'sequence') {
        reusedInAll += reused;
        editsInSequences += EDITS_PER_DOCUMENT;
      }
    });
  }
  // Random edits soon wreck a file's structure; enough of them must still take the incremental path
  // for this comparison to mean something (typing itself is measured below).
  test('a fair share of the random edits above were applied incrementally', () => {
    assert.ok(reusedInAll > editsInSequences / 8, `${reusedInAll} of ${editsInSequences}`);
  });
});

describe('typing inside steps is incremental', () => {
  test('a letter typed anywhere inside the steps of a sequence, except in the indentation', () => {
    const text = editableDocuments()['deploy-windows-11.tsq.yaml'];
    const stepsStart = text.indexOf('\nsteps:') + '\nsteps:'.length;
    let typed = 0,
      incremental = 0;
    for (let at = stepsStart; at <= text.length; at++) {
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      if (/^\s*$/.test(text.slice(lineStart, at))) continue;
      const edit = { start: at, end: at, text: 'x' };
      typed++;
      if (updateDocument(parseDocument('/w/d.tsq.yaml', text), edit, applyEdit(text, edit), 1).change) incremental++;
    }
    assert.ok(incremental > typed * 0.97, `${incremental} of ${typed}`);
  });
});

describe('incremental document updates equal a full parse', () => {
  let incremental = 0,
    total = 0;
  /** Applies `edit` both ways, compares, and returns the updated document. */
  const step = (doc: TsqDocument, edit: TextEdit, where: string): TsqDocument => {
    const next = applyEdit(doc.text, edit);
    const version = doc.version + 1;
    const full = parseDocument(doc.id, next, version);
    const update = updateDocument(doc, edit, next, version);
    // Only sequence files are updated in place; the other kinds are always built anew by design.
    if (doc.kind === 'sequence') {
      total++;
      if (update.change) incremental++;
    }
    assert.equal(update.doc.text, next);
    assert.equal(update.doc.version, version);
    assert.equal(update.doc.kind, full.kind, `kind after ${where}`);
    assert.deepEqual(sorted(update.doc.problems), sorted(full.problems), `problems after ${where}`);
    assert.deepEqual(structure(update.doc.model), structure(full.model), `model after ${where}`);
    assert.deepEqual(sorted(update.doc.yaml.errors), sorted(full.yaml.errors), `errors after ${where}`);
    return update.doc;
  };
  for (const [name, original] of Object.entries(editableDocuments())) {
    test(name, () => {
      const rnd = random(name.length * 104729 + 3);
      let doc = parseDocument(`/work/${name}`, original);
      for (let i = 0; i < EDITS_PER_DOCUMENT; i++) {
        const before = doc.text;
        const edit = randomEdit(before, rnd);
        doc = step(doc, edit, `${name}, edit ${i} ${JSON.stringify(edit)}`);
        // Undoing most edits keeps the file close to valid, the state most typing happens in.
        if (rnd() < 0.8)
          doc = step(
            doc,
            { start: edit.start, end: edit.start + edit.text.length, text: before.slice(edit.start, edit.end) },
            `${name}, undo of edit ${i}`,
          );
      }
    });
  }
  test('a fair share of the edits above rebuilt one step only', () => {
    assert.ok(incremental > total / 8, `${incremental} of ${total}`);
  });
});

describe('what an incremental update reports', () => {
  test('typing in one step rebuilds that step only and moves the later ones', () => {
    const text = 'sequence: S\nsteps:\n  - name: A\n    run: a\n  - name: B\n    run: b\n';
    const doc = parseDocument('/w/s.tsq.yaml', text);
    const model = doc.model as SequenceModel;
    const [a, b] = model.steps;
    const at = text.indexOf('run: a') + 'run: a'.length;
    const { doc: next, change } = updateDocument(
      doc,
      { start: at, end: at, text: 'bc' },
      applyEdit(text, { start: at, end: at, text: 'bc' }),
      2,
    );
    assert.ok(change, 'the edit was applied incrementally');
    const steps = (next.model as SequenceModel).steps;
    assert.notEqual(steps[0], a, 'the edited step is new');
    assert.equal(steps[1], b, 'the step after it is kept');
    assert.equal(steps[1].span.start, text.indexOf('name: B') + 2);
    assert.deepEqual(change.removed, { start: text.indexOf('name: A'), end: text.indexOf('run: a') + 6 });
    assert.equal(change.delta, 2);
  });

  test("a kept step's option spans follow the edit, and a span read from an option is the reader's own", () => {
    const text = 'sequence: S\nsteps:\n  - name: A\n    run: a\n  - name: B\n    action: X\n    with: { k: v }\n';
    const doc = parseDocument('/w/s.tsq.yaml', text);
    const kept = (doc.model as SequenceModel).steps[1];
    const at = text.indexOf('run: a') + 'run: a'.length;
    const edit = { start: at, end: at, text: 'bcd' };
    const next = updateDocument(doc, edit, applyEdit(text, edit), 2).doc;
    const full = parseDocument('/w/s.tsq.yaml', next.text);
    const [moved] = ((next.model as SequenceModel).steps[1] as StepNode).options;
    const [fresh] = ((full.model as SequenceModel).steps[1] as StepNode).options;
    assert.equal((next.model as SequenceModel).steps[1], kept, 'the step after the edit is kept');
    assert.deepEqual([moved.keySpan, moved.span], [fresh.keySpan, fresh.span]);
    assert.equal(next.text.slice(moved.span.start, moved.span.end), 'v');
    const span = moved.span;
    span.start = 0;
    assert.deepEqual(moved.span, fresh.span, 'changing a span read from an option changes nothing else');
  });

  test('an edit at the top level builds the model anew', () => {
    const text = 'sequence: S\nsteps:\n  - name: A\n    run: a\n';
    const doc = parseDocument('/w/s.tsq.yaml', text);
    const edit = { start: 10, end: 11, text: 'T' };
    const { change, doc: next } = updateDocument(doc, edit, applyEdit(text, edit), 2);
    assert.equal(change, undefined);
    assert.equal((next.model as SequenceModel).name, 'T');
  });

  test('what is derived from a model updated in place follows the edit (child sequence calls)', () => {
    const text =
      'sequence: S\nsteps:\n  - name: Pad\n    run: a\n  - name: Child\n    action: RunTaskSequence\n    with: { sequence: one.tsq.yaml }\n';
    const ws = new Workspace();
    const doc = parseDocument('/w/s.tsq.yaml', text);
    ws.upsert(doc);
    assert.deepEqual(
      childCalls(ws, doc.id, doc.model as SequenceModel).map((c) => c.ref),
      ['one.tsq.yaml'],
    );
    const at = text.indexOf('one.tsq');
    const edit = { start: at, end: at + 3, text: 'second' };
    const newText = applyEdit(text, edit);
    const { doc: next, change } = updateDocument(doc, edit, newText, 2);
    assert.ok(change, 'the edit was applied incrementally');
    assert.equal(next.model, doc.model, 'the same model object, updated in place');
    const calls = childCalls(ws, next.id, next.model as SequenceModel);
    assert.deepEqual(
      calls.map((c) => [c.ref, newText.slice(c.refStart, c.refEnd)]),
      [['second.tsq.yaml', 'second.tsq.yaml']],
    );
    const before = newText.indexOf('run: a') + 6;
    const moved = updateDocument(
      next,
      { start: before, end: before, text: 'bc' },
      applyEdit(newText, { start: before, end: before, text: 'bc' }),
      3,
    );
    const shifted = childCalls(ws, moved.doc.id, moved.doc.model as SequenceModel)[0];
    assert.equal(
      moved.doc.text.slice(shifted.refStart, shifted.refEnd),
      'second.tsq.yaml',
      'offsets follow an edit before the step',
    );
  });

  test('a file with anchors is always read in full', () => {
    const text = 'sequence: S\nsteps:\n  - &a { name: A, run: a }\n  - *a\n';
    const edit = { start: text.indexOf('run: a') + 5, end: text.indexOf('run: a') + 6, text: 'b' };
    assert.equal(updateYaml(parseYaml(text), edit, applyEdit(text, edit)), undefined);
  });
});

describe('the incremental model update knows every field of the model', () => {
  // A span field added to the model later must be moved by model/incremental.ts too: this fails
  // until MODEL_FIELDS (and the code that moves spans) has been told about it.
  test('every field of sequences, variables, groups, steps and options is known', () => {
    const seen = {
      sequence: new Set<string>(),
      variable: new Set<string>(),
      node: new Set<string>(),
      group: new Set<string>(),
      step: new Set<string>(),
      option: new Set<string>(),
    };
    for (const text of Object.values(editableDocuments())) {
      const model = parseDocument('/w/x.tsq.yaml', text).model as SequenceModel | undefined;
      if (model?.kind !== 'sequence') continue;
      Object.keys(model).forEach((k) => seen.sequence.add(k));
      for (const v of model.variables) Object.keys(v).forEach((k) => seen.variable.add(k));
      for (const n of walk(model.steps)) {
        for (const k of Object.keys(n))
          ((MODEL_FIELDS.node as readonly string[]).includes(k)
            ? seen.node
            : n.kind === 'group'
              ? seen.group
              : seen.step
          ).add(k);
        if (n.kind === 'step') for (const o of n.options) Object.keys(o).forEach((k) => seen.option.add(k));
      }
    }
    for (const [kind, keys] of Object.entries(seen)) {
      const known = MODEL_FIELDS[kind as keyof typeof MODEL_FIELDS] as readonly string[];
      assert.deepEqual(
        [...keys].filter((k) => !known.includes(k)),
        [],
        `unknown ${kind} fields`,
      );
    }
  });
});
