// Shared pieces of the interop tests: ConfigMgr's exported sample sequences, temporary folders, turning
// an imported plan into a workspace, and building zip archives with hostile details (the zip
// writer refuses those names, so tests rename entries in the finished bytes).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yazl from 'yazl';
import { parseDocument, type TsqDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import type { OutputFile } from '../../server/src/interop/files';
import { SAMPLES_DIR as ALL_SAMPLES, skipUnlessPresent } from '../helpers/outside-samples';

export const SAMPLES_DIR = path.join(ALL_SAMPLES, 'xml');
export const noSamples = skipUnlessPresent('The exported ConfigMgr sample sequences', SAMPLES_DIR);
export const samplesPresent = noSamples === false;

export function sampleFiles(): string[] {
  return samplesPresent
    ? fs
        .readdirSync(SAMPLES_DIR)
        .filter((f) => f.endsWith('.xml'))
        .sort()
        .map((f) => path.join(SAMPLES_DIR, f))
    : [];
}

export const CONFIGMGR_SAMPLE = path.join(SAMPLES_DIR, 'forevanyeung-tasksequences-RSC002A6-sequence.xml');

export function tempDir(prefix = 'tsq-interop-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under `dir`, relative, sorted. */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).replace(/\\/g, '/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Loads planned files (as an import would write them under `root`) into a workspace. */
export function workspaceOf(
  files: OutputFile[],
  root = '/virtual/import',
): { ws: Workspace; docs: Map<string, TsqDocument> } {
  const ws = new Workspace();
  const docs = new Map<string, TsqDocument>();
  for (const f of files) {
    if (!f.path.endsWith('.tsq.yaml')) continue;
    const doc = parseDocument(path.posix.join(root, f.path), String(f.data));
    ws.upsert(doc);
    docs.set(f.path, doc);
  }
  return { ws, docs };
}

/** A zip written by yazl from `entries` (name → content, with an optional unix mode). */
export function makeZip(
  entries: { name: string; data: Buffer | string; mode?: number; store?: boolean }[],
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const e of entries)
      z.addBuffer(Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data), e.name, { mode: e.mode, compress: !e.store });
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
    z.end();
  });
}

/** Replaces every occurrence of an entry name in the archive bytes with one of the same length. */
export function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('names must have the same length');
  const out = Buffer.from(zip);
  const a = Buffer.from(from),
    b = Buffer.from(to);
  for (let i = out.indexOf(a); i >= 0; i = out.indexOf(a, i + 1)) b.copy(out, i);
  return out;
}
