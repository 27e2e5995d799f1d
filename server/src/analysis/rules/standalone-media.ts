// standalone-media: a sequence put on stand-alone media must run without any network
// (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSCreateMedia; what is not
// supported: https://learn.microsoft.com/mem/configmgr/osd/deploy-use/create-stand-alone-media#unsupported-actions-for-stand-alone-media).
// On the media file: a sequence without a boot image (the wizard cannot select it), a sequence
// that installs no OS (custom sequences are not supported), content left off the media, and a
// summary of the steps that cannot run. On each sequence the media carries: an error (or a
// warning, for steps that merely need a network) at every such step, naming why, with a quick
// fix that skips the step on stand-alone media.

import type { Rule, RuleContext } from '../rule';
import type { MediaModel } from '../../model/media';
import type { SequenceModel } from '../../model/sequence';
import type { Severity } from '../diagnostic';
import { carriersOf, targetSequence } from '../../semantics/deployment-targets';
import { osInstallingStep, sequenceClosure } from '../../semantics/sequence-closure';
import { actionName, hasBootImage, standaloneProblems, type StandaloneProblem } from '../../semantics/standalone-media';
import { NOT_ON_STANDALONE_MEDIA } from '../../semantics/media-conditions';
import { relativeFrom } from '../../util/paths';

export const standaloneMedia: Rule = {
  code: 'standalone-media',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A sequence on stand-alone media needs the network or the site',
  description:
    'Stand-alone media run without any network. Not supported there: Auto Apply Drivers, Download Package Content, Install Software Updates, application and package lists decided at run time, the pre-production client, user device affinity, sequences without a boot image, sequences that install no OS, and media without the content. Steps that need a network share, a state migration point or Orchestrator get warnings. A step guarded with `_SMSTSMediaType != "FullMedia"` is skipped on such media and not reported.',
  kinds: ['media', 'sequence'],
  incremental: 'whole-file',
  check(ctx) {
    if (ctx.doc.kind === 'media') checkMedia(ctx);
    else checkSequence(ctx);
  },
};

function problemText(p: StandaloneProblem): string {
  return p.step
    ? `“${p.step.name}” (${actionName(p.step)}) cannot run from stand-alone media: ${p.reason}`
    : `Setting this variable cannot work on stand-alone media: ${p.reason}`;
}

function checkMedia(ctx: RuleContext): void {
  const m = ctx.doc.model as MediaModel;
  if (m.mediaType !== 'standalone') return;
  if (m.includeContent?.value === false) {
    ctx.report({
      start: m.includeContent.span.start,
      end: m.includeContent.span.end,
      message:
        'Stand-alone media without the content: every step that uses a package, image or application fails, since there is no network to fetch it from.',
      hint: 'Set `includeContent: true`.',
      data: { fix: 'replace', candidates: ['true'] },
    });
  }
  const seq = targetSequence(ctx.ws, ctx.doc, m.sequence);
  if (!seq || !m.sequence) return;
  const at = m.sequence.span;
  const model = seq.model as SequenceModel;
  if (!hasBootImage(model)) {
    ctx.report({
      start: at.start,
      end: at.end,
      message: `“${model.name}” has no boot image, so it cannot be put on stand-alone media.`,
      hint: 'Give the sequence a `bootImage:`; the media starts computers with it.',
      related: [
        {
          docId: seq.id,
          start: model.nameSpan.start,
          end: model.nameSpan.end,
          message: 'The sequence has no `bootImage:`.',
        },
      ],
    });
  }
  const members = sequenceClosure(ctx.ws, seq);
  if (!osInstallingStep(members)) {
    ctx.report({
      start: at.start,
      end: at.end,
      message: `“${model.name}” installs no operating system; stand-alone media carry only OS deployment sequences.`,
      hint: 'Deploy custom sequences to clients instead, or add the OS installation to this sequence.',
    });
  }
  const problems = standaloneProblems(members);
  for (const severity of ['error', 'warning'] as Severity[]) {
    const some = problems.filter((p) => p.severity === severity);
    if (some.length === 0) continue;
    const first = some[0];
    ctx.report({
      start: at.start,
      end: at.end,
      severity,
      message:
        some.length === 1
          ? `${problemText(first)} (${relativeFrom(ctx.doc.id, first.doc.id)}).`
          : `${some.length} steps of this sequence ${severity === 'error' ? 'cannot run' : 'need a network connection'} on stand-alone media; the first: ${problemText(first)} (${relativeFrom(ctx.doc.id, first.doc.id)}).`,
      hint: `Remove them, or skip them on stand-alone media with \`when: ${NOT_ON_STANDALONE_MEDIA}\`.`,
      related: some.map((p) => ({ docId: p.doc.id, start: p.span.start, end: p.span.end, message: problemText(p) })),
    });
  }
}

function checkSequence(ctx: RuleContext): void {
  const media = carriersOf(ctx.ws, ctx.doc.id).filter(
    (c) => c.model.kind === 'media' && (c.model as MediaModel).mediaType === 'standalone',
  );
  if (media.length === 0) return;
  const model = ctx.doc.model as SequenceModel;
  const names = media.map((c) => `“${c.model.name}” (${relativeFrom(ctx.doc.id, c.doc.id)})`);
  const carried = `${names.length > 1 ? 'the stand-alone media' : 'stand-alone media'} ${names.join(', ')}`;
  for (const p of standaloneProblems([{ doc: ctx.doc, model }])) {
    ctx.report({
      start: p.span.start,
      end: p.span.end,
      severity: p.severity,
      message: `${p.step ? `${actionName(p.step)} cannot run from` : 'This variable cannot work on'} ${carried}: ${p.reason}.`,
      hint: p.step
        ? `Skip it there with \`when: ${NOT_ON_STANDALONE_MEDIA}\`, or remove it.`
        : 'Remove it from the sequence carried on stand-alone media.',
      data: p.step
        ? {
            fix: 'add-condition',
            condition: NOT_ON_STANDALONE_MEDIA,
            stepStart: p.step.span.start,
            stepEnd: p.step.span.end,
          }
        : undefined,
      related: media.map((c) => {
        const span = c.model.sequence?.span ?? c.model.nameSpan;
        return {
          docId: c.doc.id,
          start: span.start,
          end: span.end,
          message: 'The media that carries this sequence (or a parent of it).',
        };
      }),
    });
  }
}
