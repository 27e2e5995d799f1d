// What the workspace's health costs: a folder of generated sequences (a few hundred of 100 steps,
// every tenth with a broken package reference), none of them open, under the default `openFiles`
// scope. Measures the language server from `initialize` to its first `tsq/workspaceHealth` summary
// and to the summary that says every file is checked, hover on an open file while that check runs
// (worst and p95: the check must never keep a request waiting), and peak memory; the same folder
// with `tsq.diagnostics.workspaceHealth` off gives the memory the check adds.
// Usage: npm run bench -- workspace-health   (TSQ_BENCH_HEALTH_FILES=300, TSQ_BENCH_HEALTH_STEPS=100)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest, WorkspaceSymbolRequest } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../test/lsp/client';
import { WORKSPACE_HEALTH_NOTIFICATION, type WorkspaceHealth } from '../server/src/frontend/workspace-health-protocol';
import { BENCH_CATALOG, generateSequence } from './generate';
import { percentile, table } from './util';
import { probeHover } from './hover-probe';

const FILES = Number(process.env.TSQ_BENCH_HEALTH_FILES ?? 300);
const STEPS = Number(process.env.TSQ_BENCH_HEALTH_STEPS ?? 100);

function writeWorkspace(dir: string): void {
  writeFileSync(join(dir, 'catalog.tsq.yaml'), BENCH_CATALOG);
  const text = generateSequence(STEPS);
  for (let i = 0; i < FILES; i++)
    writeFileSync(join(dir, `seq-${i}.tsq.yaml`), i % 10 === 0 ? text.replaceAll('BEN00077', 'BEN09999') : text);
}

interface Run {
  firstMs: number;
  doneMs: number;
  health: WorkspaceHealth;
  hoverWorstMs: number;
  hoverCount: number;
  hoverP95Ms: number;
  hoverIdleP95Ms: number;
  peakMB: number;
}

async function withHealth(dir: string): Promise<Run> {
  const started = performance.now();
  const client = await TestClient.start({ folder: dir });
  try {
    const summaries = () => (client.notifications.get(WORKSPACE_HEALTH_NOTIFICATION) ?? []) as WorkspaceHealth[];
    await client.until(() => (summaries().length ? true : undefined), 'the first summary', 600_000);
    const firstMs = performance.now() - started;
    const uri = pathToFileURL(join(dir, 'seq-1.tsq.yaml')).href;
    await client.open(uri, readFileSync(join(dir, 'seq-1.tsq.yaml'), 'utf8'));
    const probe = probeHover(client, uri, { line: 0, character: 3 });
    const health = await client.until(
      () => summaries().find((h) => !h.checking && h.checked >= FILES + 1),
      'every file checked',
      600_000,
    );
    const doneMs = performance.now() - started;
    const latencies = await probe.stop();
    // The same hover once nothing runs in the background, to tell the check's share from the machine's load.
    const idle: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: 0, character: 3 },
      });
      idle.push(performance.now() - t);
    }
    return {
      firstMs,
      doneMs,
      health,
      hoverWorstMs: Math.max(...latencies),
      hoverCount: latencies.length,
      hoverP95Ms: percentile(latencies, 95),
      hoverIdleP95Ms: percentile(idle, 95),
      peakMB: client.peakMemoryMB() ?? NaN,
    };
  } finally {
    await client.stop();
  }
}

/** Peak memory of the server with the check off, once the folder is read (workspace symbols answer after it). */
async function withoutHealth(dir: string): Promise<number> {
  const client = await TestClient.start({ folder: dir, settings: { diagnostics: { workspaceHealth: false } } });
  try {
    await client.until(
      () => (client.log.some((l) => /read \d+ task sequence file/.test(l)) ? true : undefined),
      'the folder read',
      600_000,
    );
    await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'Generated' });
    return client.peakMemoryMB() ?? NaN;
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsq-bench-health-'));
  try {
    writeWorkspace(dir);
    const r = await withHealth(dir);
    const offMB = await withoutHealth(dir);
    console.log(
      `\nworkspace health: ${FILES} sequences of ${STEPS} steps (+ a catalog), none open, scope "openFiles"\n`,
    );
    console.log(
      table(
        ['measure', 'value'],
        [
          ['initialize → first summary', `${r.firstMs.toFixed(0)} ms`],
          ['initialize → every file checked', `${r.doneMs.toFixed(0)} ms`],
          [
            'summary',
            `${r.health.errors} errors, ${r.health.warnings} warnings in ${r.health.filesWithProblems} files`,
          ],
          ['hover on an open file meanwhile: worst', `${r.hoverWorstMs.toFixed(0)} ms`],
          ['hover on an open file meanwhile: p95', `${r.hoverP95Ms.toFixed(0)} ms`],
          ['hover once every file is checked: p95', `${r.hoverIdleP95Ms.toFixed(0)} ms`],
          ['hover probes while checking', `${r.hoverCount}`],
          ['server peak memory', `${r.peakMB.toFixed(0)} MB`],
          ['server peak memory, check off', `${offMB.toFixed(0)} MB`],
        ],
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
