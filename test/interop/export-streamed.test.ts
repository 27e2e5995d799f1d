// `tsq export --format xml` writes each top-level group as soon as it is built instead of building
// the whole element tree first. These tests pin that the bytes, and the refusal when a file has
// several problems, are those of writing the whole tree.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planImport } from '../../server/src/interop/import';
import { sequenceToXml, sequenceXmlBytes } from '../../server/src/interop/export/sequence-xml';
import { writeXmlBytes, type WriteXmlOptions } from '../../server/src/interop/xml/write';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { noSamples, sampleFiles, workspaceOf } from './helpers';

const OPTIONS: WriteXmlOptions[] = [{}, { indent: '' }, { indent: '\t', declaration: true }];

/** Both ways of writing: the outcome (bytes or refusal) of each. */
function bothWays(doc: TsqDocument, ws: Workspace, options: WriteXmlOptions) {
  const outcome = (write: () => Buffer) => {
    try {
      return { bytes: write().toString('utf8') };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  return {
    streamed: outcome(() => sequenceXmlBytes(doc, ws, options).bytes),
    wholeTree: outcome(() => writeXmlBytes(sequenceToXml(doc, ws).root, options)),
  };
}

function single(text: string) {
  const doc = parseDocument('/virtual/s.tsq.yaml', text);
  const ws = new Workspace();
  ws.upsert(doc);
  return { doc, ws };
}

describe('export written group by group', () => {
  test('every imported sample gives the same bytes as writing the whole tree', { skip: noSamples }, async () => {
    for (const file of sampleFiles()) {
      const planned = await planImport(fs.readFileSync(file), path.basename(file));
      assert.ok(planned.ok);
      const { ws, docs } = workspaceOf(planned.value.files);
      const doc = docs.get(planned.value.sequences[0].file)!;
      for (const options of OPTIONS) {
        const { streamed, wholeTree } = bothWays(doc, ws, options);
        assert.ok('bytes' in streamed, path.basename(file));
        assert.deepEqual(streamed, wholeTree, `${path.basename(file)} ${JSON.stringify(options)}`);
      }
    }
  });

  test('an empty sequence is one self-closing element, as before', () => {
    const { doc, ws } = single('sequence: Empty\nsteps: []\n');
    for (const options of OPTIONS) {
      const { streamed, wholeTree } = bothWays(doc, ws, options);
      assert.deepEqual(streamed, wholeTree);
      assert.match(streamed.bytes ?? '', /<sequence version="3.10"\/>/);
    }
  });

  test('with several problems, the refusal is the one writing the whole tree gives', () => {
    const steps = (first: string, second: string) =>
      `steps:\n  - group: A\n    steps:\n      - name: "${first}"\n        action: RestartComputer\n  - group: B\n    steps:\n      - name: "${second}"\n        action: RestartComputer\n`;
    const cases = {
      'an unwritable character in a sequence variable (written first) wins over one in a step': `sequence: S\nvariables:\n  V: "bell\\a"\n${steps('x\\a', 'ok')}`,
      'the first unwritable step wins over a later one': `sequence: S\n${steps('one\\a', 'two\\x01')}`,
      'a step that cannot be built wins over an earlier unwritable character': `sequence: S\n${steps('x\\a', 'ok')}      - name: broken\n        action: NoSuchStep\n`,
      'an unreadable kept element wins over an unwritable step': `sequence: S\nconfigMgr:\n  xml:\n    elements: ["<bad"]\n${steps('x\\a', 'ok')}`,
    };
    for (const [what, text] of Object.entries(cases)) {
      const { doc, ws } = single(text);
      for (const options of OPTIONS) {
        const { streamed, wholeTree } = bothWays(doc, ws, options);
        assert.ok('error' in wholeTree, `${what}: writing the whole tree refuses`);
        assert.deepEqual(streamed, wholeTree, what);
      }
    }
  });
});
