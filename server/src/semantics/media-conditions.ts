// Whether a step is ruled out on some media by its conditions: admins who use one sequence for
// PXE and for stand-alone media guard the steps that need the network with
// `_SMSTSMediaType != "FullMedia"` on the step or a group around it. Only conditions that say so
// plainly (in their top-level AND) count.

import type { SeqNode } from '../model/sequence';
import { MEDIA_TYPE_VARIABLE, notOnStandaloneMedia, STANDALONE_MEDIA_TYPE } from './condition-facts';

/** The condition that skips a step on stand-alone media (quick fixes add it). */
export const NOT_ON_STANDALONE_MEDIA = `${MEDIA_TYPE_VARIABLE} != "${STANDALONE_MEDIA_TYPE}"`;

/** True when the node, or a group around it, does not run on stand-alone media. */
export function skippedOnStandaloneMedia(node: SeqNode): boolean {
  for (let n: SeqNode | null = node; n; n = n.parent) {
    if (n.when && notOnStandaloneMedia(n.when.text)) return true;
  }
  return false;
}
