// MDT dependencies in words, for the lint rule's message and the editor's hover: what the step
// is (an MDT step, a command line running an MDT script, a path into the deployment share) and
// what replaces it in ConfigMgr, or that nothing does.

import { findStep } from '../catalog';
import type { MdtDependency } from './detect';

export function whatItIs(d: MdtDependency): string {
  switch (d.use.kind) {
    case 'step':
      return `${d.entry.mdt} is an MDT step.`;
    case 'script':
      return `This runs MDT's ${d.use.script}${d.entry.mdt === 'MDT script' ? '' : ` (${d.entry.mdt})`}.`;
    case 'share':
      return `This reads ${d.use.path} from the MDT toolkit or deployment share.`;
    case 'form':
      return `This native step is written the way MDT writes it (${d.entry.mdt}).`;
  }
}

/** The native replacement in words, or that there is none. */
export function replacement(d: MdtDependency): string {
  const names = d.entry.native.map((key) => findStep(key)?.displayName ?? key);
  switch (d.entry.convert) {
    case 'keep':
      return names.length
        ? `ConfigMgr has no step that does all of it (${names.join(', ')} covers part).`
        : 'ConfigMgr has no native step that does the same.';
    case 'remove':
    case 'toolkit':
      return 'ConfigMgr needs no step for it once MDT is gone.';
    default:
      return names.length ? `Native replacement: ${names.join(' or ')}.` : 'Write it as ConfigMgr does.';
  }
}
