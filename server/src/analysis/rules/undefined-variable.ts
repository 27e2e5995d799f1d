// undefined-variable: a `%Name%` in a step option, or a variable a condition tests, that is
// neither built in (a ConfigMgr variable, a Windows environment variable) nor set anywhere before
// it: in this sequence, by a parent sequence before it runs this one, as a collection or machine
// variable in the workspace, or by MDT where the sequence uses it (MDT's rule of when each of its
// variables is set: semantics/variable-scope.ts). Often a typo; a warning, since variables can
// also come from places tsq cannot see (a note in sequences that use MDT, whose rules can set any name).
// A disabled step, or a step in a disabled group, sets nothing (semantics/disabled-steps.ts); when
// such a step is what would have set the name, the finding names it, points at it and offers to
// enable it (lsp/enable-step-fix.ts).

import type { Rule } from '../rule';
import type { DiagnosticData, RelatedInformation } from '../diagnostic';
import type { TsqDocument } from '../../model/document';
import { walk, type SeqNode } from '../../model/sequence';
import { mdtDependency, usesMdt } from '../../migrate/detect';
import { eachNode, type NodeInputs } from '../node-reads';
import { nodeVariableReads, stepVariableWrites, variableReads } from '../../semantics/variable-flow';
import { gatherSignature } from '../../semantics/mdt-gather';
import { knownVariables, type DisabledSetter } from '../../semantics/variable-scope';
import { mayHaveDisabledNode } from '../../semantics/disabled-steps';
import { suggest } from '../../util/suggest';
import { relativeFrom } from '../../util/paths';

/**
 * After an edit: the variables the rebuilt node reads and writes, where, whether it runs MDT's
 * Gather, whether it needs MDT, and which of its nodes are disabled (a disabled node sets
 * nothing). In a file with a disabled node, also how many lines each node spans: a finding names
 * a disabled step by its line, which moves when an edit before it adds or removes a line.
 */
const inputs: NodeInputs = (doc, node, at) => {
  const lines = mayHaveDisabledNode(doc);
  return eachNode(node, (n) => {
    const reads = nodeVariableReads(doc, n).map((r) => `r:${r.name}:${r.inCondition}@${at(r.start)}-${at(r.end)}`);
    if (n.disabled) reads.push('off');
    if (lines)
      reads.push(`lines:${doc.lineMap.positionAt(n.span.end).line - doc.lineMap.positionAt(n.span.start).line}`);
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
};

/** Names of nodes as a finding quotes them (“Set MyVar”), when one of them is the disabled step or group that would have set a name. */
const cited = (node: SeqNode): string[] => [...walk([node])].map((n) => `“${n.name}”`);

/** “Set MyVar” (line 12) in this file; “Set MyVar” alone in another (whose lines this file's findings do not follow). */
function placeOf(doc: TsqDocument, setter: DisabledSetter, node: SeqNode): string {
  return setter.doc === doc
    ? `“${node.name}” (line ${doc.lineMap.positionAt(node.span.start).line + 1})`
    : `“${node.name}”`;
}

/** The disabled step, or the step in a disabled group: “the disabled step “Set MyVar” (line 12)”, “the step “Set MyVar” (line 12) in the disabled group “Old” (line 9)”. */
function disabledStepWords(doc: TsqDocument, setter: DisabledSetter): string {
  const groups = setter.disabled.filter((n) => n !== setter.step);
  const step = placeOf(doc, setter, setter.step);
  const stepOff = setter.disabled[0] === setter.step;
  if (groups.length === 0) return `the disabled step ${step}`;
  // The outermost disabled group is the one that keeps the whole stretch from running.
  return `the ${stepOff ? 'disabled ' : ''}step ${step} in the disabled group ${placeOf(doc, setter, groups[groups.length - 1])}`;
}

/** What a read waits for: a variable something sets, a fact of MDT's Gather, or a property of MDT's rules. */
type Awaited = 'variable' | 'gather' | 'rules-gather';

/** The message, hint, related places and quick fix of a read that only a disabled step would have made known. */
function disabledWording(doc: TsqDocument, shown: string, setter: DisabledSetter, awaited: Awaited): Wording {
  const words = disabledStepWords(doc, setter);
  const file = relativeFrom(doc.id, setter.doc.id);
  const lead =
    awaited === 'gather'
      ? `${shown} is a fact MDT's Gather sets`
      : awaited === 'rules-gather'
        ? `${shown} comes from MDT's rules (CustomSettings.ini or the MDT database)`
        : `${shown} is set`;
  const doer = awaited === 'gather' ? 'runs Gather' : awaited === 'rules-gather' ? 'processes them' : 'sets it';
  let message: string;
  if (setter.kind === 'call')
    message =
      awaited === 'variable'
        ? `${lead} only by ${file}, which runs this sequence only from ${words}.`
        : `${lead}; ${file} ${doer} before it runs this sequence, but runs it only from ${words}.`;
  else if (setter.doc !== doc)
    message =
      awaited === 'variable'
        ? `${lead} only by ${words} of ${file}, before it runs this sequence.`
        : `${lead}, and the only step of ${file} that ${doer} before it runs this sequence is ${words}.`;
  else
    message =
      awaited === 'variable'
        ? `${lead} only by ${words}.`
        : `${lead}, and the only step before this point that ${doer} is ${words}.`;
  const related: RelatedInformation[] = setter.disabled.map((n) => ({
    docId: setter.doc.id,
    start: n.nameSpan.start,
    end: n.nameSpan.end,
    message:
      n.kind === 'group'
        ? `The group “${n.name}” is disabled: none of its steps run.`
        : `The step “${n.name}” is disabled: the task sequence skips it.`,
  }));
  if (!setter.disabled.includes(setter.step))
    related.unshift({
      docId: setter.doc.id,
      start: setter.step.nameSpan.start,
      end: setter.step.nameSpan.end,
      message:
        setter.kind === 'call'
          ? `The step “${setter.step.name}” would run this sequence, but it never runs.`
          : `The step “${setter.step.name}” ${doer}, but it never runs.`,
    });
  return {
    message,
    hint: 'A disabled step never runs (https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps, “Disable this step”): enable it, or set the variable in a step that runs.',
    related,
    data:
      setter.doc === doc
        ? { fix: 'enable-step', stepStart: setter.step.span.start, stepEnd: setter.step.span.end }
        : undefined,
  };
}

/** What the findings of one name, read one way (in a condition or as `%Name%`), say. */
interface Wording {
  message: string;
  hint: string;
  data?: DiagnosticData;
  related?: RelatedInformation[];
}

export const undefinedVariable: Rule = {
  code: 'undefined-variable',
  defaultSeverity: 'warning',
  mostSevere: 'warning',
  title: 'A variable is read before anything sets it',
  description:
    'Reports `%Name%` references and condition variables that are not built in and not set earlier (in this sequence, by a parent sequence, or as a collection or machine variable). Usually a typo. ' +
    'A disabled step, or any step in a disabled group, sets nothing, runs no Gather and runs no child (ConfigMgr skips it: https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps, “Disable this step”); where only such a step would have set the name, the finding names it and the quick fix enables it. ' +
    "MDT's variables are known from the point MDT sets them: the facts Gather collects (`IsLaptop`, `Make`, …) after a step that runs ZTIGather, CustomSettings.ini and MDT database properties after one that processes the rules (a Gather without `localOnly: true`), both from the start of a Lite Touch sequence; the others, whose point Microsoft does not document, anywhere in a sequence that uses MDT ([migrating-from-mdt.md](migrating-from-mdt.md#which-mdt-variables-lint-knows)). In a sequence that uses MDT a finding is a note.",
  kinds: ['sequence'],
  incremental: { inputs, cited },
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
    // Wordings that name a disabled step, by the step, what the read waits for and the name as read;
    // worked out per read, since reads of one name before and after a disabled step differ. Most
    // files have no disabled step that would set anything, and skip this.
    const offWordings = new Map<string, Wording>();
    let anyOff: boolean | undefined;
    const disabledFor = (name: string, offset: number): { setter: DisabledSetter; awaited: Awaited } | undefined => {
      if (!(anyOff ??= scope.anyDisabledSetter())) return undefined;
      const setter = scope.disabledSetter(name, offset);
      if (setter) return { setter, awaited: 'variable' };
      // Also in a sequence without MDT of its own: a parent's Gather would have made its facts known.
      const awaited = scope.awaitedGather(name, offset);
      const gather = awaited && scope.disabledGather(awaited, offset);
      return gather ? { setter: gather, awaited: awaited } : undefined;
    };
    for (const r of reads) {
      if (scope.isKnownAt(r.name, r.start)) continue;
      let wording: Wording | undefined;
      const off = disabledFor(r.name, r.start);
      if (off) {
        const { setter, awaited } = off;
        const key = `${setter.doc.id}\0${setter.step.span.start}\0${awaited}\0${r.inCondition}\0${r.name}`;
        wording = offWordings.get(key);
        const shown = r.inCondition ? `\`${r.name}\`` : `\`%${r.name}%\``;
        if (!wording) offWordings.set(key, (wording = disabledWording(ctx.doc, shown, setter, awaited)));
      } else {
        // Names are shared strings (semantics/variable-names.ts), so this finds its hash kept.
        const said = r.inCondition ? wordings : percentWordings;
        wording = said.get(r.name);
        if (!wording) said.set(r.name, (wording = wordingOf(r.name, r.inCondition, r.start)));
      }
      ctx.report({
        start: r.start,
        end: r.end,
        severity: mdt ? 'information' : undefined,
        message: wording.message,
        hint: wording.hint,
        data: wording.data,
        related: wording.related,
      });
    }
  },
};
