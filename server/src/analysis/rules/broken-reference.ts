// broken-reference: a reference names something the site does not have (per the workspace's
// catalogs) — a package, a program in a package, an application, an OS image or image index, an
// upgrade package or edition, a driver package, the boot image — or a child sequence file that
// does not exist. Such a step fails when it runs, and ConfigMgr will not deploy the sequence
// (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSStepsActions
// and #BKMK_TSEdit). Quick fixes offer the closest IDs, deleting the step or disabling it.
// With no catalog in the workspace references are not checked (see `unchecked-references`); an
// ID that a catalog marked `partial` could list (one of its site's) is a warning, any other an
// error (../missing-reference.ts). Deployment and media files get the same checks for what they
// name. The checks live in analysis/reference-checks.ts, which the deploy-broken-sequence rule
// runs too.

import type { Rule } from '../rule';
import { checkReferences } from '../reference-checks';

export const brokenReference: Rule = {
  code: 'broken-reference',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A reference names something the site does not have',
  description:
    'Checks every package, program, application, OS image and index, upgrade package, driver package, boot image and child sequence a sequence refers to against all catalogs and files of the workspace. Such a step fails at run time and ConfigMgr will not deploy the sequence. A catalog marked `partial: true` (an import writes one) lists only part of its site: an ID it could list — one of its own site code (the first three characters of a package, image or collection ID) or application scope (`ScopeId_…/`) — is a warning that names it; IDs of other sites stay errors. In deployment and media files: the sequence file, the collection, the boot image and the machine profiles they name.',
  kinds: ['sequence', 'deployment', 'media'],
  incremental: 'per-node',
  readsCatalog: true,
  check: checkReferences,
};
