// The `broken-reference` checks of deployment and media files: the sequence file they name, the
// collection a deployment targets, the boot image of media and the machine profiles media is
// for. Called by the broken-reference rule, so one code covers every reference that does not
// resolve, whatever file it is in.

import { absence } from './missing-reference';
import type { RuleContext } from './rule';
import type { DeploymentModel } from '../model/deployment';
import type { MediaModel } from '../model/media';
import type { Located } from '../model/fields';
import type { FileKind } from '../model/kinds';
import { resolveTarget } from '../semantics/deployment-targets';
import { suggest } from '../util/suggest';
import { relativeFrom } from '../util/paths';

export function checkTargetReferences(ctx: RuleContext): void {
  const model = ctx.doc.model as DeploymentModel | MediaModel | undefined;
  if (!model) return;
  checkFile(ctx, model.sequence, 'sequence');
  if (model.kind === 'deployment') checkCollection(ctx, model);
  else {
    checkBootImage(ctx, model);
    for (const m of model.machines) checkFile(ctx, m, 'machine');
  }
}

const FILE_WORDS: Partial<Record<FileKind, string>> = { sequence: 'sequence', machine: 'machine profile' };

function checkFile(ctx: RuleContext, ref: Located<string> | undefined, kind: 'sequence' | 'machine'): void {
  const target = resolveTarget(ctx.ws, ctx.doc, ref);
  if (!ref || !target) return;
  const word = FILE_WORDS[kind]!;
  if (target.doc) {
    if (target.doc.kind !== kind) {
      ctx.report({
        start: ref.span.start,
        end: ref.span.end,
        message: `\`${ref.value}\` is a ${target.doc.kind ?? 'tsq'} file, not a ${word}.`,
        hint: `Name a file that starts with \`${kind}:\`.`,
      });
    } else if (target.caseMismatch) {
      const exact = relativeFrom(ctx.doc.id, target.doc.id);
      ctx.report({
        start: ref.span.start,
        end: ref.span.end,
        severity: 'warning',
        message: `The file is named \`${exact}\`; the case differs.`,
        hint: 'Write the path exactly as the file is named, so it resolves on case-sensitive systems too.',
        data: { fix: 'replace', candidates: [exact] },
      });
    }
    return;
  }
  const files = [...ctx.ws.all()].filter((d) => d.kind === kind).map((d) => relativeFrom(ctx.doc.id, d.id));
  const candidates = suggest(ref.value.replace(/\\/g, '/'), files);
  ctx.report({
    start: ref.span.start,
    end: ref.span.end,
    message: `The ${word} file \`${ref.value}\` does not exist.`,
    hint: candidates.length ? `Did you mean \`${candidates[0]}\`?` : 'Paths are relative to this file.',
    data: candidates.length ? { fix: 'replace', candidates } : undefined,
  });
}

function checkCollection(ctx: RuleContext, d: DeploymentModel): void {
  const catalog = ctx.ws.catalog;
  const ref = d.collection;
  if (!ref || !catalog.present || catalog.collection(ref.value)) return;
  const all = catalog.collections();
  const byName = all.find((c) => c.name?.toLowerCase() === ref.value.trim().toLowerCase());
  const candidates = byName
    ? [byName.id]
    : suggest(
        ref.value,
        all.map((c) => c.id),
        { limit: 5 },
      );
  const missing = absence(catalog, 'collection', ref.value);
  const hint = byName
    ? `Deployments name the collection by its ID: ${byName.id} is “${byName.name}”.`
    : candidates.length
      ? `Did you mean ${candidates.join(' or ')}?`
      : 'Add the collection under `collections:` in a catalog.';
  ctx.report({
    start: ref.span.start,
    end: ref.span.end,
    severity: missing.severity,
    message: `Collection \`${ref.value}\` is not ${missing.where}.`,
    hint: missing.note ? `${hint} ${missing.note}` : hint,
    data: candidates.length ? { fix: 'replace', candidates } : undefined,
  });
}

function checkBootImage(ctx: RuleContext, m: MediaModel): void {
  const catalog = ctx.ws.catalog;
  const ref = m.bootImage;
  if (!ref || !catalog.present || catalog.lookup('bootImage', ref.value)) return;
  const candidates = suggest(
    ref.value,
    catalog.entries('bootImage').map((e) => e.id),
    { limit: 5 },
  );
  const missing = absence(catalog, 'bootImage', ref.value);
  const hint = candidates.length
    ? `Did you mean ${candidates.join(' or ')}?`
    : 'Add the boot image under `bootImages:` in a catalog.';
  ctx.report({
    start: ref.span.start,
    end: ref.span.end,
    severity: missing.severity,
    message: `Boot image \`${ref.value}\` is not ${missing.where}.`,
    hint: missing.note ? `${hint} ${missing.note}` : hint,
    data: candidates.length ? { fix: 'replace', candidates } : undefined,
  });
}
