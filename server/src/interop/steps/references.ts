// The `<referenceList>` of a sequence, rebuilt from its steps as the console does on save: one
// entry per distinct package (program `*` for child sequences, the program name for Install
// Package) and per application, in order of first use; a child sequence's own references follow
// the child. The boot image is a package property, not a list entry.

import type { StepContext, StepData } from './stepdata';
import { childPackageId, type FinalVariable } from './settings';

export interface ReferenceEntry {
  package?: string;
  program?: string;
  application?: string;
}

function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of items) {
    if (typeof v === 'string' || typeof v === 'number') {
      const s = String(v).trim();
      if (s) out.push(s);
    }
  }
  return out;
}

export class ReferenceCollector {
  readonly entries: ReferenceEntry[] = [];
  private readonly seen = new Set<string>();

  add(entry: ReferenceEntry): void {
    const key = entry.application !== undefined ? `a:${entry.application.toLowerCase()}` : `p:${(entry.package ?? '').toUpperCase()}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.entries.push(entry);
  }

  /** Adds what one step references; `variables` are the values export writes for it. */
  addStep(data: StepData, variables: FinalVariable[], ctx: StepContext): void {
    const def = data.def;
    if (!def) return;
    for (const ref of def.references) {
      const value = data.options.get(ref.property);
      if (value === undefined) continue;
      for (const id of listOf(value)) {
        if (/%[^%\s]+%/.test(id)) continue; // resolved at run time
        if (ref.kind === 'application') this.add({ application: id });
        else if (ref.kind === 'childSequence') {
          const pkg = childPackageId(id, ctx);
          if (pkg) this.add({ package: pkg, program: '*' });
        } else {
          const program = ref.kind === 'package' ? listOf(data.options.get('program'))[0] : undefined;
          this.add(program ? { package: id, program } : { package: id });
        }
      }
    }
    if (def.key === 'RunTaskSequence') {
      const valueOf = (property: string) => variables.find((v) => v.property === property)?.value ?? '';
      for (const app of valueOf('TsReferenceApplications').split(',')) if (app.trim()) this.add({ application: app.trim() });
      for (const pkg of valueOf('TsReferencePackages').split(',')) if (pkg.trim()) this.add({ package: pkg.trim() });
    }
  }
}
