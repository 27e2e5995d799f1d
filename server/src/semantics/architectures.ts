// Processor architecture facts shared by the sequence and media architecture checks: the
// architecture a reference stands for (an image index may say more than its image), and which
// boot image / OS pairs cannot start at all.

import type { Architecture } from '../model/architecture';
import type { CatalogEntry } from '../model/site-catalog';
import type { SiteReference } from './references';

/** Boot image / OS image pairs where the boot image cannot start the hardware the image is for. */
export function bootCannotStart(boot: Architecture, image: Architecture): boolean {
  return (
    (boot === 'x86' && image === 'x64') ||
    (boot !== 'arm64' && image === 'arm64') ||
    (boot === 'arm64' && image !== 'arm64')
  );
}

/** Architectures of the referenced entry; an image index that states its own wins. */
export function archOf(entry: CatalogEntry, ref: SiteReference): Architecture[] {
  if (ref.index) {
    const idx = entry.indexes.find((i) => i.index === ref.index!.value);
    if (idx?.architecture) return [idx.architecture];
  }
  return entry.architectures;
}
