// How rules word a reference that no catalog of the workspace lists: an error, unless a catalog
// marked `partial: true` could list it (an ID of its own site or application scope:
// semantics/catalog-scope.ts), which makes it a warning that names that catalog. A partial catalog
// of another site leaves the error as it is, and the hint says why.

import type { Severity } from './diagnostic';
import type { CatalogIndex } from '../semantics/workspace';
import { describeScope, type ScopedKind } from '../semantics/catalog-scope';

export interface Absence {
  severity: Severity;
  /** Ends the sentence "<Kind> `<id>` is not …". */
  where: string;
  /** When partial catalogs exist but none speaks for the ID: why they do not soften it. */
  note?: string;
}

export function absence(catalog: CatalogIndex, kind: ScopedKind, id: string): Absence {
  const covering = catalog.partialCovering(kind, id);
  if (covering) {
    const part = describeScope(covering.scope, kind);
    return {
      severity: 'warning',
      where: `in any catalog of the workspace; the catalog “${covering.model.name}” is marked partial and lists only part of ${part ?? 'its site'}, so it may exist`,
    };
  }
  const result: Absence = { severity: 'error', where: 'in any catalog of the workspace' };
  const others = catalog.partials.map((p) => describeScope(p.scope, kind)).filter((s): s is string => !!s);
  if (others.length)
    result.note = `The catalogs marked partial speak only for ${[...new Set(others)].join(', ')}; \`${id}\` is not one of theirs.`;
  return result;
}
