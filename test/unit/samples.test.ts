// The real exported sequences among the shared samples are XML, not tsq YAML: reading one as a tsq
// file must still give a document and clear diagnostics, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { documentFromBytes } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { sharedPath } from '../helpers/shared-files';


function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('every shared sample file reads and analyses without throwing', () => {
  const all = files(sharedPath('samples'));
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
