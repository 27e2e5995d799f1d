// Which tools a sequence is written for: ConfigMgr's own steps only, or MDT's too (a ZTI sequence
// built with the MDT integration, or an MDT or PSD sequence). Some facts differ between the two:
// MDT documents setting variables that ConfigMgr calls read-only, for instance.

import { walk, type SeqNode } from '../model/sequence';
import { stepDef } from './knowledge';

/** Whether `node` is a step that comes with MDT (Use Toolkit Package, Gather, ...). */
export function isMdtStep(node: SeqNode): boolean {
  return node.kind === 'step' && stepDef(node.action)?.source === 'mdt';
}

/** Whether any step of `steps` (at any depth, disabled ones too) comes with MDT. */
export function usesMdtSteps(steps: SeqNode[]): boolean {
  for (const n of walk(steps)) if (isMdtStep(n)) return true;
  return false;
}
