// What a catalog marked `partial: true` can speak for. Such a catalog lists only some objects of
// one site (an import writes one listing what the imported sequences use), so a reference it does
// not list may still exist — but only on that site. ConfigMgr IDs say where they come from: a
// package, image, driver package, boot image, task sequence or collection ID is the site code
// followed by five hexadecimal digits (CM100042), and an application's model name starts with the
// scope of the hierarchy that made it (ScopeId_<GUID>/Application_<GUID>). A partial catalog's site
// codes are its `siteCode:` and the prefixes of the IDs it lists; its scopes are those of the
// applications it lists. It speaks for IDs of those sites and scopes; where it names no site (or
// no scope), and for IDs of no recognisable form, nothing tells, so it may speak for any.

import type { ReferenceKind } from '../catalog/types';
import type { SiteCatalogModel } from '../model/site-catalog';

/** The kinds of object a reference can name: catalog entries and collections. */
export type ScopedKind = ReferenceKind | 'collection';

const SITE_ID = /^([A-Za-z0-9]{3})[0-9A-Fa-f]{5}$/;
const APPLICATION_ID = /^(ScopeId_[0-9A-Fa-f-]+)\//i;

/** The site code an ID starts with (upper case), when it has the form of a site object's ID. */
export function siteCodeOf(id: string): string | undefined {
  return SITE_ID.exec(id.trim())?.[1].toUpperCase();
}

/** The hierarchy scope an application's model name starts with (upper case), when it has that form. */
export function applicationScopeOf(id: string): string | undefined {
  return APPLICATION_ID.exec(id.trim())?.[1].toUpperCase();
}

export interface CatalogScope {
  /** Site codes the catalog names (upper case); empty when it names none. */
  sites: ReadonlySet<string>;
  /** Application scopes the catalog names (upper case); empty when it names none. */
  applicationScopes: ReadonlySet<string>;
}

/** The sites and application scopes a catalog names. */
export function scopeOf(model: SiteCatalogModel): CatalogScope {
  const sites = new Set<string>();
  const applicationScopes = new Set<string>();
  const declared = model.siteCode?.value.trim();
  if (declared && /^[A-Za-z0-9]{3}$/.test(declared)) sites.add(declared.toUpperCase());
  for (const e of model.entries) {
    if (e.kind === 'application') {
      const scope = applicationScopeOf(e.id);
      if (scope) applicationScopes.add(scope);
      continue;
    }
    const site = siteCodeOf(e.id);
    if (site) sites.add(site);
  }
  for (const c of model.collections) {
    const site = siteCodeOf(c.id);
    if (site) sites.add(site);
  }
  return { sites, applicationScopes };
}

/** Whether a catalog of this scope could list `id` (a partial one may simply have left it out). */
export function speaksFor(scope: CatalogScope, kind: ScopedKind, id: string): boolean {
  if (kind === 'application') {
    const appScope = applicationScopeOf(id);
    return !appScope || scope.applicationScopes.size === 0 || scope.applicationScopes.has(appScope);
  }
  const site = siteCodeOf(id);
  return !site || scope.sites.size === 0 || scope.sites.has(site);
}

/** The sites and scopes as words for messages (`site RSC`, `sites CM1 and PS1`). */
export function describeScope(scope: CatalogScope, kind: ScopedKind): string | undefined {
  const names = [...(kind === 'application' ? scope.applicationScopes : scope.sites)].sort();
  if (names.length === 0) return undefined;
  const what =
    kind === 'application'
      ? names.length === 1
        ? 'application scope'
        : 'application scopes'
      : names.length === 1
        ? 'site'
        : 'sites';
  return `${what} ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`}`;
}
