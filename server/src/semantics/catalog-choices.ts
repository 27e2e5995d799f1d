// What a new file can reference, as "New from Template" offers it: the entries of the workspace's
// catalogs of the kinds asked for, each with what tells it apart in a list (name, version,
// architecture) and the catalog file that lists it. An ID listed twice is offered once (the first
// catalog's), as references resolve to the first too.

import type { ReferenceKind } from '../catalog/types';
import type { Architecture } from '../model/architecture';
import type { CatalogIndex } from './workspace';

export interface CatalogChoice {
  kind: ReferenceKind;
  id: string;
  name?: string;
  version?: string;
  architectures: Architecture[];
  distributed?: boolean;
  /** The image indexes the catalog lists (OS images, upgrade packages). */
  indexes: number[];
  /** The id of the catalog document that lists the entry. */
  catalog: string;
}

export function catalogChoices(catalog: CatalogIndex, kinds: readonly ReferenceKind[]): CatalogChoice[] {
  const out: CatalogChoice[] = [];
  for (const kind of new Set(kinds)) {
    const seen = new Set<string>();
    for (const e of catalog.entries(kind)) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      out.push({
        kind,
        id: e.id,
        name: e.name,
        version: e.version,
        architectures: [...e.architectures],
        distributed: e.distributed,
        indexes: e.indexes.map((i) => i.index),
        catalog: catalog.docOf(e)?.id ?? '',
      });
    }
  }
  return out;
}
