// unchecked-references: with no catalog in the workspace tsq cannot know which packages, images
// and applications exist, so it does not flag them all as broken (false errors are what users
// hate most in peer tools); it says so once per file, at the first reference, with how to fix it.

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import { siteReferences } from '../../semantics/references';
import { eachNode, siteReferencesAt, type NodeInputs } from '../node-reads';

/** After an edit: the rebuilt node's references and where they are (the first one gets the note). */
const inputs: NodeInputs = (_doc, node, at) => eachNode(node, siteReferencesAt(at));

export const uncheckedReferences: Rule = {
  code: 'unchecked-references',
  defaultSeverity: 'information',
  mostSevere: 'information',
  title: 'References are not checked: no catalog in the workspace',
  description:
    'When the workspace has no catalog file, references to packages, images and applications cannot be checked; reported once per sequence file instead of flagging every reference.',
  kinds: ['sequence'],
  incremental: { inputs },
  readsCatalog: true,
  check(ctx) {
    if (ctx.ws.catalog.present) return;
    const first = siteReferences(ctx.doc.model as SequenceModel)[0];
    if (!first) return;
    ctx.report({
      start: first.span.start,
      end: first.span.end,
      message: 'References to packages, images and applications are not checked: no catalog file is in the workspace.',
      hint: 'Add a catalog (a file starting with `catalog:` that lists the site’s packages, images and applications) — run the command “Task Sequence: New from Template” → Catalog, or see README.md.',
    });
  },
};
