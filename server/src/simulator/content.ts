// Where a simulated run gets its content, and what can go wrong on the way: an object the site
// does not have, content not distributed to a distribution point, a package without the package
// share that "run from the distribution point" needs, or content that is not on stand-alone
// media. Also keeps the download cache and the time downloads take (size / speed).

import type { CatalogIndex } from '../semantics/workspace';
import type { ReferenceKind } from '../catalog/types';
import { referenceKindInfo } from '../catalog';
import type { Journal } from './journal';
import type { ContentMode, MediaSource } from './types';

/** How the download cache names an object. */
export function contentKey(kind: ReferenceKind, id: string): string {
  return `${kind}:${id.toUpperCase()}`;
}

export interface ContentProblem {
  kind: ReferenceKind;
  id: string;
  /** What is wrong, in a phrase: `is not distributed to any distribution point`. */
  problem: string;
}

export interface Availability {
  problem?: string;
  /** The catalog does not list the object and is partial, or there is no catalog: assumed present. */
  unchecked?: string;
  /** Name of the object as the catalog lists it. */
  name?: string;
  sizeMB?: number;
}

export interface Fetched {
  problem?: string;
  /** Seconds the download takes (0 when cached, used from the DP or on the media). */
  seconds: number;
  availability: Availability;
}

export class ContentLibrary {
  /** Objects already in the client cache (or used from the DP, which needs no download). */
  private readonly cached = new Map<string, true>();
  /** What the catalog says, by cache key; the catalog does not change during a run. */
  private readonly known = new Map<string, Availability>();
  /** The answer for objects that need no download, by cache key. */
  private readonly ready = new Map<string, Fetched>();
  /** `known` by kind and ID as written, so a repeated question needs no cache key. */
  private readonly asked = new Map<ReferenceKind, Map<string, Availability>>();

  constructor(
    private readonly catalog: CatalogIndex,
    readonly mode: ContentMode,
    private readonly media: MediaSource | undefined,
    private readonly downloadMBps: number,
    private readonly journal: Journal,
    /** Content the distribution points this computer reaches do not hold yet (SimulationOptions). */
    private readonly unreachable?: (kind: ReferenceKind, id: string) => string | undefined,
  ) {}

  /** Whether the client can get this object's content, before any download. */
  availability(kind: ReferenceKind, id: string, key?: string): Availability {
    let byId = this.asked.get(kind);
    if (!byId) this.asked.set(kind, (byId = new Map<string, Availability>()));
    let a = byId.get(id);
    if (a) return a;
    const k = key ?? contentKey(kind, id);
    a = this.known.get(k);
    if (!a) this.known.set(k, (a = this.lookup(kind, id)));
    byId.set(id, a);
    return a;
  }

  private lookup(kind: ReferenceKind, id: string): Availability {
    if (this.media?.type === 'standalone') {
      const onMedia = this.media.holds ? this.media.holds(kind, id) : true;
      const entry = this.catalog.lookup(kind, id);
      return onMedia
        ? { name: entry?.name, sizeMB: 0 }
        : { problem: `is not on the stand-alone media, and there is no network to fetch it from` };
    }
    const found = this.onSite(kind, id);
    const unreachable = found.problem ? undefined : this.unreachable?.(kind, id);
    return unreachable ? { problem: unreachable, name: found.name } : found;
  }

  /** What the catalog says about the object's content on the site's distribution points. */
  private onSite(kind: ReferenceKind, id: string): Availability {
    const label = referenceKindInfo(kind).label;
    if (!this.catalog.present)
      return { unchecked: `no catalog describes the site, so the ${label} is assumed to be available` };
    const entry = this.catalog.lookup(kind, id);
    if (!entry) {
      const partial = this.catalog.partialCovering(kind, id);
      if (partial)
        return {
          unchecked: `the ${label} is not in the catalog “${partial.model.name}”, which is marked partial; assumed to be available`,
        };
      return { problem: `does not exist on the site (no catalog lists this ${label})` };
    }
    if (entry.distributed === false)
      return { problem: `is not distributed to any distribution point`, name: entry.name };
    if (this.mode === 'runFromDistributionPoint' && kind === 'package' && entry.share === false) {
      return { problem: `has no package share, which running from the distribution point needs`, name: entry.name };
    }
    return { name: entry.name, sizeMB: entry.sizeMB };
  }

  /**
   * The content a step needs at the moment it starts: a problem, or the seconds its download
   * takes (nothing when cached, run from the DP, or on the media).
   */
  fetch(kind: ReferenceKind, id: string, key = contentKey(kind, id)): Fetched {
    const availability = this.availability(kind, id, key);
    if (availability.problem) return { problem: availability.problem, seconds: 0, availability };
    let ready = this.ready.get(key);
    if (!ready) this.ready.set(key, (ready = { seconds: 0, availability }));
    if (this.cached.has(key) || this.mode === 'runFromDistributionPoint' || this.media?.type === 'standalone')
      return ready;
    this.journal.mapSet(this.cached, key, true);
    return { seconds: (availability.sizeMB ?? 0) / this.downloadMBps, availability };
  }
}
