// undefined-variable: a `%Name%` in a step option, or a variable a condition tests, that is
// neither built in (a ConfigMgr variable, a Windows environment variable) nor set anywhere before
// it: in this sequence, by a parent sequence before it runs this one, as a collection or machine
// variable in the workspace, or by MDT where the sequence uses it (MDT's rule of when each of its
// variables is set: semantics/variable-scope.ts). Often a typo; a warning, since variables can
// also come from places tsq cannot see (a note in sequences that use MDT, whose rules can set any name).

import type { Rule } from '../rule';
import type { DiagnosticData } from '../diagnostic';
import { mdtDependency, usesMdt } from '../../migrate/detect';
import { eachNode, type NodeInputs } from '../node-reads';
import { nodeVariableReads, stepVariableWrites, variableReads } from '../../semantics/variable-flow';
import { gatherSignature } from '../../semantics/mdt-gather';
import { knownVariables } from '../../semantics/variable-scope';
import { suggest } from '../../util/suggest';

/** After an edit: the variables the rebuilt node reads and writes, where, whether it runs MDT's Gather, and whether it needs MDT. */
const inputs: NodeInputs = (doc, node, at) =>
  eachNode(node, (n) => {
    const reads = nodeVariableReads(doc, n).map((r) => `r:${r.name}:${r.inCondition}@${at(r.start)}-${at(r.end)}`);
    if (n.kind !== 'step') return reads.join(',');
    const writes = stepVariableWrites(doc, n).map(
      (w) => `w:${w.name}:${w.kind}:${w.prefix ?? ''}@${at(w.start)}-${at(w.end)}>${at(w.effectiveFrom)}`,
    );
    const mdt = mdtDependency(doc, n);
    const gather = gatherSignature(n);
    return [
      ...reads,
      ...writes,
      gather ? `${gather}@${at(n.span.end)}` : '',
      mdt && mdt.use.kind !== 'form' ? 'mdt' : '',
    ].join(',');
  });

/** What the findings of one name, read one way (in a condition or as `%Name%`), say. */
interface Wording {
  message: string;
  hint: string;
  data?: DiagnosticData;
}

export const undefinedVariable: Rule = {
  code: 'undefined-variable',
  defaultSeverity: 'warning',
  mostSevere: 'warning',
  title: 'A variable is read before anything sets it',
  description:
    'Reports `%Name%` references and condition variables that are not built in and not set earlier (in this sequence, by a parent sequence, or as a collection or machine variable). Usually a typo. ' +
    "MDT's variables are known from the point MDT sets them: the facts Gather collects (`IsLaptop`, `Make`, …) after a step that runs ZTIGather, CustomSettings.ini and MDT database properties after one that processes the rules (a Gather without `localOnly: true`), both from the start of a Lite Touch sequence; the others, whose point Microsoft does not document, anywhere in a sequence that uses MDT ([migrating-from-mdt.md](migrating-from-mdt.md#which-mdt-variables-lint-knows)). In a sequence that uses MDT a finding is a note.",
  kinds: ['sequence'],
  incremental: { inputs },
  check(ctx) {
    const reads = variableReads(ctx.doc);
    if (reads.length === 0) return;
    const mdt = usesMdt(ctx.doc);
    const scope = knownVariables(ctx.ws, ctx.doc, mdt);
    // The same unknown name tends to repeat (50,000 times over 10,000 long conditions, for a few
    // thousand names: docs/performance.md, "Long conditions"): what its findings say is worked out
    // once per name and shared by them (message, hint and quick-fix data), which the kept findings
    // would otherwise each hold a copy of; a read of a name seen before makes no string at all.
    // Suggestions are computed once per name in any case, for its first unknown read.
    const suggestions = new Map<string, string[]>();
    const wordings = new Map<string, Wording>();
    const percentWordings = new Map<string, Wording>();
    const wordingOf = (name: string, inCondition: boolean, start: number): Wording => {
      const key = name.toLowerCase();
      let candidates = suggestions.get(key);
      if (!candidates) suggestions.set(key, (candidates = suggest(name, scope.namesBefore(start))));
      const shown = inCondition ? `\`${name}\`` : `\`%${name}%\``;
      const awaited = mdt ? scope.awaitedGather(name, start) : undefined;
      if (awaited)
        return {
          message:
            awaited === 'gather'
              ? `${shown} is a fact MDT's Gather sets, and no Gather step runs before this point.`
              : `${shown} comes from MDT's rules (CustomSettings.ini or the MDT database), and no Gather step that processes rules runs before this point.`,
          hint:
            awaited === 'gather'
              ? 'Read it after the Gather step, or run Gather earlier.'
              : 'Read it after a Gather step without `localOnly: true` (“Gather only local data” reads no rules), or set it earlier with Set Task Sequence Variable.',
        };
      return {
        message: `${shown} is not a built-in variable and nothing sets it before this point.`,
        hint: candidates.length
          ? `Did you mean \`${candidates[0]}\`?`
          : mdt
            ? 'It may come from MDT rules (CustomSettings.ini); otherwise set it with Set Task Sequence Variable or in `variables:`.'
            : 'Set it earlier with Set Task Sequence Variable or in the sequence’s `variables:`, or as a collection variable in the catalog.',
        data: candidates.length
          ? { fix: 'replace', candidates: inCondition ? candidates : candidates.map((c) => `%${c}%`) }
          : undefined,
      };
    };
    for (const r of reads) {
      if (scope.isKnownAt(r.name, r.start)) continue;
      // Names are shared strings (semantics/variable-names.ts), so this finds its hash kept.
      const said = r.inCondition ? wordings : percentWordings;
      let wording = said.get(r.name);
      if (!wording) said.set(r.name, (wording = wordingOf(r.name, r.inCondition, r.start)));
      ctx.report({
        start: r.start,
        end: r.end,
        severity: mdt ? 'information' : undefined,
        message: wording.message,
        hint: wording.hint,
        data: wording.data,
      });
    }
  },
};
