// Which kind of tsq file a document is. The top-level key says it (`sequence:`, `catalog:`,
// `machine:`, `deployment:`, `media:`); a first-line modeline `# tsq: <kind>` lets files with other
// names (plain *.yaml) say what they are, so that editors can offer tsq features for them.

import { keyEndAt, keyStartAt, keyTextAt, pairCount, type YNode } from './yaml/nodes';

export const FILE_KINDS = ['sequence', 'catalog', 'machine', 'deployment', 'media'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export function isFileKind(s: string): s is FileKind {
  return (FILE_KINDS as readonly string[]).includes(s);
}

const MODELINE = /^#\s*tsq:\s*([A-Za-z]+)\s*$/;

/** The kind a `# tsq: <kind>` first line declares, if any. */
export function modelineKind(text: string): { kind?: FileKind; unknown?: string } | undefined {
  const end = text.search(/\r?\n|\r|$/);
  const m = MODELINE.exec(text.slice(0, end));
  if (!m) return undefined;
  const k = m[1];
  return isFileKind(k) ? { kind: k } : { unknown: k };
}

/**
 * Kind keys that are also fields of another kind: a deployment or media file names its sequence
 * (and media its machine profiles) with `sequence:` / `machine:`, in any order of keys.
 */
const FIELD_KEYS: Partial<Record<FileKind, readonly FileKind[]>> = {
  deployment: ['sequence'],
  media: ['sequence', 'machine'],
};

/** The kind keys present at the top level of the document, in document order (fields of the file's kind left out). */
export function kindKeys(root: YNode | null): { kind: FileKind; keyStart: number; keyEnd: number }[] {
  if (!root || root.kind !== 'map') return [];
  const out: { kind: FileKind; keyStart: number; keyEnd: number }[] = [];
  const pairs = root.pairs;
  for (let k = 0, n = pairCount(pairs); k < n; k++) {
    const text = keyTextAt(pairs, k);
    if (text !== undefined && isFileKind(text))
      out.push({ kind: text, keyStart: keyStartAt(pairs, k), keyEnd: keyEndAt(pairs, k) });
  }
  const owner = out.find((k) => FIELD_KEYS[k.kind]);
  return owner ? out.filter((k) => k === owner || !FIELD_KEYS[owner.kind]!.includes(k.kind)) : out;
}

/** True when a file name marks a tsq file (`*.tsq.yaml` / `*.tsq.yml`, any case). */
export function isTsqFileName(name: string): boolean {
  return /\.tsq\.ya?ml$/i.test(name);
}
