// The deployment and media examples: the realistic ones lint clean (together with the sequences
// and catalog beside them), and examples/broken shows every deployment and media rule (and the documented-placement rules) at the line
// its end-of-line comment names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { loadPaths } from '../../server/src/frontend/load-paths';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';

// From out/test/unit, three levels up is the repository.
const EXAMPLES = nodePath.join(__dirname, '../../../examples');

function lint(dir: string): Diagnostic[] {
  const { ws, targets } = loadPaths([dir]);
  return targets.flatMap((id) => analyzeDocument(ws, ws.get(id)!));
}

test('the examples, deployments and media included, lint without a finding', () => {
  const kinds = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.tsq.yaml')).map((f) => fs.readFileSync(nodePath.join(EXAMPLES, f), 'utf8').match(/^(deployment|media):/m)?.[1]);
  assert.ok(kinds.includes('deployment') && kinds.includes('media'), 'the examples hold deployment and media files');
  assert.deepEqual(lint(EXAMPLES).map((d) => `${nodePath.basename(d.docId)}: ${d.message} [${d.code}]`), []);
});

test('examples/broken shows each deployment, media and documented-placement rule on the line its comment names', () => {
  const broken = nodePath.join(EXAMPLES, 'broken');
  const found = lint(broken);
  const codes = ['user-collection', 'deploy-broken-sequence', 'high-risk-deployment', 'content-option', 'network-access-account', 'write-filter', 'embedded-maintenance-window', 'maintenance-window', 'standalone-media', 'fat32-file-size', 'architecture-mismatch', 'child-boot-image', 'continue-on-error-ignored', 'setup-windows-in-full-os', 'winpe-without-boot-image', 'dynamic-rules', 'dynamic-rules-xml'];
  for (const code of codes) {
    const marked: string[] = [];
    for (const file of fs.readdirSync(broken).filter((f) => f.endsWith('.tsq.yaml'))) {
      const text = fs.readFileSync(nodePath.join(broken, file), 'utf8');
      text.split(/\r?\n/).forEach((line, i) => {
        if (new RegExp(`^\\s*[^#\\s].*#.*(?<![\\w-])${code}(?![\\w-])`).test(line)) marked.push(`${file}:${i + 1}`);
      });
    }
    assert.ok(marked.length > 0, `no example is marked with ${code}`);
    for (const where of marked) {
      const [file, line] = where.split(':');
      const hit = found.some((d) => d.code === code && nodePath.basename(d.docId) === file && offsetLine(d) === Number(line));
      assert.ok(hit, `${where} is marked ${code} but tsq reports no such finding there`);
    }
  }
});

function offsetLine(d: Diagnostic): number {
  const text = fs.readFileSync(d.docId, 'utf8');
  return text.slice(0, d.start).split(/\r\n|\r|\n/).length;
}
