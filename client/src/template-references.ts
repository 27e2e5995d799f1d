// The references a file template makes (boot image, OS image, OS upgrade package, ConfigMgr client
// package), free of the VS Code API so it can be tested: where they are in the template, in which
// order "New from Template" asks for them, how the workspace's catalog entries are listed for each
// (matching architecture first), and the template with the chosen IDs written in, or, where the
// catalogs list nothing of a kind, a placeholder named for what belongs there and a comment saying
// how to get one. Never an example's ID: it would name content of another site.

import type { CatalogEntryChoice, TemplateReferenceKind } from '../../server/src/frontend/new-file-protocol';

/** The template keys that hold references, and the catalog list each names. */
const KIND_OF_KEY: Record<string, TemplateReferenceKind> = {
  bootImage: 'bootImage',
  image: 'osImage',
  upgradePackage: 'osUpgradePackage',
  clientPackage: 'package',
};

/** How each kind is named to the admin, and the catalog list it is written in. */
export const KIND_WORDS: Record<TemplateReferenceKind, { noun: string; list: string; placeholder: string }> = {
  osImage: { noun: 'OS image', list: 'osImages', placeholder: 'OS_IMAGE_ID' },
  osUpgradePackage: { noun: 'OS upgrade package', list: 'upgradePackages', placeholder: 'OS_UPGRADE_PACKAGE_ID' },
  bootImage: { noun: 'boot image', list: 'bootImages', placeholder: 'BOOT_IMAGE_ID' },
  package: { noun: 'ConfigMgr client package', list: 'packages', placeholder: 'CLIENT_PACKAGE_ID' },
};

/** The images first: the boot image has to match their architecture. */
const ASKING_ORDER: TemplateReferenceKind[] = ['osImage', 'osUpgradePackage', 'bootImage', 'package'];

export interface ReferenceSlot {
  kind: TemplateReferenceKind;
  /** Where `${n:default}` is in the template body. */
  start: number;
  end: number;
  tabStop: string;
  /** The image index placeholder on the same line (`index:` or `editionIndex:`), if any. */
  index?: { start: number; end: number; tabStop: string; value: string };
}

/** The reference placeholders of a template body, in the order they are to be asked for. */
export function referenceSlots(body: string): ReferenceSlot[] {
  const slots: ReferenceSlot[] = [];
  for (const m of body.matchAll(/\b(bootImage|image|upgradePackage|clientPackage): (\$\{(\d+):[^}]*\})/g)) {
    const start = m.index + m[0].length - m[2].length;
    const slot: ReferenceSlot = { kind: KIND_OF_KEY[m[1]], start, end: start + m[2].length, tabStop: m[3] };
    const lineEnd = body.indexOf('\n', slot.end);
    const rest = body.slice(slot.end, lineEnd < 0 ? body.length : lineEnd);
    const index = /\b(?:index|editionIndex): (\$\{(\d+):(\d+)\})/.exec(rest);
    if (index) {
      const at = slot.end + index.index + index[0].length - index[1].length;
      slot.index = { start: at, end: at + index[1].length, tabStop: index[2], value: index[3] };
    }
    slots.push(slot);
  }
  return slots.sort((a, b) => ASKING_ORDER.indexOf(a.kind) - ASKING_ORDER.indexOf(b.kind));
}

export interface ReferenceOffer {
  entry: CatalogEntryChoice;
  /** The entry's architecture is stated and is not the one the other chosen images have. */
  otherArchitecture: boolean;
}

/**
 * The entries offered for `kind`: for a boot image, those of the chosen OS image's architecture
 * first (then those that state none, then the others, marked); for the client package, packages
 * named as the client first; content not distributed last.
 */
export function offers(
  kind: TemplateReferenceKind,
  entries: readonly CatalogEntryChoice[],
  architecture: string | undefined,
): ReferenceOffer[] {
  const rank = (e: CatalogEntryChoice): number => {
    let r = 0;
    if (kind === 'bootImage' && architecture && e.architectures.length)
      r += e.architectures.includes(architecture) ? 0 : 2;
    else if (kind === 'bootImage' && architecture) r += 1;
    if (kind === 'package' && !/\bclient\b/i.test(e.name ?? '')) r += 4;
    if (e.distributed === false) r += 8;
    return r;
  };
  return entries
    .filter((e) => e.kind === kind)
    .map((entry, order) => ({ entry, order, rank: rank(entry) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ entry }) => ({
      entry,
      otherArchitecture:
        kind === 'bootImage' &&
        !!architecture &&
        entry.architectures.length > 0 &&
        !entry.architectures.includes(architecture),
    }));
}

/** What a quick pick shows of an entry: its ID, then name, version, architecture and catalog. */
export function describeOffer(offer: ReferenceOffer, architecture: string | undefined, catalogName: string) {
  const e = offer.entry;
  const facts = [
    e.version ? `version ${e.version}` : undefined,
    e.architectures.length ? e.architectures.join(', ') : 'architecture not stated',
    e.distributed === false ? 'not distributed' : undefined,
    offer.otherArchitecture ? `not ${architecture}, the OS image's architecture` : undefined,
  ].filter(Boolean);
  return { label: e.id, description: e.name ?? '', detail: `${facts.join(' · ')} — ${catalogName}` };
}

/** The architecture a boot image must have for the chosen images (the first stated). */
export function imageArchitecture(chosen: ReadonlyMap<TemplateReferenceKind, CatalogEntryChoice | undefined>) {
  for (const kind of ['osImage', 'osUpgradePackage'] as const) {
    const arch = chosen.get(kind)?.architectures[0];
    if (arch) return arch;
  }
  return undefined;
}

/** An ID as snippet text (`$`, `}` and `\` escaped). */
function snippetEscape(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/**
 * The template body with each reference set: the chosen entry's ID (and, when the template's image
 * index is not one the catalog lists for the image, its first index), or for a kind the catalogs
 * do not list, a named placeholder with a comment line above saying what to do.
 */
export function fillReferences(
  body: string,
  slots: readonly ReferenceSlot[],
  chosen: ReadonlyMap<TemplateReferenceKind, CatalogEntryChoice | undefined>,
): string {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const slot of slots) {
    const entry = chosen.get(slot.kind);
    const words = KIND_WORDS[slot.kind];
    if (entry) {
      edits.push({ start: slot.start, end: slot.end, text: `\${${slot.tabStop}:${snippetEscape(entry.id)}}` });
      if (slot.index && entry.indexes.length && !entry.indexes.includes(Number(slot.index.value)))
        edits.push({
          start: slot.index.start,
          end: slot.index.end,
          text: `\${${slot.index.tabStop}:${entry.indexes[0]}}`,
        });
      continue;
    }
    edits.push({ start: slot.start, end: slot.end, text: `\${${slot.tabStop}:${words.placeholder}}` });
    const lineStart = body.lastIndexOf('\n', slot.start) + 1;
    const indent = /^[ -]*/.exec(body.slice(lineStart))![0].replace(/-/g, ' ');
    edits.push({
      start: lineStart,
      end: lineStart,
      text: `${indent}# ${words.placeholder}: the workspace's catalogs list no ${words.noun}. Add it under \`${words.list}:\` of a catalog, then put its ID here.\n`,
    });
  }
  let out = body;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
