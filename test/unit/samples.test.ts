// The real exported ConfigMgr sequences (test/helpers/outside-samples.ts) are XML, not tsq YAML:
// reading one as a tsq file must still give a document and clear diagnostics, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { documentFromBytes } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { SAMPLES_DIR as samples, skipUnlessPresent } from '../helpers/outside-samples';

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test(
  'every exported sample reads and analyses without throwing',
  { skip: skipUnlessPresent('The exported ConfigMgr samples', samples) },
  () => {
    const all = files(samples);
    assert.ok(all.length >= 5);
    for (const f of all) {
      const doc = documentFromBytes(f, fs.readFileSync(f));
      const ws = new Workspace();
      ws.upsert(doc);
      const diags = analyzeDocument(ws, doc);
      assert.ok(diags.length > 0, `${f}: XML read as a tsq file should say it is not one`);
      assert.ok(
        diags.every((d) => d.code !== 'internal-error'),
        `${f}: ${JSON.stringify(diags.filter((d) => d.code === 'internal-error'))}`,
      );
    }
  },
);
