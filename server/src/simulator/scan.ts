// Facts about a whole sequence that every run of it needs before the first step: the content it
// references (for the client's check) and whether it deploys an OS or runs child sequences.
// Worked out once per parsed sequence and kept while the sequence lives, so a run (or a rerun in
// the debugger) does not walk a large file again.

import type { SequenceModel } from '../model/sequence';
import type { ReferenceKind } from '../catalog/types';
import { siteReferences, isDynamic } from '../analysis/references';
import { RUN_TASK_SEQUENCE } from '../analysis/children';
import { walk } from '../model/sequence';

export interface SequenceFacts {
  /** Every object referenced with a fixed ID (no `%Name%`), once each. */
  references: { kind: ReferenceKind; id: string }[];
  /** Applies or upgrades an OS (`_SMSTSType` 2), as opposed to a custom sequence (1). */
  deploysOs: boolean;
  /** Has Run Task Sequence steps. */
  runsChildren: boolean;
}

const cache = new WeakMap<SequenceModel, SequenceFacts>();

export function sequenceFacts(model: SequenceModel): SequenceFacts {
  let facts = cache.get(model);
  if (facts) return facts;
  const seen = new Set<string>();
  const references: SequenceFacts['references'] = [];
  for (const r of siteReferences(model)) {
    if (isDynamic(r.id)) continue;
    const key = `${r.kind}:${r.id.toUpperCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    references.push({ kind: r.kind, id: r.id });
  }
  let deploysOs = false, runsChildren = false;
  for (const n of walk(model.steps)) {
    if (n.kind !== 'step') continue;
    if (n.action === 'ApplyOperatingSystemImage' || n.action === 'UpgradeOperatingSystem') deploysOs = true;
    if (n.action === RUN_TASK_SEQUENCE) runsChildren = true;
  }
  cache.set(model, (facts = { references, deploysOs, runsChildren }));
  return facts;
}
