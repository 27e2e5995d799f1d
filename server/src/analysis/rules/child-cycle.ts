// child-cycle: a sequence that (through Run Task Sequence steps, across files) ends up running
// itself can never finish; ConfigMgr refuses the direct case and the deployment fails for longer
// loops. Also warns when children nest deeper than a sensible limit (no limit is documented).

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import type { TsqDocument } from '../../model/document';
import { childCalls } from '../../semantics/children';
import { relativeFrom } from '../../util/paths';

/** Child nesting deeper than this is reported as a warning. */
export const MAX_CHILD_DEPTH = 8;

export const childCycle: Rule = {
  code: 'child-cycle',
  defaultSeverity: 'error',
  title: 'A sequence runs itself through child sequences',
  description: 'Follows Run Task Sequence steps across files and reports a step whose child (or grandchild, ...) runs the parent again; also warns when children nest deeper than 8 levels.',
  kinds: ['sequence'],
  incremental: 'per-node',
  check(ctx) {
    const { ws, doc } = ctx;
    for (const call of childCalls(ws, doc.id, doc.model as SequenceModel)) {
      const start = call.target.doc;
      if (!start || start.kind !== 'sequence') continue;
      // Depth-first search from the child for a path back to this document.
      const path: TsqDocument[] = [start];
      const onPath = new Set<string>([start.id]);
      const done = new Set<string>();
      let cycle: TsqDocument[] | undefined;
      let deepest = 1;
      const visit = (d: TsqDocument): boolean => {
        if (d.id === doc.id) { cycle = [...path]; return true; }
        for (const c of childCalls(ws, d.id, d.model as SequenceModel)) {
          const next = c.target.doc;
          if (!next || next.kind !== 'sequence') continue;
          if (next.id === doc.id) { cycle = [...path, next]; return true; }
          if (onPath.has(next.id) || done.has(next.id)) continue;
          path.push(next);
          onPath.add(next.id);
          deepest = Math.max(deepest, path.length);
          if (visit(next)) return true;
          path.pop();
          onPath.delete(next.id);
          done.add(next.id);
        }
        return false;
      };
      visit(start);
      const name = (d: TsqDocument) => relativeFrom(doc.id, d.id);
      if (cycle) {
        const chain = [doc, ...cycle].map(name).join(' → ');
        ctx.report({
          start: call.refStart,
          end: call.refEnd,
          message: cycle.length === 1 && cycle[0].id === doc.id
            ? 'A sequence cannot run itself as a child.'
            : `This child sequence runs this sequence again: ${chain}.`,
          hint: 'Remove the Run Task Sequence step that closes the loop, or move the shared steps into a third sequence that both run.',
        });
      } else if (deepest + 1 > MAX_CHILD_DEPTH) {
        ctx.report({ start: call.refStart, end: call.refEnd, severity: 'warning', message: `Child sequences nest ${deepest + 1} levels deep from here.`, hint: `Keep nesting to ${MAX_CHILD_DEPTH} levels or fewer: deep chains are hard to follow in smsts.log and slow to start.` });
      }
    }
  },
};
