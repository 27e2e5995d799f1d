// Facts about a whole sequence that every run of it needs before the first step: the content it
// references (for the client's check) and whether it deploys an OS or runs child sequences.
// Worked out once per parsed sequence and kept while the sequence lives, so a run (or a rerun in
// the debugger) does not walk a large file again.
//
// The references are the ones semantics/references.ts lists (`siteReferences`), less those with a
// `%Name%` and once each, in the same order. They are found here in one plain pass that reads each
// step's reference options through its action's shared plan, rather than through the analysis's
// per-step lists: those keep a memo with spans on every step, which is the right trade for an
// editor that asks again on every keystroke, but on a freshly parsed file that a run reads once it
// made the scan cost more than running the steps. The scan compiles nothing (program.ts compiles
// each list of nodes when a run first enters it).

import type { SeqNode, SequenceModel, StepOption } from '../model/sequence';
import type { ReferenceKind } from '../catalog/types';
import { isDynamic } from '../semantics/references';
import { RUN_TASK_SEQUENCE } from '../semantics/child-reference';
import { option } from '../model/sequence';
import { contentKey } from './content';
import { actionPlan } from './plan';

export interface SequenceFacts {
  /** Every object referenced with a fixed ID (no `%Name%`), once each. */
  references: { kind: ReferenceKind; id: string }[];
  /** Applies or upgrades an OS (`_SMSTSType` 2), as opposed to a custom sequence (1). */
  deploysOs: boolean;
  /** Has Run Task Sequence steps. */
  runsChildren: boolean;
}

const cache = new WeakMap<SequenceModel, SequenceFacts>();

/** Collects references once each: IDs already met (as written, per kind) are passed over without further work. */
class ReferenceSet {
  readonly list: SequenceFacts['references'] = [];
  private readonly keys = new Set<string>();
  private readonly met = new Map<ReferenceKind, Set<string>>();

  add(kind: ReferenceKind, id: string): void {
    let met = this.met.get(kind);
    if (!met) this.met.set(kind, (met = new Set()));
    if (met.has(id)) return;
    met.add(id);
    if (isDynamic(id)) return;
    const key = contentKey(kind, id);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.list.push({ kind, id });
  }

  /** The values of a reference option as references.ts reads them: text or numbers, trimmed, empty ones left out. */
  addOption(kind: ReferenceKind, opt: StepOption): void {
    const value = opt.value;
    if (typeof value === 'string' || typeof value === 'number') {
      const id = String(value).trim();
      if (id) this.add(kind, id);
    } else if (Array.isArray(value) && opt.node.kind === 'seq') {
      for (let i = 0; i < opt.node.items.length; i++) {
        const v: unknown = value[i];
        if (typeof v !== 'string' && typeof v !== 'number') continue;
        const id = String(v).trim();
        if (id) this.add(kind, id);
      }
    }
  }
}

export function sequenceFacts(model: SequenceModel): SequenceFacts {
  let facts = cache.get(model);
  if (facts) return facts;
  const refs = new ReferenceSet();
  const boot = model.bootImage?.value.trim();
  if (boot) refs.add('bootImage', boot);
  let deploysOs = false,
    runsChildren = false;
  // Depth first in document order, as `walk` goes. The walk reads each step's reference options
  // through its action's shared plan and compiles nothing: a list of nodes is compiled when a run
  // first enters it (program.ts), so a group the run never enters (a false condition, disabled, a
  // debugger stopped before it) costs no compile.
  const lists: (readonly SeqNode[])[] = [model.steps];
  const at: number[] = [0];
  while (lists.length) {
    const top = lists.length - 1;
    const list = lists[top];
    const i = at[top];
    if (i >= list.length) {
      lists.pop();
      at.pop();
      continue;
    }
    at[top] = i + 1;
    const n = list[i];
    if (n.kind === 'group') {
      if (n.steps.length) {
        lists.push(n.steps);
        at.push(0);
      }
      continue;
    }
    const action = n.action;
    if (action === 'ApplyOperatingSystemImage' || action === 'UpgradeOperatingSystem') deploysOs = true;
    else if (action === RUN_TASK_SEQUENCE) runsChildren = true;
    const contentRefs = actionPlan(action).contentRefs;
    for (let r = 0; r < contentRefs.length; r++) {
      const opt = option(n, contentRefs[r].property);
      if (opt) refs.addOption(contentRefs[r].kind, opt);
    }
  }
  cache.set(model, (facts = { references: refs.list, deploysOs, runsChildren }));
  return facts;
}
