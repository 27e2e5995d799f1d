// The `architecture-mismatch` checks of media files. ConfigMgr does not check a media's
// architecture when it starts (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSCreateMedia):
// a computer of another architecture boots it and then
// fails. The media's architecture is its boot image's (or, without a known boot image, its
// `architecture:`); it is compared with the OS images and driver packages of the sequence it
// carries (children included) and with the machine profiles named under `machine:`.

import type { RuleContext } from './rule';
import type { MediaModel } from '../model/media';
import type { MachineModel } from '../model/machine';
import type { SequenceModel } from '../model/sequence';
import type { Architecture } from '../model/architecture';
import type { Span } from '../model/text';
import type { Severity } from './diagnostic';
import { resolveTarget, targetSequence } from '../semantics/deployment-targets';
import { closureReferences, sequenceClosure } from '../semantics/sequence-closure';
import { archOf, bootCannotStart } from '../semantics/architectures';
import { referenceKindInfo } from '../catalog';

export function checkMediaArchitecture(ctx: RuleContext): void {
  const m = ctx.doc.model as MediaModel;
  const catalog = ctx.ws.catalog;
  const seq = targetSequence(ctx.ws, ctx.doc, m.sequence);
  const bootId = m.bootImage?.value.trim() || (seq?.model as SequenceModel | undefined)?.bootImage?.value.trim();
  const boot = bootId && catalog.present ? catalog.lookup('bootImage', bootId) : undefined;
  const bootArch = boot?.architectures.length === 1 ? boot.architectures[0] : undefined;
  const at: Span | undefined = m.architecture?.span ?? m.bootImage?.span ?? m.sequence?.span;
  if (!at) return;
  const report = (
    severity: Severity,
    message: string,
    hint: string,
    related?: { docId: string; start: number; end: number; message: string },
  ) => ctx.report({ start: at.start, end: at.end, severity, message, hint, related: related ? [related] : undefined });

  if (m.architecture && bootArch && m.architecture.value !== bootArch) {
    report(
      'warning',
      `The media says ${m.architecture.value}, but its boot image ${boot!.id} is ${bootArch}; the boot image decides which computers can start the media.`,
      `Use an ${m.architecture.value} boot image, or write \`architecture: ${bootArch}\`.`,
    );
  }
  const arch: Architecture | undefined = bootArch ?? m.architecture?.value;
  if (!arch) return;
  const source = bootArch ? `boot image ${boot!.id}` : '`architecture:`';

  if (seq && catalog.present) {
    for (const ref of closureReferences(sequenceClosure(ctx.ws, seq))) {
      if (ref.kind !== 'osImage' && ref.kind !== 'osUpgradePackage' && ref.kind !== 'driverPackage') continue;
      const entry = catalog.lookup(ref.kind, ref.id);
      const archs = entry ? archOf(entry, ref) : [];
      if (!entry || archs.length === 0 || archs.includes(arch)) continue;
      const what = `${referenceKindInfo(ref.kind).label} ${entry.id}${entry.name ? ` (${entry.name})` : ''}`;
      const related = { docId: ref.doc.id, start: ref.span.start, end: ref.span.end, message: `${what} is used here.` };
      if (ref.kind === 'driverPackage') {
        report(
          'warning',
          `The media is ${arch} (${source}), but ${what} is for ${archs.join('/')}.`,
          `Use drivers built for ${arch}, or media of the drivers’ architecture.`,
          related,
        );
      } else {
        const fatal = archs.length === 1 && bootCannotStart(arch, archs[0]);
        report(
          fatal ? 'error' : 'warning',
          `The media is ${arch} (${source}), but ${what} is ${archs.join('/')}.`,
          fatal
            ? `A computer that runs ${archs[0]} Windows cannot start ${arch} media: use an ${archs[0]} boot image.`
            : `Use an ${archs[0]} boot image, so Windows PE matches the OS it installs.`,
          related,
        );
      }
    }
  }
  for (const ref of m.machines) {
    const target = resolveTarget(ctx.ws, ctx.doc, ref)?.doc;
    const machine = target?.kind === 'machine' ? (target.model as MachineModel) : undefined;
    const machineArch = machine?.architecture?.value;
    if (!machine || !machineArch || machineArch === arch) continue;
    ctx.report({
      start: ref.span.start,
      end: ref.span.end,
      severity: 'error',
      message: `“${machine.name}” is an ${machineArch} computer, but the media is ${arch} (${source}): ConfigMgr does not check this up front, so the computer starts the media and the sequence then fails.`,
      hint: `Make ${machineArch} media for these computers.`,
      related: [
        {
          docId: target!.id,
          start: machine.architecture!.span.start,
          end: machine.architecture!.span.end,
          message: `The machine profile says ${machineArch}.`,
        },
      ],
    });
  }
}
