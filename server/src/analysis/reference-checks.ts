// The checks of the broken-reference rule: every reference of a sequence (packages, programs,
// applications, OS images and their indexes, upgrade packages, driver packages, the boot image,
// child sequence files) against the workspace's catalogs and files, and of deployment and media
// files what they name (target-references.ts). Shared with deploy-broken-sequence, which runs them
// over the sequences a deployment deploys. With no catalog in the workspace site references are
// not checked (see `unchecked-references`); an ID that a catalog marked `partial` could list (one
// of its site's) is a warning, any other an error (missing-reference.ts).

import type { RuleContext } from './rule';
import type { SequenceModel, StepNode } from '../model/sequence';
import type { CatalogEntry } from '../model/site-catalog';
import type { Severity } from './diagnostic';
import { absence } from './missing-reference';
import { findReferenced, siteReferences, isDynamic, type SiteReference } from '../semantics/references';
import { childCalls } from '../semantics/children';
import { suggest } from '../util/suggest';
import { relativeFrom } from '../util/paths';
import { neverRuns } from '../semantics/disabled-steps';
import { checkTargetReferences } from './target-references';
import { referenceKindInfo } from '../catalog';

function describeEntry(e: CatalogEntry): string {
  const parts = [
    e.name,
    e.version ? `version ${e.version}` : undefined,
    e.architectures.length ? e.architectures.join('/') : undefined,
  ].filter(Boolean);
  return parts.length ? `${e.id} (${parts.join(', ')})` : e.id;
}

/**
 * A disabled step (or one in a disabled group) with a broken reference is how ConfigMgr's editor
 * lets a sequence be saved until the reference is corrected: a hint, not an error.
 */
function whileEnabled(step: StepNode | undefined, severity: Severity): Severity {
  return step && neverRuns(step) ? 'hint' : severity;
}

function reportMissing(ctx: RuleContext, ref: SiteReference) {
  const entries = ctx.ws.catalog.entries(ref.kind);
  const candidates = suggest(
    ref.id,
    entries.map((e) => e.id),
    { limit: 5 },
  );
  const label = referenceKindInfo(ref.kind).label;
  const missing = absence(ctx.ws.catalog, ref.kind, ref.id);
  const shown = candidates.map((c) => entries.find((e) => e.id === c)!).map(describeEntry);
  const hint = shown.length
    ? `Did you mean ${shown.join(' or ')}?`
    : entries.length
      ? `The catalog has no ${label} with a similar ID; correct the ID, or add the ${label} to the catalog.`
      : `The catalog lists no ${label}s; add it to the catalog, or remove the reference.`;
  ctx.report({
    start: ref.span.start,
    end: ref.span.end,
    severity: whileEnabled(ref.step, missing.severity),
    message: `${capital(label)} \`${ref.id}\` is not ${missing.where}.`,
    hint: missing.note ? `${hint} ${missing.note}` : hint,
    data: stepFix(ref.step, ref.kind, candidates),
  });
}

function stepFix(step: StepNode | undefined, kind: string, candidates: string[]) {
  return step
    ? { fix: 'reference' as const, kind, candidates, stepStart: step.span.start, stepEnd: step.span.end }
    : candidates.length
      ? { fix: 'replace' as const, candidates }
      : undefined;
}

/**
 * Whether a package has a program, ignoring case, answered once per entry and name as written: a
 * large sequence names the same few programs of the same few packages at thousands of steps.
 */
const programAnswers = new WeakMap<CatalogEntry, Map<string, boolean>>();

function hasProgram(entry: CatalogEntry, name: string): boolean {
  let answers = programAnswers.get(entry);
  // Names typed one keystroke at a time in the editor are each asked once: forget them now and then.
  if (!answers || answers.size >= 1_000) programAnswers.set(entry, (answers = new Map<string, boolean>()));
  let has = answers.get(name);
  if (has === undefined) {
    const wanted = name.toLowerCase();
    has = entry.programs.some((p) => p.value.toLowerCase() === wanted);
    answers.set(name, has);
  }
  return has;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Reports every reference of `ctx.doc` (a sequence, deployment or media file) that does not resolve. */
export function checkReferences(ctx: RuleContext): void {
  if (ctx.doc.kind !== 'sequence') return checkTargetReferences(ctx);
  const model = ctx.doc.model as SequenceModel;
  const catalog = ctx.ws.catalog;
  if (catalog.present) {
    const refs = siteReferences(model);
    for (let r = 0; r < refs.length; r++) {
      const ref = refs[r];
      if (isDynamic(ref.id)) continue;
      const entry = findReferenced(catalog, ref);
      if (!entry) {
        reportMissing(ctx, ref);
        continue;
      }
      if (entry.distributed === false) {
        ctx.report({
          start: ref.span.start,
          end: ref.span.end,
          severity: 'warning',
          message: `${capital(referenceKindInfo(ref.kind).label)} ${describeEntry(entry)} is not distributed to any distribution point; this step will fail to find its content.`,
          hint: 'Distribute the content (or set `distributed: true` in the catalog once it is).',
        });
      }
      if (
        ref.program &&
        !isDynamic(ref.program.name) &&
        entry.programs.length > 0 &&
        !hasProgram(entry, ref.program.name)
      ) {
        const candidates = suggest(
          ref.program.name,
          entry.programs.map((p) => p.value),
        );
        ctx.report({
          start: ref.program.span.start,
          end: ref.program.span.end,
          message: `Package ${describeEntry(entry)} has no program \`${ref.program.name}\`.`,
          hint: `Its programs: ${entry.programs.map((p) => p.value).join(', ')}.`,
          data: candidates.length ? { fix: 'replace', candidates } : undefined,
        });
      }
      if (ref.index && entry.indexes.length > 0 && !entry.indexes.some((i) => i.index === ref.index!.value)) {
        ctx.report({
          start: ref.index.span.start,
          end: ref.index.span.end,
          message: `${capital(referenceKindInfo(ref.kind).label)} ${describeEntry(entry)} has no image index ${ref.index.value}.`,
          hint: `Its indexes: ${entry.indexes.map((i) => (i.name ? `${i.index} (${i.name})` : String(i.index))).join(', ')}.`,
          data: { fix: 'replace', candidates: entry.indexes.map((i) => String(i.index)) },
        });
      }
    }
  }
  for (const call of childCalls(ctx.ws, ctx.doc.id, model)) {
    if (isDynamic(call.ref)) continue;
    const t = call.target;
    if (t.doc) {
      if (t.doc.refused) {
        const why = t.doc.problems[0];
        ctx.report({
          start: call.refStart,
          end: call.refEnd,
          severity: whileEnabled(call.step, 'error'),
          message: `The child sequence file \`${call.ref}\` cannot be read: ${why.message.replace(/^This( file)? /, 'it ')}`,
          hint: why.hint,
        });
      } else if (t.doc.kind !== 'sequence') {
        ctx.report({
          start: call.refStart,
          end: call.refEnd,
          message: `\`${call.ref}\` is a ${t.doc.kind ?? 'tsq'} file, not a sequence.`,
          hint: 'Run Task Sequence needs a file that starts with `sequence:`.',
        });
      } else if (t.caseMismatch) {
        ctx.report({
          start: call.refStart,
          end: call.refEnd,
          severity: 'warning',
          message: `The file is named \`${relativeFrom(ctx.doc.id, t.doc.id)}\`; the case differs.`,
          hint: 'Write the path exactly as the file is named, so it resolves on case-sensitive systems too.',
          data: { fix: 'replace', candidates: [relativeFrom(ctx.doc.id, t.doc.id)] },
        });
      }
      continue;
    }
    if (t.byPackageId) {
      if (!catalog.present || catalog.lookup('childSequence', call.ref)) continue;
      const candidates = suggest(
        call.ref,
        catalog.entries('childSequence').map((e) => e.id),
      );
      const missing = absence(catalog, 'childSequence', call.ref);
      const hint =
        'Give the path of the child’s *.tsq.yaml file, or list the task sequence under `taskSequences:` in a catalog.';
      ctx.report({
        start: call.refStart,
        end: call.refEnd,
        severity: whileEnabled(call.step, missing.severity),
        message: `Task sequence \`${call.ref}\` is not a file of the workspace, nor ${missing.where}.`,
        hint: missing.note ? `${hint} ${missing.note}` : hint,
        data: stepFix(call.step, 'childSequence', candidates),
      });
      continue;
    }
    const sequences = [...ctx.ws.all()]
      .filter((d) => d.kind === 'sequence' && d.id !== ctx.doc.id)
      .map((d) => relativeFrom(ctx.doc.id, d.id));
    const candidates = suggest(call.ref.replace(/\\/g, '/'), sequences);
    ctx.report({
      start: call.refStart,
      end: call.refEnd,
      severity: whileEnabled(call.step, 'error'),
      message: `The child sequence file \`${call.ref}\` does not exist.`,
      hint: candidates.length ? `Did you mean \`${candidates[0]}\`?` : 'Paths are relative to this file.',
      data: stepFix(call.step, 'childSequence', candidates),
    });
  }
}
