// The helper thread of parallel-check.ts (its own bundle, dist/check-worker.js): builds the
// workspace the caller describes, stands down unless it is the caller's own (same fingerprint),
// then checks files from the shared counter until none is left, sending each file's findings.

import { parentPort, workerData } from 'node:worker_threads';
import { analyzeDocument } from '../analysis/analyze';
import { loadPaths } from '../frontend/load-paths';
import { setTsqFileLimitBytes } from '../files/read';
import type { Workspace } from '../semantics/workspace';
import {
  CALLER_STATE,
  FINGERPRINT_AT,
  NEXT_FILE,
  PUBLISHED,
  BUILDING,
  fingerprint,
  type HelperMessage,
  type HelperStart,
  type WorkspaceRecipe,
} from './parallel-check';

function build(recipe: WorkspaceRecipe): { ws: Workspace; targets: string[] } {
  const { ws, targets } = loadPaths(recipe.paths);
  return { ws, targets: recipe.check === 'all' ? [...ws.all()].map((d) => d.id) : targets };
}

function run(start: HelperStart): void {
  const say = (m: HelperMessage) => parentPort!.postMessage(m);
  setTsqFileLimitBytes(start.maxFileBytes);
  const { ws, targets } = build(start.recipe);
  const mine = fingerprint(ws, targets);
  const slots = new Int32Array(start.shared, 0, 2);
  Atomics.wait(slots, CALLER_STATE, BUILDING);
  const theirs = new Uint8Array(start.shared, FINGERPRINT_AT, mine.length);
  if (Atomics.load(slots, CALLER_STATE) !== PUBLISHED || !mine.every((b, i) => b === theirs[i])) {
    say({ type: 'different' });
    return;
  }
  say({ type: 'ready' });
  for (let i = Atomics.add(slots, NEXT_FILE, 1); i < targets.length; i = Atomics.add(slots, NEXT_FILE, 1)) {
    let diagnostics;
    try {
      diagnostics = analyzeDocument(ws, ws.get(targets[i])!, { severity: start.severity });
    } catch {
      // The caller checks this file itself, and reports what goes wrong there.
      say({ type: 'failed', index: i });
      continue;
    }
    say({ type: 'checked', index: i, diagnostics });
  }
  say({ type: 'done' });
}

run(workerData as HelperStart);
