// write-filter: a deployment to Windows Embedded devices that leaves the write filter on
// (`writeFilter.commitChanges: false`). The sequence then writes into the filter's overlay, and
// everything it did is gone after the next restart
// (https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSDeploy). Quiet when the catalog says the
// collection holds no Embedded devices, where the setting does nothing.

import type { Rule } from '../rule';
import type { DeploymentModel } from '../../model/deployment';
import { targetCollection } from '../../semantics/deployment-targets';

export const writeFilter: Rule = {
  code: 'write-filter',
  defaultSeverity: 'warning',
  mostSevere: 'warning',
  title: 'Windows Embedded devices keep their write filter on during the deployment',
  description:
    'With `writeFilter.commitChanges: false`, a task sequence on a Windows Embedded device writes into the write filter’s temporary overlay, and its changes are lost at the next restart. Let ConfigMgr turn the filter off and commit the changes (the default).',
  kinds: ['deployment'],
  incremental: 'whole-file',
  check(ctx) {
    const d = ctx.doc.model as DeploymentModel;
    const commit = d.writeFilter.commitChanges;
    if (!commit || commit.value !== false) return;
    if (targetCollection(ctx.ws, d)?.windowsEmbedded === false) return;
    ctx.report({
      start: commit.span.start,
      end: commit.span.end,
      message:
        'The write filter stays on: the sequence’s changes go to the temporary overlay and are lost when the device restarts.',
      hint: 'Set `commitChanges: true` so that ConfigMgr turns the filter off, commits the changes and restarts, at the deadline or in a maintenance window.',
      data: { fix: 'replace', candidates: ['true'] },
    });
  },
};
