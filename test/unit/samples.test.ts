// The real exported sequences in ../shared/samples are XML, not tsq YAML: reading one as a tsq
// file must still give a document and clear diagnostics, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { documentFromBytes } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';

const samples = path.join(__dirname, '../../../../shared/samples');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('every file in ../shared/samples reads and analyses without throwing', { skip: fs.existsSync(samples) ? false : 'the shared samples folder (../shared/samples) is not beside this checkout' }, () => {
  const all = files(samples);
  assert.ok(all.length >= 5);
  for (const f of all) {
    const doc = documentFromBytes(f, fs.readFileSync(f));
    const ws = new Workspace();
    ws.upsert(doc);
    const diags = analyzeDocument(ws, doc);
    assert.ok(diags.length > 0, `${f}: XML read as a tsq file should say it is not one`);
    assert.ok(diags.every((d) => d.code !== 'internal-error'), `${f}: ${JSON.stringify(diags.filter((d) => d.code === 'internal-error'))}`);
  }
});
