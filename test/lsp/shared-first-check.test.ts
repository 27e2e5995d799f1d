// The language server's first check of a large folder, shared with helper threads
// (server/src/lsp/shared-first-check.ts), publishes what the server alone publishes, file for file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient } from './client';
import { generateWorkspace } from '../../bench/generate-workspace';
import { HELPERS_ENV } from '../../server/src/workers/worker-threads';

/** A generated repository with a broken reference in every fifth file; returns its folder and file count. */
function writeRepository(): { folder: string; files: number } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-shared-check-'));
  const generated = generateWorkspace({
    sequences: 60,
    catalogs: 3,
    minSteps: 10,
    maxSteps: 60,
    hotReferrers: 5,
    seed: 11,
  });
  Object.entries(generated.files).forEach(([rel, text], i) => {
    const file = path.join(folder, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, i % 5 === 0 ? text.replace(/S00[0-9A-F]{5}/, 'S00FFFFF') : text);
  });
  return { folder, files: Object.keys(generated.files).length };
}

/** Every file's first diagnostics and the last health summary, with `helpers` helper threads. */
async function firstCheck(folder: string, files: number, helpers: number) {
  const before = process.env[HELPERS_ENV];
  process.env[HELPERS_ENV] = String(helpers);
  const client = await TestClient.start({ folder, settings: { diagnostics: { scope: 'workspace' } } });
  if (before === undefined) delete process.env[HELPERS_ENV];
  else process.env[HELPERS_ENV] = before;
  try {
    await client.until(() => (client.diagnostics.size >= files ? true : undefined), 'every file checked', 120_000);
    const health = await client.until(() => {
      const sent = client.notifications.get('tsq/workspaceHealth') ?? [];
      const last = sent[sent.length - 1] as { checking: boolean } | undefined;
      return last && !last.checking ? last : undefined;
    }, 'the check is over');
    // With helpers, the pass logs what it did once its threads are done, which may be after the
    // last file's diagnostics and the health summary that says the check is over.
    if (helpers > 0) await client.until(() => client.log.find((l) => /helper thread\(s\)/.test(l)), 'the pass logged');
    const published = [...client.diagnostics].map(([uri, sent]) => [uri, sent[0].diagnostics] as const).sort();
    return { published, health, log: client.log.join('\n') };
  } finally {
    await client.stop();
  }
}

test('the first check of a folder shared with a helper thread publishes what the server alone publishes', async () => {
  const { folder, files } = writeRepository();
  try {
    const alone = await firstCheck(folder, files, 0);
    const shared = await firstCheck(folder, files, 1);
    assert.ok(
      alone.published.some(([, list]) => list.some((d) => d.severity === 1)),
      'the broken references are errors',
    );
    assert.deepEqual(shared.published, alone.published);
    assert.deepEqual(shared.health, alone.health);
    assert.match(shared.log, new RegExp(`checked ${files} file\\(s\\) in .*, \\d+ of them in 1 helper thread\\(s\\)`));
    assert.doesNotMatch(alone.log, /helper thread/);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
