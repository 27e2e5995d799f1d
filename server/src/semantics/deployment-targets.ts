// What a deployment or media file points at, resolved through the workspace: the sequence file,
// the target collection, the site's settings (merged over every catalog), and the media and
// deployments that carry a given sequence. Shared by the deployment and media rules, and by the
// simulator when it runs a deployment.

import type { TsqDocument } from '../model/document';
import type { DeploymentModel } from '../model/deployment';
import type { MediaModel } from '../model/media';
import type { CollectionEntry } from '../model/site-catalog';
import type { HighRiskSettings, SiteSettings } from '../model/site-settings';
import type { Located } from '../model/fields';
import type { Workspace, ResolvedFile } from './workspace';
import { sequenceClosure } from './sequence-closure';

/** The sequence file a deployment or media names, when it is a sequence in the workspace. */
export function targetSequence(
  ws: Workspace,
  doc: TsqDocument,
  ref: Located<string> | undefined,
): TsqDocument | undefined {
  const r = resolveTarget(ws, doc, ref);
  return r?.doc?.kind === 'sequence' && r.doc.model ? r.doc : undefined;
}

export function resolveTarget(
  ws: Workspace,
  doc: TsqDocument,
  ref: Located<string> | undefined,
): ResolvedFile | undefined {
  const path = ref?.value.trim();
  return path ? ws.resolvePath(doc.id, path) : undefined;
}

export function targetCollection(ws: Workspace, d: DeploymentModel): CollectionEntry | undefined {
  const id = d.collection?.value.trim();
  return id ? ws.catalog.collection(id) : undefined;
}

/** Site settings of all catalogs together: for each setting, the first catalog (by file name) that states it. */
export function siteSettings(ws: Workspace): Omit<SiteSettings, 'span'> {
  const highRisk: HighRiskSettings = {};
  const out: Omit<SiteSettings, 'span'> = { highRisk };
  for (const { model } of ws.catalog.catalogs) {
    const s = model.siteSettings;
    if (!s) continue;
    highRisk.defaultSize ??= s.highRisk.defaultSize;
    highRisk.maximumSize ??= s.highRisk.maximumSize;
    highRisk.siteSystems ??= s.highRisk.siteSystems;
    out.enhancedHttp ??= s.enhancedHttp;
    out.networkAccessAccount ??= s.networkAccessAccount;
  }
  return out;
}

export interface Carrier<M> {
  doc: TsqDocument;
  model: M;
}

const carriersCache = new WeakMap<
  Workspace,
  { links: number; bySequence: Map<string, Carrier<DeploymentModel | MediaModel>[]> }
>();

/**
 * Deployment and media files whose sequence is `sequenceId` or runs it as a child (at any
 * depth). Computed for the whole workspace once per revision of the links between files
 * (`Workspace.linksRevision`), so that checking every sequence stays linear. That revision is
 * all the answer depends on: a deployment or media file read again, a path that resolves
 * differently and a changed child call each start a new one, while a keystroke in a sequence
 * that keeps its calls (link-fingerprint.ts) does not, and the editor asks on every such
 * keystroke who carries the file (lsp/projects.ts).
 */
export function carriersOf(ws: Workspace, sequenceId: string): Carrier<DeploymentModel | MediaModel>[] {
  let cached = carriersCache.get(ws);
  if (!cached || cached.links !== ws.linksRevision) {
    const bySequence = new Map<string, Carrier<DeploymentModel | MediaModel>[]>();
    for (const doc of ws.all()) {
      if ((doc.kind !== 'deployment' && doc.kind !== 'media') || !doc.model) continue;
      const model = doc.model as DeploymentModel | MediaModel;
      const seq = targetSequence(ws, doc, model.sequence);
      if (!seq) continue;
      for (const m of sequenceClosure(ws, seq)) {
        let list = bySequence.get(m.doc.id);
        if (!list) bySequence.set(m.doc.id, (list = []));
        list.push({ doc, model });
      }
    }
    cached = { links: ws.linksRevision, bySequence };
    carriersCache.set(ws, cached);
  }
  return cached.bySequence.get(sequenceId) ?? [];
}
