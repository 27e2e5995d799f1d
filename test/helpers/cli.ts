// Runs the `tsq` command in-process for tests, capturing what it prints, and gives tests a
// scratch folder that is removed afterwards.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';

export async function tsq(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const io: CliIO = { out: (s) => void (out += s), err: (s) => void (err += s), color: false, version: '0.0.0-test' };
  const code = await main(args, io);
  return { code, out, err };
}

/** Runs `body` with a fresh folder that is removed afterwards. */
export async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsq-test-'));
  try {
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
