// Whether a step is ruled out on some media by its conditions: admins who use one sequence for
// PXE and for stand-alone media guard the steps that need the network with
// `_SMSTSMediaType != "FullMedia"` on the step or a group around it. Only conditions that say so
// plainly (in their top-level AND) count.

import type { SeqNode } from '../model/sequence';
import { conditionExcludes } from './condition-facts';

export const MEDIA_TYPE_VARIABLE = '_SMSTSMediaType';
/** `_SMSTSMediaType` on stand-alone media. */
export const STANDALONE_MEDIA_TYPE = 'FullMedia';

/** The condition that skips a step on stand-alone media (quick fixes add it). */
export const NOT_ON_STANDALONE_MEDIA = `${MEDIA_TYPE_VARIABLE} != "${STANDALONE_MEDIA_TYPE}"`;

/** True when the node, or a group around it, does not run on stand-alone media. */
export function skippedOnStandaloneMedia(node: SeqNode): boolean {
  for (let n: SeqNode | null = node; n; n = n.parent) {
    if (n.when && conditionExcludes(n.when.text, MEDIA_TYPE_VARIABLE, STANDALONE_MEDIA_TYPE)) return true;
  }
  return false;
}
