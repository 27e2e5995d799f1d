// Content that reaches the distribution points a computer can use late (the machine profile's
// `contentArrives:`): content not yet replicated to a content location the client can access,
// which a Required deployment retries until its deadline
// (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSRun).
// Turns the profile into the simulator's `unreachableContent` option for
// a given moment, and tells when the next piece arrives, for the Required deployment's retries.

import type { MachineModel } from '../model/machine';
import type { ReferenceKind } from '../catalog/types';
import { describeLocalDateTime, type LocalMinutes } from '../schedule/local-time';

/** The profile's late content by upper-cased ID. */
function lateContent(machine: MachineModel | undefined): Map<string, LocalMinutes | 'never'> {
  const out = new Map<string, LocalMinutes | 'never'>();
  for (const c of machine?.contentArrives ?? [])
    if (!out.has(c.id.toUpperCase())) out.set(c.id.toUpperCase(), c.arrives);
  return out;
}

/**
 * The `unreachableContent` option for a run that starts at `at`: content that has not arrived
 * by then, with when it will; undefined when the profile lists no late content.
 */
export function unreachableAt(
  machine: MachineModel | undefined,
  at: LocalMinutes,
): ((kind: ReferenceKind, id: string) => string | undefined) | undefined {
  const late = lateContent(machine);
  if (late.size === 0) return undefined;
  return (_kind, id) => {
    const arrives = late.get(id.toUpperCase());
    if (arrives === undefined || (arrives !== 'never' && arrives <= at)) return undefined;
    return arrives === 'never'
      ? 'is on no distribution point this computer can reach'
      : `has not reached the distribution points this computer can reach yet (it arrives ${describeLocalDateTime(arrives)})`;
  };
}

/** Moments after `after` (up to `until`) at which late content arrives, in order: when a retry can find more. */
export function arrivalsBetween(
  machine: MachineModel | undefined,
  after: LocalMinutes,
  until: LocalMinutes,
): LocalMinutes[] {
  const times = new Set<LocalMinutes>();
  for (const t of lateContent(machine).values()) if (t !== 'never' && t > after && t <= until) times.add(t);
  return [...times].sort((a, b) => a - b);
}
