// The snippets and file templates (snippets/tasksequence.json) must give files tsq accepts: with
// their placeholders left at the suggested values, every template and every step lints without
// errors or warnings (references stay unchecked until the workspace has a catalog).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { snippetText as expandSnippet } from '../../server/src/util/snippet-text';

interface Snippet {
  prefix: string;
  body: string[];
  description: string;
  isFileTemplate?: boolean;
}

const snippets = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'snippets', 'tasksequence.json'), 'utf8'),
) as Record<string, Snippet>;

function problems(text: string): string[] {
  const ws = new Workspace();
  // A child as export needs it: with its ConfigMgr package ID.
  ws.upsert(parseDocument('/snippets/apps.tsq.yaml', 'sequence: Child\npackageId: CM100091\nsteps: []\n'));
  const doc = parseDocument('/snippets/test.tsq.yaml', text);
  ws.upsert(doc);
  return analyzeDocument(ws, doc)
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => `${d.code}: ${d.message}`);
}

describe('snippets and templates', () => {
  const templates = Object.entries(snippets).filter(([, s]) => s.isFileTemplate);

  test('the four templates of the ConfigMgr wizard, a catalog and a machine are there', () => {
    assert.deepEqual(
      templates.map(([name]) => name),
      [
        'Install an existing OS image',
        'Build and capture a reference image',
        'Upgrade Windows with an upgrade package',
        'Custom task sequence',
        'Catalog of the site',
        'Machine for simulation',
      ],
    );
  });

  for (const [name, s] of templates) {
    test(`template “${name}” gives a file without errors or warnings`, () => {
      const text = expandSnippet(s.body.join('\n'));
      assert.deepEqual(problems(text), []);
    });
  }

  for (const [name, s] of Object.entries(snippets).filter(([, x]) => !x.isFileTemplate)) {
    test(`snippet “${name}” (${s.prefix}) gives a valid step or condition`, () => {
      const body = expandSnippet(s.body.join('\n'));
      const text = body.startsWith('when:')
        ? `sequence: S\nsteps:\n  - name: x\n    run: y\n    ${body}\n`
        : // With a boot image, as an OS deployment that holds Windows PE steps has (winpe-without-boot-image).
          `sequence: S\nbootImage: CM100005\nsteps:\n${body
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n')}\n`;
      assert.deepEqual(problems(text), []);
    });
  }

  test('every snippet has a tsq- prefix and a description', () => {
    for (const [name, s] of Object.entries(snippets)) {
      assert.match(s.prefix, /^tsq-/, name);
      assert.ok(s.description.length > 10, name);
    }
  });
});
