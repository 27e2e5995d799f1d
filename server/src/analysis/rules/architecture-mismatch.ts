// architecture-mismatch: the processor architectures of what a sequence uses disagree — boot
// image and OS image, OS image and the driver packages applied to it, OS image and the packages
// or applications installed on it, OS image and the platforms its steps' OS conditions name.
// A warning in general; an error when the boot image cannot start a computer that the OS image is
// for at all (x86 Windows PE on x64 UEFI hardware, x64 Windows PE on arm64). Where that line lies is
// tsq's call; Microsoft says only that a task sequence on media of another architecture than the
// computer fails: https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSCreateMedia
// Media files get the same comparison for the media's architecture (media-architecture.ts).
// What a disabled step (or a step in a disabled group) references is left out: the task sequence
// skips it (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps, "Disable
// this step"), so it applies no OS image to compare later content with, and its own content is
// never applied to anything (semantics/disabled-steps.ts).

import type { Rule, RuleContext } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import type { Architecture } from '../../model/architecture';
import type { CatalogEntry } from '../../model/site-catalog';
import type { Severity } from '../diagnostic';
import { siteReferences, isDynamic, type SiteReference } from '../../semantics/references';
import { osConditionArchitectures } from '../../semantics/condition-facts';
import { archOf, bootCannotStart } from '../../semantics/architectures';
import { checkMediaArchitecture } from '../media-architecture';
import { referenceKindInfo } from '../../catalog';
import { eachNode, siteReferencesAt, type NodeInputs } from '../node-reads';
import { neverRuns } from '../../semantics/disabled-steps';

function describe(ref: SiteReference, entry: CatalogEntry): string {
  return `${referenceKindInfo(ref.kind).label} ${entry.id}${entry.name ? ` (${entry.name})` : ''}`;
}

/** After an edit: the rebuilt steps' actions, the architectures their OS conditions allow, their references, and which nodes are disabled. */
const inputs: NodeInputs = (_doc, node, at) =>
  eachNode(node, (n) => {
    const off = n.disabled ? 'off|' : '';
    if (n.kind !== 'step') return off;
    return `${off}${n.action}|${n.when ? osConditionArchitectures(n.when.text).join('/') : ''}|${siteReferencesAt(at)(n)}`;
  });

export const architectureMismatch: Rule = {
  code: 'architecture-mismatch',
  defaultSeverity: 'warning',
  mostSevere: 'error',
  title: 'Architectures of the boot image, OS image, drivers or software disagree',
  description:
    'Compares x86/x64/arm64 between the boot image and the OS image, and between the OS image and the driver packages, packages, applications and OS-version conditions used with it. Disabled steps (and steps in disabled groups) are left out: they apply nothing. A boot image that cannot start the target hardware is an error; other disagreements are warnings. For media: the media’s architecture (its boot image) against its OS images, driver packages and target machine profiles — a computer of another architecture starts the media and then fails.',
  kinds: ['sequence', 'media'],
  incremental: { inputs },
  readsCatalog: true,
  check(ctx) {
    if (ctx.doc.kind === 'media') return checkMediaArchitecture(ctx);
    const catalog = ctx.ws.catalog;
    if (!catalog.present) return;
    const model = ctx.doc.model as SequenceModel;
    let boot: { ref: SiteReference; entry: CatalogEntry; arch: Architecture } | undefined;
    let image: { ref: SiteReference; entry: CatalogEntry; arch: Architecture } | undefined;
    const refs = siteReferences(model);
    for (let r = 0; r < refs.length; r++) {
      const ref = refs[r];
      const imageKind = ref.kind === 'bootImage' || ref.kind === 'osImage' || ref.kind === 'osUpgradePackage';
      // Other content is compared with the OS image applied before it: before the first, there is nothing to look up.
      if ((!imageKind && !image) || isDynamic(ref.id) || (ref.step && neverRuns(ref.step))) continue;
      const entry = catalog.lookup(ref.kind, ref.id);
      if (!entry) continue;
      const archs = archOf(entry, ref);
      if (ref.kind === 'bootImage') {
        if (archs.length === 1) boot = { ref, entry, arch: archs[0] };
        continue;
      }
      if (ref.kind === 'osImage' || ref.kind === 'osUpgradePackage') {
        if (archs.length !== 1) continue;
        image = { ref, entry, arch: archs[0] };
        if (boot && boot.arch !== image.arch && ref.step?.action !== 'UpgradeOperatingSystem') {
          const fatal = bootCannotStart(boot.arch, image.arch);
          // On the boot image, the one choice that must follow the OS it applies, with the matching
          // boot images of the catalogs as fixes; the OS image is the related side.
          const matching = catalog
            .entries('bootImage')
            .filter((b) => b.architectures.length === 1 && b.architectures[0] === image!.arch)
            .map((b) => b.id);
          ctx.report({
            start: boot.ref.span.start,
            end: boot.ref.span.end,
            severity: fatal ? 'error' : 'warning',
            message: `The boot image ${boot.entry.id} is ${boot.arch}, but ${describe(ref, entry)} is ${image.arch}.`,
            hint: fatal
              ? `An ${image.arch} computer cannot start an ${boot.arch} boot image: use an ${image.arch} boot image for this sequence.`
              : `Use an ${image.arch} boot image, so Windows PE matches the OS it applies.`,
            data: matching.length
              ? { fix: 'reference', kind: 'bootImage', candidates: matching, stepStart: -1, stepEnd: -1 }
              : undefined,
            related: [
              {
                docId: ctx.doc.id,
                start: ref.span.start,
                end: ref.span.end,
                message: `${capital(describe(ref, entry))} is ${image.arch}.`,
              },
            ],
          });
        }
        for (const arch of stepConditionArchs(ref)) {
          if (arch !== image.arch)
            report(
              ctx,
              ref,
              'warning',
              `This step applies an ${image.arch} image, but its condition only allows ${arch} platforms.`,
              'Select the platforms of the image’s architecture in the OS version condition.',
            );
        }
        continue;
      }
      if (!image || archs.length === 0 || archs.includes(image.arch)) continue;
      const what =
        ref.kind === 'driverPackage' ? 'drivers' : ref.kind === 'application' ? 'the application' : 'the package';
      report(
        ctx,
        ref,
        'warning',
        `${capital(describe(ref, entry))} is for ${archs.join('/')}, but the OS image applied before it (${image.entry.id}) is ${image.arch}.`,
        `Pick ${what} built for ${image.arch}, or check that this step is meant for another image.`,
      );
    }
  },
};

function stepConditionArchs(ref: SiteReference): readonly Architecture[] {
  const when = ref.step?.when;
  return when ? osConditionArchitectures(when.text) : [];
}

function report(ctx: RuleContext, ref: SiteReference, severity: Severity, message: string, hint: string) {
  ctx.report({ start: ref.span.start, end: ref.span.end, severity, message, hint });
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
