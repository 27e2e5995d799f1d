// mdt-dependency: a step that needs the Microsoft Deployment Toolkit — an MDT step (Gather, Use
// Toolkit Package, Validate, …), a command line or step action that runs an MDT script
// (`ZTI*.wsf`, `LTI*.wsf`), or a path into the deployment share (`%SCRIPTROOT%`, `%DEPLOYROOT%`,
// ZTIUtility). MDT is retired and its ConfigMgr integration unsupported
// (https://learn.microsoft.com/troubleshoot/windows-server/deployment/deployment-toolkit-support),
// so each finding names the native step that replaces it, or says plainly that none exists, and
// offers the quick fix `tsq migrate` would apply. Information by default: the sequence still runs
// where MDT is installed. A native step MDT merely wrote its own way is a hint.

import type { Rule } from '../rule';
import { mdtDependencies } from '../../migrate/detect';
import { replacement, whatItIs } from '../../migrate/describe';

export const mdtDependency: Rule = {
  code: 'mdt-dependency',
  defaultSeverity: 'information',
  mostSevere: 'information',
  title: 'A step depends on the retired Microsoft Deployment Toolkit',
  description:
    'Reports MDT steps, command lines that run MDT scripts and paths into the MDT deployment share, naming the native ConfigMgr step that replaces each one or saying that none exists. `tsq migrate` and the quick fix replace them (docs/migrating-from-mdt.md).',
  kinds: ['sequence'],
  // Each finding comes from its own step alone (what it runs, which table entry it meets).
  incremental: 'per-node',
  check(ctx) {
    for (const { step, dependency } of mdtDependencies(ctx.doc)) {
      const form = dependency.use.kind === 'form';
      ctx.report({
        start: dependency.start,
        end: dependency.end,
        severity: form ? 'hint' : undefined,
        message: `${whatItIs(dependency)} ${replacement(dependency)}`,
        hint:
          dependency.entry.provide && dependency.entry.convert === 'keep'
            ? `Provide instead: ${dependency.entry.provide}. ${dependency.entry.docs[0]}`
            : `Run \`tsq migrate\` or use the quick fix. ${dependency.entry.docs[0]}`,
        data: { fix: 'migrate-step', stepStart: step.span.start, stepEnd: step.span.end },
      });
    }
  },
};
