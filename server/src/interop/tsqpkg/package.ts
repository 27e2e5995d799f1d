// tsq's own package (.tsqpkg): a zip holding a sequence, its children, the catalog subset and
// machine profiles it needs, and a manifest (tsqpkg.json) with the size and SHA-256 of every
// file. With a password, every file and the list of files itself are encrypted with AES-256-GCM
// under a key derived by scrypt from the password and a random salt; each file is bound to its
// place by the GCM associated data, so files cannot be swapped, dropped or altered unnoticed.
// Reading verifies everything before handing any file out.

import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { InteropError } from '../errors';
import { checkImportPaths, type OutputFile } from '../files';
import type { ZipEntry } from '../opc/zip';

export const MANIFEST_NAME = 'tsqpkg.json';
/** Folder of a plain package's files inside the zip. */
export const PACKAGED_FILES = 'files/';
const FORMAT = 'tsqpkg';
const VERSION = 1;

/** scrypt cost used when writing; readers accept up to the caps below (a hostile file cannot make us spend more). */
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };
const SCRYPT_CAPS = { N: 1 << 20, r: 16, p: 4 };
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

interface Encryption {
  cipher: 'aes-256-gcm';
  kdf: 'scrypt';
  salt: string;
  N: number;
  r: number;
  p: number;
  /** The encrypted `{ root, entries }` (iv, ciphertext, tag; base64). */
  manifest: string;
}

interface Manifest {
  format: string;
  version: number;
  /** The main sequence, relative to the package root (inside the encrypted part when protected). */
  root?: string;
  entries?: ManifestEntry[];
  encryption?: Encryption;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function deriveKey(password: string, salt: Buffer, N: number, r: number, p: number): Buffer {
  return scryptSync(password.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

function seal(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, body, c.getAuthTag()]);
}

/** Decrypts and authenticates; undefined when the key is wrong or the data was changed. */
function open(key: Buffer, sealed: Buffer, aad: string): Buffer | undefined {
  if (sealed.length < 28) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- a failed authentication is the answer (wrong password or altered data); every caller says which
    return undefined;
  }
}

const dataName = (i: number) => `data/${i}`;
const fileAad = (i: number, p: string) => `${FORMAT}:${VERSION}:file:${i}:${p}`;
const MANIFEST_AAD = `${FORMAT}:${VERSION}:manifest`;

/** The zip entries of a package holding `files`; `root` names the main sequence. */
export function buildTsqPackage(files: OutputFile[], root: string, password?: string): ZipEntry[] {
  const list: ManifestEntry[] = files.map((f) => {
    const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'utf8');
    return { path: f.path, size: data.length, sha256: sha256(data) };
  });
  const bodies = files.map((f) => (Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'utf8')));
  if (!password) {
    const manifest: Manifest = { format: FORMAT, version: VERSION, root, entries: list };
    return [
      { name: MANIFEST_NAME, data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') },
      ...files.map((f, i) => ({ name: `${PACKAGED_FILES}${f.path}`, data: bodies[i] })),
    ];
  }
  const salt = randomBytes(16);
  const key = deriveKey(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  const sealedList = seal(key, Buffer.from(JSON.stringify({ root, entries: list }), 'utf8'), MANIFEST_AAD);
  const manifest: Manifest = {
    format: FORMAT,
    version: VERSION,
    encryption: {
      cipher: 'aes-256-gcm',
      kdf: 'scrypt',
      salt: salt.toString('base64'),
      ...SCRYPT,
      manifest: sealedList.toString('base64'),
    },
  };
  return [
    { name: MANIFEST_NAME, data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') },
    ...list.map((e, i) => ({ name: dataName(i), data: seal(key, bodies[i], fileAad(i, e.path)) })),
  ];
}

export function isTsqPackage(entries: ZipEntry[]): boolean {
  return entries.some((e) => e.name === MANIFEST_NAME);
}

function bad(
  source: string,
  message: string,
  hint = 'The package was damaged or altered after it was made; ask for a fresh copy. Nothing was written.',
): never {
  throw new InteropError(`${source}: ${message}`, hint);
}

function readManifest(entries: ZipEntry[], source: string): Manifest {
  const m = entries.find((e) => e.name === MANIFEST_NAME)!;
  if (m.data.length > MAX_MANIFEST_BYTES) bad(source, 'the manifest is too large.');
  let json: unknown;
  try {
    json = JSON.parse(m.data.toString('utf8'));
  } catch {
    bad(source, 'the manifest (tsqpkg.json) is not valid JSON.');
  }
  const man = json as Partial<Manifest>;
  if (typeof man !== 'object' || man === null || man.format !== FORMAT)
    bad(source, 'tsqpkg.json is not a tsq package manifest.');
  if (man.version !== VERSION)
    bad(
      source,
      `the package has format version ${String(man.version)}; this tsq reads version ${VERSION}.`,
      'Update tsq to read it.',
    );
  if (!man.encryption && typeof man.root !== 'string') bad(source, 'the manifest does not name the main sequence.');
  return man as Manifest;
}

function checkEntryList(list: unknown, source: string): ManifestEntry[] {
  if (!Array.isArray(list)) bad(source, 'the manifest has no list of files.');
  const entries = list.map((e) => {
    const x = e as Partial<ManifestEntry>;
    if (typeof x?.path !== 'string' || typeof x.sha256 !== 'string' || typeof x.size !== 'number')
      bad(source, 'the manifest lists a file without path, size and SHA-256.');
    return x as ManifestEntry;
  });
  // Before any file is hashed or decrypted: the package may only deliver what tsq writes.
  checkImportPaths(
    entries.map((e) => e.path),
    source,
  );
  return entries;
}

/**
 * Refuses a plain package whose manifest lists a path an import would not write, from the manifest
 * alone (read first, before the files are inflated). Anything else is left to readTsqPackage.
 */
export function checkManifestPaths(manifest: ZipEntry, source: string): void {
  const man = readManifest([manifest], source);
  if (!man.encryption) checkEntryList(man.entries, source);
}

/** Verifies a package and returns its files; wrong password, tampering or missing files are refused. */
export function readTsqPackage(entries: ZipEntry[], source: string, password?: string): OutputFile[] {
  const manifest = readManifest(entries, source);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const out: OutputFile[] = [];
  const expected = new Set<string>([MANIFEST_NAME]);
  const enc = manifest.encryption;
  let root = manifest.root;
  if (!enc) {
    const list = checkEntryList(manifest.entries, source);
    for (const e of list) {
      const name = `${PACKAGED_FILES}${e.path}`;
      expected.add(name);
      const z = byName.get(name);
      if (!z) bad(source, `the file ${e.path} is listed in the manifest but missing from the package.`);
      if (z.data.length !== e.size || sha256(z.data) !== e.sha256)
        bad(source, `the file ${e.path} does not match its SHA-256 in the manifest (it was altered or damaged).`);
      out.push({ path: e.path, data: z.data });
    }
  } else {
    if (enc.cipher !== 'aes-256-gcm' || enc.kdf !== 'scrypt')
      bad(source, `the package is encrypted with ${enc.cipher}/${enc.kdf}, which tsq does not read.`);
    const { N, r, p } = enc;
    if (
      !Number.isInteger(N) ||
      N < 2 ||
      N > SCRYPT_CAPS.N ||
      (N & (N - 1)) !== 0 ||
      !Number.isInteger(r) ||
      r < 1 ||
      r > SCRYPT_CAPS.r ||
      !Number.isInteger(p) ||
      p < 1 ||
      p > SCRYPT_CAPS.p
    ) {
      bad(source, 'the password settings in the manifest are outside what tsq accepts.');
    }
    if (!password)
      throw new InteropError(
        `${source} is protected by a password.`,
        'Give the password (tsq import --password-env NAME, or enter it when VS Code asks).',
      );
    const key = deriveKey(password, Buffer.from(enc.salt, 'base64'), N, r, p);
    const listBytes = open(key, Buffer.from(enc.manifest, 'base64'), MANIFEST_AAD);
    if (!listBytes)
      throw new InteropError(
        `${source}: the password is wrong (or the package's manifest was altered).`,
        'Check the password and try again. Nothing was written.',
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(listBytes.toString('utf8'));
    } catch {
      bad(source, 'the decrypted manifest is not valid JSON.');
    }
    const sealedManifest = parsed as { root?: unknown; entries?: unknown };
    if (typeof sealedManifest?.root !== 'string') bad(source, 'the manifest does not name the main sequence.');
    root = sealedManifest.root;
    const list = checkEntryList(sealedManifest.entries, source);
    list.forEach((e, i) => {
      const name = dataName(i);
      expected.add(name);
      const z = byName.get(name);
      if (!z) bad(source, `the file ${e.path} is listed in the manifest but missing from the package.`);
      const plain = open(key, z.data, fileAad(i, e.path));
      if (!plain || plain.length !== e.size || sha256(plain) !== e.sha256)
        bad(source, `the file ${e.path} was altered (its authentication failed).`);
      out.push({ path: e.path, data: plain });
    });
  }
  for (const e of entries) {
    if (!expected.has(e.name) && !e.name.endsWith('/'))
      bad(
        source,
        `the package holds "${e.name}", which its manifest does not list (files were added after it was made).`,
      );
  }
  if (!out.some((f) => f.path === root)) bad(source, `the main sequence ${String(root)} is not among the files.`);
  return out;
}
