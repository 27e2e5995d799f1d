// fat32-file-size: stand-alone media on a USB drive formatted FAT32 (what the media wizard does)
// cannot hold a file of 4 GB or more. An OS image is one .wim file, so a catalog size over the
// limit is an error; for other content the catalog gives only the total size, so it is a warning.
// https://learn.microsoft.com/mem/configmgr/osd/deploy-use/create-stand-alone-media#prepare-the-removable-usb-drive

import type { Rule } from '../rule';
import { fileSystemOf, type MediaModel } from '../../model/media';
import type { CatalogEntry } from '../../model/site-catalog';
import { targetSequence } from '../../semantics/deployment-targets';
import { closureReferences, sequenceClosure, type ClosureReference } from '../../semantics/sequence-closure';
import { referenceKindInfo } from '../../catalog';
import { findReferenced } from '../../semantics/references';

/** FAT32 stores files up to 4 GiB minus one byte. */
export const FAT32_MAX_FILE_MB = 4096;

export const fat32FileSize: Rule = {
  code: 'fat32-file-size',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'Content too large for stand-alone media on FAT32',
  description:
    'USB drives for stand-alone media are formatted FAT32, where no file may reach 4 GB. An OS image (a single .wim) whose catalog `sizeMB` is 4096 or more cannot be copied (error); other content that large may hold such a file (warning). Write the media as ISO (`device: iso`) or onto an NTFS drive (`fileSystem: ntfs`), or split the image.',
  kinds: ['media'],
  incremental: 'whole-file',
  check(ctx) {
    const m = ctx.doc.model as MediaModel;
    if (
      m.mediaType !== 'standalone' ||
      fileSystemOf(m) !== 'fat32' ||
      m.includeContent?.value === false ||
      !ctx.ws.catalog.present
    )
      return;
    const seq = targetSequence(ctx.ws, ctx.doc, m.sequence);
    if (!seq || !m.sequence) return;
    const at = m.fileSystem?.span ?? m.sequence.span;
    const seen = new Set<CatalogEntry>();
    const refs: ClosureReference[] = closureReferences(sequenceClosure(ctx.ws, seq));
    for (const ref of refs) {
      const entry = findReferenced(ctx.ws.catalog, ref);
      if (!entry || seen.has(entry) || entry.sizeMB === undefined || entry.sizeMB < FAT32_MAX_FILE_MB) continue;
      seen.add(entry);
      const single = ref.kind === 'osImage';
      const gb = (entry.sizeMB / 1024).toFixed(1);
      const what = `${referenceKindInfo(ref.kind).label} ${entry.id}${entry.name ? ` (${entry.name})` : ''}`;
      const owner = ctx.ws.catalog.docOf(entry);
      ctx.report({
        start: at.start,
        end: at.end,
        severity: single ? 'error' : 'warning',
        message: single
          ? `${what} is a single ${gb} GB file; FAT32 cannot hold files of 4 GB or more.`
          : `${what} is ${gb} GB; if one of its files reaches 4 GB, FAT32 cannot hold it.`,
        hint: 'Write the media as ISO files (`device: iso`), use a drive formatted NTFS (`fileSystem: ntfs`), or split the image (DISM /Split-Image).',
        related: [
          { docId: ref.doc.id, start: ref.span.start, end: ref.span.end, message: `${what} is used here.` },
          ...(owner
            ? [
                {
                  docId: owner.id,
                  start: entry.span.start,
                  end: entry.span.end,
                  message: `Its size is ${entry.sizeMB} MB in the catalog.`,
                },
              ]
            : []),
        ],
      });
    }
  },
};
