// The `<referenceList>` of a sequence, rebuilt from its steps as the console does on save: one
// entry per distinct package (program `*` for child sequences, the program name for Install
// Package) and per application, in order of first use; a child sequence's own references follow
// the child. The boot image is a package property, not a list entry.

import type { ReferenceKind } from '../../catalog/types';
import type { StepContext, StepData } from './stepdata';
import { childPackageId, type FinalVariable } from './settings';

export interface ReferenceEntry {
  package?: string;
  program?: string;
  application?: string;
  /**
   * What the steps say the object is (not written to XML; used for catalogs and ReferencesInfo):
   * the first step that takes one class only decides. Undefined when only steps that take any
   * package class (Download Package Content) use it.
   */
  kind?: ReferenceKind;
  /** Every class steps that take one class only use it as; more than one is a contradiction. */
  kinds?: ReferenceKind[];
  /** Image or edition indexes steps use with it (OS images, upgrade packages). */
  indexes?: number[];
}

const INDEX_OPTION: Partial<Record<ReferenceKind, string>> = { osImage: 'index', osUpgradePackage: 'editionIndex' };

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

  private readonly byKey = new Map<string, ReferenceEntry>();

  add(entry: ReferenceEntry): void {
    const key =
      entry.application !== undefined
        ? `a:${entry.application.toLowerCase()}`
        : `p:${(entry.package ?? '').toUpperCase()}`;
    const known = this.byKey.get(key);
    if (known) {
      known.kind ??= entry.kind;
      for (const k of entry.kinds ?? (entry.kind ? [entry.kind] : []))
        if (!(known.kinds ??= []).includes(k)) known.kinds.push(k);
      for (const i of entry.indexes ?? []) if (!(known.indexes ??= []).includes(i)) known.indexes.push(i);
      return;
    }
    const own: ReferenceEntry = {
      ...entry,
      kinds: entry.kinds ? [...entry.kinds] : entry.kind ? [entry.kind] : undefined,
      indexes: entry.indexes ? [...entry.indexes] : undefined,
    };
    this.byKey.set(key, own);
    this.entries.push(own);
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
        if (ref.kind === 'application') this.add({ application: id, kind: 'application' });
        else if (ref.kind === 'childSequence') {
          const pkg = childPackageId(id, ctx);
          if (pkg) this.add({ package: pkg, program: '*', kind: 'childSequence' });
        } else {
          const program = ref.kind === 'package' ? listOf(data.options.get('program'))[0] : undefined;
          const indexOption = INDEX_OPTION[ref.kind];
          const index = indexOption ? data.options.get(indexOption) : undefined;
          const kind = ref.anyPackageClass ? undefined : ref.kind;
          const entry: ReferenceEntry = program ? { package: id, program, kind } : { package: id, kind };
          if (typeof index === 'number' && Number.isInteger(index) && index > 0) entry.indexes = [index];
          this.add(entry);
        }
      }
    }
    if (def.key === 'RunTaskSequence') {
      // The console lists a child's references after it sorted by name (seen in a real export;
      // an import keeps any other order it meets under `configMgr.xml.referenceOrder`).
      const valuesOf = (property: string) =>
        (variables.find((v) => v.property === property)?.value ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
          .sort();
      for (const app of valuesOf('TsReferenceApplications')) this.add({ application: app });
      for (const pkg of valuesOf('TsReferencePackages')) this.add({ package: pkg });
    }
  }
}
