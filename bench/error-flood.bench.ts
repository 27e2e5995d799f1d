// Benchmark of files that are wrong everywhere: 25,000 steps each with an invalid `timeout:`
// (1.4 MB) and 30,000 aliases to one such step (270 KB). Each file is checked by `tsq lint` (a
// fresh process, end to end: what a user waits for) and opened in the language server (didOpen →
// diagnostics, then a one-character edit → diagnostics, with `tsq.diagnostics.delay` 0 so that
// the edit's figure is the server's work, not the pause it takes after typing in a file whose
// last check was slow). The schema check once took 7 and 11 s on them (ajv concatenates the
// errors of a recursive `$ref` at every level); it now validates one entry of `steps:` at a time
// and must stay near-linear in the file size.
// Usage: npm run bench -- flood

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient, repoRoot } from '../test/lsp/client';
import { aliasFloodSequence, timeoutFloodSequence } from './generate';
import { median, table } from './util';

const RUNS = 3;
const TIMEOUT_MS = 180_000;

const FILES: Record<string, string> = {
  '25,000 bad timeouts': timeoutFloodSequence(25_000),
  '30,000 aliases to a bad step': aliasFloodSequence(30_000),
};

interface Row {
  lint: number[];
  findings: number;
  open: number[];
  edit: number[];
  published: number;
  peakMB: number;
}

function lint(file: string): { ms: number; findings: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'tsq.js'), 'lint', '--format', 'json', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: TIMEOUT_MS,
  });
  const ms = performance.now() - t0;
  if (r.status !== 1) throw new Error(`tsq lint ${file}: exit ${r.status}\n${r.stderr}`);
  return { ms, findings: (JSON.parse(r.stdout) as unknown[]).length };
}

async function editor(
  folder: string,
  file: string,
  text: string,
): Promise<Pick<Row, 'open' | 'edit' | 'published' | 'peakMB'>> {
  const client = await TestClient.start({ folder, settings: { diagnostics: { delay: 0 } } });
  const uri = pathToFileURL(file).href;
  const open: number[] = [],
    edit: number[] = [];
  let published = 0;
  try {
    for (let i = 0; i < RUNS; i++) {
      const seen = client.published(uri);
      const t0 = performance.now();
      await client.open(uri, text, 1);
      published = (await client.diagnosticsFor(uri, { after: seen, version: 1, timeoutMs: TIMEOUT_MS })).length;
      open.push(performance.now() - t0);
      // One character typed into the first step's name (the step every alias names, in the alias file).
      const line = 2,
        character = text.split('\n')[2].indexOf('Step') + 4;
      const before = client.published(uri);
      const t1 = performance.now();
      await client.change(uri, 2, [{ range: { start: { line, character }, end: { line, character } }, text: 'x' }]);
      await client.diagnosticsFor(uri, { after: before, version: 2, timeoutMs: TIMEOUT_MS });
      edit.push(performance.now() - t1);
      const closing = client.published(uri);
      await client.close(uri);
      await client.until(
        () => (client.published(uri) > closing ? true : undefined),
        'diagnostics cleared on close',
        TIMEOUT_MS,
      );
    }
    return { open, edit, published, peakMB: client.peakMemoryMB() ?? NaN };
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'tsq-bench-flood-'));
  const rows: string[][] = [];
  try {
    for (const [name, text] of Object.entries(FILES)) {
      const file = join(folder, `${name.replace(/[^a-z0-9]+/gi, '-')}.tsq.yaml`);
      writeFileSync(file, text);
      const runs = Array.from({ length: RUNS }, () => lint(file));
      const lsp = await editor(folder, file, text);
      const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
      rows.push([
        name,
        `${(text.length / 1e6).toFixed(2)} MB`,
        ms(runs.map((r) => r.ms)),
        String(runs[0].findings),
        ms(lsp.open),
        ms(lsp.edit),
        String(lsp.published),
        `${lsp.peakMB.toFixed(0)} MB`,
      ]);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  console.log(
    `\nFiles wrong everywhere: \`tsq lint\` end to end (fresh process, includes Node start-up) and the language server (median of ${RUNS})\n`,
  );
  console.log(
    table(
      [
        'file',
        'size',
        'tsq lint',
        'findings',
        'didOpen → diagnostics',
        'edit → diagnostics',
        'diagnostics',
        'server peak RSS',
      ],
      rows,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
