// What an edit of a sequence changes for the other files of its workspace, told from the edit
// itself. Of a sequence, the files linked to it by child calls read two kinds of things: its
// children see only who runs whom (the child graph: its Run Task Sequence references) and which
// variables it sets before each call (the index of inherited names, variable-scope.ts); its parents
// walk its steps (where each runs, what each references). In the editor almost every keystroke
// rebuilds one group or step whose references and variable writes stay as they were (a step's
// name, its command line); then the child graph and the index of inherited names of the
// workspace hold as they are, and its children's diagnostics cannot change. The workspace keeps a
// revision of these links (`Workspace.linksRevision`) that such an edit leaves alone: the graph and
// the index are kept across it instead of being rebuilt, and the language server re-checks only
// the files that run the edited one (docs/performance.md, "Children kept through an edit").
//
// The comparison is exact, not a guess: the rebuilt node's references and writes, in order, with
// their spelling and whether their step runs (a disabled step, or one in a disabled group, sets
// nothing and runs no child: disabled-steps.ts; its name is kept too, which a child's finding
// quotes), against those of the node it replaced. Writes and calls elsewhere in the file
// keep their order relative to them (a node is one stretch of text), so which writes come before
// which call is unchanged too.

import type { TsqDocument } from '../model/document';
import type { StepsChange } from '../model/incremental';
import { walk, type SeqNode } from '../model/sequence';
import { childReference } from './child-reference';
import { stepVariableWrites } from './variable-flow';
import { gatherSignature } from './mdt-gather';
import { disabledChain, neverRuns } from './disabled-steps';

/**
 * The references and variable writes of a node and everything inside it, in text order, as one
 * string: `>ref` for a Run Task Sequence step (what `childCalls` reads of it: child-reference.ts), `=name` for a write
 * (`=*name` for a download base, whose name is a prefix), `+gather:kind` for a step that runs MDT's Gather (`+lti` for one that runs a Lite Touch script).
 */
function linksOf(doc: TsqDocument, node: SeqNode | undefined): string {
  if (!node) return '';
  let out = '';
  for (const n of walk([node])) {
    if (n.kind !== 'step') continue;
    const before = out.length;
    const child = childReference(n);
    if (child) out += `>${child.ref}\n`;
    for (const w of stepVariableWrites(doc, n)) out += `=${w.prefix ? '*' : ''}${w.name}\n`;
    // A step that runs MDT's Gather (or a Lite Touch script) sets MDT's variables for the children run after it (variable-scope.ts).
    const gather = gatherSignature(n);
    if (gather) out += `+${gather}\n`;
    if (out.length > before && neverRuns(n))
      out += `!${n.name}${disabledChain(n)
        .map((d) => `<${d.name}`)
        .join('')}\n`;
  }
  return out;
}

/** Whether the edit from `previous` to `doc`, which rebuilt one node (`change`), kept every reference and write as it was. */
export function keepsLinks(previous: TsqDocument, doc: TsqDocument, change: StepsChange): boolean {
  return linksOf(previous, change.oldNode) === linksOf(doc, change.node);
}
